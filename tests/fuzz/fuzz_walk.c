/*
 * fuzz_walk - the walker, the range walker, the top-level audit and the whole
 * dump-evidence path over random page tables.
 *
 * Input: byte 0 picks the paging model, bytes 1-8 a virtual address, bytes 9-16
 * the oops' fault address; the rest is physical memory from address 0, page
 * after page (the last one zero-padded), with page 0 init_mm's top table and
 * pages 1-3 other mms' top tables.  Anything beyond is "not in the dump".
 * Entries that point outside memory, at their own table or in cycles must all
 * end the walk with a reason.
 */
#include <stdint.h>
#include <string.h>
#include "vmf_pt.h"
#include "vmf_evidence.h"
#include "fuzz_common.h"

static const uint8_t *mem;
static size_t memlen;

static int fuzz_read(void *ctx, uint64_t pa, void *buf, size_t len, char *why, size_t whylen)
{
	(void)ctx;
	if (pa >= memlen || len > memlen - pa) {
		/* the last page reads as zero-padded, the rest is absent */
		if (pa < ((memlen + 4095) & ~(size_t)4095) && (pa & 4095) + len <= 4096) {
			size_t have = pa < memlen ? memlen - pa : 0;
			memcpy(buf, mem + pa, have);
			memset((char *)buf + have, 0, len - have);
			return 0;
		}
		snprintf(why, whylen, "physical address %llx not in the dump", (unsigned long long)pa);
		return -1;
	}
	memcpy(buf, mem + pa, len);
	return 0;
}

static int count_visit(void *arg, const struct vmf_step *s, uint64_t lo, uint64_t hi)
{
	(void)s;
	if (lo > hi)
		abort();
	return ++*(unsigned long *)arg > 100000;   /* the budget must stop it long before */
}

static enum vmf_tri not_ram(void *ctx, uint64_t pa, char *src, size_t len)
{
	(void)ctx;
	snprintf(src, len, "fuzz");
	return pa & 0x1000 ? VMF_TRUE : VMF_FALSE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmf_paging p;
	static struct vmf_walk w;
	static struct vmf_top a, b;
	static struct vmf_report r;
	static struct vmf_audit audit;
	static struct vmf_leaf leaves[8];
	struct vmf_reader rd = { NULL, fuzz_read };
	struct vmf_range_stats st;
	struct vmf_dump_view v;
	struct vmf_mm_ref mms[3];
	uint64_t va, fault;
	unsigned long visits = 0;
	unsigned s;
	int i;

	if (size < 17)
		return 0;
	switch (data[0] % 4) {
	case 0: vmf_paging_x86_64(&p, 4, 0); break;
	case 1: vmf_paging_x86_64(&p, 5, 0); break;
	case 2: vmf_paging_x86_64(&p, 4, 1); break;
	default: vmf_paging_pae(&p); break;
	}
	memcpy(&va, data + 1, 8);
	memcpy(&fault, data + 9, 8);
	mem = data + 17;
	memlen = size - 17;
	p.max_paddr = (memlen + 4095) & ~(uint64_t)4095;

	for (i = 0; i < 4; i++) {
		vmf_walk_va(&p, &rd, 0, i ? va ^ ((uint64_t)i << 39) : va, &w);
		if (w.nsteps > p.depth || w.nsteps < 0)
			abort();
		if (w.result == VMF_WALK_MAPPED && !w.page_size)
			abort();
	}
	vmf_walk_range(&p, &rd, 0, vmf_top_slot_start(&p, vmf_top_kernel_first(&p)), UINT64_MAX, p.depth, 64,
		       count_visit, &visits, &st);
	if (st.tables_read > 64 + 1)
		abort();

	vmf_read_top(&p, &rd, 0, &a);
	vmf_read_top(&p, &rd, 4096, &b);
	for (s = 0; s < vmf_top_entries(&p); s++)
		if ((unsigned)vmf_compare_slot(&a, &b, s) > VMF_SLOT_UNREADABLE)
			abort();
	vmf_audit_init(&audit, &p);
	vmf_read_top(&p, &rd, 0, &audit.ref);
	vmf_audit_add(&audit, &b);
	vmf_find_large_leaves(&p, &rd, 0, 0, UINT64_MAX, fault & p.frame_mask, leaves, 8, &st);

	/* the dump-evidence path as the crash extension runs it */
	vmf_report_init(&r);
	r.ev.have_log = 1;
	r.ev.oops.found = 1;
	r.ev.oops.has_fault_addr = 1;
	r.ev.oops.fault_addr = fault;
	r.ev.oops.has_rip = 1;
	snprintf(r.ev.oops.rip_sym, sizeof(r.ev.oops.rip_sym), "vmalloc_fault");
	vmf_parse_release("4.4.0-fuzz", &r.ev.kernel.version);
	r.ev.kernel.paging_levels = p.depth;
	vmf_facts_from_log(&r);
	memset(&v, 0, sizeof(v));
	v.p = &p;
	v.rd = &rd;
	v.init_root = 0;
	v.page_offset = p.depth == 5 ? 0xff11000000000000ULL : 0xffff888000000000ULL;
	v.direct_map_end = vmf_direct_map_end(p.depth, v.page_offset, 0xffffc90000000000ULL,
					      0xffffea0000000000ULL);
	v.vmalloc_start = 0xffffc90000000000ULL;
	v.vmalloc_end = 0xffffe8ffffffffffULL;
	v.vmemmap_start = 0xffffea0000000000ULL;
	v.vmemmap_end = 0xffffeaffffffffffULL;
	v.task_root_known = data[0] & 4;
	v.task_root = 4096;
	for (i = 0; i < 3; i++) {
		mms[i].mm = 0x1000 + i;
		mms[i].pgd_pa = 4096ULL * (i + 1);
		mms[i].pid = i + 1;
		snprintf(mms[i].comm, sizeof(mms[i].comm), "fuzz%d", i);
	}
	v.mms = mms;
	v.nmms = 3;
	v.mms_source = "fuzz";
	v.phys_is_ram = not_ram;
	vmf_gather_dump_facts(&r, &v, &audit);
	vmf_evaluate(&r);
	check_report(&r);
	(void)visits;
	return 0;
}
