/*
 * fuzz_catalog - the catalog evaluation over every combination of facts: each
 * condition's state, the kernel version and config, text-only or dump, an oops
 * or none, as the input bytes choose them.  The verdict's invariants and the
 * writers' output are checked (fuzz_common.h).
 */
#include <stdint.h>
#include <string.h>
#include "vmf_diag.h"
#include "fuzz_common.h"

struct bytes { const uint8_t *p; size_t n; };

static unsigned take(struct bytes *b)
{
	unsigned v;
	if (!b->n)
		return 0;
	v = *b->p++;
	b->n--;
	return v;
}

static enum vmf_tri tri(struct bytes *b)
{
	return (enum vmf_tri)(take(b) % 3);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmf_report r;
	static const char *const sym[] = { "vmalloc_fault", "do_page_fault", "memcpy", "" };
	struct bytes b = { data, size };
	char release[40];
	int i;

	vmf_report_init(&r);
	r.text_only = take(&b) & 1;
	r.ev.have_log = take(&b) & 1;
	r.ev.oops.found = take(&b) & 1;
	r.ev.oops.has_fault_addr = take(&b) & 1;
	r.ev.oops.fault_addr = 0xffff880000000000ULL + ((uint64_t)take(&b) << 32);
	r.ev.oops.has_rip = take(&b) & 1;
	snprintf(r.ev.oops.rip_sym, sizeof(r.ev.oops.rip_sym), "%s", sym[take(&b) % 4]);
	snprintf(release, sizeof(release), "%u.%u.%u-fuzz", take(&b) % 8, take(&b) % 30, take(&b));
	if (take(&b) & 1)
		vmf_parse_release(release, &r.ev.kernel.version);
	r.ev.kernel.hugetlbfs = tri(&b);
	r.ev.kernel.has_vmalloc_fault = tri(&b);
	r.ev.kernel.code_large_check = tri(&b);
	snprintf(r.ev.kernel.vmalloc_fault_where, sizeof(r.ev.kernel.vmalloc_fault_where), "%s",
		 take(&b) & 1 ? "kernel" : "module fuzz");
	r.ev.kernel.paging_levels = take(&b) & 1 ? 5 : 4;
	r.ev.have_leaf = take(&b) & 1;
	r.ev.leaf_kind = take(&b) & 1 ? VMF_PUD : VMF_PMD;
	r.ev.have_slot = take(&b) & 1;
	r.ev.slot = take(&b) % 512;
	r.ev.mms_total = take(&b);
	r.ev.mms_lacking = take(&b) % (r.ev.mms_total + 1);
	if (take(&b) & 1)
		vmf_facts_from_log(&r);
	/* then any condition may be overridden, as a front end's dump facts do */
	for (i = 0; i < VMF_NCONDS; i++)
		if (take(&b) & 1)
			vmf_set_fact(&r, (enum vmf_cond)i, tri(&b), "fuzz %d", i);
	vmf_evaluate(&r);
	check_report(&r);
	return 0;
}
