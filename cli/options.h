/*
 * options.h - vmfault-triage's command line.
 */
#ifndef TRIAGE_OPTIONS_H
#define TRIAGE_OPTIONS_H

#include "unpack.h"
#include "vmlinux.h"

struct options {
	int jobs;                 /* crash sessions at once */
	int timeout_s;            /* per crash session */
	int json;                 /* --json, else the table */
	int resume;
	int help;                 /* --help: printed, nothing else done */
	int explain;              /* -v, --explain: each input's full report too */
	struct vmlinux_dirs dirs;
	const char *extension;    /* what crash is told to `extend` */
	const char *results_path; /* -o */
	unsigned shard_k, shard_n; /* --shard K/N: this run's share of the inputs (1/1: all) */
	struct unpack_opts unpack; /* --cache-dir, --keep-free; --resume reuses finished copies */
	char **paths;
	int npaths;
};

#define EXIT_USAGE 64

/*
 * Fills o from argv: 0 to go on; 1 after --help printed the help (exit 0); -1
 * after the reason and the usage went to stderr (exit EXIT_USAGE).
 */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);

#endif
