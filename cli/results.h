/*
 * results.h - an input's result as one JSON line, the -o results file that
 * receives each line as soon as it is decided, and --resume, which reuses the
 * lines of an earlier run that are still current.
 *
 * The file only ever holds whole lines: with --resume its current lines are
 * first written to a temporary file beside it, which then replaces it
 * (rename); each new result is appended with one checked write, a failed write
 * is cut back to the last whole line, and the file is fsync'd at the end.  A
 * batch killed at any point leaves whole lines, and at most one cut last line,
 * which --resume does not take.
 */
#ifndef TRIAGE_RESULTS_H
#define TRIAGE_RESULTS_H

#include <stdio.h>
#include <sys/types.h>
#include "input.h"

/* The result line of an input, newline-terminated: the earlier line itself when reused. */
void result_print_json(FILE *f, const struct input *in);

struct previous_result;

struct results {
	const char *path;         /* -o FILE, or NULL */
	char *target;             /* the file written (FILE, or where its symbolic link points) */
	int fd;
	int regular;              /* a regular file: written through a temporary, truncated on error */
	off_t good;               /* the end of the last whole line */
	int written;              /* lines in FILE */
	int failed;
	struct previous_result *prev;   /* --resume: FILE's valid lines before this run, by path */
	size_t nprev;
	int invalid;              /* --resume: FILE's lines that were not whole results */
	int explain;              /* -v: a line is current only with its report's text ("explain") */
	int reused;
};

void results_init(struct results *res, const char *path);
/* --resume: reads FILE's lines before it is rewritten.  A missing file has none. */
int results_load_previous(struct results *res);
/*
 * --resume: an earlier result is current when it is for the same path with the
 * same stamp; an ERROR is never reused, since a timeout or a missing vmlinux
 * may be gone now.  1 when it was taken into the input.
 */
int results_reuse(struct results *res, struct input *in);
/*
 * Starts this run's FILE with the lines reused from the earlier one.  -1 with
 * the reason on stderr.
 */
int results_open(struct results *res, const struct input_list *l);
/* The input's line into FILE, at once; -1 (said on stderr, once) when it could not be written. */
int results_write(struct results *res, const struct input *in);
/* fsync and close; -1 when that failed (said on stderr). */
int results_close(struct results *res);
void results_free(struct results *res);

#endif
