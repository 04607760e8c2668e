/*
 * mmlist.c - every mm but init_mm, from the kernel's own lists, and their names.
 *
 * x86 puts every pgd but init_mm's on pgd_list (pgd_ctor -> pgd_list_add, which
 * links the pgd's struct page through page.lru), whether or not a task still
 * uses it: the audit's list.  page.pt_mm (page.index before v4.18: see struct
 * vmf_offsets) says whose pgd it is.  Without pgd_list, the unique mms of
 * init_task.tasks.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_kview.h"
#include "vmf_list.h"
#include "kview_internal.h"

/* The member of a pgd's struct page that holds its mm: pt_mm, or index before v4.18. */
static long page_mm_member(const struct vmf_offsets *o)
{
	return o->page_pt_mm >= 0 ? o->page_pt_mm : o->page_index;
}

static int cmp_task_mm(const void *a, const void *b)
{
	const struct kv_task *x = a, *y = b;

	return x->mm < y->mm ? -1 : x->mm > y->mm;
}

static int cmp_mm_pgd(const void *a, const void *b)
{
	const struct vmf_mm_ref *x = a, *y = b;

	return x->pgd_pa < y->pgd_pa ? -1 : x->pgd_pa > y->pgd_pa;
}

/* The task list sorted by mm, for naming mms: read once, only when names are wanted. */
struct namer {
	int walked;
	int rc;                    /* kv_tasks': -1 when the list could not be read at all */
	struct kv_task_list tl;
};

static void namer_read(const struct vmf_kview *kv, struct namer *nm)
{
	if (nm->walked)
		return;
	nm->walked = 1;
	nm->rc = kv_tasks(kv, &nm->tl);
	if (nm->tl.n)
		qsort(nm->tl.t, nm->tl.n, sizeof(*nm->tl.t), cmp_task_mm);
}

static void name_from_tasks(const struct namer *nm, struct vmf_mm_ref *m)
{
	struct kv_task key, *t = NULL;

	key.mm = m->mm;
	if (nm && nm->walked && m->mm && nm->tl.n)
		t = bsearch(&key, nm->tl.t, nm->tl.n, sizeof(*nm->tl.t), cmp_task_mm);
	m->pid = t ? t->pid : -1;
	snprintf(m->comm, sizeof(m->comm), "%s", t ? t->comm : "");
}

static int add_mm(struct vmf_mm_list *ml, uint64_t mm, uint64_t pgd_pa, const struct namer *nm)
{
	struct vmf_mm_ref *m;

	if (kv_grow((void **)&ml->mms, &ml->cap, ml->n, sizeof(*ml->mms)))
		return -1;
	m = &ml->mms[ml->n++];
	m->mm = mm;
	m->pgd_pa = pgd_pa;
	name_from_tasks(nm, m);
	return 0;
}

/*
 * struct page -> physical address.  x86-64 kernels use SPARSEMEM_VMEMMAP, where
 * this is arithmetic on the vmemmap array: no search of the memory sections.
 */
static int page_to_phys(const struct vmf_kview *kv, uint64_t page, uint64_t *pa)
{
	uint64_t base = kv->regions.vmemmap_start, size = (uint64_t)kv->off.page_size;

	if (kv->off.page_size <= 0 || !base || page < base || page >= kv->regions.vmemmap_end ||
	    (page - base) % size)
		return -1;
	*pa = (page - base) / size << 12;
	return 0;
}

/* Entries read before a loop was caught may repeat: count each pgd once. */
static void drop_repeats(struct vmf_mm_list *ml)
{
	size_t k, u = 0;

	qsort(ml->mms, ml->n, sizeof(*ml->mms), cmp_mm_pgd);
	for (k = 0; k < ml->n; k++)
		if (!u || ml->mms[k].pgd_pa != ml->mms[u - 1].pgd_pa)
			ml->mms[u++] = ml->mms[k];
	ml->n = u;
}

/* The struct page span holding lru.next and pt_mm: one read per pgd. */
static int page_span(const struct vmf_offsets *o, long *lo, long *len)
{
	long mm = page_mm_member(o), hi;

	*lo = mm >= 0 && mm < o->page_lru ? mm : o->page_lru;
	hi = mm > o->page_lru ? mm : o->page_lru;
	*len = hi + 8 - *lo;
	return *len <= 256 ? 0 : -1;
}

/* pgd_list: 1 walked (ml->why where it stopped short), 0 not usable here, -1 out of memory. */
static int walk_pgd_list(const struct vmf_kview *kv, struct vmf_mm_list *ml, const struct namer *nm)
{
	const struct vmf_offsets *o = &kv->off;
	uint64_t head, first;
	long lo, len;
	char pg[256], what[64];
	struct vmf_list l;

	if (o->page_lru < 0 || kv_symbol(kv, "pgd_list", &head) || page_span(o, &lo, &len) ||
	    kv_read_u64(kv, head, &first))
		return 0;
	vmf_list_begin(&l, "pgd_list", "pgds", head, first, VMF_LIST_MAX);
	while (vmf_list_next(&l)) {
		uint64_t page = l.pos - (uint64_t)o->page_lru, pa, mm = 0, next;

		if (page_to_phys(kv, page, &pa)) {
			snprintf(what, sizeof(what), "pgd_list entry %llx is no struct page",
				 (unsigned long long)page);
			vmf_list_broken(&l, what);
			break;
		}
		if (kv_read(kv, page + (uint64_t)lo, pg, (size_t)len)) {
			snprintf(what, sizeof(what), "struct page %llx unreadable", (unsigned long long)page);
			vmf_list_broken(&l, what);
			break;
		}
		if (page_mm_member(o) >= 0)
			memcpy(&mm, pg + page_mm_member(o) - lo, sizeof(mm));
		if (add_mm(ml, mm, pa, nm))
			return -1;
		memcpy(&next, pg + o->page_lru - lo, sizeof(next));
		vmf_list_advance(&l, next);
	}
	if (l.end == VMF_LIST_LOOPS) {
		drop_repeats(ml);
		snprintf(ml->why, sizeof(ml->why), "%s, %lu distinct", l.why, (unsigned long)ml->n);
	} else if (l.end != VMF_LIST_DONE) {
		snprintf(ml->why, sizeof(ml->why), "%s", l.why);
	}
	return 1;
}

/* Without pgd_list: the unique mms of the task list. */
static int mms_of_tasks(const struct vmf_kview *kv, struct vmf_mm_list *ml, const struct namer *nm)
{
	const struct kv_task_list *tl = &nm->tl;
	size_t i;

	for (i = 0; i < tl->n; i++) {
		uint64_t root;

		if (!tl->t[i].mm || (i && tl->t[i].mm == tl->t[i - 1].mm))
			continue;
		if (kv_mm_root(kv, tl->t[i].mm, NULL, &root))
			continue;
		if (add_mm(ml, tl->t[i].mm, root, nm))
			return -1;
	}
	snprintf(ml->source, sizeof(ml->source), "init_task.tasks, %lu mms of %lu tasks",
		 (unsigned long)ml->n, (unsigned long)tl->n);
	if (tl->why[0])
		snprintf(ml->why, sizeof(ml->why), "%s", tl->why);
	return 0;
}

int vmf_kview_mms(const struct vmf_kview *kv, int need_names, struct vmf_mm_list *ml)
{
	struct namer nm;
	int rc;

	memset(ml, 0, sizeof(*ml));
	memset(&nm, 0, sizeof(nm));
	if (need_names)
		namer_read(kv, &nm);
	rc = walk_pgd_list(kv, ml, &nm);
	if (rc == 1) {
		if (nm.walked && nm.tl.why[0] && !ml->why[0])
			snprintf(ml->why, sizeof(ml->why), "names from %s", nm.tl.why);
		if (nm.walked)
			snprintf(ml->source, sizeof(ml->source), "pgd_list, %lu pgds; %lu tasks",
				 (unsigned long)ml->n, (unsigned long)nm.tl.n);
		else
			snprintf(ml->source, sizeof(ml->source), "pgd_list, %lu pgds", (unsigned long)ml->n);
	} else if (rc == 0) {
		namer_read(kv, &nm);
		rc = mms_of_tasks(kv, ml, &nm);
		/* neither list: which mms exist is unknown, not "none" */
		ml->unavailable = rc == 0 && nm.rc < 0 && !nm.tl.n;
	}
	free(nm.tl.t);
	if (rc < 0)
		snprintf(ml->why, sizeof(ml->why), "out of memory after %lu mms", (unsigned long)ml->n);
	return rc < 0 ? -1 : 0;
}

void vmf_mm_list_free(struct vmf_mm_list *ml)
{
	free(ml->mms);
	ml->mms = NULL;
	ml->n = ml->cap = 0;
}

int vmf_kview_names_by_owner(const struct vmf_kview *kv)
{
	return kv->off.mm_owner >= 0;
}
