/*
 * results.c - result lines, the results file and --resume.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmf_writers.h"
#include "decompress.h"
#include "files.h"
#include "jsonread.h"
#include "results.h"

struct previous_result {
	char *line;
	char *path;
	char *stamp;
	int used;
};

static void json_str_or_null(FILE *f, const char *s)
{
	if (!s || !*s)
		fputs("null", f);
	else
		vmf_json_str(f, s);
}

/* Where the result comes from: whose kdump saved it, the dump and the text it read, how the dump
 * was kept, and notes.  ("layout" is the direct engine's memory layout, hence "kdump_layout".) */
static void print_origin(FILE *f, const struct input *in)
{
	int i;

	fputs(",\"kdump_layout\":", f);
	json_str_or_null(f, layout_name(in->saved_by));
	fputs(",\"dump\":", f);
	json_str_or_null(f, in->dump);
	fputs(",\"text\":", f);
	json_str_or_null(f, in->dmesg);
	fputs(",\"compression\":", f);
	json_str_or_null(f, compression_name(in->compression));
	fprintf(f, ",\"incomplete\":%s,\"notes\":[", in->incomplete ? "true" : "false");
	for (i = 0; i < in->nnotes; i++) {
		if (i)
			fputc(',', f);
		vmf_json_str(f, in->notes[i]);
	}
	fputc(']', f);
}

void result_print_json(FILE *f, const struct input *in)
{
	int failed = in->error[0] != 0;

	if (in->resumed) {
		fprintf(f, "%s\n", in->resumed);
		return;
	}
	fputs("{\"path\":", f);
	json_str_or_null(f, in->path);
	fprintf(f, ",\"kind\":\"%s\",\"kernel\":", input_kind_name(in->kind));
	json_str_or_null(f, in->release);
	fputs(",\"build_id\":", f);
	json_str_or_null(f, in->build_id);
	fputs(",\"vmlinux\":", f);
	json_str_or_null(f, in->vmlinux);
	fprintf(f, ",\"mode\":\"%s\",\"verdict\":\"%s\",\"signature\":", in->text_only ? "text-only" : "dump",
		verdict_name(failed ? V_ERROR : in->verdict));
	json_str_or_null(f, failed ? NULL : in->signature);
	fputs(",\"engine\":", f);
	json_str_or_null(f, in->engine);
	fputs(",\"tier\":", f);
	if (in->tier)
		fprintf(f, "%d", in->tier);
	else
		fputs("null", f);
	fputs(",\"tier_what\":", f);
	json_str_or_null(f, in->tier_what);
	fputs(",\"tier_falls\":", f);
	json_str_or_null(f, in->tier_falls);
	fputs(",\"engine_why\":", f);
	json_str_or_null(f, in->engine_why);
	fprintf(f, ",\"layout\":%s", in->layout[0] ? in->layout : "null");
	fprintf(f, ",\"elapsed_s\":%.3f,\"error\":", in->elapsed);
	json_str_or_null(f, in->error);
	fputs(",\"fallback\":", f);
	json_str_or_null(f, failed ? NULL : in->fallback);
	print_origin(f, in);
	fputs(",\"stamp\":", f);
	json_str_or_null(f, in->stamp);
	fprintf(f, ",\"report\":%s", in->report && !failed ? in->report : "null");
	if (in->explain && !failed) {
		fputs(",\"explain\":", f);
		vmf_json_str(f, in->explain);
	}
	fputs("}\n", f);
}

/* ---- reading an earlier run's lines ------------------------------------------------------- */

/*
 * A whole, valid result of ours: one JSON object with a path, a known kind, mode
 * and verdict, a stamp, and a report object unless it is an ERROR.
 */
static int valid_result(const char *line, size_t len, char **path, char **stamp)
{
	static char s[4][4096];
	struct json_value obj, report;
	int v;

	*path = *stamp = NULL;
	if (json_check(line, len, &obj, NULL, 0) != 0 || obj.type != JSON_OBJECT ||
	    json_member_string(&obj, "path", s[0], sizeof(s[0])) != 0 || !s[0][0] ||
	    json_member_string(&obj, "stamp", s[1], sizeof(s[1])) != 0 ||
	    json_member_string(&obj, "verdict", s[2], sizeof(s[2])) != 0 ||
	    json_member_string(&obj, "mode", s[3], sizeof(s[3])) != 0 || json_member(&obj, "report", &report) != 0)
		return 0;
	v = verdict_from_name(s[2]);
	if (v == V_NONE || (strcmp(s[3], "dump") && strcmp(s[3], "text-only")) ||
	    (v != V_ERROR && report.type != JSON_OBJECT))
		return 0;
	*path = strdup(s[0]);
	*stamp = strdup(s[1]);
	return *path && *stamp;
}

/* A rename is durable once the directory is on disk too. */
static void fsync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static int by_path(const void *a, const void *b)
{
	const struct previous_result *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	/* lines of one path keep their order */
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int keep_previous(struct results *res, char *line, size_t *cap)
{
	struct previous_result *p;
	char *path, *stamp;

	if (!valid_result(line, strlen(line), &path, &stamp)) {
		free(path);
		free(stamp);
		res->invalid++;
		return 0;
	}
	if (res->nprev == *cap) {
		size_t n = *cap ? 2 * *cap : 256;
		p = realloc(res->prev, n * sizeof(*p));
		if (!p)
			return -1;
		res->prev = p;
		*cap = n;
	}
	p = &res->prev[res->nprev++];
	p->line = strdup(line);
	p->path = path;
	p->stamp = stamp;
	p->used = 0;
	return p->line ? 0 : -1;
}

int results_load_previous(struct results *res)
{
	size_t len = 0, cap = 0;
	struct stat st;
	char why[200];
	char *all, *line, *save = NULL;

	if (stat(res->path, &st) != 0 && errno == ENOENT)
		return 0;                       /* a first run: nothing to reuse */
	all = read_head(res->path, (size_t)st.st_size, &len, why, sizeof(why));
	if (!all) {
		fprintf(stderr, "vmfault-triage: --resume cannot read %s: %s\n", res->path, why);
		return -1;
	}
	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (keep_previous(res, line, &cap) != 0)
			break;
	free(all);
	/* the earlier lines by path: looked up once per input */
	if (res->nprev)
		qsort(res->prev, res->nprev, sizeof(*res->prev), by_path);
	return 0;
}

/* The "explain" text of an earlier line, decoded, into in->explain. */
static int take_explain(const struct json_value *obj, struct input *in)
{
	struct json_value v;
	char *text;

	if (json_member(obj, "explain", &v) != 0 || v.type != JSON_STRING || !(text = malloc(v.len + 1)))
		return -1;
	if (json_string(&v, text, v.len + 1) != 0) {
		free(text);
		return -1;
	}
	free(in->explain);
	in->explain = text;
	return 0;
}

int results_reuse(struct results *res, struct input *in)
{
	struct previous_result key = { NULL, in->path, NULL, 0 }, *p;
	struct json_value obj;
	char verdict[24], mode[16];
	size_t lo = 0, hi = res->nprev;

	/* the first line of this path */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(res->prev[mid].path, key.path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (p = res->prev + lo; p < res->prev + res->nprev && !strcmp(p->path, in->path); p++) {
		if (p->used || strcmp(p->stamp, in->stamp))
			continue;
		json_check(p->line, strlen(p->line), &obj, NULL, 0);
		json_member_string(&obj, "verdict", verdict, sizeof(verdict));
		if (verdict_from_name(verdict) == V_ERROR)
			continue;
		if (res->explain && take_explain(&obj, in) != 0)
			continue;               /* -v wants the report's text, which that run did not keep */
		p->used = 1;
		in->verdict = verdict_from_name(verdict);
		json_member_string(&obj, "signature", in->signature, sizeof(in->signature));
		if (json_member_string(&obj, "kernel", in->release, sizeof(in->release)) != 0)
			in->release[0] = 0;
		json_member_string(&obj, "mode", mode, sizeof(mode));
		in->text_only = !strcmp(mode, "text-only");
		in->resumed = p->line;
		p->line = NULL;
		res->reused++;
		return 1;
	}
	return 0;
}

/* ---- this run's file ------------------------------------------------------------------- */

void results_init(struct results *res, const char *path)
{
	memset(res, 0, sizeof(*res));
	res->path = path;
	res->fd = -1;
}

static int say_failed(struct results *res, const char *what, int err)
{
	if (!res->failed)
		fprintf(stderr, "vmfault-triage: cannot %s %s: %s; it holds the %d whole result line%s written "
			"before%s\n", what, res->path, strerror(err), res->written, res->written == 1 ? "" : "s",
			res->regular ? " (rerun with --resume to go on)" : "");
	res->failed = 1;
	return -1;
}

/* The whole of buf, or -1 with errno: write(2) may take less than it was given. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* One line, whole or not at all: a short write is cut back to the last whole line. */
static int append_line(struct results *res, const char *line, size_t len)
{
	int err;

	if (write_all(res->fd, line, len) == 0) {
		res->good += (off_t)len;
		res->written++;
		return 0;
	}
	err = errno;
	if (res->regular && ftruncate(res->fd, res->good) == 0)
		lseek(res->fd, res->good, SEEK_SET);
	return say_failed(res, "write", err);
}

/* A regular (or new) FILE: through "DIR/.NAME.partial", renamed over it, fd kept for appending. */
static int open_through_temporary(struct results *res, const struct input_list *l)
{
	char *dir = dir_of(res->target), *tmp = NULL;
	const char *base = strrchr(res->target, '/') ? strrchr(res->target, '/') + 1 : res->target;
	size_t i;
	int ret = -1;

	/* a dot file: the tree scan skips it, and a kill leaves it to the next run, which truncates it */
	if (!dir || asprintf(&tmp, "%s/.%s.partial", dir, base) < 0)
		goto out;
	res->fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (res->fd < 0 && (errno == EACCES || errno == EPERM || errno == EROFS)) {
		/* a writable file in a directory we may not write: rewritten in place, whole lines still */
		free(tmp);
		tmp = NULL;
		res->fd = open(res->target, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	}
	if (res->fd < 0) {
		say_failed(res, tmp ? "create a temporary file beside" : "write", errno);
		goto out;
	}
	for (i = 0; i < l->n; i++)
		if (l->v[i].resumed && (append_line(res, l->v[i].resumed, strlen(l->v[i].resumed)) ||
					append_line(res, "\n", 1)))
			goto out;
	res->written = res->reused;
	if (tmp && (fsync(res->fd) != 0 || rename(tmp, res->target) != 0)) {
		say_failed(res, "replace", errno);
		goto out;
	}
	if (tmp)
		fsync_dir(dir);
	ret = 0;
out:
	if (ret && tmp)
		unlink(tmp);
	free(tmp);
	free(dir);
	return ret;
}

int results_open(struct results *res, const struct input_list *l)
{
	struct stat st;

	if (!res->path)
		return 0;
	res->target = realpath(res->path, NULL);
	if (!res->target && errno != ENOENT)
		return say_failed(res, "resolve", errno);
	if (!res->target && !(res->target = strdup(res->path)))
		return say_failed(res, "write", ENOMEM);
	res->regular = stat(res->target, &st) != 0 || S_ISREG(st.st_mode);
	if (res->regular)
		return open_through_temporary(res, l);
	/* a device, a FIFO, /dev/stdout: written as it is, without a temporary (no --resume, see options) */
	res->fd = open(res->target, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
	return res->fd < 0 ? say_failed(res, "open", errno) : 0;
}

int results_write(struct results *res, const struct input *in)
{
	char *line = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	if (res->fd < 0)
		return res->failed ? -1 : 0;
	if (res->failed)
		return -1;
	mem = open_memstream(&line, &len);
	if (!mem)
		return say_failed(res, "write", ENOMEM);
	result_print_json(mem, in);
	if (fclose(mem) != 0) {
		free(line);
		return say_failed(res, "write", ENOMEM);
	}
	ret = append_line(res, line, len);
	free(line);
	return ret;
}

int results_close(struct results *res)
{
	int ret = 0;

	if (res->fd < 0)
		return 0;
	/* whole lines on the disk before the exit status says so */
	if (res->regular && !res->failed && fsync(res->fd) != 0)
		ret = say_failed(res, "fsync", errno);
	if (close(res->fd) != 0 && !ret && !res->failed)
		ret = say_failed(res, "close", errno);
	res->fd = -1;
	return ret ? ret : res->failed ? -1 : 0;
}

void results_free(struct results *res)
{
	size_t i;

	for (i = 0; i < res->nprev; i++) {
		free(res->prev[i].line);
		free(res->prev[i].path);
		free(res->prev[i].stamp);
	}
	free(res->prev);
	free(res->target);
	res->prev = NULL;
	res->target = NULL;
	res->nprev = 0;
}
