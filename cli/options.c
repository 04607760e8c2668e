/*
 * options.c - one table of options: its names are what the man page and
 * docs/workflow.md must document (tests/docs-check.sh reads them from here).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "options.h"

static int set_jobs(struct options *o, const char *arg)
{
	o->jobs = atoi(arg);
	return 0;
}

static int set_timeout(struct options *o, const char *arg)
{
	o->timeout_s = atoi(arg);
	return 0;
}

static int add_vmlinux_dir(struct options *o, const char *arg)
{
	const char **v = realloc(o->dirs.v, (o->dirs.n + 1) * sizeof(*v));

	if (!v)
		return -1;
	v[o->dirs.n++] = arg;
	o->dirs.v = v;
	return 0;
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

static int set_cache(struct options *o, const char *arg)
{
	o->unpack.cache_dir = arg;
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

static const struct option_spec {
	const char *name;
	const char *arg;          /* its argument's name; NULL for a flag */
	int (*set)(struct options *o, const char *arg);
} option_specs[] = {
	{ "-j", "JOBS", set_jobs },
	{ "-t", "SECONDS", set_timeout },
	{ "--vmlinux-dir", "DIR", add_vmlinux_dir },
	{ "--extension", "PATH", set_extension },
	{ "-o", "FILE", set_results },
	{ "--resume", NULL, set_resume },
	{ "--cache", "DIR", set_cache },
	{ "--keep-free", "MIB", set_keep_free },
	{ "--json", NULL, set_json },
	{ "--table", NULL, set_table },
};

static int usage(void)
{
	fprintf(stderr, "usage: vmfault-triage [-j JOBS] [-t SECONDS] [--vmlinux-dir DIR]... "
			"[--extension PATH] [--json|--table] [-o FILE [--resume]] [--cache DIR] [--keep-free MIB] PATH...\n");
	return -1;
}

static const struct option_spec *find_option(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(option_specs) / sizeof(option_specs[0]); i++)
		if (!strcmp(option_specs[i].name, name))
			return &option_specs[i];
	return NULL;
}

int options_parse(int argc, char **argv, struct options *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	o->timeout_s = 300;
	o->extension = getenv("VMFAULT_SO");
	o->unpack.keep_free = (uint64_t)UNPACK_KEEP_FREE_DEFAULT_MIB << 20;
	o->paths = calloc((size_t)argc, sizeof(*o->paths));
	if (!o->paths)
		return usage();
	for (i = 1; i < argc; i++) {
		const struct option_spec *spec = find_option(argv[i]);

		if (!spec && argv[i][0] == '-')
			return usage();
		if (!spec)
			o->paths[o->npaths++] = argv[i];
		else if (spec->arg && i + 1 >= argc)
			return usage();
		else if (spec->set(o, spec->arg ? argv[++i] : NULL) != 0)
			return usage();
	}
	if (!o->npaths || o->jobs < 1 || o->timeout_s < 1 || (o->resume && !o->results_path))
		return usage();
	if (!o->extension)
		o->extension = "vmfault.so";     /* crash finds it by name once installed */
	return 0;
}

void options_free(struct options *o)
{
	free(o->dirs.v);
	free(o->paths);
}
