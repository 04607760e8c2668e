/*
 * dumpid.c - dump formats by their own headers.
 *
 * The layouts, by name, from makedumpfile (diskdump_mod.h, makedumpfile.h) and
 * the ELF specification (<elf.h>):
 *
 *   kdump-compressed: struct disk_dump_header at 0, a sub header, two bitmaps,
 *     then one struct page_desc per dumped page, then the pages;
 *   flattened: struct makedumpfile_header (4096 bytes), then records, each a
 *     struct makedumpfile_data_header (big-endian offset and size) and its data,
 *     until an offset of -1; the records rebuild a kdump-compressed file, whose
 *     header is the first record's data;
 *   ELF: an Elf64_Ehdr, its program headers; a dump is an ET_CORE file whose
 *     PT_LOAD segments hold the memory and whose PT_NOTE holds VMCOREINFO.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libkdumpfile/kdumpfile.h>
#include "bytes.h"
#include "files.h"
#include "dumpid.h"

/* ---- layouts ---------------------------------------------------------------- */

/*
 * struct disk_dump_header (makedumpfile diskdump_mod.h) as makedumpfile writes
 * it on a 64-bit host: after the 390-byte utsname, the struct timeval is 8-byte
 * aligned.
 */
#define KDH_SIGNATURE       0     /* char[8]: "KDUMP   ", or "DISKDUMP" from diskdump */
#define KDH_SIGNATURE_LEN   8
#define KDH_UTSNAME         12    /* struct new_utsname: sysname, nodename, release, version, machine, domainname */
#define UTS_FIELD_LEN       65
#define KDH_UTS_MACHINE     (KDH_UTSNAME + 4 * UTS_FIELD_LEN)
#define KDH_BLOCK_SIZE      428   /* int: the page size, the unit of what follows */
#define KDH_SUB_HDR_SIZE    432   /* int: blocks of the kdump sub header */
#define KDH_BITMAP_BLOCKS   436   /* unsigned: blocks of both bitmaps together */
#define KDH_LEN             448   /* what is read of it */

/* struct page_desc: off_t offset, unsigned size, unsigned flags, unsigned long long page_flags */
#define PD_OFFSET           0
#define PD_SIZE             8
#define PD_LEN              24

/* struct makedumpfile_header, then struct makedumpfile_data_header records */
#define FLAT_SIGNATURE      "makedumpfile"
#define FLAT_SIGNATURE_LEN  12
#define FLAT_HEADER_LEN     4096
#define FLAT_REC_OFFSET     0     /* int64, big-endian; negative ends the stream */
#define FLAT_REC_SIZE       8     /* int64, big-endian: bytes of data that follow */
#define FLAT_REC_LEN        16

/* what dump_identify reads: a flattened stream's header, its first record header, a kdump header */
#define ID_READ_LEN         (FLAT_HEADER_LEN + FLAT_REC_LEN + KDH_LEN)
/* dumpid.h promises callers the same length */
typedef char id_read_len_is_dump_id_len[ID_READ_LEN == DUMP_ID_LEN ? 1 : -1];

static int is_kdump_signature(const unsigned char *h)
{
	return !memcmp(h + KDH_SIGNATURE, "KDUMP   ", KDH_SIGNATURE_LEN) ||
	       !memcmp(h + KDH_SIGNATURE, "DISKDUMP", KDH_SIGNATURE_LEN);
}

/* ---- identification --------------------------------------------------------- */

const char *dump_format_name(enum dump_format f)
{
	static const char *const names[] = { "none", "ELF", "kdump-compressed", "flattened" };

	return names[f];
}

const char *elf_type_name(unsigned t)
{
	switch (t) {
	case ET_EXEC:
		return "an ELF executable (a vmlinux?)";
	case ET_REL:
		return "an ELF relocatable object (a kernel module?)";
	case ET_DYN:
		return "an ELF shared object";
	case ET_CORE:
		return "an ELF core";
	}
	return "an ELF file of unknown type";
}

int dump_is_core(const struct dump_id *id)
{
	return id->format == DUMP_KDUMP || id->format == DUMP_FLAT ||
	       (id->format == DUMP_ELF && id->elf_type == ET_CORE);
}

/* e_type and e_machine sit at the same offsets in ELF32 and ELF64, in the file's byte order */
static void elf_identify(const unsigned char *h, size_t n, struct dump_id *id)
{
	static const struct { unsigned em; const char *name; } machines[] = {
		{ EM_X86_64, "x86_64" }, { EM_386, "i386" }, { EM_AARCH64, "aarch64" }, { EM_ARM, "arm" },
		{ EM_PPC64, "ppc64" }, { EM_PPC, "ppc" }, { EM_S390, "s390x" }, { EM_RISCV, "riscv64" },
		{ EM_MIPS, "mips" }, { 258 /* EM_LOONGARCH */, "loongarch64" },
	};
	const size_t t = offsetof(Elf64_Ehdr, e_type), m = offsetof(Elf64_Ehdr, e_machine);
	int big = h[EI_DATA] == ELFDATA2MSB;
	unsigned em, i;

	id->format = DUMP_ELF;
	if (n < m + 2)
		return;
	id->elf_type = big ? (unsigned)h[t] << 8 | h[t + 1] : (unsigned)h[t + 1] << 8 | h[t];
	em = big ? (unsigned)h[m] << 8 | h[m + 1] : (unsigned)h[m + 1] << 8 | h[m];
	for (i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
		if (machines[i].em == em)
			snprintf(id->machine, sizeof(id->machine), "%s", machines[i].name);
	if (!id->machine[0])
		snprintf(id->machine, sizeof(id->machine), "ELF machine %u", em);
}

/* utsname.machine of a kdump header: printable, NUL-terminated within its field */
static void kdump_machine(const unsigned char *kdh, struct dump_id *id)
{
	const char *m = (const char *)kdh + KDH_UTS_MACHINE;
	int i;

	for (i = 0; i < UTS_FIELD_LEN - 1 && m[i] && m[i] >= ' ' && m[i] < 127; i++)
		;
	if (i && (i == UTS_FIELD_LEN - 1 || !m[i]))
		snprintf(id->machine, sizeof(id->machine), "%.*s", i, m);
}

void dump_identify_buf(const unsigned char *h, size_t n, struct dump_id *id)
{
	memset(id, 0, sizeof(*id));
	if (n >= SELFMAG && !memcmp(h, ELFMAG, SELFMAG)) {
		elf_identify(h, n, id);
	} else if (n >= FLAT_SIGNATURE_LEN && !memcmp(h, FLAT_SIGNATURE, FLAT_SIGNATURE_LEN)) {
		/* the first record's data is the kdump header */
		const unsigned char *kdh = h + FLAT_HEADER_LEN + FLAT_REC_LEN;
		id->format = DUMP_FLAT;
		if (n >= FLAT_HEADER_LEN + FLAT_REC_LEN + KDH_UTS_MACHINE + UTS_FIELD_LEN && is_kdump_signature(kdh))
			kdump_machine(kdh, id);
	} else if (n >= KDH_SIGNATURE_LEN && is_kdump_signature(h)) {
		id->format = DUMP_KDUMP;
		if (n >= KDH_UTS_MACHINE + UTS_FIELD_LEN)
			kdump_machine(h, id);
	}
}

int dump_identify(const char *path, struct dump_id *id, char *why, size_t wlen)
{
	unsigned char h[ID_READ_LEN];
	FILE *f = fopen_regular(path, why, wlen);
	struct stat st;
	unsigned long long size = 0;
	size_t n;

	memset(id, 0, sizeof(*id));
	if (!f)
		return -1;
	if (fstat(fileno(f), &st) == 0)
		size = (unsigned long long)st.st_size;
	n = fread(h, 1, sizeof(h), f);
	fclose(f);
	dump_identify_buf(h, n, id);
	id->size = size;
	return 0;
}

/* ---- VMCOREINFO --------------------------------------------------------------- */

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

int dump_vmcoreinfo_buf(const char *buf, size_t n, char *rel, size_t rlen, char *bid, size_t blen)
{
	if (vmcoreinfo_value(buf, n, "OSRELEASE=", rel, rlen) != 0)
		return -1;
	/* BUILD-ID is in VMCOREINFO since 5.9 (0935288c6e00) */
	if (vmcoreinfo_value(buf, n, "BUILD-ID=", bid, blen) != 0)
		bid[0] = 0;
	return 0;
}

/*
 * The flattened format, which libkdumpfile 0.5.1 does not read: VMCOREINFO is
 * one of the first records, stored uncompressed.
 */
static int flat_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen, char *why,
			   size_t wlen)
{
	FILE *f = fopen_regular(path, why, wlen);
	unsigned char sig[FLAT_SIGNATURE_LEN];
	char *buf = NULL;
	uint64_t seen = 0;
	int ret = -1, records = 0;

	if (!f)
		return -1;
	if (fread(sig, 1, sizeof(sig), f) != sizeof(sig) || memcmp(sig, FLAT_SIGNATURE, FLAT_SIGNATURE_LEN) ||
	    fseeko(f, FLAT_HEADER_LEN, SEEK_SET)) {
		snprintf(why, wlen, "not a flattened dump");
		goto out;
	}
	buf = malloc(4 << 20);
	while (buf && seen < (64u << 20) && records++ < 4096) {
		unsigned char rh[FLAT_REC_LEN];
		uint64_t size;

		if (fread(rh, 1, sizeof(rh), f) != sizeof(rh) || (int64_t)be64(rh + FLAT_REC_OFFSET) < 0)
			break;
		size = be64(rh + FLAT_REC_SIZE);
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

static int kdump_ctx_vmcoreinfo(kdump_ctx_t *ctx, char *rel, size_t rlen, char *bid, size_t blen, char *why,
				size_t wlen)
{
	char *val = NULL;
	kdump_status st = kdump_vmcoreinfo_line(ctx, "OSRELEASE", &val);

	if (st != KDUMP_OK || !val || !*val) {
		snprintf(why, wlen, "the dump has no VMCOREINFO OSRELEASE (%s)",
			 st != KDUMP_OK ? kdump_get_err(ctx) : "empty");
		free(val);
		return -1;
	}
	snprintf(rel, rlen, "%s", val);
	free(val);
	val = NULL;
	bid[0] = 0;
	/* BUILD-ID is in VMCOREINFO since 5.9 (0935288c6e00): older dumps are matched by release alone */
	if (kdump_vmcoreinfo_line(ctx, "BUILD-ID", &val) == KDUMP_OK && val)
		snprintf(bid, blen, "%s", val);
	free(val);
	return 0;
}

/*
 * Through libkdumpfile, so every format it knows (ELF, kdump-compressed, ...) is
 * read the same way.  On failure `why` holds libkdumpfile's own reason.
 */
static int read_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen, char *why,
			   size_t wlen)
{
	kdump_ctx_t *ctx = kdump_new();
	struct dump_id id;
	kdump_status st;
	int fd, ret = -1;

	if (!ctx) {
		snprintf(why, wlen, "libkdumpfile: out of memory");
		return -1;
	}
	fd = open_regular(path, why, wlen);
	if (fd < 0) {
		kdump_free(ctx);
		return -1;
	}
	st = kdump_open_fd(ctx, fd);
	if (st != KDUMP_OK && dump_identify(path, &id, why, wlen) == 0 && id.format == DUMP_FLAT)
		ret = flat_vmcoreinfo(path, rel, rlen, bid, blen, why, wlen);
	else if (st != KDUMP_OK)
		snprintf(why, wlen, "not a dump libkdumpfile can read: %s", kdump_get_err(ctx));
	else {
		/* VMCOREINFO is parsed once the OS type is known; kdump-compressed headers do not say */
		kdump_set_string_attr(ctx, KDUMP_ATTR_OSTYPE, "linux");
		ret = kdump_ctx_vmcoreinfo(ctx, rel, rlen, bid, blen, why, wlen);
	}
	kdump_free(ctx);
	close(fd);
	return ret;
}

/* The child's answer, "OK\trelease\tbuild-id" or "ERR\treason\t", back into the caller's buffers. */
static int vmcoreinfo_answer(char *msg, int status, char *rel, size_t rlen, char *bid, size_t blen, char *why,
			     size_t wlen)
{
	char *tab1 = strchr(msg, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;

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
 * libkdumpfile runs in a child: a damaged header can crash it (0.5.1 faults in
 * kdump_free() after rejecting a bare "KDUMP   " header), and one bad dump must
 * never end the batch.
 */
int dump_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen, char *why, size_t wlen)
{
	char msg[600];
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
		_exit(write(fds[1], msg, (size_t)n) == n ? 0 : 2);
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
	return vmcoreinfo_answer(msg, status, rel, rlen, bid, blen, why, wlen);
}

/* ---- length against the headers ---------------------------------------------- */

/* The end of the last page's data, from every page descriptor the bitmap counts. */
static uint64_t kdump_pages_end(FILE *f, uint64_t desc_off, uint64_t ndesc)
{
	uint64_t i, need = 0;

	if (fseeko(f, (off_t)desc_off, SEEK_SET))
		return 0;
	for (i = 0; i < ndesc; i++) {
		unsigned char d[PD_LEN];
		int64_t off;
		uint32_t size;

		if (fread(d, 1, sizeof(d), f) != sizeof(d))
			break;
		off = (int64_t)le64(d + PD_OFFSET);
		size = le32(d + PD_SIZE);
		if (off > 0 && (uint64_t)off + size > need)
			need = (uint64_t)off + size;
	}
	return need;
}

/* Dumped pages: the bits set in the second bitmap. */
static int kdump_count_pages(FILE *f, uint64_t bm2, uint64_t bmlen, uint64_t *n)
{
	unsigned char *bm = malloc(bmlen);
	uint64_t i;

	*n = 0;
	if (!bm || fseeko(f, (off_t)bm2, SEEK_SET) || fread(bm, 1, bmlen, f) != bmlen) {
		free(bm);
		return -1;
	}
	for (i = 0; i < bmlen; i++)
		*n += (uint64_t)__builtin_popcount(bm[i]);
	free(bm);
	return 0;
}

/* kdump-compressed: every page descriptor's data must lie inside the file */
static int kdump_truncated(FILE *f, const unsigned char *h, uint64_t size, char *why, size_t wlen)
{
	int32_t block = (int32_t)le32(h + KDH_BLOCK_SIZE), sub = (int32_t)le32(h + KDH_SUB_HDR_SIZE);
	uint32_t bitmap_blocks = le32(h + KDH_BITMAP_BLOCKS);
	uint64_t bm2, bmlen, desc_off, n, need;

	if (block <= 0 || block > (1 << 20) || sub < 0 || bitmap_blocks == 0 || bitmap_blocks > (1u << 24))
		return 0;
	/* header block, sub header, then the two bitmaps; the second says which pages were dumped */
	bmlen = (uint64_t)block * bitmap_blocks / 2;
	bm2 = (uint64_t)block * (1 + (uint64_t)sub) + bmlen;
	desc_off = (uint64_t)block * (1 + (uint64_t)sub + bitmap_blocks);
	if (desc_off > size) {
		snprintf(why, wlen, "truncated: %llu bytes, its bitmaps alone end at %llu", (unsigned long long)size,
			 (unsigned long long)desc_off);
		return 1;
	}
	if (kdump_count_pages(f, bm2, bmlen, &n) != 0)
		return 0;
	if (desc_off + PD_LEN * n > size) {
		snprintf(why, wlen, "truncated: %llu bytes, its %llu page descriptors end at %llu",
			 (unsigned long long)size, (unsigned long long)n, (unsigned long long)(desc_off + PD_LEN * n));
		return 1;
	}
	need = kdump_pages_end(f, desc_off, n);
	if (need > size) {
		snprintf(why, wlen, "truncated: %llu bytes, its pages need %llu (%.0f%% missing)",
			 (unsigned long long)size, (unsigned long long)need,
			 100.0 * (double)(need - size) / (double)need);
		return 1;
	}
	return 0;
}

/* flattened: the record stream must reach its end marker inside the file */
static int flat_truncated(FILE *f, uint64_t size, char *why, size_t wlen)
{
	unsigned char rh[FLAT_REC_LEN];
	long records = 0;
	off_t pos;

	if (fseeko(f, FLAT_HEADER_LEN, SEEK_SET))
		return 0;
	for (;;) {
		if (fread(rh, 1, sizeof(rh), f) != sizeof(rh)) {
			snprintf(why, wlen, "truncated: the flattened stream ends after %ld records without "
				 "its end marker (%llu bytes)", records, (unsigned long long)size);
			return 1;
		}
		if ((int64_t)be64(rh + FLAT_REC_OFFSET) < 0)
			return 0;
		if (fseeko(f, (off_t)be64(rh + FLAT_REC_SIZE), SEEK_CUR))
			return 0;
		records++;
		pos = ftello(f);
		if (pos < 0)
			return 0;
		if ((uint64_t)pos > size) {
			snprintf(why, wlen, "truncated: record %ld of the flattened stream runs past the end "
				 "(%llu bytes)", records, (unsigned long long)size);
			return 1;
		}
	}
}

/*
 * ELF core: every PT_LOAD segment's data must lie inside the file (and the
 * notes with them).  An x86_64 core is ELF64, little-endian.
 */
static int elf_truncated(FILE *f, const unsigned char *h, uint64_t size, char *why, size_t wlen)
{
	uint64_t phoff = le64(h + offsetof(Elf64_Ehdr, e_phoff)), need = 0;
	unsigned phentsize = le16(h + offsetof(Elf64_Ehdr, e_phentsize));
	unsigned phnum = le16(h + offsetof(Elf64_Ehdr, e_phnum)), i;
	unsigned char ph[sizeof(Elf64_Phdr)];

	if (h[EI_CLASS] != ELFCLASS64 || h[EI_DATA] != ELFDATA2LSB || phentsize < sizeof(ph))
		return 0;
	if (phoff + (uint64_t)phnum * phentsize > size) {
		snprintf(why, wlen, "truncated: %llu bytes, its %u program headers end at %llu",
			 (unsigned long long)size, phnum, (unsigned long long)(phoff + (uint64_t)phnum * phentsize));
		return 1;
	}
	for (i = 0; i < phnum; i++) {
		uint32_t type;
		uint64_t end;

		if (fseeko(f, (off_t)(phoff + (uint64_t)i * phentsize), SEEK_SET) || fread(ph, 1, sizeof(ph), f) != sizeof(ph))
			return 0;
		type = le32(ph + offsetof(Elf64_Phdr, p_type));
		if (type != PT_LOAD && type != PT_NOTE)
			continue;
		end = le64(ph + offsetof(Elf64_Phdr, p_offset)) + le64(ph + offsetof(Elf64_Phdr, p_filesz));
		if (end > need)
			need = end;
	}
	if (need <= size)
		return 0;
	snprintf(why, wlen, "truncated: %llu bytes, its PT_LOAD segments need %llu (%.0f%% missing)",
		 (unsigned long long)size, (unsigned long long)need, 100.0 * (double)(need - size) / (double)need);
	return 1;
}

int dump_truncated(const char *path, const struct dump_id *id, char *why, size_t wlen)
{
	unsigned char h[KDH_LEN];
	char ignored[200];
	FILE *f = fopen_regular(path, ignored, sizeof(ignored));
	struct stat st;
	int ret = 0;

	if (!f)
		return 0;
	if (fstat(fileno(f), &st) == 0) {
		size_t n = fread(h, 1, sizeof(h), f);
		if (id->format == DUMP_KDUMP && n == KDH_LEN)
			ret = kdump_truncated(f, h, (uint64_t)st.st_size, why, wlen);
		else if (id->format == DUMP_ELF && n >= sizeof(Elf64_Ehdr))
			ret = elf_truncated(f, h, (uint64_t)st.st_size, why, wlen);
		else if (id->format == DUMP_FLAT)
			ret = flat_truncated(f, (uint64_t)st.st_size, why, wlen);
	}
	fclose(f);
	return ret;
}
