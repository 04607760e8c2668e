/*
 * evidence.c - from a view of the dump to the facts of a report.
 *
 * Order of the chain follows what an engineer would check by hand:
 * fault address -> physical page -> which large leaf points there -> which
 * top-level slot holds it -> who lacks that slot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "vmf_evidence.h"

#define PAGE_MASK_4K (~0xfffULL)

struct leaf_search {
	uint64_t frame;
	struct vmf_leaf *out;
	size_t max;
	long found;
};

static int collect_leaf(void *arg, const struct vmf_step *s, uint64_t va_start, uint64_t va_end)
{
	struct leaf_search *ls = arg;

	if (s->state != VMF_ENTRY_PRESENT || !s->leaf)
		return 0;
	if (s->kind != VMF_PUD && s->kind != VMF_PMD)
		return 0;
	if (s->frame != ls->frame)
		return 0;
	if ((size_t)ls->found < ls->max) {
		struct vmf_leaf *l = &ls->out[ls->found];
		l->kind = s->kind;
		l->va_start = va_start;
		l->va_end = va_end;
		l->entry = s->entry;
		l->entry_paddr = s->entry_paddr;
		l->frame = s->frame;
		l->size = s->page_size;
	}
	ls->found++;
	return 0;
}

long vmf_find_large_leaves(const struct vmf_paging *p, const struct vmf_reader *rd,
			   uint64_t root, uint64_t lo, uint64_t hi, uint64_t frame,
			   struct vmf_leaf *out, size_t max, struct vmf_range_stats *stats)
{
	struct leaf_search ls = { frame, out, max, 0 };
	int depth_to_pmd = p->depth - 1;	/* every level but the pte */
	int rc;

	rc = vmf_walk_range(p, rd, root, lo, hi, depth_to_pmd, 0, collect_leaf, &ls, stats);
	if (rc < 0 && stats && stats->limited)
		return -1;
	return ls.found;
}

uint64_t vmf_direct_map_end(int levels, uint64_t page_offset, uint64_t vmalloc_start,
			    uint64_t vmemmap_start)
{
	uint64_t end = page_offset + (levels == 5 ? (1ULL << 55) : (1ULL << 46)) - 1;

	if (vmalloc_start > page_offset && vmalloc_start <= end)
		end = vmalloc_start - 1;
	if (vmemmap_start > page_offset && vmemmap_start <= end)
		end = vmemmap_start - 1;
	return end;
}

static unsigned top_slot_of(const struct vmf_paging *p, uint64_t va)
{
	return vmf_index(p, 0, va);
}

static int in_range(uint64_t a, uint64_t lo, uint64_t hi)
{
	return lo && hi && a >= lo && a <= hi;
}

/* Per-slot count of mms lacking it, and the names of the first few. */
static void tally_slot(struct vmf_report *r, const struct vmf_dump_view *v,
		       const struct vmf_audit *a, unsigned slot)
{
	struct vmf_evidence *e = &r->ev;

	e->have_slot = 1;
	e->slot = slot;
	e->slot_start = vmf_top_slot_start(v->p, slot);
	e->slot_end = vmf_top_slot_end(v->p, slot);
	e->init_entry = a->ref.entry[slot];
	e->mms_total = a->mms;
	e->mms_lacking = a->missing[slot];
	e->mms_differ = a->different[slot];
	e->mms_unreadable = a->unreadable_mms;
	snprintf(e->mms_source, sizeof(e->mms_source), "%s (%lu mms)",
		 v->mms_source ? v->mms_source : "mm list", (unsigned long)v->nmms);
}

/*
 * Walk every mm's top table once.  Besides the tallies, keep one bit per
 * top-level slot per mm saying "missing here", so the names of the mms lacking
 * a slot chosen later cost no second read.
 */
#define SLOT_BITMAP_BYTES (VMF_TOP_MAX / 8)

static unsigned char *audit_mms(const struct vmf_dump_view *v, struct vmf_audit *a)
{
	struct vmf_top *t = malloc(sizeof(*t));
	unsigned char *missing = calloc(v->nmms ? v->nmms : 1, SLOT_BITMAP_BYTES);
	size_t i;
	unsigned s;

	if (!t || !missing) {
		free(t);
		free(missing);
		return NULL;
	}
	for (i = 0; i < v->nmms; i++) {
		vmf_read_top(v->p, v->rd, v->mms[i].pgd_pa, t);
		vmf_audit_add(a, t);
		if (!t->readable)
			continue;
		for (s = a->first_slot; s <= a->last_slot; s++)
			if (vmf_compare_slot(&a->ref, t, s) == VMF_SLOT_MISSING)
				missing[i * SLOT_BITMAP_BYTES + s / 8] |= (unsigned char)(1u << (s % 8));
	}
	free(t);
	return missing;
}

static void name_lacking_mms(struct vmf_report *r, const struct vmf_dump_view *v,
			     const unsigned char *missing, unsigned slot)
{
	size_t i;

	for (i = 0; missing && i < v->nmms && r->ev.nlacking_names < VMF_MAX_NAMES; i++) {
		int pid = v->mms[i].pid;
		char comm[sizeof(v->mms[i].comm)];

		if (!(missing[i * SLOT_BITMAP_BYTES + slot / 8] & (1u << (slot % 8))))
			continue;
		snprintf(comm, sizeof(comm), "%s", v->mms[i].comm);
		if (pid < 0 && !comm[0] && v->name_mm && v->mms[i].mm &&
		    v->name_mm(v->ctx, v->mms[i].mm, &pid, comm, sizeof(comm)) != 0) {
			pid = -1;
			comm[0] = 0;
		}
		snprintf(r->ev.lacking_names[r->ev.nlacking_names++],
			 sizeof(r->ev.lacking_names[0]), "%d %s", pid, comm[0] ? comm : "?");
	}
}

static void note_stale_slots(struct vmf_report *r, const struct vmf_audit *a,
			     const struct vmf_paging *p, int except_slot)
{
	unsigned s;

	for (s = a->first_slot; s <= a->last_slot; s++) {
		if ((int)s == except_slot || (!a->missing[s] && !a->different[s]))
			continue;
		vmf_add_note(r, "top-level %s slot %u (%016llx-%016llx) is present in init_mm "
			     "(%llx) but missing from %lu and different in %lu of %lu mms",
			     vmf_top_name(p), s,
			     (unsigned long long)vmf_top_slot_start(p, s),
			     (unsigned long long)vmf_top_slot_end(p, s),
			     (unsigned long long)a->ref.entry[s],
			     a->missing[s], a->different[s], a->mms);
	}
}

/* Pick the best leaf: one whose slot some mm lacks, else the first. */
static const struct vmf_leaf *pick_leaf(const struct vmf_leaf *leaves, size_t n,
					const struct vmf_audit *a, const struct vmf_paging *p,
					unsigned *unsynced)
{
	const struct vmf_leaf *best = NULL;
	size_t i;

	*unsynced = 0;
	for (i = 0; i < n; i++) {
		unsigned slot = top_slot_of(p, leaves[i].va_start);
		if (a->missing[slot]) {
			(*unsynced)++;
			if (!best)
				best = &leaves[i];
		}
	}
	return best ? best : (n ? &leaves[0] : NULL);
}

#define MAX_LEAVES 256

void vmf_gather_dump_facts(struct vmf_report *r, const struct vmf_dump_view *v,
			   struct vmf_audit *audit_out)
{
	struct vmf_evidence *e = &r->ev;
	const struct vmf_oops *o = &e->oops;
	struct vmf_audit *a = audit_out ? audit_out : malloc(sizeof(*a));
	struct vmf_leaf *leaves = NULL;
	unsigned char *missing = NULL;
	int have_addr = e->have_log && o->found && o->has_fault_addr;
	uint64_t fault = have_addr ? o->fault_addr : 0;
	int slot_of_interest = -1;

	if (!a)
		return;
	vmf_audit_init(a, v->p);
	vmf_read_top(v->p, v->rd, v->init_root, &a->ref);
	if (!a->ref.readable) {
		vmf_add_note(r, "init_mm's top-level table at %llx is unreadable: %s",
			     (unsigned long long)v->init_root, a->ref.why);
		goto out;
	}

	/* The audit comes first, so that leaves can be ranked by staleness. */
	missing = audit_mms(v, a);

	if (!have_addr) {
		note_stale_slots(r, a, v->p, -1);
		goto out;
	}

	/* 2. the fault address in the direct map */
	if (in_range(fault, v->page_offset, v->direct_map_end)) {
		char src[80] = "";
		e->have_phys = 1;
		e->fault_phys = fault - v->page_offset;
		e->phys_is_ram = v->phys_is_ram ? v->phys_is_ram(v->ctx, e->fault_phys, src, sizeof(src))
						: VMF_UNKNOWN;
		snprintf(e->ram_source, sizeof(e->ram_source), "%s", src[0] ? src : "no resource map");
		vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_TRUE,
			     "%016llx is in the direct map [%016llx-%016llx]: __pa = %llx",
			     (unsigned long long)fault, (unsigned long long)v->page_offset,
			     (unsigned long long)v->direct_map_end, (unsigned long long)e->fault_phys);
		if (e->phys_is_ram == VMF_UNKNOWN)
			vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_UNKNOWN,
				     "cannot tell whether %llx is System RAM (%s)",
				     (unsigned long long)e->fault_phys, e->ram_source);
		else
			vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM,
				     e->phys_is_ram == VMF_TRUE ? VMF_FALSE : VMF_TRUE,
				     "%llx %s System RAM (%s)", (unsigned long long)e->fault_phys,
				     e->phys_is_ram == VMF_TRUE ? "is" : "is not", e->ram_source);
	} else {
		vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_FALSE,
			     "%016llx is outside the direct map [%016llx-%016llx]",
			     (unsigned long long)fault, (unsigned long long)v->page_offset,
			     (unsigned long long)v->direct_map_end);
		vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_FALSE,
			     "not a direct-map address, no physical page to check");
	}

	vmf_set_fact(r, VMF_C_FAULT_IN_VMALLOC,
		     in_range(fault, v->vmalloc_start, v->vmalloc_end) ? VMF_TRUE : VMF_FALSE,
		     "%016llx vs vmalloc/ioremap [%016llx-%016llx]", (unsigned long long)fault,
		     (unsigned long long)v->vmalloc_start, (unsigned long long)v->vmalloc_end);
	vmf_set_fact(r, VMF_C_FAULT_IN_VMEMMAP,
		     in_range(fault, v->vmemmap_start, v->vmemmap_end) ? VMF_TRUE : VMF_FALSE,
		     "%016llx vs vmemmap [%016llx-%016llx]", (unsigned long long)fault,
		     (unsigned long long)v->vmemmap_start, (unsigned long long)v->vmemmap_end);

	/* 3. the large leaf in init_mm whose frame is that physical page */
	if (e->have_phys) {
		struct vmf_range_stats st;
		uint64_t frame = e->fault_phys & PAGE_MASK_4K;
		long n;

		leaves = calloc(MAX_LEAVES, sizeof(*leaves));
		if (!leaves)
			goto out;
		memset(&st, 0, sizeof(st));
		n = vmf_find_large_leaves(v->p, v->rd, v->init_root, v->vmalloc_start,
					  v->vmalloc_end, frame, leaves, MAX_LEAVES, &st);
		if (n > 0) {
			unsigned unsynced;
			size_t kept = n > MAX_LEAVES ? MAX_LEAVES : (size_t)n;
			const struct vmf_leaf *l = pick_leaf(leaves, kept, a, v->p, &unsynced);
			uint64_t idx = (fault & 0xfff) / 8;
			uint64_t lower = l->kind == VMF_PUD ? (1ULL << 21) : (1ULL << 12);

			e->have_leaf = 1;
			e->leaf_kind = l->kind;
			e->leaf_va_start = l->va_start;
			e->leaf_va_end = l->va_end;
			e->leaf_entry = l->entry;
			e->leaf_entry_paddr = l->entry_paddr;
			e->leaf_frame = l->frame;
			e->leaf_size = l->size;
			e->leaf_candidates = (unsigned)n;
			e->leaf_candidates_unsynced = unsynced;
			/* the faulting read was table[idx]: the walked address's next index */
			e->target_lo = l->va_start + idx * lower;
			e->target_hi = e->target_lo + lower - 1;
			vmf_set_fact(r, l->kind == VMF_PUD ? VMF_C_LARGE_PUD_FRAME : VMF_C_LARGE_PMD_FRAME,
				     VMF_TRUE,
				     "%s entry %llx at %llx maps %016llx-%016llx (%s) to %llx; %ld such leaves, %u in stale slots",
				     vmf_level_name(l->kind), (unsigned long long)l->entry,
				     (unsigned long long)l->entry_paddr, (unsigned long long)l->va_start,
				     (unsigned long long)l->va_end, vmf_size_name(l->size),
				     (unsigned long long)l->frame, n, unsynced);
			vmf_set_fact(r, l->kind == VMF_PUD ? VMF_C_LARGE_PMD_FRAME : VMF_C_LARGE_PUD_FRAME,
				     VMF_FALSE, "the matching leaf is a %s", vmf_level_name(l->kind));
			if (v->find_vmap) {
				int rc = v->find_vmap(v->ctx, l->va_start, &e->vm_addr, &e->vm_size, &e->vm_phys,
						      e->vm_caller, sizeof(e->vm_caller));
				e->have_vmap = rc == 0;
				if (rc == -2)
					vmf_add_note(r, "no vmap area named for the leaf: %s", e->vm_caller);
			}
			slot_of_interest = (int)top_slot_of(v->p, l->va_start);
		} else if (n == 0 && !st.limited) {
			const char *why = st.unreadable ? " (some tables were unreadable)" : "";
			enum vmf_tri s = st.unreadable ? VMF_UNKNOWN : VMF_FALSE;
			vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, s,
				     "no large pud in init_mm's vmalloc area maps %llx (%llu tables read)%s",
				     (unsigned long long)frame, (unsigned long long)st.tables_read, why);
			vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, s,
				     "no large pmd in init_mm's vmalloc area maps %llx (%llu tables read)%s",
				     (unsigned long long)frame, (unsigned long long)st.tables_read, why);
		} else {
			vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_UNKNOWN,
				     "the walk of init_mm's vmalloc area stopped after %llu tables",
				     (unsigned long long)st.tables_read);
			vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_UNKNOWN, "see %s",
				     vmf_conds[VMF_C_LARGE_PUD_FRAME].name);
		}
	} else {
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_FALSE,
			     "the fault address is not a direct-map address");
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_FALSE,
			     "the fault address is not a direct-map address");
	}

	/* 4. the slot: of the leaf for the seed, of the fault address for relatives */
	if (slot_of_interest < 0 && (in_range(fault, v->vmalloc_start, v->vmalloc_end) ||
				     in_range(fault, v->vmemmap_start, v->vmemmap_end)))
		slot_of_interest = (int)top_slot_of(v->p, fault);

	if (slot_of_interest >= 0) {
		unsigned slot = (unsigned)slot_of_interest;
		struct vmf_top *task = malloc(sizeof(*task));

		name_lacking_mms(r, v, missing, slot);
		tally_slot(r, v, a, slot);
		e->task_slot = VMF_SLOT_UNREADABLE;
		if (task && v->task_root_known) {
			vmf_read_top(v->p, v->rd, v->task_root, task);
			if (task->readable) {
				e->task_slot = vmf_compare_slot(&a->ref, task, slot);
				e->task_entry = task->entry[slot];
			}
		}
		free(task);

		if (e->have_leaf)
			vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED,
				     a->missing[slot] ? VMF_TRUE : VMF_FALSE,
				     "%s slot %u: init_mm %llx; missing from %lu of %lu mms; faulting task: %s",
				     vmf_top_name(v->p), slot, (unsigned long long)a->ref.entry[slot],
				     a->missing[slot], a->mms, vmf_slot_cmp_name(e->task_slot));
		if (!v->task_root_known)
			vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_UNKNOWN,
				     "the faulting task's page table is not known");
		else if (e->task_slot == VMF_SLOT_UNREADABLE)
			vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_UNKNOWN,
				     "the faulting task's top-level table is unreadable");
		else if (!e->have_leaf)
			vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING,
				     e->task_slot == VMF_SLOT_MISSING ? VMF_TRUE : VMF_FALSE,
				     "%s slot %u of %016llx: init_mm %llx, faulting task %llx (%s)",
				     vmf_top_name(v->p), slot, (unsigned long long)fault,
				     (unsigned long long)a->ref.entry[slot],
				     (unsigned long long)e->task_entry, vmf_slot_cmp_name(e->task_slot));
	}
	/* no leaf is FALSE only when the search was complete: an unreadable table may hold it */
	if (!e->have_leaf && r->fact[VMF_C_LARGE_SLOT_UNSYNCED].state == VMF_UNKNOWN) {
		if (r->fact[VMF_C_LARGE_PUD_FRAME].state == VMF_UNKNOWN ||
		    r->fact[VMF_C_LARGE_PMD_FRAME].state == VMF_UNKNOWN)
			vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_UNKNOWN,
				     "no leaf found, and the search met unreadable tables");
		else
			vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_FALSE, "no large leaf to place in a slot");
	}
	if (r->fact[VMF_C_FAULT_SLOT_MISSING].state == VMF_UNKNOWN && slot_of_interest < 0)
		vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_FALSE,
			     "the fault address is not in the vmalloc or vmemmap range");
	note_stale_slots(r, a, v->p, slot_of_interest);
out:
	free(leaves);
	free(missing);
	if (!audit_out)
		free(a);
}

/* ---- code check ---------------------------------------------------------- */

/* Offset of a gdb line "0x... <+94>:\t..." or "   0xffffffffc0002004:\t...";  -1 if none. */
static long insn_offset(const char *line, uint64_t base)
{
	const char *p = strstr(line, "<+");
	unsigned long long addr;

	if (p)
		return strtol(p + 2, NULL, 10);
	if (strstr(line, "<vmalloc_fault>:"))
		return 0;
	while (*line == ' ' || *line == '\t' || *line == '=' || *line == '>')
		line++;
	if (base && sscanf(line, "0x%llx", &addr) == 1 && addr >= base && addr - base < (1u << 20))
		return (long)(addr - base);
	return -1;
}

/* Does this instruction test the PSE bit (bit 7) of an entry? */
static int tests_pse(const char *line)
{
	static const char *const pats[] = {
		"$0x80,", "$0x81,", "$0xffffffffffffff80", "$0x7,%", "bt $0x7", NULL
	};
	int i;

	if (!strstr(line, "test") && !strstr(line, "and") && !strstr(line, "bt"))
		return 0;
	for (i = 0; pats[i]; i++)
		if (strstr(line, pats[i]))
			return 1;
	return 0;
}

enum vmf_tri vmf_code_large_check(const char *disasm, uint64_t base, long fault_off,
				  char *note, size_t notelen)
{
	const char *line = disasm;
	long ninsn = 0, first_test = -1, ntests = 0;
	char buf[256];

	if (!disasm || !*disasm) {
		snprintf(note, notelen, "no disassembly available");
		return VMF_UNKNOWN;
	}
	while (line && *line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		long off;

		if (len >= sizeof(buf))
			len = sizeof(buf) - 1;
		memcpy(buf, line, len);
		buf[len] = 0;
		off = insn_offset(buf, base);
		if (off >= 0 && (fault_off < 0 || off < fault_off)) {
			ninsn++;
			if (tests_pse(buf)) {
				ntests++;
				if (first_test < 0)
					first_test = off;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	if (!ninsn) {
		snprintf(note, notelen, "disassembly had no instructions");
		return VMF_UNKNOWN;
	}
	if (ntests && fault_off >= 0) {
		/*
		 * pud_pfn()/pmd_pfn() test PSE too, to choose the frame mask: a test is no
		 * proof of a large-page check, and the fault shows none stopped this walk.
		 */
		snprintf(note, notelen, "%ld test(s) of the PSE bit (0x80) precede the faulting instruction, "
			 "first at +0x%lx; pXd_pfn() masks test PSE too, so this does not show a large-page "
			 "check, and the fault shows none stopped this walk (heuristic)", ntests, first_test);
		return VMF_UNKNOWN;
	}
	if (ntests) {
		snprintf(note, notelen, "%ld test(s) of the PSE bit (0x80) among the %ld instructions, first at +0x%lx (heuristic)",
			 ntests, ninsn, first_test);
		return VMF_TRUE;
	}
	snprintf(note, notelen, "no test of the PSE bit (0x80) among the %ld instructions%s (heuristic)",
		 ninsn, fault_off >= 0 ? " before the faulting one" : "");
	return VMF_FALSE;
}
