/*
 * results.h - an input's result as one JSON line, the -o results file that
 * receives each line as soon as it is decided, and --resume, which reuses the
 * lines of an earlier run that are still current.
 */
#ifndef TRIAGE_RESULTS_H
#define TRIAGE_RESULTS_H

#include <stdio.h>
#include "input.h"

/* The result line of an input, newline-terminated: the earlier line itself when reused. */
void result_print_json(FILE *f, const struct input *in);

struct previous_result;

struct results {
	const char *path;         /* -o FILE, or NULL */
	FILE *f;
	struct previous_result *prev;   /* --resume: FILE's valid lines before this run, by path */
	size_t nprev;
	int reused;
};

/* --resume: reads FILE's lines before it is rewritten.  A missing file has none. */
int results_load_previous(struct results *res);
/* Opens FILE for this run's lines; -1 with the reason on stderr. */
int results_open(struct results *res);
/*
 * --resume: an earlier result is current when it is for the same path with the
 * same stamp; an ERROR is never reused, since a timeout or a missing vmlinux
 * may be gone now.  1 when it was taken into the input.
 */
int results_reuse(struct results *res, struct input *in);
/* The input's line into FILE, at once. */
void results_write(struct results *res, const struct input *in);
void results_close(struct results *res);

#endif
