/*
 * discover.c - what a path is, and the inputs a tree holds.
 *
 * A directory holding files that a kdump implementation names (layout.h) is a
 * crash directory: its files are grouped into crashes, one input each, the
 * dump with the text saved beside it; a text no dump claims is its own input.
 * Any other directory is a tree to search.  Entries are taken in name order,
 * so the same tree always gives the same inputs in the same order.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "decompress.h"
#include "dumpid.h"
#include "files.h"
#include "layout.h"
#include "discover.h"

#define MAX_DEPTH 6
#define README_READ_MAX 65536

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

/* ---- a directory's entries ---------------------------------------------------------------- */

struct entry {
	char *path;
	int is_dir;
	struct layout_name_info info;
	int used;                 /* taken into a crash */
};

struct listing {
	struct entry *v;
	size_t n;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static void listing_free(struct listing *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->v[i].path);
	free(ls->v);
}

/* The directory's entries but dot files, sorted; -1 when memory ran out (an unreadable directory has none). */
static int list_dir(const char *path, struct listing *ls)
{
	DIR *d = opendir(path);
	struct dirent *e;
	size_t cap = 0;
	int ret = 0;

	ls->v = NULL;
	ls->n = 0;
	if (!d)
		return 0;
	while (ret == 0 && (e = readdir(d)) != NULL) {
		struct stat st;
		struct entry *x;

		if (e->d_name[0] == '.')
			continue;
		if (ls->n == cap) {
			struct entry *v = realloc(ls->v, (cap = cap ? 2 * cap : 32) * sizeof(*v));
			if (!v) {
				ret = -1;
				break;
			}
			ls->v = v;
		}
		x = &ls->v[ls->n];
		memset(x, 0, sizeof(*x));
		if (!(x->path = join(path, e->d_name))) {
			ret = -1;
			break;
		}
		x->is_dir = stat(x->path, &st) == 0 && S_ISDIR(st.st_mode);
		if (!x->is_dir)
			layout_classify(e->d_name, &x->info);
		ls->n++;
	}
	closedir(d);
	if (ls->n)
		qsort(ls->v, ls->n, sizeof(*ls->v), by_name);
	return ret;
}

/* ---- a crash directory ------------------------------------------------------------------ */

struct crash {
	const char *key;          /* kdump-tools' <STAMP> (with FTP's host), or "" */
	struct entry *dump, *text;
	int incomplete, text_incomplete;
	int nnotes;
	char notes[4][320];
};

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');

	return s ? s + 1 : path;
}

static void crash_note(struct crash *c, const char *fmt, const char *name)
{
	if (c->nnotes < 4)
		snprintf(c->notes[c->nnotes++], sizeof(c->notes[0]), fmt, name);
}

static struct crash *crash_by_key(struct crash *v, size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return &v[i];
	return NULL;
}

/* The layout the names say, kdump-tools' own names first, SUSE's next. */
static enum layout dir_layout(const struct listing *ls)
{
	enum layout found = LAYOUT_NONE;
	size_t i;

	for (i = 0; i < ls->n; i++) {
		enum layout l = ls->v[i].info.layout;
		if (l == LAYOUT_KDUMP_TOOLS || (l == LAYOUT_SUSE && found != LAYOUT_KDUMP_TOOLS) ||
		    (l == LAYOUT_KEXEC_TOOLS && found == LAYOUT_NONE))
			found = l;
	}
	return found;
}

/* Every dump a crash of its own (by key); a second dump of one key is named in a note. */
static size_t group_dumps(struct listing *ls, struct crash *v)
{
	size_t i, n = 0;

	for (i = 0; i < ls->n; i++) {
		struct entry *e = &ls->v[i];
		struct crash *c;

		if (e->info.role != ROLE_DUMP)
			continue;
		e->used = 1;
		c = crash_by_key(v, n, e->info.key);
		if (c) {
			crash_note(c, "the directory also holds %s, another dump of the same crash: not read", base(e->path));
			continue;
		}
		c = &v[n++];
		memset(c, 0, sizeof(*c));
		c->key = e->info.key;
		c->dump = e;
	}
	return n;
}

/* The one text key no dump claims (kdump-tools' dmesg.<STAMP> beside dump-incomplete), or "". */
static const char *unclaimed_text_key(const struct listing *ls, struct crash *v, size_t n)
{
	const char *key = NULL;
	size_t i;

	for (i = 0; i < ls->n; i++) {
		const struct entry *e = &ls->v[i];
		if ((e->info.role != ROLE_TEXT && e->info.role != ROLE_TEXT_INCOMPLETE) || crash_by_key(v, n, e->info.key))
			continue;
		if (key && strcmp(key, e->info.key))
			return "";
		key = e->info.key;
	}
	return key ? key : "";
}

/*
 * An unfinished dump is the crash's dump when the crash has no finished one;
 * beside a finished one (kdump-tools' cp fallback after makedumpfile failed) it
 * is what the failed attempt left.
 */
static size_t group_incomplete(struct listing *ls, struct crash *v, size_t n)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		struct entry *e = &ls->v[i];
		struct crash *c;

		if (e->info.role != ROLE_DUMP_INCOMPLETE)
			continue;
		e->used = 1;
		if (n == 1 && v[0].dump && !v[0].incomplete) {
			crash_note(&v[0], "the directory also holds %s, left by an unfinished earlier save: not read",
				   base(e->path));
			continue;
		}
		c = &v[n++];
		memset(c, 0, sizeof(*c));
		c->key = unclaimed_text_key(ls, v, n - 1);
		c->dump = e;
		c->incomplete = 1;
	}
	return n;
}

/* Each text joins the crash of its key, or the directory's only crash; else it stays a lone text. */
static void attach_texts(struct listing *ls, struct crash *v, size_t n)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		struct entry *e = &ls->v[i];
		int inc = e->info.role == ROLE_TEXT_INCOMPLETE;
		struct crash *c;

		if (e->info.role != ROLE_TEXT && !inc)
			continue;
		c = crash_by_key(v, n, e->info.key);
		if (!c && n == 1 && (!e->info.key[0] || !v[0].key[0]))
			c = &v[0];
		if (!c)
			continue;
		e->used = 1;
		if (c->text && (inc || !c->text_incomplete)) {
			crash_note(c, "the directory also holds %s, another saved text of the crash: not read", base(e->path));
			continue;
		}
		if (c->text)
			crash_note(c, "the directory also holds %s, the unfinished save of its text: not read",
				   base(c->text->path));
		c->text = e;
		c->text_incomplete = inc;
	}
}

/* SUSE's README.txt says whether the dump's save finished. */
static void read_readme(struct listing *ls, struct crash *v, size_t n)
{
	char why[200], mark[300];
	size_t i, len;

	for (i = 0; i < ls->n && n == 1; i++) {
		char *text;

		if (ls->v[i].info.role != ROLE_README)
			continue;
		text = read_head(ls->v[i].path, README_READ_MAX, &len, why, sizeof(why));
		if (text && layout_readme_incomplete(text, mark, sizeof(mark)) && !v[0].incomplete) {
			v[0].incomplete = 1;
			crash_note(&v[0], "%s", mark);
		}
		free(text);
	}
}

static int add_crash(struct input_list *l, const char *dir, const struct crash *c, enum layout layout, int alone)
{
	struct input *in = input_add(l, alone ? dir : c->dump->path, K_KDUMP_DIR, c->dump->path,
				     c->text ? c->text->path : NULL);
	int i;

	if (!in)
		return -1;
	in->layout = layout;
	in->incomplete = c->incomplete;
	if (c->incomplete && c->dump->info.role == ROLE_DUMP_INCOMPLETE)
		input_note(in, "%s: the dump's save did not finish (the name the saving gives it until it is whole)",
			   base(c->dump->path));
	if (c->text_incomplete)
		input_note(in, "%s: the text's save did not finish", base(c->text->path));
	for (i = 0; i < c->nnotes; i++)
		input_note(in, "%s", c->notes[i]);
	return 0;
}

/* The crashes of a crash directory, its lone texts, and any other dump it holds. */
static int add_crashes(struct input_list *l, const char *dir, struct listing *ls)
{
	struct crash *v = calloc(ls->n, sizeof(*v));
	enum layout layout = dir_layout(ls);
	size_t i, n, lone = 0;
	int ret = 0;

	if (!v)
		return -1;
	n = group_dumps(ls, v);
	n = group_incomplete(ls, v, n);
	attach_texts(ls, v, n);
	read_readme(ls, v, n);
	for (i = 0; i < ls->n; i++)
		lone += !ls->v[i].used && (ls->v[i].info.role == ROLE_TEXT || ls->v[i].info.role == ROLE_TEXT_INCOMPLETE);
	for (i = 0; i < n && ret == 0; i++)
		ret = add_crash(l, dir, &v[i], layout, n + lone == 1);
	for (i = 0; i < ls->n && ret == 0; i++) {
		struct entry *e = &ls->v[i];
		if (e->used || e->is_dir)
			continue;
		/* a text no dump claims is its own input; so is a dump under a name no layout gives */
		if (e->info.role == ROLE_TEXT || e->info.role == ROLE_TEXT_INCOMPLETE)
			ret = add(l, e->path, K_TEXT, NULL, e->path);
		else if (e->info.role == ROLE_OTHER && is_dump_file(e->path))
			ret = add(l, e->path, K_VMCORE, e->path, NULL);
	}
	free(v);
	return ret;
}

static int has_dump_name(const struct listing *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		if (ls->v[i].info.role == ROLE_DUMP || ls->v[i].info.role == ROLE_DUMP_INCOMPLETE)
			return 1;
	return 0;
}

/* a crash directory is its crashes; any other directory is a tree to search */
static int collect_dir(struct input_list *l, const char *path, int depth)
{
	struct listing ls;
	size_t i;
	int ret = list_dir(path, &ls);

	if (ret == 0 && has_dump_name(&ls))
		ret = add_crashes(l, path, &ls);
	else if (ret == 0 && depth < MAX_DEPTH)
		for (i = 0; i < ls.n && ret == 0; i++)
			ret = collect(l, ls.v[i].path, depth + 1, 0);
	listing_free(&ls);
	return ret;
}

static int collect(struct input_list *l, const char *path, int depth, int explicit)
{
	struct layout_name_info info;
	struct stat st;
	const char *base;
	struct input *in;

	if (stat(path, &st) != 0) {
		int err = errno;
		in = input_add(l, path, K_TEXT, NULL, NULL);
		if (!in)
			return -1;
		input_fail(in, "cannot open: %s", strerror(err));
		return 0;
	}
	if (S_ISDIR(st.st_mode))
		return collect_dir(l, path, depth);
	/* names are judged by the file's own name, not by the directories above it */
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	layout_classify(base, &info);
	if (info.role == ROLE_DUMP || info.role == ROLE_DUMP_INCOMPLETE || is_dump_file(path) ||
	    (strstr(base, "vmcore") && !strstr(base, ".txt")) ||
	    (explicit && compression_detect(path) != COMP_NONE)) {
		/* a file named like a dump that is none must still get its ERROR line */
		if (!(in = input_add(l, path, K_VMCORE, path, NULL)))
			return -1;
		in->incomplete = info.role == ROLE_DUMP_INCOMPLETE;
		if (in->incomplete)
			input_note(in, "%s: the dump's save did not finish (the name the saving gives it until it is whole)",
				   base);
		return 0;
	}
	if (explicit || strstr(base, ".txt") || strstr(base, ".log") || strstr(base, "dmesg") ||
	    strstr(base, "console"))
		return add(l, path, K_TEXT, NULL, path);
	return 0;
}

int discover(struct input_list *l, const char *path)
{
	return collect(l, path, 0, 1);
}
