/*
 * vmf-dumpinfo - what the direct reader sees in a vmcore, without crash:
 * its format, whether it was rearranged, the VMCOREINFO keys the direct engine
 * uses, a translation check, and the kernel log (--log prints it as crash's
 * `log` does).  A tool for tests and for trying the direct reader by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vmf_dump.h"
#include "vmf_log.h"

static FILE *fp;

static const char usage[] =
	"usage: vmf-dumpinfo [--cache DIR | --memory] [--probe]\n"
	"                    [--log | --vmcoreinfo | --read ADDR | --read-phys ADDR] DUMP\n"
	"  --cache DIR    rearrange a flattened dump into DIR and reuse it there\n"
	"                 (default: $VMFAULT_CACHE/flat, else ~/.cache/vmfault/flat)\n"
	"  --memory       rearrange a flattened dump in memory (up to 256 MiB)\n"
	"  --probe        open the dump in a child first (survives a libkdumpfile crash)\n"
	"  --log          print the kernel log as crash's `log` prints it\n"
	"  --vmcoreinfo   print the raw VMCOREINFO text\n"
	"  --read ADDR    16 bytes at a kernel virtual address (hex), as two 64-bit words\n"
	"  --read-phys ADDR  the same at a physical address\n"
	"exit status: 0 success, 1 the log is partial or missing or the memory unreadable,\n"
	"             2 the dump cannot be opened, 64 usage\n";

/* The VMCOREINFO keys the direct engine reads (the paging, the lists, the log). */
static const char *const keys[] = {
	"OSRELEASE", "BUILD-ID", "PAGESIZE", "KERNELOFFSET", "NUMBER(phys_base)", "SYMBOL(init_top_pgt)",
	"NUMBER(pgtable_l5_enabled)", "SYMBOL(_stext)", "SYMBOL(init_uts_ns)", "SYMBOL(vmap_area_list)",
	"OFFSET(vmap_area.va_start)", "OFFSET(vmap_area.list)", "SYMBOL(mem_section)", "SIZE(page)",
	"OFFSET(page.lru)", "SYMBOL(prb)", "SYMBOL(log_buf)", "SYMBOL(log_first_idx)", "SYMBOL(kallsyms_names)",
};

static void print_rearranged(const struct vmf_dump *d)
{
	const struct vmf_dump_rearranged *re = vmf_dump_rearranged(d);

	if (!re->rearranged) {
		fprintf(fp, "rearranged:  no\n");
		return;
	}
	if (re->reused)
		fprintf(fp, "rearranged:  flattened stream, reused from %s (%llu bytes)\n", re->where,
			(unsigned long long)re->size);
	else
		fprintf(fp, "rearranged:  flattened stream, %llu records into %s (%llu bytes)\n",
			(unsigned long long)re->records, re->where, (unsigned long long)re->size);
	if (re->truncated)
		fprintf(fp, "             the stream stops before its end marker: a partial dump\n");
}

static void print_keys(struct vmf_dump *d)
{
	const struct vmf_vmcoreinfo *vi;
	size_t i, n;

	if (vmf_dump_vmcoreinfo(d, &vi) != VMF_DUMP_OK) {
		fprintf(fp, "VMCOREINFO:  none (%s)\n", vmf_dump_err(d));
		return;
	}
	fprintf(fp, "VMCOREINFO:  %zu bytes\n", vi->len);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *v = vmf_vi_find(vi, keys[i], &n);

		if (v)
			fprintf(fp, "  %s=%.*s\n", keys[i], (int)n, v);
		else
			fprintf(fp, "  %s: not in VMCOREINFO\n", keys[i]);
	}
}

/* libkdumpfile's translation on init_top_pgt, which the kernel maps at phys_base + (va - __START_KERNEL_map). */
static void print_translation(struct vmf_dump *d)
{
	uint64_t va, pa;

	if (vmf_dump_vi_symbol(d, "init_top_pgt", &va) != VMF_DUMP_OK) {
		fprintf(fp, "translate:   %s\n", vmf_dump_err(d));
		return;
	}
	if (vmf_dump_virt_to_phys(d, va, &pa) == VMF_DUMP_OK)
		fprintf(fp, "translate:   init_top_pgt %llx -> physical %llx\n", (unsigned long long)va,
			(unsigned long long)pa);
	else
		fprintf(fp, "translate:   init_top_pgt %llx: %s\n", (unsigned long long)va, vmf_dump_err(d));
}

static int print_log(struct vmf_dump *d, int text)
{
	struct vmf_log log;
	enum vmf_log_status st = vmf_log_from_dump(d, &log);

	if (text && log.text)
		fwrite(log.text, 1, log.len, fp);
	if (!text)
		fprintf(fp, "log:         %s, %lu records, %zu bytes%s%s\n", vmf_log_kind_name(log.kind), log.records,
			log.len, st == VMF_LOG_COMPLETE ? "" : ": ", st == VMF_LOG_COMPLETE ? "" : log.why);
	else if (st != VMF_LOG_COMPLETE)
		fprintf(stderr, "vmf-dumpinfo: log %s: %s\n", st == VMF_LOG_PARTIAL ? "partial" : "missing", log.why);
	vmf_log_free(&log);
	return st == VMF_LOG_COMPLETE ? 0 : 1;
}

/* Two 64-bit words (the dump's byte order), or the reason the dump does not give them. */
static int print_read(struct vmf_dump *d, const char *arg, int phys)
{
	unsigned char b[16];
	uint64_t w[2];
	char *end;
	unsigned long long addr = strtoull(arg, &end, 16);
	enum vmf_dump_status st;
	int i, k;

	if (!*arg || *end) {
		fprintf(stderr, "vmf-dumpinfo: %s: not a hexadecimal address\n", arg);
		return 64;
	}
	st = phys ? vmf_dump_read_phys(d, addr, b, sizeof(b)) : vmf_dump_read_virt(d, addr, b, sizeof(b));
	if (st != VMF_DUMP_OK) {
		fprintf(stderr, "vmf-dumpinfo: %s\n", vmf_dump_err(d));
		return 1;
	}
	for (k = 0; k < 2; k++)
		for (w[k] = 0, i = 0; i < 8; i++)
			w[k] |= (uint64_t)b[8 * k + (vmf_dump_big_endian(d) ? 7 - i : i)] << (8 * i);
	fprintf(fp, "%llx:  %016llx %016llx\n", addr, (unsigned long long)w[0], (unsigned long long)w[1]);
	return 0;
}

int main(int argc, char **argv)
{
	struct vmf_dump_opts opts = { NULL };
	char cache[4096], why[600];
	const char *path = NULL, *env, *read_addr = NULL;
	int i, want_log = 0, want_vi = 0, probe = 0, memory = 0, read_phys = 0, rc;
	struct vmf_dump *d;

	fp = stdout;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--log"))
			want_log = 1;
		else if (!strcmp(argv[i], "--vmcoreinfo"))
			want_vi = 1;
		else if (!strcmp(argv[i], "--probe"))
			probe = 1;
		else if (!strcmp(argv[i], "--memory"))
			memory = 1;
		else if ((!strcmp(argv[i], "--read") || !strcmp(argv[i], "--read-phys")) && i + 1 < argc) {
			read_phys = !strcmp(argv[i], "--read-phys");
			read_addr = argv[++i];
		} else if (!strcmp(argv[i], "--cache") && i + 1 < argc)
			opts.cache_dir = argv[++i];
		else if (argv[i][0] == '-' || path) {
			fputs(usage, stderr);
			return 64;
		} else
			path = argv[i];
	}
	if (!path || (memory && opts.cache_dir)) {
		fputs(usage, stderr);
		return 64;
	}
	if (!memory && !opts.cache_dir) {
		env = getenv("VMFAULT_CACHE");
		if (env && *env)
			snprintf(cache, sizeof(cache), "%s/flat", env);
		else
			snprintf(cache, sizeof(cache), "%s/.cache/vmfault/flat", getenv("HOME") ? getenv("HOME") : "/tmp");
		opts.cache_dir = cache;
	}
	if (probe && vmf_dump_probe(path, &opts, why, sizeof(why)) != VMF_DUMP_OK) {
		fprintf(stderr, "vmf-dumpinfo: %s: %s\n", path, why);
		return 2;
	}
	d = vmf_dump_new();
	if (!d || vmf_dump_open(d, path, &opts) != VMF_DUMP_OK) {
		fprintf(stderr, "vmf-dumpinfo: %s: %s\n", path, vmf_dump_err(d));
		vmf_dump_free(d);
		return 2;
	}
	if (read_addr) {
		rc = print_read(d, read_addr, read_phys);
	} else if (want_log) {
		rc = print_log(d, 1);
	} else if (want_vi) {
		const struct vmf_vmcoreinfo *vi;
		rc = vmf_dump_vmcoreinfo(d, &vi) == VMF_DUMP_OK ? (fwrite(vi->text, 1, vi->len, fp), 0) : 1;
	} else {
		fprintf(fp, "dump:        %s\n", path);
		fprintf(fp, "format:      %s%s%s\n", vmf_dump_format(d), vmf_dump_arch(d)[0] ? ", " : "", vmf_dump_arch(d));
		print_rearranged(d);
		print_keys(d);
		print_translation(d);
		rc = print_log(d, 0);
	}
	vmf_dump_free(d);
	return rc;
}
