/*
 * vmfault.c - crash(8) front end of vmfault: the commands vmfault, ptwalk and
 * ptaudit.  Everything that decides lives in ../src (no crash headers there);
 * this file only knows how to ask crash for memory, symbols and lists.
 *
 * Reads are RETURN_ON_ERROR|QUIET: a page missing from the dump must become an
 * "unreadable" entry in the report, never abort the audit of 5,000 other mms.
 */
#include "defs.h"

#include <stdint.h>
#include <time.h>
#include "../src/vmf_pt.h"
#include "../src/vmf_walk.h"
#include "../src/vmf_audit.h"
#include "../src/vmf_oops.h"
#include "../src/vmf_evidence.h"
#include "../src/vmf_diag.h"
#include "../src/vmf_writers.h"

#define VMF_LIST_MAX (1UL << 20)    /* no kernel list we walk is longer than this */
#define VMF_QUIET    (RETURN_ON_ERROR | QUIET)
#define VMF_DEVIATIONS_LISTED 65536  /* ptaudit -v lines kept: beyond, only counted */
#define VMF_IOMEM_MAX 100000         /* iomem resources visited, top level and children */

void vmfault_init(void);
void vmfault_fini(void);
static void cmd_vmfault(void);
static void cmd_ptwalk(void);
static void cmd_ptaudit(void);
static void cmd_vmfault_timed(void);
static void cmd_ptwalk_timed(void);
static void cmd_ptaudit_timed(void);

static char *help_vmfault[];
static char *help_ptwalk[];
static char *help_ptaudit[];

static struct command_table_entry command_table[] = {
	{ "vmfault", cmd_vmfault_timed, help_vmfault, 0 },
	{ "ptwalk", cmd_ptwalk_timed, help_ptwalk, 0 },
	{ "ptaudit", cmd_ptaudit_timed, help_ptaudit, 0 },
	{ NULL }
};

/* Member offsets, resolved once: -1 when this kernel lacks the member. */
static struct {
	int done;
	long mm_pgd, mm_owner, task_mm, task_active_mm, task_tasks, task_pid, task_comm;
	long page_lru, page_pt_mm, page_size;
	long va_start, va_end, va_list, va_vm;
	long vm_addr, vm_size, vm_phys, vm_caller;
	long res_start, res_end, res_name, res_sibling, res_child;
} off;

static long member(char *s, char *m)
{
	long o = MEMBER_OFFSET(s, m);
	if (o < 0)
		o = ANON_MEMBER_OFFSET(s, m);
	return o;
}

static void init_offsets(void)
{
	if (off.done)
		return;
	off.mm_pgd = member("mm_struct", "pgd");
	off.mm_owner = member("mm_struct", "owner");
	off.task_mm = member("task_struct", "mm");
	off.task_active_mm = member("task_struct", "active_mm");
	off.task_tasks = member("task_struct", "tasks");
	off.task_pid = member("task_struct", "pid");
	off.task_comm = member("task_struct", "comm");
	off.page_lru = member("page", "lru");
	off.page_pt_mm = member("page", "pt_mm");
	off.page_size = STRUCT_SIZE("page");
	off.va_start = member("vmap_area", "va_start");
	off.va_end = member("vmap_area", "va_end");
	off.va_list = member("vmap_area", "list");
	off.va_vm = member("vmap_area", "vm");
	off.vm_addr = member("vm_struct", "addr");
	off.vm_size = member("vm_struct", "size");
	off.vm_phys = member("vm_struct", "phys_addr");
	off.vm_caller = member("vm_struct", "caller");
	off.res_start = member("resource", "start");
	off.res_end = member("resource", "end");
	off.res_name = member("resource", "name");
	off.res_sibling = member("resource", "sibling");
	off.res_child = member("resource", "child");
	off.done = 1;
}

/* ---- reader over crash's physical reads ---------------------------------- */

static int crash_read_phys(void *ctx, uint64_t paddr, void *buf, size_t len,
			   char *why, size_t whylen)
{
	int rc;

	(void)ctx;
	if (readmem((ulonglong)paddr, PHYSADDR, buf, (long)len, "vmfault page table", VMF_QUIET))
		return 0;
	/* readmem() does not say why; the dump reader does. */
	rc = pc->readmem(pc->mfd, buf, (int)len, 0, (physaddr_t)paddr);
	if (rc == PAGE_EXCLUDED)
		snprintf(why, whylen, "page %llx excluded from the dump (makedumpfile -d)",
			 (unsigned long long)paddr);
	else if (rc == SEEK_ERROR)
		snprintf(why, whylen, "physical address %llx not in the dump",
			 (unsigned long long)paddr);
	else
		snprintf(why, whylen, "read error at physical address %llx",
			 (unsigned long long)paddr);
	return -1;
}

static const struct vmf_reader crash_reader = { NULL, crash_read_phys };

static int read_ulong(ulong addr, ulong *val)
{
	return readmem(addr, KVADDR, val, sizeof(ulong), "vmfault", VMF_QUIET) ? 0 : -1;
}

static int read_int(ulong addr, int *val)
{
	return readmem(addr, KVADDR, val, sizeof(int), "vmfault", VMF_QUIET) ? 0 : -1;
}

/* ---- the kernel's layout --------------------------------------------------- */

struct vmf_kernel_view {
	struct vmf_paging p;
	uint64_t init_root;
	int init_root_ok;
	char why[160];
};

static int setup_kernel_view(struct vmf_kernel_view *kv)
{
	ulong init_pgd;
	physaddr_t pa;
	int levels = (machdep->flags & VM_5LEVEL) ? 5 : 4;
	int folded = levels == 4 && (kernel_symbol_exists("__pgtable_l5_enabled") ||
				     kernel_symbol_exists("pgtable_l5_enabled"));

	BZERO(kv, sizeof(*kv));
	vmf_paging_x86_64(&kv->p, levels, folded);
	if (machdep->max_physmem_bits)
		kv->p.max_paddr = 1ULL << machdep->max_physmem_bits;
	init_offsets();
	if (!symbol_exists("init_mm") || off.mm_pgd < 0) {
		snprintf(kv->why, sizeof(kv->why), "symbol init_mm or mm_struct.pgd missing");
		return -1;
	}
	if (read_ulong(symbol_value("init_mm") + off.mm_pgd, &init_pgd) ||
	    !kvtop(NULL, init_pgd, &pa, 0)) {
		snprintf(kv->why, sizeof(kv->why), "init_mm.pgd unreadable");
		return -1;
	}
	kv->init_root = pa;
	kv->init_root_ok = 1;
	return 0;
}

static int mm_root(ulong mm, uint64_t *root)
{
	ulong pgd;
	physaddr_t pa;

	if (!mm || read_ulong(mm + off.mm_pgd, &pgd) || !kvtop(NULL, pgd, &pa, 0))
		return -1;
	*root = pa;
	return 0;
}

/* The mm a task runs on: its own, or the borrowed one of a kernel thread. */
static ulong task_mm_of(ulong task)
{
	ulong mm = 0;

	if (read_ulong(task + off.task_mm, &mm) || !mm)
		if (off.task_active_mm < 0 || read_ulong(task + off.task_active_mm, &mm))
			mm = 0;
	return mm;
}

static int span_read(ulong addr, long lo, long len, char *buf)
{
	return readmem(addr + lo, KVADDR, buf, len, "vmfault task", VMF_QUIET);
}

/* ---- bounded list walks ------------------------------------------------------ */

/*
 * Brent's cycle detection: a damaged list that loops without coming back to its
 * head is caught within two laps of the loop, instead of after VMF_LIST_MAX
 * reads.  Feed it every position after the first.
 */
struct loop_guard {
	ulong saved, power, lam;
};

static void guard_init(struct loop_guard *g, ulong first)
{
	g->saved = first;
	g->power = g->lam = 1;
}

static int guard_loops(struct loop_guard *g, ulong pos)
{
	if (pos == g->saved)
		return 1;
	if (g->lam == g->power) {
		g->saved = pos;
		g->power <<= 1;
		g->lam = 0;
	}
	g->lam++;
	return 0;
}

/* ---- tasks: from the kernel's own init_task.tasks ----------------------- */

/*
 * crash's own task table can be incomplete (crash 8.0.2 on 6.1), so processes
 * come from init_task.tasks.  Threads share the leader's mm, so the process
 * list covers every user mm.
 */
struct vmf_task {
	ulong task, mm;
	int pid;
	char comm[16];
};

/* GETBUF arrays grow by doubling: crash reclaims them itself if a command fails */
static void *grow_buf(void *buf, size_t *cap, size_t used, size_t elem)
{
	void *bigger = GETBUF(elem * *cap * 2);

	memcpy(bigger, buf, elem * used);
	FREEBUF(buf);
	*cap *= 2;
	return bigger;
}

#define TASKS_CAP0 1024

/* Every process of init_task.tasks into *out (a GETBUF array of *cap, grown as needed). */
static long walk_tasks(struct vmf_task **out, size_t *cap, long *total, char *why, size_t whylen)
{
	ulong head, pos;
	long n = 0, steps = 0, span_lo, span_len;
	char span[4096];
	struct loop_guard g;

	*total = 0;
	if (!symbol_exists("init_task") || off.task_tasks < 0 || off.task_mm < 0 ||
	    off.task_pid < 0 || off.task_comm < 0) {
		snprintf(why, whylen, "init_task or task_struct.tasks missing");
		return -1;
	}
	span_lo = MIN(MIN(off.task_tasks, off.task_mm), MIN(off.task_pid, off.task_comm));
	span_len = MAX(MAX(off.task_tasks + 8, off.task_mm + 8), MAX(off.task_pid + 4, off.task_comm + 16)) - span_lo;
	if (span_len > (long)sizeof(span)) {
		snprintf(why, whylen, "task_struct members too far apart (%ld bytes)", span_len);
		return -1;
	}
	head = symbol_value("init_task") + off.task_tasks;
	if (read_ulong(head, &pos)) {
		snprintf(why, whylen, "init_task.tasks unreadable");
		return -1;
	}
	guard_init(&g, pos);
	while (pos != head) {
		ulong task = pos - off.task_tasks;
		struct vmf_task *t;

		if (++steps > (long)VMF_LIST_MAX) {
			snprintf(why, whylen, "init_task.tasks longer than %lu: stopped there", VMF_LIST_MAX);
			break;
		}
		if (steps > 1 && guard_loops(&g, pos)) {
			snprintf(why, whylen, "init_task.tasks loops without returning to its head: stopped "
				 "after %ld tasks", n);
			break;
		}
		/* one read per task: the span from the first to the last member we need */
		if (!span_read(task, span_lo, span_len, span)) {
			snprintf(why, whylen, "task_struct %lx unreadable after %ld tasks: stopped there", task, n);
			break;
		}
		if ((size_t)n == *cap)
			*out = grow_buf(*out, cap, (size_t)n, sizeof(**out));
		t = &(*out)[n++];
		t->task = task;
		t->mm = *(ulong *)(span + off.task_mm - span_lo);
		t->pid = *(int *)(span + off.task_pid - span_lo);
		BZERO(t->comm, sizeof(t->comm));
		memcpy(t->comm, span + off.task_comm - span_lo, sizeof(t->comm) - 1);
		pos = *(ulong *)(span + off.task_tasks - span_lo);
	}
	*total = n;
	return n;
}

/* ---- mms: from pgd_list, named through the task list -------------------- */

struct mm_list {
	struct vmf_mm_ref *mms;
	size_t n;
	char source[80];
	char why[160];
};

static int cmp_task_mm(const void *a, const void *b)
{
	const struct vmf_task *x = a, *y = b;
	return x->mm < y->mm ? -1 : x->mm > y->mm;
}

static int cmp_mm_pgd(const void *a, const void *b)
{
	const struct vmf_mm_ref *x = a, *y = b;
	return x->pgd_pa < y->pgd_pa ? -1 : x->pgd_pa > y->pgd_pa;
}

static const struct vmf_task *task_of_mm(const struct vmf_task *tasks, long n, ulong mm)
{
	struct vmf_task key;
	key.mm = mm;
	return mm ? bsearch(&key, tasks, (size_t)n, sizeof(*tasks), cmp_task_mm) : NULL;
}

static void name_mm(struct vmf_mm_ref *m, const struct vmf_task *t)
{
	m->pid = t ? t->pid : -1;
	snprintf(m->comm, sizeof(m->comm), "%s", t ? t->comm : "");
}

/*
 * An mm's owner task (mm_struct.owner, CONFIG_MEMCG) names it with two reads,
 * where the task list would take one read per task of the system.
 */
static int name_mm_by_owner(void *ctx, uint64_t mm, int *pid, char *comm, size_t commlen)
{
	ulong owner, owner_mm;
	char buf[16];

	(void)ctx;
	/* an owner that no longer uses this mm (it exited) would name another process */
	if (off.mm_owner < 0 || read_ulong(mm + off.mm_owner, &owner) || !owner ||
	    read_ulong(owner + off.task_mm, &owner_mm) || owner_mm != mm ||
	    read_int(owner + off.task_pid, pid) ||
	    !readmem(owner + off.task_comm, KVADDR, buf, sizeof(buf), "comm", VMF_QUIET))
		return -1;
	buf[sizeof(buf) - 1] = 0;
	snprintf(comm, commlen, "%s", buf);
	return 0;
}

/*
 * struct page -> physical address.  x86-64 kernels use SPARSEMEM_VMEMMAP, where
 * this is arithmetic; crash's is_page_ptr() searches the memory sections and
 * costs more than the rest of an audit of 5,000 mms.
 */
static int page_to_paddr(ulong page, physaddr_t *pa)
{
	ulong base = machdep->machspec->vmemmap_vaddr;

	if (off.page_size > 0 && base && page >= base && page < machdep->machspec->vmemmap_end &&
	    (page - base) % off.page_size == 0) {
		*pa = (physaddr_t)((page - base) / off.page_size) << 12;
		return 1;
	}
	return is_page_ptr(page, pa);
}

/*
 * Every pgd but init_mm's is on pgd_list (x86 pgd_ctor), whether or not crash
 * found its task.  Fall back to the unique mms of the task list.
 */
static int collect_mms(struct mm_list *ml, int need_names)
{
	long ntasks = 0, total = -1, i;
	struct vmf_task *tasks;
	size_t cap = 1024, tasks_cap = TASKS_CAP0;
	char why[160] = "";
	int have_pgd_list = symbol_exists("pgd_list") && off.page_lru >= 0;

	BZERO(ml, sizeof(*ml));
	tasks = (struct vmf_task *)GETBUF(sizeof(struct vmf_task) * tasks_cap);
	/* with pgd_list, the task list only names the mms: skipped when no names are shown */
	if (need_names || !have_pgd_list)
		ntasks = walk_tasks(&tasks, &tasks_cap, &total, why, sizeof(why));
	if (ntasks < 0)
		ntasks = 0;
	qsort(tasks, (size_t)ntasks, sizeof(*tasks), cmp_task_mm);

	ml->mms = (struct vmf_mm_ref *)GETBUF(sizeof(struct vmf_mm_ref) * cap);
	if (have_pgd_list) {
		ulong head = symbol_value("pgd_list"), pos;
		long steps = 0;

		struct loop_guard g;
		int looped = 0;
		long pg_lo = off.page_pt_mm >= 0 ? MIN(off.page_lru, off.page_pt_mm) : off.page_lru;
		long pg_len = (off.page_pt_mm >= 0 ? MAX(off.page_lru, off.page_pt_mm) : off.page_lru) + 8 - pg_lo;
		char pg[256];

		if (pg_len > (long)sizeof(pg))
			goto tasks_only;

		if (read_ulong(head, &pos))
			goto tasks_only;
		guard_init(&g, pos);
		while (pos != head) {
			ulong page = pos - off.page_lru, mm = 0;
			physaddr_t pa;
			struct vmf_mm_ref *m;

			if (++steps > (long)VMF_LIST_MAX) {
				snprintf(ml->why, sizeof(ml->why), "pgd_list longer than %lu: stopped there",
					 VMF_LIST_MAX);
				break;
			}
			if (steps > 1 && guard_loops(&g, pos)) {
				looped = 1;
				break;
			}
			if (ml->n == cap)
				ml->mms = grow_buf(ml->mms, &cap, ml->n, sizeof(*ml->mms));
			if (!page_to_paddr(page, &pa)) {
				snprintf(ml->why, sizeof(ml->why), "pgd_list entry %lx is not a page", page);
				break;
			}
			/* lru.next and pt_mm share the struct page: one read for both */
			if (!span_read(page, pg_lo, pg_len, pg)) {
				snprintf(ml->why, sizeof(ml->why), "pgd_list broken after %lu entries",
					 (ulong)ml->n);
				break;
			}
			if (off.page_pt_mm >= 0)
				mm = *(ulong *)(pg + off.page_pt_mm - pg_lo);
			m = &ml->mms[ml->n++];
			m->mm = mm;
			m->pgd_pa = pa;
			name_mm(m, need_names ? task_of_mm(tasks, ntasks, mm) : NULL);
			pos = *(ulong *)(pg + off.page_lru - pg_lo);
		}
		if (looped) {
			/* entries read before the loop was caught may repeat: count each pgd once */
			size_t k, u = 0;
			qsort(ml->mms, ml->n, sizeof(*ml->mms), cmp_mm_pgd);
			for (k = 0; k < ml->n; k++)
				if (!u || ml->mms[k].pgd_pa != ml->mms[u - 1].pgd_pa)
					ml->mms[u++] = ml->mms[k];
			snprintf(ml->why, sizeof(ml->why), "pgd_list loops without returning to its head: "
				 "stopped, %lu distinct pgds read", (ulong)u);
			ml->n = u;
		}
		if (why[0] && !ml->why[0])
			snprintf(ml->why, sizeof(ml->why), "names from %s", why);
		if (total >= 0)
			snprintf(ml->source, sizeof(ml->source), "pgd_list, %lu pgds; %ld tasks", (ulong)ml->n,
				 total);
		else
			snprintf(ml->source, sizeof(ml->source), "pgd_list, %lu pgds", (ulong)ml->n);
		FREEBUF(tasks);
		return 0;
	}
tasks_only:
	for (i = 0; i < ntasks; i++) {
		struct vmf_mm_ref *m;
		uint64_t root;

		if (!tasks[i].mm || (i && tasks[i].mm == tasks[i - 1].mm))
			continue;
		if (mm_root(tasks[i].mm, &root))
			continue;
		if (ml->n == cap)
			ml->mms = grow_buf(ml->mms, &cap, ml->n, sizeof(*ml->mms));
		m = &ml->mms[ml->n++];
		m->mm = tasks[i].mm;
		m->pgd_pa = root;
		name_mm(m, &tasks[i]);
	}
	snprintf(ml->source, sizeof(ml->source), "init_task.tasks, %lu mms of %ld tasks", (ulong)ml->n,
		 total);
	if (why[0])
		snprintf(ml->why, sizeof(ml->why), "%s", why);
	FREEBUF(tasks);
	return 0;
}

static void free_mms(struct mm_list *ml)
{
	if (ml->mms)
		FREEBUF(ml->mms);
	ml->mms = NULL;
}

/* ---- -c PID|TASK ----------------------------------------------------------- */

struct chosen_task {
	ulong task;
	int pid;
	char comm[16];
	int cpu;
	char source[80];
};

/* Resolve by crash's table first, then by the kernel's own list. */
static int choose_task(char *arg, struct chosen_task *ct, char *why, size_t whylen)
{
	struct task_context *tc = NULL;
	ulong value;

	BZERO(ct, sizeof(*ct));
	ct->cpu = -1;
	if (!arg) {
		if (!tt->panic_task) {
			snprintf(why, whylen, "no panic task in this dump: use -c PID|TASK");
			return -1;
		}
		ct->task = tt->panic_task;
		snprintf(ct->source, sizeof(ct->source), "panic task");
	} else {
		switch (str_to_context(arg, &value, &tc)) {
		case STR_PID:
		case STR_TASK:
			ct->task = tc->task;
			break;
		default: {
			size_t cap = TASKS_CAP0;
			struct vmf_task *tasks = (struct vmf_task *)GETBUF(sizeof(*tasks) * cap);
			long n, total, i;
			char *end;
			ulong want = strtoul(arg, &end, 0);

			n = walk_tasks(&tasks, &cap, &total, why, whylen);
			for (i = 0; i < n && !ct->task; i++)
				if ((ulong)tasks[i].pid == want || tasks[i].task == want)
					ct->task = tasks[i].task;
			FREEBUF(tasks);
			if (!ct->task || *end) {
				snprintf(why, whylen, "no task %s in crash's table or init_task.tasks", arg);
				return -1;
			}
		}
		}
		snprintf(ct->source, sizeof(ct->source), "-c %s", arg);
	}
	if (read_int(ct->task + off.task_pid, &ct->pid))
		ct->pid = -1;
	if (!readmem(ct->task + off.task_comm, KVADDR, ct->comm, sizeof(ct->comm) - 1, "comm",
		     VMF_QUIET))
		strcpy(ct->comm, "?");
	tc = task_to_context(ct->task);
	if (tc)
		ct->cpu = tc->processor;
	return 0;
}

/* ---- resources and vmap areas --------------------------------------------- */

/* Look for paddr inside a "System RAM" child of iomem_resource (two levels). */
static enum vmf_tri crash_phys_is_ram(void *ctx, uint64_t paddr, char *src, size_t srclen)
{
	ulong res, child;
	long steps = 0;
	int depth;

	(void)ctx;
	if (!symbol_exists("iomem_resource") || off.res_child < 0) {
		snprintf(src, srclen, "iomem_resource unavailable");
		return VMF_UNKNOWN;
	}
	if (read_ulong(symbol_value("iomem_resource") + off.res_child, &res)) {
		snprintf(src, srclen, "iomem_resource unreadable");
		return VMF_UNKNOWN;
	}
	for (depth = 0; depth < 2 && res; depth++) {
		struct loop_guard g;
		long n;

		child = 0;
		guard_init(&g, res);
		for (n = 0; res; steps++, n++) {
			ulong start, end, name;
			char buf[32];

			/* a damaged list must not end in "no RAM holds it": that would support a MATCH */
			if (steps >= VMF_IOMEM_MAX) {
				snprintf(src, srclen, "iomem resource list longer than %d: stopped after %ld entries",
					 VMF_IOMEM_MAX, steps);
				return VMF_UNKNOWN;
			}
			if (n && guard_loops(&g, res)) {
				snprintf(src, srclen, "iomem resource list loops: stopped after %ld entries", steps);
				return VMF_UNKNOWN;
			}
			if (read_ulong(res + off.res_start, &start) || read_ulong(res + off.res_end, &end) ||
			    read_ulong(res + off.res_name, &name)) {
				snprintf(src, srclen, "iomem resource %lx unreadable", res);
				return VMF_UNKNOWN;
			}
			BZERO(buf, sizeof(buf));
			if (name)
				read_string(name, buf, sizeof(buf) - 1);
			if (paddr >= start && paddr <= end) {
				if (strcmp(buf, "System RAM") == 0) {
					snprintf(src, srclen, "iomem: %lx-%lx System RAM", start, end);
					return VMF_TRUE;
				}
				read_ulong(res + off.res_child, &child);
				break;
			}
			if (read_ulong(res + off.res_sibling, &res)) {
				snprintf(src, srclen, "iomem resource %lx: sibling unreadable", res);
				return VMF_UNKNOWN;
			}
		}
		res = child;
	}
	snprintf(src, srclen, "iomem: no System RAM resource holds it");
	return VMF_FALSE;
}

static int crash_find_vmap(void *ctx, uint64_t va, uint64_t *addr, uint64_t *size,
			   uint64_t *phys, char *caller, size_t callerlen)
{
	ulong head, pos;
	long steps = 0;
	struct loop_guard g;

	(void)ctx;
	if (!symbol_exists("vmap_area_list") || off.va_list < 0 || off.va_vm < 0)
		return -1;
	head = symbol_value("vmap_area_list");
	if (read_ulong(head, &pos))
		return -1;
	guard_init(&g, pos);
	while (pos != head) {
		ulong area = pos - off.va_list, start, end, vm, caller_pc = 0, v = 0;

		if (++steps >= (long)VMF_LIST_MAX || (steps > 1 && guard_loops(&g, pos))) {
			snprintf(caller, callerlen, "vmap_area_list %s: stopped after %ld areas",
				 steps >= (long)VMF_LIST_MAX ? "too long" : "loops", steps);
			return -2;
		}
		if (read_ulong(area + off.va_start, &start) || read_ulong(area + off.va_end, &end)) {
			snprintf(caller, callerlen, "vmap_area %lx unreadable: stopped after %ld areas", area, steps);
			return -2;
		}
		if (va >= start && va < end) {
			if (read_ulong(area + off.va_vm, &vm) || !vm)
				return -1;
			read_ulong(vm + off.vm_addr, &v);
			*addr = v;
			read_ulong(vm + off.vm_size, &v);
			*size = v;
			v = 0;
			if (off.vm_phys >= 0)
				read_ulong(vm + off.vm_phys, &v);
			*phys = v;
			if (off.vm_caller >= 0 && !read_ulong(vm + off.vm_caller, &caller_pc) && caller_pc) {
				char buf[BUFSIZE];
				value_to_symstr(caller_pc, buf, 0);
				snprintf(caller, callerlen, "%s", buf[0] ? buf : "?");
			}
			return 0;
		}
		if (read_ulong(pos, &pos)) {
			snprintf(caller, callerlen, "vmap_area_list broken after %ld areas", steps);
			return -2;
		}
	}
	return -1;
}

/* ---- log and disassembly through crash's tmpfile -------------------------- */

static char *slurp_tmpfile(size_t *len)
{
	long size;
	char *buf;

	fflush(pc->tmpfile);
	size = ftell(pc->tmpfile);
	if (size < 0)
		size = 0;
	buf = GETBUF(size + 1);
	rewind(pc->tmpfile);
	*len = fread(buf, 1, (size_t)size, pc->tmpfile);
	buf[*len] = 0;
	return buf;
}

static char *read_log_text(size_t *len)
{
	char *buf;

	open_tmpfile();
	dump_log(0);
	buf = slurp_tmpfile(len);
	close_tmpfile();
	return buf;
}

static void kernel_facts(struct vmf_kernel_facts *k, const struct vmf_kernel_view *kv,
			 const struct vmf_oops *o)
{
	struct syment *sp;
	char *val = NULL;

	vmf_parse_release(kt->utsname.release, &k->version);
	k->paging_levels = kv->p.depth;
	k->p4d_folded = kv->p.p4d_folded;
	k->kaslr_offset = (uint64_t)(-(long)kt->relocate);
	k->regions.page_offset = machdep->machspec->page_offset;
	k->regions.vmalloc_start = machdep->machspec->vmalloc_start_addr;
	k->regions.vmalloc_end = machdep->machspec->vmalloc_end;
	k->regions.vmemmap_start = machdep->machspec->vmemmap_vaddr;
	k->regions.vmemmap_end = machdep->machspec->vmemmap_end;

	if ((kt->ikconfig_flags & IKCONFIG_AVAIL) &&
	    get_kernel_config("CONFIG_HUGETLBFS", &val) != IKCONFIG_N) {
		k->hugetlbfs = VMF_TRUE;
		snprintf(k->hugetlbfs_source, sizeof(k->hugetlbfs_source), "ikconfig");
	} else if (kt->ikconfig_flags & IKCONFIG_AVAIL) {
		k->hugetlbfs = VMF_FALSE;
		snprintf(k->hugetlbfs_source, sizeof(k->hugetlbfs_source), "ikconfig");
	} else {
		/* hugetlbfs_file_operations exists exactly when CONFIG_HUGETLBFS=y */
		k->hugetlbfs = symbol_exists("hugetlbfs_file_operations") ? VMF_TRUE : VMF_FALSE;
		snprintf(k->hugetlbfs_source, sizeof(k->hugetlbfs_source),
			 "symbol hugetlbfs_file_operations %s",
			 k->hugetlbfs == VMF_TRUE ? "present" : "absent");
	}

	sp = symbol_search("vmalloc_fault");
	if (!sp) {
		k->has_vmalloc_fault = VMF_FALSE;
		snprintf(k->code_note, sizeof(k->code_note), "no function vmalloc_fault in the kernel or its modules");
		return;
	}
	{
		struct load_module *lm = NULL;
		struct syment *next = next_symbol(NULL, sp);
		ulong size = next && next->value > sp->value ? next->value - sp->value : 0x400;
		long fault_off = -1;
		char cmd[128];
		size_t len;
		char *text;

		k->has_vmalloc_fault = VMF_TRUE;
		k->vmalloc_fault_addr = sp->value;
		if (module_symbol(sp->value, NULL, &lm, NULL, 0) && lm)
			snprintf(k->vmalloc_fault_where, sizeof(k->vmalloc_fault_where), "module %.56s",
				 lm->mod_name);
		else
			snprintf(k->vmalloc_fault_where, sizeof(k->vmalloc_fault_where), "kernel");
		if (size > 0x2000)
			size = 0x2000;
		if (o->found && o->has_rip && strcmp(o->rip_sym, "vmalloc_fault") == 0)
			fault_off = (long)o->rip_off;
		/*
		 * gdb reads module text through crash, so this works without module
		 * debuginfo.  gdb's disassembly is the costliest step of vmfault: only the
		 * instructions the check counts, those before the faulting one if known.
		 */
		if (fault_off > 0 && (ulong)fault_off < size)
			size = (ulong)fault_off;
		snprintf(cmd, sizeof(cmd), "disassemble 0x%lx,0x%lx", sp->value, sp->value + size);
		open_tmpfile();
		if (!gdb_pass_through(cmd, pc->tmpfile, GNU_RETURN_ON_ERROR)) {
			close_tmpfile();
			k->code_large_check = VMF_UNKNOWN;
			snprintf(k->code_note, sizeof(k->code_note), "gdb could not disassemble vmalloc_fault at %lx",
				 sp->value);
			return;
		}
		text = slurp_tmpfile(&len);
		close_tmpfile();
		/* the range ends inside the last instruction at most; cut anything past it */
		{
			char *line = text, *nl;
			while (line && *line) {
				unsigned long long a;
				char *q = line;
				nl = strchr(line, '\n');
				while (*q == ' ' || *q == '=' || *q == '>')
					q++;
				if (sscanf(q, "0x%llx", &a) == 1 && a >= sp->value + size) {
					*line = 0;
					break;
				}
				line = nl ? nl + 1 : NULL;
			}
		}
		k->code_large_check = vmf_code_large_check(text, sp->value, fault_off, k->code_note,
							    sizeof(k->code_note));
		FREEBUF(text);
	}
}

/* ---- vmfault ---------------------------------------------------------------- */

/* VMFAULT_TIMING=2: the time of each step of vmfault, to find where it goes */
static double phase_t0;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void phase(const char *name)
{
	const char *t = getenv("VMFAULT_TIMING");
	double n = now_s();

	if (name && t && atoi(t) >= 2)
		fprintf(fp, "vmfault-timing:   %-14s %.6f s\n", name, n - phase_t0);
	phase_t0 = n;
}

static int opt_addr(char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 16);
	if (!*s || *end)
		return -1;
	*out = v;
	return 0;
}

/*
 * One error path: everything allocated with GETBUF, so an error(FATAL) anywhere
 * below still releases it when crash unwinds the command.
 */
static void cmd_vmfault(void)
{
	int c, json = 0, verbose = 0, have_addr = 0, found;
	char *task_arg = NULL;
	uint64_t addr = 0;
	struct vmf_kernel_view *kv;
	struct vmf_report *r;
	struct chosen_task ct;
	struct mm_list ml;
	struct vmf_dump_view v;
	char *log;
	size_t loglen;
	char why[160];

	while ((c = getopt(argcnt, args, "c:a:jv")) != EOF) {
		switch (c) {
		case 'c': task_arg = optarg; break;
		case 'a':
			if (opt_addr(optarg, &addr))
				error(FATAL, "-a takes a hexadecimal address, not \"%s\"\n", optarg);
			have_addr = 1;
			break;
		case 'j': json = 1; break;
		case 'v': verbose = 1; break;
		default: argerrs++; break;
		}
	}
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (!machine_type("X86_64"))
		error(FATAL, "x86_64 dumps only; this one is %s\n", MACHINE_TYPE);

	phase(NULL);
	kv = (struct vmf_kernel_view *)GETBUF(sizeof(*kv));
	r = (struct vmf_report *)GETBUF(sizeof(*r));
	vmf_report_init(r);

	if (setup_kernel_view(kv))
		error(FATAL, "%s\n", kv->why);
	phase("kernel view");

	/* 1. the oops */
	log = read_log_text(&loglen);
	r->ev.have_log = loglen > 0;
	snprintf(r->ev.log_source, sizeof(r->ev.log_source), "crash log (%lu bytes)", (ulong)loglen);
	vmf_parse_oops(log, loglen, &r->ev.oops);
	FREEBUF(log);
	phase("log");
	if (have_addr) {
		r->ev.oops.has_fault_addr = 1;
		r->ev.oops.fault_addr = addr;
		if (!r->ev.oops.found)
			r->ev.oops.found = 1;
		snprintf(r->ev.log_source, sizeof(r->ev.log_source), "crash log; address from -a");
	}

	/*
	 * the task: -c, else the task the oops names (after an oops that did not
	 * panic, crash's panic task is whoever panicked later), else the panic task
	 */
	found = 0;
	if (!task_arg && r->ev.oops.found && r->ev.oops.has_pid) {
		char pidbuf[24];
		snprintf(pidbuf, sizeof(pidbuf), "%d", r->ev.oops.pid);
		found = choose_task(pidbuf, &ct, why, sizeof(why)) == 0 && ct.pid == r->ev.oops.pid;
		if (found)
			snprintf(ct.source, sizeof(ct.source), "the oops' PID %d", ct.pid);
		else
			vmf_add_note(r, "the oops' task (PID %d) is not in the dump's task list (it exited?): "
				     "the page-table evidence uses the panic task", r->ev.oops.pid);
	}
	if (found || choose_task(task_arg, &ct, why, sizeof(why)) == 0) {
		ulong mm = task_mm_of(ct.task);
		uint64_t root;
		r->ev.have_task = 1;
		r->ev.task.pid = ct.pid;
		snprintf(r->ev.task.comm, sizeof(r->ev.task.comm), "%s", ct.comm);
		r->ev.task.task = ct.task;
		r->ev.task.mm = mm;
		r->ev.task.cpu = ct.cpu;
		snprintf(r->ev.task.source, sizeof(r->ev.task.source), "%s", ct.source);
		if (mm && !mm_root(mm, &root)) {
			ulong pgd = 0;
			read_ulong(mm + off.mm_pgd, &pgd);
			r->ev.task.pgd_va = pgd;
			r->ev.task.pgd_pa = root;
		}
	} else if (task_arg) {
		FREEBUF(kv);
		FREEBUF(r);
		error(FATAL, "%s\n", why);
	} else {
		vmf_add_note(r, "%s", why);
	}

	phase("task");
	kernel_facts(&r->ev.kernel, kv, &r->ev.oops);
	vmf_facts_from_log(r);
	phase("kernel facts");

	/* 2-4. page tables; with mm->owner only the mms the report names are named */
	collect_mms(&ml, off.mm_owner < 0);
	phase("mm list");
	BZERO(&v, sizeof(v));
	v.p = &kv->p;
	v.rd = &crash_reader;
	v.init_root = kv->init_root;
	v.regions.page_offset = r->ev.kernel.regions.page_offset;
	v.regions.direct_map_end = vmf_direct_map_end(kv->p.depth, v.regions.page_offset, r->ev.kernel.regions.vmalloc_start,
					      r->ev.kernel.regions.vmemmap_start);
	v.regions.vmalloc_start = r->ev.kernel.regions.vmalloc_start;
	v.regions.vmalloc_end = r->ev.kernel.regions.vmalloc_end;
	v.regions.vmemmap_start = r->ev.kernel.regions.vmemmap_start;
	v.regions.vmemmap_end = r->ev.kernel.regions.vmemmap_end;
	v.task_root_known = r->ev.task.pgd_pa != 0;
	v.task_root = r->ev.task.pgd_pa;
	v.mms = ml.mms;
	v.nmms = ml.n;
	v.mms_source = ml.source;
	v.phys_is_ram = crash_phys_is_ram;
	v.find_vmap = crash_find_vmap;
	v.name_mm = name_mm_by_owner;
	if (ml.why[0])
		vmf_add_note(r, "mm list: %s", ml.why);
	if (vmf_gather_dump_evidence(r, &v, NULL)) {
		free_mms(&ml);
		error(FATAL, "%s\n", r->error);
	}
	vmf_facts_from_dump(r);
	free_mms(&ml);
	phase("page tables");

	vmf_evaluate(r);
	if (json)
		vmf_report_json(fp, r);
	else
		vmf_report_text(fp, r, verbose);
	phase("report");
	FREEBUF(r);
	FREEBUF(kv);
}

/* ---- ptwalk ------------------------------------------------------------------ */

static void cmd_ptwalk(void)
{
	int c, json = 0;
	char *task_arg = NULL;
	uint64_t va = 0, root = 0;
	struct vmf_kernel_view *kv;
	struct chosen_task ct;
	struct vmf_walk *wt, *wi;
	char why[160], label[96];
	ulong mm;

	while ((c = getopt(argcnt, args, "c:j")) != EOF) {
		switch (c) {
		case 'c': task_arg = optarg; break;
		case 'j': json = 1; break;
		default: argerrs++; break;
		}
	}
	if (argerrs || !args[optind] || args[optind + 1])
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (opt_addr(args[optind], &va))
		error(FATAL, "\"%s\" is not a hexadecimal address\n", args[optind]);
	if (!machine_type("X86_64"))
		error(FATAL, "x86_64 dumps only; this one is %s\n", MACHINE_TYPE);

	kv = (struct vmf_kernel_view *)GETBUF(sizeof(*kv));
	if (setup_kernel_view(kv)) {
		FREEBUF(kv);
		error(FATAL, "%s\n", kv->why);
	}
	if (choose_task(task_arg, &ct, why, sizeof(why)) && !(task_arg == NULL && CURRENT_TASK())) {
		FREEBUF(kv);
		error(FATAL, "%s\n", why);
	}
	if (!ct.task) {
		ct.task = CURRENT_TASK();
		read_int(ct.task + off.task_pid, &ct.pid);
		readmem(ct.task + off.task_comm, KVADDR, ct.comm, sizeof(ct.comm) - 1, "comm", VMF_QUIET);
	}
	mm = task_mm_of(ct.task);
	if (mm_root(mm, &root)) {
		FREEBUF(kv);
		error(FATAL, "task %lx (pid %d) has no readable mm\n", ct.task, ct.pid);
	}
	wt = (struct vmf_walk *)GETBUF(sizeof(*wt));
	wi = (struct vmf_walk *)GETBUF(sizeof(*wi));
	vmf_walk_va(&kv->p, &crash_reader, root, va, wt);
	vmf_walk_va(&kv->p, &crash_reader, kv->init_root, va, wi);
	snprintf(label, sizeof(label), "PID %d (%s) mm %lx", ct.pid, ct.comm, mm);
	if (json)
		vmf_walk_json(fp, &kv->p, label, wt, "init_mm", wi);
	else
		vmf_print_walk_pair(fp, &kv->p, label, wt, "init_mm", wi);
	FREEBUF(wt);
	FREEBUF(wi);
	FREEBUF(kv);
}

/* ---- ptaudit ----------------------------------------------------------------- */

static void cmd_ptaudit(void)
{
	int c, json = 0, verbose = 0;
	struct vmf_kernel_view *kv;
	struct vmf_audit *a;
	struct vmf_top *t;
	struct mm_list ml;
	struct deviation {
		size_t mm;
		unsigned slot;
		enum vmf_slot_cmp cmp;
		uint64_t entry;
	} *dev;
	size_t i, ndev = 0, nmore = 0, dev_cap = 256;

	while ((c = getopt(argcnt, args, "jv")) != EOF) {
		switch (c) {
		case 'j': json = 1; break;
		case 'v': verbose = 1; break;
		default: argerrs++; break;
		}
	}
	if (argerrs || args[optind])
		cmd_usage(pc->curcmd, SYNOPSIS);
	if (!machine_type("X86_64"))
		error(FATAL, "x86_64 dumps only; this one is %s\n", MACHINE_TYPE);

	kv = (struct vmf_kernel_view *)GETBUF(sizeof(*kv));
	if (setup_kernel_view(kv)) {
		FREEBUF(kv);
		error(FATAL, "%s\n", kv->why);
	}
	a = (struct vmf_audit *)GETBUF(sizeof(*a));
	t = (struct vmf_top *)GETBUF(sizeof(*t));
	vmf_audit_init(a, &kv->p);
	vmf_read_top(&kv->p, &crash_reader, kv->init_root, &a->ref);
	if (!a->ref.readable) {
		char msg[128];
		snprintf(msg, sizeof(msg), "%s", a->ref.why);
		FREEBUF(t);
		FREEBUF(a);
		FREEBUF(kv);
		error(FATAL, "init_mm's top-level table: %s\n", msg);
	}
	collect_mms(&ml, verbose && !json);
	/* -v: each mm's deviations are kept, to list them under the table they explain */
	dev = (struct deviation *)GETBUF(sizeof(*dev) * dev_cap);
	for (i = 0; i < ml.n; i++) {
		unsigned s;

		vmf_read_top(&kv->p, &crash_reader, ml.mms[i].pgd_pa, t);
		vmf_audit_add(a, t);
		if (!verbose || json)
			continue;
		for (s = a->first_slot; s <= a->last_slot; s++) {
			enum vmf_slot_cmp cmp = t->readable ? vmf_compare_slot(&a->ref, t, s) : VMF_SLOT_UNREADABLE;
			if (cmp == VMF_SLOT_SAME)
				continue;
			if (ndev == VMF_DEVIATIONS_LISTED) {
				nmore++;
			} else {
				if (ndev == dev_cap)
					dev = grow_buf(dev, &dev_cap, ndev, sizeof(*dev));
				dev[ndev].mm = i;
				dev[ndev].slot = s;
				dev[ndev].cmp = cmp;
				dev[ndev++].entry = t->entry[s];
			}
			if (!t->readable)
				break;
		}
	}
	if (json) {
		vmf_audit_json(fp, a);
	} else {
		fprintf(fp, "MMS: %lu from %s\n", (ulong)ml.n, ml.source);
		if (ml.why[0])
			fprintf(fp, "WARNING: %s\n", ml.why);
		vmf_print_audit(fp, a, verbose);
	}
	if (verbose && !json) {
		fprintf(fp, "\nDEVIATING MMS: %lu slot entries\n", (ulong)(ndev + nmore));
		for (i = 0; i < ndev; i++) {
			const struct vmf_mm_ref *m = &ml.mms[dev[i].mm];
			if (dev[i].cmp == VMF_SLOT_UNREADABLE) {
				/* the read fails again, and says why: cheaper than keeping every reason */
				vmf_read_top(&kv->p, &crash_reader, m->pgd_pa, t);
				fprintf(fp, "  PID %-7d %-16s pgd %llx  unreadable: %s\n", m->pid, m->comm,
					(unsigned long long)m->pgd_pa, t->why);
			} else
				fprintf(fp, "  PID %-7d %-16s pgd %llx  slot %u: %s (%llx vs %llx)\n", m->pid,
					m->comm, (unsigned long long)m->pgd_pa, dev[i].slot,
					vmf_slot_cmp_name(dev[i].cmp), (unsigned long long)dev[i].entry,
					(unsigned long long)a->ref.entry[dev[i].slot]);
		}
		if (nmore)
			fprintf(fp, "  (%lu more not listed)\n", (ulong)nmore);
	}
	FREEBUF(dev);
	free_mms(&ml);
	FREEBUF(t);
	FREEBUF(a);
	FREEBUF(kv);
}

/* ---- timing, for `make bench`: VMFAULT_TIMING=1 in crash's environment ---- */

/*
 * VMFAULT_CHECK_BUFS=1: crash's shared-buffer accounting before and after the
 * command, so the damaged-dump tests can prove no GETBUF outlives a command
 * that returned (crash reclaims them after an error(FATAL) itself).
 */
static void buffer_use(long use[6])
{
	char *text, *p;
	size_t len;

	memset(use, 0, 6 * sizeof(long));
	open_tmpfile();
	dump_shared_bufs();
	text = slurp_tmpfile(&len);
	close_tmpfile();
	if ((p = strstr(text, "buf_inuse[5]:")))
		sscanf(p, "buf_inuse[5]: [%ld][%ld][%ld][%ld][%ld]", &use[0], &use[1], &use[2], &use[3], &use[4]);
	if ((p = strstr(text, "mallocs:"))) {
		long m = 0, f = 0;
		sscanf(p, "mallocs: %ld", &m);
		if ((p = strstr(text, "frees:")))
			sscanf(p, "frees: %ld", &f);
		use[5] = m - f;
	}
	FREEBUF(text);
}

static void timed(void (*cmd)(void), const char *name)
{
	double t0 = now_s();
	long before[6], after[6];
	int check = getenv("VMFAULT_CHECK_BUFS") != NULL, i, leaked = 0;

	if (check)
		buffer_use(before);
	cmd();
	if (getenv("VMFAULT_TIMING"))
		fprintf(fp, "vmfault-timing: %s %.6f s\n", name, now_s() - t0);
	if (check) {
		buffer_use(after);
		for (i = 0; i < 6; i++)
			leaked += after[i] != before[i];
		fprintf(fp, "vmfault-bufs: %s %s (in use %ld/%ld/%ld/%ld/%ld, mallocs-frees %ld)\n", name,
			leaked ? "LEAKED" : "balanced", after[0], after[1], after[2], after[3], after[4], after[5]);
	}
}

static void cmd_vmfault_timed(void) { timed(cmd_vmfault, "vmfault"); }
static void cmd_ptwalk_timed(void) { timed(cmd_ptwalk, "ptwalk"); }
static void cmd_ptaudit_timed(void) { timed(cmd_ptaudit, "ptaudit"); }

/* ---- registration and help ------------------------------------------------- */

void __attribute__((constructor)) vmfault_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) vmfault_fini(void)
{
}

#include "vmfault_help.h"
