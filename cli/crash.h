/*
 * crash.h - a dump's diagnosis by crash(8) in batch mode with the vmfault
 * extension: one way of running an input's job, in a child process, killed with
 * its whole process group after the timeout.
 */
#ifndef TRIAGE_CRASH_H
#define TRIAGE_CRASH_H

#include <sys/types.h>
#include "input.h"

struct crash_run {
	pid_t pid;                /* 0 when not running */
	double started;
	char cmdfile[600];        /* crash's -i input, in the run's temporary directory */
	char outfile[600];        /* its stdout and stderr, likewise */
	char explainfile[600];    /* -v: what vmfault -v printed; "" without -v */
};

/*
 * Starts crash on dump with vmlinux (the files as found, or their
 * decompressed copies): `vmfault -j`, and with explain `vmfault -v` too (its
 * text into a file of the run); -1 with errno when it could not.
 */
int crash_start(struct crash_run *run, const char *vmlinux, const char *dump, const char *extension, int explain);
/* Reads what crash printed into the input's result or error, and removes the run's files. */
void crash_finish(struct crash_run *run, struct input *in, int status, int timed_out, int timeout_s);

/* Kills a run's process group and removes its files: the batch stops. */
void crash_abandon(struct crash_run *run);

/* Removes the run's temporary directory: at the end, and when a signal stops the batch. */
void crash_cleanup(void);

/* The file crash will load for `extend EXTENSION` (what a result's stamp covers). */
const char *crash_extension_file(const char *extension);

#endif
