/*
 * vmf_report.h - a diagnosis as one record: the evidence, the facts decided
 * from it, the verdict, notes and the recommendation.  Gatherers fill the
 * evidence and notes, diag.c the facts and the verdict, the writers print it.
 */
#ifndef VMF_REPORT_H
#define VMF_REPORT_H

#include "vmf_tri.h"
#include "vmf_catalog.h"
#include "vmf_evidence.h"

struct vmf_fact {
	enum vmf_tri state;
	char detail[240];          /* the values and where they came from */
};

/* The engine's verdicts; a front end may add its own (vmfault-triage: ERROR). */
enum vmf_verdict { VMF_V_MATCH = 0, VMF_V_RELATED, VMF_V_NO_MATCH, VMF_V_INCONCLUSIVE, VMF_NVERDICTS };
const char *vmf_verdict_name(enum vmf_verdict v);   /* "MATCH", ..., "?" out of range */

#define VMF_MAX_NOTES 16

struct vmf_report {
	struct vmf_evidence ev;
	struct vmf_fact fact[VMF_NCONDS];
	/* filled by vmf_evaluate */
	enum vmf_verdict verdict;
	const struct vmf_signature *sig;   /* the match, relative, or nearest candidate */
	int text_only;                     /* no dump: page-table conditions could not be checked */
	char missing[240];                 /* INCONCLUSIVE: what is missing */
	char confidence[320];               /* room for every condition name: never cut */
	int nnotes;
	char notes[VMF_MAX_NOTES][240];    /* observations: stale slots, window/code disagreement */
	unsigned notes_not_kept;           /* beyond VMF_MAX_NOTES: counted in the last note */
	char recommendation[1200];
	char fix_short[64];                /* vmf_short_fix: the fix in a table cell, "upgrade to >= 4.4.3" */
	char fix_reason[320];              /* ... and its one-line reason */
	char error[240];                   /* vmf_diagnose could not diagnose: why (one line) */
};

void vmf_report_init(struct vmf_report *r);
/* Never drops a note silently: past VMF_MAX_NOTES the last note counts those not kept. */
void vmf_add_note(struct vmf_report *r, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* The report could not be made: r->error says why; returns -1 for the caller to pass on. */
int vmf_report_error(struct vmf_report *r, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

#endif
