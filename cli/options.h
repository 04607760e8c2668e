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
	struct vmlinux_dirs dirs;
	const char *extension;    /* what crash is told to `extend` */
	const char *results_path; /* -o */
	struct unpack_opts unpack; /* --cache, --keep-free; --resume reuses finished copies */
	char **paths;
	int npaths;
};

#define EXIT_USAGE 64

/* Fills o from argv; returns -1 after printing the usage (exit EXIT_USAGE), 0 to go on. */
int options_parse(int argc, char **argv, struct options *o);
void options_free(struct options *o);

#endif
