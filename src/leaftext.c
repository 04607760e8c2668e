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
#include "vmf_leaftext.h"

#define SZ_2M  (1ULL << 21)
#define SZ_1G  (1ULL << 30)
#define E_PRESENT 0x1ULL
#define E_PSE     0x80ULL
#define E_FRAME   0x000fffffffffe000ULL   /* bits 13-51: bit 12 is the large PAT bit */

/* 4-level vmalloc/ioremap space before RANDOMIZE_MEMORY (Documentation/x86/x86_64/mm.txt) */
#define FIXED_VMALLOC_START 0xffffc90000000000ULL
#define FIXED_VMALLOC_END   0xffffe90000000000ULL


/* A register that holds the leaf entry: present, PSE, the fault's frame modulo 1 GiB. */
static void entry_register(const struct vmf_oops *o, uint64_t frame_mod_1g, struct vmf_leaf_clues *c)
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
static void index_register(const struct vmf_oops *o, const struct vmf_version *ver, struct vmf_leaf_clues *c)
{
	unsigned idx = (unsigned)((o->fault_addr & 0xfff) >> 3);
	enum vmf_leaf_guess found = VMF_LEAF_UNDECIDED;
	char why[sizeof(c->why)] = "";
	int r;

	if (!ver->ok || ver->major > 4 || (ver->major == 4 && ver->minor >= 8))
		return;
	for (r = VMF_REG_RAX; r <= VMF_REG_R15; r++) {
		uint64_t a;
		unsigned pmd_i, pte_i;
		enum vmf_leaf_guess g;
		if (r == VMF_REG_RSP || !vmf_oops_reg(o, (enum vmf_reg)r, &a) ||
		    a < FIXED_VMALLOC_START || a >= FIXED_VMALLOC_END)
			continue;
		pmd_i = (unsigned)((a >> 21) & 511);
		pte_i = (unsigned)((a >> 12) & 511);
		if ((idx == pmd_i) == (idx == pte_i))
			continue;
		g = idx == pmd_i ? VMF_LEAF_PUD : VMF_LEAF_PMD;
		if (found != VMF_LEAF_UNDECIDED && found != g)
			return;                    /* two registers disagree: no decision */
		if (found == g)
			continue;                  /* the first register that shows it is named */
		found = g;
		snprintf(why, sizeof(why), "%s %016" PRIx64 " is a vmalloc address (fixed layout before v4.8) whose "
			 "%s is the fault's index %u", vmf_reg_name((enum vmf_reg)r), a,
			 g == VMF_LEAF_PUD ? "pmd_index" : "pte_index", idx);
	}
	if (found != VMF_LEAF_UNDECIDED) {
		c->guess = found;
		snprintf(c->why, sizeof(c->why), "%s", why);
	}
}

void vmf_leaf_clues_from_text(const struct vmf_oops *o, const struct vmf_version *ver, struct vmf_leaf_clues *c)
{
	uint64_t frame_mod_1g = (o->fault_addr & (SZ_1G - 1)) & ~0x1fffULL;

	memset(c, 0, sizeof(*c));
	entry_register(o, frame_mod_1g, c);
	if (frame_mod_1g & (SZ_2M - 1)) {
		c->guess = VMF_LEAF_NEITHER;
		snprintf(c->why, sizeof(c->why), "the fault's page is %" PRIx64 " past a 2 MiB boundary: the "
			 "frame of no large leaf (__va(frame) + index * 8)", (uint64_t)(frame_mod_1g & (SZ_2M - 1)));
	} else if (frame_mod_1g) {
		c->guess = VMF_LEAF_PMD;
		snprintf(c->why, sizeof(c->why), "the frame is %" PRIx64 " past a 1 GiB boundary (the direct map "
			 "starts on one, KASLR or not): a 2 MiB pmd's, never a 1 GiB pud's", frame_mod_1g);
	} else if (o->pt[VMF_PUD].printed && o->pt[VMF_PUD].value && o->pt[VMF_PMD].printed) {
		c->guess = VMF_LEAF_PMD;
		snprintf(c->why, sizeof(c->why), "the oops' walk found a pud table (PUD %" PRIx64 ") over the "
			 "fault's gigabyte: part of it is RAM, which a 1 GiB ioremap leaf cannot cover",
			 o->pt[VMF_PUD].value);
	} else {
		index_register(o, ver, c);
		if (c->guess == VMF_LEAF_UNDECIDED)
			snprintf(c->why, sizeof(c->why), "the frame is 1 GiB aligned (a pud's, or a pmd's that "
				 "happens to be); no register or page-table line tells which");
	}
}
