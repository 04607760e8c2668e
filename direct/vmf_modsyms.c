/*
 * vmf_modsyms.c - modules and their symbols from the dump (see vmf_modsyms.h).
 *
 * mod->kallsyms points at the core copy the module loader keeps
 * (add_kallsyms()/layout_symtab()): an Elf64_Sym array, its string table and,
 * from 1c7651f43777 (v5.2), a type letter per symbol in typetab.
 */
#include "vmf_modsyms.h"
#include "vmf_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELF64_SYM_SIZE 24          /* st_name u32, st_info, st_other, st_shndx u16, st_value, st_size */
#define MOD_SYMS_MAX (1u << 20)    /* a module's symbols: thousands at most */
#define MOD_NAME_READ 512          /* KSYM_NAME_LEN since b8a94bfb3395 (v6.1) */
#define MOD_STRTAB_MAX (4u << 20)  /* a module's names: kilobytes; more is a damaged symtab */

int vmf_modsyms_offsets_btf(const struct vmf_btf *b, struct vmf_mod_offsets *o, char *why, size_t whylen)
{
	struct vmf_btf_member m;
	struct { long *dst; const char *type, *path; } need[] = {
		{ &o->list, "module", "list" },
		{ &o->kallsyms, "module", "kallsyms" },
		{ &o->core_base, "module", "core_layout.base" },
		{ &o->core_size, "module", "core_layout.size" },
		{ &o->core_text_size, "module", "core_layout.text_size" },
		{ &o->ks_symtab, "mod_kallsyms", "symtab" },
		{ &o->ks_num_symtab, "mod_kallsyms", "num_symtab" },
		{ &o->ks_strtab, "mod_kallsyms", "strtab" },
	};

	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
		if ((*need[i].dst = vmf_btf_offset(b, need[i].type, need[i].path)) < 0) {
			snprintf(why, whylen, "BTF has no %s.%s", need[i].type, need[i].path);
			return -1;
		}
	if (vmf_btf_member(b, "module", "name", &m) || m.offset < 0 || m.size <= 0) {
		snprintf(why, whylen, "BTF has no module.name");
		return -1;
	}
	o->name = m.offset;
	o->name_len = m.size;
	o->ks_typetab = vmf_btf_offset(b, "mod_kallsyms", "typetab");   /* before v5.2: none */
	return 0;
}

/* The bytes of struct module from its first to its last member we read. */
struct mod_span {
	long lo, len;
};

static struct mod_span module_span(const struct vmf_mod_offsets *o)
{
	long lo = o->list, hi = o->list + 16;
	long f[][2] = { { o->name, o->name_len }, { o->kallsyms, 8 }, { o->core_base, 8 },
			{ o->core_size, 4 }, { o->core_text_size, 4 } };

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (f[i][0] < lo)
			lo = f[i][0];
		if (f[i][0] + f[i][1] > hi)
			hi = f[i][0] + f[i][1];
	}
	return (struct mod_span){ lo, hi - lo };
}

static uint64_t u64_at(const unsigned char *p, long off)
{
	uint64_t v;
	memcpy(&v, p + off, 8);
	return v;
}

static uint32_t u32_at(const unsigned char *p, long off)
{
	uint32_t v;
	memcpy(&v, p + off, 4);
	return v;
}

/*
 * One name of the module's strtab, read on its own when the bulk read of the
 * table stopped short of its NUL: up to the page end first, then on.
 */
static int read_name(const struct vmf_kreader *r, uint64_t va, char *out, size_t outlen)
{
	size_t got = 0;
	char why[8];

	while (got < outlen - 1) {
		size_t n = 4096 - ((va + got) & 4095);
		if (n > outlen - 1 - got)
			n = outlen - 1 - got;
		if (vmf_kread(r, va + got, out + got, n, why, sizeof(why)))
			return -1;
		if (memchr(out + got, 0, n))
			return 0;
		got += n;
	}
	out[outlen - 1] = 0;
	return 0;
}

/*
 * Symbols of one module's symtab into ms->syms.  Without typetab (before
 * 1c7651f43777) the type letter overwrote st_info or, in v5.0 and v5.1,
 * st_size: there no size is taken.
 */
static int add_symbols(struct vmf_modsyms *ms, int mi, const unsigned char *symtab, uint32_t n,
		       const char *strtab, size_t strsize, const char *types, char *why, size_t whylen)
{
	for (uint32_t i = 1; i < n; i++) {   /* entry 0 is the ELF null symbol */
		const unsigned char *s = symtab + (size_t)i * ELF64_SYM_SIZE;
		uint32_t name = u32_at(s, 0);
		uint16_t shndx;
		const char *nm;
		size_t len;

		memcpy(&shndx, s + 6, 2);
		if (shndx == 0 || name >= strsize)   /* undefined: another module's or the kernel's */
			continue;
		nm = strtab + name;
		len = strnlen(nm, strsize - name);
		if (!len || len == strsize - name)
			continue;
		if (vmf_symtab_add(&ms->syms, nm, len, u64_at(s, 8), types ? u64_at(s, 16) : 0,
				   types ? types[i] : '?', mi)) {
			snprintf(why, whylen, "out of memory for module symbols");
			return -1;
		}
		ms->mods[mi].nsyms++;
	}
	return 0;
}

/* The module's symtab, strtab and typetab; its symbols into ms->syms as module mi. */
static int module_symbols(const struct vmf_kreader *r, const struct vmf_mod_offsets *o, uint64_t ks,
			  struct vmf_modsyms *ms, int mi, char *why, size_t whylen)
{
	unsigned char hdr[64], *symtab = NULL;
	char *strtab = NULL, *types = NULL, rwhy[120] = "";
	uint64_t symtab_va, strtab_va, types_va = 0;
	uint32_t n, maxname = 0;
	long hdr_len = o->ks_symtab + 8;
	int rc = -1;

	if (o->ks_num_symtab + 4 > hdr_len)
		hdr_len = o->ks_num_symtab + 4;
	if (o->ks_strtab + 8 > hdr_len)
		hdr_len = o->ks_strtab + 8;
	if (o->ks_typetab >= 0 && o->ks_typetab + 8 > hdr_len)
		hdr_len = o->ks_typetab + 8;
	if (hdr_len > (long)sizeof(hdr) || vmf_kread(r, ks, hdr, (size_t)hdr_len, rwhy, sizeof(rwhy))) {
		snprintf(why, whylen, "mod_kallsyms at %llx unreadable: %.100s", (unsigned long long)ks, rwhy);
		return -1;
	}
	symtab_va = u64_at(hdr, o->ks_symtab);
	strtab_va = u64_at(hdr, o->ks_strtab);
	n = u32_at(hdr, o->ks_num_symtab);
	if (o->ks_typetab >= 0)
		types_va = u64_at(hdr, o->ks_typetab);
	if (n > MOD_SYMS_MAX || (n && (!symtab_va || !strtab_va))) {
		snprintf(why, whylen, "mod_kallsyms at %llx claims %u symbols", (unsigned long long)ks, n);
		return -1;
	}
	if (!n)
		return 0;
	if (!(symtab = malloc((size_t)n * ELF64_SYM_SIZE)) ||
	    vmf_kread(r, symtab_va, symtab, (size_t)n * ELF64_SYM_SIZE, rwhy, sizeof(rwhy))) {
		snprintf(why, whylen, "module symtab at %llx unreadable: %.100s", (unsigned long long)symtab_va, rwhy);
		goto out;
	}
	for (uint32_t i = 0; i < n; i++)
		if (u32_at(symtab, (long)i * ELF64_SYM_SIZE) > maxname)
			maxname = u32_at(symtab, (long)i * ELF64_SYM_SIZE);
	if (maxname > MOD_STRTAB_MAX) {
		snprintf(why, whylen, "module symtab at %llx names a string %u bytes in: damaged",
			 (unsigned long long)symtab_va, maxname);
		goto out;
	}
	if (!(strtab = calloc(1, (size_t)maxname + MOD_NAME_READ + 1)) ||
	    vmf_kread(r, strtab_va, strtab, (size_t)maxname + 1, rwhy, sizeof(rwhy))) {
		snprintf(why, whylen, "module strtab at %llx unreadable: %.100s", (unsigned long long)strtab_va, rwhy);
		goto out;
	}
	/* the last name runs past maxname: read it on its own, within its pages */
	read_name(r, strtab_va + maxname, strtab + maxname, MOD_NAME_READ);
	if (types_va && (types = malloc(n)) && vmf_kread(r, types_va, types, n, rwhy, sizeof(rwhy))) {
		free(types);
		types = NULL;
	}
	rc = add_symbols(ms, mi, symtab, n, strtab, (size_t)maxname + MOD_NAME_READ, types, why, whylen);
out:
	free(symtab);
	free(strtab);
	free(types);
	return rc;
}

/* One struct module into ms->mods (and its symbols); its list.next into *next. */
static int read_module(const struct vmf_kreader *r, const struct vmf_mod_offsets *o, uint64_t mod,
		       unsigned char *buf, struct mod_span sp, struct vmf_modsyms *ms, uint64_t *next,
		       char *why, size_t whylen)
{
	struct vmf_module *m, *grown;
	size_t nl = o->name_len < VMF_MODULE_NAME_LEN ? (size_t)o->name_len : VMF_MODULE_NAME_LEN;
	uint64_t ks;

	if (vmf_kread(r, mod + sp.lo, buf, (size_t)sp.len, why, whylen))
		return -1;
	if (!(grown = realloc(ms->mods, (ms->nmods + 1) * sizeof(*ms->mods)))) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	ms->mods = grown;
	m = &ms->mods[ms->nmods++];
	memset(m, 0, sizeof(*m));
	m->addr = mod;
	memcpy(m->name, buf + o->name - sp.lo, nl);
	m->name[nl] = 0;
	m->base = u64_at(buf, o->core_base - sp.lo);
	m->size = u32_at(buf, o->core_size - sp.lo);
	m->text_size = u32_at(buf, o->core_text_size - sp.lo);
	ks = u64_at(buf, o->kallsyms - sp.lo);
	if (!ks)
		snprintf(m->why, sizeof(m->why), "no kallsyms");
	else
		module_symbols(r, o, ks, ms, (int)(ms->nmods - 1), m->why, sizeof(m->why));
	*next = u64_at(buf, o->list - sp.lo);
	return 0;
}

int vmf_modsyms_load(const struct vmf_kreader *r, uint64_t modules_head, const struct vmf_mod_offsets *o,
		     struct vmf_modsyms *ms, char *why, size_t whylen)
{
	struct mod_span sp = module_span(o);
	struct vmf_list l;
	unsigned char *buf;
	uint64_t first, next;
	char rwhy[160] = "", what[64];

	memset(ms, 0, sizeof(*ms));
	vmf_symtab_init(&ms->syms, "modules' kallsyms");
	if (sp.len <= 0 || sp.len > 65536 || !(buf = malloc((size_t)sp.len))) {
		snprintf(why, whylen, "struct module offsets out of reason");
		return -1;
	}
	if (vmf_kread(r, modules_head, &first, 8, rwhy, sizeof(rwhy))) {
		snprintf(why, whylen, "modules list head %llx unreadable: %s", (unsigned long long)modules_head, rwhy);
		free(buf);
		return -1;
	}
	/* the engine's bounded, cycle-checked walk, as for every other kernel list */
	vmf_list_begin(&l, "modules list", "modules", modules_head, first, VMF_MODULES_MAX);
	while (vmf_list_next(&l)) {
		uint64_t mod = l.pos - (uint64_t)o->list;

		if (read_module(r, o, mod, buf, sp, ms, &next, rwhy, sizeof(rwhy))) {
			snprintf(what, sizeof(what), "struct module %llx unreadable", (unsigned long long)mod);
			vmf_list_broken(&l, what);
			break;
		}
		vmf_list_advance(&l, next);
	}
	if (l.end == VMF_LIST_BROKEN)   /* the read's own reason too: "excluded from the dump" */
		snprintf(ms->why, sizeof(ms->why), "%.97s: %.100s", l.why, rwhy);
	else if (l.end != VMF_LIST_DONE)
		snprintf(ms->why, sizeof(ms->why), "%s", l.why);
	free(buf);
	if (vmf_symtab_finish(&ms->syms)) {
		snprintf(why, whylen, "out of memory sorting module symbols");
		vmf_modsyms_free(ms);
		return -1;
	}
	return 0;
}

void vmf_modsyms_free(struct vmf_modsyms *ms)
{
	free(ms->mods);
	vmf_symtab_free(&ms->syms);
	memset(ms, 0, sizeof(*ms));
}

const struct vmf_module *vmf_modsyms_module_at(const struct vmf_modsyms *ms, uint64_t addr)
{
	for (size_t i = 0; i < ms->nmods; i++)
		if (addr >= ms->mods[i].base && addr - ms->mods[i].base < ms->mods[i].size)
			return &ms->mods[i];
	return NULL;
}
