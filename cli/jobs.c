/*
 * jobs.c - plan each input's job, decide what can be decided here, and run
 * crash on the rest.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmf_writers.h"
#include "crash.h"
#include "direct.h"
#include "dumpid.h"
#include "extension.h"
#include "textdiag.h"
#include "vmlinux.h"
#include "jobs.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- signals ---------------------------------------------------------------------------- */

static volatile sig_atomic_t caught_signal;

static void on_signal(int sig)
{
	caught_signal = sig;
}

void batch_catch_signals(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa;
	unsigned i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;      /* no SA_RESTART: a sleep or a wait returns at once */
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		struct sigaction old;
		/* a signal ignored from the start (nohup, a background job) stays ignored */
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

int batch_caught_signal(void)
{
	return caught_signal;
}

/* Between jobs: a caught signal stops the batch. */
static int stopping(struct batch *b)
{
	if (caught_signal && !b->stopped)
		b->stopped = caught_signal == SIGINT ? "interrupted by SIGINT" :
			     caught_signal == SIGTERM ? "interrupted by SIGTERM" : "interrupted by SIGHUP";
	return b->stopped != NULL;
}

/* ---- the stamp: what a result depends on ------------------------------------------------ */

static void stamp_file(char *buf, size_t len, const char *path)
{
	struct stat st;
	size_t n = strlen(buf);

	if (n + 1 >= len)
		return;
	if (stat(path, &st) == 0)
		snprintf(buf + n, len - n, "%s%lld:%lld.%09ld", n ? ";" : "", (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else
		snprintf(buf + n, len - n, "%s-", n ? ";" : "");
}

/* the tool's version, the inputs' sizes and times, and for crash the vmlinux and the extension */
static void make_stamp(struct input *in, enum input_plan plan, const char *extension)
{
	snprintf(in->stamp, sizeof(in->stamp), "%s", VMF_VERSION);
	if (plan == PLAN_TEXT) {
		stamp_file(in->stamp, sizeof(in->stamp), in->kind == K_TEXT ? in->dmesg : in->dump);
		if (in->kind != K_TEXT && in->dmesg[0])
			stamp_file(in->stamp, sizeof(in->stamp), in->dmesg);
		return;
	}
	stamp_file(in->stamp, sizeof(in->stamp), in->dump);
	stamp_file(in->stamp, sizeof(in->stamp), in->vmlinux);
	if (plan == PLAN_DIRECT) {
		/* the direct engine is this binary: its version, and the tier asked for */
		size_t n = strlen(in->stamp);
		snprintf(in->stamp + n, sizeof(in->stamp) - n, ";direct");
		return;
	}
	stamp_file(in->stamp, sizeof(in->stamp), crash_extension_file(extension));
}

/* ---- planning ------------------------------------------------------------------------- */

/*
 * Why crash cannot diagnose the dump, in why, with what the text fallback will
 * call its vmcore-dmesg.txt; 0 when nothing stands in the way.  -1 when the
 * dump is for another machine: no fallback then, the log would not fit either.
 */
static int dump_problem(struct input *in, const struct options *opt, char *why, size_t wlen, const char **source)
{
	struct dump_id id;

	*source = "vmcore-dmesg.txt (the dump cannot be read)";
	if (dump_identify(in->dump, &id, why, wlen) != 0)
		return 1;
	if (id.machine[0] && strcmp(id.machine, "x86_64")) {
		snprintf(why, wlen, "the dump is for %s: vmfault diagnoses x86_64 dumps only", id.machine);
		return -1;
	}
	*source = "vmcore-dmesg.txt (the dump is truncated)";
	if (id.size == 0 && id.format == DUMP_NONE) {
		snprintf(why, wlen, "the dump is empty (0 bytes)");
		*source = "vmcore-dmesg.txt (the dump is empty)";
	} else if (dump_vmcoreinfo(in->dump, in->release, sizeof(in->release), in->build_id, sizeof(in->build_id),
				   why, wlen) != 0) {
		/* a cut dump often loses its notes too: then the cut is what to say */
		if (!dump_truncated(in->dump, &id, why, wlen))
			*source = "vmcore-dmesg.txt (no VMCOREINFO in the dump)";
	} else if (dump_truncated(in->dump, &id, why, wlen)) {
		;
	} else if (find_vmlinux(in, &opt->dirs, why, wlen) != 0) {
		*source = "vmcore-dmesg.txt (no matching vmlinux)";
	} else
		return 0;
	return 1;
}

/* A dump the direct engine will not read: its vmcore-dmesg.txt, saying why, or an ERROR. */
static void fall_back(struct input *in, const char *why)
{
	if (!in->dmesg[0]) {
		input_fail(in, "%s", why);
		return;
	}
	snprintf(in->fallback, sizeof(in->fallback), "%s", why);
	in->plan = PLAN_TEXT;
}

/*
 * The direct engine (--engine auto or direct) needs the dump and its
 * VMCOREINFO; a vmlinux only makes it tier 1.  Under auto, a dump without
 * VMCOREINFO goes to crash when its vmlinux is found: crash reads such dumps
 * with the vmlinux alone.
 */
/* The vmlinux makes it tier 1; without one, why not is what tier 2's output says. */
static void direct_vmlinux(struct input *in, const struct options *opt)
{
	char why[sizeof(in->vmlinux_why) - 10];

	if (opt->direct.first_tier > 1 || find_vmlinux(in, &opt->dirs, why, sizeof(why)) == 0)
		return;
	free(in->vmlinux);
	in->vmlinux = strdup("");
	snprintf(in->vmlinux_why, sizeof(in->vmlinux_why), "tier 1: %s", why);
}

static void plan_direct(struct input *in, const struct options *opt)
{
	char why[600];
	struct dump_id id;
	int vi;

	in->text_source = "vmcore-dmesg.txt (the dump cannot be read)";
	if (dump_identify(in->dump, &id, why, sizeof(why)) != 0)
		return fall_back(in, why);
	if (id.machine[0] && strcmp(id.machine, "x86_64")) {
		input_fail(in, "the dump is for %s: vmfault diagnoses x86_64 dumps only", id.machine);
		return;
	}
	if (id.size == 0 && id.format == DUMP_NONE) {
		in->text_source = "vmcore-dmesg.txt (the dump is empty)";
		return fall_back(in, "the dump is empty (0 bytes)");
	}
	vi = dump_vmcoreinfo(in->dump, in->release, sizeof(in->release), in->build_id, sizeof(in->build_id), why,
			     sizeof(why));
	/* a cut dump often loses its notes too: then the cut is what to say */
	if (dump_truncated(in->dump, &id, why, sizeof(why))) {
		in->text_source = "vmcore-dmesg.txt (the dump is truncated)";
		return fall_back(in, why);
	}
	direct_vmlinux(in, opt);
	if (vi == 0) {
		in->plan = PLAN_DIRECT;
		return;
	}
	in->text_source = "vmcore-dmesg.txt (no VMCOREINFO in the dump)";
	if (opt->engine == ENGINE_AUTO && in->vmlinux && in->vmlinux[0]) {
		snprintf(in->engine_why, sizeof(in->engine_why), "the direct engine needs VMCOREINFO (%.200s); "
			 "crash reads the dump with its vmlinux", why);
		in->plan = PLAN_CRASH;
		return;
	}
	fall_back(in, why);
}

/*
 * A dump goes to crash when nothing stands in the way; else it falls back to
 * its vmcore-dmesg.txt if it has one, saying why, or is an ERROR.
 */
static void plan_dump(struct input *in, const struct options *opt)
{
	char why[600];
	int problem;

	if (opt->engine != ENGINE_CRASH)
		return plan_direct(in, opt);
	problem = dump_problem(in, opt, why, sizeof(why), &in->text_source);

	if (!problem)
		in->plan = PLAN_CRASH;
	else if (problem < 0 || !in->dmesg[0])
		input_fail(in, "%s", why);
	else {
		snprintf(in->fallback, sizeof(in->fallback), "%s", why);
		in->plan = PLAN_TEXT;
	}
}

/*
 * The extension crash is given, found once before the first dump goes to crash
 * (extension.c): when it is missing, one line says where it was looked for,
 * and each dump for crash is an ERROR with that reason instead of a crash
 * start-up that ends in "extend: ... not found".  Logs need no extension.
 */
static int find_extension(struct batch *b, struct input *in)
{
	static char path[PATH_MAX], why[1500];
	const char *dirs[VMF_EXTENSION_DIRS];
	char self[PATH_MAX];
	int n;

	if (!b->extension && !why[0]) {
		n = vmf_crash_extension_dirs(dirs, VMF_EXTENSION_DIRS);
		if (vmf_find_extension(b->opt->extension, vmf_self_dir(self, sizeof(self)) == 0 ? self : NULL, dirs, n,
				       path, sizeof(path), why, sizeof(why)) == 0)
			b->extension = path;
		else
			fprintf(stderr, "vmfault-triage: %s\n", why);
	}
	if (b->extension)
		return 0;
	input_fail(in, "%s", why);
	return -1;
}

/* Each input's plan and stamp; under --resume a current earlier result decides it at once. */
static void plan_all(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->inputs->n && !stopping(b); i++) {
		struct input *in = &b->inputs->v[i];

		in->plan = PLAN_DONE;
		in->text_source = "console log text";
		if (in->error[0])
			continue;
		if (in->kind == K_TEXT)
			in->plan = PLAN_TEXT;
		else
			plan_dump(in, b->opt);
		if (in->plan == PLAN_CRASH && find_extension(b, in) != 0)
			in->plan = PLAN_DONE;
		if (in->plan == PLAN_DONE)
			continue;
		make_stamp(in, in->plan, b->extension);
		if (b->opt->resume && results_reuse(b->results, in))
			in->plan = PLAN_DONE;
	}
}

/* ---- running ---------------------------------------------------------------------------- */

/* A new result: into -o at once.  A result that cannot be written stops the batch. */
static void decided(struct batch *b, struct input *in)
{
	if (results_write(b->results, in) != 0)
		b->stopped = "the results file could not be written";
}

/* Errors found while planning, and the texts: decided in this process, in input order. */
static void decide_here(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->inputs->n && !stopping(b); i++) {
		struct input *in = &b->inputs->v[i];

		if (in->resumed || in->plan == PLAN_CRASH || in->plan == PLAN_DIRECT)
			continue;
		if (in->plan == PLAN_TEXT) {
			diagnose_text(in, in->text_source, b->opt->explain);
			snprintf(in->engine, sizeof(in->engine), "text");
			in->tier = in->kind == K_TEXT ? 0 : 4;
		}
		decided(b, in);
	}
}

/* A finished or overdue crash: its result.  1 when the run ended. */
static int reap(struct batch *b, struct crash_run *run, struct input *in)
{
	int status = 0;
	pid_t p = waitpid(run->pid, &status, WNOHANG);

	if (p == run->pid) {
		crash_finish(run, in, status, 0, b->opt->timeout_s);
	} else if (stopping(b)) {
		crash_abandon(run);     /* no result: mark_undecided says why */
		return 1;
	} else if (now() - run->started > b->opt->timeout_s) {
		kill(-run->pid, SIGKILL);
		waitpid(run->pid, &status, 0);
		crash_finish(run, in, status, 1, b->opt->timeout_s);
	} else
		return 0;
	decided(b, in);
	return 1;
}

/* crash on up to -j dumps at once; a stop kills the running ones */
static void run_crash_jobs(struct batch *b)
{
	size_t n = b->inputs->n, next = 0, i;
	struct crash_run *runs = calloc(n ? n : 1, sizeof(*runs));
	int running = 0;

	if (!runs) {
		b->stopped = "out of memory";
		return;
	}
	for (;;) {
		for (; running < b->opt->jobs && next < n && !stopping(b); next++) {
			struct input *in = &b->inputs->v[next];
			if (in->plan != PLAN_CRASH || in->resumed)
				continue;
			snprintf(in->engine, sizeof(in->engine), "crash");
			in->tier = 0;
			in->tier_what[0] = in->tier_falls[0] = 0;
			if (crash_start(&runs[next], in, b->extension, b->opt->explain) == 0)
				running++;
			else {
				input_fail(in, "cannot start crash: %s", strerror(errno));
				decided(b, in);
			}
		}
		if (!running)
			break;
		for (i = 0; i < next; i++)
			if (runs[i].pid > 0 && reap(b, &runs[i], &b->inputs->v[i]))
				running--;
		if (isatty(2))
			fprintf(stderr, "\rvmfault-triage: %zu of %zu started, %d running   ", next, n, running);
		if (running)
			usleep(50000);
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	free(runs);
}

/* ---- the direct engine's jobs --------------------------------------------------------------- */

/*
 * What the direct engine could not do, after all: a dump libkdumpfile cannot
 * open goes to crash under --engine auto when its vmlinux is found, else to its
 * vmcore-dmesg.txt; a dump the engine read only at tier 3 goes to crash under
 * auto when a vmlinux is there (crash reads its DWARF).
 */
static void after_direct(struct batch *b, struct input *in, int cannot_read)
{
	int crash_can = b->opt->engine == ENGINE_AUTO && in->vmlinux && in->vmlinux[0];

	if (cannot_read && crash_can) {
		snprintf(in->engine_why, sizeof(in->engine_why), "the direct engine cannot read the dump (%.200s)",
			 in->fallback);
	} else if (cannot_read) {
		char why[sizeof(in->fallback)];
		snprintf(why, sizeof(why), "%s", in->fallback);
		in->fallback[0] = 0;
		in->text_source = "vmcore-dmesg.txt (the direct engine cannot read the dump)";
		fall_back(in, why);
		if (in->plan == PLAN_TEXT) {
			diagnose_text(in, in->text_source, b->opt->explain);
			snprintf(in->engine, sizeof(in->engine), "text");
			in->tier = 4;
		}
		decided(b, in);
		return;
	} else if (in->tier == 3 && crash_can) {
		snprintf(in->engine_why, sizeof(in->engine_why), "the direct engine reached tier 3 only (%.200s); "
			 "crash reads the vmlinux's DWARF", in->tier_falls);
	} else {
		/* the engine was given no vmlinux: say why none was found */
		if (!in->vmlinux[0] && in->vmlinux_why[0] && !strncmp(in->tier_falls, "tier 1: no vmlinux given", 24)) {
			char rest[sizeof(in->tier_falls)];
			snprintf(rest, sizeof(rest), "%s", in->tier_falls + 24);
			snprintf(in->tier_falls, sizeof(in->tier_falls), "%.300s%.290s", in->vmlinux_why, rest);
		}
		decided(b, in);
		return;
	}
	free(in->report);
	free(in->explain);
	in->report = in->explain = NULL;
	in->verdict = V_NONE;
	in->error[0] = in->signature[0] = 0;
	in->plan = PLAN_CRASH;
	if (find_extension(b, in) != 0) {
		in->plan = PLAN_DONE;
		decided(b, in);
	}
}

static int reap_direct(struct batch *b, struct direct_run *run, struct input *in)
{
	int status = 0;
	pid_t p = waitpid(run->pid, &status, WNOHANG);

	if (p == run->pid) {
		after_direct(b, in, direct_finish(run, in, status, 0, b->opt->timeout_s));
	} else if (stopping(b)) {
		direct_abandon(run);
	} else if (now() - run->started > b->opt->timeout_s) {
		kill(run->pid, SIGKILL);
		waitpid(run->pid, &status, 0);
		direct_finish(run, in, status, 1, b->opt->timeout_s);
		decided(b, in);
	} else
		return 0;
	return 1;
}

/* the direct engine on up to -j dumps at once, each in a child */
static void run_direct_jobs(struct batch *b)
{
	size_t n = b->inputs->n, next = 0, i;
	struct direct_run *runs = calloc(n ? n : 1, sizeof(*runs));
	int running = 0;

	if (!runs) {
		b->stopped = "out of memory";
		return;
	}
	for (;;) {
		for (; running < b->opt->jobs && next < n && !stopping(b); next++) {
			struct input *in = &b->inputs->v[next];
			if (in->plan != PLAN_DIRECT || in->resumed)
				continue;
			if (direct_start(&runs[next], in, &b->opt->direct) == 0)
				running++;
			else {
				input_fail(in, "cannot start the direct engine: %s", strerror(errno));
				decided(b, in);
			}
		}
		if (!running)
			break;
		for (i = 0; i < next; i++)
			if (runs[i].pid > 0 && reap_direct(b, &runs[i], &b->inputs->v[i]))
				running--;
		if (running)
			usleep(2000);
	}
	free(runs);
}

/* What a stop left undecided still gets its line, saying why. */
static void mark_undecided(struct batch *b)
{
	size_t i;

	for (i = 0; i < b->inputs->n; i++) {
		struct input *in = &b->inputs->v[i];
		if (in->verdict == V_NONE && !in->error[0] && !in->resumed)
			input_fail(in, "not diagnosed: the batch stopped (%s)", b->stopped);
	}
}

int batch_run(struct batch *b)
{
	plan_all(b);
	if (!b->stopped && results_open(b->results, b->inputs) != 0)
		b->stopped = "the results file could not be written";
	if (!b->stopped)
		decide_here(b);
	if (!b->stopped)
		run_direct_jobs(b);
	if (!b->stopped)
		run_crash_jobs(b);
	if (b->stopped)
		mark_undecided(b);
	return b->stopped ? -1 : 0;
}
