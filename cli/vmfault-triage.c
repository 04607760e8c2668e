/*
 * vmfault-triage - batch triage of kdump vmcores and console logs.
 *
 * A vmcore is diagnosed by crash itself in batch mode (`extend vmfault.so`,
 * `vmfault -j`), because only crash knows every dump format and kernel layout;
 * a console log, or a dump without its vmlinux, is diagnosed here from the text
 * alone with the same engine, and says so.  One bad input never stops a batch:
 * it becomes a result with verdict ERROR and a one-line reason.
 *
 * The parts: options.c (the command line), discover.c (paths to inputs),
 * dumpid.c (what a dump is, from its headers), vmlinux.c (its vmlinux),
 * jobs.c (each input's job: textdiag.c here, crash.c in crash), results.c (the
 * result lines, -o and --resume), output.c (the table or JSON, the exit status).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stdlib.h>
#include "crash.h"
#include "decompress.h"
#include "direct.h"
#include "discover.h"
#include "dumpid.h"
#include "jobs.h"
#include "options.h"
#include "output.h"
#include "results.h"
#include "shard.h"
#include "unpack.h"
#include "vmlinux.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --shard K/N: an input is this run's when its path falls in share K (shard.c) */
static int in_shard(const struct input *in, const void *arg)
{
	const struct options *opt = arg;

	return vmf_shard_of(in->path, opt->shard_n) == opt->shard_k;
}

/* The inputs of every path; what was skipped, on standard error.  Else the exit status. */
static int discover_all(struct input_list *inputs, const struct options *opt)
{
	struct discovery d;
	int i, ret = 0;

	if (discovery_init(&d, inputs, opt->results_path) != 0)
		ret = -1;
	for (i = 0; i < opt->npaths && !ret; i++)
		ret = discover(&d, opt->paths[i]);
	if (ret == -2)
		fprintf(stderr, "vmfault-triage: %s is both an input and the -o results file: refusing to overwrite "
			"an input\n", opt->paths[i - 1]);
	else if (ret)
		fprintf(stderr, "vmfault-triage: out of memory listing %s\n", opt->paths[i - 1]);
	else
		discovery_report(&d, stderr);
	discovery_free(&d);
	return ret == -2 ? EXIT_USAGE : ret ? 2 : 0;
}

/* What --resume found in the results file, on standard error. */
static void say_resumed(const struct results *res, size_t ninputs)
{
	if (res->invalid)
		fprintf(stderr, "vmfault-triage: %d line%s of %s %s not a whole result (cut or damaged): "
			"%s input%s run%s again\n", res->invalid, res->invalid == 1 ? "" : "s", res->path,
			res->invalid == 1 ? "was" : "were", res->invalid == 1 ? "its" : "their",
			res->invalid == 1 ? "" : "s", res->invalid == 1 ? "s" : "");
	if (res->reused)
		fprintf(stderr, "vmfault-triage: %d of %zu results were current in %s and reused\n", res->reused,
			ninputs, res->path);
}

/* Standard output is checked too: a full disk under `> results.jsonl` must not pass unnoticed. */
static int flush_stdout(void)
{
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	perror("vmfault-triage: cannot write standard output");
	return -1;
}

/* A signal stopped the batch: the results file keeps its whole lines, nothing is left in TMPDIR. */
static void die_of_signal(int sig, const struct results *res)
{
	if (res->path)
		fprintf(stderr, "vmfault-triage: %s: %s holds %d whole result line%s; rerun with --resume to go on\n",
			strsignal(sig), res->path, res->written, res->written == 1 ? "" : "s");
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * -v, --ptwalk, --ptaudit: each dump's human report through the direct engine,
 * for a machine where crash will not start.  Exit 0, or 2 when one failed.
 */
/* A file compressed as a whole, decompressed into u for the direct engine; -1 after one line on stderr. */
static int human_copy(const struct input *in, const char *file, const struct options *opt, struct unpacked *u,
		      char **into)
{
	enum compression c = compression_detect(file);
	char why[600], *copy = NULL;

	if (c == COMP_NONE)
		return 0;
	if (unpack(file, c, &opt->unpack, u, why, sizeof(why)) != 0)
		copy = NULL;
	else if (u->cut)
		snprintf(why, sizeof(why), "the %s stream ends early: %s is cut", compression_name(c), file);
	else if (!(copy = strdup(u->path)))
		snprintf(why, sizeof(why), "out of memory");
	if (!copy || u->cut) {
		fprintf(stderr, "vmfault-triage: %s: %s\n", in->path, why);
		free(copy);
		return -1;
	}
	free(*into);
	*into = copy;
	return 0;
}

/* One dump's human report, through the decompressed copies of a compressed dump or vmlinux. */
static int human_one(struct input *in, const struct options *opt)
{
	struct unpacked dump_copy, vmlinux_copy;
	char why[600];
	int ret = -1;

	memset(&dump_copy, 0, sizeof(dump_copy));
	memset(&vmlinux_copy, 0, sizeof(vmlinux_copy));
	if (human_copy(in, in->dump, opt, &dump_copy, &in->work) != 0)
		goto out;
	if (opt->direct.first_tier <= 1 &&
	    dump_vmcoreinfo(in->work, in->release, sizeof(in->release), in->build_id, sizeof(in->build_id),
			    why, sizeof(why)) == 0 &&
	    find_vmlinux(in, &opt->dirs, why, sizeof(why)) != 0) {
		free(in->vmlinux);
		in->vmlinux = strdup("");
	}
	if (in->vmlinux && in->vmlinux[0] && human_copy(in, in->vmlinux, opt, &vmlinux_copy, &in->vmlinux) != 0)
		goto out;
	ret = direct_human(stdout, in, &opt->direct, &opt->req);
out:
	unpack_remove(&dump_copy);
	unpack_remove(&vmlinux_copy);
	return ret;
}

static int run_human(struct input_list *inputs, const struct options *opt)
{
	int status = 0;
	size_t i;

	for (i = 0; i < inputs->n; i++) {
		struct input *in = &inputs->v[i];

		if (inputs->n > 1)
			printf("%s==> %s <==\n", i ? "\n" : "", in->path);
		if (in->kind == K_TEXT || in->error[0]) {
			fprintf(stderr, "vmfault-triage: %s: %s\n", in->path,
				in->error[0] ? in->error : "a console log: -v, --ptwalk and --ptaudit read dumps");
			status = 2;
			continue;
		}
		if (human_one(in, opt))
			status = 2;
		fflush(stdout);
	}
	return status;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct input_list inputs = { NULL, 0, 0 };
	struct results results;
	struct batch batch = { &inputs, &opt, &results, NULL, NULL };
	struct tally tally;
	double t0 = now();
	int status, ran;

	if ((status = options_parse(argc, argv, &opt)) != 0) {
		options_free(&opt);
		return status < 0 ? EXIT_USAGE : 0;
	}
	/* under a file-size limit a write fails with EFBIG, said like any write error, instead of killing us */
	signal(SIGXFSZ, SIG_IGN);
	batch_catch_signals();
	results_init(&results, opt.results_path);
	results.explain = opt.explain;
	if ((status = discover_all(&inputs, &opt)) != 0)
		goto out;
	if (opt.shard_n > 1)
		input_list_filter(&inputs, in_shard, &opt);
	if (opt.human) {
		status = run_human(&inputs, &opt);
		goto out;
	}
	status = 2;
	if (opt.resume && results_load_previous(&results) != 0)
		goto out;
	ran = batch_run(&batch);
	crash_cleanup();
	if (results_close(&results) != 0)
		ran = -1;
	if (batch_caught_signal())
		die_of_signal(batch_caught_signal(), &results);
	if (opt.json)
		output_json(stdout, &inputs, &tally);
	else
		output_table(stdout, &inputs, now() - t0, opt.explain, &tally);
	say_resumed(&results, inputs.n);
	status = output_exit_status(&tally);
	if (ran != 0 || flush_stdout() != 0)
		status = 2;
out:
	vmlinux_lookup_end();
	results_close(&results);
	results_free(&results);
	input_list_free(&inputs);
	options_free(&opt);
	return status;
}
