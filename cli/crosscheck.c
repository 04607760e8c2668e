/*
 * crosscheck.c - the report's evidence.oops (docs/json.md) against the saved text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_oops.h"
#include "files.h"
#include "jsonread.h"
#include "crosscheck.h"

#define TEXT_READ_MAX (64u << 20)

/* One oops as both sides can state it; "" where a side does not say. */
struct oops_view {
	int found;
	char fault_addr[24];
	char rip_sym[128];
	char pid[16];
	char comm[32];
};

static void view_of_text(const struct vmf_oops *o, struct oops_view *v)
{
	memset(v, 0, sizeof(*v));
	v->found = o->found;
	if (!o->found)
		return;
	if (o->has_fault_addr)
		snprintf(v->fault_addr, sizeof(v->fault_addr), "0x%llx", (unsigned long long)o->fault_addr);
	if (o->has_rip)
		snprintf(v->rip_sym, sizeof(v->rip_sym), "%s", o->rip_sym);
	if (o->has_cpu)
		snprintf(v->pid, sizeof(v->pid), "%d", o->pid);
	snprintf(v->comm, sizeof(v->comm), "%s", o->comm);
}

/* evidence.oops of a vmfault -j object; -1 when the report does not have it */
static int view_of_report(const char *report, struct oops_view *v)
{
	struct json_value obj, ev, oops, pid, found;

	memset(v, 0, sizeof(*v));
	if (!report || json_check(report, strlen(report), &obj, NULL, 0) != 0 ||
	    json_member(&obj, "evidence", &ev) != 0 || json_member(&ev, "oops", &oops) != 0 ||
	    json_member(&oops, "found", &found) != 0)
		return -1;
	v->found = found.type == JSON_TRUE;
	json_member_string(&oops, "fault_addr", v->fault_addr, sizeof(v->fault_addr));
	json_member_string(&oops, "rip_sym", v->rip_sym, sizeof(v->rip_sym));
	json_member_string(&oops, "comm", v->comm, sizeof(v->comm));
	if (json_member(&oops, "pid", &pid) == 0 && pid.type == JSON_NUMBER && pid.len < sizeof(v->pid))
		snprintf(v->pid, sizeof(v->pid), "%.*s", (int)pid.len, pid.text);
	return 0;
}

static void differ(char *out, size_t len, const char *what, const char *dump, const char *text)
{
	size_t n = strlen(out);

	/* a side that does not state a value does not contradict the other */
	if (!dump[0] || !text[0] || !strcmp(dump, text) || n + 1 >= len)
		return;
	snprintf(out + n, len - n, "%s%s %s in the dump's log, %s in the text", n ? "; " : "", what, dump, text);
}

void crosscheck_text(struct input *in)
{
	struct vmf_oops *o = calloc(1, sizeof(*o));
	struct oops_view d, t;
	size_t len = 0;
	char why[200], diff[600] = "";
	char *text = o ? read_head(in->dmesg, TEXT_READ_MAX, &len, why, sizeof(why)) : NULL;

	if (!text || view_of_report(in->report, &d) != 0) {
		if (o && !text)
			input_note(in, "%s could not be read to check against the dump's log: %s", input_text_name(in), why);
		goto out;
	}
	vmf_parse_oops(text, len, o);
	view_of_text(o, &t);
	if (d.found != t.found)
		input_note(in, "the dump's log and %s disagree: an oops is in %s only", input_text_name(in),
			   d.found ? "the dump's log" : input_text_name(in));
	else if (d.found) {
		differ(diff, sizeof(diff), "fault address", d.fault_addr, t.fault_addr);
		differ(diff, sizeof(diff), "RIP", d.rip_sym, t.rip_sym);
		differ(diff, sizeof(diff), "PID", d.pid, t.pid);
		differ(diff, sizeof(diff), "command", d.comm, t.comm);
		if (diff[0])
			input_note(in, "the dump's log and %s disagree: %s", input_text_name(in), diff);
	}
out:
	free(text);
	free(o);
}
