/*
 * test_evidence.c - the evidence chain on synthetic page tables: the seed's
 * 1 GiB pud and 2 MiB pmd, unreadable tables, and the code-check heuristic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_evidence.h"
#include "vmf_diag.h"
#include "vmf_writers.h"
#include "check.h"
#include "synthmem.h"

/* the synthetic memory's entries, one at a time */
static void set_entry(uint64_t table, unsigned idx, uint64_t val)
{
	struct synth_entry e = { table, idx, val };
	synth_load(&e, 1);
}

static enum vmf_tri never_ram(void *ctx, uint64_t pa, char *src, size_t len)
{
	(void)ctx;
	snprintf(src, len, "test iomem");
	return pa < 0x20000000 ? VMF_TRUE : VMF_FALSE;
}

#define T_PRESENT (VMF_E_P | VMF_E_RW | VMF_E_A)
#define PAGE_OFFSET 0xffff888000000000ULL
#define INIT_PGD 0x1000ULL
#define MM_A_PGD 0x10000ULL   /* lacks slot 402 */
#define MM_B_PGD 0x11000ULL   /* has it, with a different Accessed bit */
#define PUD_402  0x2000ULL
#define PMD_TBL  0x3000ULL
#define SLOT     402u
#define LEAF_VA  0xffffc90000000000ULL   /* slot 402, pud index 0 */

static void build(int pmd_leaf)
{
	synth_reset();
	synth_page(INIT_PGD);
	synth_page(MM_A_PGD);
	synth_page(MM_B_PGD);
	/* slot 273 (direct map) everywhere, slot 402 only in init_mm and B */
	set_entry(INIT_PGD, 273, 0x5000 | T_PRESENT);
	set_entry(MM_A_PGD, 273, 0x5000 | T_PRESENT);
	set_entry(MM_B_PGD, 273, 0x5000 | VMF_E_P | VMF_E_RW);
	set_entry(INIT_PGD, SLOT, PUD_402 | T_PRESENT);
	set_entry(MM_B_PGD, SLOT, PUD_402 | VMF_E_P | VMF_E_RW);
	synth_page(PUD_402);
	if (!pmd_leaf) {
		/* PGD[402] -> PUD[0] -> 0x480000000 (1G) and PUD[1] -> 0xc80000000 (1G) */
		set_entry(PUD_402, 0, 0x480000000ULL | T_PRESENT | VMF_E_PSE | VMF_E_D | VMF_E_G);
		set_entry(PUD_402, 1, 0xc80000000ULL | T_PRESENT | VMF_E_PSE | VMF_E_D | VMF_E_G);
	} else {
		/* PGD[402] -> PUD[0] -> PMD[5] -> 0x480a00000 (2M) */
		set_entry(PUD_402, 0, PMD_TBL | T_PRESENT);
		set_entry(PMD_TBL, 5, 0x480a00000ULL | T_PRESENT | VMF_E_PSE | VMF_E_D | VMF_E_G);
	}
}

static struct vmf_mm_ref mms[2] = {
	{ 0xffff888000aa0000ULL, MM_A_PGD, 100, "bash" },
	{ 0xffff888000bb0000ULL, MM_B_PGD, 200, "insmod" },
};

static void report_with_fault(struct vmf_report *r, uint64_t fault)
{
	vmf_report_init(r);
	r->ev.have_log = 1;
	r->ev.oops.found = 1;
	r->ev.oops.has_fault_addr = 1;
	r->ev.oops.fault_addr = fault;
}

/* measure, then decide: the gatherer's evidence and the facts diag.c makes of it */
static void gather(struct vmf_report *r, const struct vmf_dump_view *v, struct vmf_audit *a)
{
	CHECK(vmf_gather_dump_evidence(r, v, a) == 0);
	vmf_facts_from_dump(r);
}

static void view(struct vmf_dump_view *v, const struct vmf_paging *p)
{
	memset(v, 0, sizeof(*v));
	v->p = p;
	v->rd = &synth_reader;
	v->init_root = INIT_PGD;
	v->regions.page_offset = PAGE_OFFSET;
	v->regions.direct_map_end = PAGE_OFFSET + (1ULL << 46) - 1;
	v->regions.vmalloc_start = 0xffffc90000000000ULL;
	v->regions.vmalloc_end = 0xffffe8ffffffffffULL;
	v->regions.vmemmap_start = 0xffffea0000000000ULL;
	v->regions.vmemmap_end = 0xffffeaffffffffffULL;
	v->task_root_known = 1;
	v->task_root = MM_B_PGD;           /* the faulting task synced the slot itself */
	v->mms = mms;
	v->nmms = 2;
	v->mms_source = "test";
	v->phys_is_ram = never_ram;
}

static void test_seed_pud(void)
{
	struct vmf_paging p;
	struct vmf_dump_view v;
	struct vmf_report *r = calloc(1, sizeof(*r));

	build(0);
	vmf_paging_x86_64(&p, 4, 0);
	view(&v, &p);
	report_with_fault(r, PAGE_OFFSET + 0x480000000ULL + 0x1ff * 8);  /* ffff888480000ff8 */
	gather(r, &v, NULL);

	CHECK(r->ev.have_phys);
	CHECK_U64(r->ev.fault_phys, 0x480000ff8ULL);
	CHECK(r->ev.phys_is_ram == VMF_FALSE);
	CHECK(r->fact[VMF_C_FAULT_IN_DIRECT_MAP].state == VMF_TRUE);
	CHECK(r->fact[VMF_C_FAULT_PHYS_NOT_RAM].state == VMF_TRUE);
	CHECK(r->ev.have_leaf);
	CHECK(r->ev.leaf.kind == VMF_PUD);
	CHECK_U64(r->ev.leaf.frame, 0x480000000ULL);
	CHECK_U64(r->ev.leaf.size, 1ULL << 30);
	CHECK_U64(r->ev.leaf.va_start, LEAF_VA);
	CHECK_U64(r->ev.leaf.va_end, LEAF_VA + (1ULL << 30) - 1);
	CHECK_U64(r->ev.leaf.entry_paddr, PUD_402);
	CHECK_U64(r->ev.search.found, 1);
	/* index 0x1ff of the pud frame was read: pmd_index of the walked address */
	CHECK_U64(r->ev.target_lo, LEAF_VA + 0x1ffULL * (1ULL << 21));
	CHECK_U64(r->ev.target_hi, LEAF_VA + 0x200ULL * (1ULL << 21) - 1);
	CHECK(r->fact[VMF_C_LARGE_PUD_FRAME].state == VMF_TRUE);
	CHECK(r->fact[VMF_C_LARGE_PMD_FRAME].state == VMF_FALSE);
	CHECK(r->ev.have_slot);
	CHECK_U64(r->ev.slot.slot, SLOT);
	CHECK_U64(r->ev.slot.start, LEAF_VA);
	CHECK_U64(r->ev.slot.mms_total, 2);
	CHECK_U64(r->ev.slot.mms_lacking, 1);
	CHECK_U64(r->ev.slot.mms_differ, 0);    /* the Accessed bit does not count */
	CHECK(r->ev.slot.task_cmp == VMF_SLOT_SAME);
	CHECK(r->ev.slot.nlacking_names == 1 && strcmp(r->ev.slot.lacking_names[0], "100 bash") == 0);
	CHECK(r->fact[VMF_C_LARGE_SLOT_UNSYNCED].state == VMF_TRUE);
	CHECK(r->fact[VMF_C_FAULT_IN_VMALLOC].state == VMF_FALSE);
	free(r);
}

static int names_asked;

static int name_by_owner(void *ctx, uint64_t mm, int *pid, char *comm, size_t len)
{
	(void)ctx;
	names_asked++;
	if (mm != mms[0].mm)
		return -1;
	*pid = 4242;
	snprintf(comm, len, "owner-of-a");
	return 0;
}

/* mms the list left unnamed are named on demand, and only those the report lists */
static void test_names_on_demand(void)
{
	struct vmf_paging p;
	struct vmf_dump_view v;
	struct vmf_report *r = calloc(1, sizeof(*r));
	struct vmf_mm_ref unnamed[2];

	build(0);
	vmf_paging_x86_64(&p, 4, 0);
	view(&v, &p);
	memcpy(unnamed, mms, sizeof(unnamed));
	unnamed[0].pid = unnamed[1].pid = -1;
	unnamed[0].comm[0] = unnamed[1].comm[0] = 0;
	v.mms = unnamed;
	v.name_mm = name_by_owner;
	report_with_fault(r, PAGE_OFFSET + 0x480000000ULL + 0x1ff * 8);
	names_asked = 0;
	gather(r, &v, NULL);
	CHECK(r->ev.slot.nlacking_names == 1 && strcmp(r->ev.slot.lacking_names[0], "4242 owner-of-a") == 0);
	CHECK(names_asked == 1);                /* mm B has the slot: never asked */

	/* a failed lookup is said as unknown, not as another process */
	unnamed[0].mm = 0xffff888000cc0000ULL;
	vmf_report_init(r);
	report_with_fault(r, PAGE_OFFSET + 0x480000000ULL + 0x1ff * 8);
	gather(r, &v, NULL);
	CHECK(r->ev.slot.nlacking_names == 1 && strcmp(r->ev.slot.lacking_names[0], "-1 ?") == 0);
	free(r);
}

static void test_seed_pmd(void)
{
	struct vmf_paging p;
	struct vmf_dump_view v;
	struct vmf_report *r = calloc(1, sizeof(*r));

	build(1);
	vmf_paging_x86_64(&p, 4, 0);
	view(&v, &p);
	report_with_fault(r, PAGE_OFFSET + 0x480a00000ULL + 0x10 * 8);
	gather(r, &v, NULL);

	CHECK(r->ev.have_leaf);
	CHECK(r->ev.leaf.kind == VMF_PMD);
	CHECK_U64(r->ev.leaf.frame, 0x480a00000ULL);
	CHECK_U64(r->ev.leaf.size, 1ULL << 21);
	CHECK_U64(r->ev.leaf.va_start, LEAF_VA + 5 * (1ULL << 21));
	CHECK_U64(r->ev.target_lo, LEAF_VA + 5 * (1ULL << 21) + 0x10 * 4096);
	CHECK(r->fact[VMF_C_LARGE_PMD_FRAME].state == VMF_TRUE);
	CHECK(r->fact[VMF_C_LARGE_PUD_FRAME].state == VMF_FALSE);
	CHECK(r->fact[VMF_C_LARGE_SLOT_UNSYNCED].state == VMF_TRUE);
	free(r);
}

/* An excluded pud table: the leaf cannot be seen, so the facts are UNKNOWN, not FALSE. */
static void test_unreadable_pud(void)
{
	struct vmf_paging p;
	struct vmf_dump_view v;
	struct vmf_report *r = calloc(1, sizeof(*r));

	build(0);
	synth_unreadable(PUD_402, "page ffff excluded from the dump");
	vmf_paging_x86_64(&p, 4, 0);
	view(&v, &p);
	report_with_fault(r, PAGE_OFFSET + 0x480000000ULL + 0x1ff * 8);
	gather(r, &v, NULL);
	CHECK(!r->ev.have_leaf);
	CHECK(r->fact[VMF_C_LARGE_PUD_FRAME].state == VMF_UNKNOWN);
	CHECK(r->fact[VMF_C_LARGE_PMD_FRAME].state == VMF_UNKNOWN);
	CHECK(strstr(r->fact[VMF_C_LARGE_PUD_FRAME].detail, "unreadable") != NULL);
	free(r);
}

/* A stale slot faulted directly (no vmalloc_fault): the relative's facts. */
static void test_stale_direct(void)
{
	struct vmf_paging p;
	struct vmf_dump_view v;
	struct vmf_report *r = calloc(1, sizeof(*r));

	build(0);
	vmf_paging_x86_64(&p, 4, 0);
	view(&v, &p);
	v.task_root = MM_A_PGD;
	report_with_fault(r, LEAF_VA + 0x1234);
	gather(r, &v, NULL);
	CHECK(r->fact[VMF_C_FAULT_IN_VMALLOC].state == VMF_TRUE);
	CHECK(r->fact[VMF_C_FAULT_IN_DIRECT_MAP].state == VMF_FALSE);
	CHECK(r->fact[VMF_C_FAULT_SLOT_MISSING].state == VMF_TRUE);
	CHECK(r->ev.slot.task_cmp == VMF_SLOT_MISSING);
	CHECK_U64(r->ev.slot.slot, SLOT);
	CHECK_U64(r->ev.slot.mms_lacking, 1);
	free(r);
}

/*
 * The oops killed its task (panic_on_oops=0) and a later panic's task was read:
 * that task's page table says nothing of the fault, and the report names it.
 */
static void test_oops_task_gone(void)
{
	struct vmf_paging p;
	struct vmf_dump_view v;
	struct vmf_report *r = calloc(1, sizeof(*r));
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	build(0);
	vmf_paging_x86_64(&p, 4, 0);
	view(&v, &p);
	v.task_root = MM_A_PGD;            /* PID 100 bash, the panic task, lacks the slot */
	report_with_fault(r, LEAF_VA + 0x1234);
	r->ev.oops.has_pid = 1;
	r->ev.oops.pid = 84;               /* the oops' task, gone */
	r->ev.have_task = 1;
	r->ev.task.pid = 100;
	strcpy(r->ev.task.comm, "bash");
	gather(r, &v, NULL);
	CHECK(r->fact[VMF_C_FAULT_SLOT_MISSING].state == VMF_UNKNOWN);
	CHECK(strstr(r->fact[VMF_C_FAULT_SLOT_MISSING].detail, "the oops' task (PID 84) is not the task read") != NULL);
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	f = open_memstream(&buf, &len);
	vmf_report_text(f, r, 0);
	fclose(f);
	CHECK(strstr(buf, "PID 100 bash (not the oops' task, PID 84): 0 (missing)") != NULL);
	CHECK(strstr(buf, "faulting task:") == NULL);
	free(buf);
	r->ev.task.pid = 84;               /* the oops' own task: it decides */
	vmf_facts_from_dump(r);
	CHECK(r->fact[VMF_C_FAULT_SLOT_MISSING].state == VMF_TRUE);
	free(r);
}

/* No fault address: the audit still reports a stale slot as a note. */
static void test_no_oops_notes_stale_slot(void)
{
	struct vmf_paging p;
	struct vmf_dump_view v;
	struct vmf_audit *a = calloc(1, sizeof(*a));
	struct vmf_report *r = calloc(1, sizeof(*r));
	int i, seen = 0;

	build(0);
	vmf_paging_x86_64(&p, 4, 0);
	view(&v, &p);
	vmf_report_init(r);
	gather(r, &v, a);
	CHECK_U64(a->mms, 2);
	CHECK_U64(a->missing[SLOT], 1);
	CHECK_U64(a->missing[273], 0);
	for (i = 0; i < r->nnotes; i++)
		seen |= strstr(r->notes[i], "slot 402") && strstr(r->notes[i], "missing from 1");
	CHECK(seen);
	free(a);
	free(r);
}

static void test_code_check(void)
{
	char note[240];
	const char *prefix =
		"   0xffffffffc0002000:\tpush   %rbp\n"
		"   0xffffffffc0002001:\tmov    %rdi,%rbp\n"
		"   0xffffffffc0002008:\tmov    (%rax),%rdx\n"
		"   0xffffffffc000200b:\tand    $0xfffffffffffff000,%rdx\n"
		"   0xffffffffc0002012:\tmov    0x8(%rdx),%rax\n"
		"   0xffffffffc0002016:\tret\n";
	const char *fixed =
		"   0xffffffffc0002000:\tpush   %rbp\n"
		"   0xffffffffc0002004:\tmov    (%rax),%rdx\n"
		"   0xffffffffc0002007:\ttest   $0x80,%dl\n"
		"   0xffffffffc000200a:\tjne    0xffffffffc0002020\n"
		"   0xffffffffc0002010:\tmov    0x8(%rdx),%rax\n"
		"   0xffffffffc0002020:\tret\n";

	CHECK(vmf_code_large_check(prefix, 0xffffffffc0002000ULL, 0x12, note, sizeof(note)) == VMF_FALSE);
	CHECK(strstr(note, "no test") != NULL);
	/* no fault inside: a PSE test reads as a large-page check */
	CHECK(vmf_code_large_check(fixed, 0xffffffffc0002000ULL, -1, note, sizeof(note)) == VMF_TRUE);
	CHECK(strstr(note, "+0x7") != NULL);
	/* a fault after a PSE test: pXd_pfn() tests PSE too, so undecided, and said so */
	CHECK(vmf_code_large_check(fixed, 0xffffffffc0002000ULL, 0x10, note, sizeof(note)) == VMF_UNKNOWN);
	CHECK(strstr(note, "does not show") != NULL);
	/* a test after the faulting instruction does not protect it */
	CHECK(vmf_code_large_check(fixed, 0xffffffffc0002000ULL, 0x5, note, sizeof(note)) == VMF_FALSE);
	CHECK(vmf_code_large_check("", 0, -1, note, sizeof(note)) == VMF_UNKNOWN);
	CHECK(vmf_code_large_check("garbage\nmore garbage", 0x1000, -1, note, sizeof(note)) == VMF_UNKNOWN);
}

/* KASLR: the stale-direct-5.10 dump's layout, where vmalloc follows the RAM closely */
static void test_direct_map_end(void)
{
	CHECK_U64(vmf_direct_map_end(4, 0xffff994100000000ULL, 0xffffc00000000000ULL, 0xffffd44040000000ULL),
		  0xffffbfffffffffffULL);
	CHECK_U64(vmf_direct_map_end(4, 0xffff888000000000ULL, 0xffffc90000000000ULL, 0xffffea0000000000ULL),
		  0xffffc87fffffffffULL);
	CHECK_U64(vmf_direct_map_end(5, 0xff11000000000000ULL, 0xffa0000000000000ULL, 0xffd4000000000000ULL),
		  0xff90ffffffffffffULL);
}

int main(void)
{
	test_direct_map_end();
	test_seed_pud();
	test_names_on_demand();
	test_seed_pmd();
	test_unreadable_pud();
	test_stale_direct();
	test_oops_task_gone();
	test_no_oops_notes_stale_slot();
	test_code_check();
	return CHECK_DONE();
}
