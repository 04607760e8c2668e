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
#include "vmf_diag.h"
#include "crash.h"
#include "dumpid.h"
#include "extension.h"
#include "textdiag.h"
#include "vmlinux.h"
#include "jobs.h"

/* How an input's job runs. */
enum plan { PLAN_DONE, PLAN_TEXT, PLAN_CRASH };

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

/* the tool's version, the inputs' sizes and times, and for crash the vmlinux and the extension */
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

/*
 * A dump goes to crash when its machine is x86_64, its VMCOREINFO names its
 * release, it is whole, and its vmlinux is found; else it falls back to its
 * vmcore-dmesg.txt if it has one, or is an ERROR.
 */
static enum plan plan_dump(struct input *in, const struct options *opt, const char **source)
{
	char why[600];
	struct dump_id id;

	if (dump_identify(in->dump, &id, why, sizeof(why)) == 0 && id.machine[0] && strcmp(id.machine, "x86_64")) {
		input_fail(in, "the dump is for %s: vmfault diagnoses x86_64 dumps only", id.machine);
		return PLAN_DONE;
	}
	if (dump_vmcoreinfo(in->dump, in->release, sizeof(in->release), in->build_id, sizeof(in->build_id), why,
			    sizeof(why)) != 0) {
		*source = "vmcore-dmesg.txt (no VMCOREINFO in the dump)";
	} else if (dump_truncated(in->dump, &id, why, sizeof(why))) {
		*source = "vmcore-dmesg.txt (the dump is truncated)";
	} else if (find_vmlinux(in, &opt->dirs, why, sizeof(why)) != 0) {
		*source = "vmcore-dmesg.txt (no matching vmlinux)";
	} else
		return PLAN_CRASH;
	if (in->dmesg[0])
		return PLAN_TEXT;
	input_fail(in, "%s", why);
	return PLAN_DONE;
}

static enum plan plan_input(struct input *in, const struct options *opt, const char **source)
{
	*source = "console log text";
	if (in->error[0])
		return PLAN_DONE;
	return in->kind == K_TEXT ? PLAN_TEXT : plan_dump(in, opt, source);
}

/* ---- running ---------------------------------------------------------------------------- */

static void decided(struct batch *b, struct input *in)
{
	results_write(b->results, in);
}

/*
 * The extension crash is given, found once before the first dump goes to crash
 * (extension.c): a missing one stops the batch with one line, instead of a
 * crash start-up per dump that ends in "extend: ... not found".
 */
static int find_extension(struct batch *b)
{
	static char path[PATH_MAX];
	const char *dirs[VMF_EXTENSION_DIRS];
	char self[PATH_MAX], why[1500];
	int n = vmf_crash_extension_dirs(dirs, VMF_EXTENSION_DIRS);

	if (b->extension)
		return 0;
	if (vmf_find_extension(b->opt->extension, vmf_self_dir(self, sizeof(self)) == 0 ? self : NULL, dirs, n, path,
			       sizeof(path), why, sizeof(why)) != 0) {
		fprintf(stderr, "vmfault-triage: %s\n", why);
		return -1;
	}
	b->extension = path;
	return 0;
}

/* Everything decided in this process; what is left for crash keeps verdict V_NONE and no error. */
static int decide_here(struct batch *b, char *to_crash)
{
	size_t i;

	for (i = 0; i < b->inputs->n; i++) {
		struct input *in = &b->inputs->v[i];
		const char *source;
		enum plan plan = plan_input(in, b->opt, &source);

		if (plan == PLAN_CRASH && find_extension(b) != 0)
			return -1;
		if (plan != PLAN_DONE) {
			make_stamp(in, plan, b->extension);
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
	return 0;
}

/* A finished or overdue crash: its result.  1 when the run ended. */
static int reap(struct batch *b, struct crash_run *run, struct input *in)
{
	int status = 0;
	pid_t p = waitpid(run->pid, &status, WNOHANG);

	if (p == run->pid) {
		crash_finish(run, in, status, 0, b->opt->timeout_s);
	} else if (now() - run->started > b->opt->timeout_s) {
		kill(-run->pid, SIGKILL);
		waitpid(run->pid, &status, 0);
		crash_finish(run, in, status, 1, b->opt->timeout_s);
	} else
		return 0;
	decided(b, in);
	return 1;
}

/* crash on up to -j dumps at once */
static void run_crash_jobs(struct batch *b, const char *to_crash)
{
	size_t n = b->inputs->n, next = 0, i;
	struct crash_run *runs = calloc(n ? n : 1, sizeof(*runs));
	int running = 0;

	for (; runs;) {
		for (; running < b->opt->jobs && next < n; next++) {
			struct input *in = &b->inputs->v[next];
			if (!to_crash[next])
				continue;
			if (crash_start(&runs[next], in, b->extension) == 0)
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
		usleep(50000);
	}
	if (isatty(2))
		fprintf(stderr, "\n");
	free(runs);
}

int batch_run(struct batch *b)
{
	char *to_crash = calloc(b->inputs->n ? b->inputs->n : 1, 1);
	int ret = -1;

	if (!to_crash) {
		fprintf(stderr, "vmfault-triage: out of memory\n");
		return -1;
	}
	if (decide_here(b, to_crash) == 0) {
		run_crash_jobs(b, to_crash);
		ret = 0;
	}
	free(to_crash);
	return ret;
}
