/*
 * catalog.c - the signatures and their fixes as data.
 *
 * Every commit id, title, mainline release and stable release carries the
 * source it was read in (the commit as the stable queue or a mail archive holds
 * it, the stable queue's releases/ files, stable review and release mails) and
 * its basis: verified there, inferred from it (a date, a review batch), or
 * unverified, with the reason.  docs/catalog.md prints them.  The stable queue
 * is read in its GitHub mirror AnggaR96s/stable-queue; mails in the public
 * archives of linux-mm (sjp38/lore-linux-mm), stable, linux-kernel and
 * linux-tip-commits (the linux-mailinglist-archives repositories); kernel.org's post-receive
 * mails list commits pushed to mainline and stable branches.
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
	{ VMF_C_LEAF_UNDECIDED, "leaf_level_undecided",
	  "text only: nothing in the log tells a 1 GiB pud leaf from a 2 MiB pmd leaf", VMF_SRC_LOG },
	{ VMF_C_VMEMMAP_UNSYNCED, "vmemmap_populate_unsynced",
	  "the kernel has 8d400913c231 (v5.13), which 6659d0279980's Fixes: tag names as the cause: "
	  "before it vmemmap population synced new top-level entries", VMF_SRC_RELEASE },
};

#define SQ "stable-queue (GitHub mirror AnggaR96s/stable-queue) "
#define LINUX_MM "linux-mm archive (sjp38/lore-linux-mm)"
#define UNTAGGED "; the mainline tag itself was not read"

const struct vmf_fix vmf_fixes[] = {
	{ "f4eafd8bcd52", "x86/mm: Fix vmalloc_fault() to handle large pages properly", "v4.5", 4, 5,
	  VMF_INFERRED,
	  "the commit as " SQ "queue-4.4/x86-mm-fix-vmalloc_fault-to-handle-large-pages-properly.patch holds it "
	  "(stable-queue commit 552e1a261c71): 'commit f4eafd8bcd5229e998aa252627703b8462c3b90f upstream', "
	  "Toshi Kani, 2016-02-17, Link 1455758214-24623-1-git-send-email-toshi.kani@hpe.com",
	  "upstream by 2016-03-02, when Sasha Levin added it to 4.1-stable as an upstream commit (" LINUX_MM
	  "), so in the next mainline release, v4.5" UNTAGGED, 0,
	  { { 4, 4, 3, VMF_INFERRED,
	      SQ "queue-4.4 carries it (stable-queue commit 552e1a261c71); the number 4.4.3 is "
	      "shared/reference/bug-family.md's reading of the series that became 4.4.3: the store lacks "
	      "releases/4.4.3/series and that patch file" },
	    { 4, 1, 19, VMF_INFERRED,
	      "'[added to the 4.1 stable tree] x86/mm: Fix vmalloc_fault() to handle large pages properly', "
	      "Sasha Levin, 2016-03-02, <1456949673-25036-79-git-send-email-sasha.levin@oracle.com> (" LINUX_MM
	      "); 4.1.19 inferred from that date" },
	    { 4, 3, VMF_NEVER, VMF_UNVERIFIED,
	      "4.3.y's last release, 4.3.6, came before the fix (issue 14, bug-family.md; 4.3.6's date was "
	      "not read in a primary source here)" },
	    { 4, 2, VMF_NEVER, VMF_UNVERIFIED,
	      "no kernel.org 4.2.y release carries it (4.2.y had ended; not read in a primary source here)" } }, 4,
	  "Ubuntu's 4.2.8-ckt5 extended stable carries it: '[PATCH 4.2.y-ckt 176/273]', Kamal Mostafa, "
	  "2016-03-07 (" LINUX_MM "); a distribution kernel may carry it at any release" },
	{ "18a955219bf7", "x86/mm: Fix vmalloc_fault to use pXd_large", "v4.16", 4, 16,
	  VMF_INFERRED,
	  SQ "releases/4.4.123/x86-mm-fix-vmalloc_fault-to-use-pxd_large.patch (stable-queue commit "
	  "afb62acded63): 'commit 18a955219bf7d9008ce480d4451b6b8bf4483a22 upstream', Toshi Kani, 2018-03-13, "
	  "Fixes: f4eafd8bcd52",
	  "upstream by 2018-03-19, when the 4.4/4.9/4.14/4.15 stable reviews took it as an upstream commit, "
	  "so in the next mainline release, v4.16" UNTAGGED, 0,
	  { { 4, 4, 123, VMF_VERIFIED,
	      SQ "releases/4.4.123/ holds the patch (stable-queue commit afb62acded63); review "
	      "'[PATCH 4.4 115/134]', 2018-03-19, <20180319171905.892026687@linuxfoundation.org> (" LINUX_MM ")" },
	    { 4, 15, 12, VMF_VERIFIED,
	      SQ "releases/4.15.12/series, line 9 of 52 (stable-queue commit ff32579238a2), the same place as "
	      "review '[PATCH 4.15 09/52]', 2018-03-19, <20180319180735.579401608@linuxfoundation.org>" },
	    { 4, 9, 89, VMF_INFERRED,
	      "review '[PATCH 4.9 220/241]', 2018-03-19, <20180319180800.282731338@linuxfoundation.org> (" LINUX_MM
	      "), the batch whose 4.4 and 4.15 series became 4.4.123 and 4.15.12; " SQ "queue-4.9 copy at "
	      "commit c66d8798313d; releases/4.9.89/ is only partly stored" },
	    { 4, 14, 29, VMF_INFERRED,
	      "review '[PATCH 4.14 11/41]', 2018-03-19, <20180319180732.937782326@linuxfoundation.org> (" LINUX_MM
	      "), the same batch; " SQ "queue-4.14 copy at commit de12fd02ae14; releases/4.14.29/ is only "
	      "partly stored" },
	    { 4, 1, VMF_NOT_CHECKED, VMF_UNVERIFIED, "4.1.y (maintained into 2018) was not checked" } }, 5,
	  "a SUSE 4.4-based kernel changelog lists it (bnc#1012382); a distribution kernel may carry it at "
	  "any release" },
	{ "7f0a002b5a21", "x86/mm: remove vmalloc faulting", "v5.8", 5, 8, VMF_INFERRED,
	  "named as the upstream commit 7f0a002b5a21 (\"x86/mm: remove vmalloc faulting\") by tip commit "
	  "4819e15f740e, linux-tip-commits 2020-09-03 (Fixes: tag); posted as '[PATCH v3 7/7] x86/mm: Remove "
	  "vmalloc faulting', Joerg Roedel, 2020-05-15, <20200515140023.25469-8-joro@8bytes.org>; with "
	  "2ba3e6947aed \"mm/vmalloc: track which page-table levels were modified\" (Fixes: tags of 2025 mm "
	  "patches) and the rest of that series; 8e19843c36ab, named here before, was not found (unverified)",
	  "the stable list's 5.8 regression thread names it (Joerg Roedel, 2020-08-22)" UNTAGGED, 1,
	  { { 0 } }, 0, NULL },
	{ "6eb82f994026", "x86/mm: Pre-allocate P4D/PUD pages for vmalloc area", "v5.9", 5, 9, VMF_INFERRED,
	  "linux-tip-commits: merged into tip x86/mm 2020-07-27, Commit-ID "
	  "6eb82f9940267d3af260989d077a2833f588beae, Joerg Roedel, 2020-07-21",
	  "tip x86/mm of July 2020 went to the 5.9 merge window, as did its fix 995909a4e22b" UNTAGGED, 0,
	  { { 0 } }, 0, "stable backports were not checked" },
	{ "995909a4e22b", "x86/mm/64: Do not dereference non-present PGD entries", "v5.9", 5, 9, VMF_INFERRED,
	  "'[PATCH] x86/mm/64: Do not dereference non-present PGD entries', Joerg Roedel, 2020-08-07, "
	  "<20200807084013.7090-1-joro@8bytes.org> (linux-kernel archive): the fix of 6eb82f994026's "
	  "preallocation",
	  "Ingo Molnar in that thread (2020-08-13): Linus reverted 8bb9bf242d1f (7b4ea9456dd3) and applied this "
	  "fix in the 5.9 merge window; a kernel.org mainline push of that window lists it" UNTAGGED, 0,
	  { { 0 } }, 0, "stable backports were not checked" },
	{ "58a18fe95e83", "x86/mm/64: Do not sync vmalloc/ioremap mappings", "v5.10", 5, 10, VMF_INFERRED,
	  "linux-tip-commits: merged into tip x86/mm 2020-08-15, Commit-ID "
	  "58a18fe95e83b8396605154db04d73b08063f31b, Joerg Roedel, Link 20200814151947.26229-2-joro@8bytes.org: "
	  "8bb9bf242d1f re-landed after 7b4ea9456dd3 reverted it and 995909a4e22b fixed the preallocation",
	  "'tentatively scheduled for v5.10' (Ingo Molnar, 2020-08-13); tip x86/mm after the 5.9 merge window"
	  UNTAGGED, 1, { { 0 } }, 0, NULL },
	{ "6659d0279980", "x86/mm/64: define ARCH_PAGE_TABLE_SYNC_MASK and arch_sync_kernel_mappings()",
	  "v6.17", 6, 17, VMF_INFERRED,
	  "kernel.org post-receive list: 6659d027998083fbb6d42a165b0c90dc2e8ba989; posted as '[PATCH V4 "
	  "mm-hotfixes 3/3]', Harry Yoo, 2025-08-11, <20250811053420.10721-4-harry.yoo@oracle.com>",
	  "upstream by 2025-09-07, when the 6.6.105-rc1 review took it, so in the next mainline release, v6.17"
	  UNTAGGED, 0,
	  { { 6, 1, 151, VMF_VERIFIED,
	      "Debian's linux 6.1.153-1 changelog (bookworm linux-libc-dev) lists it under upstream "
	      "ChangeLog-6.1.151" },
	    { 6, 6, 105, VMF_INFERRED,
	      "'[PATCH 6.6 000/121] 6.6.105-rc1 review', 2025-09-07, <20250907195609.817339617@linuxfoundation.org> "
	      "(stable archive) lists it; the release mail was not read" },
	    { 6, 12, 46, VMF_INFERRED,
	      "the 6.12.46-rc1 review, 2025-09-07 (stable archive), lists it; the release mail was not read" },
	    { 6, 16, 6, VMF_VERIFIED,
	      "'Linux 6.16.6', Greg Kroah-Hartman, 2025-09-09, <2025090911-tactics-molar-588d@gregkh> (stable "
	      "archive): its shortlog lists it" },
	    { 5, 15, VMF_NOT_CHECKED, VMF_UNVERIFIED, "5.15.y was not checked" },
	    { 5, 10, VMF_NOT_CHECKED, VMF_UNVERIFIED, "5.10.y was not checked" } }, 6,
	  "other series were not checked; a distribution kernel may carry it at any release" },
	{ "7cc183f2e67d", "mm: move page table sync declarations to linux/pgtable.h", "v6.17", 6, 17, VMF_INFERRED,
	  "kernel.org post-receive list: 7cc183f2e67d19b03ee5c13a6664b8c6cc37ff9d, Harry Yoo; the companion "
	  "of 6659d0279980 in the same series",
	  "upstream with 6659d0279980 by 2025-09-07 (the 6.6.105-rc1 review)" UNTAGGED, 0,
	  { { 6, 1, 151, VMF_VERIFIED, "Debian's linux 6.1.153-1 changelog lists it under ChangeLog-6.1.151" },
	    { 6, 6, 105, VMF_INFERRED, "the 6.6.105-rc1 review lists it" },
	    { 6, 12, 46, VMF_INFERRED, "the 6.12.46-rc1 review lists it" },
	    { 6, 16, 6, VMF_VERIFIED, "'Linux 6.16.6' (stable archive) lists it" },
	    { 5, 15, VMF_NOT_CHECKED, VMF_UNVERIFIED, "5.15.y was not checked" },
	    { 5, 10, VMF_NOT_CHECKED, VMF_UNVERIFIED, "5.10.y was not checked" } }, 6,
	  "other series were not checked" },
	{ "8d400913c231", "x86/vmemmap: handle unpopulated sub-pmd ranges", "v5.13", 5, 13, VMF_INFERRED,
	  "the Fixes: tag of 6659d0279980 and 7cc183f2e67d, 'Fixes: 8d400913c231 (\"x86/vmemmap: handle "
	  "unpopulated sub-pmd ranges\")' (Harry Yoo's series, linux-mm 2025-08; the 6659d0279980 message as "
	  "android-kvm.googlesource.com holds it); posted as '[PATCH v2] x86/vmemmap: Handle unpopulated "
	  "sub-pmd ranges', Oscar Salvador, 2021-01/02 (linux-kernel archive)",
	  "in the kernel.org post-receive mail of tip/auto-latest, 2021-05-02, which merged Linus's master "
	  "between v5.12 (2021-04-25) and v5.13-rc1: the 5.13 merge window" UNTAGGED, 1,
	  { { 0 } }, 0, "stable backports of it were not checked" },
	{ "1160c2779b82", "x86, mm, paravirt: Fix vmalloc_fault oops during lazy MMU updates", "v3.9", 3, 9,
	  VMF_UNVERIFIED,
	  "the commit's page, repo.jachan.dev/linux.git/commitdiff/1160c2779b826c6f5c08e5cc542de58fd1f667d5 "
	  "(a stored web page)",
	  "v3.9 was not read in a primary source (unverified)", 0, { { 0 } }, 0, NULL },
};

const int vmf_fixes_len = (int)(sizeof(vmf_fixes) / sizeof(vmf_fixes[0]));

enum { F_F4EAFD, F_18A955, F_7F0A00, F_6EB82F, F_995909, F_58A18F, F_6659D0, F_7CC183, F_8D4009, F_1160C2 };

#define NOHUGEIOMAP \
	"boot with nohugeiomap: ioremap() then maps with 4 KiB PTEs, so vmalloc_fault() never meets a " \
	"large pud/pmd. Cost: a page-table page per 2 MiB of ioremap (8 MiB of tables per 16 GiB " \
	"mapping) and more TLB misses on large pmem/BAR mappings. This is an inference from what " \
	"the option does (0ddab1d2ed66, v4.1), not a maintainer's statement; nohugeiomap was broken " \
	"in 5.13-rc1 and fixed by 86d0c1642725."
#define LARGE_REFS(last) \
	{ "lore: \"x86/mm/vmfault: Make vmalloc_fault() handle large pages\" (Toshi Kani, 2016-02)", \
	  "commit f4eafd8bcd52 (v4.5)", "commit 18a955219bf7 (v4.16)", last }, 4

const struct vmf_signature vmf_catalog[] = {
	{
		"VMF-LARGE-LEAF",
		"vmalloc_fault() dereferenced a large ioremap leaf as a lower table: VMF-LARGE-PUD (1 GiB) or "
		"VMF-LARGE-PMD (2 MiB), the log does not tell which",
		1,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_RIP_VMALLOC_FAULT, VMF_C_FAULT_IN_DIRECT_MAP,
		  VMF_C_FAULT_PHYS_NOT_RAM, VMF_C_LARGE_SLOT_UNSYNCED, VMF_C_LEAF_UNDECIDED }, 6,
		{ 0 }, 0,
		{ &vmf_fixes[F_F4EAFD], &vmf_fixes[F_18A955] }, 2,
		NOHUGEIOMAP,
		"A run-time ioremap() mapped with large leaves in a top-level slot that this process's pgd "
		"lacked. vmalloc_fault() copied the slot, then read the leaf as a table: the fault address "
		"is __va(leaf frame) + index * 8. A 1 GiB pud's frame is 1 GiB aligned, a 2 MiB pmd's need "
		"not be; this log's frame, registers and page-table line do not decide which.",
		LARGE_REFS("huge ioremap: 0ddab1d2ed66, e61ce6ade404 (v4.1-rc1)"),
	},
	{
		"VMF-LARGE-PUD",
		"vmalloc_fault() dereferenced a 1 GiB ioremap pud as a pmd table",
		1,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_RIP_VMALLOC_FAULT, VMF_C_FAULT_IN_DIRECT_MAP,
		  VMF_C_FAULT_PHYS_NOT_RAM, VMF_C_LARGE_PUD_FRAME, VMF_C_LARGE_SLOT_UNSYNCED }, 6,
		{ VMF_C_LEAF_UNDECIDED }, 1,
		{ &vmf_fixes[F_F4EAFD], &vmf_fixes[F_18A955] }, 2,
		NOHUGEIOMAP,
		"A run-time ioremap() mapped with 1 GiB puds in a top-level slot that this process's "
		"pgd lacked. vmalloc_fault() copied the slot, then read pmd_offset() of the leaf pud: "
		"__va(pud frame) + pmd_index * 8, a direct-map address with no RAM behind it.",
		LARGE_REFS("huge ioremap: 0ddab1d2ed66, e61ce6ade404 (v4.1-rc1)"),
	},
	{
		"VMF-LARGE-PMD",
		"vmalloc_fault() dereferenced a 2 MiB ioremap pmd as a pte table",
		1,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_RIP_VMALLOC_FAULT, VMF_C_FAULT_IN_DIRECT_MAP,
		  VMF_C_FAULT_PHYS_NOT_RAM, VMF_C_LARGE_PMD_FRAME, VMF_C_LARGE_SLOT_UNSYNCED }, 6,
		{ VMF_C_LEAF_UNDECIDED }, 1,
		{ &vmf_fixes[F_F4EAFD], &vmf_fixes[F_18A955] }, 2,
		NOHUGEIOMAP,
		"A run-time ioremap() mapped with 2 MiB pmds in a top-level slot that this process's "
		"pgd lacked. vmalloc_fault() copied the slot, then read pte_offset_kernel() of the "
		"leaf pmd: __va(pmd frame) + pte_index * 8, a direct-map address with no RAM behind it.",
		LARGE_REFS("4.9-rt/i915 pmd case: lkml.org/lkml/2018/3/8/1281"),
	},
	{
		"VMF-LARGE-HUGETLBFS-N",
		"vmalloc_fault() large-page oops on a kernel whose fix is inert (CONFIG_HUGETLBFS=n)",
		1,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_RIP_VMALLOC_FAULT, VMF_C_FAULT_IN_DIRECT_MAP,
		  VMF_C_FAULT_PHYS_NOT_RAM, VMF_C_LARGE_SLOT_UNSYNCED, VMF_C_FIX1_INERT }, 6,
		/* the kernel's own vmalloc_fault, and a decided leaf: more conditions than the base, so it wins */
		{ VMF_C_NO_VMALLOC_FAULT, VMF_C_LEAF_UNDECIDED }, 2,
		{ &vmf_fixes[F_18A955] }, 1,
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
		{ &vmf_fixes[F_7F0A00], &vmf_fixes[F_6EB82F], &vmf_fixes[F_995909], &vmf_fixes[F_58A18F] }, 4,
		"none known; the fix is to sync (or preallocate) the kernel's top-level entries",
		"With no vmalloc_fault() (x86-64 >= v5.8), a top-level entry of init_mm that a process's "
		"page table lacks is simply not there: the access faults with PGD 0 / P4D 0. From v5.9 "
		"x86-64 preallocates the vmalloc/ioremap top level at boot (6eb82f994026, fixed by "
		"995909a4e22b), so every process copies it at fork.",
		{ "commit 7f0a002b5a21 (v5.8)",
		  "8bb9bf242d1f (reverted by 7b4ea9456dd3), then 995909a4e22b (v5.9), then 58a18fe95e83 re-landing "
		  "8bb9bf242d1f (v5.10)",
		  "commit 6eb82f994026 (v5.9)" }, 3,
	},
	{
		"VMF-STALE-VMEMMAP",
		"vmemmap access through a top-level slot missing from the task's page table (4-level)",
		0,
		{ VMF_C_OOPS_FAULT_ADDR, VMF_C_FAULT_IN_VMEMMAP, VMF_C_OOPS_TOP_ZERO,
		  VMF_C_FAULT_SLOT_MISSING, VMF_C_VMEMMAP_UNSYNCED }, 5,
		{ VMF_C_RIP_VMALLOC_FAULT }, 1,
		{ &vmf_fixes[F_6659D0], &vmf_fixes[F_7CC183] }, 2,
		"none known",
		"Hot-added pmem/devdax vmemmap on 4-level paging populated a new top-level entry in "
		"init_mm that was never synced: PGD 0 P4D 0 at ffffe7... in __init_single_page. The fix "
		"names 8d400913c231 (v5.13) as the cause; before it vmemmap_populate() synced the new "
		"entries (sync_global_pgds).",
		{ "commit 6659d0279980 (v6.17; 6.1.151, 6.6.105, 6.12.46, 6.16.6)",
		  "commit 7cc183f2e67d (the same releases)", "commit 8d400913c231 (v5.13), the cause" }, 3,
	},
	{
		"VMF-XEN-LAZY-MMU",
		"Xen PV: vmalloc_fault() BUG during lazy MMU updates",
		0,
		{ VMF_C_BUG_IN_VMALLOC_FAULT }, 1,
		{ 0 }, 0,
		{ &vmf_fixes[F_1160C2] }, 1,
		"none known",
		"Under Xen PV with lazy MMU mode, vmalloc_fault() could see a pgd entry not yet flushed "
		"and hit BUG() at arch/x86/mm/fault.c.",
		{ "commit 1160c2779b82 (v3.9, unverified)" }, 1,
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

const struct vmf_fix *vmf_fix_by_commit(const char *commit)
{
	int i;

	for (i = 0; commit && i < vmf_fixes_len; i++)
		if (strncmp(vmf_fixes[i].commit, commit, 12) == 0)
			return &vmf_fixes[i];
	return 0;
}

const char *vmf_basis_name(enum vmf_basis b)
{
	return b == VMF_VERIFIED ? "verified" : b == VMF_INFERRED ? "inferred" : "unverified";
}
