/*
 * direct.h - a dump diagnosed by the direct engine (direct/vmf_direct.h): no
 * crash, a fraction of a second.  In a batch each dump runs in a child process
 * of its own, so a dump that crashes libkdumpfile or hangs costs that dump
 * only; the child hands back two JSON lines (what the engine read, and the
 * report) and with -v the text report.  In this process, the human reports of
 * --ptwalk and --ptaudit.
 */
#ifndef TRIAGE_DIRECT_H
#define TRIAGE_DIRECT_H

#include <stdio.h>
#include <sys/types.h>
#include "input.h"

struct direct_opts {
	const char *cache_dir;    /* flattened dumps rearranged, BTF and kallsyms per build-id */
	int first_tier;           /* 1; 2 with --no-vmlinux; 3 with --no-symbols */
	int explain;              /* -v: the text report too (in->explain) */
};

struct direct_run {
	pid_t pid;                /* 0 when not running */
	double started;
	FILE *out;                /* the child's lines (an unnamed temporary file) */
};

/* Start the child on in->work (the dump or its decompressed copy; with in->vmlinux when set); -1 with errno. */
int direct_start(struct direct_run *run, const struct input *in, const struct direct_opts *o);
/*
 * The child's result into in: its report, or its error.  Returns 1 when the
 * dump is not for the direct engine after all (no VMCOREINFO, a format it
 * cannot read: the caller falls back), 0 otherwise.
 */
int direct_finish(struct direct_run *run, struct input *in, int status, int timed_out, int timeout_s);
void direct_abandon(struct direct_run *run);

/* The cache directory: $VMFAULT_CACHE, else $XDG_CACHE_HOME/vmfault, else ~/.cache/vmfault. */
const char *direct_default_cache(void);

/* Human reports, in this process: --ptwalk, --ptaudit (options.h). */
enum direct_human { HUMAN_PTWALK = 1, HUMAN_PTAUDIT };
struct human_req {
	enum direct_human what;
	int verbose;              /* --ptaudit -v: list the deviating mms */
	unsigned long long addr;  /* --ptwalk */
	const char *pid;          /* --pid (--ptwalk), or NULL: the oops' task, else the panic task */
};
/* 0, or -1 after one line on stderr. */
int direct_human(FILE *f, const struct input *in, const struct direct_opts *o, const struct human_req *req);

#endif
