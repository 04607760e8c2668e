/*
 * list.c - the bounded, cycle-checked list walk (vmf_list.h).
 */
#include <stdio.h>
#include <string.h>
#include "vmf_list.h"

void vmf_list_begin(struct vmf_list *l, const char *name, const char *unit, uint64_t head,
		    uint64_t first, unsigned long max)
{
	memset(l, 0, sizeof(*l));
	l->name = name;
	l->unit = unit;
	l->head = head;
	l->pos = first;
	l->max = max;
	l->saved = first;
	l->power = l->lam = 1;
}

/*
 * Brent's cycle detection: a damaged list that loops without coming back to
 * its head is caught within two laps of the loop, instead of after max reads.
 */
static int loops(struct vmf_list *l)
{
	if (l->pos == l->saved)
		return 1;
	if (l->lam == l->power) {
		l->saved = l->pos;
		l->power <<= 1;
		l->lam = 0;
	}
	l->lam++;
	return 0;
}

int vmf_list_next(struct vmf_list *l)
{
	if (l->end != VMF_LIST_MORE)
		return 0;
	if (l->pos == l->head) {
		l->end = VMF_LIST_DONE;
		return 0;
	}
	if (l->visited >= l->max) {
		l->end = VMF_LIST_TOO_LONG;
		snprintf(l->why, sizeof(l->why), "%s longer than %lu: stopped there", l->name, l->max);
		return 0;
	}
	if (l->visited && loops(l)) {
		l->end = VMF_LIST_LOOPS;
		snprintf(l->why, sizeof(l->why), "%s loops%s: stopped after %lu %s", l->name,
			 l->head ? " without returning to its head" : "", l->visited, l->unit);
		return 0;
	}
	return 1;
}

void vmf_list_advance(struct vmf_list *l, uint64_t next)
{
	l->visited++;
	l->pos = next;
}

void vmf_list_broken(struct vmf_list *l, const char *what)
{
	l->end = VMF_LIST_BROKEN;
	snprintf(l->why, sizeof(l->why), "%s after %lu %s: stopped there", what, l->visited, l->unit);
}
