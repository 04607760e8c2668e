/*
 * vmf_kview.h - the engine's reading of kernel structures through a data front's
 * primitives (vmf_kernel.h): the layout and init_mm, the task and mm lists, the
 * task that faulted, the iomem resources, the vmap areas, and the kernel facts.
 * Every front (crash, the direct engine, the unit tests' synthetic kernel) gets
 * the same answers from here, because it only supplies data.
 */
#ifndef VMF_KVIEW_H
#define VMF_KVIEW_H

#include "vmf_kernel.h"
#include "vmf_evidence.h"

/*
 * Member offsets and sizes, resolved once from the front's member_offset and
 * type_size: -1 when this kernel lacks the member.  Where a member is younger
 * (or older) than some kernel vmfault reads, its comment names the commit.
 */
struct vmf_offsets {
	long mm_pgd;               /* mm_struct.pgd */
	/*
	 * mm_struct.owner, with CONFIG_MEMCG: since cf475ad28ac3 "cgroups: add an
	 * owner to the mm_struct"; names an mm in a few reads (kfacts.c)
	 */
	long mm_owner;
	long task_mm, task_active_mm, task_tasks, task_pid, task_comm;
	long page_lru;             /* page.lru: links the pgd pages on x86's pgd_list (pgd_list_add) */
	/*
	 * The mm a pgd page belongs to: page.pt_mm since a052f0a5168e "mm: add
	 * pt_mm to struct page" (v4.18), which renamed page.index, where x86 kept
	 * it since 617d34d9e5d8 "x86, mm: Hold mm->page_table_lock while doing
	 * vmalloc_sync" (2010).  page_index serves kernels without pt_mm.
	 */
	long page_pt_mm, page_index;
	long page_size;            /* sizeof(struct page): vmemmap arithmetic */
	/*
	 * vmap_area on vmap_area_list: exported since f1c4069e1dc1 "mm, vmalloc:
	 * export vmap_area_list, instead of vmlist" (v3.10); gone since
	 * d093602919ad "mm: vmalloc: remove global vmap_area_root rb-tree" (v6.9),
	 * where no area is named (kfacts.c: find_vmap)
	 */
	long va_start, va_end, va_list, va_vm;
	long vm_addr, vm_size, vm_phys, vm_caller;   /* vm_struct */
	long res_start, res_end, res_name, res_sibling, res_child;   /* resource */
};

struct vmf_kview {
	const struct vmf_kernel *k;
	struct vmf_offsets off;
	struct vmf_paging p;
	struct vmf_regions regions;
	uint64_t init_root;        /* physical address of init_mm's top-level table */
	char why[160];             /* vmf_kview_open: why it failed */
};

/* Resolve the offsets, the paging form, the regions and init_mm's table; -1 and kv->why. */
int vmf_kview_open(struct vmf_kview *kv, const struct vmf_kernel *k);

/* Every mm but init_mm: from pgd_list, or from the unique mms of init_task.tasks. */
struct vmf_mm_list {
	struct vmf_mm_ref *mms;
	size_t n, cap;
	char source[80];           /* "pgd_list, 1234 pgds; 1300 tasks" */
	char why[200];             /* where a list stopped short, or "" */
	int unavailable;           /* neither pgd_list nor init_task.tasks could be read (why says why) */
};
/*
 * need_names: name each mm through the task list (one read per task); without
 * it, pgd_list's mms stay unnamed (pid -1) and vmf_kview_dump_view names the few
 * a report lists through mm->owner.  Returns 0, or -1 when memory ran out (why).
 */
int vmf_kview_mms(const struct vmf_kview *kv, int need_names, struct vmf_mm_list *ml);
void vmf_mm_list_free(struct vmf_mm_list *ml);
/* Whether mms can be named through mm->owner (so the task list need not be read). */
int vmf_kview_names_by_owner(const struct vmf_kview *kv);

/*
 * The task a -c argument names (the front's table, then init_task.tasks), or
 * with arg NULL the panic task.  Fills te (task, pid, comm, cpu, source) and
 * returns 0, or -1 with the reason in why.
 */
int vmf_kview_task(const struct vmf_kview *kv, const char *arg, struct vmf_task_evidence *te,
		   char *why, size_t whylen);
/* The mm the task runs on (its own, or a kernel thread's borrowed one) and its top table. */
int vmf_kview_task_mm(const struct vmf_kview *kv, struct vmf_task_evidence *te);

/* The kernel facts: version, paging, regions, CONFIG_HUGETLBFS, vmalloc_fault and its code. */
void vmf_kview_kernel_facts(const struct vmf_kview *kv, const struct vmf_oops *o,
			    struct vmf_kernel_facts *kf);

/* The page-table gatherer's view: kv's tables and regions, the mm list, the task's table. */
void vmf_kview_dump_view(const struct vmf_kview *kv, const struct vmf_mm_list *ml,
			 uint64_t task_root, struct vmf_dump_view *v);

#endif
