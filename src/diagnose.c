/*
 * diagnose.c - the pipeline: log -> oops; dump -> task, kernel facts, view ->
 * evidence; evidence -> facts -> verdict.  Every front end calls this.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_diagnose.h"
#include "vmf_diag.h"
#include "vmf_oops.h"
#include "vmf_kview.h"

/* 1. the oops, from the log text; -a gives (or replaces) the address to examine */
static void read_log(struct vmf_report *r, const struct vmf_inputs *in)
{
	struct vmf_evidence *e = &r->ev;

	e->have_log = in->loglen > 0;
	snprintf(e->log_source, sizeof(e->log_source), "%s", in->log_source ? in->log_source : "log");
	vmf_parse_oops(in->log ? in->log : "", in->log ? in->loglen : 0, &e->oops);
	if (in->log_note && in->log_note[0])
		vmf_add_note(r, "the log is incomplete: %s", in->log_note);
	if (in->have_fault_addr) {
		e->oops.has_fault_addr = 1;
		e->oops.fault_addr = in->fault_addr;
		e->oops.found = 1;
	}
}

static void stage(const struct vmf_inputs *in, const char *name)
{
	if (in->stage_done)
		in->stage_done(in->stage_arg, name);
}

/*
 * No task at all (a front without the task list): the table the faulting CPU
 * ran on, from the oops' CR3.  __show_regs() prints CR3 as the register holds
 * it: the PCID in bits 0-11 and, with X86_CR3_PCID_NOFLUSH, bit 63 (both since
 * 10af6235e0d3, v4.14) are not part of the address.
 */
#define CR3_ADDR_MASK 0x000ffffffffff000ULL

static void task_from_cr3(struct vmf_evidence *e)
{
	uint64_t cr3;
	int line = e->oops.found ? vmf_oops_reg(&e->oops, VMF_REG_CR3, &cr3) : 0;

	if (!line || !(cr3 & CR3_ADDR_MASK))
		return;
	e->have_task = 1;
	e->task.pgd_pa = cr3 & CR3_ADDR_MASK;
	e->task.cpu = e->oops.has_cpu ? e->oops.cpu : -1;
	snprintf(e->task.source, sizeof(e->task.source), "the oops' CR3, log line %d; no task list", line);
}

/*
 * The task whose page table the evidence uses: -c's; else the one the oops
 * names (after an oops that did not panic, the panic task is whoever panicked
 * later), else the panic task.  -1 only when -c names no task.
 */
static int choose_task(struct vmf_report *r, const struct vmf_kview *kv, const char *arg)
{
	struct vmf_evidence *e = &r->ev;
	char why[160] = "";

	if (kv->k->symbols_partial && !arg) {
		memset(&e->task, 0, sizeof(e->task));
		e->task.pid = e->task.cpu = -1;
		vmf_add_note(r, "no task list (%s): the faulting task's page table is the oops' CR3",
			     kv->k->symbols_partial);
		task_from_cr3(e);
		return 0;
	}
	if (!arg && e->oops.found && e->oops.has_pid) {
		char pid[24];

		snprintf(pid, sizeof(pid), "%d", e->oops.pid);
		if (vmf_kview_task(kv, pid, &e->task, why, sizeof(why)) == 0 && e->task.pid == e->oops.pid) {
			snprintf(e->task.source, sizeof(e->task.source), "the oops' PID %d", e->task.pid);
			e->have_task = 1;
		} else {
			vmf_add_note(r, "the oops' task (PID %d) is not in the dump's task list (it exited?): "
				     "the page-table evidence uses the panic task", e->oops.pid);
		}
	}
	if (!e->have_task && vmf_kview_task(kv, arg, &e->task, why, sizeof(why)) == 0)
		e->have_task = 1;
	if (!e->have_task) {
		memset(&e->task, 0, sizeof(e->task));
		e->task.pid = e->task.cpu = -1;
		if (arg)
			return vmf_report_error(r, "%s", why);
		vmf_add_note(r, "%s", why);
		task_from_cr3(e);
		return 0;
	}
	if (vmf_kview_task_mm(kv, &e->task))
		e->task.pgd_va = e->task.pgd_pa = 0;
	return 0;
}

/* 2-4: every mm's table, the leaf, the slot; mms are named through mm->owner where it exists */
static int page_tables(struct vmf_report *r, const struct vmf_kview *kv, const struct vmf_inputs *in)
{
	struct vmf_mm_list ml;
	struct vmf_dump_view v;
	int rc;

	rc = vmf_kview_mms(kv, !vmf_kview_names_by_owner(kv), &ml);
	stage(in, "mm list");
	if (rc) {
		vmf_mm_list_free(&ml);
		return vmf_report_error(r, "mm list: %s", ml.why);
	}
	vmf_kview_dump_view(kv, &ml, r->ev.task.pgd_pa, &v);
	if (ml.why[0])
		vmf_add_note(r, "mm list: %s", ml.why);
	rc = vmf_gather_dump_evidence(r, &v, in->audit);
	vmf_mm_list_free(&ml);
	stage(in, "page tables");
	return rc;
}

/* The dump's side: the task, the kernel facts and the page tables, through the data front. */
static int diagnose_dump(struct vmf_report *r, const struct vmf_inputs *in)
{
	struct vmf_kview *kv = malloc(sizeof(*kv));
	int rc = -1;

	if (!kv)
		return vmf_report_error(r, "out of memory");
	if (vmf_kview_open(kv, in->kernel)) {
		vmf_report_error(r, "%s", kv->why);
		goto out;
	}
	stage(in, "kernel view");
	if (choose_task(r, kv, in->task_arg))
		goto out;
	stage(in, "task");
	vmf_kview_kernel_facts(kv, &r->ev.oops, &r->ev.kernel);
	vmf_facts_from_log(r);
	stage(in, "kernel facts");
	if (page_tables(r, kv, in))
		goto out;
	vmf_facts_from_dump(r);
	vmf_evaluate(r);
	rc = 0;
out:
	free(kv);
	return rc;
}

int vmf_diagnose(struct vmf_report *r, const struct vmf_inputs *in)
{
	vmf_report_init(r);
	r->text_only = in->kernel == NULL;
	read_log(r, in);
	stage(in, "log");
	if (in->release && in->release[0])
		vmf_parse_release(in->release, &r->ev.kernel.version);
	if (in->kernel)
		return diagnose_dump(r, in);
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	return 0;
}
