/*
 * results.c - result lines, the results file and --resume.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_diag.h"
#include "decompress.h"
#include "files.h"
#include "jsonread.h"
#include "results.h"

#define RESULTS_READ_MAX (256u << 20)

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

/* Where the result comes from: the layout, the dump and the text it read, how the dump was kept, and notes. */
static void print_layout(FILE *f, const struct input *in)
{
	int i;

	fputs(",\"layout\":", f);
	json_str_or_null(f, layout_name(in->layout));
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
	fprintf(f, ",\"elapsed_s\":%.3f,\"error\":", in->elapsed);
	json_str_or_null(f, in->error);
	print_layout(f, in);
	fputs(",\"stamp\":", f);
	json_str_or_null(f, in->stamp);
	fprintf(f, ",\"report\":%s}\n", in->report && !failed ? in->report : "null");
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
	char why[200];
	char *all = read_head(res->path, RESULTS_READ_MAX, &len, why, sizeof(why)), *line, *save = NULL;

	if (!all)
		return 0;
	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (keep_previous(res, line, &cap) != 0)
			break;
	free(all);
	/* the earlier lines by path: looked up once per input */
	if (res->nprev)
		qsort(res->prev, res->nprev, sizeof(*res->prev), by_path);
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

int results_open(struct results *res)
{
	if (!res->path)
		return 0;
	/* rewritten at once: a batch killed half-way keeps every result it decided */
	res->f = fopen(res->path, "w");
	if (!res->f) {
		fprintf(stderr, "vmfault-triage: cannot write %s: %s\n", res->path, strerror(errno));
		return -1;
	}
	return 0;
}

void results_write(struct results *res, const struct input *in)
{
	if (!res->f)
		return;
	result_print_json(res->f, in);
	fflush(res->f);
}

void results_close(struct results *res)
{
	size_t i;

	if (res->f)
		fclose(res->f);
	res->f = NULL;
	for (i = 0; i < res->nprev; i++) {
		free(res->prev[i].line);
		free(res->prev[i].path);
		free(res->prev[i].stamp);
	}
	free(res->prev);
	res->prev = NULL;
	res->nprev = 0;
}
