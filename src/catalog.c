/*
 * catalog.c - the signatures as data.  Facts and commit ids come from
 * shared/reference/bug-family.md (public mail archives and mainline history);
 * what could not be confirmed from a primary source says "unverified".
 */
#include <string.h>
#include "vmf_catalog.h"

const struct vmf_cond_info vmf_conds[VMF_NCONDS] = {
	{ VMF_C_OOPS_FAULT_ADDR, "oops_fault_addr",
	  "the log has a kernel page-fault oops with a fault address", VMF_SRC_LOG },
	{ VMF_C_RIP_VMALLOC_FAULT, "rip_in_vmalloc_fault",
	  "the faulting RIP is in a function named vmalloc_fault", VMF_SRC_LOG },
	{ VMF_C_FAULT_IN_DIRECT_MAP, "fault_in_direct_map",
	  "the fault address lies in the direct map", VMF_SRC_DUMP },
	{ VMF_C_FAULT_PHYS_NOT_RAM, "fault_phys_not_ram",
	  "the fault address's physical page is not System RAM", VMF_SRC_DUMP },
	{ VMF_C_LARGE_PUD_FRAME, "large_pud_frame",
	  "a 1 GiB leaf pud of init_mm's vmalloc/ioremap area has that page as its frame", VMF_SRC_DUMP },
	{ VMF_C_LARGE_PMD_FRAME, "large_pmd_frame",
	  "a 2 MiB leaf pmd of init_mm's vmalloc/ioremap area has that page as its frame", VMF_SRC_DUMP },
	{ VMF_C_LARGE_SLOT_UNSYNCED, "large_slot_unsynced",
	  "that leaf's top-level slot is missing from at least one mm", VMF_SRC_DUMP },
	{ VMF_C_OOPS_TOP_ZERO, "oops_top_zero",
	  "the oops' page-table line shows PGD 0 or P4D 0", VMF_SRC_LOG },
	{ VMF_C_FAULT_IN_VMALLOC, "fault_in_vmalloc",
	  "the fault address is in the vmalloc/ioremap range", VMF_SRC_DUMP },
	{ VMF_C_FAULT_IN_VMEMMAP, "fault_in_vmemmap",
	  "the fault address is in the vmemmap range", VMF_SRC_DUMP },
	{ VMF_C_FAULT_SLOT_MISSING, "fault_slot_missing",
	  "the fault address's top-level slot is in init_mm but missing from the task", VMF_SRC_DUMP },
	{ VMF_C_BUG_IN_VMALLOC_FAULT, "bug_in_vmalloc_fault",
	  "kernel BUG at arch/x86/mm/fault.c with RIP in vmalloc_fault", VMF_SRC_LOG },
	{ VMF_C_FIX1_INERT, "fix1_inert",
	  "the kernel has f4eafd8bcd52 but CONFIG_HUGETLBFS=n and no 18a955219bf7", VMF_SRC_KERNEL },
	{ VMF_C_NO_VMALLOC_FAULT, "no_vmalloc_fault",
	  "the kernel has no vmalloc_fault (x86-64 >= v5.8, 7f0a002b5a21)", VMF_SRC_KERNEL },
};

#define FIX1 { "f4eafd8bcd5229e998aa252627703b8462c3b90f", \
	"x86/mm: Fix vmalloc_fault() to handle large pages properly", "v4.5", \
	"Cc: stable 4.1+; in 4.1.y (added 2016-03-02, release unverified) and 4.4.y (by 4.4.123 at the latest)" }
#define FIX2 { "18a955219bf7", "x86/mm: Fix vmalloc_fault to use pXd_large", "v4.16", \
	"stable 4.4.123, 4.9.y, 4.14.y, 4.15.y (exact releases unverified)" }
#define NOHUGEIOMAP \
	"boot with nohugeiomap: ioremap() then maps with 4 KiB PTEs, so vmalloc_fault() never meets a " \
	"large pud/pmd. Cost: a page-table page per 2 MiB of ioremap (8 MiB of tables per 16 GiB " \
	"mapping) and more TLB misses on large pmem/BAR mappings. This is an inference from what " \
	"the option does (0ddab1d2ed66, v4.1), not a maintainer's statement; nohugeiomap was broken " \
	"in 5.13-rc1 and fixed by 86d0c1642725."

const struct vmf_signature vmf_catalog[] = {
	{
		"VMF-LARGE-PUD",
		"vmalloc_fault() dereferenced a 1 GiB ioremap pud as a pmd table",
		1,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_RIP_VMALLOC_FAULT, VMF_C_FAULT_IN_DIRECT_MAP,
		  VMF_C_FAULT_PHYS_NOT_RAM, VMF_C_LARGE_PUD_FRAME, VMF_C_LARGE_SLOT_UNSYNCED }, 6,
		{ 0 }, 0,
		{ FIX1, FIX2 }, 2,
		NOHUGEIOMAP,
		"A run-time ioremap() mapped with 1 GiB puds in a top-level slot that this process's "
		"pgd lacked. vmalloc_fault() copied the slot, then read pmd_offset() of the leaf pud: "
		"__va(pud frame) + pmd_index * 8, a direct-map address with no RAM behind it.",
		{ "lore: \"x86/mm/vmfault: Make vmalloc_fault() handle large pages\" (Toshi Kani, 2016-02)",
		  "commit f4eafd8bcd52 (v4.5)", "commit 18a955219bf7 (v4.16)",
		  "huge ioremap: 0ddab1d2ed66, e61ce6ade404 (v4.1-rc1)" }, 4,
	},
	{
		"VMF-LARGE-PMD",
		"vmalloc_fault() dereferenced a 2 MiB ioremap pmd as a pte table",
		1,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_RIP_VMALLOC_FAULT, VMF_C_FAULT_IN_DIRECT_MAP,
		  VMF_C_FAULT_PHYS_NOT_RAM, VMF_C_LARGE_PMD_FRAME, VMF_C_LARGE_SLOT_UNSYNCED }, 6,
		{ 0 }, 0,
		{ FIX1, FIX2 }, 2,
		NOHUGEIOMAP,
		"A run-time ioremap() mapped with 2 MiB pmds in a top-level slot that this process's "
		"pgd lacked. vmalloc_fault() copied the slot, then read pte_offset_kernel() of the "
		"leaf pmd: __va(pmd frame) + pte_index * 8, a direct-map address with no RAM behind it.",
		{ "lore: \"x86/mm/vmfault: Make vmalloc_fault() handle large pages\" (Toshi Kani, 2016-02)",
		  "commit f4eafd8bcd52 (v4.5)", "commit 18a955219bf7 (v4.16)",
		  "4.9-rt/i915 pmd case: lkml.org/lkml/2018/3/8/1281" }, 4,
	},
	{
		"VMF-LARGE-HUGETLBFS-N",
		"vmalloc_fault() large-page oops on a kernel whose fix is inert (CONFIG_HUGETLBFS=n)",
		1,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_RIP_VMALLOC_FAULT, VMF_C_FAULT_IN_DIRECT_MAP,
		  VMF_C_FAULT_PHYS_NOT_RAM, VMF_C_LARGE_SLOT_UNSYNCED, VMF_C_FIX1_INERT }, 6,
		/* the kernel's own vmalloc_fault: one more condition than the base, so it wins */
		{ VMF_C_NO_VMALLOC_FAULT }, 1,
		{ FIX2 }, 1,
		NOHUGEIOMAP,
		"f4eafd8bcd52 tests pud_huge()/pmd_huge(), which are always 0 without CONFIG_HUGETLBFS, "
		"so the same oops returns; 18a955219bf7 uses pud_large()/pmd_large() instead.",
		{ "commit 18a955219bf7 (v4.16)", "lkml.org/lkml/2018/3/8/1281 (4.9-rt, i915, pmd leaf)" }, 2,
	},
	{
		"VMF-STALE-VMALLOC",
		"kernel access through a vmalloc/ioremap top-level slot missing from the task's page table",
		0,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_FAULT_IN_VMALLOC, VMF_C_OOPS_TOP_ZERO,
		  VMF_C_FAULT_SLOT_MISSING, VMF_C_NO_VMALLOC_FAULT }, 5,
		{ VMF_C_RIP_VMALLOC_FAULT }, 1,
		{ { "7f0a002b5a21", "x86/mm: remove vmalloc faulting", "v5.8-rc1",
		    "with 2ba3e6947aed, 8e19843c36ab: eager sync via arch_sync_kernel_mappings()" },
		  { "995909a4e22b", "x86/mm/64: Do not sync vmalloc/ioremap mappings", "5.9/5.10",
		    "after 8bb9bf242d1f was reverted" },
		  { "58a18fe95e83", "x86/mm/64: Do not sync vmalloc/ioremap mappings", "5.9/5.10", "" },
		  { "6eb82f994026", "x86/mm: Pre-allocate P4D/PUD pages for vmalloc area", "v5.9-rc1", "" } }, 4,
		"none known; the fix is to sync (or preallocate) the kernel's top-level entries",
		"With no vmalloc_fault() (x86-64 >= v5.8), a top-level entry of init_mm that a process's "
		"page table lacks is simply not there: the access faults with PGD 0 / P4D 0.",
		{ "commit 7f0a002b5a21 (v5.8-rc1)", "commits 8bb9bf242d1f (reverted), 995909a4e22b, 58a18fe95e83",
		  "commit 6eb82f994026 (v5.9-rc1)" }, 3,
	},
	{
		"VMF-STALE-VMEMMAP",
		"vmemmap access through a top-level slot missing from the task's page table (4-level)",
		0,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_FAULT_IN_VMEMMAP, VMF_C_OOPS_TOP_ZERO,
		  VMF_C_FAULT_SLOT_MISSING }, 4,
		{ VMF_C_RIP_VMALLOC_FAULT }, 1,
		{ { "6659d0279980", "x86/mm/64: define ARCH_PAGE_TABLE_SYNC_MASK and arch_sync_kernel_mappings()",
		    "2025", "stable 6.6/6.12/6.16" },
		  { "7cc183f2e67d", "companion of 6659d0279980", "2025", "stable 6.6/6.12/6.16" } }, 2,
		"none known",
		"Hot-added pmem/devdax vmemmap on 4-level paging populated a new top-level entry in "
		"init_mm that was never synced: PGD 0 P4D 0 at ffffe7... in __init_single_page.",
		{ "commit 6659d0279980 (2025)", "commit 7cc183f2e67d (2025)" }, 2,
	},
	{
		"VMF-XEN-LAZY-MMU",
		"Xen PV: vmalloc_fault() BUG during lazy MMU updates",
		0,
		{ VMF_C_BUG_IN_VMALLOC_FAULT }, 1,
		{ 0 }, 0,
		{ { "1160c2779b82", "x86, mm, paravirt: Fix vmalloc_fault oops during lazy MMU updates",
		    "v3.9", "" } }, 1,
		"none known",
		"Under Xen PV with lazy MMU mode, vmalloc_fault() could see a pgd entry not yet flushed "
		"and hit BUG() at arch/x86/mm/fault.c.",
		{ "commit 1160c2779b82 (v3.9)" }, 1,
	},
};

const int vmf_catalog_len = (int)(sizeof(vmf_catalog) / sizeof(vmf_catalog[0]));

const struct vmf_signature *vmf_signature_by_id(const char *id)
{
	int i;

	for (i = 0; id && i < vmf_catalog_len; i++)
		if (strcmp(vmf_catalog[i].id, id) == 0)
			return &vmf_catalog[i];
	return 0;
}
