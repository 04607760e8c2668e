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

/* ---- device and inode set ------------------------------------------------------------ */

struct file_id {
	unsigned long long dev, ino;
};

struct file_set {
	struct file_id *slot;     /* open addressing; ino 0 marks a free slot (no file has inode 0 here) */
	size_t cap, n;
};

static size_t id_hash(const struct file_id *id, size_t cap)
{
	unsigned long long h = (id->dev * 0x9e3779b97f4a7c15ull) ^ (id->ino * 0xc2b2ae3d27d4eb4full);

	return (size_t)(h ^ (h >> 29)) & (cap - 1);
}

static int set_grow(struct file_set *s)
{
	struct file_set bigger = { NULL, s->cap ? 2 * s->cap : 1024, 0 };
	size_t i, j;

	bigger.slot = calloc(bigger.cap, sizeof(*bigger.slot));
	if (!bigger.slot)
		return -1;
	for (i = 0; i < s->cap; i++) {
		if (!s->slot[i].ino)
			continue;
		for (j = id_hash(&s->slot[i], bigger.cap); bigger.slot[j].ino; j = (j + 1) & (bigger.cap - 1))
			;
		bigger.slot[j] = s->slot[i];
	}
	free(s->slot);
	bigger.n = s->n;
	*s = bigger;
	return 0;
}

/* 1 when it was there already, 0 when added, -1 when memory ran out */
static int set_add(struct file_set *s, const struct stat *st)
{
	struct file_id id = { (unsigned long long)st->st_dev, (unsigned long long)st->st_ino ? st->st_ino : 1 };
	size_t j;

	if (2 * (s->n + 1) > s->cap && set_grow(s) != 0)
		return -1;
	for (j = id_hash(&id, s->cap); s->slot[j].ino; j = (j + 1) & (s->cap - 1))
		if (s->slot[j].dev == id.dev && s->slot[j].ino == id.ino)
			return 1;
	s->slot[j] = id;
	s->n++;
	return 0;
}

#define STRING(x) #x
#define VALUE(x) STRING(x)
#define DEPTH VALUE(DISCOVER_MAX_DEPTH)

/* ---- what is skipped ------------------------------------------------------------------ */

static int skip(struct discovery *d, enum skip_reason why, const char *path, const char *detail)
{
	if (!d->skipped[why].n++ &&
	    asprintf(&d->skipped[why].first, "%s%s%s", path, detail ? ": " : "", detail ? detail : "") < 0) {
		d->skipped[why].first = NULL;
		return -1;
	}
	return 0;
}

void discovery_report(const struct discovery *d, FILE *f)
{
	static const char *const what[SKIP_NREASONS][2] = {
		[SKIP_LOOP] = { "symbolic link loop", "symbolic link loops" },
		[SKIP_SAME] = { "path naming a file or directory already taken",
				"paths naming files or directories already taken" },
		[SKIP_DEEP] = { "directory deeper than " DEPTH " levels, not searched",
				"directories deeper than " DEPTH " levels, not searched" },
		[SKIP_UNREADABLE] = { "directory that could not be read", "directories that could not be read" },
		[SKIP_NOT_CORE] = { "ELF file that is not a core dump", "ELF files that are not core dumps" },
		[SKIP_NOT_REGULAR] = { "FIFO, socket or device, not opened", "FIFOs, sockets or devices, not opened" },
		[SKIP_RESULTS] = { "results file of -o", "results files of -o" },
		[SKIP_HIDDEN] = { "hidden entry (its name starts with '.')", "hidden entries (names starting with '.')" },
		[SKIP_OTHER] = { "other file: not a dump, and not named like a log (*.txt, *.log, *dmesg*, *console*)",
				 "other files: not dumps, and not named like logs (*.txt, *.log, *dmesg*, *console*)" },
	};
	int r;

	for (r = 0; r < SKIP_NREASONS; r++)
		if (d->skipped[r].n)
			fprintf(f, "vmfault-triage: skipped %d %s, first %s\n", d->skipped[r].n,
				what[r][d->skipped[r].n != 1], d->skipped[r].first ? d->skipped[r].first : "?");
}

/* ---- paths ----------------------------------------------------------------------------- */

static char *join(const char *dir, const char *name)
{
	char *p;

	return asprintf(&p, "%s/%s", dir, name) < 0 ? NULL : p;
}

static int add(struct discovery *d, const char *path, enum input_kind k, const char *dump, const char *dmesg)
{
	return input_add(d->inputs, path, k, dump, dmesg) ? 0 : -1;
}

/* An input the user named that cannot be diagnosed: its ERROR line. */
static int add_failed(struct discovery *d, const char *path, const char *why)
{
	struct input *in = input_add(d->inputs, path, K_TEXT, NULL, NULL);

	if (!in)
		return -1;
	input_fail(in, "%s", why);
	return 0;
}

static int is_results_file(const struct discovery *d, const struct stat *st)
{
	return d->have_results && (unsigned long long)st->st_dev == d->results_dev &&
	       (unsigned long long)st->st_ino == d->results_ino;
}

struct walk {
	const struct stat *ancestors[DISCOVER_MAX_DEPTH + 1];   /* the directories above, for loops */
	int depth;
};

static int collect(struct discovery *d, struct walk *w, const char *path, int explicit);

/* a kdump directory is one input: its vmcore, and its vmcore-dmesg.txt when that is a regular file */
static int collect_kdump_dir(struct discovery *d, const char *path, const char *dump, const char *dmesg)
{
	struct stat st;
	int seen;

	if (stat(dump, &st) != 0 || (seen = set_add(d->seen, &st)) < 0)
		return -1;
	if (seen)
		return skip(d, SKIP_SAME, path, "its vmcore was taken already");
	if (stat(dmesg, &st) != 0)
		return add(d, path, K_KDUMP_DIR, dump, NULL);
	if (!S_ISREG(st.st_mode)) {
		if (skip(d, SKIP_NOT_REGULAR, dmesg, file_type_name(st.st_mode)) != 0)
			return -1;
		return add(d, path, K_KDUMP_DIR, dump, NULL);
	}
	if (set_add(d->seen, &st) < 0)
		return -1;
	return add(d, path, K_KDUMP_DIR, dump, dmesg);
}

static int collect_tree(struct discovery *d, struct walk *w, const char *path)
{
	struct dirent *e;
	DIR *dir = opendir(path);
	int ret = 0;

	if (!dir)
		return skip(d, SKIP_UNREADABLE, path, strerror(errno));
	while (ret == 0 && (e = readdir(dir)) != NULL) {
		char *sub;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		sub = join(path, e->d_name);
		if (!sub)
			ret = -1;
		else if (e->d_name[0] == '.')
			ret = skip(d, SKIP_HIDDEN, sub, NULL);
		else
			ret = collect(d, w, sub, 0);
		free(sub);
	}
	closedir(dir);
	return ret;
}

static int collect_dir(struct discovery *d, struct walk *w, const char *path, const struct stat *st)
{
	char *dump = join(path, "vmcore"), *dmesg = join(path, "vmcore-dmesg.txt");
	int i, ret;

	for (i = 0; i < w->depth; i++)
		if (w->ancestors[i]->st_dev == st->st_dev && w->ancestors[i]->st_ino == st->st_ino)
			break;
	if (!dump || !dmesg)
		ret = -1;
	else if (i < w->depth)
		ret = skip(d, SKIP_LOOP, path, "a directory above it");
	else if ((ret = set_add(d->seen, st)) != 0)
		ret = ret < 0 ? -1 : skip(d, SKIP_SAME, path, NULL);
	else if (is_regular(dump))
		ret = collect_kdump_dir(d, path, dump, dmesg);
	else if (w->depth >= DISCOVER_MAX_DEPTH)
		ret = skip(d, SKIP_DEEP, path, NULL);
	else {
		w->ancestors[w->depth++] = st;
		ret = collect_tree(d, w, path);
		w->depth--;
	}
	free(dump);
	free(dmesg);
	return ret;
}

/* a regular file: a dump by its signature, else a log by its name (or because it was named) */
static int collect_file(struct discovery *d, const char *path, const struct stat *st, int explicit)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct dump_id id;
	char why[300];
	int seen = set_add(d->seen, st);

	if (seen)
		return seen < 0 ? -1 : skip(d, SKIP_SAME, path, NULL);
	if (dump_identify(path, &id, why, sizeof(why)) != 0)
		return explicit ? add_failed(d, path, why) : skip(d, SKIP_UNREADABLE, path, why);
	if (id.format == DUMP_ELF && !dump_is_core(&id)) {
		snprintf(why, sizeof(why), "%s, not a core dump", elf_type_name(id.elf_type));
		return explicit ? add_failed(d, path, why) : skip(d, SKIP_NOT_CORE, path, why);
	}
	/* names are judged by the file's own name, not by the directories above it */
	if (id.format != DUMP_NONE || (strstr(base, "vmcore") && !strstr(base, ".txt")))
		/* a file named like a dump that is none must still get its ERROR line */
		return add(d, path, K_VMCORE, path, NULL);
	if (explicit || strstr(base, ".txt") || strstr(base, ".log") || strstr(base, "dmesg") ||
	    strstr(base, "console"))
		return add(d, path, K_TEXT, NULL, path);
	return skip(d, SKIP_OTHER, path, NULL);
}

static int collect(struct discovery *d, struct walk *w, const char *path, int explicit)
{
	struct stat st;
	char why[300];

	if (stat(path, &st) != 0) {
		snprintf(why, sizeof(why), "cannot open: %s", strerror(errno));
		return explicit ? add_failed(d, path, why) : skip(d, SKIP_UNREADABLE, path, why);
	}
	if (is_results_file(d, &st))
		return explicit ? -2 : skip(d, SKIP_RESULTS, path, NULL);
	if (S_ISDIR(st.st_mode))
		return collect_dir(d, w, path, &st);
	if (!S_ISREG(st.st_mode)) {
		/* never opened: a FIFO without a writer would block the batch for good */
		snprintf(why, sizeof(why), "%s, not a regular file", file_type_name(st.st_mode));
		return explicit ? add_failed(d, path, why) : skip(d, SKIP_NOT_REGULAR, path, why);
	}
	return collect_file(d, path, &st, explicit);
}

int discover(struct discovery *d, const char *path)
{
	struct walk w;

	w.depth = 0;
	return collect(d, &w, path, 1);
}

int discovery_init(struct discovery *d, struct input_list *inputs, const char *results_path)
{
	struct stat st;

	memset(d, 0, sizeof(*d));
	d->inputs = inputs;
	d->seen = calloc(1, sizeof(*d->seen));
	if (results_path && stat(results_path, &st) == 0) {
		d->have_results = 1;
		d->results_dev = (unsigned long long)st.st_dev;
		d->results_ino = (unsigned long long)st.st_ino;
	}
	return d->seen ? 0 : -1;
}

void discovery_free(struct discovery *d)
{
	int r;

	if (d->seen)
		free(d->seen->slot);
	free(d->seen);
	for (r = 0; r < SKIP_NREASONS; r++)
		free(d->skipped[r].first);
	memset(d, 0, sizeof(*d));
}
