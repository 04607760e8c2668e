/*
 * probe.c - build/direct-probe: what direct/'s symbol, type and code readers
 * make of one real dump, as "key value" lines that tests/direct/run.sh checks
 * against crash and gdb.  Not a user tool: the adapter of the direct engine is.
 *
 *   direct-probe [-k vmlinux] [-m auto|vmcoreinfo|locate] [-c cachedir] [-s symcache] [-t] vmcore
 *
 * Without -k: kallsyms (VMCOREINFO's locations, else located in the image) and
 * the dump's own BTF.  -c is where flattened dumps are rearranged, -s where the
 * BTF and kallsyms' place are kept per build-id (default: -c's).  -t prints the
 * time of each step.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "vmf_dump.h"
#include "vmf_log.h"
#include "vmf_elfsyms.h"
#include "vmf_btf.h"
#include "vmf_kallsyms.h"
#include "vmf_modsyms.h"
#include "vmf_disasm.h"
#include "vmf_oops.h"
#include "vmf_evidence.h"

struct probe {
	struct vmf_dump *d;
	struct vmf_kreader r;
	const char *vmlinux, *mode, *cache, *symcache;
	int timing;
	char build_id[64];
	uint64_t koff, stext;
	struct vmf_elf elf;
	struct vmf_symtab syms;
	struct vmf_btf btf;
	struct vmf_modsyms mods;
	double t0;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void lap(struct probe *p, const char *what)
{
	double t = now();
	if (p->timing)
		printf("time %s %.4f\n", what, t - p->t0);
	p->t0 = t;
}

static int dump_read(void *ctx, uint64_t va, void *buf, size_t len, char *why, size_t whylen)
{
	struct vmf_dump *d = ctx;

	if (vmf_dump_read_virt(d, va, buf, len) == VMF_DUMP_OK)
		return 0;
	snprintf(why, whylen, "%s", vmf_dump_err(d));
	return -1;
}

static uint64_t vi_sym(struct probe *p, const char *name)
{
	uint64_t v = 0;
	return vmf_dump_vi_symbol(p->d, name, &v) == VMF_DUMP_OK ? v : 0;
}

/* Symbols: the vmlinux's with KERNELOFFSET, or kallsyms from the dump. */
static int load_symbols(struct probe *p)
{
	char why[300];
	struct vmf_kallsyms_loc loc;

	memset(&loc, 0, sizeof(loc));
	if (p->vmlinux) {
		if (vmf_elf_open(&p->elf, p->vmlinux, why, sizeof(why)) ||
		    vmf_elf_symbols(&p->elf, p->koff, &p->syms, why, sizeof(why)))
			goto fail;
		printf("vmlinux-build-id %s\n", p->elf.build_id);
	} else {
		loc.num_syms = vi_sym(p, "kallsyms_num_syms");
		loc.names = vi_sym(p, "kallsyms_names");
		loc.token_table = vi_sym(p, "kallsyms_token_table");
		loc.token_index = vi_sym(p, "kallsyms_token_index");
		loc.offsets = vi_sym(p, "kallsyms_offsets");
		loc.relative_base = vi_sym(p, "kallsyms_relative_base");
		loc.addresses = vi_sym(p, "kallsyms_addresses");
		if (strcmp(p->mode, "locate") && loc.names) {
			if (vmf_kallsyms_decode(&p->r, &loc, p->stext, "VMCOREINFO", &p->syms, why, sizeof(why)))
				goto fail;
		} else if (!strcmp(p->mode, "vmcoreinfo")) {
			snprintf(why, sizeof(why), "VMCOREINFO does not locate kallsyms (before Linux 6.0)");
			goto fail;
		} else if (vmf_kallsyms_locate(&p->r, p->stext, vi_sym(p, "init_uts_ns"), p->stext, p->symcache,
					       p->build_id, &loc, &p->syms, why, sizeof(why)))
			goto fail;
	}
	printf("symbols %zu from %s\n", p->syms.n, p->syms.source);
	lap(p, "symbols");
	return 0;
fail:
	printf("symbols-failed %s\n", why);
	return -1;
}

static int load_btf(struct probe *p)
{
	char why[300];
	const struct vmf_sym *a = vmf_symtab_lookup(&p->syms, "__start_BTF");
	const struct vmf_sym *b = vmf_symtab_lookup(&p->syms, "__stop_BTF");
	int rc;

	if (p->vmlinux)
		rc = vmf_btf_from_buf(&p->btf, p->elf.btf, p->elf.btf_size, "vmlinux .BTF", why, sizeof(why));
	else
		rc = vmf_btf_from_dump(&p->btf, &p->r, a ? a->addr : 0, b ? b->addr : 0, p->symcache, p->build_id,
				       why, sizeof(why));
	if (rc) {
		printf("btf-failed %s\n", why);
		return -1;
	}
	printf("btf %s%s\n", p->btf.source, p->btf.from_cache ? " (cache)" : "");
	lap(p, "btf");
	return 0;
}

static const char *const needed_syms[] = {
	"_stext", "init_mm", "init_task", "pgd_list", "iomem_resource", "vmap_area_list", "modules",
	"__start_BTF", "__stop_BTF", "hugetlbfs_file_operations", "__pgtable_l5_enabled",
	"pgtable_l5_enabled", "init_top_pgt", "prb", "log_buf", NULL
};

static const char *const needed_offsets[][2] = {
	{ "mm_struct", "pgd" }, { "mm_struct", "owner" }, { "task_struct", "mm" },
	{ "task_struct", "active_mm" }, { "task_struct", "tasks" }, { "task_struct", "pid" },
	{ "task_struct", "comm" }, { "page", "lru" }, { "page", "pt_mm" }, { "page", "index" },
	{ "vmap_area", "va_start" },
	{ "vmap_area", "va_end" }, { "vmap_area", "list" }, { "vmap_area", "vm" }, { "vm_struct", "addr" },
	{ "vm_struct", "size" }, { "vm_struct", "phys_addr" }, { "vm_struct", "caller" },
	{ "resource", "start" }, { "resource", "end" }, { "resource", "name" }, { "resource", "sibling" },
	{ "resource", "child" }, { "module", "list" }, { "module", "name" }, { "module", "kallsyms" },
	{ "module", "core_layout.base" }, { "module", "core_layout.size" }, { "module", "core_layout.text_size" },
	{ "mod_kallsyms", "symtab" }, { "mod_kallsyms", "num_symtab" }, { "mod_kallsyms", "strtab" },
	{ "mod_kallsyms", "typetab" }, { NULL, NULL }
};

/* Text addresses inside functions: named the same way whichever table names them? */
static const char *const inside[] = {
	"do_init_module", "do_syscall_64", "__ioremap_caller", "__vmalloc_node_range", "load_module",
	"entry_SYSCALL_64_after_hwframe", "panic", "page_fault_oops", "no_context", NULL
};

static void print_symbols_and_types(struct probe *p)
{
	for (int i = 0; needed_syms[i]; i++) {
		const struct vmf_sym *s = vmf_symtab_lookup(&p->syms, needed_syms[i]);
		if (s)
			printf("sym %s %llx %c\n", needed_syms[i], (unsigned long long)s->addr, s->type);
		else
			printf("sym %s -\n", needed_syms[i]);
	}
	for (int i = 0; inside[i]; i++) {
		const struct vmf_sym *s = vmf_symtab_lookup(&p->syms, inside[i]);
		const struct vmf_sym *at;
		uint64_t off = 0;
		if (s && (at = vmf_symtab_at(&p->syms, s->addr + 0x4c, &off)))
			printf("at %s+0x4c %s+%llu\n", inside[i], vmf_symtab_name(&p->syms, at), (unsigned long long)off);
	}
	if (!p->btf.btf)
		return;
	for (int i = 0; needed_offsets[i][0]; i++)
		printf("off %s.%s %ld\n", needed_offsets[i][0], needed_offsets[i][1],
		       vmf_btf_offset(&p->btf, needed_offsets[i][0], needed_offsets[i][1]));
	printf("size page %ld\nsize task_struct %ld\nsize module %ld\n", vmf_btf_size(&p->btf, "page"),
	       vmf_btf_size(&p->btf, "task_struct"), vmf_btf_size(&p->btf, "module"));
}

static void load_modules(struct probe *p)
{
	struct vmf_mod_offsets o;
	const struct vmf_sym *head = vmf_symtab_lookup(&p->syms, "modules");
	char why[300];

	if (!p->btf.btf || !head || vmf_modsyms_offsets_btf(&p->btf, &o, why, sizeof(why))) {
		printf("modules-failed %s\n", head ? why : "no symbol modules");
		return;
	}
	if (vmf_modsyms_load(&p->r, head->addr, &o, &p->mods, why, sizeof(why))) {
		printf("modules-failed %s\n", why);
		return;
	}
	printf("modules %zu symbols %zu%s%s\n", p->mods.nmods, p->mods.syms.n, p->mods.why[0] ? " stopped: " : "",
	       p->mods.why);
	for (size_t i = 0; i < p->mods.nmods; i++)
		printf("module %s base %llx size %llx text %llx symbols %u%s%s\n", p->mods.mods[i].name,
		       (unsigned long long)p->mods.mods[i].base, (unsigned long long)p->mods.mods[i].size,
		       (unsigned long long)p->mods.mods[i].text_size, p->mods.mods[i].nsyms,
		       p->mods.mods[i].why[0] ? " why: " : "", p->mods.mods[i].why);
	lap(p, "modules");
}

/* gdb's "<name+off>" (decimal offset) for jump and call targets */
static int symbolize(void *ctx, uint64_t addr, char *buf, size_t len)
{
	struct probe *p = ctx;
	const struct vmf_sym *s;
	const struct vmf_symtab *t = &p->syms;
	uint64_t off = 0;

	if (!(s = vmf_symtab_at(t, addr, &off)) && (t = &p->mods.syms) && !(s = vmf_symtab_at(t, addr, &off)))
		return -1;
	if (off)
		snprintf(buf, len, "%s+%llu", vmf_symtab_name(t, s), (unsigned long long)off);
	else
		snprintf(buf, len, "%s", vmf_symtab_name(t, s));
	return 0;
}

/* The faulting offset in vmalloc_fault, from the oops in the dump's own log; -1 when none. */
static long fault_offset(struct probe *p)
{
	struct vmf_log log;
	struct vmf_oops o;
	long off = -1;

	memset(&log, 0, sizeof(log));
	if (vmf_log_from_dump(p->d, &log) != VMF_LOG_MISSING && log.text &&
	    vmf_parse_oops(log.text, log.len, &o) == 0 && o.has_rip && !strcmp(o.rip_sym, "vmalloc_fault"))
		off = (long)o.rip_off;
	vmf_log_free(&log);
	return off;
}

/*
 * vmalloc_fault, where it is and the code check, the way extensions/vmfault.c
 * does it through gdb: the function's extent to the next symbol (0x400 when
 * unknown, 0x2000 at most), cut at the faulting offset.
 */
static void code_check(struct probe *p)
{
	const struct vmf_sym *s = vmf_symtab_lookup(&p->syms, "vmalloc_fault");
	const struct vmf_symtab *t = &p->syms;
	const struct vmf_module *m = NULL;
	uint64_t size;
	long fault_off;
	unsigned char code[0x2000 + 16];
	char why[300], note[400];
	char *text;
	enum vmf_tri res;

	if (!s && (t = &p->mods.syms) && (s = vmf_symtab_lookup(t, "vmalloc_fault")))
		m = &p->mods.mods[s->mod];
	if (!s) {
		printf("vmalloc_fault -\n");
		return;
	}
	size = s->span ? s->span : 0x400;
	if (size > 0x2000)
		size = 0x2000;
	printf("vmalloc_fault %llx %s%s size %llx span %llx\n", (unsigned long long)s->addr,
	       m ? "module " : "kernel", m ? m->name : "", (unsigned long long)s->size, (unsigned long long)s->span);
	if (m)
		printf("vmalloc_fault-module %s start %llx size %llx\n", m->name, (unsigned long long)m->base,
		       (unsigned long long)m->size);
	fault_off = fault_offset(p);
	if (fault_off > 0 && (uint64_t)fault_off < size)
		size = (uint64_t)fault_off;
	/* 15 bytes past the end: the last instruction before it may end there */
	if (dump_read(p->d, s->addr, code, size + 15, why, sizeof(why)) &&
	    dump_read(p->d, s->addr, code, size, why, sizeof(why))) {
		printf("code-failed %s\n", why);
		return;
	}
	text = vmf_disasm(code, size + 15, s->addr, s->addr + size, "vmalloc_fault", symbolize, p, why, sizeof(why));
	if (!text) {
		printf("code-failed %s\n", why);
		return;
	}
	res = vmf_code_large_check(text, s->addr, fault_off, note, sizeof(note));
	printf("code %s fault_off %ld note %s\n", res == VMF_TRUE ? "true" : res == VMF_FALSE ? "false" : "unknown",
	       fault_off, note);
	if (getenv("PROBE_DISASM"))
		fputs(text, stdout);
	free(text);
	lap(p, "code");
}

static int open_dump(struct probe *p, const char *path)
{
	struct vmf_dump_opts opts = { p->cache };
	char kaslr[32] = "";

	p->d = vmf_dump_new();
	if (!p->d || vmf_dump_open(p->d, path, &opts) != VMF_DUMP_OK) {
		printf("dump-failed %s\n", p->d ? vmf_dump_err(p->d) : "out of memory");
		return -1;
	}
	p->r.ctx = p->d;
	p->r.read_virt = dump_read;
	vmf_dump_vi_string(p->d, "BUILD-ID", p->build_id, sizeof(p->build_id));
	if (vmf_dump_vi_string(p->d, "KERNELOFFSET", kaslr, sizeof(kaslr)) == VMF_DUMP_OK)
		p->koff = strtoull(kaslr, NULL, 16);
	p->stext = vi_sym(p, "_stext");
	printf("dump %s build-id %s kerneloffset %llx stext %llx\n", vmf_dump_format(p->d), p->build_id,
	       (unsigned long long)p->koff, (unsigned long long)p->stext);
	lap(p, "open");
	return 0;
}

int main(int argc, char **argv)
{
	struct probe p;
	struct rusage ru;
	int c;

	memset(&p, 0, sizeof(p));
	p.mode = "auto";
	while ((c = getopt(argc, argv, "k:m:c:s:t")) != -1)
		switch (c) {
		case 'k': p.vmlinux = optarg; break;
		case 'm': p.mode = optarg; break;
		case 'c': p.cache = optarg; break;
		case 's': p.symcache = optarg; break;
		case 't': p.timing = 1; break;
		default:
			fprintf(stderr, "usage: direct-probe [-k vmlinux] [-m auto|vmcoreinfo|locate] [-c cachedir] [-s symcache] [-t] vmcore\n");
			return 2;
		}
	if (optind != argc - 1) {
		fprintf(stderr, "direct-probe: one vmcore\n");
		return 2;
	}
	if (!p.symcache)
		p.symcache = p.cache;
	if (p.symcache && !*p.symcache)
		p.symcache = NULL;   /* -s '': no symbol cache */
	p.t0 = now();
	if (open_dump(&p, argv[optind]) || load_symbols(&p))
		return 1;
	load_btf(&p);
	print_symbols_and_types(&p);
	load_modules(&p);
	code_check(&p);
	getrusage(RUSAGE_SELF, &ru);
	printf("maxrss-kb %ld\n", ru.ru_maxrss);
	vmf_modsyms_free(&p.mods);
	vmf_btf_free(&p.btf);
	vmf_symtab_free(&p.syms);
	if (p.vmlinux)
		vmf_elf_close(&p.elf);
	vmf_dump_free(p.d);
	return 0;
}
