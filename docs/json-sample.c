/*
 * json-sample.c - one object of each kind the JSON writers print (vmfault -j,
 * ptwalk -j, ptaudit -j), with every optional part present, for
 * docs/check-json.py to hold docs/json.md against: every key the writers print
 * is documented, and every documented key is printed, in the writers' order.
 */
#include <stdio.h>
#include <string.h>
#include "vmf_report.h"
#include "vmf_writers.h"

static void vmfault_sample(void)
{
	static struct vmf_report r;
	struct vmf_evidence *e = &r.ev;

	vmf_report_init(&r);
	r.verdict = VMF_V_MATCH;
	r.sig = &vmf_catalog[0];
	e->have_log = e->oops.found = e->oops.has_cpu = 1;
	e->have_task = e->have_phys = e->have_leaf = e->have_vmap = e->have_slot = 1;
	e->slot.nlacking_names = 1;
	snprintf(e->slot.lacking_names[0], sizeof(e->slot.lacking_names[0]), "1 init");
	vmf_add_note(&r, "a note");
	vmf_report_json(stdout, &r);
}

static void ptwalk_sample(void)
{
	static struct vmf_walk w;
	struct vmf_paging p;

	vmf_paging_x86_64(&p, 4, 0);
	w.nsteps = 1;
	w.step[0].state = VMF_ENTRY_PRESENT;
	vmf_walk_json(stdout, &p, "PID 1 (init) mm 0", &w, "init_mm", &w);
}

static void ptaudit_sample(void)
{
	static struct vmf_audit a;
	struct vmf_paging p;

	vmf_paging_x86_64(&p, 4, 0);
	vmf_audit_init(&a, &p);
	a.missing[403] = 1;
	vmf_audit_json(stdout, &a);
}

int main(void)
{
	vmfault_sample();
	ptwalk_sample();
	ptaudit_sample();
	return 0;
}
