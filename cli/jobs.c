/*
 * jobs.c - plan each input's job, decide what can be decided here, and run
 * the direct engine, or crash, on the rest.
 *
 * A dump compressed as a whole is identified from the head of its
 * decompressed stream while planning (so --resume can reuse its result without
 * decompressing it), decompressed into the cache when its job starts (the
 * direct engine's copy is crash's too when crash takes over), and the copy
 * removed when its result is decided (unpack.h).  The text saved beside a dump
 * is its fallback when no engine can read the dump, and its cross-check when
 * one can (crosscheck.h).
 *
 * A cut dump (an unfinished save) goes to no engine: crash 8.0.2 reads a
 * whole flattened stream itself, but refuses a cut one ("truncated/incomplete
 * ... not a supported file format"), and exits without a word on a cut
 * kdump-compressed file, rearranged or not; the direct engine is held to the
 * same line.  Its verdict is the text's.
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
#include "crosscheck.h"
#include "decompress.h"
#include "direct.h"
#include "dumpid.h"
#include "extension.h"
#include "textdiag.h"
#include "unpack.h"
#include "vmlinux.h"
#include "jobs.h"

/*
 * What the decompressed head of a compressed dump must hold: its headers and
 * VMCOREINFO, which makedumpfile writes right after its headers (the kdump
 * sub header, the flattened stream's first records) and an ELF core keeps in
 * its PT_NOTE segment ahead of all memory.
 */
#define COMPRESSED_HEAD_LEN (4u << 20)

/* An input's job while it runs: the direct engine or crash, and the decompressed copies they read. */
struct job {
	struct direct_run direct;
	struct crash_run run;
	struct unpacked dump_copy, vmlinux_copy;
};

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

/*
 * the tool's version, the inputs' sizes and times, and for crash the vmlinux and
 * the extension; a compressed file is stamped itself, never its copy
 */
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

/* A compressed dump's identity and VMCOREINFO from the head of its decompressed stream. */
static int compressed_headers(struct input *in, struct dump_id *id, char *why, size_t wlen)
{
	unsigned char *head = malloc(COMPRESSED_HEAD_LEN);
	const char *comp = compression_name((enum compression)in->compression);
	ssize_t n;
	int ret = -1;

	memset(id, 0, sizeof(*id));
	if (!head) {
		snprintf(why, wlen, "out of memory");
		return -1;
	}
	n = decompress_head(in->dump, (enum compression)in->compression, head, COMPRESSED_HEAD_LEN, why, wlen);
	if (n >= 0)
		dump_identify_buf(head, (size_t)n, id);
	if (n < 0)
		;       /* why holds the library's word */
	else if (!dump_is_core(id))
		snprintf(why, wlen, "the %s-compressed file holds no dump: its first bytes are %s", comp,
			 id->format == DUMP_ELF ? elf_type_name(id->elf_type) : "no dump signature");
	else if (dump_vmcoreinfo_buf((const char *)head, (size_t)n, in->release, sizeof(in->release), in->build_id,
				     sizeof(in->build_id)) != 0)
		snprintf(why, wlen, "no VMCOREINFO OSRELEASE in the first %zd bytes of the decompressed dump", n);
	else
		ret = 0;
	free(head);
	return ret;
}

/* What the text fallback calls the text saved beside the dump: "dmesg.<STAMP> (why)". */
static void set_text_source(struct input *in, const char *reason)
{
	snprintf(in->text_source_buf, sizeof(in->text_source_buf), "%s (%s)", input_text_name(in), reason);
	in->text_source = in->text_source_buf;
}

/* An uncompressed dump's own problems: empty, no VMCOREINFO, cut. */
static int plain_dump_problem(struct input *in, const struct dump_id *id, char *why, size_t wlen)
{
	set_text_source(in, "the dump is truncated");
	if (id->size == 0 && id->format == DUMP_NONE) {
		snprintf(why, wlen, "the dump is empty (0 bytes)");
		set_text_source(in, "the dump is empty");
	} else if (dump_vmcoreinfo(in->dump, in->release, sizeof(in->release), in->build_id, sizeof(in->build_id),
				   why, wlen) != 0) {
		/* a cut dump often loses its notes too: then the cut is what to say */
		if (!dump_truncated(in->dump, id, why, wlen))
			set_text_source(in, "no VMCOREINFO in the dump");
	} else if (!dump_truncated(in->dump, id, why, wlen))
		return 0;
	return 1;
}

/* A dump neither the engines nor a text can give a verdict for: its ERROR, saying why. */
static void dump_unreadable(struct input *in, const char *why)
{
	if (in->incomplete)
		input_fail(in, "the dump's save did not finish and what it holds cannot be read (%s); no text was saved "
			   "beside it", why);
	else
		input_fail(in, "%s", why);
}

/* While planning, a dump no engine will read: the text saved beside it, saying why, or an ERROR. */
static void plan_fallback(struct input *in, const char *why)
{
	if (!in->dmesg[0]) {
		dump_unreadable(in, why);
		return;
	}
	snprintf(in->fallback, sizeof(in->fallback), "%s", why);
	in->plan = PLAN_TEXT;
}

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

/*
 * A dump's headers for the direct engine: 0 with its VMCOREINFO read, 1 without
 * VMCOREINFO (why says so), -1 when it was decided here (its text or an ERROR).
 * A compressed dump is read from its decompressed head; whether it is whole is
 * known once it is decompressed for its job (unpack_dump).
 */
static int direct_headers(struct input *in, char *why, size_t wlen)
{
	struct dump_id id;
	int vi = 0;

	set_text_source(in, "the dump cannot be read");
	in->compression = compression_detect(in->dump);
	if (in->compression)
		vi = compressed_headers(in, &id, why, wlen);
	else if (dump_identify(in->dump, &id, why, wlen) != 0)
		return plan_fallback(in, why), -1;
	if (id.machine[0] && strcmp(id.machine, "x86_64")) {
		input_fail(in, "the dump is for %s: vmfault diagnoses x86_64 dumps only", id.machine);
		return -1;
	}
	if (in->compression && vi && !dump_is_core(&id))
		return plan_fallback(in, why), -1;      /* it cannot be decompressed, or holds no dump */
	if (!in->compression && id.size == 0 && id.format == DUMP_NONE) {
		set_text_source(in, "the dump is empty");
		return plan_fallback(in, "the dump is empty (0 bytes)"), -1;
	}
	if (!in->compression) {
		vi = dump_vmcoreinfo(in->dump, in->release, sizeof(in->release), in->build_id, sizeof(in->build_id),
				     why, wlen);
		/* a cut dump often loses its notes too: then the cut is what to say */
		if (dump_truncated(in->dump, &id, why, wlen)) {
			set_text_source(in, "the dump is truncated");
			return plan_fallback(in, why), -1;
		}
	}
	if (vi)
		set_text_source(in, "no VMCOREINFO in the dump");
	return vi != 0;
}

/*
 * The direct engine (--engine auto or direct) needs the dump and its
 * VMCOREINFO; a vmlinux only makes it tier 1.  Under auto, a dump without
 * VMCOREINFO goes to crash when its vmlinux is found: crash reads such dumps
 * with the vmlinux alone.
 */
static void plan_direct(struct input *in, const struct options *opt)
{
	char why[600];
	int vi = direct_headers(in, why, sizeof(why));

	if (vi < 0)
		return;
	direct_vmlinux(in, opt);
	if (vi == 0) {
		in->plan = PLAN_DIRECT;
		return;
	}
	if (opt->engine == ENGINE_AUTO && in->vmlinux && in->vmlinux[0]) {
		snprintf(in->engine_why, sizeof(in->engine_why), "the direct engine needs VMCOREINFO (%.200s); "
			 "crash reads the dump with its vmlinux", why);
		in->plan = PLAN_CRASH;
		return;
	}
	plan_fallback(in, why);
}

/*
 * Why crash cannot diagnose the dump, in why, with what the text fallback will
 * call the text beside it; 0 when nothing stands in the way.  -1 when the
 * dump is for another machine: no fallback then, the log would not fit either.
 * A compressed dump is read from its decompressed head here; whether it is
 * whole is known once it is decompressed for crash (start_job).
 */
static int dump_problem(struct input *in, const struct options *opt, char *why, size_t wlen)
{
	struct dump_id id;
	int problem = 0;

	set_text_source(in, "the dump cannot be read");
	in->compression = compression_detect(in->dump);
	if (in->compression)
		problem = compressed_headers(in, &id, why, wlen) != 0;
	else if (dump_identify(in->dump, &id, why, wlen) != 0)
		return 1;
	if (id.machine[0] && strcmp(id.machine, "x86_64")) {
		snprintf(why, wlen, "the dump is for %s: vmfault diagnoses x86_64 dumps only", id.machine);
		return -1;
	}
	if (problem || (!in->compression && plain_dump_problem(in, &id, why, wlen)))
		return 1;
	if (find_vmlinux(in, &opt->dirs, why, wlen) != 0) {
		set_text_source(in, "no matching vmlinux");
		return 1;
	}
	return 0;
}

/*
 * A dump goes to the direct engine, or under --engine crash to crash, when
 * nothing stands in the way; else it falls back to the text saved beside it if
 * it has one, saying why, or is an ERROR.
 */
static void plan_dump(struct input *in, const struct options *opt)
{
	char why[600];
	int problem;

	if (opt->engine != ENGINE_CRASH)
		return plan_direct(in, opt);
	problem = dump_problem(in, opt, why, sizeof(why));
	if (!problem)
		in->plan = PLAN_CRASH;
	else if (problem < 0)
		input_fail(in, "%s", why);
	else
		plan_fallback(in, why);
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

/*
 * In a job: the text beside the dump instead of the dump, or the reason neither
 * can be read.  The result is then the text's (engine "text", tier 4).
 */
static void fall_back(struct batch *b, struct input *in, const char *reason, const char *why)
{
	if (!in->dmesg[0]) {
		dump_unreadable(in, why);
		return;
	}
	set_text_source(in, reason);
	snprintf(in->fallback, sizeof(in->fallback), "%s", why);
	diagnose_text(in, in->text_source, b->opt->explain);
	snprintf(in->engine, sizeof(in->engine), "text");
	in->tier = 4;
}

/*
 * The decompressed copy an engine reads, made once per input (the direct
 * engine's copy is crash's too when crash takes over).  0 when the engine can
 * start; 1 when the input was decided here (it cannot be decompressed, or what
 * it holds is cut).
 */
static int unpack_dump(struct batch *b, struct job *j, struct input *in)
{
	const char *comp = compression_name((enum compression)in->compression);
	char why[600], *copy;
	struct dump_id id;

	if (j->dump_copy.path[0])
		return 0;
	if (unpack(in->dump, (enum compression)in->compression, &b->opt->unpack, &j->dump_copy, why, sizeof(why))) {
		fall_back(b, in, "the dump cannot be decompressed", why);
		return 1;
	}
	input_note(in, "%s-compressed as a whole: %s %.1f MiB decompressed copy %s", comp,
		   j->dump_copy.reused ? "reused the" : "read through a", (double)j->dump_copy.size / (1 << 20),
		   j->dump_copy.path);
	if (!(copy = strdup(j->dump_copy.path))) {
		input_fail(in, "out of memory");
		return 1;
	}
	free(in->work);
	in->work = copy;
	if (j->dump_copy.cut) {
		snprintf(why, sizeof(why), "the %s stream ends early: its writing stopped after %llu bytes", comp,
			 (unsigned long long)j->dump_copy.size);
		fall_back(b, in, "the dump is cut", why);
		return 1;
	}
	if (dump_identify(in->work, &id, why, sizeof(why)) == 0 && dump_truncated(in->work, &id, why, sizeof(why))) {
		fall_back(b, in, "the dump is truncated", why);
		return 1;
	}
	return 0;
}

/* A compressed vmlinux found beside the dump (SUSE) is decompressed for the engine too. */
static const char *vmlinux_for(struct batch *b, struct job *j, struct input *in, const char *engine)
{
	enum compression c = compression_detect(in->vmlinux);
	char why[600];

	if (c == COMP_NONE || !in->vmlinux[0])
		return in->vmlinux;
	if (j->vmlinux_copy.path[0])
		return j->vmlinux_copy.path;
	if (unpack(in->vmlinux, c, &b->opt->unpack, &j->vmlinux_copy, why, sizeof(why)) != 0) {
		fall_back(b, in, "its vmlinux cannot be decompressed", why);
		return NULL;
	}
	input_note(in, "the vmlinux is %s-compressed: %s read its decompressed copy %s", compression_name(c), engine,
		   j->vmlinux_copy.path);
	return j->vmlinux_copy.path;
}

static void remove_copies(struct job *j)
{
	unpack_remove(&j->dump_copy);
	unpack_remove(&j->vmlinux_copy);
}

/* 0 when crash started; 1 when the input was decided here instead. */
static int start_job(struct batch *b, struct job *j, struct input *in)
{
	const char *vmlinux;

	if (in->compression && unpack_dump(b, j, in) != 0)
		return 1;
	if (!(vmlinux = vmlinux_for(b, j, in, "crash")))
		return 1;
	if (in->incomplete)
		input_note(in, "the dump is whole by its own headers: it went to crash");
	snprintf(in->engine, sizeof(in->engine), "crash");
	in->tier = 0;
	in->tier_what[0] = in->tier_falls[0] = 0;
	if (crash_start(&j->run, vmlinux, in->work, b->extension, b->opt->explain) != 0) {
		input_fail(in, "cannot start crash: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * An engine's result, checked against the text beside the dump; when crash
 * could not read the dump the text is the result, saying why.
 */
static void job_done(struct batch *b, struct input *in)
{
	char why[sizeof(in->error) + 40];

	if (!in->dmesg[0])
		return;
	if (!in->error[0]) {
		crosscheck_text(in);
		return;
	}
	snprintf(why, sizeof(why), "crash could not read the dump: %s", in->error);
	in->error[0] = 0;
	in->verdict = V_NONE;
	fall_back(b, in, "crash failed", why);
}

/* A finished or overdue crash: its result.  1 when the run ended. */
static int reap(struct batch *b, struct job *j, struct input *in)
{
	struct crash_run *run = &j->run;
	int status = 0;
	pid_t p = waitpid(run->pid, &status, WNOHANG);

	if (p == run->pid) {
		crash_finish(run, in, status, 0, b->opt->timeout_s);
	} else if (stopping(b)) {
		crash_abandon(run);     /* no result: mark_undecided says why; a finished copy stays for --resume */
		return 1;
	} else if (now() - run->started > b->opt->timeout_s) {
		kill(-run->pid, SIGKILL);
		waitpid(run->pid, &status, 0);
		crash_finish(run, in, status, 1, b->opt->timeout_s);
	} else
		return 0;
	job_done(b, in);
	remove_copies(j);
	decided(b, in);
	return 1;
}

/* One engine's share of the batch: which inputs it takes, how one starts and is reaped. */
struct engine_pass {
	enum input_plan plan;
	int (*start)(struct batch *b, struct job *j, struct input *in);
	int (*reap)(struct batch *b, struct job *j, struct input *in);
	unsigned poll_us;   /* a crash session takes seconds, the direct engine milliseconds */
	int progress;       /* a progress line on a terminal */
};

static pid_t job_pid(const struct job *j, enum input_plan plan)
{
	return plan == PLAN_CRASH ? j->run.pid : j->direct.pid;
}

/* An engine on up to -j inputs at once, each in a child; a stop kills the running ones. */
static void run_jobs(struct batch *b, struct job *jobs, const struct engine_pass *e)
{
	size_t n = b->inputs->n, next = 0, i;
	int running = 0;

	for (;;) {
		for (; running < b->opt->jobs && next < n && !stopping(b); next++) {
			struct input *in = &b->inputs->v[next];
			if (in->plan != e->plan || in->resumed)
				continue;
			if (e->start(b, &jobs[next], in) == 0)
				running++;
			else {
				remove_copies(&jobs[next]);
				decided(b, in);
			}
		}
		if (!running)
			break;
		for (i = 0; i < next; i++)
			if (job_pid(&jobs[i], e->plan) > 0 && e->reap(b, &jobs[i], &b->inputs->v[i]))
				running--;
		if (e->progress && isatty(2))
			fprintf(stderr, "\rvmfault-triage: %zu of %zu started, %d running   ", next, n, running);
		if (running)
			usleep(e->poll_us);
	}
	if (e->progress && isatty(2))
		fprintf(stderr, "\n");
}

/* ---- the direct engine's jobs --------------------------------------------------------------- */

/* The direct engine's result as crash's is kept: the tier's reasons, the text's cross-check. */
static void direct_decided(struct batch *b, struct job *j, struct input *in)
{
	/* the engine was given no vmlinux: say why none was found */
	if (!in->error[0] && !in->vmlinux[0] && in->vmlinux_why[0] &&
	    !strncmp(in->tier_falls, "tier 1: no vmlinux given", 24)) {
		char rest[sizeof(in->tier_falls)];
		snprintf(rest, sizeof(rest), "%s", in->tier_falls + 24);
		snprintf(in->tier_falls, sizeof(in->tier_falls), "%.300s%.290s", in->vmlinux_why, rest);
	}
	if (in->dmesg[0] && !in->error[0])
		crosscheck_text(in);
	remove_copies(j);
	decided(b, in);
}

/* The direct engine's answer taken back: crash reads the dump instead (its copy kept). */
static void to_crash(struct batch *b, struct job *j, struct input *in)
{
	free(in->report);
	free(in->explain);
	in->report = in->explain = NULL;
	in->verdict = V_NONE;
	in->error[0] = in->signature[0] = 0;
	in->plan = PLAN_CRASH;
	if (find_extension(b, in) != 0) {
		in->plan = PLAN_DONE;
		remove_copies(j);
		decided(b, in);
	}
}

/*
 * What the direct engine could not do, after all: a dump libkdumpfile cannot
 * open (or the engine died on, or was killed for the timeout) goes to crash
 * under --engine auto when its vmlinux is found, else to the text saved beside
 * it, else is an ERROR saying why; a dump the engine read only at tier 3 goes to crash
 * under auto when a vmlinux is there (crash reads its DWARF).
 */
static void after_direct(struct batch *b, struct job *j, struct input *in, int cannot_read)
{
	int crash_can = b->opt->engine == ENGINE_AUTO && in->vmlinux && in->vmlinux[0];

	if (cannot_read && crash_can) {
		snprintf(in->engine_why, sizeof(in->engine_why), "the direct engine cannot read the dump (%.200s)",
			 in->fallback);
	} else if (cannot_read) {
		char why[sizeof(in->fallback)];
		snprintf(why, sizeof(why), "%s", in->fallback);
		in->fallback[0] = 0;
		fall_back(b, in, "the direct engine cannot read the dump", why);
		remove_copies(j);
		decided(b, in);
		return;
	} else if (in->tier == 3 && crash_can) {
		snprintf(in->engine_why, sizeof(in->engine_why), "the direct engine reached tier 3 only (%.200s); "
			 "crash reads the vmlinux's DWARF", in->tier_falls);
	} else {
		direct_decided(b, j, in);
		return;
	}
	to_crash(b, j, in);
}

static int reap_direct(struct batch *b, struct job *j, struct input *in)
{
	struct direct_run *run = &j->direct;
	int status = 0;
	pid_t p = waitpid(run->pid, &status, WNOHANG);

	if (p == run->pid) {
		after_direct(b, j, in, direct_finish(run, in, status, 0, b->opt->timeout_s));
	} else if (stopping(b)) {
		direct_abandon(run);    /* a finished copy stays for --resume */
	} else if (now() - run->started > b->opt->timeout_s) {
		kill(run->pid, SIGKILL);
		waitpid(run->pid, &status, 0);
		after_direct(b, j, in, direct_finish(run, in, status, 1, b->opt->timeout_s));
	} else
		return 0;
	return 1;
}

/*
 * 0 when the direct engine started on the dump (its decompressed copy, the
 * vmlinux's); 1 when the input was decided here instead.
 */
static int start_direct(struct batch *b, struct job *j, struct input *in)
{
	struct input given;

	if (in->compression && unpack_dump(b, j, in) != 0)
		return 1;
	given = *in;    /* what the child reads: the copies, where there are */
	if (!(given.vmlinux = (char *)vmlinux_for(b, j, in, "the direct engine")))
		return 1;
	if (in->incomplete)
		input_note(in, "the dump is whole by its own headers: the direct engine read it");
	if (direct_start(&j->direct, &given, &b->opt->direct) != 0) {
		input_fail(in, "cannot start the direct engine: %s", strerror(errno));
		return 1;
	}
	return 0;
}

static const struct engine_pass direct_pass = { PLAN_DIRECT, start_direct, reap_direct, 2000, 0 };
static const struct engine_pass crash_pass = { PLAN_CRASH, start_job, reap, 50000, 1 };

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
	struct job *jobs = calloc(b->inputs->n ? b->inputs->n : 1, sizeof(*jobs));

	if (!jobs)
		b->stopped = "out of memory";
	if (!b->stopped)
		plan_all(b);
	if (!b->stopped && results_open(b->results, b->inputs) != 0)
		b->stopped = "the results file could not be written";
	if (!b->stopped)
		decide_here(b);
	if (!b->stopped)
		run_jobs(b, jobs, &direct_pass);
	if (!b->stopped)
		run_jobs(b, jobs, &crash_pass);
	if (b->stopped)
		mark_undecided(b);
	free(jobs);
	return b->stopped ? -1 : 0;
}
