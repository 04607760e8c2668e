/*
 * kfacts.c - what the page-table evidence asks of the kernel's structures (is
 * this physical page System RAM? which vmap area holds this address? whose mm
 * is this?) and the kernel facts (version, CONFIG_HUGETLBFS, vmalloc_fault and
 * its code), through a data front's primitives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_kview.h"
#include "vmf_list.h"
#include "kview_internal.h"

/* ---- iomem: is a physical address System RAM? ---------------------------------- */

#define IOMEM_MAX 100000       /* resources visited, top level and children together */

struct resource_ref {
	uint64_t start, end, name, sibling, child;
};

/* One read per resource: start, end, name, sibling and child lie within 64 bytes. */
static int read_resource(const struct vmf_kview *kv, uint64_t res, struct resource_ref *r)
{
	const struct vmf_offsets *o = &kv->off;
	long at[5] = { o->res_start, o->res_end, o->res_name, o->res_sibling, o->res_child };
	uint64_t *to[5] = { &r->start, &r->end, &r->name, &r->sibling, &r->child };
	long lo = at[0], hi = at[0];
	char buf[KV_SPAN_MAX];
	int i;

	for (i = 1; i < 5; i++) {
		lo = at[i] < lo ? at[i] : lo;
		hi = at[i] > hi ? at[i] : hi;
	}
	if (lo < 0 || hi + 8 - lo > KV_SPAN_MAX || kv_read(kv, res + (uint64_t)lo, buf, (size_t)(hi + 8 - lo)))
		return -1;
	for (i = 0; i < 5; i++)
		memcpy(to[i], buf + at[i] - lo, sizeof(uint64_t));
	return 0;
}

/* A kernel string of up to len-1 bytes, read no further than its page (the next may be absent). */
static void read_name(const struct vmf_kview *kv, uint64_t at, char *buf, size_t len)
{
	size_t first = 4096 - (size_t)(at & 4095);

	memset(buf, 0, len);
	if (!at)
		return;
	if (first > len - 1)
		first = len - 1;
	if (kv_read(kv, at, buf, first))
		buf[0] = 0;
	else if (!memchr(buf, 0, first) && first < len - 1 && kv_read(kv, at + first, buf + first, len - 1 - first))
		buf[first] = 0;
}

/*
 * One level of siblings: VMF_TRUE in System RAM, VMF_FALSE with *child the
 * children of the resource holding paddr (0 if none does), VMF_UNKNOWN when the
 * list stopped short (src says where).  A damaged list must never end in "no RAM
 * holds it": that would support a MATCH.
 */
static enum vmf_tri iomem_level(const struct vmf_kview *kv, uint64_t res, uint64_t paddr,
				unsigned long *budget, uint64_t *child, char *src, size_t srclen)
{
	struct vmf_list l;
	struct resource_ref r;
	char name[32], what[64];

	*child = 0;
	vmf_list_begin(&l, "iomem resource list", "resources", 0, res, *budget);
	while (vmf_list_next(&l)) {
		if (read_resource(kv, l.pos, &r)) {
			snprintf(what, sizeof(what), "iomem resource %llx unreadable", (unsigned long long)l.pos);
			vmf_list_broken(&l, what);
			break;
		}
		read_name(kv, r.name, name, sizeof(name));
		if (paddr >= r.start && paddr <= r.end) {
			if (strcmp(name, "System RAM") == 0) {
				snprintf(src, srclen, "iomem: %llx-%llx System RAM", (unsigned long long)r.start,
					 (unsigned long long)r.end);
				return VMF_TRUE;
			}
			*child = r.child;
			return VMF_FALSE;
		}
		vmf_list_advance(&l, r.sibling);
	}
	*budget -= l.visited;
	if (l.end == VMF_LIST_DONE)
		return VMF_FALSE;
	snprintf(src, srclen, "%s", l.why);
	return VMF_UNKNOWN;
}

/* Look for paddr inside a "System RAM" resource of iomem_resource (two levels). */
static enum vmf_tri phys_is_ram(void *ctx, uint64_t paddr, char *src, size_t srclen)
{
	const struct vmf_kview *kv = ctx;
	uint64_t iomem, res, child;
	unsigned long budget = IOMEM_MAX;
	int depth;

	if (kv_symbol(kv, "iomem_resource", &iomem) || kv->off.res_child < 0) {
		snprintf(src, srclen, "iomem_resource unavailable");
		return VMF_UNKNOWN;
	}
	if (kv_read_u64(kv, iomem + (uint64_t)kv->off.res_child, &res)) {
		snprintf(src, srclen, "iomem_resource unreadable");
		return VMF_UNKNOWN;
	}
	for (depth = 0; depth < 2 && res; depth++, res = child) {
		enum vmf_tri t = iomem_level(kv, res, paddr, &budget, &child, src, srclen);
		if (t != VMF_FALSE)
			return t;
	}
	snprintf(src, srclen, "iomem: no System RAM resource holds it");
	return VMF_FALSE;
}

/* ---- vmap areas ------------------------------------------------------------------ */

/*
 * vmap_area_list lists every vmap area (exported for kexec and makedumpfile in
 * place of vmlist, f1c4069e1dc1, v3.10); since d093602919ad (v6.9) the areas are
 * in per-node lists instead, the symbol is gone, and no area is named.
 */

static void vm_struct_of(const struct vmf_kview *kv, uint64_t vm, uint64_t *addr, uint64_t *size,
			 uint64_t *phys, char *caller, size_t callerlen)
{
	const struct vmf_offsets *o = &kv->off;
	uint64_t pc = 0;

	*addr = *size = *phys = 0;
	kv_read_u64(kv, vm + (uint64_t)o->vm_addr, addr);
	kv_read_u64(kv, vm + (uint64_t)o->vm_size, size);
	if (o->vm_phys >= 0)
		kv_read_u64(kv, vm + (uint64_t)o->vm_phys, phys);
	if (o->vm_caller >= 0 && !kv_read_u64(kv, vm + (uint64_t)o->vm_caller, &pc) && pc &&
	    (!kv->k->addr_name || kv->k->addr_name(kv->k->ctx, pc, caller, callerlen) || !caller[0]))
		snprintf(caller, callerlen, "?");
}

/* The area's va_start, va_end, list link and vm pointer: one read per area. */
static int read_area(const struct vmf_kview *kv, uint64_t area, uint64_t f[4])
{
	const struct vmf_offsets *o = &kv->off;
	long at[4] = { o->va_start, o->va_end, o->va_list, o->va_vm }, lo = at[0], hi = at[0];
	char buf[KV_SPAN_MAX];
	int i;

	for (i = 1; i < 4; i++) {
		lo = at[i] < lo ? at[i] : lo;
		hi = at[i] > hi ? at[i] : hi;
	}
	if (lo < 0 || hi + 8 - lo > KV_SPAN_MAX || kv_read(kv, area + (uint64_t)lo, buf, (size_t)(hi + 8 - lo)))
		return -1;
	for (i = 0; i < 4; i++)
		memcpy(&f[i], buf + at[i] - lo, sizeof(uint64_t));
	return 0;
}

static int find_vmap(void *ctx, uint64_t va, uint64_t *addr, uint64_t *size, uint64_t *phys,
		     char *caller, size_t callerlen)
{
	const struct vmf_kview *kv = ctx;
	const struct vmf_offsets *o = &kv->off;
	uint64_t head, first, f[4];        /* va_start, va_end, list.next, vm */
	struct vmf_list l;
	char what[64];

	if (kv_symbol(kv, "vmap_area_list", &head) || o->va_list < 0 || o->va_vm < 0 ||
	    o->va_start < 0 || o->va_end < 0 || kv_read_u64(kv, head, &first))
		return -1;
	vmf_list_begin(&l, "vmap_area_list", "areas", head, first, VMF_LIST_MAX);
	while (vmf_list_next(&l)) {
		uint64_t area = l.pos - (uint64_t)o->va_list;

		if (read_area(kv, area, f)) {
			snprintf(what, sizeof(what), "vmap_area %llx unreadable", (unsigned long long)area);
			vmf_list_broken(&l, what);
			break;
		}
		if (va >= f[0] && va < f[1]) {
			if (!f[3])
				return -1;
			vm_struct_of(kv, f[3], addr, size, phys, caller, callerlen);
			return 0;
		}
		vmf_list_advance(&l, f[2]);
	}
	if (l.end == VMF_LIST_DONE)
		return -1;
	snprintf(caller, callerlen, "%s", l.why);
	return -2;
}

/* ---- whose mm --------------------------------------------------------------------- */

/*
 * mm_struct.owner (CONFIG_MEMCG; since cf475ad28ac3 "cgroups: add an owner to
 * the mm_struct") names an mm in a few reads, where the task list would take
 * one read per task of the system.  An owner that no longer uses this mm (it
 * exited, and the owner was not handed on yet) would name another process: -1.
 */
static int name_by_owner(void *ctx, uint64_t mm, int *pid, char *comm, size_t commlen)
{
	const struct vmf_kview *kv = ctx;
	uint64_t owner, owner_mm;

	if (kv->off.mm_owner < 0 || kv_read_u64(kv, mm + (uint64_t)kv->off.mm_owner, &owner) || !owner ||
	    kv_read_u64(kv, owner + (uint64_t)kv->off.task_mm, &owner_mm) || owner_mm != mm ||
	    kv_read_int(kv, owner + (uint64_t)kv->off.task_pid, pid) || kv_read_comm(kv, owner, comm, commlen))
		return -1;
	return 0;
}

void vmf_kview_dump_view(const struct vmf_kview *kv, const struct vmf_mm_list *ml,
			 uint64_t task_root, struct vmf_dump_view *v)
{
	memset(v, 0, sizeof(*v));
	v->p = &kv->p;
	v->rd = &kv->k->phys;
	v->init_root = kv->init_root;
	v->regions = kv->regions;
	v->task_root_known = task_root != 0;
	v->task_root = task_root;
	v->mms = ml->mms;
	v->nmms = ml->n;
	v->mms_source = ml->source;
	v->mms_unknown = ml->unavailable ? ml->why : NULL;
	v->ctx = (void *)kv;
	v->phys_is_ram = phys_is_ram;
	v->name_mm = name_by_owner;
	v->find_vmap = find_vmap;
}

/* ---- kernel facts ------------------------------------------------------------------ */

static void hugetlbfs_fact(const struct vmf_kview *kv, struct vmf_kernel_facts *kf)
{
	enum vmf_tri t = kv->k->config ? kv->k->config(kv->k->ctx, "CONFIG_HUGETLBFS") : VMF_UNKNOWN;

	if (t == VMF_UNKNOWN && kv->k->symbols_partial) {
		kf->hugetlbfs = VMF_UNKNOWN;
		snprintf(kf->hugetlbfs_source, sizeof(kf->hugetlbfs_source), "no symbol table: %.60s",
			 kv->k->symbols_partial);
		return;
	}
	if (t != VMF_UNKNOWN) {
		kf->hugetlbfs = t;
		snprintf(kf->hugetlbfs_source, sizeof(kf->hugetlbfs_source), "ikconfig");
		return;
	}
	/* hugetlbfs_file_operations exists exactly when CONFIG_HUGETLBFS=y */
	kf->hugetlbfs = kv_symbol(kv, "hugetlbfs_file_operations", NULL) ? VMF_FALSE : VMF_TRUE;
	snprintf(kf->hugetlbfs_source, sizeof(kf->hugetlbfs_source), "symbol hugetlbfs_file_operations %s",
		 kf->hugetlbfs == VMF_TRUE ? "present" : "absent");
}

/* Cut a disassembly at the first instruction at or past end (the range ends inside one). */
static void cut_at(char *text, uint64_t end)
{
	char *line = text;

	while (line && *line) {
		uint64_t a;

		if (!vmf_insn_addr(line, &a) && a >= end) {
			*line = 0;
			return;
		}
		line = strchr(line, '\n');
		line = line ? line + 1 : NULL;
	}
}

/*
 * The code check reads the instructions before the faulting one (all of the
 * function, at most 8 KiB, when the fault was elsewhere): disassembling is the
 * costliest step of vmfault, so no more than the check counts.
 */
static void code_fact(const struct vmf_kview *kv, const struct vmf_function *f, const struct vmf_oops *o,
		      struct vmf_kernel_facts *kf)
{
	uint64_t size = f->size ? f->size : 0x400;
	long fault_off = -1;
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	int rc;

	if (size > 0x2000)
		size = 0x2000;
	if (o->found && o->has_rip && strcmp(o->rip_sym, "vmalloc_fault") == 0)
		fault_off = (long)o->rip_off;
	if (fault_off > 0 && (uint64_t)fault_off < size)
		size = (uint64_t)fault_off;
	out = open_memstream(&text, &len);
	rc = !out || !kv->k->disassemble || kv->k->disassemble(kv->k->ctx, f->start, f->start + size, out);
	if (out)
		fclose(out);
	if (rc || !text) {
		kf->code_large_check = VMF_UNKNOWN;
		snprintf(kf->code_note, sizeof(kf->code_note), "could not disassemble vmalloc_fault at %llx",
			 (unsigned long long)f->start);
		free(text);
		return;
	}
	cut_at(text, f->start + size);
	kf->code_large_check = vmf_code_large_check(text, f->start, fault_off, kf->code_note,
						    sizeof(kf->code_note));
	free(text);
}

void vmf_kview_kernel_facts(const struct vmf_kview *kv, const struct vmf_oops *o,
			    struct vmf_kernel_facts *kf)
{
	const struct vmf_layout *l = &kv->k->layout;
	struct vmf_function f;

	vmf_parse_release(l->release, &kf->version);
	kf->paging_levels = kv->p.depth;
	kf->p4d_folded = kv->p.p4d_folded;
	kf->kaslr_offset = l->kaslr_offset;
	kf->regions = kv->regions;
	hugetlbfs_fact(kv, kf);
	memset(&f, 0, sizeof(f));
	if (kv->k->symbols_partial) {
		kf->has_vmalloc_fault = VMF_UNKNOWN;
		snprintf(kf->code_note, sizeof(kf->code_note), "no symbol table (%s): vmalloc_fault not looked for",
			 kv->k->symbols_partial);
		return;
	}
	if (kv->k->function(kv->k->ctx, "vmalloc_fault", &f)) {
		kf->has_vmalloc_fault = VMF_FALSE;
		snprintf(kf->code_note, sizeof(kf->code_note), "no function vmalloc_fault in the kernel or its modules");
		return;
	}
	kf->has_vmalloc_fault = VMF_TRUE;
	kf->vmalloc_fault_addr = f.start;
	if (f.module[0])
		snprintf(kf->vmalloc_fault_where, sizeof(kf->vmalloc_fault_where), "module %.56s", f.module);
	else
		snprintf(kf->vmalloc_fault_where, sizeof(kf->vmalloc_fault_where), "kernel");
	code_fact(kv, &f, o, kf);
}
