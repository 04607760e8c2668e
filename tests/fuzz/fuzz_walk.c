/*
 * fuzz_walk - the walker, the range walker, the top-level comparison and audit,
 * and the whole dump pipeline over page tables made of the input: on x86-64,
 * vmf_diagnose() with a synthetic kernel (tests/unit/synthkernel.h) around the
 * tables, as the crash extension runs it; on PAE, which no data front supplies,
 * the page-table stages (gather, facts, verdict) by hand.
 *
 * Input (FUZZ_WALK_HDR bytes of header, then memory):
 *   0      paging: bits 0-1 = 4-level, 5-level, 4-level p4d-folded, PAE;
 *          bit 2 the oops' task (PID 200, the panic task) is in the dump, its root
 *          known; bit 3 the oops: 0 = 4.4 in vmalloc_fault, 1 = 5.10 elsewhere with
 *          PGD 0 (the stale-slot relatives); bits 4-5 iomem: all System RAM, a PCI
 *          window, no iomem_resource, a looping sibling list (PAE: what phys_is_ram
 *          answers: RAM, not RAM, unknown, by bit 12); bit 6 a vmap area over the
 *          first 512 GiB of the vmalloc area; bit 7 the vmalloc area starts a top
 *          slot later
 *   1      bits 0-2 init_mm's root page; bit 3 the oops has no fault address;
 *          bit 4 the log holds no oops at all; bit 5 vmalloc_fault disassembles
 *   2      bits 0-2 the task's root page; bit 3 no audit handed to the evidence path
 *   3-6    four other mms' root pages on pgd_list (0xff: an address far beyond
 *          memory); the first is an mm no task uses any more
 *   7      bits 0-5 range-walk budget - 1 (tables); bits 6-7 max_paddr: 1 << 46 as
 *          the crash extension sets it, about the end of the input's memory, or 0
 *          (unknown: frames beyond memory are read, and the reader fails)
 *   8-15   a virtual address, 16-23 the oops' fault address, 24-31 another address
 *   32-    physical memory from address 0, page after page; the last page reads
 *          zero-padded, everything beyond fails with a reason (like synthmem.h)
 * Entries that point outside memory, at their own table, or in cycles must all
 * end the walk with a reason; every walk must agree with the range walker.
 */
#include <stdint.h>
#include <string.h>
#include "vmf_pt.h"
#include "vmf_walk.h"
#include "vmf_audit.h"
#include "vmf_evidence.h"
#include "vmf_diagnose.h"
#include "fuzz_common.h"
#include "../unit/synthkernel.h"

#define FUZZ_WALK_HDR 32
#define FAR_AWAY 0x0000100000000000ULL        /* 16 TiB: never inside the input */

static const uint8_t *mem;
static size_t memlen;
static unsigned long reads;

static int fuzz_read(void *ctx, uint64_t pa, void *buf, size_t len, char *why, size_t whylen)
{
	uint64_t end = ((uint64_t)memlen + 4095) & ~4095ULL;

	(void)ctx;
	reads++;
	FUZZ_CHECK(len > 0 && len <= 4096);           /* never more than a table at once */
	if (pa < end && len <= end - pa) {
		size_t have = pa < memlen ? memlen - (size_t)pa : 0;
		if (have > len)
			have = len;
		if (have)
			memcpy(buf, mem + pa, have);
		memset((char *)buf + have, 0, len - have);
		return 0;
	}
	snprintf(why, whylen, "physical address %llx not in the dump", (unsigned long long)pa);
	return -1;
}

static const struct vmf_reader rd = { NULL, fuzz_read };

/* ---- the single-address walk ---------------------------------------------------- */

static void check_walk(const struct vmf_paging *p, uint64_t root, uint64_t va, const struct vmf_walk *w)
{
	int d;

	FUZZ_CHECK(w->vaddr == va && w->root == root);
	FUZZ_CHECK((unsigned)w->result <= VMF_WALK_BAD_ENTRY);
	if (!vmf_is_canonical(p, va)) {
		FUZZ_CHECK(w->result == VMF_WALK_NONCANONICAL && w->nsteps == 0);
		return;
	}
	FUZZ_CHECK(w->result != VMF_WALK_NONCANONICAL);
	FUZZ_CHECK(w->nsteps >= 1 && w->nsteps <= p->depth);
	for (d = 0; d < w->nsteps; d++) {
		const struct vmf_step *s = &w->step[d];
		int last = d == w->nsteps - 1;

		FUZZ_CHECK(s->depth == d && s->kind == p->kind[d]);
		FUZZ_CHECK(s->index == vmf_index(p, d, va));
		FUZZ_CHECK(s->table == (d ? w->step[d - 1].frame : root));
		FUZZ_CHECK(s->entry_paddr == s->table + 8ULL * s->index);
		FUZZ_TERMINATED(s->why);
		if (!last)
			FUZZ_CHECK(s->state == VMF_ENTRY_PRESENT && !s->leaf && !s->why[0]);
		if (s->leaf) {
			FUZZ_CHECK(s->page_size == vmf_page_size(p, d));
			FUZZ_CHECK((s->frame & (s->page_size - 1)) == 0);
			FUZZ_CHECK(d == p->depth - 1 || p->large_ok[p->kind[d]] || w->result == VMF_WALK_BAD_ENTRY);
		}
	}
	switch (w->result) {
	case VMF_WALK_MAPPED:
		FUZZ_CHECK(w->step[w->nsteps - 1].leaf && w->page_size == w->step[w->nsteps - 1].page_size);
		FUZZ_CHECK(w->paddr == w->step[w->nsteps - 1].frame + (va & (w->page_size - 1)));
		FUZZ_CHECK(!p->max_paddr || w->step[w->nsteps - 1].frame < p->max_paddr);
		break;
	case VMF_WALK_NOT_MAPPED:
		FUZZ_CHECK(w->step[w->nsteps - 1].state == VMF_ENTRY_NOT_PRESENT);
		break;
	case VMF_WALK_UNREADABLE:
		FUZZ_CHECK(w->step[w->nsteps - 1].state == VMF_ENTRY_UNREADABLE && w->step[w->nsteps - 1].why[0]);
		break;
	case VMF_WALK_BAD_ENTRY:
		FUZZ_CHECK(w->step[w->nsteps - 1].state == VMF_ENTRY_PRESENT && w->step[w->nsteps - 1].why[0]);
		break;
	default:
		break;
	}
}

/* ---- the range walker ------------------------------------------------------------- */

#define MAX_SEEN 8

struct range_check {
	const struct vmf_paging *p;
	uint64_t start, end;
	int max_depth;
	unsigned long visits;
	int nseen;                       /* the first visits, for the single-address comparison */
	struct vmf_step seen[MAX_SEEN];
};

static int check_visit(void *arg, const struct vmf_step *s, uint64_t lo, uint64_t hi)
{
	struct range_check *c = arg;
	const struct vmf_paging *p = c->p;
	uint64_t span;

	FUZZ_CHECK(s->depth >= 0 && s->depth < c->max_depth && s->depth < p->depth);
	span = 1ULL << p->shift[s->depth];
	FUZZ_CHECK(s->kind == p->kind[s->depth]);
	FUZZ_CHECK(s->state != VMF_ENTRY_NOT_PRESENT);          /* not-present entries are not visited */
	FUZZ_CHECK(lo <= hi);
	if (s->state == VMF_ENTRY_UNREADABLE)
		FUZZ_CHECK((hi - lo) % span == span - 1);      /* a whole table's part of the range */
	else
		FUZZ_CHECK(hi - lo == span - 1);
	FUZZ_CHECK((lo & (span - 1)) == 0);
	/* the entry covers part of the range asked for */
	FUZZ_CHECK(lo <= c->end && hi >= c->start);
	FUZZ_CHECK(s->index < (1u << p->bits[s->depth]));
	if (s->state != VMF_ENTRY_UNREADABLE) {
		FUZZ_CHECK(s->index == vmf_index(p, s->depth, lo));
		FUZZ_CHECK(s->entry_paddr == s->table + 8ULL * s->index);
		FUZZ_CHECK(s->entry & VMF_E_P);
	} else {
		FUZZ_CHECK(s->why[0]);
	}
	FUZZ_TERMINATED(s->why);
	if (c->nseen < MAX_SEEN)
		c->seen[c->nseen++] = *s;
	c->visits++;
	FUZZ_CHECK(c->visits < 1000000);                       /* the budget stops it long before */
	return 0;
}

static int range(const struct vmf_paging *p, uint64_t root, uint64_t start, uint64_t end, int max_depth,
		 uint64_t budget, struct range_check *c, struct vmf_range_stats *st)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->p = p;
	c->start = start;
	c->end = end;
	c->max_depth = max_depth < 1 ? 1 : max_depth;
	rc = vmf_walk_range(p, &rd, root, start, end, max_depth, budget, check_visit, c, st);
	FUZZ_CHECK(rc == 0 || rc == -1);
	FUZZ_CHECK(st->tables_read <= (budget ? budget : 1ULL << 20));
	FUZZ_CHECK(st->unreadable <= st->tables_read);
	FUZZ_CHECK(rc == 0 ? !st->limited && !st->stopped : st->limited || st->stopped);
	return rc;
}

/*
 * The walker and the range walker over [va, va] must meet the same entries:
 * the walk's steps, less a final not-present one.  (The range walker reads whole
 * tables, the walker single entries; with page-aligned tables the reader
 * answers both alike.)
 */
static void compare_walks(const struct vmf_paging *p, uint64_t root, uint64_t va, const struct vmf_walk *w)
{
	struct range_check c;
	struct vmf_range_stats st;
	int i, n = w->nsteps;

	if (root & 4095)
		return;
	range(p, root, va, va, p->depth, 0, &c, &st);
	if (n && w->step[n - 1].state == VMF_ENTRY_NOT_PRESENT)
		n--;
	FUZZ_CHECK(c.nseen == n && c.visits == (unsigned long)n);
	for (i = 0; i < n; i++) {
		FUZZ_CHECK(c.seen[i].depth == w->step[i].depth && c.seen[i].table == w->step[i].table);
		FUZZ_CHECK(c.seen[i].state == w->step[i].state && c.seen[i].index == w->step[i].index);
		if (w->step[i].state != VMF_ENTRY_UNREADABLE)
			FUZZ_CHECK(c.seen[i].entry == w->step[i].entry && c.seen[i].leaf == w->step[i].leaf &&
				   c.seen[i].frame == w->step[i].frame && !c.seen[i].why[0] == !w->step[i].why[0]);
	}
}

/* Top level only: one visit per present entry whose slot meets [start, end]. */
static void check_top_range(const struct vmf_paging *p, const struct vmf_top *t, uint64_t start, uint64_t end)
{
	struct range_check c;
	struct vmf_range_stats st;
	unsigned s, want = 0;

	if (start > end || (t->root & 4095))
		return;
	range(p, t->root, start, end, 1, 0, &c, &st);
	if (!t->readable)
		return;
	for (s = 0; s < vmf_top_entries(p); s++)
		if ((t->entry[s] & VMF_E_P) && vmf_top_slot_start(p, s) <= end && vmf_top_slot_end(p, s) >= start)
			want++;
	FUZZ_CHECK(c.visits == want);
	FUZZ_CHECK(st.tables_read <= 2);             /* once per half when the range spans both */
}

/* ---- the dump view's callbacks ---------------------------------------------------- */

static unsigned ram_mode;

static enum vmf_tri phys_is_ram(void *ctx, uint64_t pa, char *src, size_t len)
{
	(void)ctx;
	snprintf(src, len, "fuzz resource map");
	switch (ram_mode) {
	case 0: return VMF_TRUE;
	case 1: return VMF_FALSE;
	case 2: return VMF_UNKNOWN;
	default: return pa & 0x1000 ? VMF_TRUE : VMF_FALSE;
	}
}

static int find_vmap(void *ctx, uint64_t va, uint64_t *addr, uint64_t *size, uint64_t *phys,
		     char *caller, size_t callerlen)
{
	(void)ctx;
	if (va & (1ULL << 39))                   /* odd top-level slots: no vmap area known */
		return -1;
	*addr = va;
	*size = 1ULL << 30;
	*phys = va & 0xffffffffffULL;
	snprintf(caller, callerlen, "fuzz_ioremap+0x1c/0x40 \"quoted\"\t");
	return 0;
}

static void check_writers(const struct vmf_paging *p, const struct vmf_walk *a, const struct vmf_walk *b,
			  const struct vmf_audit *audit)
{
	char *buf = NULL;
	size_t n = 0;

	FUZZ_CAPTURE(&buf, &n, vmf_walk_json(fp, p, "init_mm", a, "task \"1\"", b));
	check_json_line(buf, n);
	free(buf);
	buf = NULL;
	FUZZ_CAPTURE(&buf, &n, vmf_audit_json(fp, audit));
	check_json_line(buf, n);
	free(buf);
	buf = NULL;
	FUZZ_CAPTURE(&buf, &n, (vmf_print_walk_pair(fp, p, "init_mm", a, "task", b),
				vmf_print_walk(fp, p, "init_mm", a), vmf_print_audit(fp, audit, 1)));
	FUZZ_CHECK(strlen(buf) == n);
	free(buf);
}

/* ---- the evidence chain, whichever way it was gathered ------------------------------- */

static struct vmf_report r;

/* fault -> __pa -> a leaf with that frame inside the vmalloc area -> its slot */
static void check_chain(const struct vmf_paging *p, const struct vmf_regions *g, uint64_t fault,
			const struct vmf_audit *audit, unsigned long nmms, int audited)
{
	if (audited)
		FUZZ_CHECK(audit->mms == (audit->ref.readable ? nmms : 0u));
	FUZZ_CHECK(!r.ev.have_leaf || r.ev.search.found >= 1);
	FUZZ_CHECK(!r.ev.have_leaf || r.ev.search.unsynced <= (unsigned long)r.ev.search.found);
	FUZZ_CHECK(!r.ev.have_slot || r.ev.slot.slot < vmf_top_entries(p));
	FUZZ_CHECK(r.ev.slot.nlacking_names >= 0 && r.ev.slot.nlacking_names <= VMF_MAX_NAMES);
	FUZZ_CHECK(!r.ev.have_slot || (unsigned long)r.ev.slot.nlacking_names == r.ev.slot.mms_lacking);
	FUZZ_CHECK(!r.ev.have_slot || r.ev.slot.mms_lacking + r.ev.slot.mms_differ + r.ev.slot.mms_unreadable <=
		   r.ev.slot.mms_total);
	if (r.ev.have_phys) {
		FUZZ_CHECK(fault >= g->page_offset && fault <= g->direct_map_end);
		FUZZ_CHECK(r.ev.fault_phys == fault - g->page_offset);
		FUZZ_CHECK(r.fact[VMF_C_FAULT_IN_DIRECT_MAP].state == VMF_TRUE);
	} else {
		FUZZ_CHECK(r.fact[VMF_C_FAULT_IN_DIRECT_MAP].state != VMF_TRUE);
	}
	if (r.ev.have_leaf) {
		FUZZ_CHECK(r.ev.have_phys && r.ev.leaf.frame == (r.ev.fault_phys & ~0xfffULL));
		FUZZ_CHECK(r.ev.leaf.kind == VMF_PUD || r.ev.leaf.kind == VMF_PMD);
		FUZZ_CHECK(r.ev.leaf.va_start <= g->vmalloc_end && r.ev.leaf.va_end >= g->vmalloc_start);
		FUZZ_CHECK(r.ev.leaf.va_end - r.ev.leaf.va_start + 1 == r.ev.leaf.size);
		FUZZ_CHECK(r.fact[r.ev.leaf.kind == VMF_PUD ? VMF_C_LARGE_PUD_FRAME : VMF_C_LARGE_PMD_FRAME].state
			   == VMF_TRUE);
		FUZZ_CHECK(r.ev.have_slot && r.ev.slot.slot == vmf_index(p, 0, r.ev.leaf.va_start));
		FUZZ_CHECK(r.ev.target_lo >= r.ev.leaf.va_start && r.ev.target_hi <= r.ev.leaf.va_end);
	} else {
		FUZZ_CHECK(r.fact[VMF_C_LARGE_PUD_FRAME].state != VMF_TRUE &&
			   r.fact[VMF_C_LARGE_PMD_FRAME].state != VMF_TRUE);
	}
	if (r.ev.have_slot)
		FUZZ_CHECK(r.ev.slot.start == vmf_top_slot_start(p, r.ev.slot.slot) &&
			   r.ev.slot.end == vmf_top_slot_end(p, r.ev.slot.slot));
	check_report(&r);
}

/* ---- x86-64: vmf_diagnose() over a synthetic kernel around the input's page tables ---- */

static struct synth_kernel sk;

/* The oops as a console would print it: 4.4 in vmalloc_fault, 5.10 elsewhere, no address, or none. */
static void oops_text(char *log, size_t len, const uint8_t *data, uint64_t fault)
{
	if (data[1] & 16)
		snprintf(log, len, "Linux version 4.4.0-fuzz (fuzz@fuzz)\nbooted\n");
	else if (data[1] & 8)
		snprintf(log, len, "general protection fault: 0000 [#1] SMP\n"
			 "CPU: 1 PID: 200 Comm: insmod Not tainted %s #1\n"
			 "RIP: 0010:vmalloc_fault+0x1be/0x300\n", data[0] & 8 ? "5.10.0-fuzz" : "4.4.0-fuzz");
	else if (data[0] & 8)
		snprintf(log, len, "BUG: unable to handle page fault for address: %016llx\n"
			 "#PF: supervisor read access in kernel mode\n#PF: error_code(0x0000) - not-present page\n"
			 "PGD 0 P4D 0 \nOops: 0000 [#1] SMP NOPTI\n"
			 "CPU: 1 PID: 200 Comm: insmod Not tainted 5.10.0-fuzz #1\n"
			 "RIP: 0010:__init_single_page+0x2c/0x60\n", (unsigned long long)fault);
	else
		snprintf(log, len, "BUG: unable to handle kernel paging request at %016llx\n"
			 "IP: [<ffffffff8106d6be>] vmalloc_fault+0x1be/0x300\nPGD 1f8c067 PUD 0 \n"
			 "Oops: 0000 [#1] SMP\nCPU: 1 PID: 200 Comm: insmod Not tainted 4.4.0-fuzz #1\n",
			 (unsigned long long)fault);
}

/*
 * iomem, by bits 4-5 of byte 0: all System RAM, none (a PCI window), no
 * iomem_resource at all, or a sibling list that loops.
 */
static void iomem(unsigned mode)
{
	uint64_t res;

	switch (mode) {
	case 0: sk_resource_add(&sk, 0, 0, (1ULL << 52) - 1, "System RAM"); break;
	case 1: sk_resource_add(&sk, 0, 0, (1ULL << 52) - 1, "PCI Bus 0000:00"); break;
	case 2: strcpy(sk.sym[3].name, "no_iomem_resource"); break;
	default:
		res = sk_resource_add(&sk, 0, 0, 0xfff, "reserved");
		sk_resource_add(&sk, 0, 0x1000, 0x1fff, "System RAM");
		((struct sk_resource *)sk_ptr(&sk, res))->sibling = res;
		break;
	}
}

/* The kernel's lists around the page tables: 4 more pgds on pgd_list, the task, iomem, vmap. */
static unsigned long kernel_lists(const uint8_t *data, uint64_t task_root)
{
	uint64_t seen[4];
	unsigned long n = 0, i, k;

	for (i = 0; i < 4; i++) {
		uint64_t pgd = data[3 + i] == 0xff ? FAR_AWAY : (uint64_t)(data[3 + i] & 7) * 4096;
		char comm[16];

		for (k = 0; k < n && seen[k] != pgd; k++)
			;
		if (k < n)                 /* a pgd page is on pgd_list once */
			continue;
		seen[n++] = pgd;
		snprintf(comm, sizeof(comm), i == 3 ? "\"q\\uote\"\x01" : "fuzz%lu", i);
		if (i)
			sk_process(&sk, 100 + (int)i, comm, pgd);
		else                       /* an mm no task uses any more: named "-1 ?" */
			sk_pgd_list_add(&sk, pgd, sk_mm_add(&sk, pgd));
	}
	if (data[0] & 4)
		sk.panic_task = sk_task_add(&sk, 200, "insmod", sk_mm_add(&sk, task_root));
	iomem((data[0] >> 4) & 3);
	sk_symbol(&sk, "fuzz_ioremap", SK_TEXT);
	if (data[0] & 0x40)                /* the first 512 GiB of the vmalloc area: odd slots have none */
		sk_vmap_add(&sk, sk.k.layout.vmalloc_start, 1ULL << 39, 0x480000000ULL, SK_TEXT + 0x1c);
	else
		strcpy(sk.sym[4].name, "no_vmap_area_list");
	return n;
}

static void diagnose_x86_64(const uint8_t *data, uint64_t root, uint64_t task_root, uint64_t fault,
			    size_t memlen, struct vmf_audit *audit)
{
	static const char disasm[] = "   0xffffffff8106d500 <+0>:\tpush   %rbp\n"
				     "   0xffffffff8106d504 <+4>:\ttest   $0x80,%dl\n";
	struct vmf_layout *l = &sk.k.layout;
	struct vmf_paging p;
	struct vmf_inputs in;
	unsigned long nmms;
	char log[512];
	int levels = (data[0] & 3) == 1 ? 5 : 4;

	sk_free(&sk);
	sk_init(&sk, &rd, levels, root, 0);
	if ((data[0] & 3) == 2)
		sk_symbol(&sk, "__pgtable_l5_enabled", SK_TEXT + 0x100);
	/* entries beyond memory: bad at 2^46 as crash sets it, about the input's end, or unknown */
	l->max_physmem_bits = (data[7] >> 6) == 2 ? 0 : (data[7] >> 6) == 1 ? 12 + (memlen > 4096) * 3 : 46;
	/*
	 * The whole vmalloc area (32 TiB on 4-level, 12800 TiB on 5-level) can
	 * hold up to 2^20 tables to search; 64 GiB of it (64 pud entries) keeps
	 * an execution in milliseconds.  Bit 7: the 64 GiB of the next top slot.
	 */
	if (data[0] & 0x80)
		l->vmalloc_start += levels == 5 ? 1ULL << 48 : 1ULL << 39;
	l->vmalloc_end = l->vmalloc_start + (64ULL << 30) - 1;
	snprintf(l->release, sizeof(l->release), data[0] & 8 ? "5.10.0-fuzz" : "4.4.0-fuzz");
	if (!(data[0] & 8)) {
		sk.vmalloc_fault.start = 0xffffffff8106d500ULL;
		sk.disasm = data[1] & 32 ? disasm : NULL;
	}
	nmms = kernel_lists(data, task_root);
	oops_text(log, sizeof(log), data, fault);
	memset(&in, 0, sizeof(in));
	in.log = log;
	in.loglen = strlen(log);
	in.log_source = "fuzz log";
	in.kernel = &sk.k;
	in.audit = data[2] & 8 ? NULL : audit;
	FUZZ_CHECK(vmf_diagnose(&r, &in) == 0);
	FUZZ_CHECK(!r.text_only && r.ev.kernel.paging_levels == levels);
	FUZZ_CHECK(r.ev.have_task == !!(data[0] & 4));
	vmf_paging_x86_64(&p, levels, (data[0] & 3) == 2);
	check_chain(&p, &r.ev.kernel.regions, fault, audit, nmms, !(data[2] & 8));
}

/* ---- PAE: no data front supplies such a dump yet, so the page-table stages by hand ---- */

/* The oops' facts as the parser would give them (the pipeline above parses real text). */
static void oops_pae(const uint8_t *data, uint64_t fault)
{
	struct vmf_oops *o = &r.ev.oops;

	vmf_report_init(&r);
	r.ev.have_log = 1;
	snprintf(r.ev.log_source, sizeof(r.ev.log_source), "fuzz log");
	if (data[1] & 16)                        /* a log without any oops */
		return;
	o->found = 1;
	o->count = 1;
	o->kind = VMF_OOPS_PAGING_REQUEST;
	o->bug.line = 1;
	snprintf(o->bug.text, sizeof(o->bug.text), "BUG: unable to handle kernel paging request at %016llx",
		 (unsigned long long)fault);
	o->has_fault_addr = !(data[1] & 8);
	o->fault_addr = fault;
	o->has_rip = 1;
	o->rip.line = 2;
	snprintf(o->rip_sym, sizeof(o->rip_sym), "vmalloc_fault");
}

static void gather_pae(const struct vmf_paging *p, const uint8_t *data, uint64_t root, uint64_t task_root,
		       uint64_t fault, struct vmf_audit *audit)
{
	struct vmf_dump_view v;
	struct vmf_mm_ref mms[4];
	int i;

	oops_pae(data, fault);
	vmf_parse_release("4.4.0-fuzz", &r.ev.kernel.version);
	r.ev.kernel.paging_levels = p->depth;
	vmf_facts_from_log(&r);
	memset(&v, 0, sizeof(v));
	v.p = p;
	v.rd = &rd;
	v.init_root = root;
	v.regions.page_offset = 0xc0000000ULL;        /* 3G/1G split */
	v.regions.direct_map_end = 0xf7ffffffULL;
	v.regions.vmalloc_start = 0xf8000000ULL;
	v.regions.vmalloc_end = 0xff7fdfffULL;
	v.task_root_known = data[0] & 4;
	v.task_root = task_root;
	for (i = 0; i < 4; i++) {
		mms[i].mm = 0xc1000000ULL + 0x400ULL * i;
		mms[i].pgd_pa = data[3 + i] == 0xff ? FAR_AWAY : (uint64_t)(data[3 + i] & 7) * 4096;
		mms[i].pid = i ? 100 + i : -1;
		snprintf(mms[i].comm, sizeof(mms[i].comm), i == 3 ? "\"q\\uote\"\x01" : "fuzz%d", i);
	}
	v.mms = mms;
	v.nmms = 4;
	v.mms_source = "pgd_list";
	v.phys_is_ram = phys_is_ram;
	v.find_vmap = data[0] & 0x40 ? find_vmap : NULL;
	FUZZ_CHECK(vmf_gather_dump_evidence(&r, &v, data[2] & 8 ? NULL : audit) == 0);
	vmf_facts_from_dump(&r);
	vmf_evaluate(&r);
	check_chain(p, &v.regions, fault, audit, 4, !(data[2] & 8));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmf_paging p;
	static struct vmf_walk w[4];
	static struct vmf_top top_init, top_task;
	static struct vmf_audit audit;
	static struct vmf_leaf leaves[8];
	struct vmf_range_stats st;
	struct range_check c;
	uint64_t va, fault, other, root, task_root, kstart, budget, span1, lo, hi;
	long nleaves;
	unsigned s;
	int i, rc;

	if (size < FUZZ_WALK_HDR)
		return 0;
	switch (data[0] & 3) {
	case 0: vmf_paging_x86_64(&p, 4, 0); break;
	case 1: vmf_paging_x86_64(&p, 5, 0); break;
	case 2: vmf_paging_x86_64(&p, 4, 1); break;
	default: vmf_paging_pae(&p); break;
	}
	root = (uint64_t)(data[1] & 7) * 4096;
	task_root = (uint64_t)(data[2] & 7) * 4096;
	budget = 1 + (data[7] & 63);
	memcpy(&va, data + 8, 8);
	memcpy(&fault, data + 16, 8);
	memcpy(&other, data + 24, 8);
	mem = data + FUZZ_WALK_HDR;
	memlen = size - FUZZ_WALK_HDR;
	switch (data[7] >> 6) {
	case 1: p.max_paddr = ((uint64_t)memlen + 4095) & ~4095ULL; break;
	case 2: p.max_paddr = 0; break;
	default: p.max_paddr = 1ULL << 46; break;
	}
	ram_mode = (data[0] >> 4) & 3;
	reads = 0;

	/* single addresses: as given, then in three other top-level slots */
	for (i = 0; i < 4; i++) {
		uint64_t a = i ? va ^ ((uint64_t)i << p.shift[0]) : va;
		reads = 0;
		vmf_walk_va(&p, &rd, root, a, &w[i]);
		FUZZ_CHECK(reads <= (unsigned long)p.depth);   /* one entry per level */
		check_walk(&p, root, a, &w[i]);
		compare_walks(&p, root, a, &w[i]);
	}
	vmf_walk_va(&p, &rd, task_root, fault, &w[1]);
	check_walk(&p, task_root, fault, &w[1]);
	compare_walks(&p, task_root, fault, &w[1]);

	/* the kernel half with a small budget, then an arbitrary range */
	kstart = vmf_top_slot_start(&p, vmf_top_kernel_first(&p));
	rc = range(&p, root, kstart, UINT64_MAX, p.depth, budget, &c, &st);
	if (!rc)
		FUZZ_CHECK(st.tables_read <= budget);
	range(&p, root, va < other ? va : other, va < other ? other : va, 1 + (int)(data[7] % p.depth), budget,
	      &c, &st);

	/* the top level of two roots, compared slot by slot and audited */
	vmf_read_top(&p, &rd, root, &top_init);
	vmf_read_top(&p, &rd, task_root, &top_task);
	FUZZ_TERMINATED(top_init.why);
	FUZZ_CHECK(top_init.readable || top_init.why[0]);
	check_top_range(&p, &top_init, kstart, UINT64_MAX);
	check_top_range(&p, &top_init, va < other ? va : other, va < other ? other : va);
	for (s = 0; s < vmf_top_entries(&p); s++) {
		enum vmf_slot_cmp cmp = vmf_compare_slot(&top_init, &top_task, s);
		FUZZ_CHECK((unsigned)cmp <= VMF_SLOT_UNREADABLE);
		FUZZ_CHECK((cmp == VMF_SLOT_UNREADABLE) == (!top_init.readable || !top_task.readable));
		FUZZ_CHECK(vmf_compare_slot(&top_init, &top_init, s) ==
			   (top_init.readable ? VMF_SLOT_SAME : VMF_SLOT_UNREADABLE));
	}
	vmf_audit_init(&audit, &p);
	audit.ref = top_init;
	rc = vmf_audit_add(&audit, &top_task);
	FUZZ_CHECK(audit.mms == 1 && (rc < 0) == !top_task.readable);
	/*
	 * Large leaves under 64 pud entries (64 GiB; on PAE 64 pdpt-sized steps, clipped
	 * to 4 GiB) from va: at most 64 pmd tables, so a page of entries that all point
	 * at tables costs milliseconds, not the 2^20 tables of the walker's own limit.
	 */
	span1 = 1ULL << p.shift[p.depth - 3];
	lo = va & ~(span1 - 1);
	hi = lo + 64 * span1 - 1 < lo ? UINT64_MAX : lo + 64 * span1 - 1;
	nleaves = vmf_find_large_leaves(&p, &rd, root, lo, hi, fault & p.frame_mask & ~0xfffULL,
					leaves, 8, &st);
	FUZZ_CHECK(nleaves >= 0 ? !st.limited : st.limited);
	for (i = 0; i < nleaves && i < 8; i++)
		FUZZ_CHECK((leaves[i].kind == VMF_PUD || leaves[i].kind == VMF_PMD) &&
			   leaves[i].frame == (fault & p.frame_mask & ~0xfffULL) &&
			   leaves[i].va_end - leaves[i].va_start + 1 == leaves[i].size &&
			   leaves[i].va_start <= hi && leaves[i].va_end >= lo);
	check_writers(&p, &w[0], &w[1], &audit);

	/* the whole pipeline as the crash extension runs it, or for PAE the page-table stages */
	if ((data[0] & 3) == 3)
		gather_pae(&p, data, root, task_root, fault, &audit);
	else
		diagnose_x86_64(data, root, task_root, fault, memlen, &audit);
	return 0;
}
