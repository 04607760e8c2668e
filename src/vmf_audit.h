/*
 * vmf_audit.h - the top-level tables of mms against init_mm's: read one whole,
 * compare a slot, tally every mm's kernel half.
 */
#ifndef VMF_AUDIT_H
#define VMF_AUDIT_H

#include "vmf_pt.h"

#define VMF_TOP_MAX 512

struct vmf_top {
	uint64_t root;
	int readable;              /* 0: the whole table could not be read (why) */
	char why[96];
	uint64_t entry[VMF_TOP_MAX];
};

/* Reads the whole top-level table (one read). */
int vmf_read_top(const struct vmf_paging *p, const struct vmf_reader *r, uint64_t root,
		 struct vmf_top *t);

enum vmf_slot_cmp {
	VMF_SLOT_SAME = 0,         /* equal (hardware-set A/D bits ignored) or both empty */
	VMF_SLOT_MISSING,          /* init_mm present, the mm's not present */
	VMF_SLOT_DIFFERENT,        /* both present, different frame or flags */
	VMF_SLOT_EXTRA,            /* the mm present, init_mm not present */
	VMF_SLOT_UNREADABLE,       /* the mm's table could not be read */
};

/* Compare one slot of mm against the reference (init_mm). */
enum vmf_slot_cmp vmf_compare_slot(const struct vmf_top *ref, const struct vmf_top *mm,
				   unsigned slot);
const char *vmf_slot_cmp_name(enum vmf_slot_cmp c);

/* Per-slot tallies over many mms. */
struct vmf_audit {
	const struct vmf_paging *p;
	struct vmf_top ref;        /* init_mm's top level, read once */
	unsigned first_slot, last_slot;   /* kernel half */
	unsigned long mms;         /* mms compared */
	unsigned long unreadable_mms;
	unsigned long missing[VMF_TOP_MAX];
	unsigned long different[VMF_TOP_MAX];
	unsigned long extra[VMF_TOP_MAX];
};

void vmf_audit_init(struct vmf_audit *a, const struct vmf_paging *p);
/* Tally one mm; returns the number of kernel-half slots where it deviates (or -1 if unreadable). */
int vmf_audit_add(struct vmf_audit *a, const struct vmf_top *mm);

/* One address space to audit, as the kernel's own lists gave it. */
struct vmf_mm_ref {
	uint64_t mm;               /* struct mm_struct address, 0 if unknown */
	uint64_t pgd_pa;           /* physical address of its top-level table */
	int pid;                   /* a task using it, -1 if none seen */
	char comm[20];
};

/*
 * Told of each deviation the audit meets: mm is the index into the audited list;
 * cmp is MISSING, DIFFERENT or EXTRA at a kernel-half slot (entry = the mm's entry
 * there), or UNREADABLE once for an mm whose table could not be read (slot =
 * first_slot, why = the reader's reason; why is NULL otherwise).
 */
typedef void (*vmf_deviation_fn)(void *arg, size_t mm, unsigned slot, enum vmf_slot_cmp cmp,
				 uint64_t entry, const char *why);

/*
 * Read each mm's top-level table once and tally it into a (whose ref must hold
 * init_mm's table already); deviation (may be NULL) hears every deviation.
 * Returns 0, or -1 if no memory for one table's buffer.
 */
int vmf_audit_mms(struct vmf_audit *a, const struct vmf_reader *r, const struct vmf_mm_ref *mms,
		  size_t nmms, vmf_deviation_fn deviation, void *arg);

/*
 * The deviations of an audit, in order, for ptaudit -v: 16 bytes each, at most
 * max kept and the rest counted; the reader's reason kept for each unreadable mm.
 */
struct vmf_deviation {
	uint32_t mm;               /* index into the audited list */
	uint16_t slot;
	uint8_t cmp;               /* enum vmf_slot_cmp */
	uint64_t entry;            /* the mm's entry; for UNREADABLE, the index of its reason */
};

struct vmf_deviations {
	struct vmf_deviation *d;
	size_t n, cap, max;
	unsigned long not_kept;    /* beyond max, or when memory ran out */
	int out_of_memory;
	char (*why)[96];
	size_t nwhy, whycap;
};

void vmf_deviations_init(struct vmf_deviations *dv, size_t max);
/* A vmf_deviation_fn: arg is the struct vmf_deviations. */
void vmf_deviation_keep(void *arg, size_t mm, unsigned slot, enum vmf_slot_cmp cmp, uint64_t entry,
			const char *why);
void vmf_deviations_free(struct vmf_deviations *dv);

#endif
