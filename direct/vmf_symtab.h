/*
 * vmf_symtab.h - a symbol table filled from any source (a vmlinux's .symtab,
 * the kernel's own kallsyms, the modules' mod_kallsyms): name to address,
 * address to symbol+offset.
 *
 * Sorted by address the way the kernel's scripts/kallsyms sorts (a global,
 * non-weak name with fewer leading underscores first among aliases), so an
 * address gives the name the kernel itself would print, whichever source
 * filled the table.
 */
#ifndef VMF_SYMTAB_H
#define VMF_SYMTAB_H
#include <stddef.h>
#include <stdint.h>

#define VMF_SYM_KERNEL (-1)    /* vmf_sym.mod of a symbol of the kernel image */

struct vmf_sym {
	uint64_t addr;
	uint64_t size;    /* the source's own size (ELF st_size); 0 when it gives none */
	uint64_t span;    /* to the next higher address of the same module (or kernel) */
	uint32_t name;    /* offset in vmf_symtab.names */
	int32_t mod;      /* index in the caller's module list, or VMF_SYM_KERNEL */
	uint32_t seq;     /* order of addition: the last tie-breaker of the sort */
	char type;        /* nm's letter: T t D d R r B b A W ..., '?' when unknown */
	uint8_t rank;     /* among aliases, lower first: weak, linker-made, leading underscores */
};

struct vmf_symtab {
	struct vmf_sym *syms;     /* by address once vmf_symtab_finish() ran */
	size_t n, cap;
	char *names;
	size_t names_len, names_cap;
	uint32_t *by_name;        /* hash of names: index + 1 into syms, 0 empty */
	size_t by_name_size;      /* a power of two, at least twice n */
	size_t *runs;             /* where each module's run of syms starts, then n */
	size_t nruns;
	int finished;
	char source[96];          /* where the symbols came from, for the report */
};

void vmf_symtab_init(struct vmf_symtab *t, const char *source);
void vmf_symtab_free(struct vmf_symtab *t);

/* Room for n more symbols and names_bytes of names: one allocation instead of many. */
int vmf_symtab_reserve(struct vmf_symtab *t, size_t n, size_t names_bytes);

/* Add one symbol (name need not be NUL-terminated); -1 only when out of memory. */
int vmf_symtab_add(struct vmf_symtab *t, const char *name, size_t namelen, uint64_t addr,
		   uint64_t size, char type, int mod);

/* Sort and index; spans computed.  Call after the last add, before any lookup. */
int vmf_symtab_finish(struct vmf_symtab *t);

const char *vmf_symtab_name(const struct vmf_symtab *t, const struct vmf_sym *s);

/* The symbol of that name (a global one before a local one), or NULL. */
const struct vmf_sym *vmf_symtab_lookup(const struct vmf_symtab *t, const char *name);

/*
 * The symbol an address falls in: the preferred one of the highest address not
 * above addr, whose span covers addr.  NULL when none; *off set when found.
 */
const struct vmf_sym *vmf_symtab_at(const struct vmf_symtab *t, uint64_t addr, uint64_t *off);

/* The kernel's %pS form, "name+0xoff/0xspan"; "" (and -1) when no symbol holds addr. */
int vmf_symtab_format(const struct vmf_symtab *t, uint64_t addr, char *buf, size_t len);
#endif
