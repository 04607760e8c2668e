/*
 * jobs.c - plan each input's job, decide what can be decided here, and run
 * crash on the rest.
 *
 * A dump compressed as a whole is identified from the head of its
 * decompressed stream while planning (so --resume can reuse its result without
 * decompressing it), decompressed into the cache when its crash job starts,
 * and the copy removed when its result is decided (unpack.h).  The text saved
 * beside a dump is its fallback when crash cannot read the dump, and its
 * cross-check when crash can (crosscheck.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmf_diag.h"
#include "crash.h"
#include "crosscheck.h"
#include "decompress.h"
#include "dumpid.h"
#include "textdiag.h"
#include "unpack.h"
#include "vmlinux.h"
#include "jobs.h"

/* How an input's job runs. */
enum plan { PLAN_DONE, PLAN_TEXT, PLAN_CRASH };

/* What the decompressed head of a compressed dump must hold: its headers and VMCOREINFO. */
#define COMPRESSED_HEAD_LEN (16u << 20)

/* An input's job while it runs: crash, and the decompressed copies it reads. */
struct job {
	struct crash_run run;
	struct unpacked dump_copy, vmlinux_copy;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
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
static void make_stamp(struct input *in, enum plan plan, const char *extension)
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

/* The text beside the dump, or an ERROR that says why neither can be read. */
static enum plan text_or_fail(struct input *in, const char *reason, const char *why, char *source, size_t slen)
{
	if (in->dmesg[0]) {
		snprintf(source, slen, "%s (%s)", input_text_name(in), reason);
		input_note(in, "the verdict is from %s: %s", input_text_name(in), why);
		return PLAN_TEXT;
	}
	if (in->incomplete)
		input_fail(in, "the dump's save did not finish and what it holds cannot be read (%s); no text was saved "
			   "beside it", why);
	else
		input_fail(in, "%s", why);
	return PLAN_DONE;
}

/*
 * A dump goes to crash when its machine is x86_64, its VMCOREINFO names its
 * release, it is whole, and its vmlinux is found; else it falls back to the
 * text saved beside it if it has one, or is an ERROR.  A compressed dump's
 * wholeness is known once it is decompressed (start_job).
 */
static enum plan plan_dump(struct input *in, const struct options *opt, char *source, size_t slen)
{
	char why[600], mismatch[400];
	struct dump_id id;
	int no_info;

	in->compression = compression_detect(in->dump);
	if (in->compression)
		no_info = compressed_headers(in, &id, why, sizeof(why));
	else {
		if (dump_identify(in->dump, &id, why, sizeof(why)) != 0)
			memset(&id, 0, sizeof(id));
		no_info = id.machine[0] && strcmp(id.machine, "x86_64") ? 0 :
			dump_vmcoreinfo(in->dump, in->release, sizeof(in->release), in->build_id, sizeof(in->build_id),
					why, sizeof(why));
	}
	if (id.machine[0] && strcmp(id.machine, "x86_64")) {
		input_fail(in, "the dump is for %s: vmfault diagnoses x86_64 dumps only", id.machine);
		return PLAN_DONE;
	}
	if (no_info)
		return text_or_fail(in, "no VMCOREINFO in the dump", why, source, slen);
	if (!in->compression && dump_truncated(in->dump, &id, why, sizeof(why)))
		return text_or_fail(in, "the dump is truncated", why, source, slen);
	if (find_vmlinux(in, &opt->dirs, mismatch, sizeof(mismatch)) != 0) {
		if (mismatch[0])
			snprintf(why, sizeof(why), "no vmlinux matches the dump's BUILD-ID: %s", mismatch);
		else
			snprintf(why, sizeof(why), "no vmlinux for %s (give --vmlinux-dir)", in->release);
		return text_or_fail(in, "no matching vmlinux", why, source, slen);
	}
	return PLAN_CRASH;
}

static enum plan plan_input(struct input *in, const struct options *opt, char *source, size_t slen)
{
	snprintf(source, slen, "console log text");
	if (in->error[0])
		return PLAN_DONE;
	return in->kind == K_TEXT ? PLAN_TEXT : plan_dump(in, opt, source, slen);
}

/* ---- running ---------------------------------------------------------------------------- */

static void decided(struct batch *b, struct input *in)
{
	results_write(b->results, in);
}

/* Everything decided in this process; what is left for crash keeps verdict V_NONE and no error. */
static void decide_here(struct batch *b, char *to_crash)
{
	size_t i;

	for (i = 0; i < b->inputs->n; i++) {
		struct input *in = &b->inputs->v[i];
		char source[200];
		enum plan plan = plan_input(in, b->opt, source, sizeof(source));

		if (plan != PLAN_DONE) {
			make_stamp(in, plan, b->opt->extension);
			if (b->opt->resume && results_reuse(b->results, in))
				plan = PLAN_DONE;
		}
		if (plan == PLAN_CRASH) {
			to_crash[i] = 1;
			continue;
		}
		if (plan == PLAN_TEXT)
			diagnose_text(in, source);
		decided(b, in);
	}
}

/* In the job: the text instead of the dump, or the reason neither can be read. */
static void fall_back(struct input *in, const char *reason, const char *why)
{
	char source[200];

	if (text_or_fail(in, reason, why, source, sizeof(source)) == PLAN_TEXT)
		diagnose_text(in, source);
}

/*
 * The decompressed copy crash reads.  0 when crash can start; 1 when the input
 * was decided here (it cannot be decompressed, or what it holds is cut).
 */
static int unpack_dump(struct batch *b, struct job *j, struct input *in)
{
	const char *comp = compression_name((enum compression)in->compression);
	char why[600], *copy;
	struct dump_id id;

	if (unpack(in->dump, (enum compression)in->compression, &b->opt->unpack, &j->dump_copy, why, sizeof(why))) {
		fall_back(in, "the dump cannot be decompressed", why);
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
		fall_back(in, "the dump is cut", why);
		return 1;
	}
	if (dump_identify(in->work, &id, why, sizeof(why)) == 0 && dump_truncated(in->work, &id, why, sizeof(why))) {
		fall_back(in, "the dump is truncated", why);
		return 1;
	}
	return 0;
}

/* A compressed vmlinux found beside the dump (SUSE) is decompressed for crash too. */
static const char *vmlinux_for_crash(struct batch *b, struct job *j, struct input *in)
{
	enum compression c = compression_detect(in->vmlinux);
	char why[600];

	if (c == COMP_NONE)
		return in->vmlinux;
	if (unpack(in->vmlinux, c, &b->opt->unpack, &j->vmlinux_copy, why, sizeof(why)) != 0) {
		fall_back(in, "its vmlinux cannot be decompressed", why);
		return NULL;
	}
	input_note(in, "the vmlinux is %s-compressed: crash read its decompressed copy %s", compression_name(c),
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
	if (!(vmlinux = vmlinux_for_crash(b, j, in)))
		return 1;
	if (in->incomplete)
		input_note(in, "the dump is whole by its own headers: it went to crash");
	if (crash_start(&j->run, vmlinux, in->work, b->opt->extension) != 0) {
		input_fail(in, "cannot start crash: %s", strerror(errno));
		return 1;
	}
	return 0;
}

/*
 * crash's result, checked against the text beside the dump; when crash could
 * not read the dump the text is the result.  A vmfault.so crash cannot load
 * is the batch's problem, not the dump's: it stays an ERROR.
 */
static void job_done(struct input *in)
{
	char why[sizeof(in->error) + 40];

	if (!in->dmesg[0])
		return;
	if (!in->error[0]) {
		crosscheck_text(in);
		return;
	}
	if (!strncmp(in->error, "extend: ", 8))
		return;
	snprintf(why, sizeof(why), "crash could not read the dump: %s", in->error);
	in->error[0] = 0;
	in->verdict = V_NONE;
	fall_back(in, "crash failed", why);
}

/* A finished or overdue crash: its result.  1 when the run ended. */
static int reap(struct batch *b, struct job *j, struct input *in)
{
	int status = 0;
	pid_t p = waitpid(j->run.pid, &status, WNOHANG);

	if (p == j->run.pid) {
		crash_finish(&j->run, in, status, 0, b->opt->timeout_s);
	} else if (now() - j->run.started > b->opt->timeout_s) {
		kill(-j->run.pid, SIGKILL);
		waitpid(j->run.pid, &status, 0);
		crash_finish(&j->run, in, status, 1, b->opt->timeout_s);
	} else
		return 0;
	job_done(in);
	remove_copies(j);
	decided(b, in);
	return 1;
}

/* crash on up to -j dumps at once */
static void run_crash_jobs(struct batch *b, const char *to_crash)
{
	size_t n = b->inputs->n, next = 0, i;
	struct job *jobs = calloc(n ? n : 1, sizeof(*jobs));
	int running = 0;

	for (; jobs;) {
		for (; running < b->opt->jobs && next < n; next++) {
			struct input *in = &b->inputs->v[next];
			if (!to_crash[next])
				continue;
			if (start_job(b, &jobs[next], in) == 0)
				running++;
			else {
				remove_copies(&jobs[next]);
				decided(b, in);
			}
		}
		if (!running)
			break;
		for (i = 0; i < next; i++)
			if (jobs[i].run.pid > 0 && reap(b, &jobs[i], &b->inputs->v[i]))
				running--;
		if (isatty(2))
			fprintf(stderr, "\rvmfault-triage: %zu of %zu started, %d running   ", next, n, running);
		usleep(50000);
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	free(jobs);
}

void batch_run(struct batch *b)
{
	char *to_crash = calloc(b->inputs->n ? b->inputs->n : 1, 1);

	if (!to_crash) {
		fprintf(stderr, "vmfault-triage: out of memory\n");
		return;
	}
	decide_here(b, to_crash);
	run_crash_jobs(b, to_crash);
	free(to_crash);
}
