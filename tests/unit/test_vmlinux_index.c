/*
 * test_vmlinux_index.c - cli/vmlinux_index.c on synthetic ELF files in a
 * temporary tree (sparse files of hundreds of MB cost no disk), and on the
 * factory's real vmlinux when it is there.
 */
#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"
#include "synthelf.h"
#include "../../cli/vmlinux_index.h"

static char root[256];

static const char *P(const char *rel)
{
	static char buf[8][512];
	static int k;

	k = (k + 1) % 8;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", root, rel);
	return buf[k];
}

static void mkdirs(const char *rel)
{
	char cmd[700];

	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", P(rel));
	if (system(cmd) != 0)
		abort();
}

static const char *hex20(unsigned char b)
{
	static char h[41];
	int i;

	for (i = 0; i < 20; i++)
		sprintf(h + 2 * i, "%02x", b);
	return h;
}

static void test_reader(void)
{
	struct elf_kernel_id id;
	struct synth k = { ET_EXEC, 1, 0, 0xab, 300L << 20, 0 };
	struct synth so = { ET_DYN, 1, 0, 0xcd, 2L << 20, 0 };
	struct synth user = { ET_EXEC, 0, 0, 0xef, 2L << 20, 0 };
	struct synth e32 = { ET_EXEC, 1, ELFCLASS32, 0x11, 2L << 20, 0 };
	struct synth broken = { ET_EXEC, 1, 0, 0x22, 2L << 20, 1 };
	FILE *f;

	write_elf(P("k.elf"), &k);
	CHECK(elf_kernel_id_read(P("k.elf"), &id) == 0);
	CHECK(id.is_kernel);
	CHECK_STR(id.build_id, hex20(0xab));
	CHECK(id.bytes_read < 4096);                  /* of a 300 MB file: headers and the note only */
	write_elf(P("so.elf"), &so);
	CHECK(elf_kernel_id_read(P("so.elf"), &id) == 0 && !id.is_kernel);
	CHECK_STR(id.why, "not an ELF executable (ET_EXEC)");
	write_elf(P("user.elf"), &user);
	CHECK(elf_kernel_id_read(P("user.elf"), &id) == 0 && !id.is_kernel);
	CHECK_STR(id.why, "no .init.text section");
	write_elf(P("e32.elf"), &e32);
	CHECK(elf_kernel_id_read(P("e32.elf"), &id) == -1);
	CHECK_STR(id.why, "not a little-endian ELF64 file");
	write_elf(P("broken.elf"), &broken);
	CHECK(elf_kernel_id_read(P("broken.elf"), &id) == 0 && !id.is_kernel);
	CHECK_STR(id.why, "no readable section headers");
	f = fopen(P("text"), "w");
	fputs("Linux version 5.10\n", f);
	fclose(f);
	CHECK(elf_kernel_id_read(P("text"), &id) == -1);
	CHECK_STR(id.why, "not an ELF file");
	CHECK(elf_kernel_id_read(P("missing"), &id) == -1);
	CHECK_STR(id.why, "cannot open: No such file or directory");
	CHECK(mkfifo(P("fifo"), 0644) == 0);           /* no writer: a blocking open would hang */
	CHECK(elf_kernel_id_read(P("fifo"), &id) == -1);
	CHECK_STR(id.why, "not a regular file");
}

/* a tree of unpacked -dbg packages, a .build-id tree, a loop, a deep one */
static void make_tree(void)
{
	struct synth a = { ET_EXEC, 1, 0, 0xa1, 200L << 20, 0 }, b = a, c = a, tiny = a, deep = a, user = a;
	FILE *f;
	int i;
	char rel[300] = "deep";

	b.bid = 0xb2;
	c.bid = 0xc3;
	tiny.bid = 0x01;
	tiny.size = 512 << 10;
	deep.bid = 0xd4;
	user.init_text = 0;
	user.bid = 0xe5;
	mkdirs("dbg/5.10.0-32-cloud-amd64/root/usr/lib/debug/boot");
	mkdirs("dbg/6.1.0-57-cloud-amd64/root/usr/lib/debug/boot");
	mkdirs("dbg/6.1.0-57-cloud-amd64/root/usr/lib/debug/lib/modules/6.1.0-57-cloud-amd64");
	mkdirs("dbg/small");
	mkdirs("dbg/userland");
	mkdirs("bid/.build-id/c3");
	write_elf(P("dbg/5.10.0-32-cloud-amd64/root/usr/lib/debug/boot/vmlinux-5.10.0-32-cloud-amd64"), &a);
	write_elf(P("dbg/6.1.0-57-cloud-amd64/root/usr/lib/debug/boot/vmlinux-6.1.0-57-cloud-amd64"), &b);
	CHECK(symlink("../../../boot/vmlinux-6.1.0-57-cloud-amd64",
		      P("dbg/6.1.0-57-cloud-amd64/root/usr/lib/debug/lib/modules/6.1.0-57-cloud-amd64/vmlinux")) == 0);
	CHECK(symlink("..", P("dbg/small/loop")) == 0);     /* back to dbg */
	write_elf(P("dbg/small/vmlinux-tiny"), &tiny);
	write_elf(P("dbg/userland/vmlinux-5.10.0-32-cloud-amd64"), &user);   /* named like one, is none */
	f = fopen(P("dbg/userland/big.txt"), "w");
	for (i = 0; i < 80000; i++)           /* 1.1 MB */
		fputs("not a kernel \n", f);
	fclose(f);
	write_elf(P("bid/.build-id/c3/c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3.debug"), &c);
	for (i = 1; i <= VMLINUX_INDEX_DEPTH + 1; i++)
		snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), "/%d", i);
	mkdirs(rel);
	snprintf(rel + strlen(rel), sizeof(rel) - strlen(rel), "/vmlinux-deep");
	write_elf(P(rel), &deep);
}

static void test_index(const char *cache)
{
	struct vmlinux_index *ix = vmlinux_index_new(cache);
	struct vmlinux_index_stats st;
	char why[200], searched[2000], want[600];
	const char *p;

	vmlinux_index_add_dir(ix, P("bid"));
	vmlinux_index_add_dir(ix, P("dbg/"));
	vmlinux_index_add_dir(ix, P("deep"));
	vmlinux_index_add_dir(ix, P("absent"));
	/* the .build-id link answers without a walk */
	CHECK_STR(vmlinux_index_find(ix, hex20(0xc3)), P("bid/.build-id/c3/c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3.debug"));
	vmlinux_index_stats(ix, &st);
	CHECK(st.files == 0 && st.judged == 0);
	/* one level deeper than the fixed patterns of old */
	CHECK_STR(vmlinux_index_find(ix, hex20(0xa1)),
		  P("dbg/5.10.0-32-cloud-amd64/root/usr/lib/debug/boot/vmlinux-5.10.0-32-cloud-amd64"));
	CHECK_STR(vmlinux_index_find(ix, hex20(0xb2)),
		  P("dbg/6.1.0-57-cloud-amd64/root/usr/lib/debug/boot/vmlinux-6.1.0-57-cloud-amd64"));
	CHECK(vmlinux_index_find(ix, hex20(0xd4)) == NULL);       /* 17 levels down */
	CHECK(vmlinux_index_find(ix, hex20(0x01)) == NULL);       /* under 1 MiB */
	CHECK(vmlinux_index_find(ix, hex20(0xe5)) == NULL);       /* no .init.text */
	CHECK_STR(vmlinux_index_find_release(ix, "5.10.0-32-cloud-amd64"),
		  P("dbg/5.10.0-32-cloud-amd64/root/usr/lib/debug/boot/vmlinux-5.10.0-32-cloud-amd64"));
	CHECK(vmlinux_index_find_release(ix, "5.10.0-32") == NULL);
	vmlinux_index_stats(ix, &st);
	CHECK_U64(st.kernels, 3);                                 /* a, b (its symlink counted once), c */
	CHECK_U64(st.files, 5);                                   /* and userland's two */
	CHECK_U64(st.judged + st.cached, 5);
	CHECK_U64(st.loops, 1);
	CHECK_U64(st.too_deep, 1);
	vmlinux_index_searched(ix, searched, sizeof(searched));
	snprintf(want, sizeof(want), "%s (2 kernels in 4 files of 1 MiB or more; 1 directory reached again "
		 "through symbolic links, not walked twice)", P("dbg"));
	CHECK(strstr(searched, want) != NULL);
	snprintf(want, sizeof(want), "%s (0 kernels in 0 files of 1 MiB or more; 1 directory deeper than 16 "
		 "levels not walked)", P("deep"));
	CHECK(strstr(searched, want) != NULL);
	snprintf(want, sizeof(want), "%s (cannot open: No such file or directory)", P("absent"));
	CHECK(strstr(searched, want) != NULL);
	if (strstr(searched, want) == NULL)
		printf("searched: %s\n", searched);
	CHECK(vmlinux_index_save(ix, why, sizeof(why)) == 0);
	p = vmlinux_index_find(ix, hex20(0xa1));
	CHECK(p != NULL);
	vmlinux_index_free(ix);
}

/* the second run reads no ELF header; a touched file is read again */
static void test_cache(const char *cache)
{
	struct vmlinux_index *ix = vmlinux_index_new(cache);
	struct vmlinux_index_stats st;
	struct timespec t[2] = { { 1000000, 0 }, { 1000000, 0 } };
	char why[200];

	vmlinux_index_add_dir(ix, P("dbg"));
	CHECK(vmlinux_index_find(ix, hex20(0xb2)) != NULL);
	vmlinux_index_stats(ix, &st);
	CHECK_U64(st.cached, 4);
	CHECK_U64(st.judged, 0);
	CHECK_U64(st.bytes_read, 0);
	vmlinux_index_free(ix);

	CHECK(utimensat(AT_FDCWD, P("dbg/6.1.0-57-cloud-amd64/root/usr/lib/debug/boot/vmlinux-6.1.0-57-cloud-amd64"),
			t, 0) == 0);
	ix = vmlinux_index_new(cache);
	vmlinux_index_add_dir(ix, P("dbg"));
	CHECK(vmlinux_index_find(ix, hex20(0xb2)) != NULL);
	vmlinux_index_stats(ix, &st);
	CHECK_U64(st.judged, 1);
	CHECK_U64(st.cached, 3);
	CHECK(vmlinux_index_save(ix, why, sizeof(why)) == 0);
	vmlinux_index_free(ix);
}

static void test_cache_path(void)
{
	char out[300];

	CHECK(vmlinux_index_cache_path("/srv/cache", out, sizeof(out)) == 0);
	CHECK_STR(out, "/srv/cache/vmlinux-index");
	setenv("XDG_CACHE_HOME", "/x/cache", 1);
	CHECK(vmlinux_index_cache_path(NULL, out, sizeof(out)) == 0);
	CHECK_STR(out, "/x/cache/vmfault/vmlinux-index");
	setenv("XDG_CACHE_HOME", "relative", 1);
	setenv("HOME", "/home/eng", 1);
	CHECK(vmlinux_index_cache_path(NULL, out, sizeof(out)) == 0);
	CHECK_STR(out, "/home/eng/.cache/vmfault/vmlinux-index");
}

/* The factory's vmlinux (600 MB with DWARF): judged from a few KB, same id as readelf's. */
static void test_real(void)
{
	const char *home = getenv("VMF_TEST_HOME");
	char path[600], cmd[700], line[300], want[200] = "";
	struct elf_kernel_id id;
	struct stat st;
	FILE *p;

	snprintf(path, sizeof(path), "%s/.cache/vmfault/kernels/5.10.0-32-cloud-amd64/usr/lib/debug/boot/"
		 "vmlinux-5.10.0-32-cloud-amd64", home ? home : "");
	if (!home || stat(path, &st) != 0) {
		printf("SKIP: no factory vmlinux at %s\n", path);
		return;
	}
	CHECK(elf_kernel_id_read(path, &id) == 0);
	CHECK(id.is_kernel);
	CHECK(id.bytes_read < 16384);
	printf("real vmlinux: %lld bytes, judged from %lu bytes read\n", (long long)st.st_size, id.bytes_read);
	snprintf(cmd, sizeof(cmd), "readelf -n '%s' 2>/dev/null", path);
	if ((p = popen(cmd, "r")) != NULL) {
		while (fgets(line, sizeof(line), p))
			if (sscanf(line, " Build ID: %199s", want) == 1)
				break;
		pclose(p);
	}
	CHECK(strlen(want) == 40);
	CHECK_STR(id.build_id, want);
}

int main(void)
{
	char cache[300], cmd[400];
	const char *home = getenv("HOME");

	if (home)
		setenv("VMF_TEST_HOME", home, 1);
	snprintf(root, sizeof(root), "/tmp/vmf-index-XXXXXX");
	if (!mkdtemp(root))
		return 2;
	test_reader();
	make_tree();
	snprintf(cache, sizeof(cache), "%s/cache/sub/vmlinux-index", root);
	test_index(cache);
	test_cache(cache);
	test_cache_path();
	test_real();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		printf("could not remove %s\n", root);
	return CHECK_DONE();
}
