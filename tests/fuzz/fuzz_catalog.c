/*
 * fuzz_catalog - the catalog evaluation and the writers over any evidence a
 * front end could hand them.  The input is read field by field (fuzz_common.h:
 * one byte per flag or choice, eight per number, a length byte per string) into
 * struct vmf_report: the kind of run, the oops' fields, the task, the direct
 * map, the large leaf, the slot and the mm tallies, the kernel's version and
 * config, then either the log facts as vmf_facts_from_log() derives them or
 * none, then per condition an optional override, as a front end's dump facts
 * do.  Nothing is memcpy'd over the struct: pointers and enums stay valid.
 * vmf_evaluate() decides; check_report() checks the verdict against the
 * catalog's rule and the writers' output.
 */
#include <stdint.h>
#include <string.h>
#include "vmf_diag.h"
#include "fuzz_common.h"

static const char *const releases[] = {
	"4.4.0-21-generic", "4.4.123", "4.1.0", "4.1.5", "4.3.6", "4.9.0", "4.9.87-rt62", "4.12.0",
	"4.15.18", "4.16.0", "5.4.0", "5.8.0", "5.10.0-32-cloud-amd64", "6.1.0-56-cloud-amd64",
	"3.8.13-xen", "2.6.32-754.el6", "", "garbage",
};

static const char *const syms[] = {
	"vmalloc_fault", "do_page_fault", "__init_single_page", "memcpy_erms", "vmalloc_fault.cold", "",
};

static const char *const bug_lines[] = {
	"BUG: unable to handle kernel paging request at ffff880840000ff8",
	"BUG: unable to handle page fault for address: ffff8884c0000ff8",
	"kernel BUG at arch/x86/mm/fault.c:268!",
	"kernel BUG at mm/slub.c:1234!",
	"BUG: kernel NULL pointer dereference, address: 0000000000000008",
	"general protection fault: 0000 [#1] SMP",
};

static const char *const wheres[] = { "kernel", "module vmf_test", "module", "" };

static const uint64_t addrs[] = {
	0xffff880840000ff8ULL, 0xffff8884c0000ff8ULL, 0xffffc90000001000ULL, 0xffffea0001000000ULL,
	0x0000000000000008ULL, 0x00007fffffffe000ULL, 0xff11000000000000ULL, 0ULL, ~0ULL,
};

static void fill_oops(struct fuzz_bytes *b, struct vmf_oops *o)
{
	int i;

	o->found = fb_bool(b);
	o->count = o->found ? 1 + (int)(fb_u8(b) % 4) : 0;
	o->kind = o->found ? (enum vmf_oops_kind)(fb_u8(b) % (VMF_OOPS_OTHER + 1)) : VMF_OOPS_NONE;
	o->bug.line = (int)fb_u8(b);
	fb_pick_str(b, o->bug.text, sizeof(o->bug.text), bug_lines, sizeof(bug_lines) / sizeof(bug_lines[0]));
	o->has_fault_addr = fb_bool(b);
	o->fault_addr = fb_pick_u64(b, addrs, sizeof(addrs) / sizeof(addrs[0]));
	o->has_error_code = fb_bool(b);
	o->error_code = (unsigned long)fb_u8(b);
	if (fb_bool(b)) {
		fb_str(b, o->pf_access, sizeof(o->pf_access));
		fb_str(b, o->pf_reason, sizeof(o->pf_reason));
		o->oops_line.line = (int)fb_u8(b);
		fb_str(b, o->oops_line.text, sizeof(o->oops_line.text));
	}
	o->has_rip = fb_bool(b);
	o->rip_has_addr = fb_bool(b);
	o->rip_addr = fb_u64(b);
	o->rip.line = (int)fb_u8(b);
	fb_pick_str(b, o->rip_sym, sizeof(o->rip_sym), syms, sizeof(syms) / sizeof(syms[0]));
	o->rip_off = fb_u64(b);
	o->rip_len = fb_u64(b);
	if (fb_bool(b))
		fb_str(b, o->rip_module, sizeof(o->rip_module));
	/* the page-table line: PGD/P4D 0 or not */
	if (fb_bool(b)) {
		o->pt_line.line = 1 + (int)fb_u8(b);
		for (i = 0; i < 5; i++) {
			unsigned c = fb_u8(b);
			o->pt[i].printed = c & 1;
			o->pt[i].value = c & 2 ? 0 : (c & 4 ? 0xc7f03a067ULL : fb_u64(b));
		}
		fb_str(b, o->pt_line.text, sizeof(o->pt_line.text));
	}
	if (fb_bool(b)) {
		o->has_cpu = 1;
		o->cpu = (int)fb_u8(b) - 1;
		o->has_pid = 1;
		o->pid = (int)(fb_u64(b) & 0x7fffffff);
		o->cpu_line.line = (int)fb_u8(b);
		fb_str(b, o->comm, sizeof(o->comm));
	}
	fb_pick_str(b, o->release, sizeof(o->release), releases, sizeof(releases) / sizeof(releases[0]));
	if (fb_bool(b)) {
		o->panic_line.line = (int)fb_u8(b);
		fb_str(b, o->panic_msg, sizeof(o->panic_msg));
	}
	o->ncalls = (int)(fb_u8(b) % 25);
	for (i = 0; i < o->ncalls; i++)
		fb_pick_str(b, o->calls[i], sizeof(o->calls[i]), syms, sizeof(syms) / sizeof(syms[0]));
}

static void fill_dump(struct fuzz_bytes *b, struct vmf_evidence *e)
{
	int i;

	if (fb_bool(b)) {
		e->have_task = 1;
		e->task.pid = (int)fb_u8(b) - 1;
		fb_str(b, e->task.comm, sizeof(e->task.comm));
		e->task.task = fb_u64(b);
		e->task.mm = fb_u8(b) & 1 ? 0 : fb_u64(b);
		e->task.pgd_va = fb_u64(b);
		e->task.pgd_pa = fb_u8(b) & 1 ? 0 : fb_u64(b);
		e->task.cpu = (int)fb_u8(b) - 1;
		fb_str(b, e->task.source, sizeof(e->task.source));
	}
	if (fb_bool(b)) {
		e->have_phys = 1;
		e->fault_phys = fb_u64(b);
		e->phys_is_ram = fb_tri(b);
		fb_str(b, e->ram_source, sizeof(e->ram_source));
	}
	if (fb_bool(b)) {
		e->have_leaf = 1;
		e->leaf.kind = fb_bool(b) ? VMF_PUD : VMF_PMD;
		e->leaf.size = e->leaf.kind == VMF_PUD ? 1ULL << 30 : 1ULL << 21;
		e->leaf.va_start = fb_u64(b) & ~(e->leaf.size - 1);
		e->leaf.va_end = e->leaf.va_start + e->leaf.size - 1;
		e->leaf.entry = fb_u64(b);
		e->leaf.entry_paddr = fb_u64(b);
		e->leaf.frame = e->leaf.entry & 0x000ffffffffff000ULL;
		e->search.found = 1 + fb_u8(b);
		e->search.unsynced = fb_u8(b) % ((unsigned)e->search.found + 1);
		e->target_lo = fb_u64(b);
		e->target_hi = e->target_lo + (e->leaf.kind == VMF_PUD ? 1ULL << 21 : 1ULL << 12) - 1;
	}
	if (fb_bool(b)) {
		e->have_vmap = 1;
		e->vmap.addr = fb_u64(b);
		e->vmap.size = fb_u64(b);
		e->vmap.phys = fb_u64(b);
		fb_str(b, e->vmap.caller, sizeof(e->vmap.caller));
	}
	if (fb_bool(b)) {
		e->have_slot = 1;
		e->slot.slot = fb_u8(b);
		e->slot.slot |= (fb_u8(b) & 1) << 8;
		snprintf(e->slot.top_name, sizeof(e->slot.top_name), "pgd");
		e->slot.start = fb_u64(b);
		e->slot.end = e->slot.start + (1ULL << 39) - 1;
		e->slot.init_entry = fb_u64(b);
		e->slot.task_cmp = (enum vmf_slot_cmp)(fb_u8(b) % (VMF_SLOT_UNREADABLE + 1));
		e->slot.task_entry = fb_u64(b);
		e->slot.mms_total = fb_u8(b);
		e->slot.mms_total |= (unsigned long)fb_u8(b) << 8;
		e->slot.mms_lacking = fb_u8(b) % (e->slot.mms_total + 1);
		e->slot.mms_differ = fb_u8(b) % (e->slot.mms_total - e->slot.mms_lacking + 1);
		e->slot.mms_unreadable = fb_u8(b) % (e->slot.mms_total + 1);
		fb_str(b, e->slot.mms_source, sizeof(e->slot.mms_source));
		e->slot.nlacking_names = (int)(fb_u8(b) % (VMF_MAX_NAMES + 1));
		for (i = 0; i < e->slot.nlacking_names; i++)
			fb_str(b, e->slot.lacking_names[i], sizeof(e->slot.lacking_names[i]));
	}
}

static void fill_kernel(struct fuzz_bytes *b, struct vmf_kernel_facts *k)
{
	char release[80];
	unsigned how = fb_u8(b) % 4;

	/* the version: a named release, one built from numbers, raw bytes, or none */
	if (how == 0) {
		fb_pick_str(b, release, sizeof(release), releases, sizeof(releases) / sizeof(releases[0]));
		vmf_parse_release(release, &k->version);
	} else if (how == 1) {
		int major = (int)(fb_u8(b) % 8), minor = (int)fb_u8(b) % 40, patch = (int)fb_u8(b) - 1;
		if (patch < 0)
			snprintf(release, sizeof(release), "%d.%d-fuzz", major, minor);
		else
			snprintf(release, sizeof(release), "%d.%d.%d-fuzz", major, minor, patch);
		vmf_parse_release(release, &k->version);
	} else if (how == 2) {
		fb_str(b, release, sizeof(release));
		vmf_parse_release(release, &k->version);
	}
	k->hugetlbfs = fb_tri(b);
	if (fb_bool(b))
		fb_str(b, k->hugetlbfs_source, sizeof(k->hugetlbfs_source));
	k->has_vmalloc_fault = fb_tri(b);
	fb_pick_str(b, k->vmalloc_fault_where, sizeof(k->vmalloc_fault_where), wheres,
		    sizeof(wheres) / sizeof(wheres[0]));
	k->vmalloc_fault_addr = fb_u64(b);
	k->code_large_check = fb_tri(b);
	if (fb_bool(b))
		fb_str(b, k->code_note, sizeof(k->code_note));
	k->paging_levels = fb_bool(b) ? 5 : 4;
	k->p4d_folded = k->paging_levels == 4 && fb_bool(b);
	k->kaslr_offset = fb_u64(b) & 0x3fe00000ULL;
	k->regions.page_offset = fb_bool(b) ? 0xffff888000000000ULL : 0;
	k->regions.vmalloc_start = 0xffffc90000000000ULL;
	k->regions.vmalloc_end = 0xffffe8ffffffffffULL;
	k->regions.vmemmap_start = 0xffffea0000000000ULL;
	k->regions.vmemmap_end = 0xffffeaffffffffffULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmf_report r;
	struct fuzz_bytes b = { data, size };
	unsigned mode;
	int i, n;

	vmf_report_init(&r);
	mode = fb_u8(&b);
	r.text_only = mode & 1;
	r.ev.have_log = (mode >> 1) & 1;
	if (mode & 4)
		fb_str(&b, r.ev.log_source, sizeof(r.ev.log_source));
	fill_oops(&b, &r.ev.oops);
	if (!r.text_only)
		fill_dump(&b, &r.ev);
	fill_kernel(&b, &r.ev.kernel);

	/* the log facts as every front end derives them, or a front end that did not */
	if (mode & 8)
		vmf_facts_from_log(&r);
	else
		vmf_fix_window_eval(&r.ev.kernel.version, r.ev.kernel.hugetlbfs, &r.ev.window);
	/* notes a front end added before the verdict (stale slots, unreadable tables) */
	n = (int)(fb_u8(&b) % (VMF_MAX_NOTES + 2));
	for (i = 0; i < n; i++) {
		char note[300];
		fb_str(&b, note, sizeof(note));
		vmf_add_note(&r, "%s", note);
	}
	/* then any condition may be set, as a front end's dump facts do */
	for (i = 0; i < VMF_NCONDS; i++) {
		unsigned c = fb_u8(&b);
		if (c & 1) {
			char detail[300];
			fb_str(&b, detail, sizeof(detail));
			vmf_set_fact(&r, (enum vmf_cond)i, (enum vmf_tri)((c >> 1) % 3), "%s", detail);
		}
	}
	vmf_evaluate(&r);
	check_report(&r);
	return 0;
}
