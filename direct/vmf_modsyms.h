/*
 * vmf_modsyms.h - the loaded modules and their symbols, read from the dump:
 * the `modules` list, each struct module's name and code range, and its
 * kallsyms (mod_kallsyms: an ELF symtab, its strtab and its type letters).
 *
 * crash reads the same mod_kallsyms for `sym` and `mod`; a module's own
 * vmalloc_fault (the factory's vmf_test) is found here as crash finds it.
 */
#ifndef VMF_MODSYMS_H
#define VMF_MODSYMS_H
#include <stddef.h>
#include <stdint.h>
#include "vmf_kread.h"
#include "vmf_symtab.h"
#include "vmf_btf.h"

#define VMF_MODULE_NAME_LEN 56    /* MODULE_NAME_LEN on 64-bit: 64 - sizeof(unsigned long) */
#define VMF_MODULES_MAX 65536     /* no kernel loads more: a longer list is damaged */

/* Member offsets (-1 absent); from BTF by vmf_modsyms_offsets_btf(), or filled by hand. */
struct vmf_mod_offsets {
	long list, name, name_len, kallsyms, core_base, core_size, core_text_size;
	long ks_symtab, ks_num_symtab, ks_strtab, ks_typetab;
};

struct vmf_module {
	char name[VMF_MODULE_NAME_LEN + 1];
	uint64_t addr;                  /* its struct module */
	uint64_t base, size, text_size; /* core_layout: where its code and data live */
	uint32_t nsyms;                 /* symbols kept from its mod_kallsyms */
	char why[200];                  /* "" or why its symbols could not be read */
};

struct vmf_modsyms {
	struct vmf_module *mods;
	size_t nmods;
	struct vmf_symtab syms;   /* every module's symbols; vmf_sym.mod indexes mods */
	char why[200];            /* "" when the list was walked back to its head */
};

/*
 * struct module and struct mod_kallsyms as BTF describes them.  core_layout is
 * a struct module_layout from 7523e4dc5057 (v4.5) until ac3b43283923 (v6.4)
 * replaced it with mem[]; -1 with a reason when a member is missing (6.4+ is
 * not read here).
 */
int vmf_modsyms_offsets_btf(const struct vmf_btf *b, struct vmf_mod_offsets *o, char *why, size_t whylen);

/*
 * Walk the list headed at modules_head (the symbol `modules`).  The walk is
 * bounded and cycle-checked: a damaged list stops with a reason in ms->why and
 * the modules read so far kept.  A module whose symbols are unreadable is kept
 * with its own reason.  -1 only when the head itself is unreadable.
 */
int vmf_modsyms_load(const struct vmf_kreader *r, uint64_t modules_head, const struct vmf_mod_offsets *o,
		     struct vmf_modsyms *ms, char *why, size_t whylen);
void vmf_modsyms_free(struct vmf_modsyms *ms);

/* The module whose core holds addr, or NULL. */
const struct vmf_module *vmf_modsyms_module_at(const struct vmf_modsyms *ms, uint64_t addr);
#endif
