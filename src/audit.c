/*
 * audit.c - top-level tables of mms against init_mm's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_audit.h"

/* The CPU sets Accessed (and Dirty) in each copy on its own: not a difference. */
#define HW_SET_BITS (VMF_E_A | VMF_E_D)

int vmf_read_top(const struct vmf_paging *p, const struct vmf_reader *r, uint64_t root,
		 struct vmf_top *t)
{
	unsigned n = vmf_top_entries(p);

	memset(t, 0, sizeof(*t));
	t->root = root;
	if (r->read_phys(r->ctx, root, t->entry, (size_t)n * 8, t->why, sizeof(t->why))) {
		if (!t->why[0])
			snprintf(t->why, sizeof(t->why), "unreadable");
		memset(t->entry, 0, sizeof(t->entry));
		t->readable = 0;
		return -1;
	}
	t->readable = 1;
	return 0;
}

enum vmf_slot_cmp vmf_compare_slot(const struct vmf_top *ref, const struct vmf_top *mm,
				   unsigned slot)
{
	uint64_t a, b;

	if (!mm->readable || !ref->readable)
		return VMF_SLOT_UNREADABLE;
	a = ref->entry[slot];
	b = mm->entry[slot];
	if (!(a & VMF_E_P) && !(b & VMF_E_P))
		return VMF_SLOT_SAME;
	if (!(b & VMF_E_P))
		return VMF_SLOT_MISSING;
	if (!(a & VMF_E_P))
		return VMF_SLOT_EXTRA;
	return ((a ^ b) & ~HW_SET_BITS) ? VMF_SLOT_DIFFERENT : VMF_SLOT_SAME;
}

const char *vmf_slot_cmp_name(enum vmf_slot_cmp c)
{
	static const char *const n[] = { "same", "missing", "different", "extra", "unreadable" };
	return (unsigned)c < sizeof(n) / sizeof(n[0]) ? n[c] : "?";
}

void vmf_audit_init(struct vmf_audit *a, const struct vmf_paging *p)
{
	memset(a, 0, sizeof(*a));
	a->p = p;
	a->first_slot = vmf_top_kernel_first(p);
	a->last_slot = vmf_top_entries(p) - 1;
}

/* Tally one readable mm's kernel half, telling deviation (if any) of each slot that deviates. */
static int compare_mm_slots(struct vmf_audit *a, const struct vmf_top *mm, size_t index,
			    vmf_deviation_fn deviation, void *arg)
{
	unsigned s;
	int deviations = 0;

	for (s = a->first_slot; s <= a->last_slot; s++) {
		enum vmf_slot_cmp cmp = vmf_compare_slot(&a->ref, mm, s);

		switch (cmp) {
		case VMF_SLOT_MISSING: a->missing[s]++; break;
		case VMF_SLOT_DIFFERENT: a->different[s]++; break;
		case VMF_SLOT_EXTRA: a->extra[s]++; break;
		default: continue;
		}
		deviations++;
		if (deviation)
			deviation(arg, index, s, cmp, mm->entry[s], NULL);
	}
	return deviations;
}

int vmf_audit_add(struct vmf_audit *a, const struct vmf_top *mm)
{
	a->mms++;
	if (!mm->readable) {
		a->unreadable_mms++;
		return -1;
	}
	return compare_mm_slots(a, mm, 0, NULL, NULL);
}

int vmf_audit_mms(struct vmf_audit *a, const struct vmf_reader *r, const struct vmf_mm_ref *mms,
		  size_t nmms, vmf_deviation_fn deviation, void *arg)
{
	struct vmf_top *t = malloc(sizeof(*t));
	size_t i;

	if (!t)
		return -1;
	for (i = 0; i < nmms; i++) {
		vmf_read_top(a->p, r, mms[i].pgd_pa, t);
		a->mms++;
		if (t->readable) {
			compare_mm_slots(a, t, i, deviation, arg);
			continue;
		}
		a->unreadable_mms++;
		if (deviation)
			deviation(arg, i, a->first_slot, VMF_SLOT_UNREADABLE, 0, t->why);
	}
	free(t);
	return 0;
}

/* ---- the deviations of an audit, for ptaudit -v ------------------------------------ */

void vmf_deviations_init(struct vmf_deviations *dv, size_t max)
{
	memset(dv, 0, sizeof(*dv));
	dv->max = max;
}

static int grow(void **array, size_t *cap, size_t used, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 256;
	void *bigger;

	if (used < *cap)
		return 0;
	bigger = realloc(*array, n * elem);
	if (!bigger)
		return -1;
	*array = bigger;
	*cap = n;
	return 0;
}

void vmf_deviation_keep(void *arg, size_t mm, unsigned slot, enum vmf_slot_cmp cmp, uint64_t entry,
			const char *why)
{
	struct vmf_deviations *dv = arg;
	struct vmf_deviation *d;

	if (dv->n == dv->max || dv->out_of_memory || grow((void **)&dv->d, &dv->cap, dv->n, sizeof(*dv->d))) {
		dv->out_of_memory |= dv->n < dv->max;
		dv->not_kept++;
		return;
	}
	if (cmp == VMF_SLOT_UNREADABLE) {
		if (grow((void **)&dv->why, &dv->whycap, dv->nwhy, sizeof(*dv->why))) {
			dv->out_of_memory = 1;
			dv->not_kept++;
			return;
		}
		snprintf(dv->why[dv->nwhy], sizeof(dv->why[0]), "%s", why ? why : "unreadable");
		entry = dv->nwhy++;
	}
	d = &dv->d[dv->n++];
	d->mm = (uint32_t)mm;
	d->slot = (uint16_t)slot;
	d->cmp = (uint8_t)cmp;
	d->entry = entry;
}

void vmf_deviations_free(struct vmf_deviations *dv)
{
	free(dv->d);
	free(dv->why);
	memset(dv, 0, sizeof(*dv));
}
