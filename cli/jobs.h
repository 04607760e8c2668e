/*
 * jobs.h - running the batch: each input's job is "diagnose this input".  A
 * job is decided here (an input that cannot be diagnosed, a console log, a dump
 * that falls back to its vmcore-dmesg.txt, a result still current under
 * --resume) or run by an engine outside this process: today crash(8), up to -j
 * at once, each killed after -t seconds.
 */
#ifndef TRIAGE_JOBS_H
#define TRIAGE_JOBS_H

#include "input.h"
#include "options.h"
#include "results.h"

struct batch {
	struct input_list *inputs;
	const struct options *opt;
	struct results *results;  /* each result is written there as soon as it is decided */
	const char *extension;    /* the file crash loads, found before the first dump goes to crash */
};

/* 0, or -1 when the batch stopped before its first crash: the extension is missing (said on stderr). */
int batch_run(struct batch *b);

#endif
