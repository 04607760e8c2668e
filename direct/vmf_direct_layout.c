/*
 * vmf_direct_layout.c - the kernel's layout as crash 8.0.2 sets it up for
 * x86_64 (x86_64.c: x86_64_init POST_RELOC, POST_GDB and the max_physmem_bits
 * of POST_INIT), from the same sources: VMCOREINFO first, then the kernel's
 * own variables, then crash's defaults for the version.  The engine reads the
 * direct map, the vmalloc and vmemmap ranges from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_direct_internal.h"

/* crash 8.0.2 defs.h */
#define TB(n) ((uint64_t)(n) << 40)
#define PAGE_OFFSET_4LEVEL_4_20   0xffff888000000000ULL
#define PAGE_OFFSET_5LEVEL_4_20   0xff11000000000000ULL
#define PAGE_OFFSET_2_6_27        0xffff880000000000ULL
#define PAGE_OFFSET_5LEVEL        0xff10000000000000ULL
#define VMALLOC_START_2_6_31      0xffffc90000000000ULL
#define VMALLOC_END_2_6_31        0xffffe8ffffffffffULL
#define VMEMMAP_VADDR_2_6_31      0xffffea0000000000ULL
#define VMEMMAP_END_2_6_31        0xffffeaffffffffffULL
#define VMALLOC_START_5LEVEL      0xffa0000000000000ULL
#define VMALLOC_END_5LEVEL        0xffd1ffffffffffffULL
#define VMEMMAP_VADDR_5LEVEL      0xffd4000000000000ULL
#define VMEMMAP_END_5LEVEL        0xffd5ffffffffffffULL
#define MAX_PHYSMEM_BITS_2_6_31   46
#define MAX_PHYSMEM_BITS_5LEVEL   52

static int five_level(struct vmf_direct *d)
{
	int64_t n;
	uint64_t sym;
	int on = 0;
	char why[160];

	if (vmf_dump_vi_number(d->dump, "pgtable_l5_enabled", &n) == VMF_DUMP_OK)
		return n != 0;
	if (d->have_syms && !vd_symbol(d, "__pgtable_l5_enabled", &sym) &&
	    !vd_read(d, sym, &on, sizeof(on), why, sizeof(why)))
		return on != 0;
	return 0;
}

/* version >= a.b.c, from the release string */
static int at_least(const char *release, int a, int b, int c)
{
	int x = 0, y = 0, z = 0;

	sscanf(release, "%d.%d.%d", &x, &y, &z);
	return x != a ? x > a : y != b ? y > b : z >= c;
}

/* CONFIG_RANDOMIZE_MEMORY: page_offset_base, vmalloc_base and vmemmap_base hold the bases. */
static int randomized(struct vmf_direct *d, struct vmf_layout *l)
{
	uint64_t pob, vb, vmb;

	if (!d->have_syms || vd_symbol(d, "page_offset_base", &pob) || vd_symbol(d, "vmalloc_base", &vb) ||
	    vd_read_u64(d, pob, &l->page_offset) || vd_read_u64(d, vb, &l->vmalloc_start))
		return 0;
	l->vmalloc_end = l->vmalloc_start + (l->paging_levels == 5 ? TB(1280) : TB(32)) - 1;
	if (!vd_symbol(d, "vmemmap_base", &vmb) && !vd_read_u64(d, vmb, &l->vmemmap_start)) {
		l->vmemmap_end = l->vmemmap_start + TB(1) - 1;
	} else {
		l->vmemmap_start = VMEMMAP_VADDR_2_6_31;
		l->vmemmap_end = VMEMMAP_END_2_6_31;
	}
	return 1;
}

static void fixed(struct vmf_layout *l)
{
	if (l->paging_levels == 5) {
		l->page_offset = at_least(l->release, 4, 19, 5) ? PAGE_OFFSET_5LEVEL_4_20 : PAGE_OFFSET_5LEVEL;
		l->vmalloc_start = VMALLOC_START_5LEVEL;
		l->vmalloc_end = VMALLOC_END_5LEVEL;
		l->vmemmap_start = VMEMMAP_VADDR_5LEVEL;
		l->vmemmap_end = VMEMMAP_END_5LEVEL;
		return;
	}
	l->page_offset = at_least(l->release, 4, 19, 5) ? PAGE_OFFSET_4LEVEL_4_20 : PAGE_OFFSET_2_6_27;
	l->vmalloc_start = VMALLOC_START_2_6_31;
	l->vmalloc_end = VMALLOC_END_2_6_31;
	l->vmemmap_start = VMEMMAP_VADDR_2_6_31;
	l->vmemmap_end = VMEMMAP_END_2_6_31;
}

void vd_layout(struct vmf_direct *d, struct vmf_layout *l)
{
	int64_t bits;

	memset(l, 0, sizeof(*l));
	snprintf(l->release, sizeof(l->release), "%s", d->release);
	l->paging_levels = five_level(d) ? 5 : 4;
	if (vmf_dump_vi_number(d->dump, "MAX_PHYSMEM_BITS", &bits) == VMF_DUMP_OK && bits > 0 && bits < 64)
		l->max_physmem_bits = (unsigned)bits;
	else
		l->max_physmem_bits = l->paging_levels == 5 ? MAX_PHYSMEM_BITS_5LEVEL : MAX_PHYSMEM_BITS_2_6_31;
	l->kaslr_offset = d->kerneloffset;
	/*
	 * Tier 3 has no symbols: the kernel's randomized bases cannot be read, and
	 * crash's fixed defaults would be a guess on a KASLR kernel.  The ranges
	 * stay 0 (unknown) and the engine says so.
	 */
	if (d->tier == VMF_TIER_VMCOREINFO) {
		l->page_offset = 0;
		return;
	}
	if (!randomized(d, l))
		fixed(l);
}
