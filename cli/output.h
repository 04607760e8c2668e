/*
 * output.h - what the batch prints on standard output once every input is
 * decided: a table and counts per verdict, or one JSON line per input; and the
 * exit status they add up to.
 */
#ifndef TRIAGE_OUTPUT_H
#define TRIAGE_OUTPUT_H

#include <stdio.h>
#include "input.h"

struct tally {
	int count[V_COUNT];       /* by verdict, ERROR last */
	int matched;              /* MATCH or RELATED */
	int errors;
};

/* The table: per input its verdict, signature, kernel, fix and path, the fix's reason under it; with explain_all, every input's full report after the counts. */
void output_table(FILE *f, const struct input_list *l, double seconds, int explain_all, struct tally *t);
void output_json(FILE *f, const struct input_list *l, struct tally *t);
/* 0 nothing matched, 1 something matched, 2 some input failed */
int output_exit_status(const struct tally *t);

#endif
