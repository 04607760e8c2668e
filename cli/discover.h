/*
 * discover.h - from the paths on the command line to the batch's inputs: a
 * vmcore (compressed as a whole or not), a crash directory as any of the kdump
 * implementations saves it (layout.h: one input per crash, its dump with the
 * text saved beside it), a tree of those, or a console log.  Entries are taken
 * in name order.  Nothing is dropped without a word: what a tree holds that is
 * not an input (symbolic link loops, a file met twice, a vmlinux, a FIFO, the
 * results file, ...) is counted and said; what the user named that cannot be an
 * input becomes an ERROR line.
 */
#ifndef TRIAGE_DISCOVER_H
#define TRIAGE_DISCOVER_H

#include <stdio.h>
#include "input.h"

/* deeper trees are not searched, and the directories not searched are counted */
#define DISCOVER_MAX_DEPTH 32

enum skip_reason {
	SKIP_LOOP, SKIP_SAME, SKIP_DEEP, SKIP_UNREADABLE, SKIP_NOT_CORE, SKIP_NOT_REGULAR, SKIP_RESULTS,
	SKIP_HIDDEN, SKIP_OTHER, SKIP_NREASONS
};

struct file_set;

struct discovery {
	struct input_list *inputs;
	struct file_set *seen;    /* every directory and file taken, by device and inode */
	int have_results;         /* the -o file exists: it is never an input */
	unsigned long long results_dev, results_ino;
	struct {
		int n;
		char *first;      /* the first path skipped for it, with the detail */
	} skipped[SKIP_NREASONS];
};

/* -o FILE (may be NULL or not exist yet); -1 when memory ran out. */
int discovery_init(struct discovery *d, struct input_list *inputs, const char *results_path);
/*
 * Adds the inputs `path` holds.  -1 when memory ran out; -2 when path is the
 * -o file itself (the caller refuses to run: it would overwrite an input).
 */
int discover(struct discovery *d, const char *path);
/* One line per kind of entry skipped, on f. */
void discovery_report(const struct discovery *d, FILE *f);
void discovery_free(struct discovery *d);

#endif
