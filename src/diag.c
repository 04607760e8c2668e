/*
 * diag.c - from facts to a verdict.  A signature holds when all its required
 * conditions are TRUE and all its forbidden ones FALSE; nothing UNKNOWN is ever
 * counted as either.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "vmf_diag.h"
#include "vmf_leaftext.h"
#include "vmf_fixwindow.h"

void vmf_set_fact(struct vmf_report *r, enum vmf_cond c, enum vmf_tri s, const char *fmt, ...)
{
	va_list ap;

	if ((unsigned)c >= VMF_NCONDS)
		return;
	r->fact[c].state = s;
	va_start(ap, fmt);
	vsnprintf(r->fact[c].detail, sizeof(r->fact[c].detail), fmt, ap);
	va_end(ap);
}

/* The kernel's facts: its version (from the dump, else the oops' CPU line), the fix window, vmalloc_fault. */
static void facts_from_kernel(struct vmf_report *r, int in_vf)
{
	const struct vmf_oops *o = &r->ev.oops;
	struct vmf_kernel_facts *k = &r->ev.kernel;

	if (!k->version.ok && o->release[0])
		vmf_parse_release(o->release, &k->version);
	vmf_release_from_version_line(&k->version, o->cpu_line.text);
	vmf_fix_window_eval(&k->version, k->hugetlbfs, &r->ev.window);
	if (k->has_vmalloc_fault == VMF_UNKNOWN && r->ev.window.state == VMF_FIX_NO_VMALLOC_FAULT) {
		/* text only: the version says so, the code was not seen */
		vmf_set_fact(r, VMF_C_NO_VMALLOC_FAULT, in_vf ? VMF_FALSE : VMF_TRUE,
			     "%s%s", r->ev.window.why,
			     in_vf ? "; but the oops itself ran in a vmalloc_fault" : "");
	} else if (k->has_vmalloc_fault == VMF_TRUE && strncmp(k->vmalloc_fault_where, "module", 6) == 0) {
		/* the page-fault handler only calls the kernel's own vmalloc_fault */
		vmf_set_fact(r, VMF_C_NO_VMALLOC_FAULT, VMF_TRUE,
			     "the kernel has no vmalloc_fault; %s defines one, which the fault handler does not call",
			     k->vmalloc_fault_where);
	} else if (k->has_vmalloc_fault != VMF_UNKNOWN) {
		vmf_set_fact(r, VMF_C_NO_VMALLOC_FAULT,
			     k->has_vmalloc_fault == VMF_TRUE ? VMF_FALSE : VMF_TRUE, "%s",
			     k->has_vmalloc_fault == VMF_TRUE
				     ? (k->vmalloc_fault_where[0] ? k->vmalloc_fault_where : "vmalloc_fault present")
				     : "no function vmalloc_fault in the kernel or its modules");
	} else if (r->ev.window.state != VMF_FIX_UNKNOWN) {
		vmf_set_fact(r, VMF_C_NO_VMALLOC_FAULT, VMF_FALSE, "%s", r->ev.window.why);
	}
	if (r->ev.window.state == VMF_FIX_INERT)
		vmf_set_fact(r, VMF_C_FIX1_INERT, VMF_TRUE, "%s", r->ev.window.why);
	else if (r->ev.window.state == VMF_FIX_UNKNOWN ||
		 (r->ev.window.state == VMF_FIX_UNCERTAIN && r->ev.window.has_fix1 != VMF_FALSE &&
		  k->hugetlbfs != VMF_TRUE))
		vmf_set_fact(r, VMF_C_FIX1_INERT, VMF_UNKNOWN, "%s", r->ev.window.why);
	else
		vmf_set_fact(r, VMF_C_FIX1_INERT, VMF_FALSE, "%s", r->ev.window.why);
	{       /* the stale vmemmap slot's window opens with the commit its fix names */
		char why[200];
		enum vmf_tri t = vmf_fix_in_release(vmf_fix_by_commit("8d400913c231"), &k->version, why, sizeof(why));
		vmf_set_fact(r, VMF_C_VMEMMAP_UNSYNCED, t, "%s", why);
	}
}

/*
 * Text only: LARGE_PUD_FRAME / LARGE_PMD_FRAME / LEAF_UNDECIDED from what the
 * text says of the leaf (leaftext.c measures it).  With a dump, LEAF_UNDECIDED
 * is FALSE: the page tables decide.
 */
static void facts_leaf_from_text(struct vmf_report *r)
{
	const struct vmf_oops *o = &r->ev.oops;
	struct vmf_leaf_clues c;
	char detail[sizeof(c.why) + sizeof(c.entry) + 8];

	if (!r->text_only) {
		vmf_set_fact(r, VMF_C_LEAF_UNDECIDED, VMF_FALSE, "the dump's page tables show the leaf");
		return;
	}
	if (r->fact[VMF_C_OOPS_FAULT_ADDR].state != VMF_TRUE || r->fact[VMF_C_RIP_VMALLOC_FAULT].state != VMF_TRUE ||
	    !(o->fault_addr >> 63)) {
		vmf_set_fact(r, VMF_C_LEAF_UNDECIDED, VMF_FALSE, "no vmalloc_fault oops at a kernel address");
		return;
	}
	vmf_leaf_clues_from_text(o, &r->ev.kernel.version, &c);
	snprintf(detail, sizeof(detail), "%s%s%s", c.why, c.entry[0] ? "; " : "", c.entry);
	vmf_set_fact(r, VMF_C_LEAF_UNDECIDED, c.guess == VMF_LEAF_UNDECIDED ? VMF_TRUE : VMF_FALSE, "%s", detail);
	if (c.guess == VMF_LEAF_PMD || c.guess == VMF_LEAF_NEITHER)
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_FALSE, "text: %s", c.why);
	if (c.guess == VMF_LEAF_PUD || c.guess == VMF_LEAF_NEITHER)
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_FALSE, "text: %s", c.why);
	if (c.guess == VMF_LEAF_PMD)
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_UNKNOWN, "the text points to a 2 MiB pmd leaf; the table "
			     "itself is not in the log%s%s", c.entry[0] ? ": " : "", c.entry);
	if (c.guess == VMF_LEAF_PUD)
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_UNKNOWN, "the text points to a 1 GiB pud leaf; the table "
			     "itself is not in the log%s%s", c.entry[0] ? ": " : "", c.entry);
}

void vmf_facts_from_log(struct vmf_report *r)
{
	const struct vmf_oops *o = &r->ev.oops;
	int page_fault = o->found && o->has_fault_addr &&
			 (o->kind == VMF_OOPS_PAGING_REQUEST || o->kind == VMF_OOPS_PAGE_FAULT ||
			  o->kind == VMF_OOPS_NULL_DEREF);
	int in_vf = o->has_rip && strcmp(o->rip_sym, "vmalloc_fault") == 0, bug_fault_c;

	if (!r->ev.have_log || !o->found) {
		const char *why = r->ev.have_log ? "no oops or panic found in the log" : "no log text";
		vmf_set_fact(r, VMF_C_OOPS_FAULT_ADDR, r->ev.have_log ? VMF_FALSE : VMF_UNKNOWN, "%s", why);
		vmf_set_fact(r, VMF_C_RIP_VMALLOC_FAULT, r->ev.have_log ? VMF_FALSE : VMF_UNKNOWN, "%s", why);
		vmf_set_fact(r, VMF_C_OOPS_TOP_ZERO, r->ev.have_log ? VMF_FALSE : VMF_UNKNOWN, "%s", why);
		vmf_set_fact(r, VMF_C_BUG_IN_VMALLOC_FAULT, r->ev.have_log ? VMF_FALSE : VMF_UNKNOWN, "%s", why);
	} else {
		if (page_fault)
			vmf_set_fact(r, VMF_C_OOPS_FAULT_ADDR, VMF_TRUE, "log line %d: %s", o->bug.line, o->bug.text);
		else
			vmf_set_fact(r, VMF_C_OOPS_FAULT_ADDR, VMF_FALSE, "not a page fault with an address (%s): %s",
				     vmf_oops_kind_name(o->kind), o->bug.text);
		if (o->has_rip && !o->rip_sym[0])
			vmf_set_fact(r, VMF_C_RIP_VMALLOC_FAULT, VMF_FALSE,
				     "log line %d: RIP %016llx, which the kernel could not name: in no kernel function",
				     o->rip.line, (unsigned long long)o->rip_addr);
		else if (o->has_rip)
			vmf_set_fact(r, VMF_C_RIP_VMALLOC_FAULT, in_vf ? VMF_TRUE : VMF_FALSE,
				     "log line %d: RIP %s+0x%llx/0x%llx%s%s%s", o->rip.line, o->rip_sym,
				     (unsigned long long)o->rip_off, (unsigned long long)o->rip_len,
				     o->rip_module[0] ? " [" : "", o->rip_module, o->rip_module[0] ? "]" : "");
		else if (o->from_die)   /* __die() printed one: cut off or filtered, not absent */
			vmf_set_fact(r, VMF_C_RIP_VMALLOC_FAULT, VMF_UNKNOWN, "%s", o->ended
				     ? "the oops' RIP/IP line is not in the log (console log level, or a form not read)"
				     : "the log ends inside the oops, before its RIP/IP line");
		else
			vmf_set_fact(r, VMF_C_RIP_VMALLOC_FAULT, VMF_FALSE, "the oops has no RIP/IP line");
		if (o->pt_line.line) {
			int zero = (o->pt[VMF_PGD].printed && o->pt[VMF_PGD].value == 0) ||
				   (o->pt[VMF_P4D].printed && o->pt[VMF_P4D].value == 0);
			vmf_set_fact(r, VMF_C_OOPS_TOP_ZERO, zero ? VMF_TRUE : VMF_FALSE, "log line %d: %s",
				     o->pt_line.line, o->pt_line.text);
		} else if (page_fault) {   /* show_fault_oops() -> dump_pagetable() printed one */
			vmf_set_fact(r, VMF_C_OOPS_TOP_ZERO, VMF_UNKNOWN, "%s", o->ended
				     ? "the oops' page-table line is not in the log (console log level, or a form not read)"
				     : "the log ends inside the oops, before its page-table line");
		} else {
			vmf_set_fact(r, VMF_C_OOPS_TOP_ZERO, VMF_FALSE, "the oops has no page-table line");
		}
		bug_fault_c = o->kind == VMF_OOPS_KERNEL_BUG && strstr(o->bug.text, "arch/x86/mm/fault.c");
		vmf_set_fact(r, VMF_C_BUG_IN_VMALLOC_FAULT, bug_fault_c && in_vf ? VMF_TRUE :
			     bug_fault_c && !o->has_rip && o->from_die ? VMF_UNKNOWN : VMF_FALSE, "%s", o->bug.text);
	}

	/*
	 * A fault address in the lower half is a user address: the log alone says it is
	 * in no kernel region.  Kernel addresses need the dump's layout (KASLR).
	 */
	if (page_fault && !(o->fault_addr >> 63)) {
		static const enum vmf_cond regions[] = {
			VMF_C_FAULT_IN_DIRECT_MAP, VMF_C_FAULT_IN_VMALLOC, VMF_C_FAULT_IN_VMEMMAP };
		/* %p prints pointer-wide: "at c1487194" is a 32-bit kernel's, often a kernel address */
		int bits32 = o->fault_addr_digits == 8;
		for (unsigned i = 0; i < sizeof(regions) / sizeof(regions[0]); i++)
			if (r->fact[regions[i]].state == VMF_UNKNOWN)
				vmf_set_fact(r, regions[i], VMF_FALSE, bits32
					     ? "%08llx is printed 8 digits wide, by a 32-bit kernel: no x86-64 region"
					     : "%016llx is a user-space address", (unsigned long long)o->fault_addr);
	}

	if (o->found && o->sysrq_after_line)
		vmf_add_note(r, "log line %d: sysrq forced a crash after the oops of line %d: that oops did not panic "
			     "the machine (panic_on_oops=0), and the panic task is not the oops' task",
			     o->sysrq_after_line, o->bug.line);
	facts_from_kernel(r, in_vf);
	facts_leaf_from_text(r);
}

/* ---- facts from the dump's page-table evidence -------------------------------- */

static int in_range(uint64_t a, uint64_t lo, uint64_t hi)
{
	return lo && hi && a >= lo && a <= hi;
}

typedef unsigned long long ull;

/* 2. where the fault address lies, and whether RAM is behind it */
static void facts_regions(struct vmf_report *r, uint64_t fault)
{
	const struct vmf_evidence *e = &r->ev;
	const struct vmf_regions *g = &e->kernel.regions;

	if (e->have_phys) {
		vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_TRUE,
			     "%016llx is in the direct map [%016llx-%016llx]: __pa = %llx", (ull)fault,
			     (ull)g->page_offset, (ull)g->direct_map_end, (ull)e->fault_phys);
		if (e->phys_is_ram == VMF_UNKNOWN)
			vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_UNKNOWN,
				     "cannot tell whether %llx is System RAM (%s)", (ull)e->fault_phys,
				     e->ram_source);
		else
			vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM,
				     e->phys_is_ram == VMF_TRUE ? VMF_FALSE : VMF_TRUE,
				     "%llx %s System RAM (%s)", (ull)e->fault_phys,
				     e->phys_is_ram == VMF_TRUE ? "is" : "is not", e->ram_source);
	} else if (!g->page_offset) {
		vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_UNKNOWN, "where the direct map lies is not known");
		vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_UNKNOWN, "where the direct map lies is not known");
	} else {
		vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_FALSE,
			     "%016llx is outside the direct map [%016llx-%016llx]", (ull)fault,
			     (ull)g->page_offset, (ull)g->direct_map_end);
		vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_FALSE,
			     "not a direct-map address, no physical page to check");
	}
	/* a range the front could not place (0) decides nothing */
	if (!g->vmalloc_start)
		vmf_set_fact(r, VMF_C_FAULT_IN_VMALLOC, VMF_UNKNOWN, "where the vmalloc area lies is not known");
	else
		vmf_set_fact(r, VMF_C_FAULT_IN_VMALLOC,
			     in_range(fault, g->vmalloc_start, g->vmalloc_end) ? VMF_TRUE : VMF_FALSE,
			     "%016llx vs vmalloc/ioremap [%016llx-%016llx]", (ull)fault,
			     (ull)g->vmalloc_start, (ull)g->vmalloc_end);
	if (!g->vmemmap_start)
		vmf_set_fact(r, VMF_C_FAULT_IN_VMEMMAP, VMF_UNKNOWN, "where the vmemmap lies is not known");
	else
		vmf_set_fact(r, VMF_C_FAULT_IN_VMEMMAP,
			     in_range(fault, g->vmemmap_start, g->vmemmap_end) ? VMF_TRUE : VMF_FALSE,
			     "%016llx vs vmemmap [%016llx-%016llx]", (ull)fault,
			     (ull)g->vmemmap_start, (ull)g->vmemmap_end);
}

/* 3. a large leaf with the fault's frame; "none" counts only if the search read everything */
static void facts_leaf(struct vmf_report *r)
{
	const struct vmf_evidence *e = &r->ev;
	const struct vmf_leaf_search *s = &e->search;
	const struct vmf_leaf *l = &e->leaf;

	if (!e->have_phys && !e->kernel.regions.page_offset) {
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_UNKNOWN, "where the direct map lies is not known");
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_UNKNOWN, "where the direct map lies is not known");
	} else if (!e->have_phys) {
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_FALSE, "the fault address is not a direct-map address");
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_FALSE, "the fault address is not a direct-map address");
	} else if (e->have_leaf) {
		vmf_set_fact(r, l->kind == VMF_PUD ? VMF_C_LARGE_PUD_FRAME : VMF_C_LARGE_PMD_FRAME, VMF_TRUE,
			     "%s entry %llx at %llx maps %016llx-%016llx (%s) to %llx; %ld such leaves, %u in stale slots",
			     vmf_level_name(l->kind), (ull)l->entry, (ull)l->entry_paddr, (ull)l->va_start,
			     (ull)l->va_end, vmf_size_name(l->size), (ull)l->frame, s->found, s->unsynced);
		vmf_set_fact(r, l->kind == VMF_PUD ? VMF_C_LARGE_PMD_FRAME : VMF_C_LARGE_PUD_FRAME, VMF_FALSE,
			     "the matching leaf is a %s", vmf_level_name(l->kind));
	} else if (s->found == 0 && !s->stats.limited) {
		const char *why = s->stats.unreadable ? " (some tables were unreadable)" : "";
		enum vmf_tri t = s->stats.unreadable ? VMF_UNKNOWN : VMF_FALSE;

		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, t,
			     "no large pud in init_mm's vmalloc area maps %llx (%llu tables read)%s",
			     (ull)s->frame, (ull)s->stats.tables_read, why);
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, t,
			     "no large pmd in init_mm's vmalloc area maps %llx (%llu tables read)%s",
			     (ull)s->frame, (ull)s->stats.tables_read, why);
	} else {
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_UNKNOWN,
			     "the walk of init_mm's vmalloc area stopped after %llu tables",
			     (ull)s->stats.tables_read);
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_UNKNOWN, "see %s",
			     vmf_conds[VMF_C_LARGE_PUD_FRAME].name);
	}
}

/*
 * 4. the slot: some mm lacks the leaf's slot; the faulting task lacks the fault's.
 * The task read is the oops' own unless that one exited (an oops that did not
 * panic kills it): then it is the panic task, which says nothing of the fault.
 */
static void facts_slot(struct vmf_report *r, uint64_t fault)
{
	const struct vmf_evidence *e = &r->ev;
	const struct vmf_slot_evidence *se = &e->slot;
	int other = e->have_task && e->oops.has_pid && e->task.pid != e->oops.pid;

	if (e->have_slot && e->have_leaf && se->mms_unknown[0])
		vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_UNKNOWN,
			     "%s slot %u: init_mm %llx; which mms lack it is unknown: no process list (%s)",
			     se->top_name, se->slot, (ull)se->init_entry, se->mms_unknown);
	else if (e->have_slot && e->have_leaf)
		vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, se->mms_lacking ? VMF_TRUE : VMF_FALSE,
			     "%s slot %u: init_mm %llx; missing from %lu of %lu mms; %s: %s",
			     se->top_name, se->slot, (ull)se->init_entry, se->mms_lacking, se->mms_total,
			     other ? "the task read (not the oops')" : "faulting task", vmf_slot_cmp_name(se->task_cmp));
	if (!e->have_slot && (!e->kernel.regions.vmalloc_start || !e->kernel.regions.vmemmap_start))
		vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_UNKNOWN,
			     "the fault address is in no known range, and where the vmalloc or vmemmap area "
			     "lies is not known");
	else if (!e->have_slot)
		vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_FALSE,
			     "the fault address is not in the vmalloc or vmemmap range");
	else if (other)
		vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_UNKNOWN,
			     "the oops' task (PID %d) is not the task read (PID %d %s): its page table is not in "
			     "the dump", e->oops.pid, e->task.pid, e->task.comm);
	else if (!se->task_root_known)
		vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_UNKNOWN, "the faulting task's page table is not known");
	else if (se->task_cmp == VMF_SLOT_UNREADABLE)
		vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_UNKNOWN,
			     "the faulting task's top-level table is unreadable");
	else if (!e->have_leaf)
		vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, se->task_cmp == VMF_SLOT_MISSING ? VMF_TRUE : VMF_FALSE,
			     "%s slot %u of %016llx: init_mm %llx, faulting task %llx (%s)", se->top_name,
			     se->slot, (ull)fault, (ull)se->init_entry, (ull)se->task_entry,
			     vmf_slot_cmp_name(se->task_cmp));
	/* no leaf is FALSE only when the search was complete: an unreadable table may hold it */
	if (e->have_leaf)
		return;
	if (r->fact[VMF_C_LARGE_PUD_FRAME].state == VMF_UNKNOWN ||
	    r->fact[VMF_C_LARGE_PMD_FRAME].state == VMF_UNKNOWN)
		vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_UNKNOWN,
			     "no leaf found, and the search met unreadable tables");
	else
		vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_FALSE, "no large leaf to place in a slot");
}

void vmf_facts_from_dump(struct vmf_report *r)
{
	const struct vmf_evidence *e = &r->ev;

	if (!e->have_tables || !(e->have_log && e->oops.found && e->oops.has_fault_addr))
		return;
	facts_regions(r, e->oops.fault_addr);
	facts_leaf(r);
	facts_slot(r, e->oops.fault_addr);
}

/* ---- from facts to a verdict ------------------------------------------------------ */

struct sig_score {
	int holds;        /* every condition decided as required */
	int failed;       /* a condition decided against */
	int unknown;      /* conditions still UNKNOWN */
	int text_gap;     /* ... of which only the dump could decide */
	int weight;       /* number of conditions: specificity */
};

static struct sig_score score(const struct vmf_report *r, const struct vmf_signature *s)
{
	struct sig_score sc = { 0, 0, 0, 0, s->nrequire + s->nforbid };
	int i;

	for (i = 0; i < s->nrequire; i++) {
		enum vmf_tri t = r->fact[s->require[i]].state;
		if (t == VMF_FALSE)
			sc.failed++;
		else if (t == VMF_UNKNOWN) {
			sc.unknown++;
			sc.text_gap += vmf_conds[s->require[i]].source == VMF_SRC_DUMP ||
				       vmf_conds[s->require[i]].source == VMF_SRC_RELEASE;
		}
	}
	for (i = 0; i < s->nforbid; i++) {
		enum vmf_tri t = r->fact[s->forbid[i]].state;
		if (t == VMF_TRUE)
			sc.failed++;
		else if (t == VMF_UNKNOWN) {
			sc.unknown++;
			sc.text_gap += vmf_conds[s->forbid[i]].source == VMF_SRC_DUMP ||
				       vmf_conds[s->forbid[i]].source == VMF_SRC_RELEASE;
		}
	}
	sc.holds = !sc.failed && (!sc.unknown || (r->text_only && sc.unknown == sc.text_gap));
	return sc;
}

/* conditions read from page-table contents, which a damaged dump can falsify */
static int from_page_tables(enum vmf_cond c)
{
	return c == VMF_C_LARGE_PUD_FRAME || c == VMF_C_LARGE_PMD_FRAME || c == VMF_C_LARGE_SLOT_UNSYNCED ||
	       c == VMF_C_FAULT_SLOT_MISSING;
}

/*
 * The log fits s (every log condition as required) and only conditions read from
 * the dump's page tables speak against it: the oops says one thing, the tables
 * another.  Damaged tables, or tables changed after an oops that did not panic,
 * look like this, so it is not a NO MATCH.  Returns the number of such failures.
 */
static int contradicted_by_dump(const struct vmf_report *r, const struct vmf_signature *s)
{
	int i, dump_failed = 0;

	if (r->text_only || !s->primary)
		return 0;
	for (i = 0; i < s->nrequire + s->nforbid; i++) {
		enum vmf_cond c = i < s->nrequire ? s->require[i] : s->forbid[i - s->nrequire];
		enum vmf_tri want = i < s->nrequire ? VMF_TRUE : VMF_FALSE, t = r->fact[c].state;
		if (t == want)
			continue;
		if (!from_page_tables(c))
			return 0;
		dump_failed += t != VMF_UNKNOWN;   /* an UNKNOWN one depends on a failed one */
	}
	return dump_failed;
}

static void list_failed(const struct vmf_report *r, const struct vmf_signature *s, char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < s->nrequire + s->nforbid && used < len; i++) {
		enum vmf_cond c = i < s->nrequire ? s->require[i] : s->forbid[i - s->nrequire];
		enum vmf_tri want = i < s->nrequire ? VMF_TRUE : VMF_FALSE;
		if (r->fact[c].state == want)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", vmf_conds[c].name);
	}
}

static void list_conds(const struct vmf_report *r, const struct vmf_signature *s, enum vmf_tri want,
		       char *buf, size_t len)
{
	size_t used = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < s->nrequire + s->nforbid && used < len; i++) {
		enum vmf_cond c = i < s->nrequire ? s->require[i] : s->forbid[i - s->nrequire];
		if (r->fact[c].state != want)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", vmf_conds[c].name);
	}
}

/*
 * prefix + a ", "-separated list of condition names into buf, cut after the last
 * name that fits ("..." then says more follow): never inside a name.
 */
static void fit_names(char *buf, size_t len, const char *prefix, const char *names)
{
	size_t keep = strlen(names), room = len - strlen(prefix) - 1;
	int cut = keep > room;

	if (cut)
		for (keep = room > 5 ? room - 5 : 0; keep && strncmp(names + keep, ", ", 2) != 0; keep--)
			;
	snprintf(buf, len, "%s%.*s%s", prefix, (int)keep, names, cut ? ", ..." : "");
}

/* Say plainly where the version window and the code disagree. */
static void window_vs_code(struct vmf_report *r)
{
	const struct vmf_kernel_facts *k = &r->ev.kernel;
	const struct vmf_fix_window *w = &r->ev.window;

	if (w->state == VMF_FIX_NO_VMALLOC_FAULT && k->has_vmalloc_fault == VMF_TRUE)
		vmf_add_note(r, "version window and code disagree: %s, yet vmalloc_fault exists (%s); "
			     "the verdict rests on the oops and the page tables", w->why, k->vmalloc_fault_where);
	if (w->state == VMF_FIX_PRESENT && k->has_vmalloc_fault == VMF_TRUE &&
	    k->code_large_check == VMF_FALSE)
		vmf_add_note(r, "the version says fixed, but the code of vmalloc_fault (%s) has no "
			     "large-page test before the faulting read: %s", k->vmalloc_fault_where, k->code_note);
	if ((w->state == VMF_FIX_MISSING) && k->code_large_check == VMF_TRUE)
		vmf_add_note(r, "the version says unfixed, but the code of vmalloc_fault tests the PSE bit "
			     "(a backport?): %s", k->code_note);
}

/* The catalog ranked against the facts: the best match, relative, nearest and contradicted. */
struct ranking {
	const struct vmf_signature *best, *rel, *near, *contra;
	struct sig_score bs, rs, ns;
	int contra_n;
};

static void rank(const struct vmf_report *r, struct ranking *k)
{
	int i;

	memset(k, 0, sizeof(*k));
	for (i = 0; i < vmf_catalog_len; i++) {
		const struct vmf_signature *s = &vmf_catalog[i];
		struct sig_score sc = score(r, s);

		if (sc.holds && s->primary && (!k->best || sc.weight > k->bs.weight)) {
			k->best = s;
			k->bs = sc;
		} else if (sc.holds && !s->primary && (!k->rel || sc.weight > k->rs.weight)) {
			k->rel = s;
			k->rs = sc;
		} else if (!sc.holds && !sc.failed && sc.unknown &&
			   (!k->near || sc.unknown < k->ns.unknown || (sc.unknown == k->ns.unknown && s->primary))) {
			k->near = s;
			k->ns = sc;
		} else if (!sc.holds) {
			int n = contradicted_by_dump(r, s);
			if (n && (!k->contra || n < k->contra_n)) {
				k->contra = s;
				k->contra_n = n;
			}
		}
	}
}

/*
 * No oops or panic message at all (log overwritten, empty, or a dump taken
 * without one): nothing ties the page tables to a fault, and "no match" would
 * claim the log was read and cleared.
 */
static void no_oops(struct vmf_report *r)
{
	r->verdict = VMF_V_INCONCLUSIVE;
	r->sig = NULL;
	if (r->ev.have_log)
		snprintf(r->missing, sizeof(r->missing), "an oops or panic message: %s holds none",
			 r->ev.log_source);
	else
		snprintf(r->missing, sizeof(r->missing), "an oops or panic message: the log is empty");
	snprintf(r->confidence, sizeof(r->confidence), "undecided: no oops to test the catalog against");
	window_vs_code(r);
	vmf_short_fix(r, r->fix_short, sizeof(r->fix_short), r->fix_reason, sizeof(r->fix_reason));
}

/* The verdict from the ranking; failed lists what contradicts an oops that fits. */
static void decide(struct vmf_report *r, const struct ranking *k, char *failed, size_t failedlen)
{
	failed[0] = 0;
	if (k->best) {
		r->verdict = VMF_V_MATCH;
		r->sig = k->best;
	} else if (k->rel) {
		r->verdict = VMF_V_RELATED;
		r->sig = k->rel;
	} else if (k->near) {
		r->verdict = VMF_V_INCONCLUSIVE;
		r->sig = k->near;
		list_conds(r, k->near, VMF_UNKNOWN, r->missing, sizeof(r->missing));
	} else if (k->contra) {
		r->verdict = VMF_V_INCONCLUSIVE;
		r->sig = k->contra;
		list_failed(r, k->contra, failed, failedlen);
		snprintf(r->missing, sizeof(r->missing), "page tables that agree with the oops (%.190s)", failed);
		vmf_add_note(r, "the oops fits %s but the dump's page tables do not show it (%s): page tables "
			     "damaged in the dump, or changed after an oops that did not panic", k->contra->id, failed);
	} else {
		r->verdict = VMF_V_NO_MATCH;
		r->sig = NULL;
	}
}

static void set_confidence(struct vmf_report *r, const char *failed)
{
	char unknown[240];

	if (!r->sig) {
		snprintf(r->confidence, sizeof(r->confidence), "every catalog entry has a condition that failed");
		return;
	}
	list_conds(r, r->sig, VMF_UNKNOWN, unknown, sizeof(unknown));
	if (r->text_only && unknown[0] && r->verdict != VMF_V_INCONCLUSIVE)
		fit_names(r->confidence, sizeof(r->confidence), "text-only evidence, left to the dump: ", unknown);
	else if (r->verdict == VMF_V_INCONCLUSIVE && failed[0])
		snprintf(r->confidence, sizeof(r->confidence), "undecided: the log fits, the page tables "
			 "do not");
	else if (r->verdict == VMF_V_INCONCLUSIVE)
		snprintf(r->confidence, sizeof(r->confidence), "undecided: %s unknown", unknown);
	else
		snprintf(r->confidence, sizeof(r->confidence), "all %d conditions decided from the %s",
			 r->sig->nrequire + r->sig->nforbid, r->text_only ? "log text" : "dump");
}

void vmf_evaluate(struct vmf_report *r)
{
	struct ranking k;
	char failed[240];

	rank(r, &k);
	r->missing[0] = 0;
	if (!r->text_only && !r->ev.oops.found) {
		no_oops(r);
		return;
	}
	decide(r, &k, failed, sizeof(failed));
	set_confidence(r, failed);
	window_vs_code(r);
	vmf_recommend(r);
	vmf_short_fix(r, r->fix_short, sizeof(r->fix_short), r->fix_reason, sizeof(r->fix_reason));
}
