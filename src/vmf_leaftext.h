/*
 * vmf_leaftext.h - text only: what the oops says of the large leaf's level
 * (leaftext.c measures; diag.c turns the clues into facts).
 */
#ifndef VMF_LEAFTEXT_H
#define VMF_LEAFTEXT_H

#include "vmf_oops.h"
#include "vmf_fixwindow.h"

enum vmf_leaf_guess { VMF_LEAF_UNDECIDED, VMF_LEAF_PUD, VMF_LEAF_PMD, VMF_LEAF_NEITHER };

struct vmf_leaf_clues {
	enum vmf_leaf_guess guess;
	char why[230];             /* the clue that decided, or why none did */
	char entry[120];           /* a register holding the leaf entry, "" if none */
};

/*
 * The clues of a vmalloc_fault oops at a kernel address: the fault address
 * modulo 1 GiB, a register holding the leaf entry, the oops' page-table line,
 * and before v4.8 a register holding the address being synced.
 */
void vmf_leaf_clues_from_text(const struct vmf_oops *o, const struct vmf_version *ver, struct vmf_leaf_clues *c);

#endif
