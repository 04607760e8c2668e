/*
 * vmf_elfsyms.h - what a vmlinux ELF gives the direct engine: its .symtab,
 * relocated by the dump's KERNELOFFSET, its GNU build-id and its .BTF bytes.
 *
 * The file is mapped, not read: the -dbg vmlinux is 600 MB of which only the
 * symbol and string tables (and .BTF, when asked for) are touched.
 */
#ifndef VMF_ELFSYMS_H
#define VMF_ELFSYMS_H
#include <stddef.h>
#include <stdint.h>
#include "vmf_symtab.h"

struct vmf_elf {
	int fd;
	void *elf;                /* Elf *, kept opaque so callers need no libelf.h */
	char build_id[41];        /* hex, "" when the file has no build-id note */
	const void *btf;          /* the .BTF section, inside the mapping; NULL if none */
	size_t btf_size;
};

/* Open and map; -1 with a one-line reason (not found, not ELF, not x86-64). */
int vmf_elf_open(struct vmf_elf *e, const char *path, char *why, size_t whylen);
void vmf_elf_close(struct vmf_elf *e);

/*
 * Every defined symbol of .symtab into t (initialised and finished here).
 * kaslr_offset is added to the symbols of the kernel image (at or above
 * __START_KERNEL_map), not to absolute ones nor to the per-cpu offsets.
 */
int vmf_elf_symbols(struct vmf_elf *e, uint64_t kaslr_offset, struct vmf_symtab *t,
		    char *why, size_t whylen);

/* The kernel's text mapping base on x86-64 (__START_KERNEL_map). */
#define VMF_START_KERNEL_MAP 0xffffffff80000000ULL
#endif
