/*
 * options.h - vmfault-triage's command line.
 */
#ifndef TRIAGE_OPTIONS_H
#define TRIAGE_OPTIONS_H

#include "unpack.h"
#include "vmlinux.h"
#include "direct.h"

/* --engine: who reads a dump.  AUTO: the direct engine, crash where it must (jobs.c says when). */
enum engine_choice { ENGINE_AUTO = 0, ENGINE_DIRECT, ENGINE_CRASH };

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
	enum engine_choice engine;
	struct direct_opts direct;    /* cache directory, first tier (--no-vmlinux, --no-symbols) */
	int human;                /* -v, --ptwalk, --ptaudit: a human report per dump instead of the batch */
	struct human_req req;
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
