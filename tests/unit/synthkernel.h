/*
 * synthkernel.h - a synthetic kernel behind the engine's data-front interface
 * (vmf_kernel.h), for the unit tests and the fuzz targets: task_structs,
 * mm_structs, the struct pages of pgd_list, iomem resources and vmap areas,
 * laid out by the C structs below in a kernel virtual memory the test builds.
 * Physical memory (the page tables) is the test's own reader.  Lists can be
 * damaged on purpose (sk_poke, sk_unreadable) to test the engine's walks.
 */
#ifndef VMF_SYNTHKERNEL_H
#define VMF_SYNTHKERNEL_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_kernel.h"

/* The layout without KASLR, 4-level and 5-level; objects get a 4 KiB page each. */
#define SK_PAGE_OFFSET   0xffff888000000000ULL
#define SK_VMALLOC_START 0xffffc90000000000ULL
#define SK_VMALLOC_END   0xffffe8ffffffffffULL
#define SK_VMEMMAP_START 0xffffea0000000000ULL
#define SK_VMEMMAP_END   0xffffeaffffffffffULL
#define SK5_PAGE_OFFSET   0xff11000000000000ULL
#define SK5_VMALLOC_START 0xffa0000000000000ULL
#define SK5_VMALLOC_END   0xffd1ffffffffffffULL
#define SK5_VMEMMAP_START 0xffd4000000000000ULL
#define SK5_VMEMMAP_END   0xffd5ffffffffffffULL
#define SK_OBJECTS       0x7f000000ULL                       /* from page_offset */
#define SK_TEXT          0xffffffff81000000ULL               /* symbols without objects */

struct sk_list_head { uint64_t next, prev; };
struct sk_task { uint64_t state; struct sk_list_head tasks; uint64_t mm, active_mm; int32_t pid, cpu; char comm[16]; };
struct sk_mm { uint64_t mmap, pgd, owner; };
struct sk_page { uint64_t flags; struct sk_list_head lru; uint64_t pt_mm; uint64_t pad[4]; };
struct sk_resource { uint64_t start, end, name, flags, desc, parent, sibling, child; };
struct sk_vmap_area { uint64_t va_start, va_end, rb_node[3]; struct sk_list_head list; uint64_t vm; };
struct sk_vm_struct { uint64_t next, addr, size, flags, pages, nr_pages, phys_addr, caller; };

/* Members a kernel may lack (struct synth_kernel.missing). */
#define SK_NO_PT_MM  1u     /* struct page without pt_mm */
#define SK_NO_OWNER  2u     /* mm_struct without owner (CONFIG_MEMCG=n) */
#define SK_NO_INDEX  4u     /* struct page without index either */

#define SK_MAX_OBJECTS 256
#define SK_MAX_SYMBOLS 24

struct sk_object { uint64_t kva; size_t size; unsigned char *data; const char *why; };

struct synth_kernel {
	struct vmf_kernel k;
	struct sk_object obj[SK_MAX_OBJECTS];
	int nobj;
	uint64_t next_kva;
	struct { char name[40]; uint64_t addr; } sym[SK_MAX_SYMBOLS];
	int nsym;
	unsigned missing;
	uint64_t init_task, init_mm, pgd_list, iomem, vmap_list, panic_task;
	struct vmf_function vmalloc_fault;   /* start 0: the kernel has none */
	const char *disasm;                  /* what disassemble prints; NULL: it fails */
	enum vmf_tri hugetlbfs_config;       /* UNKNOWN: no ikconfig */
};

static inline struct sk_object *sk_find(struct synth_kernel *sk, uint64_t kva, size_t len)
{
	int i;

	for (i = 0; i < sk->nobj; i++)
		if (kva >= sk->obj[i].kva && kva - sk->obj[i].kva + len <= sk->obj[i].size)
			return &sk->obj[i];
	return NULL;
}

static inline uint64_t sk_new_at(struct synth_kernel *sk, uint64_t kva, size_t size)
{
	struct sk_object *o;

	if (sk->nobj == SK_MAX_OBJECTS)
		abort();
	o = &sk->obj[sk->nobj++];
	o->kva = kva;
	o->size = size;
	o->data = calloc(1, size);
	o->why = NULL;
	if (!o->data)
		abort();
	return kva;
}

static inline uint64_t sk_new(struct synth_kernel *sk, size_t size)
{
	uint64_t kva = sk->next_kva;

	sk->next_kva += 4096;
	return sk_new_at(sk, kva, size);
}

static inline void *sk_ptr(struct synth_kernel *sk, uint64_t kva)
{
	struct sk_object *o = sk_find(sk, kva, 1);

	return o ? o->data + (kva - o->kva) : NULL;
}

static inline void sk_poke(struct synth_kernel *sk, uint64_t kva, uint64_t value)
{
	memcpy(sk_ptr(sk, kva), &value, sizeof(value));
}

static inline void sk_unreadable(struct synth_kernel *sk, uint64_t kva, const char *why)
{
	sk_find(sk, kva, 1)->why = why;
}

static inline void sk_symbol(struct synth_kernel *sk, const char *name, uint64_t addr)
{
	snprintf(sk->sym[sk->nsym].name, sizeof(sk->sym[0].name), "%s", name);
	sk->sym[sk->nsym++].addr = addr;
}

/* Append the list_head at node to the list at head. */
static inline void sk_list_add_tail(struct synth_kernel *sk, uint64_t head, uint64_t node)
{
	struct sk_list_head *h = sk_ptr(sk, head), *n = sk_ptr(sk, node), *last = sk_ptr(sk, h->prev);

	n->next = head;
	n->prev = h->prev;
	last->next = node;
	h->prev = node;
}

static inline uint64_t sk_list_init(struct synth_kernel *sk, uint64_t head)
{
	struct sk_list_head *h = sk_ptr(sk, head);

	h->next = h->prev = head;
	return head;
}

/* ---- building the kernel's structures ---- */

static inline uint64_t sk_mm_add(struct synth_kernel *sk, uint64_t pgd_pa)
{
	uint64_t mm = sk_new(sk, sizeof(struct sk_mm));

	((struct sk_mm *)sk_ptr(sk, mm))->pgd = sk->k.layout.page_offset + pgd_pa;
	return mm;
}

static inline uint64_t sk_task_add(struct synth_kernel *sk, int pid, const char *comm, uint64_t mm)
{
	uint64_t task = sk_new(sk, sizeof(struct sk_task));
	struct sk_task *t = sk_ptr(sk, task);

	t->pid = pid;
	t->cpu = pid % 4;
	t->mm = t->active_mm = mm;
	snprintf(t->comm, sizeof(t->comm), "%s", comm);
	sk_list_add_tail(sk, sk->init_task + offsetof(struct sk_task, tasks), task + offsetof(struct sk_task, tasks));
	if (mm && !((struct sk_mm *)sk_ptr(sk, mm))->owner)
		((struct sk_mm *)sk_ptr(sk, mm))->owner = task;
	return task;
}

/* The struct page of a pgd on pgd_list, at its place in the vmemmap array. */
static inline uint64_t sk_pgd_list_add(struct synth_kernel *sk, uint64_t pgd_pa, uint64_t mm)
{
	uint64_t page = sk_new_at(sk, sk->k.layout.vmemmap_start + (pgd_pa >> 12) * sizeof(struct sk_page),
				  sizeof(struct sk_page));

	((struct sk_page *)sk_ptr(sk, page))->pt_mm = mm;
	sk_list_add_tail(sk, sk->pgd_list, page + offsetof(struct sk_page, lru));
	return page;
}

static inline uint64_t sk_string(struct synth_kernel *sk, const char *s)
{
	uint64_t at = sk_new(sk, strlen(s) + 1);

	memcpy(sk_ptr(sk, at), s, strlen(s) + 1);
	return at;
}

/* A resource [start, end] named name, as the last child of parent (0: of iomem_resource). */
static inline uint64_t sk_resource_add(struct synth_kernel *sk, uint64_t parent, uint64_t start, uint64_t end,
				const char *name)
{
	uint64_t res = sk_new(sk, sizeof(struct sk_resource)), *link;
	struct sk_resource *r = sk_ptr(sk, res);

	r->start = start;
	r->end = end;
	r->name = sk_string(sk, name);
	r->parent = parent ? parent : sk->iomem;
	link = &((struct sk_resource *)sk_ptr(sk, r->parent))->child;
	while (*link)
		link = &((struct sk_resource *)sk_ptr(sk, *link))->sibling;
	*link = res;
	return res;
}

static inline uint64_t sk_vmap_add(struct synth_kernel *sk, uint64_t start, uint64_t size, uint64_t phys,
			    uint64_t caller)
{
	uint64_t area = sk_new(sk, sizeof(struct sk_vmap_area)), vm = sk_new(sk, sizeof(struct sk_vm_struct));
	struct sk_vmap_area *a = sk_ptr(sk, area);
	struct sk_vm_struct *v = sk_ptr(sk, vm);

	a->va_start = start;
	a->va_end = start + size;
	a->vm = vm;
	v->addr = start;
	v->size = size;
	v->phys_addr = phys;
	v->caller = caller;
	sk_list_add_tail(sk, sk->vmap_list, area + offsetof(struct sk_vmap_area, list));
	return area;
}

/* ---- the primitives ---- */

static inline int sk_read(void *ctx, uint64_t kva, void *buf, size_t len, char *why, size_t whylen)
{
	struct sk_object *o = sk_find(ctx, kva, len);

	if (!o || o->why) {
		snprintf(why, whylen, "%s", o ? o->why : "not mapped");
		return -1;
	}
	memcpy(buf, o->data + (kva - o->kva), len);
	return 0;
}

/* The direct map: a pgd's virtual address is page_offset + its physical one. */
static inline int sk_kvtop(void *ctx, uint64_t kva, uint64_t *pa)
{
	uint64_t base = ((struct synth_kernel *)ctx)->k.layout.page_offset;

	if (kva < base || kva >= base + (1ULL << 40))
		return -1;
	*pa = kva - base;
	return 0;
}

static inline int sk_symbol_of(void *ctx, const char *name, uint64_t *addr)
{
	struct synth_kernel *sk = ctx;
	int i;

	for (i = 0; i < sk->nsym; i++)
		if (strcmp(sk->sym[i].name, name) == 0) {
			*addr = sk->sym[i].addr;
			return 0;
		}
	return -1;
}

static inline int sk_addr_name(void *ctx, uint64_t addr, char *buf, size_t len)
{
	struct synth_kernel *sk = ctx;
	int i, best = -1;

	for (i = 0; i < sk->nsym; i++)
		if (sk->sym[i].addr <= addr && addr - sk->sym[i].addr < 4096 &&
		    (best < 0 || sk->sym[i].addr > sk->sym[best].addr))
			best = i;
	if (best < 0)
		return -1;
	if (addr == sk->sym[best].addr)
		snprintf(buf, len, "%s", sk->sym[best].name);
	else
		snprintf(buf, len, "%s+%llu", sk->sym[best].name, (unsigned long long)(addr - sk->sym[best].addr));
	return 0;
}

static inline long sk_member_offset(void *ctx, const char *type, const char *member)
{
	static const struct { const char *type, *member; size_t off; unsigned unless; } m[] = {
		{ "mm_struct", "pgd", offsetof(struct sk_mm, pgd), 0 },
		{ "mm_struct", "owner", offsetof(struct sk_mm, owner), SK_NO_OWNER },
		{ "task_struct", "mm", offsetof(struct sk_task, mm), 0 },
		{ "task_struct", "active_mm", offsetof(struct sk_task, active_mm), 0 },
		{ "task_struct", "tasks", offsetof(struct sk_task, tasks), 0 },
		{ "task_struct", "pid", offsetof(struct sk_task, pid), 0 },
		{ "task_struct", "comm", offsetof(struct sk_task, comm), 0 },
		{ "page", "lru", offsetof(struct sk_page, lru), 0 },
		{ "page", "pt_mm", offsetof(struct sk_page, pt_mm), SK_NO_PT_MM },
		{ "page", "index", offsetof(struct sk_page, pt_mm), SK_NO_INDEX },   /* one slot, as in the kernel */
		{ "vmap_area", "va_start", offsetof(struct sk_vmap_area, va_start), 0 },
		{ "vmap_area", "va_end", offsetof(struct sk_vmap_area, va_end), 0 },
		{ "vmap_area", "list", offsetof(struct sk_vmap_area, list), 0 },
		{ "vmap_area", "vm", offsetof(struct sk_vmap_area, vm), 0 },
		{ "vm_struct", "addr", offsetof(struct sk_vm_struct, addr), 0 },
		{ "vm_struct", "size", offsetof(struct sk_vm_struct, size), 0 },
		{ "vm_struct", "phys_addr", offsetof(struct sk_vm_struct, phys_addr), 0 },
		{ "vm_struct", "caller", offsetof(struct sk_vm_struct, caller), 0 },
		{ "resource", "start", offsetof(struct sk_resource, start), 0 },
		{ "resource", "end", offsetof(struct sk_resource, end), 0 },
		{ "resource", "name", offsetof(struct sk_resource, name), 0 },
		{ "resource", "sibling", offsetof(struct sk_resource, sibling), 0 },
		{ "resource", "child", offsetof(struct sk_resource, child), 0 },
	};
	struct synth_kernel *sk = ctx;
	size_t i;

	for (i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (!strcmp(m[i].type, type) && !strcmp(m[i].member, member))
			return m[i].unless & sk->missing ? -1 : (long)m[i].off;
	return -1;
}

static inline long sk_type_size(void *ctx, const char *type)
{
	(void)ctx;
	return strcmp(type, "page") == 0 ? (long)sizeof(struct sk_page) : -1;
}

static inline int sk_panic_task(void *ctx, uint64_t *task)
{
	struct synth_kernel *sk = ctx;

	*task = sk->panic_task;
	return sk->panic_task ? 0 : -1;
}

static inline int sk_task_cpu(void *ctx, uint64_t task)
{
	struct sk_task *t = sk_ptr(ctx, task);

	return t ? t->cpu : -1;
}

static inline int sk_function(void *ctx, const char *name, struct vmf_function *f)
{
	struct synth_kernel *sk = ctx;

	if (strcmp(name, "vmalloc_fault") || !sk->vmalloc_fault.start)
		return -1;
	*f = sk->vmalloc_fault;
	return 0;
}

static inline int sk_disassemble(void *ctx, uint64_t start, uint64_t end, FILE *out)
{
	struct synth_kernel *sk = ctx;

	(void)start;
	(void)end;
	if (!sk->disasm)
		return -1;
	fputs(sk->disasm, out);
	return 0;
}

static inline enum vmf_tri sk_config(void *ctx, const char *name)
{
	struct synth_kernel *sk = ctx;

	return strcmp(name, "CONFIG_HUGETLBFS") == 0 ? sk->hugetlbfs_config : VMF_UNKNOWN;
}

/*
 * A kernel of the given paging levels whose init_mm's table is at init_root,
 * with init_task, init_mm, pgd_list, iomem_resource and vmap_area_list, no
 * other task and no panic task yet.
 */
static inline void sk_init(struct synth_kernel *sk, const struct vmf_reader *phys, int levels, uint64_t init_root,
		    unsigned missing)
{
	struct vmf_kernel *k = &sk->k;

	memset(sk, 0, sizeof(*sk));
	sk->missing = missing;
	sk->hugetlbfs_config = VMF_UNKNOWN;
	k->ctx = sk;
	k->name = "synth";
	k->layout.paging_levels = levels;
	k->layout.max_physmem_bits = 46;
	k->layout.page_offset = levels == 5 ? SK5_PAGE_OFFSET : SK_PAGE_OFFSET;
	k->layout.vmalloc_start = levels == 5 ? SK5_VMALLOC_START : SK_VMALLOC_START;
	k->layout.vmalloc_end = levels == 5 ? SK5_VMALLOC_END : SK_VMALLOC_END;
	k->layout.vmemmap_start = levels == 5 ? SK5_VMEMMAP_START : SK_VMEMMAP_START;
	k->layout.vmemmap_end = levels == 5 ? SK5_VMEMMAP_END : SK_VMEMMAP_END;
	sk->next_kva = k->layout.page_offset + SK_OBJECTS;
	snprintf(k->layout.release, sizeof(k->layout.release), "4.4.0-21-generic");
	k->phys = *phys;
	k->read = sk_read;
	k->kvtop = sk_kvtop;
	k->symbol = sk_symbol_of;
	k->addr_name = sk_addr_name;
	k->member_offset = sk_member_offset;
	k->type_size = sk_type_size;
	k->panic_task = sk_panic_task;
	k->task_cpu = sk_task_cpu;
	k->function = sk_function;
	k->disassemble = sk_disassemble;
	k->config = sk_config;
	sk->init_task = sk_new(sk, sizeof(struct sk_task));
	sk_list_init(sk, sk->init_task + offsetof(struct sk_task, tasks));
	snprintf(((struct sk_task *)sk_ptr(sk, sk->init_task))->comm, 16, "swapper/0");
	sk->init_mm = sk_mm_add(sk, init_root);
	sk->pgd_list = sk_list_init(sk, sk_new(sk, sizeof(struct sk_list_head)));
	sk->iomem = sk_new(sk, sizeof(struct sk_resource));
	sk->vmap_list = sk_list_init(sk, sk_new(sk, sizeof(struct sk_list_head)));
	sk_symbol(sk, "init_task", sk->init_task);
	sk_symbol(sk, "init_mm", sk->init_mm);
	sk_symbol(sk, "pgd_list", sk->pgd_list);
	sk_symbol(sk, "iomem_resource", sk->iomem);
	sk_symbol(sk, "vmap_area_list", sk->vmap_list);
}

static inline void sk_free(struct synth_kernel *sk)
{
	int i;

	for (i = 0; i < sk->nobj; i++)
		free(sk->obj[i].data);
	sk->nobj = 0;
}

/* A process with its own mm on pgd_list (named through mm->owner), as fork makes it. */
static inline uint64_t sk_process(struct synth_kernel *sk, int pid, const char *comm, uint64_t pgd_pa)
{
	uint64_t mm = sk_mm_add(sk, pgd_pa);

	sk_pgd_list_add(sk, pgd_pa, mm);
	return sk_task_add(sk, pid, comm, mm);
}

#endif
