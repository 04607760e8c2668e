/*
 * kview.c - the kernel's structures, read through a data front's primitives:
 * member offsets, the paging form and init_mm, the task list, pgd_list, and the
 * task a report is about.  The iomem and vmap walks and the kernel facts are in
 * kfacts.c.  Every list goes through the one bounded walk of list.c.
 *
 * Reads are of the few bytes each step needs, in one read per entry: a page
 * missing from the dump ends that list with its reason, never the command.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_kview.h"
#include "vmf_list.h"
#include "kview_internal.h"

/* ---- reading ------------------------------------------------------------------ */

int kv_read(const struct vmf_kview *kv, uint64_t kva, void *buf, size_t len)
{
	char why[128];

	return kv->k->read(kv->k->ctx, kva, buf, len, why, sizeof(why)) ? -1 : 0;
}

int kv_read_u64(const struct vmf_kview *kv, uint64_t kva, uint64_t *val)
{
	return kv_read(kv, kva, val, sizeof(*val));
}

int kv_read_int(const struct vmf_kview *kv, uint64_t kva, int *val)
{
	return kv_read(kv, kva, val, sizeof(*val));
}

int kv_symbol(const struct vmf_kview *kv, const char *name, uint64_t *addr)
{
	uint64_t ignored;

	return kv->k->symbol(kv->k->ctx, name, addr ? addr : &ignored);
}

/* A task's comm: 15 characters at most, as the kernel keeps it (TASK_COMM_LEN 16). */
int kv_read_comm(const struct vmf_kview *kv, uint64_t task, char *comm, size_t len)
{
	char buf[16];

	if (kv->off.task_comm < 0 || kv_read(kv, task + (uint64_t)kv->off.task_comm, buf, sizeof(buf) - 1))
		return -1;
	buf[sizeof(buf) - 1] = 0;
	snprintf(comm, len, "%s", buf);
	return 0;
}

/* ---- offsets ------------------------------------------------------------------ */

#define OFF(field, type, member) { offsetof(struct vmf_offsets, field), type, member }

static const struct { size_t at; const char *type, *member; } members[] = {
	OFF(mm_pgd, "mm_struct", "pgd"), OFF(mm_owner, "mm_struct", "owner"),
	OFF(task_mm, "task_struct", "mm"), OFF(task_active_mm, "task_struct", "active_mm"),
	OFF(task_tasks, "task_struct", "tasks"), OFF(task_pid, "task_struct", "pid"),
	OFF(task_comm, "task_struct", "comm"),
	OFF(page_lru, "page", "lru"), OFF(page_pt_mm, "page", "pt_mm"), OFF(page_index, "page", "index"),
	OFF(va_start, "vmap_area", "va_start"), OFF(va_end, "vmap_area", "va_end"),
	OFF(va_list, "vmap_area", "list"), OFF(va_vm, "vmap_area", "vm"),
	OFF(vm_addr, "vm_struct", "addr"), OFF(vm_size, "vm_struct", "size"),
	OFF(vm_phys, "vm_struct", "phys_addr"), OFF(vm_caller, "vm_struct", "caller"),
	OFF(res_start, "resource", "start"), OFF(res_end, "resource", "end"),
	OFF(res_name, "resource", "name"), OFF(res_sibling, "resource", "sibling"),
	OFF(res_child, "resource", "child"),
};

static void resolve_offsets(struct vmf_offsets *off, const struct vmf_kernel *k)
{
	size_t i;

	for (i = 0; i < sizeof(members) / sizeof(members[0]); i++)
		*(long *)((char *)off + members[i].at) = k->member_offset(k->ctx, members[i].type,
									  members[i].member);
	off->page_size = k->type_size(k->ctx, "page");
}

/* ---- the kernel view ---------------------------------------------------------- */

/*
 * A kernel built for 5-level paging that runs with 4 levels folds the p4d into
 * the pgd at boot, and calls the top-level slot a p4d.  It says so with the
 * variable __pgtable_l5_enabled since ad3fe525b950 "x86/mm: Unify
 * pgtable_l5_enabled usage in early boot code" (2018), and pgtable_l5_enabled
 * before, since 4c2b4058ab32 "x86/mm: Initialize 'pgtable_l5_enabled' at
 * boot-time" (2018).  A kernel that keeps neither is taken as unfolded: the
 * slot is then named pgd, the walk is the same.
 */
static int p4d_folded(const struct vmf_kview *kv, int levels)
{
	return levels == 4 && (!kv_symbol(kv, "__pgtable_l5_enabled", NULL) ||
			       !kv_symbol(kv, "pgtable_l5_enabled", NULL));
}

/* An mm's top-level table, physical. */
int kv_mm_root(const struct vmf_kview *kv, uint64_t mm, uint64_t *pgd_va, uint64_t *root)
{
	uint64_t pgd;

	if (!mm || kv_read_u64(kv, mm + (uint64_t)kv->off.mm_pgd, &pgd) || kv->k->kvtop(kv->k->ctx, pgd, root))
		return -1;
	if (pgd_va)
		*pgd_va = pgd;
	return 0;
}

/*
 * Without init_mm (a front with VMCOREINFO's symbols only), its table by name:
 * init_mm.pgd is swapper_pg_dir, which x86-64 defines as init_top_pgt (named
 * so since 65ade2f872b4, v4.14; arch_crash_save_vmcoreinfo() puts it in
 * VMCOREINFO under that name, for makedumpfile).
 */
static int init_root_by_name(struct vmf_kview *kv)
{
	uint64_t pgt;

	if (kv_symbol(kv, "init_top_pgt", &pgt)) {
		snprintf(kv->why, sizeof(kv->why), "symbol init_mm or mm_struct.pgd missing");
		return -1;
	}
	if (kv->k->kvtop(kv->k->ctx, pgt, &kv->init_root)) {
		snprintf(kv->why, sizeof(kv->why), "init_top_pgt %llx has no physical address", (unsigned long long)pgt);
		return -1;
	}
	return 0;
}

int vmf_kview_open(struct vmf_kview *kv, const struct vmf_kernel *k)
{
	const struct vmf_layout *l = &k->layout;
	int levels = l->paging_levels == 5 ? 5 : 4;
	uint64_t init_mm;

	memset(kv, 0, sizeof(*kv));
	kv->k = k;
	resolve_offsets(&kv->off, k);
	vmf_paging_x86_64(&kv->p, levels, p4d_folded(kv, levels));
	if (l->max_physmem_bits)
		kv->p.max_paddr = 1ULL << l->max_physmem_bits;
	kv->regions.page_offset = l->page_offset;
	kv->regions.vmalloc_start = l->vmalloc_start;
	kv->regions.vmalloc_end = l->vmalloc_end;
	kv->regions.vmemmap_start = l->vmemmap_start;
	kv->regions.vmemmap_end = l->vmemmap_end;
	kv->regions.direct_map_end = vmf_direct_map_end(levels, l->page_offset, l->vmalloc_start,
							l->vmemmap_start);
	if (!kv_symbol(kv, "init_mm", &init_mm) && kv->off.mm_pgd >= 0) {
		if (kv_mm_root(kv, init_mm, NULL, &kv->init_root)) {
			snprintf(kv->why, sizeof(kv->why), "init_mm.pgd unreadable");
			return -1;
		}
		return 0;
	}
	return init_root_by_name(kv);
}

/* ---- tasks: from the kernel's own init_task.tasks ------------------------------ */

/* Arrays that grow by doubling; -1 when memory runs out (the array is kept). */
int kv_grow(void **array, size_t *cap, size_t used, size_t elem)
{
	size_t n = *cap ? *cap * 2 : 1024;
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

/* The span of a task_struct holding tasks, mm, pid and comm: one read per task. */
static int task_span(const struct vmf_offsets *o, long *lo, long *len)
{
	long a = o->task_tasks, b = o->task_mm, c = o->task_pid, d = o->task_comm, hi;

	*lo = a < b ? a : b;
	*lo = *lo < c ? *lo : c;
	*lo = *lo < d ? *lo : d;
	hi = a + 8 > b + 8 ? a + 8 : b + 8;
	hi = hi > c + 4 ? hi : c + 4;
	hi = hi > d + 16 ? hi : d + 16;
	*len = hi - *lo;
	return *len <= KV_SPAN_MAX ? 0 : -1;
}

static void task_from_span(const struct vmf_offsets *o, const char *span, long lo, uint64_t task,
			   struct kv_task *t)
{
	memset(t, 0, sizeof(*t));
	t->task = task;
	memcpy(&t->mm, span + o->task_mm - lo, sizeof(t->mm));
	memcpy(&t->pid, span + o->task_pid - lo, sizeof(t->pid));
	memcpy(t->comm, span + o->task_comm - lo, sizeof(t->comm) - 1);
}

/*
 * Every process of init_task.tasks.  crash's own task table can be incomplete
 * (crash 8.0.2 on 6.1), so processes come from the kernel's list; threads share
 * their leader's mm, so the process list covers every user mm.  Returns 0 with
 * tl->why set where the list stopped short, or -1 when it cannot be read at all
 * or memory ran out (tl->why says which).
 */
int kv_tasks(const struct vmf_kview *kv, struct kv_task_list *tl)
{
	const struct vmf_offsets *o = &kv->off;
	uint64_t init_task, head, first;
	long lo, len;
	char span[KV_SPAN_MAX], what[64];
	struct vmf_list l;

	memset(tl, 0, sizeof(*tl));
	if (kv_symbol(kv, "init_task", &init_task) || o->task_tasks < 0 || o->task_mm < 0 ||
	    o->task_pid < 0 || o->task_comm < 0)
		return snprintf(tl->why, sizeof(tl->why), "init_task or task_struct.tasks missing"), -1;
	if (task_span(o, &lo, &len))
		return snprintf(tl->why, sizeof(tl->why), "task_struct members too far apart (%ld bytes)",
				len), -1;
	head = init_task + (uint64_t)o->task_tasks;
	if (kv_read_u64(kv, head, &first))
		return snprintf(tl->why, sizeof(tl->why), "init_task.tasks unreadable"), -1;
	vmf_list_begin(&l, "init_task.tasks", "tasks", head, first, VMF_LIST_MAX);
	while (vmf_list_next(&l)) {
		uint64_t task = l.pos - (uint64_t)o->task_tasks, next;

		if (kv_read(kv, task + (uint64_t)lo, span, (size_t)len)) {
			snprintf(what, sizeof(what), "task_struct %llx unreadable", (unsigned long long)task);
			vmf_list_broken(&l, what);
			break;
		}
		if (kv_grow((void **)&tl->t, &tl->cap, tl->n, sizeof(*tl->t)))
			return snprintf(tl->why, sizeof(tl->why), "out of memory after %lu tasks",
					(unsigned long)tl->n), -1;
		task_from_span(o, span, lo, task, &tl->t[tl->n++]);
		memcpy(&next, span + o->task_tasks - lo, sizeof(next));
		vmf_list_advance(&l, next);
	}
	if (l.end != VMF_LIST_DONE)
		snprintf(tl->why, sizeof(tl->why), "%s", l.why);
	return 0;
}

/* The mm a task runs on: its own, or the borrowed one of a kernel thread. */
uint64_t kv_task_mm(const struct vmf_kview *kv, uint64_t task)
{
	uint64_t mm = 0;

	if (kv_read_u64(kv, task + (uint64_t)kv->off.task_mm, &mm) || !mm)
		if (kv->off.task_active_mm < 0 ||
		    kv_read_u64(kv, task + (uint64_t)kv->off.task_active_mm, &mm))
			mm = 0;
	return mm;
}

/* ---- the task a report is about ------------------------------------------------ */

/* -c ARG: the front's own table first (a PID or a task address), then the kernel's list. */
static int find_task(const struct vmf_kview *kv, const char *arg, uint64_t *task,
		     char *why, size_t whylen)
{
	struct kv_task_list tl;
	char *end;
	unsigned long long want = strtoull(arg, &end, 0);
	size_t i;

	if (kv->k->find_task && !kv->k->find_task(kv->k->ctx, arg, task))
		return 0;
	*task = 0;
	kv_tasks(kv, &tl);
	for (i = 0; i < tl.n && !*task; i++)
		if ((unsigned long long)tl.t[i].pid == want || tl.t[i].task == want)
			*task = tl.t[i].task;
	free(tl.t);
	if (!*task || *end) {
		snprintf(why, whylen, "no task %s in %s's table or init_task.tasks", arg,
			 kv->k->name ? kv->k->name : "the front");
		return -1;
	}
	return 0;
}

int vmf_kview_task(const struct vmf_kview *kv, const char *arg, struct vmf_task_evidence *te,
		   char *why, size_t whylen)
{
	const struct vmf_kernel *k = kv->k;

	memset(te, 0, sizeof(*te));
	te->cpu = -1;
	if (!arg) {
		if (!k->panic_task || k->panic_task(k->ctx, &te->task) || !te->task) {
			snprintf(why, whylen, "no panic task in this dump: use -c PID|TASK");
			return -1;
		}
		snprintf(te->source, sizeof(te->source), "panic task");
	} else {
		if (find_task(kv, arg, &te->task, why, whylen))
			return -1;
		snprintf(te->source, sizeof(te->source), "-c %s", arg);
	}
	if (kv->off.task_pid < 0 || kv_read_int(kv, te->task + (uint64_t)kv->off.task_pid, &te->pid))
		te->pid = -1;
	if (kv_read_comm(kv, te->task, te->comm, sizeof(te->comm)))
		snprintf(te->comm, sizeof(te->comm), "?");
	if (k->task_cpu)
		te->cpu = k->task_cpu(k->ctx, te->task);
	return 0;
}

int vmf_kview_task_mm(const struct vmf_kview *kv, struct vmf_task_evidence *te)
{
	te->mm = kv_task_mm(kv, te->task);
	return kv_mm_root(kv, te->mm, &te->pgd_va, &te->pgd_pa);
}
