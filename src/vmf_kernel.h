/*
 * vmf_kernel.h - what a data front supplies about a dump: primitives only.
 *
 * The crash extension implements them with crash's own calls (readmem, kvtop,
 * symbol_value, MEMBER_OFFSET, gdb's disassemble, ...); the direct engine with
 * libkdumpfile, ELF symbols, BTF and libopcodes.  Everything that decides what
 * the kernel's structures mean - which list to walk and how far, how to name an
 * mm, whether a page is RAM, which task faulted - is the engine's (kview.c), over
 * these primitives, so every front gives the same answers from the same dump.
 *
 * Conventions: 0 is success and -1 failure; a failed read says why in a short
 * reason ("page 1234000 excluded from the dump"); nothing is ever guessed.
 */
#ifndef VMF_KERNEL_H
#define VMF_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "vmf_tri.h"
#include "vmf_pt.h"

/* The dump's kernel layout, as the front read it (crash: machdep, kt). 0 = unknown. */
struct vmf_layout {
	int paging_levels;          /* 4 or 5, as the kernel ran (CR4.LA57) */
	unsigned max_physmem_bits;  /* MAX_PHYSMEM_BITS: entries pointing beyond are bad */
	uint64_t page_offset;       /* start of the direct map (randomized with KASLR) */
	uint64_t vmalloc_start, vmalloc_end;
	uint64_t vmemmap_start, vmemmap_end;   /* the struct page array (SPARSEMEM_VMEMMAP) */
	uint64_t kaslr_offset;      /* where the kernel image was moved to */
	char release[80];           /* init_uts_ns.name.release */
};

/* Where a function is: for vmalloc_fault, in the kernel proper or in a module. */
struct vmf_function {
	uint64_t start;
	uint64_t size;              /* 0 if the front does not know where it ends */
	char module[64];            /* "" for the kernel proper */
};

struct vmf_kernel {
	void *ctx;
	const char *name;           /* the front, in messages: "crash" */
	/*
	 * Why the front knows only a few symbols (the direct engine's tier 3:
	 * VMCOREINFO's), or NULL when it has the kernel's whole table.  A missing
	 * symbol then proves nothing: no task list, and no "the kernel has no X".
	 */
	const char *symbols_partial;
	struct vmf_layout layout;
	/* Physical memory, for the page tables. */
	struct vmf_reader phys;
	/* Kernel virtual memory: len bytes at kva, or -1 and why. */
	int (*read)(void *ctx, uint64_t kva, void *buf, size_t len, char *why, size_t whylen);
	/* Kernel virtual to physical, as the kernel's own page tables translate it. */
	int (*kvtop)(void *ctx, uint64_t kva, uint64_t *pa);
	/* A symbol's address (kernel or module); -1 if there is no such symbol. */
	int (*symbol)(void *ctx, const char *name, uint64_t *addr);
	/*
	 * An address as "symbol+offset" with the offset in decimal, or the symbol
	 * alone at offset 0 (crash's value_to_symstr); -1 if no symbol covers it.
	 */
	int (*addr_name)(void *ctx, uint64_t addr, char *buf, size_t len);
	/*
	 * Offset of type.member, looking inside anonymous structs and unions too;
	 * -1 if this kernel's type has no such member.  type is the bare name
	 * ("mm_struct"), without "struct".
	 */
	long (*member_offset)(void *ctx, const char *type, const char *member);
	long (*type_size)(void *ctx, const char *type);        /* -1 if unknown */
	/* The task that panicked (crash: tt->panic_task); -1 if the dump has none. */
	int (*panic_task)(void *ctx, uint64_t *task);
	/*
	 * The task a -c argument names in the front's own task table (crash:
	 * str_to_context, a PID or a task address); -1 if not found.  May be NULL:
	 * the engine then looks through init_task.tasks itself, as it does anyway
	 * when the front's table misses.
	 */
	int (*find_task)(void *ctx, const char *arg, uint64_t *task);
	/* The CPU a task last ran on (crash: task_context.processor); -1 unknown.  May be NULL. */
	int (*task_cpu)(void *ctx, uint64_t task);
	/* Where a function is; -1 if no such function. */
	int (*function)(void *ctx, const char *name, struct vmf_function *f);
	/*
	 * Disassembly of [start, end) onto out, gdb's AT&T text, one instruction a
	 * line beginning with its address ("   0xffffffffc0002004 <+4>:\tmov ...").
	 * May go past end inside the last instruction; -1 if it could not.
	 */
	int (*disassemble)(void *ctx, uint64_t start, uint64_t end, FILE *out);
	/*
	 * A CONFIG_ option from the kernel's own config (ikconfig): TRUE set (y, m or
	 * a value), FALSE not set, UNKNOWN when the front cannot read the config.
	 * May be NULL (= UNKNOWN).
	 */
	enum vmf_tri (*config)(void *ctx, const char *name);
};

#endif
