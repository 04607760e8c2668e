/*
 * vmf_diag.h - deciding: from the evidence to facts (each condition TRUE, FALSE
 * or UNKNOWN, with the values it rests on), and from facts to a verdict, the
 * recommendation and the notes that go with it.  Nothing here reads memory.
 */
#ifndef VMF_DIAG_H
#define VMF_DIAG_H

#include "vmf_report.h"

/* Decide one condition, with the values it rests on (printf-style). */
void vmf_set_fact(struct vmf_report *r, enum vmf_cond c, enum vmf_tri s, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 4, 5)))
#endif
	;

/*
 * The log-only facts from r->ev.oops (OOPS_FAULT_ADDR, RIP_VMALLOC_FAULT,
 * OOPS_TOP_ZERO, BUG_IN_VMALLOC_FAULT) and the kernel facts (FIX1_INERT,
 * NO_VMALLOC_FAULT, the fix window).
 */
void vmf_facts_from_log(struct vmf_report *r);
/*
 * The dump facts from the page-table evidence (FAULT_IN_DIRECT_MAP,
 * FAULT_PHYS_NOT_RAM, LARGE_PUD/PMD_FRAME, LARGE_SLOT_UNSYNCED, FAULT_IN_VMALLOC,
 * FAULT_IN_VMEMMAP, FAULT_SLOT_MISSING).  Leaves them UNKNOWN when the tables
 * were not read or the oops gave no fault address.
 */
void vmf_facts_from_dump(struct vmf_report *r);
/* Decide the verdict, the recommendation and the notes. */
void vmf_evaluate(struct vmf_report *r);
/* The recommendation of an evaluated report (advice.c); called by vmf_evaluate(). */
void vmf_recommend(struct vmf_report *r);
/*
 * What a person acts on, in a table cell: the fix ("f4eafd8bcd52", "upgrade to
 * >= 4.4.3", "nohugeiomap", "has every fix: see notes", "-" when nothing
 * matched) and a one-line reason.  Decided from the verdict and the fix window
 * only; call after vmf_evaluate().
 */
void vmf_short_fix(const struct vmf_report *r, char *fix, size_t fixlen, char *reason, size_t reasonlen);

#endif
