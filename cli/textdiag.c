/*
 * textdiag.c - a log's diagnosis: parse the oops, facts from the log, evaluate,
 * the JSON report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmf_diagnose.h"
#include "vmf_writers.h"
#include "files.h"
#include "textdiag.h"

/*
 * A log longer than this is read as its first and last halves of it: the first
 * oops is described, and a panic is at the end.  The report says so.
 */
#define LOG_READ_MAX (256u << 20)

struct log_text {
	char *buf;
	size_t len;
	unsigned long long size;  /* of the file */
	int cut;                  /* only the head and the tail were read */
	int head_lines;           /* lines before the cut */
};

static int read_part(int fd, char *buf, size_t len, off_t off)
{
	while (len) {
		ssize_t n = pread(fd, buf, len, off);
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/* The whole log, or its head and tail around a cut at a line boundary. */
static int read_log(const char *path, struct log_text *t, char *why, size_t wlen)
{
	size_t half = LOG_READ_MAX / 2, i, tail;
	struct stat st;
	int fd = open_regular(path, why, wlen), ret = -1;

	memset(t, 0, sizeof(*t));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !(t->buf = malloc(st.st_size > LOG_READ_MAX ? LOG_READ_MAX + 1 : (size_t)st.st_size + 1))) {
		snprintf(why, wlen, "out of memory for %lld bytes", (long long)st.st_size);
		goto out;
	}
	t->size = (unsigned long long)st.st_size;
	if (t->size <= LOG_READ_MAX) {
		t->len = (size_t)st.st_size;
		ret = read_part(fd, t->buf, t->len, 0);
	} else {
		t->cut = 1;
		ret = read_part(fd, t->buf, half, 0) || read_part(fd, t->buf + half, half, st.st_size - (off_t)half);
		/* the tail starts at its first whole line (the oops parser ends lines at NUL too) */
		for (tail = half; tail < 2 * half && t->buf[tail] != '\n' && t->buf[tail]; tail++)
			;
		memmove(t->buf + half, t->buf + tail, 2 * half - tail);
		t->len = 2 * half - (tail - half);
		for (i = 0; i < half; i++)
			t->head_lines += t->buf[i] == '\n';
	}
	if (ret)
		snprintf(why, wlen, "read error");
	else
		t->buf[t->len] = 0;
out:
	close(fd);
	return ret;
}

/* The report as one JSON line without its newline, into in->report; with explain, as text too. */
static void keep_report(struct input *in, const struct vmf_report *r, int explain)
{
	size_t sz = 0;
	FILE *mem = open_memstream(&in->report, &sz);

	if (!mem) {
		input_fail(in, "out of memory writing the report");
		return;
	}
	vmf_report_json(mem, r);
	fclose(mem);
	if (sz && in->report[sz - 1] == '\n')
		in->report[sz - 1] = 0;
	if (explain && (mem = open_memstream(&in->explain, &sz)) != NULL) {
		vmf_report_text(mem, r, 1);
		fclose(mem);
	}
}

/* How the text was read, where that limits what the report can say. */
static void reading_notes(struct input *in, struct vmf_report *r, const struct log_text *t)
{
	if (in->fallback[0])
		vmf_add_note(r, "the dump was not read (%.170s): diagnosed from its %.40s", in->fallback,
			     input_text_name(in));
	if (t->cut) {
		snprintf(in->read_note, sizeof(in->read_note), "log of %llu bytes cut: its first and last %u MiB read",
			 t->size, LOG_READ_MAX >> 21);
		vmf_add_note(r, "the log is %llu bytes: only its first and last %u MiB were read; line numbers past "
			     "line %d count from the cut", t->size, LOG_READ_MAX >> 21, t->head_lines);
	}
}

void diagnose_text(struct input *in, const char *source, int explain)
{
	struct vmf_report *r = calloc(1, sizeof(*r));
	struct vmf_inputs vi;
	struct log_text t;
	char why[240];

	in->text_only = 1;
	if (read_log(in->dmesg, &t, why, sizeof(why)) != 0 || !r) {
		input_fail(in, "cannot read %.200s: %s", in->dmesg, r ? why : "out of memory");
		goto out;
	}
	memset(&vi, 0, sizeof(vi));
	vi.log = t.buf;
	vi.loglen = t.len;
	vi.log_source = source;
	vi.release = in->release[0] ? in->release : NULL;
	if (vmf_diagnose(r, &vi) != 0) {
		input_fail(in, "%s", r->error);
		goto out;
	}
	if (!r->ev.oops.found) {
		input_fail(in, "no oops or panic found in %.200s%s", in->dmesg, t.cut ? " (read its head and tail only)" : "");
		goto out;
	}
	reading_notes(in, r, &t);
	if (!in->release[0])
		snprintf(in->release, sizeof(in->release), "%s", r->ev.oops.release);
	keep_report(in, r, explain);
	if (in->error[0])
		goto out;
	in->verdict = r->verdict;
	snprintf(in->signature, sizeof(in->signature), "%s", r->sig ? r->sig->id : "");
out:
	free(r);
	free(t.buf);
}
