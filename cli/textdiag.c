/*
 * textdiag.c - a log's diagnosis: parse the oops, facts from the log, evaluate,
 * the JSON report.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_oops.h"
#include "vmf_diag.h"
#include "files.h"
#include "textdiag.h"

#define LOG_READ_MAX (64u << 20)

/* The report as one JSON line without its newline, into in->report. */
static void keep_report(struct input *in, const struct vmf_report *r)
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
}

void diagnose_text(struct input *in, const char *source)
{
	struct vmf_report *r = calloc(1, sizeof(*r));
	size_t len = 0;
	char why[240];
	char *text = read_head(in->dmesg, LOG_READ_MAX, &len, why, sizeof(why));

	in->text_only = 1;
	if (!r || !text) {
		input_fail(in, "cannot read %.200s", in->dmesg);
		goto out;
	}
	vmf_report_init(r);
	r->text_only = 1;
	r->ev.have_log = 1;
	snprintf(r->ev.log_source, sizeof(r->ev.log_source), "%s", source);
	if (vmf_parse_oops(text, len, &r->ev.oops) != 0) {
		input_fail(in, "no oops or panic found in %.200s", in->dmesg);
		goto out;
	}
	if (!in->release[0])
		snprintf(in->release, sizeof(in->release), "%s", r->ev.oops.release);
	vmf_parse_release(in->release, &r->ev.kernel.version);
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	keep_report(in, r);
	if (in->error[0])
		goto out;
	in->verdict = r->verdict;
	snprintf(in->signature, sizeof(in->signature), "%s", r->sig ? r->sig->id : "");
out:
	free(r);
	free(text);
}
