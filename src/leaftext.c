/*
 * leaftext.c - text only: was the large leaf a 1 GiB pud or a 2 MiB pmd?
 *
 * Before f4eafd8bcd52, vmalloc_fault() read a leaf as a table: pmd_offset() of
 * a leaf pud, pte_offset_kernel() of a leaf pmd, both __va(entry & PTE_PFN_MASK)
 * + index * 8.  So the fault's page is the leaf's frame, give or take bit 12:
 * PTE_PFN_MASK keeps it and a large leaf keeps its PAT bit there
 * (_PAGE_PAT_LARGE).  The direct map starts on a 1 GiB boundary: __PAGE_OFFSET,
 * or under RANDOMIZE_MEMORY (0483e1fa6e09, v4.8) page_offset_base, chosen in
 * kernel_randomize_memory() as "entropy = (rand % (entropy + 1)) & PUD_MASK"
 * from __PAGE_OFFSET_BASE (arch/x86/mm/kaslr.c).  The fault address modulo
 * 1 GiB is therefore the frame's, KASLR or not:
 *   - not 2 MiB aligned: no large leaf's frame, neither signature fits;
 *   - 2 MiB but not 1 GiB aligned: a pmd's frame, never a pud's;
 *   - 1 GiB aligned: either, unless another clue decides.
 * Other clues: the oops' own walk of the fault address (a pud table over that
 * gigabyte means part of it is RAM, which a 1 GiB ioremap leaf cannot cover:
 * ioremap refuses RAM), a register holding the leaf entry itself (present, PSE,
 * the fault's frame: it confirms a large leaf, and names a pmd when its frame is
 * not 1 GiB aligned), and, where the layout is fixed (before v4.8), a register
 * holding the vmalloc address being synced: the fault's index is its pmd_index
 * for a pud leaf, its pte_index for a pmd leaf.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "vmf_diag.h"

#define SZ_2M  (1ULL << 21)
#define SZ_1G  (1ULL << 30)
#define E_PRESENT 0x1ULL
#define E_PSE     0x80ULL
#define E_FRAME   0x000fffffffffe000ULL   /* bits 13-51: bit 12 is the large PAT bit */

/* 4-level vmalloc/ioremap space before RANDOMIZE_MEMORY (Documentation/x86/x86_64/mm.txt) */
#define FIXED_VMALLOC_START 0xffffc90000000000ULL
#define FIXED_VMALLOC_END   0xffffe90000000000ULL

enum leaf_guess { LEAF_UNDECIDED, LEAF_PUD, LEAF_PMD, LEAF_NEITHER };

struct leaf_clues {
	enum leaf_guess guess;
	char why[230];             /* the clue that decided, or why none did */
	char entry[120];           /* a register holding the leaf entry, "" if none */
};

/* A register that holds the leaf entry: present, PSE, the fault's frame modulo 1 GiB. */
static void entry_register(const struct vmf_oops *o, uint64_t frame_mod_1g, struct leaf_clues *c)
{
	int r;

	for (r = VMF_REG_RAX; r <= VMF_REG_R15; r++) {
		uint64_t v;
		if (r == VMF_REG_RSP || !vmf_oops_reg(o, (enum vmf_reg)r, &v))
			continue;
		if ((v & (E_PRESENT | E_PSE)) != (E_PRESENT | E_PSE) || ((v & E_FRAME) & (SZ_1G - 1)) != frame_mod_1g)
			continue;
		snprintf(c->entry, sizeof(c->entry), "%s %016" PRIx64 " holds the leaf entry itself (PSE, "
			 "frame %" PRIx64 ")", vmf_reg_name((enum vmf_reg)r), v, (uint64_t)(v & E_FRAME));
		return;
	}
}

/* Before v4.8 the layout is fixed: a register in vmalloc space is the address being synced. */
static void index_register(const struct vmf_oops *o, const struct vmf_version *ver, struct leaf_clues *c)
{
	unsigned idx = (unsigned)((o->fault_addr & 0xfff) >> 3);
	enum leaf_guess found = LEAF_UNDECIDED;
	char why[sizeof(c->why)] = "";
	int r;

	if (!ver->ok || ver->major > 4 || (ver->major == 4 && ver->minor >= 8))
		return;
	for (r = VMF_REG_RAX; r <= VMF_REG_R15; r++) {
		uint64_t a;
		unsigned pmd_i, pte_i;
		enum leaf_guess g;
		if (r == VMF_REG_RSP || !vmf_oops_reg(o, (enum vmf_reg)r, &a) ||
		    a < FIXED_VMALLOC_START || a >= FIXED_VMALLOC_END)
			continue;
		pmd_i = (unsigned)((a >> 21) & 511);
		pte_i = (unsigned)((a >> 12) & 511);
		if ((idx == pmd_i) == (idx == pte_i))
			continue;
		g = idx == pmd_i ? LEAF_PUD : LEAF_PMD;
		if (found != LEAF_UNDECIDED && found != g)
			return;                    /* two registers disagree: no decision */
		if (found == g)
			continue;                  /* the first register that shows it is named */
		found = g;
		snprintf(why, sizeof(why), "%s %016" PRIx64 " is a vmalloc address (fixed layout before v4.8) whose "
			 "%s is the fault's index %u", vmf_reg_name((enum vmf_reg)r), a,
			 g == LEAF_PUD ? "pmd_index" : "pte_index", idx);
	}
	if (found != LEAF_UNDECIDED) {
		c->guess = found;
		snprintf(c->why, sizeof(c->why), "%s", why);
	}
}

static void decide(const struct vmf_report *r, struct leaf_clues *c)
{
	const struct vmf_oops *o = &r->ev.oops;
	uint64_t frame_mod_1g = (o->fault_addr & (SZ_1G - 1)) & ~0x1fffULL;

	memset(c, 0, sizeof(*c));
	entry_register(o, frame_mod_1g, c);
	if (frame_mod_1g & (SZ_2M - 1)) {
		c->guess = LEAF_NEITHER;
		snprintf(c->why, sizeof(c->why), "the fault's page is %" PRIx64 " past a 2 MiB boundary: the "
			 "frame of no large leaf (__va(frame) + index * 8)", (uint64_t)(frame_mod_1g & (SZ_2M - 1)));
	} else if (frame_mod_1g) {
		c->guess = LEAF_PMD;
		snprintf(c->why, sizeof(c->why), "the frame is %" PRIx64 " past a 1 GiB boundary (the direct map "
			 "starts on one, KASLR or not): a 2 MiB pmd's, never a 1 GiB pud's", frame_mod_1g);
	} else if (o->pt[VMF_PUD].printed && o->pt[VMF_PUD].value && o->pt[VMF_PMD].printed) {
		c->guess = LEAF_PMD;
		snprintf(c->why, sizeof(c->why), "the oops' walk found a pud table (PUD %" PRIx64 ") over the "
			 "fault's gigabyte: part of it is RAM, which a 1 GiB ioremap leaf cannot cover",
			 o->pt[VMF_PUD].value);
	} else {
		index_register(o, &r->ev.kernel.version, c);
		if (c->guess == LEAF_UNDECIDED)
			snprintf(c->why, sizeof(c->why), "the frame is 1 GiB aligned (a pud's, or a pmd's that "
				 "happens to be); no register or page-table line tells which");
	}
}

void vmf_leaf_from_text(struct vmf_report *r)
{
	const struct vmf_oops *o = &r->ev.oops;
	struct leaf_clues c;
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
	decide(r, &c);
	snprintf(detail, sizeof(detail), "%s%s%s", c.why, c.entry[0] ? "; " : "", c.entry);
	vmf_set_fact(r, VMF_C_LEAF_UNDECIDED, c.guess == LEAF_UNDECIDED ? VMF_TRUE : VMF_FALSE, "%s", detail);
	if (c.guess == LEAF_PMD || c.guess == LEAF_NEITHER)
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_FALSE, "text: %s", c.why);
	if (c.guess == LEAF_PUD || c.guess == LEAF_NEITHER)
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_FALSE, "text: %s", c.why);
	if (c.guess == LEAF_PMD)
		vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_UNKNOWN, "the text points to a 2 MiB pmd leaf; the table "
			     "itself is not in the log%s%s", c.entry[0] ? ": " : "", c.entry);
	if (c.guess == LEAF_PUD)
		vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_UNKNOWN, "the text points to a 1 GiB pud leaf; the table "
			     "itself is not in the log%s%s", c.entry[0] ? ": " : "", c.entry);
}
