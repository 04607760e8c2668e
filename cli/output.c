/*
 * output.c - the table, the JSON lines, the counts.
 */
#include <stdio.h>
#include <string.h>
#include "decompress.h"
#include "jsonread.h"
#include "results.h"
#include "output.h"

/* the widest short fix: "f4eafd8bcd52+18a955219bf7" */
#define FIX_WIDTH 25

static int final_verdict(const struct input *in)
{
	return in->error[0] ? V_ERROR : in->verdict;
}

static void count(struct tally *t, const struct input *in)
{
	int v = final_verdict(in);

	if (v >= 0 && v < V_COUNT)
		t->count[v]++;
	t->matched += v == VMF_V_MATCH || v == VMF_V_RELATED;
	t->errors += !!in->error[0];
}

/* Bytes of the printable UTF-8 character at s; 0 for a control character or a byte that is not UTF-8. */
static size_t printable_len(const unsigned char *s)
{
	size_t n, i;

	if (*s >= 0x20 && *s < 0x7f)
		return 1;
	n = *s >= 0xc2 && *s <= 0xdf ? 2 : *s >= 0xe0 && *s <= 0xef ? 3 : *s >= 0xf0 && *s <= 0xf4 ? 4 : 0;
	for (i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if (n == 2 && s[0] == 0xc2 && s[1] < 0xa0)
		return 0;               /* C1 control */
	if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
	    (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
		return 0;               /* overlong, surrogate, past U+10FFFF */
	return n;
}

/*
 * A table cell: UTF-8 as it is, control characters and bytes that are not
 * UTF-8 as \xHH (\n, \t), so that a file name cannot break a line or send
 * escape sequences to the terminal; padded to width characters.  A block of
 * text keeps its newlines.
 */
static void text_out(FILE *f, const char *str, int width, int block)
{
	const unsigned char *s = (const unsigned char *)str;
	int shown = 0;
	size_t n;

	while (*s) {
		if (block && *s == '\n') {
			fputc(*s++, f);
			continue;
		}
		if ((n = printable_len(s)) != 0) {
			fwrite(s, 1, n, f);
			s += n;
			shown++;
			continue;
		}
		shown += *s == '\n' || *s == '\t' ? fprintf(f, "\\%c", *s == '\n' ? 'n' : 't') : fprintf(f, "\\x%02x", *s);
		s++;
	}
	for (; shown < width; shown++)
		fputc(' ', f);
}

static void cell(FILE *f, const char *str, int width)
{
	text_out(f, str, width, 0);
}

/*
 * What to act on: short_fix {fix, reason} of the input's vmfault report (its
 * own, or the reused line's), "?" when the report has none (a vmfault.so from
 * before short_fix), "-" without a report.
 */
static void short_fix(const struct input *in, char *fix, size_t flen, char *reason, size_t rlen)
{
	const char *text = in->resumed ? in->resumed : in->report;
	struct json_value obj, report, sf;

	snprintf(fix, flen, "-");
	reason[0] = 0;
	if (!text || in->error[0] || final_verdict(in) == V_ERROR || json_check(text, strlen(text), &obj, NULL, 0))
		return;
	if (!in->resumed)
		report = obj;
	else if (json_member(&obj, "report", &report) != 0)
		return;
	if (json_member(&report, "short_fix", &sf) != 0 || json_member_string(&sf, "fix", fix, flen) != 0 || !fix[0]) {
		snprintf(fix, flen, "?");
		snprintf(reason, rlen, "the report has no short_fix (a vmfault.so older than this vmfault-triage)");
		return;
	}
	if (json_member_string(&sf, "reason", reason, rlen) != 0)
		reason[0] = 0;
}

static void table_line(FILE *f, const struct input *in)
{
	int failed = in->error[0] != 0;
	char fix[64], reason[400];

	cell(f, verdict_name(final_verdict(in)), 12);
	fputc(' ', f);
	cell(f, in->signature[0] && !failed ? in->signature : "-", 22);
	fputc(' ', f);
	cell(f, in->release[0] ? in->release : "-", 26);
	fputc(' ', f);
	short_fix(in, fix, sizeof(fix), reason, sizeof(reason));
	cell(f, fix, FIX_WIDTH);
	fputc(' ', f);
	cell(f, in->path, 0);
	if (in->text_only && !failed && in->fallback[0]) {
		fputs("  (text-only: ", f);
		cell(f, input_text_name(in), 0);
		fputs(", ", f);
		cell(f, in->fallback, 0);
		fputc(')', f);
	} else if (in->text_only && !failed && in->read_note[0]) {
		fputs("  (text-only, ", f);
		cell(f, in->read_note, 0);
		fputc(')', f);
	} else if (in->text_only)
		fputs("  (text-only)", f);
	if (compression_name((enum compression)in->compression))
		fprintf(f, "  (%s)", compression_name((enum compression)in->compression));
	if (in->incomplete)
		fputs("  (incomplete)", f);
	if (in->resumed)
		fputs("  (reused)", f);
	if (failed) {
		fputs("  error: ", f);
		cell(f, in->error, 0);
	}
	fputc('\n', f);
	/* the fix's one-line reason, under the row; NO MATCH has nothing to fix */
	if (reason[0] && final_verdict(in) != VMF_V_NO_MATCH) {
		fprintf(f, "%13s", "");
		cell(f, reason, 0);
		fputc('\n', f);
	}
}

/* -v: each input's full report after the table, as crash> vmfault -v prints it */
static void explain(FILE *f, const struct input *in)
{
	fputs("\n=== ", f);
	cell(f, in->path, 0);
	fprintf(f, ": %s%s%s\n", verdict_name(final_verdict(in)), in->signature[0] && !in->error[0] ? " " : "",
		in->signature[0] && !in->error[0] ? in->signature : "");
	if (in->error[0]) {
		cell(f, in->error, 0);
		fputc('\n', f);
	} else if (in->explain)
		text_out(f, in->explain, 0, 1);
	else
		fputs("(no report text: crash printed none)\n", f);
}

void output_table(FILE *f, const struct input_list *l, double seconds, int explain_all, struct tally *t)
{
	size_t i;
	int v;

	memset(t, 0, sizeof(*t));
	fprintf(f, "%-12s %-22s %-26s %-*s %s\n", "VERDICT", "SIGNATURE", "KERNEL", FIX_WIDTH, "FIX", "PATH");
	for (i = 0; i < l->n; i++) {
		count(t, &l->v[i]);
		table_line(f, &l->v[i]);
	}
	fprintf(f, "\n%zu inputs in %.1f s:", l->n, seconds);
	for (v = 0; v < V_COUNT; v++)
		fprintf(f, "%s %d %s", v ? "," : "", t->count[v], verdict_name(v));
	fputc('\n', f);
	for (i = 0; explain_all && i < l->n; i++)
		explain(f, &l->v[i]);
}

void output_json(FILE *f, const struct input_list *l, struct tally *t)
{
	size_t i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < l->n; i++) {
		count(t, &l->v[i]);
		result_print_json(f, &l->v[i]);
	}
}

int output_exit_status(const struct tally *t)
{
	return t->errors ? 2 : t->matched ? 1 : 0;
}
