/*
 * evidence.c - measuring a dump's page tables into the evidence of a report.
 *
 * The order follows what an engineer would check by hand: fault address ->
 * physical page -> which large leaf points there -> which top-level slot holds
 * it -> who lacks that slot.  Nothing here decides a condition: diag.c does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include "vmf_evidence.h"
#include "vmf_report.h"

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

/*
 * Every mm's top table is read once.  Besides the tallies, one bit per
 * top-level slot per mm says "missing here", so the names of the mms lacking a
 * slot chosen later cost no second read.
 */
#define SLOT_BITMAP_BYTES (VMF_TOP_MAX / 8)

static void mark_missing(void *arg, size_t mm, unsigned slot, enum vmf_slot_cmp cmp,
			 uint64_t entry, const char *why)
{
	unsigned char *missing = arg;

	(void)entry;
	(void)why;
	if (cmp == VMF_SLOT_MISSING)
		missing[mm * SLOT_BITMAP_BYTES + slot / 8] |= (unsigned char)(1u << (slot % 8));
}

static int missing_here(const unsigned char *missing, size_t mm, unsigned slot)
{
	return (missing[mm * SLOT_BITMAP_BYTES + slot / 8] >> (slot % 8)) & 1;
}

static void name_lacking_mms(struct vmf_slot_evidence *se, const struct vmf_dump_view *v,
			     const unsigned char *missing, unsigned slot)
{
	size_t i;

	for (i = 0; i < v->nmms && se->nlacking_names < VMF_MAX_NAMES; i++) {
		int pid = v->mms[i].pid;
		char comm[sizeof(v->mms[i].comm)];

		if (!missing_here(missing, i, slot))
			continue;
		snprintf(comm, sizeof(comm), "%s", v->mms[i].comm);
		if (pid < 0 && !comm[0] && v->name_mm && v->mms[i].mm &&
		    v->name_mm(v->ctx, v->mms[i].mm, &pid, comm, sizeof(comm)) != 0) {
			pid = -1;
			comm[0] = 0;
		}
		snprintf(se->lacking_names[se->nlacking_names++], sizeof(se->lacking_names[0]),
			 "%d %s", pid, comm[0] ? comm : "?");
	}
}

/* Slots besides the one the report is about where some mm deviates: each a note, up to a few. */
#define STALE_SLOT_NOTES 4

static void note_stale_slots(struct vmf_report *r, const struct vmf_audit *a,
			     const struct vmf_paging *p, int except_slot)
{
	unsigned s, noted = 0, more = 0;

	for (s = a->first_slot; s <= a->last_slot; s++) {
		if ((int)s == except_slot || (!a->missing[s] && !a->different[s]))
			continue;
		if (noted++ == STALE_SLOT_NOTES) {
			more++;
			continue;
		}
		vmf_add_note(r, "top-level %s slot %u (%016llx-%016llx) is present in init_mm "
			     "(%llx) but missing from %lu and different in %lu of %lu mms",
			     vmf_top_name(p), s,
			     (unsigned long long)vmf_top_slot_start(p, s),
			     (unsigned long long)vmf_top_slot_end(p, s),
			     (unsigned long long)a->ref.entry[s],
			     a->missing[s], a->different[s], a->mms);
	}
	if (more)
		vmf_add_note(r, "%u more top-level slots deviate from init_mm in some mm (ptaudit lists them)",
			     more);
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

/* 2. the fault address in the direct map, and whether RAM is behind it */
static void measure_phys(struct vmf_evidence *e, const struct vmf_dump_view *v, uint64_t fault)
{
	char src[80] = "";

	if (!in_range(fault, v->regions.page_offset, v->regions.direct_map_end))
		return;
	e->have_phys = 1;
	e->fault_phys = fault - v->regions.page_offset;
	e->phys_is_ram = v->phys_is_ram ? v->phys_is_ram(v->ctx, e->fault_phys, src, sizeof(src))
					: VMF_UNKNOWN;
	snprintf(e->ram_source, sizeof(e->ram_source), "%s", src[0] ? src : "no resource map");
}

static void measure_vmap(struct vmf_report *r, const struct vmf_dump_view *v)
{
	struct vmf_evidence *e = &r->ev;
	int rc;

	if (!v->find_vmap)
		return;
	rc = v->find_vmap(v->ctx, e->leaf.va_start, &e->vmap.addr, &e->vmap.size, &e->vmap.phys,
			  e->vmap.caller, sizeof(e->vmap.caller));
	e->have_vmap = rc == 0;
	if (rc == -2)
		vmf_add_note(r, "no vmap area named for the leaf: %s", e->vmap.caller);
}

#define MAX_LEAVES 256

/*
 * 3. the large leaf in init_mm whose frame is the fault's physical page.
 * Returns the leaf's top-level slot, -1 if none was found, -2 without memory.
 */
static int measure_leaf(struct vmf_report *r, const struct vmf_dump_view *v,
			const struct vmf_audit *a, uint64_t fault)
{
	struct vmf_evidence *e = &r->ev;
	struct vmf_leaf *leaves = calloc(MAX_LEAVES, sizeof(*leaves));
	const struct vmf_leaf *l;
	uint64_t lower;
	size_t kept;

	if (!leaves)
		return -2;
	e->searched_leaves = 1;
	e->search.frame = e->fault_phys & ~0xfffULL;
	e->search.found = vmf_find_large_leaves(v->p, v->rd, v->init_root, v->regions.vmalloc_start,
						v->regions.vmalloc_end, e->search.frame, leaves,
						MAX_LEAVES, &e->search.stats);
	if (e->search.found <= 0) {
		free(leaves);
		return -1;
	}
	kept = e->search.found > MAX_LEAVES ? MAX_LEAVES : (size_t)e->search.found;
	l = pick_leaf(leaves, kept, a, v->p, &e->search.unsynced);
	e->have_leaf = 1;
	e->leaf = *l;
	/* the faulting read was table[idx]: the walked address's next index */
	lower = l->kind == VMF_PUD ? (1ULL << 21) : (1ULL << 12);
	e->target_lo = l->va_start + ((fault & 0xfff) / 8) * lower;
	e->target_hi = e->target_lo + lower - 1;
	free(leaves);
	measure_vmap(r, v);
	return (int)top_slot_of(v->p, e->leaf.va_start);
}

/* 4. the slot across every mm: how many lack it, who, and the faulting task's copy */
static int measure_slot(struct vmf_evidence *e, const struct vmf_dump_view *v,
			const struct vmf_audit *a, const unsigned char *missing, unsigned slot)
{
	struct vmf_slot_evidence *se = &e->slot;
	struct vmf_top *task;

	e->have_slot = 1;
	se->slot = slot;
	snprintf(se->top_name, sizeof(se->top_name), "%s", vmf_top_name(v->p));
	se->start = vmf_top_slot_start(v->p, slot);
	se->end = vmf_top_slot_end(v->p, slot);
	se->init_entry = a->ref.entry[slot];
	se->mms_total = a->mms;
	se->mms_lacking = a->missing[slot];
	se->mms_differ = a->different[slot];
	se->mms_unreadable = a->unreadable_mms;
	snprintf(se->mms_source, sizeof(se->mms_source), "%s (%lu mms)",
		 v->mms_source ? v->mms_source : "mm list", (unsigned long)v->nmms);
	name_lacking_mms(se, v, missing, slot);
	if (v->mms_unknown)
		snprintf(se->mms_unknown, sizeof(se->mms_unknown), "%s", v->mms_unknown);
	se->task_root_known = v->task_root_known;
	se->task_cmp = VMF_SLOT_UNREADABLE;
	if (!v->task_root_known)
		return 0;
	task = malloc(sizeof(*task));
	if (!task)
		return -1;
	vmf_read_top(v->p, v->rd, v->task_root, task);
	if (task->readable) {
		se->task_cmp = vmf_compare_slot(&a->ref, task, slot);
		se->task_entry = task->entry[slot];
	}
	free(task);
	return 0;
}

/* The slot the report is about: the leaf's for the seed, the fault address's for relatives. */
static int slot_of_interest(const struct vmf_dump_view *v, int leaf_slot, uint64_t fault)
{
	if (leaf_slot >= 0)
		return leaf_slot;
	if (in_range(fault, v->regions.vmalloc_start, v->regions.vmalloc_end) ||
	    in_range(fault, v->regions.vmemmap_start, v->regions.vmemmap_end))
		return (int)top_slot_of(v->p, fault);
	return -1;
}

static int measure_fault(struct vmf_report *r, const struct vmf_dump_view *v,
			 const struct vmf_audit *a, const unsigned char *missing)
{
	struct vmf_evidence *e = &r->ev;
	uint64_t fault = e->oops.fault_addr;
	int leaf_slot = -1, slot;

	measure_phys(e, v, fault);
	if (e->have_phys && (leaf_slot = measure_leaf(r, v, a, fault)) == -2)
		return vmf_report_error(r, "out of memory searching init_mm's large leaves");
	slot = slot_of_interest(v, leaf_slot, fault);
	if (slot >= 0 && measure_slot(e, v, a, missing, (unsigned)slot))
		return vmf_report_error(r, "out of memory reading the faulting task's page table");
	note_stale_slots(r, a, v->p, slot);
	return 0;
}

int vmf_gather_dump_evidence(struct vmf_report *r, const struct vmf_dump_view *v,
			     struct vmf_audit *audit_out)
{
	struct vmf_evidence *e = &r->ev;
	struct vmf_audit *a = audit_out ? audit_out : malloc(sizeof(*a));
	unsigned char *missing = calloc(v->nmms ? v->nmms : 1, SLOT_BITMAP_BYTES);
	int rc = 0;

	e->kernel.regions = v->regions;
	if (!a || !missing) {
		rc = vmf_report_error(r, "out of memory auditing %lu mms", (unsigned long)v->nmms);
		goto out;
	}
	vmf_audit_init(a, v->p);
	vmf_read_top(v->p, v->rd, v->init_root, &a->ref);
	if (!a->ref.readable) {
		vmf_add_note(r, "init_mm's top-level table at %llx is unreadable: %s",
			     (unsigned long long)v->init_root, a->ref.why);
		goto out;
	}
	/* the audit comes first, so that leaves can be ranked by staleness */
	if (vmf_audit_mms(a, v->rd, v->mms, v->nmms, mark_missing, missing)) {
		rc = vmf_report_error(r, "out of memory auditing %lu mms", (unsigned long)v->nmms);
		goto out;
	}
	e->have_tables = 1;
	if (e->have_log && e->oops.found && e->oops.has_fault_addr)
		rc = measure_fault(r, v, a, missing);
	else
		note_stale_slots(r, a, v->p, -1);
out:
	free(missing);
	if (!audit_out)
		free(a);
	return rc;
}

/* ---- code check ---------------------------------------------------------- */

int vmf_insn_addr(const char *line, uint64_t *addr)
{
	unsigned long long a;

	while (*line == ' ' || *line == '\t' || *line == '=' || *line == '>')
		line++;
	if (sscanf(line, "0x%llx", &a) != 1)
		return -1;
	*addr = a;
	return 0;
}

/* Offset of a gdb line "0x... <+94>:\t..." or "   0xffffffffc0002004:\t...";  -1 if none. */
static long insn_offset(const char *line, uint64_t base)
{
	const char *p = strstr(line, "<+");
	uint64_t addr;

	if (p)
		return strtol(p + 2, NULL, 10);
	if (strstr(line, "<vmalloc_fault>:"))
		return 0;
	if (base && !vmf_insn_addr(line, &addr) && addr >= base && addr - base < (1u << 20))
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
