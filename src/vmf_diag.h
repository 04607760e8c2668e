/*
 * vmf_diag.h - facts, the signature catalog (data), the fix window, the verdict,
 * and the report writers (crash-style text and JSON).
 *
 * A front end (crash extension, CLI, tests) fills a struct vmf_report's facts
 * from whatever it can see; vmf_evaluate() decides; vmf_report_text/json print.
 * Nothing here reads memory.
 */
#ifndef VMF_DIAG_H
#define VMF_DIAG_H

#include <stdio.h>
#include <stdint.h>
#include "vmf_pt.h"
#include "vmf_oops.h"

/* In every JSON object: triage's --resume reruns a dump when the version changes. */
#define VMF_VERSION "0.4.0"

enum vmf_tri { VMF_UNKNOWN = 0, VMF_TRUE, VMF_FALSE };

/* Where a condition's evidence can come from: text-only triage can see only LOG. */
enum vmf_cond_source { VMF_SRC_LOG = 0, VMF_SRC_DUMP, VMF_SRC_KERNEL };

/*
 * Every condition a signature may name.  Each is computed from the dump (or the
 * log text) by a front end; the catalog only names them.
 */
enum vmf_cond {
	VMF_C_OOPS_FAULT_ADDR = 0, /* the log has a kernel page-fault oops with an address */
	VMF_C_RIP_VMALLOC_FAULT,   /* the faulting RIP is in a function named vmalloc_fault */
	VMF_C_FAULT_IN_DIRECT_MAP, /* the fault address lies in the direct map */
	VMF_C_FAULT_PHYS_NOT_RAM,  /* __pa(fault address) is not System RAM */
	VMF_C_LARGE_PUD_FRAME,     /* a 1G leaf pud in init_mm (vmalloc/ioremap area) has that frame */
	VMF_C_LARGE_PMD_FRAME,     /* a 2M leaf pmd in init_mm (vmalloc/ioremap area) has that frame */
	VMF_C_LARGE_SLOT_UNSYNCED, /* that leaf's top-level slot is missing from >= 1 mm */
	VMF_C_OOPS_TOP_ZERO,       /* the oops' page-table line shows PGD 0 or P4D 0 */
	VMF_C_FAULT_IN_VMALLOC,    /* the fault address is in the vmalloc/ioremap range */
	VMF_C_FAULT_IN_VMEMMAP,    /* the fault address is in the vmemmap range */
	VMF_C_FAULT_SLOT_MISSING,  /* the fault address's top slot: init_mm present, task missing */
	VMF_C_BUG_IN_VMALLOC_FAULT,/* "kernel BUG at arch/x86/mm/fault.c" with RIP in vmalloc_fault */
	VMF_C_FIX1_INERT,          /* kernel has f4eafd8bcd52 but CONFIG_HUGETLBFS=n and no 18a955219bf7 */
	VMF_C_NO_VMALLOC_FAULT,    /* x86-64 kernel without vmalloc_fault (>= 5.8, 7f0a002b5a21) */
	VMF_NCONDS
};

struct vmf_cond_info {
	enum vmf_cond cond;
	const char *name;          /* "rip_in_vmalloc_fault": stable, used in JSON */
	const char *text;          /* human sentence */
	enum vmf_cond_source source;
};
extern const struct vmf_cond_info vmf_conds[VMF_NCONDS];

struct vmf_fact {
	enum vmf_tri state;
	char detail[240];          /* the values and where they came from */
};

/* ---- catalog ------------------------------------------------------------ */

struct vmf_fix {
	const char *commit;        /* 12+ hex digits */
	const char *title;
	const char *version;       /* mainline release that has it: "v4.5" */
	const char *stable;        /* "Cc: stable 4.1+; 4.1.y, 4.4.y (in 4.4.123)" */
};

#define VMF_SIG_MAX_CONDS 8
#define VMF_SIG_MAX_FIXES 4
#define VMF_SIG_MAX_REFS  4

struct vmf_signature {
	const char *id;            /* "VMF-LARGE-PUD" */
	const char *title;
	int primary;               /* 1: this is the signature (MATCH); 0: a relative (RELATED) */
	enum vmf_cond require[VMF_SIG_MAX_CONDS];   /* must be TRUE */
	int nrequire;
	enum vmf_cond forbid[VMF_SIG_MAX_CONDS];    /* must be FALSE */
	int nforbid;
	struct vmf_fix fix[VMF_SIG_MAX_FIXES];
	int nfix;
	const char *workaround;
	const char *explanation;
	const char *refs[VMF_SIG_MAX_REFS];
	int nrefs;
};

extern const struct vmf_signature vmf_catalog[];
extern const int vmf_catalog_len;
const struct vmf_signature *vmf_signature_by_id(const char *id);

/* ---- fix window (which fix this kernel version has) --------------------- */

enum vmf_fix_state {
	VMF_FIX_UNKNOWN = 0,       /* no usable version */
	VMF_FIX_NOT_AFFECTED,      /* before v4.1: no huge ioremap */
	VMF_FIX_MISSING,           /* in the window, without f4eafd8bcd52 */
	VMF_FIX_UNCERTAIN,         /* a stable series whose backport release is not verified */
	VMF_FIX_INERT,             /* f4eafd8bcd52 present, CONFIG_HUGETLBFS=n, no 18a955219bf7 */
	VMF_FIX_PRESENT,           /* the fix works on this kernel */
	VMF_FIX_NO_VMALLOC_FAULT,  /* x86-64 >= v5.8: vmalloc_fault is gone */
};

struct vmf_version {
	int ok;
	int major, minor, patch;   /* patch = -1 when not given */
	char release[80];
};
int vmf_parse_release(const char *release, struct vmf_version *v);

struct vmf_fix_window {
	enum vmf_fix_state state;
	enum vmf_tri has_fix1;     /* f4eafd8bcd52 by version */
	enum vmf_tri has_fix2;     /* 18a955219bf7 by version */
	char why[320];             /* the reasoning, citing commits and releases */
};
void vmf_fix_window_eval(const struct vmf_version *v, enum vmf_tri hugetlbfs,
			 struct vmf_fix_window *w);
const char *vmf_fix_state_name(enum vmf_fix_state s);

/* ---- facts gathered by a front end -------------------------------------- */

#define VMF_MAX_NAMES 64

struct vmf_kernel_facts {
	struct vmf_version version;
	enum vmf_tri hugetlbfs;            /* CONFIG_HUGETLBFS (from IKCONFIG or symbols) */
	char hugetlbfs_source[80];
	enum vmf_tri has_vmalloc_fault;    /* symbol present in kernel or a module */
	char vmalloc_fault_where[64];      /* "kernel" or the module name */
	uint64_t vmalloc_fault_addr;
	enum vmf_tri code_large_check;     /* the code tests PSE before the lower dereference */
	char code_note[240];               /* what the disassembly showed */
	int paging_levels;                 /* 4 or 5 */
	int p4d_folded;
	uint64_t kaslr_offset;
	uint64_t page_offset;
	uint64_t vmalloc_start, vmalloc_end;
	uint64_t vmemmap_start, vmemmap_end;
};

struct vmf_evidence {
	/* 1. the oops */
	int have_log;
	struct vmf_oops oops;
	char log_source[64];               /* "crash log", "file.txt" */

	/* the panic task */
	int have_task;
	int task_pid;
	char task_comm[32];
	uint64_t task_addr, task_mm, task_pgd_va, task_pgd_pa;
	int task_cpu;
	char task_source[80];              /* "panic task (crash)", "-c 123" */

	/* 2. the fault address in the direct map */
	int have_phys;
	uint64_t fault_phys;
	enum vmf_tri phys_is_ram;
	char ram_source[80];

	/* 3. the large leaf in init_mm with that frame */
	int have_leaf;
	enum vmf_level leaf_kind;          /* VMF_PUD or VMF_PMD */
	uint64_t leaf_va_start, leaf_va_end;
	uint64_t leaf_entry, leaf_entry_paddr, leaf_frame, leaf_size;
	unsigned leaf_candidates;          /* leaves with that frame */
	unsigned leaf_candidates_unsynced; /* ... in slots missing from some mm */
	uint64_t target_lo, target_hi;     /* vmalloc_fault's address lies here (from the index) */
	int have_vmap;
	uint64_t vm_addr, vm_size, vm_phys;
	char vm_caller[96];

	/* 4. the top-level slot of that range (or of the fault address) */
	int have_slot;
	unsigned slot;
	uint64_t slot_start, slot_end;
	uint64_t init_entry;
	enum vmf_slot_cmp task_slot;       /* SAME = synced, MISSING, ... */
	uint64_t task_entry;
	unsigned long mms_total, mms_lacking, mms_differ, mms_unreadable;
	char mms_source[80];               /* "pgd_list (1234 pgds)" */
	int nlacking_names;
	char lacking_names[VMF_MAX_NAMES][24];   /* "1234 bash" */

	/* 5. the kernel */
	struct vmf_kernel_facts kernel;
	struct vmf_fix_window window;
};

#define VMF_MAX_NOTES 12

struct vmf_report {
	struct vmf_evidence ev;
	struct vmf_fact fact[VMF_NCONDS];
	/* filled by vmf_evaluate */
	enum { VMF_V_MATCH = 0, VMF_V_RELATED, VMF_V_NO_MATCH, VMF_V_INCONCLUSIVE } verdict;
	const struct vmf_signature *sig;   /* the match, relative, or nearest candidate */
	int text_only;                     /* no dump: page-table conditions could not be checked */
	char missing[240];                 /* INCONCLUSIVE: what is missing */
	char confidence[320];               /* room for every condition name: never cut */
	int nnotes;
	char notes[VMF_MAX_NOTES][240];    /* observations: stale slots, window/code disagreement */
	char recommendation[600];
};

void vmf_report_init(struct vmf_report *r);
void vmf_set_fact(struct vmf_report *r, enum vmf_cond c, enum vmf_tri s, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 4, 5)))
#endif
	;
void vmf_add_note(struct vmf_report *r, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

/*
 * Derive the log-only facts from r->ev.oops (OOPS_FAULT_ADDR, RIP_VMALLOC_FAULT,
 * OOPS_TOP_ZERO, BUG_IN_VMALLOC_FAULT) and the kernel facts (FIX1_INERT,
 * NO_VMALLOC_FAULT, the fix window).  Front ends call this, then add dump facts.
 */
void vmf_facts_from_log(struct vmf_report *r);
/* Decide the verdict, the recommendation and the notes. */
void vmf_evaluate(struct vmf_report *r);
const char *vmf_verdict_name(int verdict);

/* ---- writers ------------------------------------------------------------ */

void vmf_report_text(FILE *fp, const struct vmf_report *r, int verbose);
/* One JSON object, on one line, newline-terminated. */
void vmf_report_json(FILE *fp, const struct vmf_report *r);

/* ptwalk: two walks of the same address side by side, crash vtop style. */
void vmf_print_walk(FILE *fp, const struct vmf_paging *p, const char *label,
		    const struct vmf_walk *w);
void vmf_print_walk_pair(FILE *fp, const struct vmf_paging *p,
			 const char *label_a, const struct vmf_walk *a,
			 const char *label_b, const struct vmf_walk *b);
void vmf_walk_json(FILE *fp, const struct vmf_paging *p, const char *label_a,
		   const struct vmf_walk *a, const char *label_b, const struct vmf_walk *b);

/* ptaudit: per deviating slot, its range, init_mm's entry and the tallies. */
void vmf_print_audit(FILE *fp, const struct vmf_audit *a, int verbose);
void vmf_audit_json(FILE *fp, const struct vmf_audit *a);

/* JSON string helper used by the writers (escapes quotes, backslashes, controls). */
void vmf_json_str(FILE *fp, const char *s);

#endif
