/*
 * vmf_evidence.h - turn what a front end can see of a dump (a reader, a few
 * symbols, the list of mms, the log text, a disassembly) into the facts of
 * a struct vmf_report.  No crash headers: unit-tested on synthetic tables.
 */
#ifndef VMF_EVIDENCE_H
#define VMF_EVIDENCE_H

#include "vmf_pt.h"
#include "vmf_diag.h"

/* One address space found on the kernel's own lists. */
struct vmf_mm_ref {
	uint64_t mm;               /* struct mm_struct address, 0 if unknown */
	uint64_t pgd_pa;           /* physical address of its top-level table */
	int pid;                   /* a task using it, -1 if none seen */
	char comm[20];
};

/* What a front end supplies about the dump. */
struct vmf_dump_view {
	const struct vmf_paging *p;
	const struct vmf_reader *rd;
	uint64_t init_root;        /* physical address of init_mm's top table */
	uint64_t page_offset, direct_map_end;
	uint64_t vmalloc_start, vmalloc_end;
	uint64_t vmemmap_start, vmemmap_end;

	/* The panic (or chosen) task's top table; task_root_known = 0 if unknown. */
	int task_root_known;
	uint64_t task_root;

	const struct vmf_mm_ref *mms;    /* every mm but init_mm */
	size_t nmms;
	const char *mms_source;          /* "pgd_list" or "init_task.tasks" */

	void *ctx;
	/* VMF_TRUE if paddr is in a "System RAM" resource, VMF_UNKNOWN if it can't tell. */
	enum vmf_tri (*phys_is_ram)(void *ctx, uint64_t paddr, char *src, size_t srclen);
	/*
	 * A name for an mm the list left unnamed (pid -1): 0 and pid/comm filled, or
	 * -1.  May be NULL.  Only the mms a report names are asked for, so a front
	 * end need not walk every task to name a few.
	 */
	int (*name_mm)(void *ctx, uint64_t mm, int *pid, char *comm, size_t commlen);
	/*
	 * The vmap area containing va: 0 and the fields filled; -1 if none holds it;
	 * -2 if the list could not be read to its end, the reason in caller.  May be NULL.
	 */
	int (*find_vmap)(void *ctx, uint64_t va, uint64_t *addr, uint64_t *size,
			 uint64_t *phys, char *caller, size_t callerlen);
};

/*
 * Last address of the direct map: at most 64 TiB (4-level) or 32 PiB (5-level)
 * from page_offset, but with KASLR the vmalloc and vmemmap areas follow the RAM
 * it maps closely, so it ends where the next region begins.
 */
uint64_t vmf_direct_map_end(int levels, uint64_t page_offset, uint64_t vmalloc_start,
			    uint64_t vmemmap_start);

/* A large leaf in init_mm whose frame is a given physical page. */
struct vmf_leaf {
	enum vmf_level kind;
	uint64_t va_start, va_end;
	uint64_t entry, entry_paddr, frame, size;
};

/*
 * Collect up to max leaves (pud/pmd, PSE) under root within [lo, hi] whose frame
 * is 'frame'.  Returns how many exist (may exceed max), or -1 if the walk was
 * cut short (limit); *stats says how much was read.
 */
long vmf_find_large_leaves(const struct vmf_paging *p, const struct vmf_reader *rd,
			   uint64_t root, uint64_t lo, uint64_t hi, uint64_t frame,
			   struct vmf_leaf *out, size_t max, struct vmf_range_stats *stats);

/*
 * Fill r->ev (phys, leaf, vmap, slot, mm tallies) and the DUMP facts from the
 * dump, given r->ev.oops already parsed.  Also runs the top-level audit of every
 * mm and adds notes on stale slots.  audit may be NULL; when given it is filled.
 */
void vmf_gather_dump_facts(struct vmf_report *r, const struct vmf_dump_view *v,
			   struct vmf_audit *audit);

/*
 * Read a disassembly of vmalloc_fault (gdb/objdump AT&T text, one instruction a
 * line "0x... <+N>:\tinsn", or "0xADDR:\tinsn" with base = the function's start) and tell whether it tests the PSE bit (0x80, or 0x81
 * with PRESENT) before fault_off (the faulting offset; -1 if the fault is not in
 * it).  A heuristic, and the note says so.
 */
enum vmf_tri vmf_code_large_check(const char *disasm, uint64_t base, long fault_off,
				  char *note, size_t notelen);

#endif
