/*
 * vmf_writers.h - printing, and nothing else: the report (crash-style text and
 * one-line JSON), ptwalk's two walks, ptaudit's table and deviating mms.
 */
#ifndef VMF_WRITERS_H
#define VMF_WRITERS_H

#include <stdio.h>
#include "vmf_report.h"
#include "vmf_walk.h"
#include "vmf_audit.h"

/* In every JSON object: triage's --resume reruns a dump when the version changes. */
#define VMF_VERSION "0.4.0"

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
/* ptaudit -v: the deviating mms under the table, one line per deviating slot. */
void vmf_print_deviations(FILE *fp, const struct vmf_audit *a, const struct vmf_mm_ref *mms,
			  const struct vmf_deviations *dv);

/* JSON string helper used by the writers (escapes quotes, backslashes, controls). */
void vmf_json_str(FILE *fp, const char *s);

#endif
