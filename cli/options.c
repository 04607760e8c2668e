/*
 * options.c - one table of options: its names are what the man page and
 * docs/workflow.md must document (tests/docs-check.sh reads them from here),
 * and --help prints it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "files.h"
#include "options.h"
#include "shard.h"

static int positive(const char *name, const char *arg, int *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || v < 1 || v > 1000000) {
		fprintf(stderr, "vmfault-triage: %s takes a number from 1, not \"%s\"\n", name, arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int set_jobs(struct options *o, const char *arg)
{
	return positive("-j", arg, &o->jobs);
}

static int set_timeout(struct options *o, const char *arg)
{
	return positive("-t", arg, &o->timeout_s);
}

/* a directory that is not there would only turn every dump into "no vmlinux" */
static int add_vmlinux_dir(struct options *o, const char *arg)
{
	const char **v;
	struct stat st;

	if (stat(arg, &st) != 0) {
		fprintf(stderr, "vmfault-triage: --vmlinux-dir %s: %s\n", arg, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "vmfault-triage: --vmlinux-dir %s: not a directory\n", arg);
		return -1;
	}
	v = realloc(o->dirs.v, (o->dirs.n + 1) * sizeof(*v));
	if (!v)
		return -1;
	v[o->dirs.n++] = arg;
	o->dirs.v = v;
	return 0;
}

static int set_debuginfod(struct options *o, const char *arg)
{
	o->dirs.debuginfod = arg;
	return 0;
}

/* one cache directory: the vmlinux index, and the direct engine's rearranged dumps, BTF and kallsyms */
static int set_cache_dir(struct options *o, const char *arg)
{
	o->dirs.cache_dir = arg;
	o->unpack.cache_dir = arg;
	o->direct.cache_dir = arg;
	return 0;
}

static int set_shard(struct options *o, const char *arg)
{
	char why[120];

	if (vmf_shard_parse(arg, &o->shard_k, &o->shard_n, why, sizeof(why)) == 0)
		return 0;
	fprintf(stderr, "vmfault-triage: %s\n", why);
	return -1;
}

static int set_extension(struct options *o, const char *arg)
{
	o->extension = arg;
	return 0;
}

static int set_results(struct options *o, const char *arg)
{
	o->results_path = arg;
	return 0;
}

static int set_resume(struct options *o, const char *arg)
{
	(void)arg;
	o->resume = 1;
	o->unpack.reuse = 1;
	return 0;
}

/* MiB the decompressed copies leave free on the cache's file system */
static int set_keep_free(struct options *o, const char *arg)
{
	char *end;
	unsigned long long v = strtoull(arg, &end, 10);

	if (end == arg || *end || v > (1ull << 40))
		return -1;
	o->unpack.keep_free = (uint64_t)v << 20;
	return 0;
}

static int set_json(struct options *o, const char *arg)
{
	(void)arg;
	o->json = 1;
	return 0;
}

static int set_table(struct options *o, const char *arg)
{
	(void)arg;
	o->json = 0;
	return 0;
}

static int set_engine(struct options *o, const char *arg)
{
	static const char *const names[] = { "auto", "direct", "crash" };
	int i;

	for (i = 0; i < 3; i++)
		if (!strcmp(arg, names[i])) {
			o->engine = (enum engine_choice)i;
			return 0;
		}
	fprintf(stderr, "vmfault-triage: --engine takes auto, direct or crash, not \"%s\"\n", arg);
	return -1;
}

static int set_no_vmlinux(struct options *o, const char *arg)
{
	(void)arg;
	if (o->direct.first_tier < 2)
		o->direct.first_tier = 2;
	return 0;
}

static int set_no_symbols(struct options *o, const char *arg)
{
	(void)arg;
	o->direct.first_tier = 3;
	return 0;
}

static int set_ptwalk(struct options *o, const char *arg)
{
	char *end;

	errno = 0;
	o->req.addr = strtoull(arg, &end, 16);
	if (errno || end == arg || *end) {
		fprintf(stderr, "vmfault-triage: --ptwalk takes a hexadecimal address, not \"%s\"\n", arg);
		return -1;
	}
	o->human = 1;
	o->req.what = HUMAN_PTWALK;
	return 0;
}

static int set_pid(struct options *o, const char *arg)
{
	o->req.pid = arg;
	return 0;
}

static int set_ptaudit(struct options *o, const char *arg)
{
	(void)arg;
	o->human = 1;
	o->req.what = HUMAN_PTAUDIT;
	return 0;
}

static int set_explain(struct options *o, const char *arg)
{
	(void)arg;
	o->explain = 1;
	return 0;
}

static int set_help(struct options *o, const char *arg)
{
	(void)arg;
	o->help = 1;
	return 0;
}

static const struct option_spec {
	const char *name;
	const char *arg;          /* its argument's name; NULL for a flag */
	int (*set)(struct options *o, const char *arg);
	const char *help;
} option_specs[] = {
	{ "-j", "JOBS", set_jobs, "crash sessions at once (default: the number of CPUs)" },
	{ "-t", "SECONDS", set_timeout, "kill a crash session after SECONDS (default 300)" },
	{ "--vmlinux-dir", "DIR", add_vmlinux_dir, "a tree to find vmlinux files in, any layout (may be repeated)" },
	{ "--debuginfod", "URL", set_debuginfod, "fetch a missing vmlinux from this debuginfod server" },
	{ "--cache-dir", "DIR", set_cache_dir, "keep the --vmlinux-dir index, rearranged flattened dumps, decompressed dumps, BTF and kallsyms in DIR" },
	{ "--extension", "PATH", set_extension, "the vmfault.so crash loads (default $VMFAULT_SO, else beside the binary)" },
	{ "--shard", "K/N", set_shard, "diagnose only share K of N of the inputs (by path)" },
	{ "--json", NULL, set_json, "one JSON line per input" },
	{ "--table", NULL, set_table, "a table and counts per verdict (the default)" },
	{ "-o", "FILE", set_results, "write each result line to FILE as soon as it is decided" },
	{ "--resume", NULL, set_resume, "with -o: reuse the results in FILE that are still current" },
	{ "--keep-free", "MIB", set_keep_free, "leave MIB MiB free where compressed dumps are decompressed (default 1024)" },
	{ "-v", NULL, set_explain, "each input's full report too, as crash> vmfault -v prints it" },
	{ "--explain", NULL, set_explain, "the same as -v" },
	{ "--engine", "MODE", set_engine, "auto (default: direct, crash where it must), direct or crash" },
	{ "--no-vmlinux", NULL, set_no_vmlinux, "direct engine: read the dump alone (tier 2), no vmlinux" },
	{ "--no-symbols", NULL, set_no_symbols, "direct engine: VMCOREINFO alone (tier 3), no symbols or BTF" },
	{ "--ptwalk", "ADDR", set_ptwalk, "print each dump's walk of ADDR, the task's and init_mm's (as ptwalk)" },
	{ "--pid", "PID", set_pid, "with --ptwalk: this task instead of the oops' or the panic task" },
	{ "--ptaudit", NULL, set_ptaudit, "print each dump's audit of every mm against init_mm (as ptaudit; -v lists them)" },
	{ "--help", NULL, set_help, "this text" },
	{ "-h", NULL, set_help, "this text" },
};

#define NSPECS (sizeof(option_specs) / sizeof(option_specs[0]))

static void print_usage(FILE *f)
{
	fprintf(f, "usage: vmfault-triage [-j JOBS] [-t SECONDS] [--vmlinux-dir DIR]... [--debuginfod URL] "
		   "[--cache-dir DIR] [--keep-free MIB] [--extension PATH] [--shard K/N] [--json|--table] [-v] [-o FILE [--resume]]\n"
		   "                      [--engine auto|direct|crash] [--no-vmlinux|--no-symbols] [--] PATH...\n"
		   "       vmfault-triage --ptwalk ADDR [--pid PID] | --ptaudit [-v]  [--no-vmlinux|--no-symbols] DUMP...\n");
}

static int usage(void)
{
	print_usage(stderr);
	return -1;
}

static void print_help(void)
{
	size_t i;
	char head[40];

	print_usage(stdout);
	printf("\nDiagnose vmcores, kdump directories, trees of them and console logs for the large-page\n"
	       "vmalloc_fault() oops (see vmfault-triage(1)).  Exit status: 0 nothing matched, 1 something\n"
	       "matched, 2 some input failed, 64 usage.\n\n");
	for (i = 0; i < NSPECS; i++) {
		snprintf(head, sizeof(head), "%s%s%s", option_specs[i].name, option_specs[i].arg ? " " : "",
			 option_specs[i].arg ? option_specs[i].arg : "");
		printf("  %-20s %s\n", head, option_specs[i].help);
	}
	printf("  %-20s %s\n", "--", "the arguments after it are paths, even when they start with '-'");
}

static const struct option_spec *find_option(const char *name)
{
	size_t i;

	for (i = 0; i < NSPECS; i++)
		if (!strcmp(option_specs[i].name, name))
			return &option_specs[i];
	return NULL;
}

/* One option at argv[*i], with its argument; an argument that is itself an option is refused. */
static int take_option(int argc, char **argv, int *i, struct options *o)
{
	const struct option_spec *spec = find_option(argv[*i]);
	const char *arg = NULL;

	if (!spec) {
		fprintf(stderr, "vmfault-triage: unknown option %s\n", argv[*i]);
		return -1;
	}
	if (spec->arg) {
		if (*i + 1 >= argc) {
			fprintf(stderr, "vmfault-triage: %s needs %s\n", spec->name, spec->arg);
			return -1;
		}
		arg = argv[++*i];
		if (arg[0] == '-' && find_option(arg)) {
			fprintf(stderr, "vmfault-triage: %s needs %s, not the option %s (for a file of that name: ./%s)\n",
				spec->name, spec->arg, arg, arg);
			return -1;
		}
	}
	return spec->set(o, arg);
}

static int check_options(struct options *o)
{
	struct stat st;

	if (!o->npaths || (o->resume && !o->results_path))
		return -1;
	if (o->resume && stat(o->results_path, &st) == 0 && !S_ISREG(st.st_mode)) {
		fprintf(stderr, "vmfault-triage: --resume needs -o FILE to be a regular file; %s is %s\n",
			o->results_path, file_type_name(st.st_mode));
		return -1;
	}
	if (!o->extension)
		o->extension = "vmfault.so";     /* crash finds it by name once installed */
	if (!o->direct.cache_dir)
		o->direct.cache_dir = direct_default_cache();
	if (!o->direct.first_tier)
		o->direct.first_tier = 1;
	if (o->human && o->engine == ENGINE_CRASH) {
		fprintf(stderr, "vmfault-triage: --ptwalk and --ptaudit use the direct engine; in crash: ptwalk, ptaudit\n");
		return -1;
	}
	o->req.verbose = o->explain;      /* --ptaudit -v: the deviating mms listed */
	o->direct.explain = o->explain;
	return 0;
}

int options_parse(int argc, char **argv, struct options *o)
{
	int i, only_paths = 0;

	memset(o, 0, sizeof(*o));
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	o->timeout_s = 300;
	o->shard_k = o->shard_n = 1;
	o->extension = getenv("VMFAULT_SO");
	o->unpack.keep_free = (uint64_t)UNPACK_KEEP_FREE_DEFAULT_MIB << 20;
	o->paths = calloc((size_t)argc, sizeof(*o->paths));
	if (!o->paths)
		return usage();
	for (i = 1; i < argc; i++) {
		if (only_paths || argv[i][0] != '-' || !argv[i][1])
			o->paths[o->npaths++] = argv[i];
		else if (!strcmp(argv[i], "--"))
			only_paths = 1;
		else if (take_option(argc, argv, &i, o) != 0)
			return usage();
		if (o->help) {
			print_help();
			return 1;
		}
	}
	return check_options(o) ? usage() : 0;
}

void options_free(struct options *o)
{
	free(o->dirs.v);
	free(o->paths);
}
