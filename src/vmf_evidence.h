/*
 * vmf_evidence.h - what was measured: the evidence of a report, the view of a
 * dump the page-table gatherer measures it from, and the gatherers.
 *
 * Gatherers measure and record; they decide nothing.  diag.c turns this evidence
 * into facts (vmf_facts_from_log, vmf_facts_from_dump) and the facts into a
 * verdict.  No crash headers: unit-tested on synthetic tables.
 */
#ifndef VMF_EVIDENCE_H
#define VMF_EVIDENCE_H

#include "vmf_tri.h"
#include "vmf_pt.h"
#include "vmf_walk.h"
#include "vmf_audit.h"
#include "vmf_oops.h"
#include "vmf_fixwindow.h"

/* The kernel's address regions, from the dump's layout; 0 where not known. */
struct vmf_regions {
	uint64_t page_offset, direct_map_end;
	uint64_t vmalloc_start, vmalloc_end;
	uint64_t vmemmap_start, vmemmap_end;
};

/* What the kernel is: its version, paging, regions and the code of vmalloc_fault. */
struct vmf_kernel_facts {
	struct vmf_version version;
	enum vmf_tri hugetlbfs;            /* CONFIG_HUGETLBFS (from IKCONFIG or symbols) */
	char hugetlbfs_source[80];
	enum vmf_tri has_vmalloc_fault;    /* symbol present in kernel or a module */
	char vmalloc_fault_where[64];      /* "kernel" or "module NAME" */
	uint64_t vmalloc_fault_addr;
	enum vmf_tri code_large_check;     /* the code tests PSE before the lower dereference */
	char code_note[240];               /* what the disassembly showed */
	int paging_levels;                 /* 4 or 5 */
	int p4d_folded;
	uint64_t kaslr_offset;
	struct vmf_regions regions;
};

/* The task whose page table the evidence uses: the oops', -c's, or the panic task. */
struct vmf_task_evidence {
	int pid;
	char comm[32];
	uint64_t task, mm, pgd_va, pgd_pa;
	int cpu;
	char source[80];                   /* "panic task", "-c 123", "the oops' PID 92" */
};

/* A large leaf in init_mm whose frame is a given physical page. */
struct vmf_leaf {
	enum vmf_level kind;               /* VMF_PUD or VMF_PMD */
	uint64_t va_start, va_end;
	uint64_t entry, entry_paddr, frame, size;
};

/* How the search for such leaves went: what "none found" is worth. */
struct vmf_leaf_search {
	uint64_t frame;                    /* the page searched for */
	long found;                        /* leaves with that frame; -1 if the walk was cut short */
	unsigned unsynced;                 /* ... in top-level slots some mm lacks */
	struct vmf_range_stats stats;      /* tables read, unreadable, limited */
};

/* The vmap area holding the leaf (vmap_area_list). */
struct vmf_vmap {
	uint64_t addr, size, phys;
	char caller[96];                   /* vm_struct.caller as "symbol+offset" */
};

#define VMF_MAX_NAMES 64

/* The top-level slot of the leaf (or of the fault address) across every mm. */
struct vmf_slot_evidence {
	unsigned slot;
	char top_name[4];                  /* what the kernel calls the slot: "pgd" or "p4d" */
	uint64_t start, end;
	uint64_t init_entry;
	int task_root_known;               /* the faulting task's page table was found */
	enum vmf_slot_cmp task_cmp;        /* SAME = synced, MISSING, ...; UNREADABLE if unknown */
	uint64_t task_entry;
	unsigned long mms_total, mms_lacking, mms_differ, mms_unreadable;
	char mms_source[80];               /* "pgd_list, 1234 pgds; 1300 tasks (1234 mms)" */
	char mms_unknown[160];             /* "" or why no mm list could be read: the counts mean nothing */
	int nlacking_names;
	char lacking_names[VMF_MAX_NAMES][24];   /* "1234 bash" */
};

struct vmf_evidence {
	/* 1. the oops */
	int have_log;
	struct vmf_oops oops;
	char log_source[64];               /* "crash log (N bytes)", "file.txt" */

	int have_task;
	struct vmf_task_evidence task;

	/* the page tables were read: init_mm's top-level table, and every mm's */
	int have_tables;

	/* 2. the fault address in the direct map */
	int have_phys;
	uint64_t fault_phys;
	enum vmf_tri phys_is_ram;
	char ram_source[80];

	/* 3. the large leaf in init_mm with that frame, and its vmap area */
	int searched_leaves;
	struct vmf_leaf_search search;
	int have_leaf;
	struct vmf_leaf leaf;
	uint64_t target_lo, target_hi;     /* vmalloc_fault's address lay here (from the index) */
	int have_vmap;
	struct vmf_vmap vmap;

	/* 4. the top-level slot of that range (or of the fault address) */
	int have_slot;
	struct vmf_slot_evidence slot;

	/* 5. the kernel */
	struct vmf_kernel_facts kernel;
	struct vmf_fix_window window;
};

/* What a front end (or the engine's kernel view, kview.c) supplies about the dump. */
struct vmf_dump_view {
	const struct vmf_paging *p;
	const struct vmf_reader *rd;
	uint64_t init_root;        /* physical address of init_mm's top table */
	struct vmf_regions regions;

	/* The panic (or chosen) task's top table; task_root_known = 0 if unknown. */
	int task_root_known;
	uint64_t task_root;

	const struct vmf_mm_ref *mms;    /* every mm but init_mm */
	size_t nmms;
	const char *mms_source;          /* "pgd_list, ..." or "init_task.tasks, ..." */
	const char *mms_unknown;         /* NULL, or why there is no mm list at all (mms then empty) */

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

/*
 * Collect up to max leaves (pud/pmd, PSE) under root within [lo, hi] whose frame
 * is 'frame'.  Returns how many exist (may exceed max), or -1 if the walk was
 * cut short (limit); *stats says how much was read.
 */
long vmf_find_large_leaves(const struct vmf_paging *p, const struct vmf_reader *rd,
			   uint64_t root, uint64_t lo, uint64_t hi, uint64_t frame,
			   struct vmf_leaf *out, size_t max, struct vmf_range_stats *stats);

struct vmf_report;

/*
 * Measure the dump's page tables into r->ev (phys, leaf, vmap, slot, tallies),
 * given r->ev.oops already parsed.  Audits every mm; what it observes on the way
 * (stale slots elsewhere, an unreadable init_mm, a broken vmap list) becomes a
 * note.  Decides nothing: vmf_facts_from_dump does.  audit may be NULL; when
 * given it is filled.  Returns 0, or -1 when memory ran out (r->error says so).
 */
int vmf_gather_dump_evidence(struct vmf_report *r, const struct vmf_dump_view *v,
			     struct vmf_audit *audit);

/*
 * Read a disassembly of vmalloc_fault (gdb/objdump AT&T text, one instruction a
 * line "0x... <+N>:\tinsn", or "0xADDR:\tinsn" with base = the function's start)
 * and tell whether it tests the PSE bit (0x80, or 0x81 with PRESENT) before
 * fault_off (the faulting offset; -1 if the fault is not in it).  A heuristic,
 * and the note says so.
 */
enum vmf_tri vmf_code_large_check(const char *disasm, uint64_t base, long fault_off,
				  char *note, size_t notelen);
/* Address of a disassembly line ("   0xffffffffc0002004:\t...", "=> 0x..."): 0 and *addr, or -1. */
int vmf_insn_addr(const char *line, uint64_t *addr);

#endif
