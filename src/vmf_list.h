/*
 * vmf_list.h - one bounded walk for every kernel list the engine follows
 * (init_task.tasks, pgd_list, vmap_area_list, the iomem resource tree, and the
 * direct engine's modules list): a cap on the steps, Brent's cycle check, and
 * the reason it stopped, in one place.
 *
 *	vmf_list_begin(&l, "init_task.tasks", "tasks", head, first, VMF_LIST_MAX);
 *	while (vmf_list_next(&l)) {
 *		... read the entry at l.pos; on failure: vmf_list_broken(&l, "... unreadable"); break;
 *		vmf_list_advance(&l, next);
 *	}
 *	if (l.end != VMF_LIST_DONE) ... l.why says where and why it stopped
 *
 * The iterator reads nothing itself: a caller reads each entry once, in one
 * read with the link and the fields it needs.
 */
#ifndef VMF_LIST_H
#define VMF_LIST_H

#include <stdint.h>

#define VMF_LIST_MAX (1UL << 20)    /* no kernel list the engine walks is longer than this */

enum vmf_list_end {
	VMF_LIST_MORE = 0,          /* still walking */
	VMF_LIST_DONE,              /* back at the head (or at NULL): the whole list */
	VMF_LIST_TOO_LONG,          /* the step cap */
	VMF_LIST_LOOPS,             /* a cycle that does not pass the head */
	VMF_LIST_BROKEN,            /* an entry could not be read (vmf_list_broken) */
};

struct vmf_list {
	const char *name;           /* "init_task.tasks": names the list in the reason */
	const char *unit;           /* "tasks": what the steps are, in the reason */
	uint64_t head;              /* a list_head list ends back here; 0: NULL-terminated */
	uint64_t pos;               /* the current entry's link */
	unsigned long visited;      /* entries handed out and advanced past */
	unsigned long max;
	uint64_t saved;             /* Brent: the position a lap is measured from */
	unsigned long power, lam;
	enum vmf_list_end end;
	char why[160];
};

void vmf_list_begin(struct vmf_list *l, const char *name, const char *unit, uint64_t head,
		    uint64_t first, unsigned long max);
/* 1: l->pos is an entry to visit; 0: the walk is over (l->end, l->why). */
int vmf_list_next(struct vmf_list *l);
/* Done with the entry at l->pos; its link says the next one is at next. */
void vmf_list_advance(struct vmf_list *l, uint64_t next);
/* The walk cannot go on at l->pos: "<what> after N <unit>: stopped there" ("task_struct X unreadable"). */
void vmf_list_broken(struct vmf_list *l, const char *what);

#endif
