/*
 * vmf_direct.c - the direct front: open the dump, reach the best tier the
 * inputs allow (vmf_direct.h), and say why each better one was not reached.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_direct_internal.h"
#include "vmf_kallsyms.h"

/* "why tier N was not reached", appended to d->falls */
static void fall(struct vmf_direct *d, int tier, const char *fmt, ...)
{
	size_t n = strlen(d->falls);
	va_list ap;

	if (n + 2 >= sizeof(d->falls))
		return;
	n += (size_t)snprintf(d->falls + n, sizeof(d->falls) - n, "%stier %d: ", n ? "; " : "", tier);
	if (n >= sizeof(d->falls))
		return;
	va_start(ap, fmt);
	vsnprintf(d->falls + n, sizeof(d->falls) - n, fmt, ap);
	va_end(ap);
}

static uint64_t vi_symbol(struct vmf_direct *d, const char *name)
{
	uint64_t v = 0;

	return vmf_dump_vi_symbol(d->dump, name, &v) == VMF_DUMP_OK ? v : 0;
}

/* ---- tier 1: the vmlinux -------------------------------------------------------- */

static int tier_vmlinux(struct vmf_direct *d, const char *path)
{
	char why[300];

	if (vmf_elf_open(&d->elf, path, why, sizeof(why))) {
		fall(d, 1, "vmlinux %s: %s", path, why);
		return -1;
	}
	d->have_elf = 1;
	if (d->build_id[0] && d->elf.build_id[0] && strcmp(d->build_id, d->elf.build_id)) {
		fall(d, 1, "vmlinux %s has build-id %s, the dump %s", path, d->elf.build_id, d->build_id);
		return -1;
	}
	if (vmf_elf_symbols(&d->elf, d->kerneloffset, &d->syms, why, sizeof(why))) {
		fall(d, 1, "vmlinux %s: %s", path, why);
		return -1;
	}
	d->have_syms = 1;
	if (!d->elf.btf) {
		fall(d, 1, "vmlinux %s has no .BTF section (DWARF is not read)", path);
		return -1;
	}
	if (vmf_btf_from_buf(&d->btf, d->elf.btf, d->elf.btf_size, "vmlinux .BTF", why, sizeof(why))) {
		fall(d, 1, "vmlinux %s: %s", path, why);
		return -1;
	}
	d->have_btf = 1;
	snprintf(d->what, sizeof(d->what), "vmlinux %s: ELF symbols, its .BTF", path);
	return 0;
}

/* ---- tier 2: kallsyms and BTF from the dump --------------------------------------- */

static int kallsyms_from_dump(struct vmf_direct *d, char *why, size_t whylen)
{
	struct vmf_kallsyms_loc loc;

	memset(&loc, 0, sizeof(loc));
	loc.num_syms = vi_symbol(d, "kallsyms_num_syms");
	loc.names = vi_symbol(d, "kallsyms_names");
	loc.token_table = vi_symbol(d, "kallsyms_token_table");
	loc.token_index = vi_symbol(d, "kallsyms_token_index");
	loc.offsets = vi_symbol(d, "kallsyms_offsets");
	loc.relative_base = vi_symbol(d, "kallsyms_relative_base");
	loc.addresses = vi_symbol(d, "kallsyms_addresses");
	if (!d->stext) {
		snprintf(why, whylen, "VMCOREINFO has no SYMBOL(_stext) to check a symbol table against");
		return -1;
	}
	/* 6.0+ (5fd8fea935a1, f09bddbd8661): VMCOREINFO says where the tables are */
	if (loc.names && loc.token_table && loc.token_index && loc.num_syms)
		return vmf_kallsyms_decode(&d->r, &loc, d->stext, "VMCOREINFO", &d->syms, why, whylen);
	/* before: they are in the image's read-only data, between _stext and init_uts_ns */
	return vmf_kallsyms_locate(&d->r, d->stext, vi_symbol(d, "init_uts_ns"), d->stext, d->cache_dir,
				   d->build_id[0] ? d->build_id : NULL, &loc, &d->syms, why, whylen);
}

static int tier_dump(struct vmf_direct *d)
{
	const struct vmf_sym *a, *b;
	char why[300];

	if (kallsyms_from_dump(d, why, sizeof(why))) {
		fall(d, 2, "kallsyms: %s", why);
		vmf_symtab_free(&d->syms);
		return -1;
	}
	d->have_syms = 1;
	a = vmf_symtab_lookup(&d->syms, "__start_BTF");
	b = vmf_symtab_lookup(&d->syms, "__stop_BTF");
	if (!a || !b) {
		fall(d, 2, "the kernel has no __start_BTF (built without CONFIG_DEBUG_INFO_BTF)");
		return -1;
	}
	if (vmf_btf_from_dump(&d->btf, &d->r, a->addr, b->addr, d->cache_dir, d->build_id[0] ? d->build_id : NULL,
			      why, sizeof(why))) {
		fall(d, 2, "BTF: %s", why);
		return -1;
	}
	d->have_btf = 1;
	snprintf(d->what, sizeof(d->what), "the dump alone: %s; %s", d->syms.source, d->btf.source);
	return 0;
}

/* Tier 1 or 2 failed half way: nothing of it may be used by the next. */
static void drop_symbols(struct vmf_direct *d)
{
	if (d->have_btf)
		vmf_btf_free(&d->btf);
	if (d->have_syms || d->syms.syms)
		vmf_symtab_free(&d->syms);
	d->have_btf = d->have_syms = 0;
	memset(&d->syms, 0, sizeof(d->syms));
	memset(&d->btf, 0, sizeof(d->btf));
}

/*
 * A fresh libkdumpfile context for the next tier.  libkdumpfile 0.5.1 can be
 * left unable to read after a failed tier 2 (a dump whose BTF pages were
 * excluded: its next page-table read wrote through a NULL cache buffer), so
 * tier 3 starts from a new open (2-3 ms).
 */
static void reopen(struct vmf_direct *d)
{
	struct vmf_dump_opts dopts = { d->cache_dir };
	struct vmf_dump *fresh = vmf_dump_new();

	if (!fresh || vmf_dump_open(fresh, d->path, &dopts) != VMF_DUMP_OK) {
		vmf_dump_free(fresh);
		return;
	}
	vmf_dump_free(d->dump);
	d->dump = fresh;
}

static void choose_tier(struct vmf_direct *d, const struct vmf_direct_opts *o)
{
	int first = o && o->first_tier > 1 ? o->first_tier : 1;

	d->tier = VMF_TIER_VMLINUX;
	if (first > 1)
		fall(d, 1, "the vmlinux is withheld (first tier %d asked for)", first);
	else if (!o || !o->vmlinux)
		fall(d, 1, "no vmlinux given");
	else if (tier_vmlinux(d, o->vmlinux) == 0)
		return;
	drop_symbols(d);
	d->tier = VMF_TIER_DUMP;
	if (first > 2)
		fall(d, 2, "symbols and BTF are withheld (first tier %d asked for)", first);
	else if (tier_dump(d) == 0)
		return;
	else
		reopen(d);
	drop_symbols(d);
	d->tier = VMF_TIER_VMCOREINFO;
	snprintf(d->what, sizeof(d->what), "VMCOREINFO alone: no symbols, no types");
	d->k.symbols_partial = "tier 3: VMCOREINFO's symbols only";
}

/* ---- open ------------------------------------------------------------------------ */

static void read_identity(struct vmf_direct *d)
{
	const struct vmf_dump_rearranged *ra = vmf_dump_rearranged(d->dump);
	char koff[40] = "";

	vmf_dump_vi_string(d->dump, "OSRELEASE", d->release, sizeof(d->release));
	vmf_dump_vi_string(d->dump, "BUILD-ID", d->build_id, sizeof(d->build_id));
	if (vmf_dump_vi_string(d->dump, "KERNELOFFSET", koff, sizeof(koff)) == VMF_DUMP_OK)
		d->kerneloffset = strtoull(koff, NULL, 16);
	d->stext = vi_symbol(d, "_stext");
	if (ra->rearranged)
		snprintf(d->format, sizeof(d->format), "%s, rearranged from a flattened stream%s (%s)",
			 vmf_dump_format(d->dump), ra->reused ? ", reused" : "", ra->where);
	else
		snprintf(d->format, sizeof(d->format), "%s", vmf_dump_format(d->dump));
}

static int open_dump(struct vmf_direct *d, const char *path, int *tier4, char *why, size_t whylen)
{
	struct vmf_dump_opts dopts = { d->cache_dir };
	const struct vmf_vmcoreinfo *vi;

	d->dump = vmf_dump_new();
	if (!d->dump)
		return snprintf(why, whylen, "out of memory"), -1;
	if (vmf_dump_open(d->dump, path, &dopts) != VMF_DUMP_OK) {
		snprintf(why, whylen, "%s", vmf_dump_err(d->dump));
		*tier4 = 1;
		return -1;
	}
	if (strcmp(vmf_dump_arch(d->dump), "x86_64")) {
		snprintf(why, whylen, "the dump is for %s: vmfault diagnoses x86_64 dumps only",
			 vmf_dump_arch(d->dump)[0] ? vmf_dump_arch(d->dump) : "an unknown machine");
		return -1;
	}
	if (vmf_dump_vmcoreinfo(d->dump, &vi) != VMF_DUMP_OK) {
		snprintf(why, whylen, "no VMCOREINFO in the dump: %s", vmf_dump_err(d->dump));
		*tier4 = 1;
		return -1;
	}
	d->r.ctx = d;
	d->r.read_virt = vd_read;
	return 0;
}

int vmf_direct_open(struct vmf_direct **out, const char *dump, const struct vmf_direct_opts *o,
		    int *tier4, char *why, size_t whylen)
{
	struct vmf_direct *d = calloc(1, sizeof(*d));
	int t4 = 0;

	*out = NULL;
	if (tier4)
		*tier4 = 0;
	if (!d)
		return snprintf(why, whylen, "out of memory"), -1;
	d->cache_dir = o ? o->cache_dir : NULL;
	d->path = dump;
	if (open_dump(d, dump, &t4, why, whylen)) {
		if (tier4)
			*tier4 = t4;
		vmf_direct_close(d);
		return -1;
	}
	read_identity(d);
	choose_tier(d, o);
	vd_kernel_primitives(d);
	vd_layout(d, &d->k.layout);
	*out = d;
	return 0;
}

void vmf_direct_close(struct vmf_direct *d)
{
	if (!d)
		return;
	drop_symbols(d);
	if (d->have_elf)
		vmf_elf_close(&d->elf);
	if (d->mods_tried)
		vmf_modsyms_free(&d->mods);
	free(d->inits);
	if (d->log_read)
		vmf_log_free(&d->log);
	free(d->active);
	free(d->config);
	vmf_dump_free(d->dump);
	free(d);
}

/* ---- what was opened --------------------------------------------------------------- */

const struct vmf_kernel *vmf_direct_kernel(const struct vmf_direct *d) { return &d->k; }
enum vmf_direct_tier vmf_direct_tier(const struct vmf_direct *d) { return d->tier; }
const char *vmf_direct_tier_what(const struct vmf_direct *d) { return d->what; }
const char *vmf_direct_falls(const struct vmf_direct *d) { return d->falls; }
const char *vmf_direct_release(const struct vmf_direct *d) { return d->release; }
const char *vmf_direct_build_id(const struct vmf_direct *d) { return d->build_id; }
const char *vmf_direct_format(const struct vmf_direct *d) { return d->format; }
const char *vmf_direct_log_note(const struct vmf_direct *d) { return d->log_partial ? d->log.why : ""; }

int vmf_direct_log(struct vmf_direct *d, const char **text, size_t *len, char *source, size_t srclen,
		   char *why, size_t whylen)
{
	enum vmf_log_status st = VMF_LOG_COMPLETE;

	const struct vmf_vmcoreinfo *vi;
	/* read as every other kernel memory of this front is (vd_read: crash's arithmetic for the image) */
	struct vmf_log_mem mem = { d, 8, 0, vd_read };

	if (!d->log_read) {
		d->log_read = 1;
		if (vmf_dump_vmcoreinfo(d->dump, &vi) == VMF_DUMP_OK)
			st = vmf_log_read(vi, &mem, &d->log);
		else
			st = vmf_log_from_dump(d->dump, &d->log);
	}
	if (!d->log.text) {
		snprintf(why, whylen, "no kernel log in the dump: %s", d->log.why[0] ? d->log.why : "none read");
		return -1;
	}
	if (st == VMF_LOG_PARTIAL)
		d->log_partial = 1;
	*text = d->log.text;
	*len = d->log.len;
	snprintf(source, srclen, "dump log (%lu bytes)", (unsigned long)d->log.len);
	return 0;
}
