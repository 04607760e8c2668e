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
	const char *stopped;      /* why the batch stopped early: no job starts after it */
	const char *extension;    /* the file crash loads, found before the first dump goes to crash */
};

/*
 * SIGINT, SIGTERM and SIGHUP stop the batch between jobs: running crash
 * sessions are killed, the results file keeps its whole lines; the caller then
 * cleans up and dies of the signal (batch_caught_signal() names it).
 */
void batch_catch_signals(void);
int batch_caught_signal(void);

/* Plans, decides and runs every input; -1 when the batch stopped early (b->stopped says why). */
int batch_run(struct batch *b);

#endif
