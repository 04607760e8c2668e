/*
 * vmf_kallsyms.h - the kernel's own symbol table (kallsyms) decoded from the
 * dump, for when no vmlinux is at hand.
 *
 * Two ways to find the tables, named in the symbol table's source:
 *  - VMCOREINFO gives their addresses from Linux 6.0 on (5fd8fea935a1
 *    "vmcoreinfo: include kallsyms symbols", f09bddbd8661 "vmcoreinfo: add
 *    kallsyms_num_syms symbol");
 *  - before that, vmf_kallsyms_locate() finds them in the kernel image: the
 *    token table (256 NUL-terminated strings) right before the token index
 *    (256 ascending u16 offsets into it), and from there the rest.
 * Either way a table is accepted only if it decodes _stext to the address
 * VMCOREINFO gives: nothing else tells a true table from a look-alike.
 */
#ifndef VMF_KALLSYMS_H
#define VMF_KALLSYMS_H
#include <stdint.h>
#include "vmf_kread.h"
#include "vmf_symtab.h"

/* Kernel-virtual addresses of the tables; 0 for one not known. */
struct vmf_kallsyms_loc {
	uint64_t num_syms, names, markers, token_table, token_index;
	uint64_t offsets, relative_base;   /* CONFIG_KALLSYMS_BASE_RELATIVE (x86-64 since 4.6) */
	uint64_t addresses;                /* otherwise: one absolute address per symbol */
};

/*
 * Decode the tables at loc into t (initialised and finished here), choosing
 * the address encoding that puts _stext at stext (VMCOREINFO's SYMBOL(_stext)).
 * how names the way the tables were found ("VMCOREINFO", "located in the
 * image").  -1 with a one-line reason: unreadable, inconsistent, or no
 * encoding reproduces _stext.
 */
int vmf_kallsyms_decode(const struct vmf_kreader *r, const struct vmf_kallsyms_loc *loc,
			uint64_t stext, const char *how, struct vmf_symtab *t, char *why, size_t whylen);

/*
 * Find the tables in [lo, hi) (the kernel image's read-only data: from _stext
 * up to a data symbol of VMCOREINFO such as init_uts_ns) and decode them into
 * t.  With cache_dir and build_id, where they were found is kept in
 * cache_dir/kallsyms-<build_id> (relative to _stext, so KASLR does not matter)
 * and tried first next time.  -1 with a one-line reason.
 */
int vmf_kallsyms_locate(const struct vmf_kreader *r, uint64_t lo, uint64_t hi, uint64_t stext,
			const char *cache_dir, const char *build_id, struct vmf_kallsyms_loc *loc,
			struct vmf_symtab *t, char *why, size_t whylen);
#endif
