/*
 * test_dump.c - direct/vmf_dump.c on files made here: a small x86_64 ELF vmcore
 * (VMCOREINFO note, two memory segments with a hole between them), then broken
 * files.  Every open error is one line naming its cause; reads say why.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "vmf_dump.h"

static const char vmcoreinfo[] =
	"OSRELEASE=5.10.0-test\nPAGESIZE=4096\nBUILD-ID=0123abcd\nKERNELOFFSET=1c000000\n"
	"SYMBOL(init_uts_ns)=ffffffff82613700\nNUMBER(phys_base)=-4096\nOFFSET(vmap_area.list)=40\n"
	"SIZE(page)=64\nLENGTH(mem_section)=2048\nNUMBER(pgtable_l5_enabled)=0\n";

static void put(unsigned char *p, uint64_t v, int n)
{
	int i;

	for (i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

/* ELF64 x86_64 core: PT_NOTE VMCOREINFO, PT_LOAD 0x0-0x3000 and 0x5000-0x6000 (0x3000-0x5000 a hole). */
static size_t make_elf(unsigned char *b, size_t cap)
{
	size_t vl = sizeof(vmcoreinfo) - 1, notesz = 12 + 12 + ((vl + 3) & ~(size_t)3), data = 0x1000, i;
	unsigned char *ph = b + 64;

	memset(b, 0, cap);
	memcpy(b, "\177ELF\2\1\1", 7);
	put(b + 16, 4, 2);          /* ET_CORE */
	put(b + 18, 62, 2);         /* EM_X86_64 */
	put(b + 20, 1, 4);
	put(b + 32, 64, 8);         /* e_phoff */
	put(b + 52, 64, 2);
	put(b + 54, 56, 2);
	put(b + 56, 3, 2);
	put(ph, 4, 4);              /* PT_NOTE */
	put(ph + 8, 64 + 3 * 56, 8);
	put(ph + 32, notesz, 8);
	put(b + 64 + 3 * 56, 11, 4);
	put(b + 64 + 3 * 56 + 4, vl, 4);
	memcpy(b + 64 + 3 * 56 + 12, "VMCOREINFO", 11);
	memcpy(b + 64 + 3 * 56 + 24, vmcoreinfo, vl);
	put(ph + 56, 1, 4);         /* PT_LOAD: physical 0, 3 pages */
	put(ph + 56 + 8, data, 8);
	put(ph + 56 + 24, 0, 8);
	put(ph + 56 + 32, 0x3000, 8);
	put(ph + 56 + 40, 0x3000, 8);
	put(ph + 112, 1, 4);        /* PT_LOAD: physical 0x5000, 1 page */
	put(ph + 112 + 8, data + 0x3000, 8);
	put(ph + 112 + 24, 0x5000, 8);
	put(ph + 112 + 32, 0x1000, 8);
	put(ph + 112 + 40, 0x1000, 8);
	for (i = 0; i < 0x4000; i++)
		b[data + i] = (unsigned char)(i * 7 + 3);
	return data + 0x4000;
}

static void write_file(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	fwrite(b, 1, n, f);
	fclose(f);
}

static void test_elf(const char *dir)
{
	static unsigned char b[0x8000];
	char path[256];
	size_t n = make_elf(b, sizeof(b));
	struct vmf_dump *d = vmf_dump_new();
	const struct vmf_vmcoreinfo *vi;
	unsigned char buf[16];
	uint64_t u;
	int64_t s;
	char rel[64];

	snprintf(path, sizeof(path), "%s/small.elf", dir);
	write_file(path, b, n);
	CHECK(vmf_dump_open(d, path, NULL) == VMF_DUMP_OK);
	CHECK_STR(vmf_dump_err(d), "");
	CHECK_STR(vmf_dump_format(d), "ELF");
	CHECK_STR(vmf_dump_arch(d), "x86_64");
	CHECK(vmf_dump_rearranged(d)->rearranged == 0);
	CHECK(vmf_dump_page_size(d) == 4096 && vmf_dump_ptr_size(d) == 8 && !vmf_dump_big_endian(d));
	CHECK(vmf_dump_vmcoreinfo(d, &vi) == VMF_DUMP_OK && vi->len == sizeof(vmcoreinfo) - 1);
	CHECK(vmf_dump_vi_string(d, "OSRELEASE", rel, sizeof(rel)) == VMF_DUMP_OK);
	CHECK_STR(rel, "5.10.0-test");
	CHECK(vmf_dump_vi_hex(d, "KERNELOFFSET", &u) == VMF_DUMP_OK && u == 0x1c000000);
	CHECK(vmf_dump_vi_udec(d, "PAGESIZE", &u) == VMF_DUMP_OK && u == 4096);
	CHECK(vmf_dump_vi_symbol(d, "init_uts_ns", &u) == VMF_DUMP_OK && u == 0xffffffff82613700ULL);
	CHECK(vmf_dump_vi_number(d, "phys_base", &s) == VMF_DUMP_OK && s == -4096);
	CHECK(vmf_dump_vi_offset(d, "vmap_area.list", &u) == VMF_DUMP_OK && u == 40);
	CHECK(vmf_dump_vi_size(d, "page", &u) == VMF_DUMP_OK && u == 64);
	CHECK(vmf_dump_vi_length(d, "mem_section", &u) == VMF_DUMP_OK && u == 2048);
	CHECK(vmf_dump_vi_symbol(d, "prb", &u) == VMF_DUMP_NOKEY);
	CHECK_STR(vmf_dump_err(d), "VMCOREINFO has no SYMBOL(prb)");
	/* memory: the data, a hole, beyond the end */
	CHECK(vmf_dump_read_phys(d, 0x1ff8, buf, 16) == VMF_DUMP_OK);
	CHECK(buf[0] == (unsigned char)(0x1ff8 * 7 + 3) && buf[15] == (unsigned char)(0x2007 * 7 + 3));
	CHECK(vmf_dump_read_phys(d, 0x5010, buf, 8) == VMF_DUMP_OK && buf[0] == (unsigned char)(0x3010 * 7 + 3));
	CHECK(vmf_dump_read_phys(d, 0x3100, buf, 8) == VMF_DUMP_UNREADABLE);
	CHECK_STR(vmf_dump_err(d), "physical address 3100 not in the dump");
	CHECK(vmf_dump_read_phys(d, 0x2ffc, buf, 8) == VMF_DUMP_UNREADABLE);
	CHECK_STR(vmf_dump_err(d), "physical address 3000 not in the dump");   /* the first byte it lacks */
	CHECK(vmf_dump_read_phys(d, 0x100000, buf, 8) == VMF_DUMP_UNREADABLE);
	CHECK_STR(vmf_dump_err(d), "physical address 100000 not in the dump");
	/* no init_top_pgt: no translation, and reads of virtual addresses say so */
	CHECK(vmf_dump_read_virt(d, 0xffffffff81000000ULL, buf, 8) != VMF_DUMP_OK);
	CHECK(strlen(vmf_dump_err(d)) > 10);
	vmf_dump_free(d);
}

/* Broken files: each refused with its cause, in the caller and in a probe. */
static void test_broken(const char *dir)
{
	static unsigned char b[0x8000];
	struct { const char *name; size_t len; const char *why; } cases[] = {
		{ "empty", 0, "not a dump: 0 bytes" },
		{ "header-only", 8, "kdump-compressed header truncated: the file has 8 bytes" },
		{ "text", 100, "not a dump libkdumpfile can read: " },
		{ "elf-cut", 0x2000, "ELF dump truncated: 8192 bytes, its memory segments end at 20480" },
		{ "elf-note", 0, "ELF dump's notes damaged: 4294967296 bytes at offset 232 (the file has 20480)" },
	};
	char path[256], why[600];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmf_dump *d = vmf_dump_new();

		snprintf(path, sizeof(path), "%s/%s", dir, cases[i].name);
		if (!strcmp(cases[i].name, "header-only")) {
			write_file(path, "KDUMP   ", 8);
		} else if (!strcmp(cases[i].name, "text")) {
			memset(b, 'x', 100);
			write_file(path, b, 100);
		} else if (!strncmp(cases[i].name, "elf", 3)) {
			n = make_elf(b, sizeof(b));
			if (!strcmp(cases[i].name, "elf-note"))
				put(b + 64 + 32, 1ULL << 32, 8);
			write_file(path, b, cases[i].len ? cases[i].len : n);
		} else {
			write_file(path, b, 0);
		}
		CHECK(vmf_dump_open(d, path, NULL) == VMF_DUMP_ERROR);
		CHECK(strncmp(vmf_dump_err(d), cases[i].why, strlen(cases[i].why)) == 0 && !strchr(vmf_dump_err(d), '\n'));
		if (strncmp(vmf_dump_err(d), cases[i].why, strlen(cases[i].why)))
			printf("  %s: \"%s\"\n", cases[i].name, vmf_dump_err(d));
		CHECK(vmf_dump_probe(path, NULL, why, sizeof(why)) == VMF_DUMP_ERROR);
		CHECK_STR(why, vmf_dump_err(d));
		vmf_dump_free(d);
	}
	{
		struct vmf_dump *d = vmf_dump_new();
		CHECK(vmf_dump_open(d, "/nonexistent/vmcore", NULL) == VMF_DUMP_ERROR);
		CHECK_STR(vmf_dump_err(d), "cannot open: No such file or directory");
		CHECK(vmf_dump_read_phys(d, 0, b, 8) == VMF_DUMP_ERROR);
		CHECK_STR(vmf_dump_err(d), "dump not open");
		vmf_dump_free(d);
	}
	snprintf(path, sizeof(path), "%s/small.elf", dir);
	CHECK(vmf_dump_probe(path, NULL, why, sizeof(why)) == VMF_DUMP_OK);
}

int main(void)
{
	char dir[] = "/tmp/vmf-test-dump.XXXXXX", cmd[128];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_elf(dir);
	test_broken(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("note: could not remove %s\n", dir);
	return CHECK_DONE();
}
