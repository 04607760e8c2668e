/*
 * vmf_diagnose.h - the whole diagnosis in one call, the same for every front end:
 *
 *   log text --parse--> oops ------------------------------.
 *   dump (vmf_kernel) --kview--> task, kernel facts, view --+--> evidence
 *   evidence --diag--> facts --diag--> verdict --writers--> text / JSON
 *
 * The crash extension, vmfault-triage, the tests and the fuzz targets all call
 * vmf_diagnose(); a front end only supplies the inputs and prints the report.
 */
#ifndef VMF_DIAGNOSE_H
#define VMF_DIAGNOSE_H

#include <stddef.h>
#include <stdint.h>
#include "vmf_report.h"
#include "vmf_kernel.h"

struct vmf_inputs {
	/* The console log (crash's log, vmcore-dmesg.txt, a pasted oops); may be empty. */
	const char *log;
	size_t loglen;
	const char *log_source;        /* shown as the oops' origin: "crash log (27565 bytes)" */
	const char *log_note;          /* NULL, or why the log is incomplete (a note of the report) */
	/* The release when the dump itself does not say (triage's VMCOREINFO); NULL if none. */
	const char *release;
	/* -a: the fault address to examine, instead of (or without) the oops' one. */
	int have_fault_addr;
	uint64_t fault_addr;
	/* -c: a PID or task address; NULL = the oops' task if the dump has it, else the panic task. */
	const char *task_arg;
	/* The dump, through a data front's primitives; NULL = text only. */
	const struct vmf_kernel *kernel;
	/* Filled when given: the audit of every mm against init_mm (dumps only). */
	struct vmf_audit *audit;
	/* Told as each stage ends ("log", "kernel view", "task", ...), for timing; may be NULL. */
	void (*stage_done)(void *arg, const char *stage);
	void *stage_arg;
};

/*
 * Diagnose into r (initialised here).  Returns 0, or -1 when no report can be
 * made - the dump's kernel view cannot be set up, -c names no task, memory ran
 * out - with the one-line reason in r->error.
 */
int vmf_diagnose(struct vmf_report *r, const struct vmf_inputs *in);

#endif
