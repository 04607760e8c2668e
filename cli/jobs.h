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
};

void batch_run(struct batch *b);

#endif
