/*
 * test_walk.c - the paging model, the walker and the top-level comparison on
 * small tables of synthetic entries (libaddrxlat style), each with its path.
 */
#include <stdlib.h>
#include "check.h"
#include "synthmem.h"
#include "vmf_walk.h"
#include "vmf_audit.h"
#include "vmf_writers.h"

#define P  (VMF_E_P | VMF_E_RW | VMF_E_A)
#define PS (P | VMF_E_PSE | VMF_E_D | VMF_E_G)

/* 4-level: PGD[511] -> PUD[510] -> PMD[8] -> 0x1000000 (2M), the kernel text of a 5.10 guest */
static const struct synth_entry text_2m[] = {
	{ 0x1000, 511, 0x2000 | P },    /* PGD[511] -> PUD table 0x2000 */
	{ 0x2000, 510, 0x3000 | P },    /* PUD[510] -> PMD table 0x3000 */
	{ 0x3000, 8, 0x1000000 | PS },  /* PMD[8] -> 0x1000000 (2M) */
};

/* 4-level: PGD[402] -> PUD[1] -> 0xc80000000 (1G), an ioremap with pdpe1gb */
static const struct synth_entry ioremap_1g[] = {
	{ 0x1000, 402, 0x4000 | P },
	{ 0x4000, 1, 0xc80000000ULL | PS | (1ULL << 12) },  /* bit 12 of a large entry is PAT */
};

/* 4-level: PGD[273] -> PUD[0] -> PMD[0] -> PTE[256] -> 0x100000 (4K), the direct map */
static const struct synth_entry direct_4k[] = {
	{ 0x1000, 273, 0x5000 | P },
	{ 0x5000, 0, 0x6000 | P },
	{ 0x6000, 0, 0x7000 | P },
	{ 0x7000, 256, 0x100000 | P | VMF_E_NX },
};

static void test_paging_model(void)
{
	struct vmf_paging p4, p5, pae;

	vmf_paging_x86_64(&p4, 4, 0);
	vmf_paging_x86_64(&p5, 5, 0);
	vmf_paging_pae(&pae);
	CHECK(p4.depth == 4 && p5.depth == 5 && pae.depth == 3);
	CHECK_U64(p4.shift[0], 39);
	CHECK_U64(p5.shift[0], 48);
	CHECK_U64(p5.shift[1], 39);
	CHECK_U64(vmf_index(&p4, 0, 0xffffc98000000000ULL), 403);
	CHECK_U64(vmf_index(&p5, 0, 0xff11000000000000ULL), 0x111);
	CHECK_U64(vmf_top_slot_start(&p4, 403), 0xffffc98000000000ULL);
	CHECK_U64(vmf_top_slot_end(&p4, 403), 0xffffc9ffffffffffULL);
	CHECK_U64(vmf_top_slot_start(&p4, 255), 0x00007f8000000000ULL);
	CHECK_U64(vmf_top_kernel_first(&p4), 256);
	CHECK_U64(vmf_top_entries(&pae), 4);
	CHECK_U64(vmf_top_kernel_first(&pae), 3);
	/* non-canonical addresses */
	CHECK(!vmf_is_canonical(&p4, 0x0000800000000000ULL));
	CHECK(!vmf_is_canonical(&p4, 0xffff7fffffffffffULL));
	CHECK(vmf_is_canonical(&p4, 0xffff800000000000ULL));
	CHECK(vmf_is_canonical(&p5, 0xff00000000000000ULL));
	CHECK(!vmf_is_canonical(&p5, 0xfeffffffffffffffULL));
	CHECK(!vmf_is_canonical(&pae, 0x100000000ULL));
	/* naming: 5-level support running 4-level calls the top slot a p4d */
	{
		struct vmf_paging folded;
		vmf_paging_x86_64(&folded, 4, 1);
		CHECK_STR(vmf_top_name(&folded), "p4d");
		CHECK_STR(vmf_top_name(&p4), "pgd");
		CHECK_STR(vmf_top_name(&p5), "pgd");
	}
	{
		char b[96];
		CHECK_STR(vmf_flags_short(0x80000004c00001e3ULL, b, sizeof(b)), "P RW A D PSE G NX");
		CHECK_STR(vmf_flags_crash(0x10001e1ULL, 1, b, sizeof(b)), "(PRESENT|ACCESSED|DIRTY|PSE|GLOBAL)");
		CHECK_STR(vmf_flags_crash(0x260e067ULL, 0, b, sizeof(b)), "(PRESENT|RW|USER|ACCESSED|DIRTY)");
	}
	CHECK_STR(vmf_size_name(vmf_page_size(&p4, 1)), "1G");
	CHECK_STR(vmf_size_name(vmf_page_size(&p4, 2)), "2M");
	CHECK_STR(vmf_size_name(vmf_page_size(&p4, 3)), "4K");
}

static void test_leaf_sizes(void)
{
	struct vmf_paging p;
	struct vmf_walk w;

	vmf_paging_x86_64(&p, 4, 0);
	synth_reset();
	synth_load(text_2m, 3);
	synth_load(ioremap_1g, 2);
	synth_load(direct_4k, 4);

	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffffffff81034567ULL, &w) == VMF_WALK_MAPPED);
	CHECK_U64(w.paddr, 0x1034567);
	CHECK_U64(w.page_size, 2 << 20);
	CHECK(w.nsteps == 3 && w.step[2].kind == VMF_PMD && w.step[2].leaf);
	CHECK_U64(w.step[1].entry_paddr, 0x2000 + 510 * 8);

	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffffc90040001234ULL, &w) == VMF_WALK_MAPPED);
	CHECK_U64(w.paddr, 0xc80001234ULL);   /* the PAT bit is not part of the frame */
	CHECK_U64(w.page_size, 1 << 30);
	CHECK(w.nsteps == 2 && w.step[1].kind == VMF_PUD);

	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffff888000100abcULL, &w) == VMF_WALK_MAPPED);
	CHECK_U64(w.paddr, 0x100abc);
	CHECK_U64(w.page_size, 4096);
	CHECK(w.nsteps == 4 && w.step[3].kind == VMF_PTE);
}

static void test_five_level(void)
{
	/* PGD[0x111] -> P4D[0] -> PUD[3] -> 0x40000000 (1G): 5-level direct map */
	static const struct synth_entry e[] = {
		{ 0x1000, 0x111, 0x2000 | P },
		{ 0x2000, 0, 0x3000 | P },
		{ 0x3000, 3, 0x40000000 | PS },
	};
	struct vmf_paging p;
	struct vmf_walk w;

	vmf_paging_x86_64(&p, 5, 0);
	synth_reset();
	synth_load(e, 3);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xff110000c0000010ULL, &w) == VMF_WALK_MAPPED);
	CHECK_U64(w.paddr, 0x40000010);
	CHECK(w.nsteps == 3);
	CHECK(w.step[0].kind == VMF_PGD && w.step[1].kind == VMF_P4D && w.step[2].kind == VMF_PUD);
	/* a 4-level walk of the same root cannot reach it */
	vmf_paging_x86_64(&p, 4, 0);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xff110000c0000010ULL, &w) == VMF_WALK_NONCANONICAL);
	CHECK(w.nsteps == 0);
}

static void test_pae(void)
{
	/* PDPT[3] -> PMD[5] -> 0x1400000 (2M); PDPT[3] -> PMD[6] -> PTE[1] -> 0x9000 (4K) */
	static const struct synth_entry e[] = {
		{ 0x1000, 3, 0x2000 | VMF_E_P },
		{ 0x2000, 5, 0x1400000 | PS },
		{ 0x2000, 6, 0x3000 | P },
		{ 0x3000, 1, 0x9000 | P },
	};
	struct vmf_paging p;
	struct vmf_walk w;

	vmf_paging_pae(&p);
	synth_reset();
	synth_load(e, 4);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xc0a00123, &w) == VMF_WALK_MAPPED);
	CHECK_U64(w.paddr, 0x1400123);
	CHECK_U64(w.page_size, 2 << 20);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xc0c01456, &w) == VMF_WALK_MAPPED);
	CHECK_U64(w.paddr, 0x9456);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0x00001000, &w) == VMF_WALK_NOT_MAPPED);
	CHECK(w.nsteps == 1 && w.step[0].state == VMF_ENTRY_NOT_PRESENT);
}

static void test_missing_at_each_level(void)
{
	struct vmf_paging p;
	struct vmf_walk w;
	uint64_t va = 0xffff888000100000ULL;

	vmf_paging_x86_64(&p, 4, 0);
	for (int level = 0; level < 4; level++) {
		synth_reset();
		synth_load(direct_4k, 4);
		/* clear P at this level but leave garbage in the other bits */
		synth_load(&(struct synth_entry){ direct_4k[level].table, direct_4k[level].index,
						  (direct_4k[level].value & ~VMF_E_P) | 0x7ff0000000000000ULL }, 1);
		CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, va, &w) == VMF_WALK_NOT_MAPPED);
		CHECK(w.nsteps == level + 1);
		CHECK(w.step[level].state == VMF_ENTRY_NOT_PRESENT);
	}
}

static void test_unreadable_at_each_level(void)
{
	struct vmf_paging p;
	struct vmf_walk w;

	vmf_paging_x86_64(&p, 4, 0);
	for (int level = 0; level < 4; level++) {
		synth_reset();
		synth_load(direct_4k, 4);
		synth_unreadable(direct_4k[level].table, "page excluded from the dump");
		CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffff888000100000ULL, &w) == VMF_WALK_UNREADABLE);
		CHECK(w.nsteps == level + 1);
		CHECK(w.step[level].state == VMF_ENTRY_UNREADABLE);
		CHECK_STR(w.step[level].why, "page excluded from the dump");
	}
	/* a root outside the dump */
	CHECK(vmf_walk_va(&p, &synth_reader, 0x7770000, 0xffff888000100000ULL, &w) == VMF_WALK_UNREADABLE);
	CHECK(strstr(w.step[0].why, "not in the dump") != NULL);
}

static void test_garbage_entries(void)
{
	struct vmf_paging p;
	struct vmf_walk w;

	vmf_paging_x86_64(&p, 4, 0);
	p.max_paddr = 1ULL << 34;      /* 16 GiB of memory */

	/* PSE at the top level is reserved */
	synth_reset();
	synth_load(&(struct synth_entry){ 0x1000, 273, 0x40000000 | PS }, 1);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffff888000000000ULL, &w) == VMF_WALK_BAD_ENTRY);
	CHECK(strstr(w.step[0].why, "reserved") != NULL);

	/* a table beyond the end of memory */
	synth_reset();
	synth_load(&(struct synth_entry){ 0x1000, 273, 0x7ff000000000ULL | P }, 1);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffff888000000000ULL, &w) == VMF_WALK_BAD_ENTRY);
	CHECK(strstr(w.step[0].why, "beyond") != NULL);

	/* a table pointing at itself, and a two-table cycle */
	synth_reset();
	synth_load(&(struct synth_entry){ 0x1000, 273, 0x1000 | P }, 1);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffff888000000000ULL, &w) == VMF_WALK_BAD_ENTRY);
	CHECK(strstr(w.step[0].why, "cycle") != NULL);
	synth_reset();
	synth_load(&(struct synth_entry){ 0x1000, 273, 0x2000 | P }, 1);
	synth_load(&(struct synth_entry){ 0x2000, 0, 0x1000 | P }, 1);
	CHECK(vmf_walk_va(&p, &synth_reader, 0x1000, 0xffff888000000000ULL, &w) == VMF_WALK_BAD_ENTRY);
	CHECK(w.nsteps == 2);
}

struct collected {
	int n, leaves, unreadable, bad;
	uint64_t leaf_va[16], leaf_frame[16];
};

static int collect(void *arg, const struct vmf_step *s, uint64_t lo, uint64_t hi)
{
	struct collected *c = arg;
	(void)hi;
	c->n++;
	if (s->state == VMF_ENTRY_UNREADABLE)
		c->unreadable++;
	else if (s->why[0])
		c->bad++;
	else if (s->leaf && c->leaves < 16) {
		c->leaf_va[c->leaves] = lo;
		c->leaf_frame[c->leaves++] = s->frame;
	}
	return 0;
}

static void test_range_walk(void)
{
	struct vmf_paging p;
	struct vmf_range_stats st;
	struct collected c;

	vmf_paging_x86_64(&p, 4, 0);
	synth_reset();
	synth_load(text_2m, 3);
	synth_load(ioremap_1g, 2);
	synth_load(direct_4k, 4);

	memset(&c, 0, sizeof(c));
	CHECK(vmf_walk_range(&p, &synth_reader, 0x1000, 0xffffc90000000000ULL, 0xffffe8ffffffffffULL,
			     3, 0, collect, &c, &st) == 0);
	CHECK(c.leaves == 1);
	CHECK_U64(c.leaf_va[0], 0xffffc90040000000ULL);
	CHECK_U64(c.leaf_frame[0], 0xc80000000ULL);
	CHECK_U64(st.tables_read, 2);           /* the pgd and one pud table, each once */

	/* the whole address space, including the non-canonical hole */
	memset(&c, 0, sizeof(c));
	CHECK(vmf_walk_range(&p, &synth_reader, 0x1000, 0, ~0ULL, 4, 0, collect, &c, &st) == 0);
	CHECK(c.leaves == 3);

	/* a cycle in a range walk terminates and is reported */
	synth_load(&(struct synth_entry){ 0x4000, 7, 0x1000 | P }, 1);
	memset(&c, 0, sizeof(c));
	vmf_walk_range(&p, &synth_reader, 0x1000, 0xffffc90000000000ULL, 0xffffc97fffffffffULL, 4, 0,
		       collect, &c, &st);
	CHECK(c.bad == 1);

	/* an unreadable table is visited once, with its reason */
	synth_unreadable(0x4000, "page excluded from the dump");
	memset(&c, 0, sizeof(c));
	vmf_walk_range(&p, &synth_reader, 0x1000, 0xffffc90000000000ULL, 0xffffc97fffffffffULL, 4, 0,
		       collect, &c, &st);
	CHECK(c.unreadable == 1);
	CHECK_U64(st.unreadable, 1);

	/* the table budget stops the walk and says so */
	memset(&c, 0, sizeof(c));
	CHECK(vmf_walk_range(&p, &synth_reader, 0x1000, 0, ~0ULL, 4, 2, collect, &c, &st) == -1);
	CHECK(st.limited);
}

static void test_compare_and_audit(void)
{
	struct vmf_paging p;
	struct vmf_audit *a = calloc(1, sizeof(*a));
	struct vmf_top *t = calloc(1, sizeof(*t));

	vmf_paging_x86_64(&p, 4, 0);
	synth_reset();
	/* init_mm at 0x1000; mm A 0x10000 lacks 403; mm B 0x11000 differs in 273 and has an extra 300 */
	synth_load((struct synth_entry[]){
		{ 0x1000, 273, 0x5000 | P }, { 0x1000, 403, 0x4000 | P }, { 0x1000, 511, 0x2000 | P },
		{ 0x10000, 273, 0x5000 | P | VMF_E_D }, { 0x10000, 511, 0x2000 | VMF_E_P | VMF_E_RW },
		{ 0x11000, 273, 0x9000 | P }, { 0x11000, 403, 0x4000 | P }, { 0x11000, 511, 0x2000 | P },
		{ 0x11000, 300, 0x8000 | P }, { 0x11000, 1, 0x6000 | P | VMF_E_US },
	}, 10);
	vmf_audit_init(a, &p);
	CHECK(vmf_read_top(&p, &synth_reader, 0x1000, &a->ref) == 0);
	CHECK(a->ref.readable);

	vmf_read_top(&p, &synth_reader, 0x10000, t);
	CHECK(vmf_compare_slot(&a->ref, t, 273) == VMF_SLOT_SAME);        /* D bit only */
	CHECK(vmf_compare_slot(&a->ref, t, 511) == VMF_SLOT_SAME);        /* A bit only */
	CHECK(vmf_compare_slot(&a->ref, t, 403) == VMF_SLOT_MISSING);
	CHECK(vmf_compare_slot(&a->ref, t, 400) == VMF_SLOT_SAME);        /* both empty */
	CHECK(vmf_audit_add(a, t) == 1);

	vmf_read_top(&p, &synth_reader, 0x11000, t);
	CHECK(vmf_compare_slot(&a->ref, t, 273) == VMF_SLOT_DIFFERENT);
	CHECK(vmf_compare_slot(&a->ref, t, 300) == VMF_SLOT_EXTRA);
	CHECK(vmf_audit_add(a, t) == 2);          /* slot 1 is user half: not audited */

	CHECK(vmf_read_top(&p, &synth_reader, 0x99000, t) == -1);
	CHECK(!t->readable && strstr(t->why, "not in the dump"));
	CHECK(vmf_compare_slot(&a->ref, t, 403) == VMF_SLOT_UNREADABLE);
	CHECK(vmf_audit_add(a, t) == -1);

	CHECK_U64(a->mms, 3);
	CHECK_U64(a->unreadable_mms, 1);
	CHECK_U64(a->missing[403], 1);
	CHECK_U64(a->different[273], 1);
	CHECK_U64(a->extra[300], 1);
	CHECK_U64(a->missing[511], 0);
	CHECK_STR(vmf_slot_cmp_name(VMF_SLOT_MISSING), "missing");
	free(a);
	free(t);
}

/* ptwalk's text for va walked from two top-level tables (the caller frees it) */
static char *walk_pair_text(const struct vmf_paging *p, uint64_t root_a, uint64_t va_a, uint64_t root_b,
			    uint64_t va_b)
{
	struct vmf_walk a, b;
	char *text;
	size_t len;
	FILE *f;

	vmf_walk_va(p, &synth_reader, root_a, va_a, &a);
	vmf_walk_va(p, &synth_reader, root_b, va_b, &b);
	b.vaddr = a.vaddr;
	f = open_memstream(&text, &len);
	vmf_print_walk_pair(f, p, "task", &a, "init_mm", &b);
	fclose(f);
	return text;
}

/* ptwalk's first line sums both walks up: never "differ" above "agree at every level" */
static void test_walk_pair_summary(void)
{
	struct vmf_paging p;
	char *t;

	vmf_paging_x86_64(&p, 4, 0);
	synth_reset();
	synth_load(direct_4k, 4);
	synth_load(&(struct synth_entry){ 0x20000, 273, 0x5000 | P }, 1);   /* a second top level, same path */

	t = walk_pair_text(&p, 0x1000, 0xffff888000100000ULL, 0x20000, 0xffff888000100000ULL);
	CHECK(strstr(t, "same translation in both") && strstr(t, "agree at every level"));
	free(t);
	t = walk_pair_text(&p, 0x1000, 0xffffc90000000000ULL, 0x20000, 0xffffc90000000000ULL);   /* empty slot */
	CHECK(strstr(t, "NOT_MAPPED in both") && !strstr(t, "translations differ"));
	CHECK(strstr(t, "agree at every level") != NULL);
	free(t);
	t = walk_pair_text(&p, 0x1000, 0xffff888000100000ULL, 0x20000, 0xffffc90000000000ULL);
	CHECK(strstr(t, "translations differ") && strstr(t, "* marks the levels"));
	free(t);
	t = walk_pair_text(&p, 0x1000, 0x0000800000000000ULL, 0x20000, 0x0000800000000000ULL);   /* not canonical */
	CHECK(strstr(t, "not a canonical address") && !strstr(t, "agree at every level"));
	free(t);
	t = walk_pair_text(&p, 0x1000, 0x00007fffffffe000ULL, 0x20000, 0x00007fffffffe000ULL);   /* user half */
	CHECK(strstr(t, "a user address") != NULL);
	free(t);
}

int main(void)
{
	test_paging_model();
	test_leaf_sizes();
	test_five_level();
	test_pae();
	test_missing_at_each_level();
	test_unreadable_at_each_level();
	test_garbage_entries();
	test_range_walk();
	test_compare_and_audit();
	test_walk_pair_summary();
	return CHECK_DONE();
}
