/*
 * report.c - the report as a record: its initial state, facts, notes, errors.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "vmf_report.h"

void vmf_report_init(struct vmf_report *r)
{
	memset(r, 0, sizeof(*r));
	r->ev.phys_is_ram = VMF_UNKNOWN;
	r->ev.task.cpu = -1;
	r->ev.task.pid = -1;
}

void vmf_add_note(struct vmf_report *r, const char *fmt, ...)
{
	va_list ap;

	if (r->nnotes < VMF_MAX_NOTES) {
		va_start(ap, fmt);
		vsnprintf(r->notes[r->nnotes++], sizeof(r->notes[0]), fmt, ap);
		va_end(ap);
		return;
	}
	/* full: the last note gives way to a count of every note not kept, itself included */
	r->notes_not_kept += r->notes_not_kept ? 1 : 2;
	snprintf(r->notes[VMF_MAX_NOTES - 1], sizeof(r->notes[0]),
		 "%u more notes were not kept (a report holds %d)", r->notes_not_kept, VMF_MAX_NOTES);
}

int vmf_report_error(struct vmf_report *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->error, sizeof(r->error), fmt, ap);
	va_end(ap);
	return -1;
}

static const char *const verdict_names[VMF_NVERDICTS] = { "MATCH", "RELATED", "NO MATCH", "INCONCLUSIVE" };

const char *vmf_verdict_name(enum vmf_verdict v)
{
	return (unsigned)v < VMF_NVERDICTS ? verdict_names[v] : "?";
}
