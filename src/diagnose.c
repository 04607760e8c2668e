/*
 * diagnose.c - the pipeline: log -> oops; dump -> task, kernel facts, view ->
 * evidence; evidence -> facts -> verdict.  Every front end calls this.
 */
#include <stdio.h>
#include <string.h>
#include "vmf_diagnose.h"
#include "vmf_diag.h"
#include "vmf_oops.h"

/* 1. the oops, from the log text; -a gives (or replaces) the address to examine */
static void read_log(struct vmf_report *r, const struct vmf_inputs *in)
{
	struct vmf_evidence *e = &r->ev;

	e->have_log = in->loglen > 0;
	snprintf(e->log_source, sizeof(e->log_source), "%s", in->log_source ? in->log_source : "log");
	vmf_parse_oops(in->log ? in->log : "", in->log ? in->loglen : 0, &e->oops);
	if (in->have_fault_addr) {
		e->oops.has_fault_addr = 1;
		e->oops.fault_addr = in->fault_addr;
		e->oops.found = 1;
	}
}

/* The dump's side: the task, the kernel facts and the page tables, through the data front. */
static int diagnose_dump(struct vmf_report *r, const struct vmf_inputs *in)
{
	(void)in;
	return vmf_report_error(r, "vmf_diagnose: the engine's kernel view is not built yet");
}

int vmf_diagnose(struct vmf_report *r, const struct vmf_inputs *in)
{
	vmf_report_init(r);
	r->text_only = in->kernel == NULL;
	read_log(r, in);
	if (in->release && in->release[0])
		vmf_parse_release(in->release, &r->ev.kernel.version);
	if (in->kernel)
		return diagnose_dump(r, in);
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	return 0;
}
