/*
 * discover.c - what a path is, and the inputs a tree holds.
 *
 * A directory holding a file that a kdump implementation names as a dump
 * (layout.h) is a crash directory: its files are grouped into crashes, one
 * input each, the dump with the text saved beside it; a text no dump claims is
 * its own input.  Any other directory is a tree to search.
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

#define README_READ_MAX 65536

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

/* ---- a directory's entries ---------------------------------------------------------------- */

struct entry {
	char *path;
	const char *name;         /* its last component */
	struct stat st;
	int stat_ok;
	struct layout_name_info info;
	int used;                 /* taken into a crash */
};

struct listing {
	struct entry *v;
	size_t n;
};

static int entry_by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

static void listing_free(struct listing *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		free(ls->v[i].path);
	free(ls->v);
	ls->v = NULL;
	ls->n = 0;
}

static int is_reg(const struct entry *e)
{
	return e->stat_ok && S_ISREG(e->st.st_mode);
}

/*
 * The directory's entries in name order, each stat'ed and, when it is no
 * directory, named by the layouts.  1 when it cannot be read (errno), -1 when
 * memory ran out.
 */
static int list_dir(const char *path, struct listing *ls)
{
	DIR *dir = opendir(path);
	struct dirent *e;
	size_t cap = 0;
	int ret = 0;

	ls->v = NULL;
	ls->n = 0;
	if (!dir)
		return 1;
	while (ret == 0 && (e = readdir(dir)) != NULL) {
		struct entry *x;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
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
		x->name = x->path + strlen(path) + 1;
		x->stat_ok = stat(x->path, &x->st) == 0;
		if (!x->stat_ok || !S_ISDIR(x->st.st_mode))
			layout_classify(x->name, &x->info);
		ls->n++;
	}
	closedir(dir);
	if (ls->n)
		qsort(ls->v, ls->n, sizeof(*ls->v), entry_by_name);
	return ret;
}

static int is_dump_role(enum file_role r)
{
	return r == ROLE_DUMP || r == ROLE_DUMP_INCOMPLETE;
}

static int is_text_role(enum file_role r)
{
	return r == ROLE_TEXT || r == ROLE_TEXT_INCOMPLETE;
}

/* ---- a crash directory ------------------------------------------------------------------ */

struct crash {
	const char *key;          /* kdump-tools' <STAMP> (with FTP's host), or "" */
	struct entry *dump, *text;
	int incomplete, text_incomplete;
	int nnotes;
	char notes[4][320];
};

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

/* Every regular dump a crash of its own (by key); a second dump of one key is named in a note. */
static size_t group_dumps(struct listing *ls, struct crash *v)
{
	size_t i, n = 0;

	for (i = 0; i < ls->n; i++) {
		struct entry *e = &ls->v[i];
		struct crash *c;

		if (e->info.role != ROLE_DUMP || !is_reg(e))
			continue;
		e->used = 1;
		c = crash_by_key(v, n, e->info.key);
		if (c) {
			crash_note(c, "the directory also holds %s, another dump of the same crash: not read", e->name);
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
		if (!is_text_role(e->info.role) || crash_by_key(v, n, e->info.key))
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

		if (e->info.role != ROLE_DUMP_INCOMPLETE || !is_reg(e))
			continue;
		e->used = 1;
		if (n == 1 && !v[0].incomplete) {
			crash_note(&v[0], "the directory also holds %s, left by an unfinished earlier save: not read",
				   e->name);
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

/* Each regular text joins the crash of its key, or the directory's only crash; else it stays a lone text. */
static void attach_texts(struct listing *ls, struct crash *v, size_t n)
{
	size_t i;

	for (i = 0; i < ls->n; i++) {
		struct entry *e = &ls->v[i];
		int inc = e->info.role == ROLE_TEXT_INCOMPLETE;
		struct crash *c;

		if (!is_text_role(e->info.role) || !is_reg(e))
			continue;
		c = crash_by_key(v, n, e->info.key);
		if (!c && n == 1 && (!e->info.key[0] || !v[0].key[0]))
			c = &v[0];
		if (!c)
			continue;
		e->used = 1;
		if (c->text && (inc || !c->text_incomplete)) {
			crash_note(c, "the directory also holds %s, another saved text of the crash: not read", e->name);
			continue;
		}
		if (c->text)
			crash_note(c, "the directory also holds %s, the unfinished save of its text: not read",
				   c->text->name);
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

		if (ls->v[i].info.role != ROLE_README || !is_reg(&ls->v[i]))
			continue;
		text = read_head(ls->v[i].path, README_READ_MAX, &len, why, sizeof(why));
		if (text && layout_readme_incomplete(text, mark, sizeof(mark)) && !v[0].incomplete) {
			v[0].incomplete = 1;
			crash_note(&v[0], "%s", mark);
		}
		free(text);
	}
}

static int add_crash(struct discovery *d, const char *dir, const struct crash *c, enum layout layout, int alone)
{
	struct input *in;
	int i, seen = set_add(d->seen, &c->dump->st);

	if (seen)
		return seen < 0 ? -1 : skip(d, SKIP_SAME, c->dump->path, "its dump was taken already");
	if (c->text && set_add(d->seen, &c->text->st) < 0)
		return -1;
	in = input_add(d->inputs, alone ? dir : c->dump->path, K_KDUMP_DIR, c->dump->path, c->text ? c->text->path : NULL);
	if (!in)
		return -1;
	in->saved_by = layout;
	in->incomplete = c->incomplete;
	if (c->incomplete && c->dump->info.role == ROLE_DUMP_INCOMPLETE)
		input_note(in, "%s: the dump's save did not finish (the name the saving gives it until it is whole)",
			   c->dump->name);
	if (c->text_incomplete)
		input_note(in, "%s: the text's save did not finish", c->text->name);
	for (i = 0; i < c->nnotes; i++)
		input_note(in, "%s", c->notes[i]);
	return 0;
}

/* What is left of a crash directory: texts no dump claims are inputs; what the layouts name but cannot be read is said. */
static int add_rest(struct discovery *d, struct listing *ls)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < ls->n && ret == 0; i++) {
		struct entry *e = &ls->v[i];
		int seen;

		if (e->used || e->name[0] == '.' || (!is_dump_role(e->info.role) && !is_text_role(e->info.role)))
			continue;
		if (!e->stat_ok)
			ret = skip(d, SKIP_UNREADABLE, e->path, "cannot stat it");
		else if (!S_ISREG(e->st.st_mode))
			ret = S_ISDIR(e->st.st_mode) ? 0 : skip(d, SKIP_NOT_REGULAR, e->path, file_type_name(e->st.st_mode));
		else if ((seen = set_add(d->seen, &e->st)) != 0)
			ret = seen < 0 ? -1 : skip(d, SKIP_SAME, e->path, NULL);
		else
			ret = add(d, e->path, K_TEXT, NULL, e->path);
	}
	return ret;
}

/* The crashes of a crash directory, one input each, and its lone texts. */
static int add_crashes(struct discovery *d, const char *dir, struct listing *ls)
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
		lone += !ls->v[i].used && is_text_role(ls->v[i].info.role) && is_reg(&ls->v[i]);
	for (i = 0; i < n && ret == 0; i++)
		ret = add_crash(d, dir, &v[i], layout, n + lone == 1);
	if (ret == 0)
		ret = add_rest(d, ls);
	free(v);
	return ret;
}

static int has_dump_name(const struct listing *ls)
{
	size_t i;

	for (i = 0; i < ls->n; i++)
		if (is_dump_role(ls->v[i].info.role) && is_reg(&ls->v[i]))
			return 1;
	return 0;
}

static int collect_tree(struct discovery *d, struct walk *w, const struct listing *ls)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < ls->n && ret == 0; i++)
		ret = ls->v[i].name[0] == '.' ? skip(d, SKIP_HIDDEN, ls->v[i].path, NULL) : collect(d, w, ls->v[i].path, 0);
	return ret;
}

/* a crash directory is its crashes; any other directory is a tree to search */
static int collect_dir(struct discovery *d, struct walk *w, const char *path, const struct stat *st)
{
	struct listing ls;
	int i, ret;

	for (i = 0; i < w->depth; i++)
		if (w->ancestors[i]->st_dev == st->st_dev && w->ancestors[i]->st_ino == st->st_ino)
			break;
	if (i < w->depth)
		return skip(d, SKIP_LOOP, path, "a directory above it");
	if ((ret = set_add(d->seen, st)) != 0)
		return ret < 0 ? -1 : skip(d, SKIP_SAME, path, NULL);
	ret = list_dir(path, &ls);
	if (ret > 0)
		ret = skip(d, SKIP_UNREADABLE, path, strerror(errno));
	else if (ret == 0 && has_dump_name(&ls))
		ret = add_crashes(d, path, &ls);
	else if (ret == 0 && w->depth >= DISCOVER_MAX_DEPTH)
		ret = skip(d, SKIP_DEEP, path, NULL);
	else if (ret == 0) {
		w->ancestors[w->depth++] = st;
		ret = collect_tree(d, w, &ls);
		w->depth--;
	}
	listing_free(&ls);
	return ret;
}

/* a regular file: a dump by its signature, else a log by its name (or because it was named) */
static int collect_file(struct discovery *d, const char *path, const struct stat *st, int explicit)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	struct layout_name_info info;
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
	layout_classify(base, &info);
	if (id.format != DUMP_NONE || is_dump_role(info.role) || (strstr(base, "vmcore") && !strstr(base, ".txt")) ||
	    (explicit && compression_detect(path) != COMP_NONE)) {
		/* a file named like a dump that is none must still get its ERROR line */
		struct input *in = input_add(d->inputs, path, K_VMCORE, path, NULL);
		if (!in)
			return -1;
		in->incomplete = info.role == ROLE_DUMP_INCOMPLETE;
		if (in->incomplete)
			input_note(in, "%s: the dump's save did not finish (the name the saving gives it until it is whole)",
				   base);
		return 0;
	}
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
