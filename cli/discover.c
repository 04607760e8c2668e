/*
 * discover.c - what a path is, and the inputs a tree holds.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "dumpid.h"
#include "files.h"
#include "discover.h"

#define MAX_DEPTH 6

/* A dump by its signature, whatever its name. */
static int is_dump_file(const char *path)
{
	struct dump_id id;
	char why[200];

	return dump_identify(path, &id, why, sizeof(why)) == 0 && id.format != DUMP_NONE;
}

static char *join(const char *dir, const char *name)
{
	char *p;

	return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

static int add(struct input_list *l, const char *path, enum input_kind k, const char *dump, const char *dmesg)
{
	return input_add(l, path, k, dump, dmesg) ? 0 : -1;
}

static int collect(struct input_list *l, const char *path, int depth, int explicit);

/* a kdump directory is one input; any other directory is a tree to search */
static int collect_dir(struct input_list *l, const char *path, int depth)
{
	char *dump = join(path, "vmcore"), *dmesg = join(path, "vmcore-dmesg.txt"), *sub;
	struct stat st;
	struct dirent *e;
	DIR *d;
	int ret = 0;

	if (!dump || !dmesg)
		ret = -1;
	else if (is_regular(dump))
		ret = add(l, path, K_KDUMP_DIR, dump, stat(dmesg, &st) == 0 ? dmesg : NULL);
	else if (depth < MAX_DEPTH && (d = opendir(path)) != NULL) {
		while (ret == 0 && (e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			sub = join(path, e->d_name);
			ret = sub ? collect(l, sub, depth + 1, 0) : -1;
			free(sub);
		}
		closedir(d);
	}
	free(dump);
	free(dmesg);
	return ret;
}

static int collect(struct input_list *l, const char *path, int depth, int explicit)
{
	struct stat st;
	const char *base;

	if (stat(path, &st) != 0) {
		int err = errno;
		struct input *in = input_add(l, path, K_TEXT, NULL, NULL);
		if (!in)
			return -1;
		input_fail(in, "cannot open: %s", strerror(err));
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return collect_dir(l, path, depth);
	/* names are judged by the file's own name, not by the directories above it */
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (is_dump_file(path) || (strstr(base, "vmcore") && !strstr(base, ".txt")))
		/* a file named like a dump that is none must still get its ERROR line */
		return add(l, path, K_VMCORE, path, NULL);
	if (explicit || strstr(base, ".txt") || strstr(base, ".log") || strstr(base, "dmesg") ||
	    strstr(base, "console"))
		return add(l, path, K_TEXT, NULL, path);
	return 0;
}

int discover(struct input_list *l, const char *path)
{
	return collect(l, path, 0, 1);
}
