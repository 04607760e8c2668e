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
#include "vmf_walk.h"

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

/* ---- tier 3: no symbols, so the bases come from the page tables and VMCOREINFO -------------- */

static int leaf_of_phys0(void *arg, const struct vmf_step *s, uint64_t va_start, uint64_t va_end)
{
	uint64_t *va = arg;

	(void)va_end;
	if (s->state != VMF_ENTRY_PRESENT || !s->leaf || s->frame != 0)
		return 0;
	*va = va_start;
	return 1;
}

/*
 * The direct map begins where the kernel half first maps physical 0: it maps
 * all RAM from page_offset_base on (init_mem_mapping() maps [0, 1 MiB) first),
 * and it is the lowest region of the kernel half (arch/x86/mm/kaslr.c
 * randomizes the direct map, vmalloc and vmemmap bases in that order).
 */
static uint64_t direct_map_start(struct vmf_direct *d, int levels)
{
	struct vmf_paging p;
	struct vmf_range_stats st;
	uint64_t root, top, va = 0;

	if (vd_symbol(d, "init_top_pgt", &top) || vmf_dump_virt_to_phys(d->dump, top, &root) != VMF_DUMP_OK)
		return 0;
	vmf_paging_x86_64(&p, levels, 0);
	memset(&st, 0, sizeof(st));
	vmf_walk_range(&p, &d->k.phys, root, levels == 5 ? 0xff00000000000000ULL : 0xffff800000000000ULL,
		       ~0ULL, p.depth, 4096, leaf_of_phys0, &va, &st);
	return va;
}

/*
 * vmap_area_list is in address order and alloc_vmap_area() searches upward
 * from VMALLOC_START: the first area starts at or above vmalloc_base (the
 * first vmalloc allocations of boot are never freed).  VMCOREINFO gives the
 * list and vmap_area.va_start/.list for this (makedumpfile's vmalloc range).
 */
static uint64_t first_vmap_area(struct vmf_direct *d)
{
	uint64_t head, first, list_off, start_off, va;

	if (vd_symbol(d, "vmap_area_list", &head) || vd_read_u64(d, head, &first) || first == head ||
	    vmf_dump_vi_offset(d->dump, "vmap_area.list", &list_off) != VMF_DUMP_OK ||
	    vmf_dump_vi_offset(d->dump, "vmap_area.va_start", &start_off) != VMF_DUMP_OK ||
	    vd_read_u64(d, first - list_off + start_off, &va))
		return 0;
	return va;
}

static void tier3_layout(struct vmf_direct *d, struct vmf_layout *l)
{
	l->page_offset = direct_map_start(d, l->paging_levels);
	l->vmalloc_start = first_vmap_area(d);
	if (l->vmalloc_start)
		l->vmalloc_end = l->vmalloc_start + (l->paging_levels == 5 ? TB(1280) : TB(32)) - 1;
	/* vmemmap_base is in no table VMCOREINFO names: unknown */
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
	 * crash's fixed defaults would be a guess on a KASLR kernel.  What the dump
	 * shows is used; what it does not stays 0 (unknown), and the engine says so.
	 */
	if (d->tier == VMF_TIER_VMCOREINFO) {
		tier3_layout(d, l);
		return;
	}
	if (!randomized(d, l))
		fixed(l);
}
