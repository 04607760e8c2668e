/*
 * output.c - the table, the JSON lines, the counts.
 */
#include <stdio.h>
#include <string.h>
#include "vmf_diag.h"
#include "decompress.h"
#include "results.h"
#include "output.h"

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

static void table_line(FILE *f, const struct input *in)
{
	int failed = in->error[0] != 0;

	const char *comp = compression_name(in->compression);

	fprintf(f, "%-12s %-22s %-26s %s%s%s%s%s%s%s%s%s\n", verdict_name(final_verdict(in)),
		in->signature[0] && !failed ? in->signature : "-", in->release[0] ? in->release : "-", in->path,
		in->text_only ? "  (text-only)" : "", comp ? "  (" : "", comp ? comp : "", comp ? ")" : "",
		in->incomplete ? "  (incomplete)" : "", in->resumed ? "  (reused)" : "", failed ? "  error: " : "",
		in->error);
}

void output_table(FILE *f, const struct input_list *l, double seconds, struct tally *t)
{
	size_t i;
	int v;

	memset(t, 0, sizeof(*t));
	fprintf(f, "%-12s %-22s %-26s %s\n", "VERDICT", "SIGNATURE", "KERNEL", "PATH");
	for (i = 0; i < l->n; i++) {
		count(t, &l->v[i]);
		table_line(f, &l->v[i]);
	}
	fprintf(f, "\n%zu inputs in %.1f s:", l->n, seconds);
	for (v = 0; v < V_COUNT; v++)
		fprintf(f, "%s %d %s", v ? "," : "", t->count[v], verdict_name(v));
	fputc('\n', f);
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
