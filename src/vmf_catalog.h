/*
 * vmf_catalog.h - the conditions a signature may name, and the signatures
 * themselves, as data (catalog.c).  Nothing here decides: diag.c tests the
 * catalog against the facts.
 */
#ifndef VMF_CATALOG_H
#define VMF_CATALOG_H

/*
 * Where a condition's evidence can come from: text-only triage can see only LOG.
 * RELEASE: the kernel release alone, which a dump always has and a log only when
 * it kept the oops' CPU line; unknown from a log, it is left to the dump, as DUMP is.
 */
enum vmf_cond_source { VMF_SRC_LOG = 0, VMF_SRC_DUMP, VMF_SRC_KERNEL, VMF_SRC_RELEASE };

/*
 * Every condition a signature may name.  Each is decided from the dump (or the
 * log text) by diag.c; the catalog only names them.
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
	VMF_C_LEAF_UNDECIDED,      /* text only: nothing in the log tells a 1G pud leaf from a 2M pmd leaf */
	VMF_C_VMEMMAP_UNSYNCED,    /* kernel >= v5.13 (8d400913c231): vmemmap population can leave a
				      new top-level entry unsynced, until 6659d0279980 */
	VMF_NCONDS
};

struct vmf_cond_info {
	enum vmf_cond cond;
	const char *name;          /* "rip_in_vmalloc_fault": stable, used in JSON */
	const char *text;          /* human sentence */
	enum vmf_cond_source source;
};
extern const struct vmf_cond_info vmf_conds[VMF_NCONDS];

/*
 * How a fact of the catalog was established: read in a primary source (the
 * commit, the stable queue, a stable review or release mail), inferred from
 * such a source (a date, a review batch), or not confirmed at all.  Every fact
 * carries its source beside it, and docs/catalog.md prints both.
 */
enum vmf_basis { VMF_VERIFIED = 0, VMF_INFERRED, VMF_UNVERIFIED };
const char *vmf_basis_name(enum vmf_basis b);

#define VMF_NEVER       (-1)       /* the stable series never got the fix */
#define VMF_NOT_CHECKED (-2)       /* whether it did was not checked */

/* A stable series and the first of its releases that carries a fix. */
struct vmf_backport {
	int major, minor;          /* the series: 4, 4 */
	int first;                 /* 3: from 4.4.3 on; VMF_NEVER; VMF_NOT_CHECKED */
	enum vmf_basis basis;
	const char *source;        /* where that was read, or why it is inferred */
};

#define VMF_FIX_MAX_STABLE 6

struct vmf_fix {
	const char *commit;        /* 12 hex digits */
	const char *title;
	const char *version;       /* first mainline release: "v4.5" */
	int major, minor;          /* the same as numbers: 4, 5 */
	enum vmf_basis version_basis;
	const char *source;        /* where the id, title and author were read */
	const char *version_source;/* where the mainline release was read, or why inferred */
	int context;               /* 1: history that explains the signature, not a fix to apply */
	struct vmf_backport stable[VMF_FIX_MAX_STABLE];
	int nstable;
	const char *caveat;        /* distribution backports seen, or other series not checked */
};

/* Every fix the catalog names, once; signatures point into it. */
extern const struct vmf_fix vmf_fixes[];
extern const int vmf_fixes_len;
const struct vmf_fix *vmf_fix_by_commit(const char *commit);

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
	const struct vmf_fix *fix[VMF_SIG_MAX_FIXES];
	int nfix;
	const char *workaround;
	const char *explanation;
	const char *refs[VMF_SIG_MAX_REFS];
	int nrefs;
};

extern const struct vmf_signature vmf_catalog[];
extern const int vmf_catalog_len;
const struct vmf_signature *vmf_signature_by_id(const char *id);

#endif
