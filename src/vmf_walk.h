/*
 * vmf_walk.h - walking page tables: one address level by level (ptwalk), and
 * every table under a range (ptdump style: the walker knows nothing about output).
 * Never more than one read per table; an unreadable table is a step with its reason.
 */
#ifndef VMF_WALK_H
#define VMF_WALK_H

#include "vmf_pt.h"

enum vmf_entry_state {
	VMF_ENTRY_PRESENT = 0,
	VMF_ENTRY_NOT_PRESENT,
	VMF_ENTRY_UNREADABLE,
};

struct vmf_step {
	enum vmf_level kind;
	int depth;                 /* 0 = top */
	uint64_t table;            /* physical address of the table page */
	unsigned index;
	uint64_t entry_paddr;      /* table + index * 8 */
	uint64_t entry;            /* raw value; meaningless when UNREADABLE */
	enum vmf_entry_state state;
	int leaf;                  /* present and maps memory (PSE, or a pte) */
	uint64_t page_size;        /* for a leaf */
	uint64_t frame;            /* next table, or the page for a leaf */
	char why[96];              /* reason when UNREADABLE or the entry is bad */
};

enum vmf_walk_result {
	VMF_WALK_MAPPED = 0,
	VMF_WALK_NOT_MAPPED,       /* a level is not present: last step says which */
	VMF_WALK_UNREADABLE,       /* a table could not be read: last step says why */
	VMF_WALK_NONCANONICAL,     /* no step taken */
	VMF_WALK_BAD_ENTRY,        /* reserved bits, frame beyond memory, PSE where none exists, self-reference */
};

struct vmf_walk {
	uint64_t vaddr;
	uint64_t root;             /* physical address of the top table */
	int nsteps;
	struct vmf_step step[VMF_MAX_DEPTH];
	enum vmf_walk_result result;
	uint64_t paddr;            /* when MAPPED */
	uint64_t page_size;        /* when MAPPED */
};

/* Returns result (also stored in w->result). Never reads more than one entry per level. */
enum vmf_walk_result vmf_walk_va(const struct vmf_paging *p, const struct vmf_reader *r,
				 uint64_t root, uint64_t vaddr, struct vmf_walk *w);
const char *vmf_walk_result_name(enum vmf_walk_result res);

/* ---- range walker ---------------------------------------------------- */

/*
 * Called for every present, unreadable or bad entry met while walking [start, end]
 * (not for not-present ones).  va_start/va_end: the range the entry covers.
 * Return nonzero to stop the walk.
 */
typedef int (*vmf_visit_fn)(void *arg, const struct vmf_step *s,
			    uint64_t va_start, uint64_t va_end);

struct vmf_range_stats {
	uint64_t entries_read;     /* entries examined */
	uint64_t tables_read;      /* table pages read */
	uint64_t unreadable;       /* tables that could not be read */
	int stopped;               /* visit returned nonzero */
	int limited;               /* hit max_tables: the walk is incomplete */
};

/*
 * Walk every table under root covering [start, end], down to max_depth levels
 * (1 = top level only).  Each table page is read once, whole.  max_tables bounds the
 * work (0 = 1<<20).  Returns 0, or -1 if the walk stopped early (see stats).
 */
int vmf_walk_range(const struct vmf_paging *p, const struct vmf_reader *r, uint64_t root,
		   uint64_t start, uint64_t end, int max_depth, uint64_t max_tables,
		   vmf_visit_fn visit, void *arg, struct vmf_range_stats *stats);

#endif
