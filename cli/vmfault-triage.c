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
#include <stdio.h>
#include <time.h>
#include <unistd.h>
#include "discover.h"
#include "jobs.h"
#include "options.h"
#include "output.h"
#include "results.h"
#include "shard.h"
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

static int discover_all(struct input_list *inputs, const struct options *opt)
{
	int i;

	for (i = 0; i < opt->npaths; i++)
		if (discover(inputs, opt->paths[i]) != 0) {
			fprintf(stderr, "vmfault-triage: out of memory listing %s\n", opt->paths[i]);
			return -1;
		}
	return 0;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct input_list inputs = { NULL, 0, 0 };
	struct results results = { NULL, NULL, NULL, 0, 0 };
	struct batch batch = { &inputs, &opt, &results, NULL };
	struct tally tally;
	double t0 = now();
	int status = 2;

	if (options_parse(argc, argv, &opt) != 0)
		return EXIT_USAGE;
	results.path = opt.results_path;
	if (discover_all(&inputs, &opt) != 0)
		goto out;
	if (opt.shard_n > 1)
		input_list_filter(&inputs, in_shard, &opt);
	if (opt.resume)
		results_load_previous(&results);
	if (results_open(&results) != 0)
		goto out;
	if (batch_run(&batch) != 0)
		goto out;
	if (opt.json)
		output_json(stdout, &inputs, &tally);
	else
		output_table(stdout, &inputs, now() - t0, &tally);
	if (results.reused)
		fprintf(stderr, "vmfault-triage: %d of %zu results were current in %s and reused\n", results.reused,
			inputs.n, results.path);
	status = output_exit_status(&tally);
out:
	vmlinux_lookup_end();
	results_close(&results);
	input_list_free(&inputs);
	options_free(&opt);
	return status;
}
