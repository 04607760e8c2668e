/*
 * vmfault-triage - batch triage of kdump vmcores and console logs.
 *
 * A vmcore is diagnosed by crash itself in batch mode (`extend vmfault.so`,
 * `vmfault -j`), because only crash knows every dump format and kernel layout;
 * a console log, or a dump without its vmlinux, is diagnosed here from the text
 * alone with the same engine, and says so.  One bad input never stops a batch:
 * it becomes a result with verdict ERROR and a one-line reason.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <libkdumpfile/kdumpfile.h>
#include "vmf_diagnose.h"
#include "vmf_writers.h"

#define MAX_INPUTS 4096
#define MAX_DIRS 16
#define MAX_DEPTH 6

enum kind { K_VMCORE, K_KDUMP_DIR, K_TEXT };
static const char *const kind_names[] = { "vmcore", "kdump-dir", "text" };

struct input {
	char path[1024];          /* as given/found */
	char dump[1100];          /* the vmcore, for K_VMCORE and K_KDUMP_DIR */
	char dmesg[1100];         /* vmcore-dmesg.txt of a kdump dir, or the text file */
	enum kind kind;
	/* result */
	char release[80];
	char build_id[72];        /* VMCOREINFO BUILD-ID, hex */
	char vmlinux[1100];
	char stamp[200];          /* what the result depends on: --resume reuses it while unchanged */
	char *resumed;            /* the earlier result line, when reused */
	char verdict[24];
	char signature[48];
	char error[240];
	char *report;             /* the vmfault JSON object, malloc'd */
	int text_only;
	double elapsed;
	/* while running */
	pid_t pid;
	char cmdfile[64];
	char outfile[64];
	double started;
};

static struct input *inputs;
static int ninputs;
static const char *vmlinux_dirs[MAX_DIRS];
static int nvmlinux_dirs;
static const char *extension;
static int timeout_s = 300;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void json_str(FILE *f, const char *s)
{
	if (!s || !*s) {
		fputs("null", f);
		return;
	}
	vmf_json_str(f, s);
}

/* ---- what a path is --------------------------------------------------------- */

static int is_dump_file(const char *path)
{
	unsigned char m[16] = { 0 };
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return 0;
	n = read(fd, m, sizeof(m));
	close(fd);
	if (n < 8)
		return 0;
	return memcmp(m, "KDUMP   ", 8) == 0 || memcmp(m, "DISKDUMP", 8) == 0 ||
	       memcmp(m, "\177ELF", 4) == 0 || memcmp(m, "makedumpfile", 12) == 0;
}

static void add_input(const char *path, enum kind k, const char *dump, const char *dmesg)
{
	struct input *in;

	if (ninputs >= MAX_INPUTS)
		return;
	in = &inputs[ninputs++];
	memset(in, 0, sizeof(*in));
	snprintf(in->path, sizeof(in->path), "%s", path);
	in->kind = k;
	snprintf(in->dump, sizeof(in->dump), "%s", dump ? dump : "");
	snprintf(in->dmesg, sizeof(in->dmesg), "%s", dmesg ? dmesg : "");
}

static void collect(const char *path, int depth, int explicit)
{
	struct stat st;
	char sub[1100];
	const char *base;

	if (stat(path, &st) != 0) {
		add_input(path, K_TEXT, NULL, NULL);
		snprintf(inputs[ninputs - 1].error, sizeof(inputs[0].error), "cannot open: %s", strerror(errno));
		return;
	}
	if (S_ISDIR(st.st_mode)) {
		DIR *d;
		struct dirent *e;
		char dump[1100] = "", dmesg[1100] = "";

		snprintf(sub, sizeof(sub), "%s/vmcore", path);
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode))
			snprintf(dump, sizeof(dump), "%s", sub);
		snprintf(sub, sizeof(sub), "%s/vmcore-dmesg.txt", path);
		if (stat(sub, &st) == 0)
			snprintf(dmesg, sizeof(dmesg), "%s", sub);
		if (dump[0]) {
			add_input(path, K_KDUMP_DIR, dump, dmesg[0] ? dmesg : NULL);
			return;
		}
		if (depth >= MAX_DEPTH || !(d = opendir(path)))
			return;
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			collect(sub, depth + 1, 0);
		}
		closedir(d);
		return;
	}
	/* names are judged by the file's own name, not by the directories above it */
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if (is_dump_file(path) || (strstr(base, "vmcore") && !strstr(base, ".txt")))
		/* a file named like a dump that is none must still get its ERROR line */
		add_input(path, K_VMCORE, path, NULL);
	else if (explicit || strstr(base, ".txt") || strstr(base, ".log") || strstr(base, "dmesg") ||
		 strstr(base, "console"))
		add_input(path, K_TEXT, NULL, path);
}

/* ---- vmcore: release and vmlinux -------------------------------------------- */

static int flat_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen,
			   char *why, size_t wlen);

static int is_flattened(const char *path)
{
	char m[12] = { 0 };
	FILE *f = fopen(path, "rb");
	int yes = f && fread(m, 1, 12, f) == 12 && !memcmp(m, "makedumpfile", 12);

	if (f)
		fclose(f);
	return yes;
}

/*
 * OSRELEASE and BUILD-ID from the dump's VMCOREINFO, through libkdumpfile so
 * every format it knows (ELF, kdump-compressed, flattened, ...) is read the same
 * way.  On failure `why` holds libkdumpfile's own reason.
 */
static int read_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen,
			   char *why, size_t wlen)
{
	kdump_ctx_t *ctx = kdump_new();
	kdump_status st;
	char *val = NULL;
	int fd, ret = -1;

	if (!ctx) {
		snprintf(why, wlen, "libkdumpfile: out of memory");
		return -1;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0) {
		snprintf(why, wlen, "cannot open: %s", strerror(errno));
		kdump_free(ctx);
		return -1;
	}
	st = kdump_open_fd(ctx, fd);
	/* VMCOREINFO is parsed once the OS type is known; kdump-compressed headers do not say */
	if (st == KDUMP_OK)
		kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
	if (st != KDUMP_OK && is_flattened(path)) {
		kdump_free(ctx);
		close(fd);
		return flat_vmcoreinfo(path, rel, rlen, bid, blen, why, wlen);
	}
	if (st != KDUMP_OK) {
		snprintf(why, wlen, "not a dump libkdumpfile can read: %s", kdump_get_err(ctx));
		goto out;
	}
	st = kdump_vmcoreinfo_line(ctx, "OSRELEASE", &val);
	if (st != KDUMP_OK || !val || !*val) {
		snprintf(why, wlen, "the dump has no VMCOREINFO OSRELEASE (%s)",
			 st != KDUMP_OK ? kdump_get_err(ctx) : "empty");
		goto out;
	}
	snprintf(rel, rlen, "%s", val);
	free(val);
	val = NULL;
	bid[0] = 0;
	/* BUILD-ID is in VMCOREINFO since 5.9: older dumps are matched by release alone */
	if (kdump_vmcoreinfo_line(ctx, "BUILD-ID", &val) == KDUMP_OK && val)
		snprintf(bid, blen, "%s", val);
	ret = 0;
out:
	free(val);
	kdump_free(ctx);
	close(fd);
	return ret;
}

/* "KEY=value" of a VMCOREINFO text inside buf (maybe inside an ELF note, after its name) */
static int vmcoreinfo_value(const char *buf, size_t n, const char *key, char *out, size_t len)
{
	size_t kl = strlen(key), i, k = 0;

	for (i = 0; i + kl < n; i++) {
		if ((i == 0 || buf[i - 1] == '\n' || buf[i - 1] == 0) && !memcmp(buf + i, key, kl)) {
			for (i += kl; i < n && buf[i] != '\n' && buf[i] && k + 1 < len; i++)
				out[k++] = buf[i];
			out[k] = 0;
			return k ? 0 : -1;
		}
	}
	return -1;
}

static uint64_t be64(const unsigned char *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

/*
 * makedumpfile's flattened format (what `makedumpfile -F` and qemu's
 * dump-guest-memory write to a stream), which libkdumpfile 0.5.1 does not read:
 * a 4096-byte header, then (offset, size) big-endian records each followed by
 * its data.  VMCOREINFO is one of the first records, stored uncompressed.
 */
static int flat_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen,
			   char *why, size_t wlen)
{
	FILE *f = fopen(path, "rb");
	unsigned char hdr[16];
	char *buf = NULL;
	uint64_t seen = 0;
	int ret = -1, records = 0;

	if (!f) {
		snprintf(why, wlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fread(hdr, 1, 16, f) != 16 || memcmp(hdr, "makedumpfile", 12) || fseeko(f, 4096, SEEK_SET)) {
		snprintf(why, wlen, "not a flattened dump");
		goto out;
	}
	buf = malloc(4 << 20);
	while (buf && seen < (64u << 20) && records++ < 4096) {
		unsigned char rh[16];
		uint64_t size;

		if (fread(rh, 1, 16, f) != 16 || (int64_t)be64(rh) < 0)
			break;
		size = be64(rh + 8);
		seen += size;
		if (size > (4u << 20)) {
			if (fseeko(f, (off_t)size, SEEK_CUR))
				break;
			continue;
		}
		if (fread(buf, 1, size, f) != size)
			break;
		if (vmcoreinfo_value(buf, size, "OSRELEASE=", rel, rlen) == 0) {
			if (vmcoreinfo_value(buf, size, "BUILD-ID=", bid, blen) != 0)
				bid[0] = 0;
			ret = 0;
			break;
		}
	}
	if (ret)
		snprintf(why, wlen, "flattened dump without VMCOREINFO OSRELEASE in its first %d records%s", records,
			 feof(f) ? " (truncated?)" : "");
out:
	free(buf);
	fclose(f);
	return ret;
}

/*
 * The dump's machine from its own header, before anything trusts its layout:
 * ELF e_machine, or the utsname.machine of a kdump-compressed header (also the
 * first record of a flattened stream).  "" when the header does not say.
 */
static void dump_machine(const char *path, char *mach, size_t len)
{
	static const struct { unsigned em; const char *name; } elf_machines[] = {
		{ 62, "x86_64" }, { 3, "i386" }, { 183, "aarch64" }, { 40, "arm" }, { 21, "ppc64" },
		{ 20, "ppc" }, { 22, "s390x" }, { 243, "riscv64" }, { 8, "mips" }, { 258, "loongarch64" },
	};
	unsigned char h[4096 + 16 + 400];
	size_t n, i, base = 0;
	FILE *f = fopen(path, "rb");

	mach[0] = 0;
	if (!f)
		return;
	n = fread(h, 1, sizeof(h), f);
	fclose(f);
	if (n >= 20 && !memcmp(h, "\177ELF", 4)) {
		unsigned em = h[5] == 2 ? (unsigned)h[18] << 8 | h[19] : (unsigned)h[19] << 8 | h[18];
		for (i = 0; i < sizeof(elf_machines) / sizeof(elf_machines[0]); i++)
			if (elf_machines[i].em == em)
				snprintf(mach, len, "%s", elf_machines[i].name);
		if (!mach[0])
			snprintf(mach, len, "ELF machine %u", em);
		return;
	}
	if (n >= 12 && !memcmp(h, "makedumpfile", 12))
		base = 4096 + 16;                 /* the first record holds the kdump header */
	/* disk_dump_header: signature[8], header_version, then utsname: 6 fields of 65 */
	if (n >= base + 272 + 65 && (!memcmp(h + base, "KDUMP   ", 8) || !memcmp(h + base, "DISKDUMP", 8))) {
		const char *m = (const char *)h + base + 272;
		for (i = 0; i < 64 && m[i] && m[i] >= ' ' && m[i] < 127; i++)
			;
		if (i && (i == 64 || !m[i]))
			snprintf(mach, len, "%.*s", (int)i, m);
	}
}

/*
 * libkdumpfile runs in a child: a damaged header can crash it (0.5.1 faults in
 * kdump_free() after rejecting a bare "KDUMP   " header), and one bad dump must
 * never end the batch.
 */
static int dump_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen,
			   char *why, size_t wlen)
{
	char msg[600], *tab1, *tab2;
	int fds[2], status = 0;
	ssize_t n, got = 0;
	pid_t pid;

	rel[0] = bid[0] = 0;
	if (pipe(fds) != 0) {
		snprintf(why, wlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (read_vmcoreinfo(path, rel, rlen, bid, blen, why, wlen) == 0)
			n = snprintf(msg, sizeof(msg), "OK\t%s\t%s", rel, bid);
		else
			n = snprintf(msg, sizeof(msg), "ERR\t%s\t", why);
		if (write(fds[1], msg, (size_t)n) != n)
			_exit(2);
		_exit(0);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		snprintf(why, wlen, "fork: %s", strerror(errno));
		return -1;
	}
	while (got + 1 < (ssize_t)sizeof(msg) && (n = read(fds[0], msg + got, sizeof(msg) - 1 - got)) > 0)
		got += n;
	msg[got] = 0;
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (WIFSIGNALED(status) && !got) {
		snprintf(why, wlen, "libkdumpfile crashed (signal %d) reading the dump's headers: damaged dump",
			 WTERMSIG(status));
		return -1;
	}
	tab1 = strchr(msg, '\t');
	tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
	if (!tab2) {
		snprintf(why, wlen, "could not read the dump's VMCOREINFO (reader exit %d)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	*tab1 = *tab2 = 0;
	if (strcmp(msg, "OK") != 0) {
		snprintf(why, wlen, "%s", tab1 + 1);
		return -1;
	}
	snprintf(rel, rlen, "%s", tab1 + 1);
	snprintf(bid, blen, "%s", tab2 + 1);
	return 0;
}

/*
 * Is the file as long as its own headers say?  crash exits without a word on a
 * truncated dump, so this is where the user learns why.  kdump-compressed: every
 * page descriptor's data must lie inside the file; flattened: the record stream
 * must reach its end marker.  Returns 1 and says why when it is short.
 */
static int dump_truncated(const char *path, char *why, size_t wlen)
{
	FILE *f = fopen(path, "rb");
	unsigned char h[448];
	struct stat st;
	int ret = 0;

	if (!f || fstat(fileno(f), &st) != 0 || fread(h, 1, sizeof(h), f) != sizeof(h)) {
		if (f)
			fclose(f);
		return 0;
	}
	if (!memcmp(h, "KDUMP   ", 8) || !memcmp(h, "DISKDUMP", 8)) {
		int32_t block, sub;
		uint32_t bitmap_blocks;
		uint64_t bm2, bmlen, desc_off, n = 0, i, need = 0;
		unsigned char *bm;

		memcpy(&block, h + 428, 4);
		memcpy(&sub, h + 432, 4);
		memcpy(&bitmap_blocks, h + 436, 4);
		if (block <= 0 || block > (1 << 20) || sub < 0 || bitmap_blocks == 0 || bitmap_blocks > (1u << 24))
			goto out;
		bmlen = (uint64_t)block * bitmap_blocks / 2;
		bm2 = (uint64_t)block * (1 + (uint64_t)sub) + bmlen;
		desc_off = (uint64_t)block * (1 + (uint64_t)sub + bitmap_blocks);
		if (desc_off > (uint64_t)st.st_size) {
			snprintf(why, wlen, "truncated: %lld bytes, its bitmaps alone end at %llu",
				 (long long)st.st_size, (unsigned long long)desc_off);
			ret = 1;
			goto out;
		}
		bm = malloc(bmlen);
		if (!bm || fseeko(f, (off_t)bm2, SEEK_SET) || fread(bm, 1, bmlen, f) != bmlen) {
			free(bm);
			goto out;
		}
		for (i = 0; i < bmlen; i++)
			n += (uint64_t)__builtin_popcount(bm[i]);
		free(bm);
		if (desc_off + 24 * n > (uint64_t)st.st_size) {
			snprintf(why, wlen, "truncated: %lld bytes, its %llu page descriptors end at %llu",
				 (long long)st.st_size, (unsigned long long)n, (unsigned long long)(desc_off + 24 * n));
			ret = 1;
			goto out;
		}
		if (fseeko(f, (off_t)desc_off, SEEK_SET))
			goto out;
		for (i = 0; i < n; i++) {
			unsigned char d[24];
			int64_t off;
			uint32_t size;
			if (fread(d, 1, 24, f) != 24)
				break;
			memcpy(&off, d, 8);
			memcpy(&size, d + 8, 4);
			if (off > 0 && (uint64_t)off + size > need)
				need = (uint64_t)off + size;
		}
		if (need > (uint64_t)st.st_size) {
			snprintf(why, wlen, "truncated: %lld bytes, its pages need %llu (%.0f%% missing)",
				 (long long)st.st_size, (unsigned long long)need,
				 100.0 * (double)(need - (uint64_t)st.st_size) / (double)need);
			ret = 1;
		}
	} else if (!memcmp(h, "makedumpfile", 12)) {
		unsigned char rh[16];
		long records = 0;

		if (fseeko(f, 4096, SEEK_SET))
			goto out;
		for (;;) {
			if (fread(rh, 1, 16, f) != 16) {
				snprintf(why, wlen, "truncated: the flattened stream ends after %ld records without "
					 "its end marker (%lld bytes)", records, (long long)st.st_size);
				ret = 1;
				break;
			}
			if ((int64_t)be64(rh) < 0)
				break;
			if (fseeko(f, (off_t)be64(rh + 8), SEEK_CUR))
				break;
			records++;
			if (ftello(f) > st.st_size) {
				snprintf(why, wlen, "truncated: record %ld of the flattened stream runs past the end "
					 "(%lld bytes)", records, (long long)st.st_size);
				ret = 1;
				break;
			}
		}
	}
out:
	fclose(f);
	return ret;
}

/* The GNU build-id note of an ELF64 vmlinux as hex, from its PT_NOTE segments. */
static int vmlinux_build_id(const char *path, char *hex, size_t len)
{
	unsigned char eh[64], ph[56], nh[12], desc[64], name[8];
	FILE *f = fopen(path, "rb");
	uint64_t phoff, off, end;
	unsigned i, phnum, phentsize;
	int ret = -1;

	hex[0] = 0;
	if (!f)
		return -1;
	if (fread(eh, 1, 64, f) != 64 || memcmp(eh, "\177ELF", 4) || eh[4] != 2 || eh[5] != 1)
		goto out;
	memcpy(&phoff, eh + 32, 8);
	phentsize = eh[54] | eh[55] << 8;
	phnum = eh[56] | eh[57] << 8;
	for (i = 0; i < phnum && i < 64 && ret; i++) {
		uint32_t type;
		uint64_t foff, fsz;
		if (fseeko(f, (off_t)(phoff + (uint64_t)i * phentsize), SEEK_SET) || fread(ph, 1, 56, f) != 56)
			goto out;
		memcpy(&type, ph, 4);
		if (type != 4)          /* PT_NOTE */
			continue;
		memcpy(&foff, ph + 8, 8);
		memcpy(&fsz, ph + 32, 8);
		for (off = foff, end = foff + fsz; off + 12 <= end; ) {
			uint32_t namesz, descsz, ntype;
			if (fseeko(f, (off_t)off, SEEK_SET) || fread(nh, 1, 12, f) != 12)
				break;
			memcpy(&namesz, nh, 4);
			memcpy(&descsz, nh + 4, 4);
			memcpy(&ntype, nh + 8, 4);
			if (namesz > 4096 || descsz > 4096)
				break;
			if (ntype == 3 && namesz == 4 && descsz <= sizeof(desc) && fread(name, 1, 4, f) == 4 &&
			    !memcmp(name, "GNU", 4) && fread(desc, 1, descsz, f) == descsz) {
				size_t k;
				for (k = 0; k < descsz && 2 * k + 2 < len; k++)
					sprintf(hex + 2 * k, "%02x", desc[k]);
				ret = 0;
				break;
			}
			off += 12 + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
		}
	}
out:
	fclose(f);
	return ret;
}

static int exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * A candidate is taken when it exists and, if the dump names its BUILD-ID, carries
 * the same build-id: a vmlinux of the same release from another build would make
 * crash misread every structure.  The first mismatch is remembered for the error.
 */
static int try_vmlinux(struct input *in, const char *cand, char *mismatch, size_t mlen)
{
	char bid[72];

	if (!exists(cand))
		return 0;
	if (!in->build_id[0])
		goto take;
	if (vmlinux_build_id(cand, bid, sizeof(bid)) != 0) {
		if (!mismatch[0])
			snprintf(mismatch, mlen, "%s has no build-id note", cand);
		return 0;
	}
	if (strcmp(bid, in->build_id) != 0) {
		if (!mismatch[0])
			snprintf(mismatch, mlen, "%s is build %.12s..., the dump is %.12s...", cand, bid,
				 in->build_id);
		return 0;
	}
take:
	snprintf(in->vmlinux, sizeof(in->vmlinux), "%s", cand);
	return 1;
}

static int find_vmlinux(struct input *in, char *mismatch, size_t mlen)
{
	static const char *const pats[] = {
		"%s/vmlinux-%s", "%s/%s/vmlinux", "%s/usr/lib/debug/boot/vmlinux-%s",
		"%s/%s/usr/lib/debug/boot/vmlinux-%s", "%s/usr/lib/debug/lib/modules/%s/vmlinux",
	};
	const char *rel = in->release;
	char cand[1100], dir[1100];
	int i, j;

	mismatch[0] = 0;
	for (i = 0; i < nvmlinux_dirs; i++)
		for (j = 0; j < (int)(sizeof(pats) / sizeof(pats[0])); j++) {
			if (j == 3)
				snprintf(cand, sizeof(cand), pats[j], vmlinux_dirs[i], rel, rel);
			else
				snprintf(cand, sizeof(cand), pats[j], vmlinux_dirs[i], rel);
			if (try_vmlinux(in, cand, mismatch, mlen))
				return 0;
		}
	snprintf(dir, sizeof(dir), "%s", in->dump);
	if (strrchr(dir, '/'))
		*strrchr(dir, '/') = 0;
	else
		strcpy(dir, ".");
	snprintf(cand, sizeof(cand), "%s/vmlinux", dir);
	if (try_vmlinux(in, cand, mismatch, mlen))
		return 0;
	snprintf(cand, sizeof(cand), "/usr/lib/debug/boot/vmlinux-%s", rel);
	if (try_vmlinux(in, cand, mismatch, mlen))
		return 0;
	snprintf(cand, sizeof(cand), "/usr/lib/debug/lib/modules/%s/vmlinux", rel);
	if (try_vmlinux(in, cand, mismatch, mlen))
		return 0;
	in->vmlinux[0] = 0;
	return -1;
}

/* ---- text-only diagnosis ---------------------------------------------------- */

static char *slurp(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	*len = buf ? fread(buf, 1, max, f) : 0;
	if (buf)
		buf[*len] = 0;
	fclose(f);
	return buf;
}

static void diagnose_text(struct input *in, const char *textfile, const char *why_text)
{
	struct vmf_report *r = calloc(1, sizeof(*r));
	size_t len = 0, sz = 0;
	char *text = slurp(textfile, 64 << 20, &len);
	struct vmf_inputs vi = { 0 };
	FILE *mem;

	in->text_only = 1;
	if (!r || !text) {
		snprintf(in->error, sizeof(in->error), "cannot read %.200s", textfile);
		free(r);
		free(text);
		return;
	}
	vi.log = text;
	vi.loglen = len;
	vi.log_source = why_text;
	vi.release = in->release;
	vmf_diagnose(r, &vi);
	if (!r->ev.oops.found) {
		snprintf(in->error, sizeof(in->error), "no oops or panic found in %.200s", textfile);
		free(r);
		free(text);
		return;
	}
	if (!in->release[0])
		snprintf(in->release, sizeof(in->release), "%s", r->ev.oops.release);
	mem = open_memstream(&in->report, &sz);
	vmf_report_json(mem, r);
	fclose(mem);
	if (sz && in->report[sz - 1] == '\n')
		in->report[sz - 1] = 0;
	snprintf(in->verdict, sizeof(in->verdict), "%s", vmf_verdict_name(r->verdict));
	snprintf(in->signature, sizeof(in->signature), "%s", r->sig ? r->sig->id : "");
	free(r);
	free(text);
}

/* ---- vmcore through crash --------------------------------------------------- */

static int start_crash(struct input *in)
{
	FILE *f;
	int fd;

	snprintf(in->cmdfile, sizeof(in->cmdfile), "/tmp/vmfault-triage-%d-XXXXXX", (int)getpid());
	fd = mkstemp(in->cmdfile);
	if (fd < 0)
		return -1;
	f = fdopen(fd, "w");
	fprintf(f, "extend %s\nvmfault -j\nquit\n", extension);
	fclose(f);
	snprintf(in->outfile, sizeof(in->outfile), "/tmp/vmfault-triage-out-%d-XXXXXX", (int)getpid());
	fd = mkstemp(in->outfile);
	if (fd < 0) {
		unlink(in->cmdfile);
		return -1;
	}
	in->started = now();
	in->pid = fork();
	if (in->pid == 0) {
		int null = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		dup2(null, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execlp("crash", "crash", "-s", in->vmlinux, in->dump, "-i", in->cmdfile, (char *)NULL);
		_exit(127);
	}
	close(fd);
	if (in->pid < 0) {
		unlink(in->cmdfile);
		unlink(in->outfile);
		return -1;
	}
	return 0;
}

static void finish_crash(struct input *in, int status, int timed_out)
{
	size_t len = 0;
	char *out = slurp(in->outfile, 32 << 20, &len), *line, *save = NULL;

	unlink(in->cmdfile);
	unlink(in->outfile);
	in->elapsed = now() - in->started;
	if (timed_out) {
		snprintf(in->error, sizeof(in->error), "crash killed after the %d s timeout", timeout_s);
		free(out);
		return;
	}
	for (line = out ? strtok_r(out, "\n", &save) : NULL; line; line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "{\"tool\":\"vmfault\"", 17) == 0) {
			char *v = strstr(line, "\"verdict\":\""), *s = strstr(line, "\"signature\":\"");
			in->report = strdup(line);
			if (v)
				sscanf(v + 11, "%23[^\"]", in->verdict);
			if (s)
				sscanf(s + 13, "%47[^\"]", in->signature);
			break;
		}
	}
	if (!in->report) {
		/* crash's own one-line complaint is the most useful error */
		const char *why = "crash printed no vmfault result";
		char *p = out ? strstr(out, "extend: ") : NULL;
		if (!p && out)
			p = strstr(out, "crash: ");
		if (!p && out)
			p = strstr(out, "vmfault: ");
		if (p) {
			char *e = strchr(p, '\n');
			if (e)
				*e = 0;
			why = p;
		}
		snprintf(in->error, sizeof(in->error), "%.160s (exit %d)%s", why,
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1,
			 !strncmp(why, "extend: ", 8) ? ": make install, or give --extension PATH" : "");
	}
	free(out);
}

/* ---- output ----------------------------------------------------------------- */

static void print_json(FILE *f, const struct input *in)
{
	if (in->resumed) {
		fprintf(f, "%s\n", in->resumed);
		return;
	}
	fputs("{\"path\":", f);
	json_str(f, in->path);
	fprintf(f, ",\"kind\":\"%s\",\"kernel\":", kind_names[in->kind]);
	json_str(f, in->release);
	fputs(",\"build_id\":", f);
	json_str(f, in->build_id);
	fputs(",\"vmlinux\":", f);
	json_str(f, in->vmlinux);
	fprintf(f, ",\"mode\":\"%s\",\"verdict\":\"%s\",\"signature\":", in->text_only ? "text-only" : "dump",
		in->error[0] ? "ERROR" : in->verdict);
	json_str(f, in->error[0] ? NULL : in->signature);
	fprintf(f, ",\"elapsed_s\":%.3f,\"error\":", in->elapsed);
	json_str(f, in->error);
	fputs(",\"stamp\":", f);
	json_str(f, in->stamp);
	fprintf(f, ",\"report\":%s}\n", in->report && !in->error[0] ? in->report : "null");
}

/* ---- results file and --resume ---------------------------------------------- */

static FILE *results;             /* -o FILE: one line per input as soon as it is decided */
static char **previous;           /* --resume: FILE's lines before this run */
static int nprevious;

static void stamp_file(char *buf, size_t len, const char *path)
{
	struct stat st;
	size_t n = strlen(buf);

	if (n + 1 >= len)
		return;
	if (stat(path, &st) == 0)
		snprintf(buf + n, len - n, "%s%lld:%lld.%09ld", n ? ";" : "", (long long)st.st_size,
			 (long long)st.st_mtim.tv_sec, st.st_mtim.tv_nsec);
	else
		snprintf(buf + n, len - n, "%s-", n ? ";" : "");
}

/* crash finds `extend NAME.so` in its extension directories: stamp the file it will load */
static const char *extension_file(void)
{
	static char path[1100];
	static const char *const dirs[] = { "/usr/lib64/crash/extensions", "/usr/lib/crash/extensions" };
	unsigned i;

	if (strchr(extension, '/'))
		return extension;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dirs[i], extension);
		if (exists(path))
			return path;
	}
	return extension;
}

/* What the result depends on: the tool, the inputs' sizes and times, the extension. */
static void make_stamp(struct input *in)
{
	snprintf(in->stamp, sizeof(in->stamp), "%s", VMF_VERSION);
	if (in->kind == K_TEXT || !in->vmlinux[0]) {
		stamp_file(in->stamp, sizeof(in->stamp), in->kind == K_TEXT ? in->dmesg : in->dump);
		if (in->kind != K_TEXT && in->dmesg[0])
			stamp_file(in->stamp, sizeof(in->stamp), in->dmesg);
		return;
	}
	stamp_file(in->stamp, sizeof(in->stamp), in->dump);
	stamp_file(in->stamp, sizeof(in->stamp), in->vmlinux);
	stamp_file(in->stamp, sizeof(in->stamp), extension_file());
}

static void load_previous(const char *path)
{
	size_t len = 0;
	char *all = slurp(path, 256 << 20, &len), *line, *save = NULL;

	if (!all)
		return;
	previous = calloc(MAX_INPUTS * 2, sizeof(*previous));
	for (line = previous ? strtok_r(all, "\n", &save) : NULL; line && nprevious < MAX_INPUTS * 2;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "{\"path\":", 8))
			previous[nprevious++] = strdup(line);
	free(all);
}

/* a string field of one of our own result lines (no escapes in the fields read this way) */
static void line_field(const char *line, const char *key, char *out, size_t len)
{
	char pat[40];
	const char *p;
	size_t k = 0;

	out[0] = 0;
	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(line, pat);
	if (!p)
		return;
	for (p += strlen(pat); *p && *p != '"' && k + 1 < len; p++)
		out[k++] = *p;
	out[k] = 0;
}

/*
 * An earlier result is current when it is for the same path with the same stamp;
 * an ERROR is never reused, since a timeout or a missing vmlinux may be gone now.
 */
static int resume_input(struct input *in)
{
	char *want_path = NULL, *want_stamp = NULL, verdict[24];
	size_t n1 = 0, n2 = 0;
	FILE *m;
	int i;

	if (!nprevious)
		return 0;
	m = open_memstream(&want_path, &n1);
	fputs("{\"path\":", m);
	json_str(m, in->path);
	fputc(',', m);
	fclose(m);
	m = open_memstream(&want_stamp, &n2);
	fputs(",\"stamp\":", m);
	json_str(m, in->stamp);
	fputc(',', m);
	fclose(m);
	for (i = 0; i < nprevious; i++) {
		if (!previous[i] || strncmp(previous[i], want_path, n1) || !strstr(previous[i], want_stamp))
			continue;
		line_field(previous[i], "verdict", verdict, sizeof(verdict));
		if (!strcmp(verdict, "ERROR"))
			continue;
		in->resumed = previous[i];
		previous[i] = NULL;
		snprintf(in->verdict, sizeof(in->verdict), "%s", verdict);
		line_field(in->resumed, "signature", in->signature, sizeof(in->signature));
		line_field(in->resumed, "kernel", in->release, sizeof(in->release));
		in->text_only = strstr(in->resumed, "\"mode\":\"text-only\"") != NULL;
		break;
	}
	free(want_path);
	free(want_stamp);
	return in->resumed != NULL;
}

static void emit(struct input *in)
{
	if (results) {
		print_json(results, in);
		fflush(results);
	}
}

static void usage(void)
{
	fprintf(stderr, "usage: vmfault-triage [-j JOBS] [-t SECONDS] [--vmlinux-dir DIR]... "
			"[--extension PATH] [--json|--table] [-o FILE [--resume]] PATH...\n");
	exit(64);
}

int main(int argc, char **argv)
{
	int jobs = (int)sysconf(_SC_NPROCESSORS_ONLN), json = 0, i, running = 0, next = 0;
	int matched = 0, errors = 0, counts[VMF_NVERDICTS + 1] = { 0 };   /* the engine's verdicts, then ERROR */
	char *paths[MAX_INPUTS];
	int npaths = 0;
	double t0 = now();
	const char *results_path = NULL;
	int resume = 0, reused = 0;

	extension = getenv("VMFAULT_SO");
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-j") && i + 1 < argc)
			jobs = atoi(argv[++i]);
		else if (!strcmp(argv[i], "-t") && i + 1 < argc)
			timeout_s = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--vmlinux-dir") && i + 1 < argc && nvmlinux_dirs < MAX_DIRS)
			vmlinux_dirs[nvmlinux_dirs++] = argv[++i];
		else if (!strcmp(argv[i], "--extension") && i + 1 < argc)
			extension = argv[++i];
		else if (!strcmp(argv[i], "-o") && i + 1 < argc)
			results_path = argv[++i];
		else if (!strcmp(argv[i], "--resume"))
			resume = 1;
		else if (!strcmp(argv[i], "--json"))
			json = 1;
		else if (!strcmp(argv[i], "--table"))
			json = 0;
		else if (argv[i][0] == '-')
			usage();
		else if (npaths < MAX_INPUTS)
			paths[npaths++] = argv[i];
	}
	if (!npaths || jobs < 1 || timeout_s < 1 || (resume && !results_path))
		usage();
	if (!extension)
		extension = "vmfault.so";     /* crash finds it by name once installed */
	inputs = calloc(MAX_INPUTS, sizeof(*inputs));
	if (!inputs)
		return 2;
	for (i = 0; i < npaths; i++)
		collect(paths[i], 0, 1);

	if (resume)
		load_previous(results_path);
	if (results_path) {
		/* rewritten at once: a batch killed half-way keeps every result it decided */
		results = fopen(results_path, "w");
		if (!results) {
			fprintf(stderr, "vmfault-triage: cannot write %s: %s\n", results_path, strerror(errno));
			return 2;
		}
	}

	/* text inputs and dumps without a vmlinux are decided here; the rest go to crash */
	for (i = 0; i < ninputs; i++) {
		struct input *in = &inputs[i];
		char why[240], mismatch[400];
		const char *source = "console log text";

		if (in->error[0]) {
			emit(in);
			continue;
		}
		if (in->kind != K_TEXT) {
			char mach[80];
			dump_machine(in->dump, mach, sizeof(mach));
			if (mach[0] && strcmp(mach, "x86_64") != 0) {
				snprintf(in->error, sizeof(in->error),
					 "the dump is for %s: vmfault diagnoses x86_64 dumps only", mach);
				emit(in);
				continue;
			}
			if (dump_vmcoreinfo(in->dump, in->release, sizeof(in->release), in->build_id,
					    sizeof(in->build_id), why, sizeof(why)) != 0) {
				if (in->dmesg[0]) {
					source = "vmcore-dmesg.txt (no VMCOREINFO in the dump)";
					goto text;
				}
				snprintf(in->error, sizeof(in->error), "%s", why);
				emit(in);
				continue;
			}
			if (dump_truncated(in->dump, why, sizeof(why))) {
				if (in->dmesg[0]) {
					source = "vmcore-dmesg.txt (the dump is truncated)";
					goto text;
				}
				snprintf(in->error, sizeof(in->error), "%s", why);
				emit(in);
				continue;
			}
			if (find_vmlinux(in, mismatch, sizeof(mismatch)) != 0) {
				if (in->dmesg[0]) {
					source = "vmcore-dmesg.txt (no matching vmlinux)";
					goto text;
				}
				if (mismatch[0])
					snprintf(in->error, sizeof(in->error), "no vmlinux matches the dump's BUILD-ID: %s",
						 mismatch);
				else
					snprintf(in->error, sizeof(in->error), "no vmlinux for %s (give --vmlinux-dir)",
						 in->release);
				emit(in);
				continue;
			}
			make_stamp(in);
			if (resume_input(in)) {
				reused++;
				emit(in);
			}
			continue;       /* to crash, unless reused */
		}
text:
		make_stamp(in);
		if (resume_input(in)) {
			reused++;
			emit(in);
			continue;
		}
		diagnose_text(in, in->dmesg, source);
		emit(in);
	}
	/* run crash on up to `jobs` dumps at once */
	for (;;) {
		while (running < jobs && next < ninputs) {
			struct input *in = &inputs[next++];
			if (in->error[0] || in->report || in->resumed || in->text_only || !in->vmlinux[0])
				continue;
			if (start_crash(in) == 0)
				running++;
			else {
				snprintf(in->error, sizeof(in->error), "cannot start crash: %s", strerror(errno));
				emit(in);
			}
		}
		if (!running)
			break;
		for (i = 0; i < next; i++) {
			struct input *in = &inputs[i];
			int status = 0;
			pid_t p;

			if (in->pid <= 0)
				continue;
			p = waitpid(in->pid, &status, WNOHANG);
			if (p == in->pid) {
				finish_crash(in, status, 0);
			} else if (now() - in->started > timeout_s) {
				kill(-in->pid, SIGKILL);
				waitpid(in->pid, &status, 0);
				finish_crash(in, status, 1);
			} else
				continue;
			in->pid = 0;
			running--;
			emit(in);
		}
		if (isatty(2))
			fprintf(stderr, "\rvmfault-triage: %d of %d started, %d running   ", next, ninputs, running);
		usleep(50000);
	}
	if (isatty(2))
		fprintf(stderr, "\n");

	if (!json)
		printf("%-12s %-22s %-26s %s\n", "VERDICT", "SIGNATURE", "KERNEL", "PATH");
	for (i = 0; i < ninputs; i++) {
		struct input *in = &inputs[i];
		const char *v = in->error[0] ? "ERROR" : in->verdict;
		int k;

		for (k = 0; k <= VMF_NVERDICTS; k++)
			if (!strcmp(v, k < VMF_NVERDICTS ? vmf_verdict_name((enum vmf_verdict)k) : "ERROR"))
				counts[k]++;
		matched += !strcmp(v, "MATCH") || !strcmp(v, "RELATED");
		errors += !!in->error[0];
		if (json)
			print_json(stdout, in);
		else
			printf("%-12s %-22s %-26s %s%s%s%s%s\n", v, in->signature[0] && !in->error[0] ? in->signature : "-",
			       in->release[0] ? in->release : "-", in->path, in->text_only ? "  (text-only)" : "",
			       in->resumed ? "  (reused)" : "", in->error[0] ? "  error: " : "", in->error);
		free(in->report);
		free(in->resumed);
	}
	if (!json)
		printf("\n%d inputs in %.1f s: %d MATCH, %d RELATED, %d NO MATCH, %d INCONCLUSIVE, %d ERROR\n",
		       ninputs, now() - t0, counts[0], counts[1], counts[2], counts[3], counts[4]);
	if (reused)
		fprintf(stderr, "vmfault-triage: %d of %d results were current in %s and reused\n", reused, ninputs,
			results_path);
	if (results)
		fclose(results);
	for (i = 0; i < nprevious; i++)
		free(previous[i]);
	free(previous);
	free(inputs);
	return errors ? 2 : matched ? 1 : 0;
}
