/*
 * vmf_direct_kernel.c - the engine's primitives (src/vmf_kernel.h) that are
 * reads and look-ups: memory, symbols (kernel, then modules), member offsets,
 * where a function is, its disassembly.  Each gives what the crash glue's
 * counterpart gives (extensions/vmfault_crash.c), in crash's forms.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_direct_internal.h"
#include "vmf_disasm.h"

/* ---- memory ------------------------------------------------------------------------ */

static int linear(struct vmf_direct *d, uint64_t kva, uint64_t *pa);

/* Kernel memory as crash reads it: the image and the direct map by arithmetic, the rest through the tables. */
int vd_read(void *ctx, uint64_t kva, void *buf, size_t len, char *why, size_t whylen)
{
	struct vmf_direct *d = ctx;
	uint64_t pa;
	enum vmf_dump_status st = linear(d, kva, &pa) ? vmf_dump_read_phys(d->dump, pa, buf, len)
						      : vmf_dump_read_virt(d->dump, kva, buf, len);

	if (st == VMF_DUMP_OK)
		return 0;
	snprintf(why, whylen, "%s", vmf_dump_err(d->dump));
	return -1;
}

int vd_read_u64(struct vmf_direct *d, uint64_t kva, uint64_t *v)
{
	char why[160];

	return vd_read(d, kva, v, sizeof(*v), why, sizeof(why));
}

static int read_phys(void *ctx, uint64_t paddr, void *buf, size_t len, char *why, size_t whylen)
{
	struct vmf_direct *d = ctx;

	if (vmf_dump_read_phys(d->dump, paddr, buf, len) == VMF_DUMP_OK)
		return 0;
	snprintf(why, whylen, "%s", vmf_dump_err(d->dump));
	return -1;
}

static int in_range(uint64_t a, uint64_t lo, uint64_t hi)
{
	return lo && a >= lo && a <= hi;
}

/*
 * crash's x86_64_kvtop: vmalloc, vmemmap and module addresses through the page
 * tables; the kernel image by arithmetic (__pa_symbol: the address less
 * __START_KERNEL_map, plus phys_base) and the direct map likewise (less
 * page_offset).  So init_mm and its table are found even where the page tables
 * that map the image are damaged, as crash finds them.  1 when kva is linear.
 */
static int linear(struct vmf_direct *d, uint64_t kva, uint64_t *pa)
{
	const struct vmf_layout *l = &d->k.layout;
	uint64_t end = 0;
	int64_t phys_base;

	if (in_range(kva, l->vmalloc_start, l->vmalloc_end) || in_range(kva, l->vmemmap_start, l->vmemmap_end))
		return 0;
	if (kva >= VMF_START_KERNEL_MAP) {
		if (!d->have_syms || vd_symbol(d, "_end", &end) || kva >= end ||
		    vmf_dump_vi_number(d->dump, "phys_base", &phys_base) != VMF_DUMP_OK)
			return 0;
		*pa = kva - VMF_START_KERNEL_MAP + (uint64_t)phys_base;
		return 1;
	}
	if (l->page_offset && l->max_physmem_bits && kva >= l->page_offset &&
	    kva - l->page_offset < (1ULL << l->max_physmem_bits)) {
		*pa = kva - l->page_offset;
		return 1;
	}
	return 0;
}

static int kvtop(void *ctx, uint64_t kva, uint64_t *pa)
{
	struct vmf_direct *d = ctx;

	if (linear(d, kva, pa))
		return 0;
	return vmf_dump_virt_to_phys(d->dump, kva, pa) == VMF_DUMP_OK ? 0 : -1;
}

/* ---- modules: read at the first look-up the kernel's own table cannot answer ---------- */

/* struct module's init region, where crash puts its _MODULE_INIT_START_<name> symbol. */
static void read_inits(struct vmf_direct *d)
{
	long base = vmf_btf_offset(&d->btf, "module", "init_layout.base");
	long size = vmf_btf_offset(&d->btf, "module", "init_layout.size");
	size_t i;

	if (base < 0 || size < 0 || !(d->inits = calloc(d->mods.nmods ? d->mods.nmods : 1, sizeof(*d->inits))))
		return;
	for (i = 0; i < d->mods.nmods; i++) {
		const struct vmf_module *m = &d->mods.mods[i];
		uint64_t b = 0;
		uint32_t s = 0;
		char why[160];

		if (vd_read(d, m->addr + (uint64_t)base, &b, sizeof(b), why, sizeof(why)) ||
		    vd_read(d, m->addr + (uint64_t)size, &s, sizeof(s), why, sizeof(why)) || !b || !s)
			continue;
		d->inits[d->ninits].base = b;
		d->inits[d->ninits].size = s;
		d->inits[d->ninits++].name = m->name;
	}
}

void vd_load_modules(struct vmf_direct *d)
{
	struct vmf_mod_offsets o;
	const struct vmf_sym *head;
	char why[300];

	if (d->mods_tried)
		return;
	d->mods_tried = 1;
	memset(&d->mods, 0, sizeof(d->mods));
	if (!d->have_btf || !(head = vmf_symtab_lookup(&d->syms, "modules")) ||
	    vmf_modsyms_offsets_btf(&d->btf, &o, why, sizeof(why)) ||
	    vmf_modsyms_load(&d->r, head->addr, &o, &d->mods, why, sizeof(why)))
		return;
	d->have_mods = 1;
	read_inits(d);
}

/* ---- symbols ------------------------------------------------------------------------- */

/* Tier 3 has VMCOREINFO's symbols only; tiers 1 and 2 the kernel's, then the modules'. */
int vd_symbol(void *ctx, const char *name, uint64_t *addr)
{
	struct vmf_direct *d = ctx;
	const struct vmf_sym *s;

	if (!d->have_syms)
		return vmf_dump_vi_symbol(d->dump, name, addr) == VMF_DUMP_OK ? 0 : -1;
	if ((s = vmf_symtab_lookup(&d->syms, name))) {
		*addr = s->addr;
		return 0;
	}
	vd_load_modules(d);
	if (d->have_mods && (s = vmf_symtab_lookup(&d->mods.syms, name))) {
		*addr = s->addr;
		return 0;
	}
	return -1;
}

/* crash's value_to_symstr: "name+offset" in decimal, the name alone at offset 0. */
static int addr_name(void *ctx, uint64_t addr, char *buf, size_t len)
{
	struct vmf_direct *d = ctx;
	const struct vmf_symtab *t = &d->syms;
	const struct vmf_sym *s;
	uint64_t off = 0;
	size_t i;

	if (!d->have_syms)
		return -1;
	if (!(s = vmf_symtab_at(t, addr, &off))) {
		vd_load_modules(d);
		for (i = 0; i < d->ninits; i++)
			if (addr >= d->inits[i].base && addr < d->inits[i].base + d->inits[i].size) {
				snprintf(buf, len, "_MODULE_INIT_START_%s+%llu", d->inits[i].name,
					 (unsigned long long)(addr - d->inits[i].base));
				return 0;
			}
		t = &d->mods.syms;
		if (!d->have_mods || !(s = vmf_symtab_at(t, addr, &off)))
			return -1;
	}
	if (off)
		snprintf(buf, len, "%s+%llu", vmf_symtab_name(t, s), (unsigned long long)off);
	else
		snprintf(buf, len, "%s", vmf_symtab_name(t, s));
	return 0;
}

/* ---- types: VMCOREINFO first (the kernel's own word), then BTF ---------------------------- */

long vd_member_offset(void *ctx, const char *type, const char *member)
{
	struct vmf_direct *d = ctx;
	char key[160];
	uint64_t v;

	snprintf(key, sizeof(key), "%s.%s", type, member);
	if (vmf_dump_vi_offset(d->dump, key, &v) == VMF_DUMP_OK)
		return (long)v;
	return d->have_btf ? vmf_btf_offset(&d->btf, type, member) : -1;
}

static long type_size(void *ctx, const char *type)
{
	struct vmf_direct *d = ctx;
	uint64_t v;

	if (vmf_dump_vi_size(d->dump, type, &v) == VMF_DUMP_OK)
		return (long)v;
	return d->have_btf ? vmf_btf_size(&d->btf, type) : -1;
}

/* ---- code ------------------------------------------------------------------------------ */

/* crash's symbol_search + next_symbol: the extent to the next symbol; the module that holds it. */
static int function(void *ctx, const char *name, struct vmf_function *f)
{
	struct vmf_direct *d = ctx;
	const struct vmf_sym *s;
	const struct vmf_symtab *t = &d->syms;

	if (!d->have_syms)
		return -1;
	memset(f, 0, sizeof(*f));
	if (!(s = vmf_symtab_lookup(t, name))) {
		vd_load_modules(d);
		t = &d->mods.syms;
		if (!d->have_mods || !(s = vmf_symtab_lookup(t, name)))
			return -1;
		snprintf(f->module, sizeof(f->module), "%s", d->mods.mods[s->mod].name);
	}
	f->start = s->addr;
	f->size = s->span;
	return 0;
}

/* gdb's "<name+off>" for jump and call targets (decimal offset). */
static int symbolize(void *ctx, uint64_t addr, char *buf, size_t len)
{
	return addr_name(ctx, addr, buf, len);
}

#define INSN_MAX 15    /* the last instruction may end past the range, as with gdb */

static int disassemble(void *ctx, uint64_t start, uint64_t end, FILE *out)
{
	struct vmf_direct *d = ctx;
	char why[300], name[160] = "", *text, *plus;
	unsigned char *code;
	size_t len;

	if (end <= start || end - start > (1u << 20) || !(code = malloc(end - start + INSN_MAX)))
		return -1;
	len = end - start + INSN_MAX;
	if (vd_read(d, start, code, len, why, sizeof(why)) && (len = end - start) &&
	    vd_read(d, start, code, len, why, sizeof(why))) {
		free(code);
		return -1;
	}
	if (addr_name(d, start, name, sizeof(name)) == 0 && (plus = strchr(name, '+')))
		*plus = 0;
	text = vmf_disasm(code, len, start, end, name[0] ? name : NULL, symbolize, d, why, sizeof(why));
	free(code);
	if (!text)
		return -1;
	fputs(text, out);
	free(text);
	return 0;
}

void vd_kernel_primitives(struct vmf_direct *d)
{
	struct vmf_kernel *k = &d->k;

	k->ctx = d;
	k->name = "the direct engine";
	k->phys.ctx = d;
	k->phys.read_phys = read_phys;
	k->read = vd_read;
	k->kvtop = kvtop;
	k->symbol = vd_symbol;
	k->addr_name = addr_name;
	k->member_offset = vd_member_offset;
	k->type_size = type_size;
	k->panic_task = vd_panic_task;
	k->find_task = vd_find_task;   /* the CPUs' tasks; else the engine walks init_task.tasks */
	k->task_cpu = vd_task_cpu;
	k->function = function;
	k->disassemble = disassemble;
	k->config = vd_config;
}
