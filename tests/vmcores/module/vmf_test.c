// SPDX-License-Identifier: GPL-2.0
/*
 * vmf_test - recreate, on a 5.10/6.1 x86-64 kernel, the page-table state of the
 * 2016 large-page vmalloc_fault() oops, and run one scenario from insmod.
 *
 * 1. ioremap_cache() 16 GiB of two 1 GiB-aligned physical ranges above RAM,
 *    again and again, until an allocation reaches a top-level (512 GiB) slot
 *    that no earlier one used.  ioremap maps it with 1 GiB puds (pdpe1gb) or
 *    2 MiB pmds.
 * 2. Since 5.9 x86-64 preallocates the vmalloc area's top level, so every
 *    process already has the slot: remove it from every mm but init_mm, as if
 *    it had never been synced (4.1-4.4).
 * 3. mode=seed-pud|seed-pmd: call vmalloc_fault() - the 4.1-4.4 algorithm, or
 *    with -DVMF_FIXED the 4.5 one - on an address in that slot.
 *    mode=stale-direct: read the address, as a kernel without vmalloc_fault.
 *    mode=map-only: one healthy large-page ioremap, nothing removed.
 *    mode=info: print the kernel facts (paging levels, PAGE_OFFSET) only.
 *
 * With 5-level paging a top-level slot spans 256 TiB and every slot of the
 * vmalloc area is preallocated, so step 1 maps in a slot nothing else uses
 * (vmf_ioremap_fresh_slot) and step 2 leaves the faulting task its own entry.
 *
 * Every fact the host needs is printed as "vmf_truth: key=value" before the
 * step that may oops.
 */
#include <linux/module.h>
#include <linux/io.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>

static char *mode = "seed-pud";
module_param(mode, charp, 0444);

#define VMF_MAP_SIZE (16ULL << 30)
#define VMF_MAX_MAPS 80
#define VMF_MAX_MMS  20000

static void __iomem *maps[VMF_MAX_MAPS];
static struct vm_struct *fresh_area; /* maps[0] on 5-level paging, not an ioremap */
static const phys_addr_t bases[2] = { 0x480000000ULL, 0xc80000000ULL };

/*
 * init_mm is not exported, and the idle task's active_mm is whatever mm it last
 * borrowed (lazy TLB).  kallsyms_lookup_name is not exported since 5.7 either,
 * but a kprobe on it hands over its address.
 */
static struct mm_struct *vmf_init_mm;
#define kernel_mm() (vmf_init_mm)
#define kernel_pgd_offset(addr) (kernel_mm()->pgd + pgd_index(addr))

static unsigned long lookup_symbol(const char *name)
{
	struct kprobe kp = { .symbol_name = "kallsyms_lookup_name" };
	unsigned long (*lookup)(const char *);

	if (register_kprobe(&kp) < 0)
		return 0;
	lookup = (unsigned long (*)(const char *))kp.addr;
	unregister_kprobe(&kp);
	return lookup ? lookup(name) : 0;
}

#ifdef VMF_FIXED
#define VMF_BUILD "fixed"
#else
#define VMF_BUILD "prefix"
#endif

/*
 * The x86-64 vmalloc_fault() of 4.1-4.4, lifted to the p4d API (b50858ce3e2a:
 * on 4-level paging the p4d is folded into the pgd and is what gets synced).
 * The pre-fix build has no large-page test: it treats a leaf pud as a pmd table.
 */
/* not static: the symbol name is what the oops and crash show */
noinline int vmalloc_fault(unsigned long address);
noinline int vmalloc_fault(unsigned long address)
{
	pgd_t *pgd, *pgd_ref;
	p4d_t *p4d, *p4d_ref;
	pud_t *pud, *pud_ref;
	pmd_t *pmd, *pmd_ref;
	pte_t *pte, *pte_ref;

	if (!(address >= VMALLOC_START && address < VMALLOC_END))
		return -1;

	pgd = current->active_mm->pgd + pgd_index(address);
	pgd_ref = kernel_pgd_offset(address);
	p4d = p4d_offset(pgd, address);
	p4d_ref = p4d_offset(pgd_ref, address);
	if (p4d_none(*p4d_ref))
		return -1;
	if (p4d_none(*p4d))
		set_p4d(p4d, *p4d_ref);
	else
		BUG_ON(p4d_pfn(*p4d) != p4d_pfn(*p4d_ref));

	pud = pud_offset(p4d, address);
	pud_ref = pud_offset(p4d_ref, address);
	if (pud_none(*pud_ref))
		return -1;
	if (pud_none(*pud) || pud_pfn(*pud) != pud_pfn(*pud_ref))
		BUG();
#ifdef VMF_FIXED
	if (pud_large(*pud))
		return 0;
#endif
	pmd = pmd_offset(pud, address);
	pmd_ref = pmd_offset(pud_ref, address);
	if (pmd_none(*pmd_ref))
		return -1;
	if (pmd_none(*pmd) || pmd_pfn(*pmd) != pmd_pfn(*pmd_ref))
		BUG();
#ifdef VMF_FIXED
	if (pmd_large(*pmd))
		return 0;
#endif
	pte_ref = pte_offset_kernel(pmd_ref, address);
	if (!pte_present(*pte_ref))
		return -1;
	pte = pte_offset_kernel(pmd, address);
	if (pte_none(*pte) || pte_pfn(*pte) != pte_pfn(*pte_ref))
		BUG();
	return 0;
}

/* A kernel without vmalloc_fault (x86-64 >= 5.8) just reads, and faults. */
static noinline u32 vmf_touch_ioremap(void __iomem *addr)
{
	return readl(addr);
}

/* The top-level slot: a pgd index on 4- and 5-level alike. */
static unsigned int top_slot(unsigned long addr)
{
	return pgd_index(addr);
}

static unsigned long *slot_entry(pgd_t *pgd_base, unsigned int slot)
{
	return (unsigned long *)(pgd_base + slot);
}

struct mm_census {
	struct mm_struct **seen;
	int n, lacking;
};

/* Visit every distinct user mm once (threads and vfork children share one). */
static int census_add(struct mm_census *c, struct mm_struct *mm)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (c->seen[i] == mm)
			return 0;
	if (c->n >= VMF_MAX_MMS)
		return 0;
	c->seen[c->n++] = mm;
	return 1;
}

/*
 * Clear the slot in every mm but init_mm (clear=1), or count who lacks it
 * (clear=0); skip is an mm neither cleared nor counted.  Returns the number of mms.
 */
static int walk_mms(unsigned int slot, int clear, struct mm_struct *skip, int *lacking)
{
	struct mm_census c = { NULL, 0, 0 };
	struct task_struct *p;

	c.seen = kvmalloc_array(VMF_MAX_MMS, sizeof(*c.seen), GFP_KERNEL);
	if (!c.seen)
		return -ENOMEM;
	rcu_read_lock();
	for_each_process(p) {
		struct mm_struct *mm = READ_ONCE(p->mm);
		unsigned long *e;

		if (!mm || mm == kernel_mm() || !census_add(&c, mm))
			continue;
		if (clear < 0)
			pr_info("vmf_debug: pid %d %s mm %px\n", p->pid, p->comm, mm);
		e = slot_entry(mm->pgd, slot);
		if (mm == skip)
			continue;
		if (clear)
			WRITE_ONCE(*e, 0UL);
		else if (!(READ_ONCE(*e) & _PAGE_PRESENT))
			c.lacking++;
	}
	rcu_read_unlock();
	kvfree(c.seen);
	if (lacking)
		*lacking = c.lacking;
	return c.n;
}

/* print the leaf mapping addr in init_mm; returns 0 if it is not a large page */
static int print_leaf(unsigned long addr)
{
	pgd_t *pgd = kernel_pgd_offset(addr);
	p4d_t *p4d = p4d_offset(pgd, addr);
	pud_t *pud = pud_offset(p4d, addr);
	pmd_t *pmd;

	if (pud_large(*pud)) {
		pr_info("vmf_truth: leaf_level=pud large_phys=0x%llx large_size=%lu\n",
			(unsigned long long)(pud_pfn(*pud) << PAGE_SHIFT), PUD_SIZE);
		pr_info("vmf_truth: fault_addr_if_walked=0x%lx\n",
			(unsigned long)__va(pud_pfn(*pud) << PAGE_SHIFT) + pmd_index(addr) * sizeof(pmd_t));
		return 1;
	}
	pmd = pmd_offset(pud, addr);
	if (pmd_large(*pmd)) {
		pr_info("vmf_truth: leaf_level=pmd large_phys=0x%llx large_size=%lu\n",
			(unsigned long long)(pmd_pfn(*pmd) << PAGE_SHIFT), PMD_SIZE);
		pr_info("vmf_truth: fault_addr_if_walked=0x%lx\n",
			(unsigned long)__va(pmd_pfn(*pmd) << PAGE_SHIFT) + pte_index(addr) * sizeof(pte_t));
		return 1;
	}
	pr_info("vmf_truth: leaf_level=pte\n");
	return 0;
}

/*
 * 5-level paging: a top-level (pgd) slot spans 256 TiB and all of the vmalloc
 * area's are preallocated at boot (6eb82f994026), so no run of 16 GiB ioremaps
 * reaches a new one.  Take a vm area at the start of a slot nothing else uses,
 * the second whole slot of the vmalloc area (kernel stacks and every earlier
 * vmalloc sit below it), and map it with ioremap's own page-table code, which
 * uses 1 GiB puds as ioremap_cache() would.  Neither function is exported.
 */
static void __iomem *vmf_ioremap_fresh_slot(phys_addr_t phys, unsigned long size)
{
	typeof(&__get_vm_area_caller) get_area = (void *)lookup_symbol("__get_vm_area_caller");
	typeof(&ioremap_page_range) map_range = (void *)lookup_symbol("ioremap_page_range");
	unsigned long start = ALIGN(VMALLOC_START, PGDIR_SIZE) + PGDIR_SIZE;
	unsigned long addr;

	if (!get_area || !map_range || start + PGDIR_SIZE - 1 > VMALLOC_END)
		return NULL;
	fresh_area = get_area(size, VM_IOREMAP, start, start + PGDIR_SIZE,
			      __builtin_return_address(0));
	if (!fresh_area)
		return NULL;
	fresh_area->phys_addr = phys;
	addr = (unsigned long)fresh_area->addr;
	if (map_range(addr, addr + size, phys, PAGE_KERNEL_IO)) {
		free_vm_area(fresh_area);
		fresh_area = NULL;
		return NULL;
	}
	return (void __iomem *)addr;
}

/* __flush_tlb_all() is exported, flush_tlb_all() is not: run it on every CPU */
static void vmf_flush_tlb(void *unused)
{
	__flush_tlb_all();
}

static int __init vmf_test_init(void)
{
	unsigned long first_slot_va = 0, target = 0, stack = (unsigned long)current->stack;
	unsigned int first_slot = 0, slot = 0;
	int i, n, mms, lacking;
	int paging_levels = pgtable_l5_enabled() ? 5 : 4;
	/* a seed on 5-level paging maps in a slot of its own (see vmf_ioremap_fresh_slot) */
	int fresh_slot = paging_levels == 5 && strcmp(mode, "map-only") != 0;

	vmf_init_mm = (struct mm_struct *)lookup_symbol("init_mm");
	if (!vmf_init_mm) {
		pr_err("vmf_test: cannot find init_mm\n");
		return -ENOENT;
	}
	pr_info("vmf_truth: build=%s mode=%s\n", VMF_BUILD, mode);
	pr_info("vmf_truth: paging_levels=%d page_offset=0x%lx init_task=0x%px\n",
		paging_levels, (unsigned long)PAGE_OFFSET, &init_task);
	pr_info("vmf_truth: vmalloc_start=0x%lx vmalloc_end=0x%lx\n",
		(unsigned long)VMALLOC_START, (unsigned long)VMALLOC_END);

	/* mode=info: the facts above only (an unrelated panic follows) */
	if (!strcmp(mode, "info"))
		return 0;

	for (n = 0; n < VMF_MAX_MAPS; n++) {
		unsigned long a, end;

		maps[n] = fresh_slot ? vmf_ioremap_fresh_slot(bases[n & 1], VMF_MAP_SIZE) :
				       ioremap_cache(bases[n & 1], VMF_MAP_SIZE);
		if (!maps[n]) {
			pr_err("vmf_test: ioremap_cache #%d failed\n", n);
			return -ENOMEM;
		}
		a = (unsigned long)maps[n];
		end = a + VMF_MAP_SIZE - 1;
		if (n == 0) {
			first_slot = top_slot(a);
			first_slot_va = a;
		}
		/*
		 * map-only: one healthy large-page ioremap is the point (with
		 * 5-level paging a top-level slot is 256 TiB: no new one is reached)
		 */
		if (!strcmp(mode, "map-only") || fresh_slot) {
			slot = top_slot(a);
			target = a;
			pr_info("vmf_truth: maps=%d first_map=0x%lx vm_area_addr=0x%lx vm_area_size=%llu vm_area_phys=0x%llx\n",
				n + 1, first_slot_va, a, VMF_MAP_SIZE + PAGE_SIZE,
				(unsigned long long)bases[n & 1]);
			break;
		}
		/* stop at the first allocation reaching a slot above every earlier one */
		if (top_slot(end) != top_slot(a) || top_slot(a) != first_slot) {
			slot = top_slot(end);
			target = top_slot(a) == slot ? a : ALIGN(a, PGDIR_SIZE);
			pr_info("vmf_truth: maps=%d first_map=0x%lx vm_area_addr=0x%lx vm_area_size=%llu vm_area_phys=0x%llx\n",
				n + 1, first_slot_va, a, VMF_MAP_SIZE + PAGE_SIZE,
				(unsigned long long)bases[n & 1]);
			break;
		}
	}
	if (!target) {
		pr_err("vmf_test: no new top-level slot after %d maps\n", n);
		return -ENOSPC;
	}
	/* a few MiB in, so the pmd index is not 0 and the fault address shows it */
	target += 0x3fe00000UL + 0x1000UL * 3;
	if (top_slot(target) != slot)
		target = ALIGN((unsigned long)maps[n], PGDIR_SIZE);
	pr_info("vmf_truth: vmalloc_addr=0x%lx top_slot=%u slot_va=0x%lx\n", target, slot,
		(unsigned long)ALIGN_DOWN(target, PGDIR_SIZE));
	if (!print_leaf(target)) {
		pr_err("vmf_test: 0x%lx is not mapped by a large page (nohugeiomap?)\n", target);
		return -EINVAL;
	}

	if (!strcmp(mode, "map-only")) {
		/* insmod exits before the panic: its mm is not counted */
		mms = walk_mms(slot, 0, current->mm, &lacking);
		pr_info("vmf_truth: procs_total=%d procs_lacking_slot=%d\n", mms - 1, lacking);
		return 0;
	}
	if (top_slot(stack) == slot) {
		pr_err("vmf_test: the current stack lives in slot %u: refusing to clear it\n", slot);
		return -EBUSY;
	}
	/*
	 * 5-level: this vmalloc_fault (the 4-level era's, syncing at the p4d level)
	 * cannot sync a pgd entry, so the faulting task keeps its own: the state
	 * 4.14's vmalloc_fault leaves after its set_pgd() for the faulting task.
	 */
	mms = walk_mms(slot, 1, fresh_slot ? current->mm : NULL, NULL);
	on_each_cpu(vmf_flush_tlb, NULL, 1);
	pr_info("vmf_truth: cleared_slot=%u in_mms=%d\n", slot, mms);

	if (!strcmp(mode, "stale-direct")) {
		walk_mms(slot, 0, NULL, &lacking);
		pr_info("vmf_truth: procs_total=%d procs_lacking_slot=%d\n", mms, lacking);
		pr_info("vmf_truth: panic_cpu=%d panic_pid=%d panic_comm=%s fault_addr=0x%lx\n",
			raw_smp_processor_id(), current->pid, current->comm, target);
		vmf_touch_ioremap((void __iomem *)target);
		return 0;
	}
	/*
	 * seed-*: the faulting task re-syncs its own slot before the nested fault,
	 * so at dump time every other mm lacks it.  The same holds for the fixed
	 * build, whose insmod exits afterwards.
	 */
	walk_mms(slot, 0, current->mm, &lacking);
#ifdef VMF_FIXED
	/* no oops: insmod exits, /init panics the machine; insmod's mm is gone by then */
	pr_info("vmf_truth: procs_total=%d procs_lacking_slot=%d\n", mms - 1, lacking);
#else
	/*
	 * panic_on_oops=0: the oops kills insmod and the machine panics later
	 * (sysrq), when insmod's mm is gone
	 */
	{
		int *panic_on_oops_p = (int *)lookup_symbol("panic_on_oops");

		if (panic_on_oops_p && !*panic_on_oops_p)
			mms--;
	}
	pr_info("vmf_truth: procs_total=%d procs_lacking_slot=%d\n", mms, lacking);
	pr_info("vmf_truth: panic_cpu=%d panic_pid=%d panic_comm=%s\n",
		raw_smp_processor_id(), current->pid, current->comm);
#endif
	i = vmalloc_fault(target);
	pr_info("vmf_truth: vmalloc_fault_returned=%d\n", i);
	return 0;
}

static void __exit vmf_test_exit(void)
{
	int i;

	if (fresh_area)
		free_vm_area(fresh_area);
	for (i = fresh_area ? 1 : 0; i < VMF_MAX_MAPS; i++)
		if (maps[i])
			iounmap(maps[i]);
}

module_init(vmf_test_init);
module_exit(vmf_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmfault test: recreate the large-page vmalloc_fault oops");
