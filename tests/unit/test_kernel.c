/*
 * test_kernel.c - the whole pipeline, vmf_diagnose(), on a synthetic kernel
 * (synthkernel.h) over synthetic page tables (synthmem.h): the kernel walks the
 * engine makes through a data front's primitives (tasks, pgd_list, mm->owner,
 * iomem, vmap areas, the task of the oops), the one bounded list walk on
 * damaged lists, and what vmf_diagnose refuses with one line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_diagnose.h"
#include "vmf_list.h"
#include "vmf_writers.h"
#include "check.h"
#include "synthmem.h"
#include "synthkernel.h"

#define T_PRESENT (VMF_E_P | VMF_E_RW | VMF_E_A)
#define INIT_PGD 0x1000ULL
#define PGD_A    0x10000ULL   /* bash's: lacks slot 402 */
#define PGD_B    0x11000ULL   /* insmod's: has it */
#define PUD_402  0x2000ULL
#define SLOT     402u
#define LEAF_VA  0xffffc90000000000ULL
#define FAULT    0xffff888480000ff8ULL   /* __va(the 1 GiB pud's frame) + 0x1ff * 8 */

static const char oops_44[] =
	"[  100.000001] BUG: unable to handle kernel paging request at ffff888480000ff8\n"
	"[  100.000002] IP: [<ffffffffc00080be>] vmalloc_fault+0x10/0x300\n"
	"[  100.000003] PGD 1f8c067 PUD 0 \n"
	"[  100.000004] Oops: 0000 [#1] SMP\n"
	"[  100.000005] CPU: 1 PID: 200 Comm: insmod Not tainted 4.4.0-21-generic #37-Ubuntu\n"
	"[  100.000006] Kernel panic - not syncing: Fatal exception\n";

static const char disasm[] =
	"   0xffffffffc00080ae <+0>:\tpush   %rbp\n"
	"   0xffffffffc00080b2 <+4>:\tmov    (%rax),%rdx\n"
	"   0xffffffffc00080b5 <+7>:\tmov    0x8(%rdx),%rax\n";

static void set_entry(uint64_t table, unsigned idx, uint64_t val)
{
	struct synth_entry e = { table, idx, val };
	synth_load(&e, 1);
}

/* init_mm and insmod's mm have slot 402 -> a 1 GiB pud at 0x480000000; bash's lacks it. */
static void tables(void)
{
	synth_reset();
	synth_page(INIT_PGD);
	synth_page(PGD_A);
	synth_page(PGD_B);
	set_entry(INIT_PGD, SLOT, PUD_402 | T_PRESENT);
	set_entry(PGD_B, SLOT, PUD_402 | T_PRESENT);
	set_entry(PUD_402, 0, 0x480000000ULL | T_PRESENT | VMF_E_PSE | VMF_E_D | VMF_E_G);
}

static struct synth_kernel sk;
static uint64_t bash, insmod, ram;

/* The seed: bash and insmod on pgd_list, RAM below 512 MiB, the ioremap's vmap area. */
static void kernel(unsigned missing)
{
	sk_free(&sk);
	tables();
	sk_init(&sk, &synth_reader, 4, INIT_PGD, missing);
	bash = sk_process(&sk, 100, "bash", PGD_A);
	insmod = sk_process(&sk, 200, "insmod", PGD_B);
	sk.panic_task = insmod;
	ram = sk_resource_add(&sk, 0, 0x100000, 0x1fffffff, "System RAM");
	sk_resource_add(&sk, 0, 0x400000000ULL, 0x4ffffffffULL, "PCI Bus 0000:00");
	sk_symbol(&sk, "vmf_test_init", SK_TEXT + 0x5000);
	sk_vmap_add(&sk, LEAF_VA, 1ULL << 30, 0x480000000ULL, SK_TEXT + 0x5000 + 258);
	sk.vmalloc_fault.start = 0xffffffffc00080aeULL;
	sk.vmalloc_fault.size = 0x300;
	snprintf(sk.vmalloc_fault.module, sizeof(sk.vmalloc_fault.module), "vmf_test");
	sk.disasm = disasm;
}

static int diagnose(struct vmf_report *r, const char *log, const char *task_arg)
{
	struct vmf_inputs in;

	memset(&in, 0, sizeof(in));
	in.log = log;
	in.loglen = log ? strlen(log) : 0;
	in.log_source = "synthetic log";
	in.task_arg = task_arg;
	in.kernel = &sk.k;
	return vmf_diagnose(r, &in);
}

static int noted(const struct vmf_report *r, const char *what)
{
	int i;

	for (i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], what))
			return 1;
	return 0;
}

static void test_seed_match(struct vmf_report *r)
{
	kernel(0);
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(r->verdict == VMF_V_MATCH && r->sig && strcmp(r->sig->id, "VMF-LARGE-PUD") == 0);
	CHECK(!r->text_only && r->ev.have_tables);
	/* the task: the one the oops names, found on init_task.tasks */
	CHECK(r->ev.have_task && r->ev.task.pid == 200 && strcmp(r->ev.task.comm, "insmod") == 0);
	CHECK_STR(r->ev.task.source, "the oops' PID 200");
	CHECK_U64(r->ev.task.pgd_pa, PGD_B);
	CHECK(r->ev.task.cpu == 0);
	/* iomem: the page lies in a PCI window, in no System RAM */
	CHECK(r->ev.phys_is_ram == VMF_FALSE);
	CHECK_STR(r->ev.ram_source, "iomem: no System RAM resource holds it");
	/* the leaf, its vmap area named through the caller's symbol */
	CHECK(r->ev.have_leaf && r->ev.leaf.kind == VMF_PUD);
	CHECK(r->ev.have_vmap && r->ev.vmap.addr == LEAF_VA);
	CHECK_STR(r->ev.vmap.caller, "vmf_test_init+258");
	/* the slot, and the mm lacking it named through mm->owner */
	CHECK(r->ev.have_slot && r->ev.slot.slot == SLOT && r->ev.slot.mms_lacking == 1);
	CHECK(r->ev.slot.nlacking_names == 1 && strcmp(r->ev.slot.lacking_names[0], "100 bash") == 0);
	CHECK_STR(r->ev.slot.mms_source, "pgd_list, 2 pgds (2 mms)");
	CHECK(r->ev.slot.task_cmp == VMF_SLOT_SAME);
	/* the kernel facts */
	CHECK(r->ev.kernel.version.ok && r->ev.kernel.version.minor == 4);
	CHECK(r->ev.kernel.hugetlbfs == VMF_FALSE);     /* no ikconfig, no hugetlbfs_file_operations */
	CHECK_STR(r->ev.kernel.vmalloc_fault_where, "module vmf_test");
	CHECK(r->ev.kernel.code_large_check == VMF_FALSE);
	CHECK(strstr(r->ev.kernel.code_note, "no test of the PSE bit") != NULL);
	CHECK(r->nnotes == 0);
}

/* mm->owner absent: the task list names the mms instead, in one walk */
static void test_names_from_tasks(struct vmf_report *r)
{
	kernel(SK_NO_OWNER);
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(r->ev.slot.nlacking_names == 1 && strcmp(r->ev.slot.lacking_names[0], "100 bash") == 0);
	CHECK_STR(r->ev.slot.mms_source, "pgd_list, 2 pgds; 2 tasks (2 mms)");
	/* ... before v4.18 the pgd's struct page kept its mm in page.index */
	kernel(SK_NO_OWNER | SK_NO_PT_MM);
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(r->ev.slot.nlacking_names == 1 && strcmp(r->ev.slot.lacking_names[0], "100 bash") == 0);
	/* ... with neither, whose pgd it is cannot be known, and the name says so */
	kernel(SK_NO_OWNER | SK_NO_PT_MM | SK_NO_INDEX);
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(r->ev.slot.nlacking_names == 1 && strcmp(r->ev.slot.lacking_names[0], "-1 ?") == 0);
}

/* no pgd_list: the unique mms of the task list */
static void test_no_pgd_list(struct vmf_report *r)
{
	kernel(0);
	strcpy(sk.sym[2].name, "pgd_list_gone");
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(r->verdict == VMF_V_MATCH);
	CHECK_STR(r->ev.slot.mms_source, "init_task.tasks, 2 mms of 2 tasks (2 mms)");
}

static void test_damaged_lists(struct vmf_report *r)
{
	struct sk_task *t;
	uint64_t area;

	/* init_task.tasks loops back to bash, never to its head */
	kernel(SK_NO_OWNER);
	t = sk_ptr(&sk, insmod);
	t->tasks.next = bash + offsetof(struct sk_task, tasks);
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(noted(r, "mm list: names from init_task.tasks loops without returning to its head: stopped after 3 tasks"));

	/* pgd_list loops: each pgd counted once, and the loop said */
	kernel(0);
	sk_poke(&sk, SK_VMEMMAP_START + (PGD_B >> 12) * sizeof(struct sk_page) + offsetof(struct sk_page, lru),
		SK_VMEMMAP_START + (PGD_A >> 12) * sizeof(struct sk_page) + offsetof(struct sk_page, lru));
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(noted(r, "pgd_list loops without returning to its head"));
	CHECK(noted(r, "pgd_list loops without returning to its head: stopped after 3 pgds, 2 distinct"));
	CHECK(r->ev.slot.mms_total == 2);

	/* an unreadable task_struct stops the walk there, with its reason */
	kernel(SK_NO_OWNER);
	sk_unreadable(&sk, insmod, "excluded");
	CHECK(diagnose(r, oops_44, "100") == 0);
	CHECK(noted(r, "unreadable after 1 tasks: stopped there"));

	/* iomem loops: whether the page is RAM is unknown, never "no" */
	kernel(0);
	((struct sk_resource *)sk_ptr(&sk, ram))->sibling = ram;
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(r->ev.phys_is_ram == VMF_UNKNOWN);
	CHECK(strstr(r->ev.ram_source, "iomem resource list loops: stopped after") != NULL);
	CHECK(r->verdict == VMF_V_INCONCLUSIVE && strstr(r->missing, "fault_phys_not_ram"));

	/* vmap_area_list loops: the leaf is still found, its area is not named, and that is said */
	kernel(0);
	area = sk_vmap_add(&sk, LEAF_VA + (2ULL << 30), 4096, 0, 0) + offsetof(struct sk_vmap_area, list);
	sk_poke(&sk, sk.vmap_list, area);         /* the list starts at the new area ... */
	sk_poke(&sk, area, area);                 /* ... which leads back to itself */
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(!r->ev.have_vmap && r->ev.have_leaf);
	CHECK(noted(r, "no vmap area named for the leaf: vmap_area_list loops without returning to its head"));
}

static void test_tasks(struct vmf_report *r)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	/* -c PID: the kernel's own list when the front has no table */
	kernel(0);
	CHECK(diagnose(r, oops_44, "100") == 0);
	CHECK(r->ev.task.pid == 100 && strcmp(r->ev.task.source, "-c 100") == 0);
	CHECK(r->ev.slot.task_cmp == VMF_SLOT_MISSING);
	/* -c naming no task: no report, one line */
	CHECK(diagnose(r, oops_44, "999") == -1);
	CHECK_STR(r->error, "no task 999 in synth's table or init_task.tasks");
	/* the oops' PID gone, no panic task: two notes, and the slot's task is unknown */
	kernel(0);
	((struct sk_task *)sk_ptr(&sk, insmod))->pid = 201;
	sk.panic_task = 0;
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(!r->ev.have_task);
	CHECK(noted(r, "the oops' task (PID 200) is not in the dump's task list"));
	CHECK(noted(r, "no panic task in this dump: use -c PID|TASK"));
	CHECK(r->fact[VMF_C_LARGE_SLOT_UNSYNCED].state == VMF_TRUE);
	f = open_memstream(&buf, &len);
	vmf_report_text(f, r, 1);
	fclose(f);
	CHECK(strstr(buf, "faulting task: unknown") != NULL);
	free(buf);
}

static void test_refusals(struct vmf_report *r)
{
	kernel(0);
	strcpy(sk.sym[1].name, "init_mm_gone");
	CHECK(diagnose(r, oops_44, NULL) == -1);
	CHECK_STR(r->error, "symbol init_mm or mm_struct.pgd missing");
	kernel(0);
	sk_unreadable(&sk, sk.init_mm, "excluded");
	CHECK(diagnose(r, oops_44, NULL) == -1);
	CHECK_STR(r->error, "init_mm.pgd unreadable");
	/* no log at all: INCONCLUSIVE, never NO MATCH */
	kernel(0);
	CHECK(diagnose(r, NULL, NULL) == 0);
	CHECK(r->verdict == VMF_V_INCONCLUSIVE && strstr(r->missing, "the log is empty"));
}

/* a 5-level-capable kernel running 4-level calls the top slot a p4d */
static void test_p4d_folded(struct vmf_report *r)
{
	kernel(0);
	sk_symbol(&sk, "__pgtable_l5_enabled", SK_TEXT + 0x100);
	CHECK(diagnose(r, oops_44, NULL) == 0);
	CHECK(r->ev.kernel.p4d_folded && strcmp(r->ev.slot.top_name, "p4d") == 0);
	CHECK(strstr(r->fact[VMF_C_LARGE_SLOT_UNSYNCED].detail, "p4d slot 402") != NULL);
}

/* the bounded walk itself: a cap, a loop that never meets its head, a NULL end */
static void test_list_walk(void)
{
	uint64_t ring[5] = { 0x10, 0x20, 0x30, 0x40, 0x20 };   /* 0x10 -> 0x20 -> 0x30 -> 0x40 -> 0x20 */
	struct vmf_list l;
	int i, n;

	vmf_list_begin(&l, "ring", "nodes", 0x1, 0x10, 100);
	for (n = 0; vmf_list_next(&l); n++)
		vmf_list_advance(&l, ring[(l.pos >> 4) % 5]);
	CHECK(l.end == VMF_LIST_LOOPS && n < 10);
	CHECK(strncmp(l.why, "ring loops without returning to its head: stopped after", 55) == 0);

	vmf_list_begin(&l, "chain", "links", 0, 0x1000, 7);
	for (i = 0; vmf_list_next(&l); i++)
		vmf_list_advance(&l, l.pos + 8);
	CHECK(l.end == VMF_LIST_TOO_LONG && i == 7);
	CHECK_STR(l.why, "chain longer than 7: stopped there");

	vmf_list_begin(&l, "siblings", "resources", 0, 0x1000, 100);
	for (i = 0; vmf_list_next(&l); i++)
		vmf_list_advance(&l, i == 2 ? 0 : l.pos + 8);
	CHECK(l.end == VMF_LIST_DONE && i == 3 && !l.why[0]);

	vmf_list_begin(&l, "siblings", "resources", 0, 0x1000, 100);
	for (i = 0; vmf_list_next(&l); i++)
		vmf_list_advance(&l, 0x1000);
	CHECK(l.end == VMF_LIST_LOOPS && strncmp(l.why, "siblings loops: stopped after", 29) == 0);

	vmf_list_begin(&l, "tasks", "tasks", 0x8, 0x1000, 100);
	CHECK(vmf_list_next(&l));
	vmf_list_advance(&l, 0x2000);
	CHECK(vmf_list_next(&l));
	vmf_list_broken(&l, "task_struct 2000 unreadable");
	CHECK(!vmf_list_next(&l) && l.end == VMF_LIST_BROKEN);
	CHECK_STR(l.why, "task_struct 2000 unreadable after 1 tasks: stopped there");
}

/* issue 16, item 17: an address that does not fit is an error, not ffffffffffffffff */
static void test_parse_addr(void)
{
	uint64_t a = 7;

	CHECK(vmf_parse_addr("ffffffffffffffff", &a) == 0 && a == UINT64_MAX);
	CHECK(vmf_parse_addr("0xffff888000001000", &a) == 0 && a == 0xffff888000001000ULL);
	CHECK(vmf_parse_addr("0000000000000000001", &a) == 0 && a == 1);
	a = 7;
	CHECK(vmf_parse_addr("ffffffffffffffffffffffff", &a) == -2 && a == 7);
	CHECK(vmf_parse_addr("1ffffffffffffffff", &a) == -2 && a == 7);
	CHECK(vmf_parse_addr("-1", &a) == -1 && a == 7);
	CHECK(vmf_parse_addr("+1", &a) == -1);
	CHECK(vmf_parse_addr(" 1", &a) == -1);
	CHECK(vmf_parse_addr("0x", &a) == -1);
	CHECK(vmf_parse_addr("", &a) == -1);
	CHECK(vmf_parse_addr("zz", &a) == -1);
	CHECK(vmf_parse_addr("ffffffffffffffffz", &a) == -1);
}

/* ptaudit -v: the engine's audit tells each deviation; the kept list says why a table is unreadable */
static void test_audit_deviations(void)
{
	struct vmf_mm_ref mms[3] = {
		{ 0, PGD_A, 100, "bash" }, { 0, PGD_B, 200, "insmod" }, { 0, 0x50000, 300, "gone" },
	};
	struct vmf_paging p;
	struct vmf_audit *a = calloc(1, sizeof(*a));
	struct vmf_deviations dv;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	tables();
	vmf_paging_x86_64(&p, 4, 0);
	vmf_audit_init(a, &p);
	CHECK(vmf_read_top(&p, &synth_reader, INIT_PGD, &a->ref) == 0);
	vmf_deviations_init(&dv, 1000);
	CHECK(vmf_audit_mms(a, &synth_reader, mms, 3, vmf_deviation_keep, &dv) == 0);
	CHECK(a->mms == 3 && a->unreadable_mms == 1 && a->missing[SLOT] == 1);
	CHECK(dv.n == 2 && dv.d[0].mm == 0 && dv.d[0].slot == SLOT && dv.d[0].cmp == VMF_SLOT_MISSING);
	CHECK(dv.d[1].mm == 2 && dv.d[1].cmp == VMF_SLOT_UNREADABLE);
	f = open_memstream(&buf, &len);
	vmf_print_deviations(f, a, mms, &dv);
	fclose(f);
	CHECK(strstr(buf, "DEVIATING MMS: 2 slot entries\n") != NULL);
	CHECK(strstr(buf, "  PID 100     bash             pgd 10000  slot 402: missing (0 vs 2023)\n") != NULL);
	CHECK(strstr(buf, "  PID 300     gone             pgd 50000  unreadable: physical address 50000 not in the dump\n"));
	free(buf);
	vmf_deviations_free(&dv);
	/* past the cap, deviations are counted, not kept, and the list says so */
	vmf_audit_init(a, &p);
	vmf_read_top(&p, &synth_reader, INIT_PGD, &a->ref);
	vmf_deviations_init(&dv, 1);
	vmf_audit_mms(a, &synth_reader, mms, 3, vmf_deviation_keep, &dv);
	CHECK(dv.n == 1 && dv.not_kept == 1 && !dv.out_of_memory);
	f = open_memstream(&buf, &len);
	vmf_print_deviations(f, a, mms, &dv);
	fclose(f);
	CHECK(strstr(buf, "DEVIATING MMS: 2 slot entries\n") && strstr(buf, "  (1 more not listed)\n"));
	free(buf);
	vmf_deviations_free(&dv);
	free(a);
}

/* notes are never dropped silently: the last one counts those not kept */
static void test_notes_kept_or_counted(struct vmf_report *r)
{
	int i;

	vmf_report_init(r);
	for (i = 0; i < VMF_MAX_NOTES + 4; i++)
		vmf_add_note(r, "note %d", i);
	CHECK(r->nnotes == VMF_MAX_NOTES);
	CHECK_STR(r->notes[VMF_MAX_NOTES - 2], "note 14");
	CHECK_STR(r->notes[VMF_MAX_NOTES - 1], "5 more notes were not kept (a report holds 16)");
	vmf_report_init(r);
	for (i = 0; i < VMF_MAX_NOTES; i++)
		vmf_add_note(r, "note %d", i);
	CHECK_STR(r->notes[VMF_MAX_NOTES - 1], "note 15");
}

int main(void)
{
	struct vmf_report *r = calloc(1, sizeof(*r));

	test_list_walk();
	test_parse_addr();
	test_notes_kept_or_counted(r);
	test_audit_deviations();
	test_seed_match(r);
	test_names_from_tasks(r);
	test_no_pgd_list(r);
	test_damaged_lists(r);
	test_tasks(r);
	test_refusals(r);
	test_p4d_folded(r);
	sk_free(&sk);
	free(r);
	return CHECK_DONE();
}
