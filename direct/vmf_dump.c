/*
 * vmf_dump.c - a vmcore through libkdumpfile (interface and rules in vmf_dump.h).
 */
#include "vmf_dump.h"
#include "vmf_flat.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libkdumpfile/kdumpfile.h>

/* How many of the last page descriptors are read to find where the page data ends. */
#define TAIL_DESCS 4096u
/* The ELF notes: a few hundred bytes per CPU, with VMCOREINFO; more is a damaged header. */
#define NOTES_MAX (64u << 20)
/* VMCOREINFO is one note of at most a page (VMCOREINFO_BYTES); more is a damaged header. */
#define VI_MAX (1u << 20)

struct vmf_dump {
	kdump_ctx_t *ctx;
	addrxlat_ctx_t *axctx;
	addrxlat_sys_t *axsys;
	int fd;                     /* what libkdumpfile reads: the file, or its rearrangement */
	int opened;
	int diskdump;               /* kdump-compressed: excluded pages are told apart from holes */
	char err[512];
	char format[64];
	char arch[32];
	const char *arch_hint;      /* the machine the file's own header names, when libkdumpfile may miss it */
	char xlat_why[256];         /* why virtual addresses cannot be translated, "" if they can */
	char *vi_text;
	struct vmf_vmcoreinfo vi;
	uint64_t page_size, max_pfn;
	unsigned ptr_size;
	int big_endian;
	struct vmf_dump_rearranged re;
	char where[4096];
};

static enum vmf_dump_status fail(struct vmf_dump *d, enum vmf_dump_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum vmf_dump_status fail(struct vmf_dump *d, enum vmf_dump_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->err, sizeof(d->err), fmt, ap);
	va_end(ap);
	return st;
}

static enum vmf_dump_status ok(struct vmf_dump *d)
{
	d->err[0] = 0;
	return VMF_DUMP_OK;
}

struct vmf_dump *vmf_dump_new(void)
{
	struct vmf_dump *d = calloc(1, sizeof(*d));

	if (d)
		d->fd = -1;
	return d;
}

void vmf_dump_free(struct vmf_dump *d)
{
	if (!d)
		return;
	if (d->axsys)
		addrxlat_sys_decref(d->axsys);
	if (d->axctx)
		addrxlat_ctx_decref(d->axctx);
	if (d->ctx)
		kdump_free(d->ctx);
	if (d->fd >= 0)
		close(d->fd);
	free(d->vi_text);
	free(d);
}

const char *vmf_dump_err(const struct vmf_dump *d)
{
	return d ? d->err : "out of memory";
}

const char *vmf_dump_format(const struct vmf_dump *d)
{
	return d->format;
}

const char *vmf_dump_arch(const struct vmf_dump *d)
{
	return d->arch;
}

const struct vmf_dump_rearranged *vmf_dump_rearranged(const struct vmf_dump *d)
{
	return &d->re;
}

uint64_t vmf_dump_page_size(const struct vmf_dump *d)
{
	return d->page_size;
}

unsigned vmf_dump_ptr_size(const struct vmf_dump *d)
{
	return d->ptr_size;
}

int vmf_dump_big_endian(const struct vmf_dump *d)
{
	return d->big_endian;
}

/* ---- the file's own header, before libkdumpfile trusts it ----------------------------- */

static uint32_t le32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint64_t le64(const unsigned char *b)
{
	return (uint64_t)le32(b + 4) << 32 | le32(b);
}

/* A note or VMCOREINFO of the header: inside the file and of a sane size, before libkdumpfile allocates it. */
static enum vmf_dump_status blob_in_file(struct vmf_dump *d, const char *what, uint64_t off, uint64_t size,
					 uint64_t max, uint64_t fsize)
{
	if (size > max || off > fsize || size > fsize - off)
		return fail(d, VMF_DUMP_ERROR, "%s damaged: %llu bytes at offset %llu (the file has %llu)", what,
			    (unsigned long long)size, (unsigned long long)off, (unsigned long long)fsize);
	return VMF_DUMP_OK;
}

/* makedumpfile's kdump_sub_header (64-bit): VMCOREINFO from version 3, the ELF notes from 4. */
static enum vmf_dump_status kdump_sub_header(struct vmf_dump *d, uint32_t block, uint32_t version, uint64_t fsize)
{
	unsigned char sh[64];

	if (pread(d->fd, sh, sizeof(sh), (off_t)block) != (ssize_t)sizeof(sh))
		return fail(d, VMF_DUMP_ERROR, "kdump-compressed dump truncated: no sub-header");
	if (version >= 3 && blob_in_file(d, "kdump-compressed header's VMCOREINFO", le64(sh + 32), le64(sh + 40),
					 VI_MAX, fsize) != VMF_DUMP_OK)
		return VMF_DUMP_ERROR;
	if (version >= 4 && blob_in_file(d, "kdump-compressed header's notes", le64(sh + 48), le64(sh + 56),
					 NOTES_MAX, fsize) != VMF_DUMP_OK)
		return VMF_DUMP_ERROR;
	return VMF_DUMP_OK;
}

/*
 * A cut dump (an interrupted copy) would read as "Decompression failed" page by
 * page: say it once at open.  One page descriptor per page of the second bitmap
 * (the pages written), in the order the data follows them: the descriptors and
 * the last one's data must lie inside the file.
 */
static enum vmf_dump_status kdump_data_end(struct vmf_dump *d, uint32_t block, uint32_t sub, uint32_t bitmap_blocks,
					   uint64_t fsize)
{
	uint64_t len = (uint64_t)block * bitmap_blocks / 2, bm2 = (uint64_t)block * (1 + (uint64_t)sub) + len;
	uint64_t desc = (uint64_t)block * (1 + (uint64_t)sub + bitmap_blocks), n = 0, i, k, end;
	unsigned char *bm, *pd;

	if (len > (64u << 20))
		return VMF_DUMP_OK;             /* a 2 TiB machine's bitmap: not read just for this */
	bm = malloc((size_t)len);
	if (!bm)
		return fail(d, VMF_DUMP_ERROR, "out of memory reading the kdump bitmap");
	if (pread(d->fd, bm, (size_t)len, (off_t)bm2) != (ssize_t)len) {
		free(bm);
		return fail(d, VMF_DUMP_ERROR, "kdump-compressed dump truncated: its second bitmap is cut");
	}
	for (i = 0; i + 8 <= len; i += 8) {     /* a word at a time: libgcc's popcount is a call */
		uint64_t w;
		memcpy(&w, bm + i, 8);
		n += (uint64_t)__builtin_popcountll(w);
	}
	for (; i < len; i++)
		n += (uint64_t)__builtin_popcount(bm[i]);
	free(bm);
	if (n == 0)
		return VMF_DUMP_OK;
	if (desc + 24 * n > fsize)
		return fail(d, VMF_DUMP_ERROR, "kdump-compressed dump truncated: %llu bytes, its %llu page descriptors "
			    "end at %llu", (unsigned long long)fsize, (unsigned long long)n,
			    (unsigned long long)(desc + 24 * n));
	/* zero pages all point back at one shared page: the end is the furthest of the last descriptors */
	k = n < TAIL_DESCS ? n : TAIL_DESCS;
	pd = malloc((size_t)(24 * k));
	if (!pd)
		return fail(d, VMF_DUMP_ERROR, "out of memory reading the page descriptors");
	if (pread(d->fd, pd, (size_t)(24 * k), (off_t)(desc + 24 * (n - k))) != (ssize_t)(24 * k)) {
		free(pd);
		return fail(d, VMF_DUMP_ERROR, "cannot read the last page descriptors: %s", strerror(errno));
	}
	for (end = 0, i = 0; i < k; i++) {
		uint64_t e = le64(pd + 24 * i) + le32(pd + 24 * i + 8);
		if (e > end)
			end = e;
	}
	free(pd);
	if (end > fsize)
		return fail(d, VMF_DUMP_ERROR, "kdump-compressed dump truncated: %llu bytes, its pages' data end at "
			    "%llu", (unsigned long long)fsize, (unsigned long long)end);
	return VMF_DUMP_OK;
}

/*
 * kdump-compressed (makedumpfile's disk_dump_header, 64-bit layout): the
 * compression named from its status bits, and the header's own sizes checked
 * against the file, so that a truncated or damaged header is a reason here.
 */
static enum vmf_dump_status sniff_kdump(struct vmf_dump *d, const unsigned char *h, size_t n, uint64_t fsize)
{
	static const struct { uint32_t bit; const char *name; } comp[] = {
		{ 0x1, "zlib" }, { 0x2, "lzo" }, { 0x4, "snappy" }, { 0x20, "zstd" },
	};
	const char *c = "uncompressed";
	uint32_t status, block, sub, bitmap_blocks;
	size_t i;

	d->diskdump = 1;
	/* utsname.machine: the 64-bit layout below holds for x86_64; others are left to libkdumpfile */
	if (n < 448 || memcmp(h + 272, "x86_64", 7) != 0) {
		snprintf(d->format, sizeof(d->format), "kdump-compressed");
		if (n < 448)
			return fail(d, VMF_DUMP_ERROR, "kdump-compressed header truncated: the file has %zu bytes", n);
		return VMF_DUMP_OK;
	}
	status = le32(h + 424);
	block = le32(h + 428);
	sub = le32(h + 432);
	bitmap_blocks = le32(h + 436);
	for (i = 0; i < sizeof(comp) / sizeof(comp[0]); i++)
		if (status & comp[i].bit)
			c = comp[i].name;
	snprintf(d->format, sizeof(d->format), "kdump-compressed (%s)", c);
	/*
	 * qemu's dump-guest-memory fills utsname.machine but not sysname, and
	 * libkdumpfile 0.5.1 trusts the utsname only with sysname "Linux": unnamed,
	 * it skips the CPU notes and sets up no translation.
	 */
	d->arch_hint = "x86_64";
	if (block < 512 || block > (1u << 20) || (block & (block - 1)) || sub > (1u << 20) || bitmap_blocks == 0 ||
	    bitmap_blocks > (1u << 24))
		return fail(d, VMF_DUMP_ERROR, "kdump-compressed header damaged: block size %u, sub-header %u blocks, "
			    "bitmap %u blocks", block, sub, bitmap_blocks);
	if ((uint64_t)block * (1 + (uint64_t)sub + bitmap_blocks) > fsize)
		return fail(d, VMF_DUMP_ERROR, "kdump-compressed dump truncated: %llu bytes, its bitmaps alone end at %llu",
			    (unsigned long long)fsize, (unsigned long long)block * (1 + (uint64_t)sub + bitmap_blocks));
	if (kdump_sub_header(d, block, le32(h + 8), fsize) != VMF_DUMP_OK)
		return VMF_DUMP_ERROR;
	return kdump_data_end(d, block, sub, bitmap_blocks, fsize);
}

/*
 * ELF64 program headers: the notes (PT_NOTE, 4) inside the file and of a sane
 * size, the memory (PT_LOAD, 1) inside the file, else a truncated dump.
 */
static enum vmf_dump_status elf_segments(struct vmf_dump *d, const unsigned char *h, uint64_t fsize)
{
	uint64_t phoff = le64(h + 32), end = 0;
	unsigned entsize = (unsigned)h[54] | (unsigned)h[55] << 8, num = (unsigned)h[56] | (unsigned)h[57] << 8, i;
	unsigned char *ph;

	if (num == 0 || num == 0xffff)
		return VMF_DUMP_OK;             /* none, or extended numbering: libkdumpfile's to judge */
	if (entsize < 56 || phoff > fsize || (uint64_t)entsize * num > fsize - phoff)
		return fail(d, VMF_DUMP_ERROR, "ELF dump damaged: %u program headers of %u bytes at %llu (the file has "
			    "%llu)", num, entsize, (unsigned long long)phoff, (unsigned long long)fsize);
	ph = malloc((size_t)entsize * num);
	if (!ph)
		return fail(d, VMF_DUMP_ERROR, "out of memory reading the ELF program headers");
	if (pread(d->fd, ph, (size_t)entsize * num, (off_t)phoff) != (ssize_t)((size_t)entsize * num)) {
		free(ph);
		return fail(d, VMF_DUMP_ERROR, "cannot read the ELF program headers");
	}
	for (i = 0; i < num; i++) {
		const unsigned char *p = ph + (size_t)entsize * i;
		uint64_t off = le64(p + 8), filesz = le64(p + 32);

		if (le32(p) == 4 && blob_in_file(d, "ELF dump's notes", off, filesz, NOTES_MAX, fsize) != VMF_DUMP_OK) {
			free(ph);
			return VMF_DUMP_ERROR;
		}
		if (le32(p) == 1 && off + filesz > end)
			end = off + filesz;
	}
	free(ph);
	if (end > fsize)
		return fail(d, VMF_DUMP_ERROR, "ELF dump truncated: %llu bytes, its memory segments end at %llu",
			    (unsigned long long)fsize, (unsigned long long)end);
	return VMF_DUMP_OK;
}

static enum vmf_dump_status sniff(struct vmf_dump *d)
{
	unsigned char h[512];
	struct stat st;
	ssize_t n;

	if (fstat(d->fd, &st) != 0)
		return fail(d, VMF_DUMP_ERROR, "cannot stat: %s", strerror(errno));
	n = pread(d->fd, h, sizeof(h), 0);
	if (n < 0)
		return fail(d, VMF_DUMP_ERROR, "cannot read: %s", strerror(errno));
	if (n < 8)
		return fail(d, VMF_DUMP_ERROR, "not a dump: %zd bytes", n);
	if (!memcmp(h, "\177ELF", 4)) {
		snprintf(d->format, sizeof(d->format), "ELF");
		/* e_machine 62 (EM_X86_64) of a 64-bit little-endian ELF: its headers checked here */
		if (n >= 64 && h[4] == 2 && h[5] == 1 && h[18] == 62 && h[19] == 0) {
			d->arch_hint = "x86_64";
			return elf_segments(d, h, (uint64_t)st.st_size);
		}
		return VMF_DUMP_OK;
	}
	if (!memcmp(h, "KDUMP   ", 8) || !memcmp(h, "DISKDUMP", 8))
		return sniff_kdump(d, h, (size_t)n, (uint64_t)st.st_size);
	snprintf(d->format, sizeof(d->format), "unknown");   /* libkdumpfile may still know it */
	return VMF_DUMP_OK;
}

/* ---- open ------------------------------------------------------------------------------- */

static enum vmf_dump_status open_flattened(struct vmf_dump *d, const char *path, const struct vmf_dump_opts *opts)
{
	struct vmf_flat_result r;
	char why[512];

	if (vmf_flat_rearrange(path, d->fd, opts ? opts->cache_dir : NULL, &r, why, sizeof(why)))
		return fail(d, VMF_DUMP_ERROR, "%s", why);
	close(d->fd);
	d->fd = r.fd;
	d->re.rearranged = 1;
	d->re.reused = r.reused;
	d->re.truncated = r.truncated;
	d->re.records = r.records;
	d->re.size = r.size;
	snprintf(d->where, sizeof(d->where), "%s", r.path[0] ? r.path : "memory");
	d->re.where = d->where;
	return VMF_DUMP_OK;
}

static uint64_t num_attr(kdump_ctx_t *ctx, const char *key)
{
	kdump_num_t v;

	return kdump_get_number_attr(ctx, key, &v) == KDUMP_OK ? (uint64_t)v : 0;
}

/* VMCOREINFO kept as our own NUL-terminated copy: the lookups parse it, never the library. */
static void load_vmcoreinfo(struct vmf_dump *d)
{
	char *raw = NULL;
	size_t n;

	if (kdump_vmcoreinfo_raw(d->ctx, &raw) != KDUMP_OK || !raw)
		return;
	n = strnlen(raw, VI_MAX);
	d->vi_text = malloc(n + 1);
	if (d->vi_text) {
		memcpy(d->vi_text, raw, n);
		d->vi_text[n] = 0;
		d->vi.text = d->vi_text;
		d->vi.len = n;
	}
	free(raw);
}

/* libkdumpfile's facts about the machine, and its translation of kernel addresses. */
static void load_machine(struct vmf_dump *d)
{
	const char *s = NULL;

	d->page_size = num_attr(d->ctx, KDUMP_ATTR_PAGE_SIZE);
	d->ptr_size = (unsigned)num_attr(d->ctx, KDUMP_ATTR_PTR_SIZE);
	d->big_endian = num_attr(d->ctx, KDUMP_ATTR_BYTE_ORDER) == KDUMP_BIG_ENDIAN;
	d->max_pfn = num_attr(d->ctx, "max_pfn");
	if (kdump_get_string_attr(d->ctx, KDUMP_ATTR_ARCH_NAME, &s) == KDUMP_OK && s)
		snprintf(d->arch, sizeof(d->arch), "%s", s);
	if (!strcmp(d->format, "unknown") && kdump_get_string_attr(d->ctx, KDUMP_ATTR_FILE_FORMAT, &s) == KDUMP_OK && s)
		snprintf(d->format, sizeof(d->format), "%s", s);
	if (kdump_get_addrxlat(d->ctx, &d->axctx, &d->axsys) != KDUMP_OK)
		snprintf(d->xlat_why, sizeof(d->xlat_why), "no address translation: %s", kdump_get_err(d->ctx));
}

enum vmf_dump_status vmf_dump_open(struct vmf_dump *d, const char *path, const struct vmf_dump_opts *opts)
{
	enum vmf_dump_status st;

	if (d->opened)
		return fail(d, VMF_DUMP_ERROR, "already open");
	d->opened = 1;
	d->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (d->fd < 0)
		return fail(d, VMF_DUMP_ERROR, "cannot open: %s", strerror(errno));
	if (vmf_flat_detect(d->fd) && (st = open_flattened(d, path, opts)) != VMF_DUMP_OK)
		return st;
	if ((st = sniff(d)) != VMF_DUMP_OK) {
		if (d->re.truncated) {  /* the cause is the stream's: it stopped early */
			char inner[sizeof(d->err)];
			snprintf(inner, sizeof(inner), "%s", d->err);
			return fail(d, st, "flattened stream truncated (no end marker after %llu records): %.400s",
				    (unsigned long long)d->re.records, inner);
		}
		return st;
	}
	d->ctx = kdump_new();
	if (!d->ctx)
		return fail(d, VMF_DUMP_ERROR, "libkdumpfile: out of memory");
	/* named before the open, so that the notes (CPU registers) are read with it */
	if (d->arch_hint && kdump_set_string_attr(d->ctx, KDUMP_ATTR_ARCH_NAME, d->arch_hint) != KDUMP_OK)
		return fail(d, VMF_DUMP_ERROR, "libkdumpfile does not know the architecture %s: %s", d->arch_hint,
			    kdump_get_err(d->ctx));
	if (kdump_open_fd(d->ctx, d->fd) != KDUMP_OK)
		return fail(d, VMF_DUMP_ERROR, "not a dump libkdumpfile can read: %s", kdump_get_err(d->ctx));
	/* VMCOREINFO is read and the translation set up once the OS is named: kdump headers do not say */
	if (kdump_set_string_attr(d->ctx, KDUMP_ATTR_OSTYPE, "linux") != KDUMP_OK)
		snprintf(d->xlat_why, sizeof(d->xlat_why), "no Linux address translation: %s", kdump_get_err(d->ctx));
	load_vmcoreinfo(d);
	load_machine(d);
	return ok(d);
}

/* ---- VMCOREINFO lookups -------------------------------------------------------------------- */

enum vmf_dump_status vmf_dump_vmcoreinfo(struct vmf_dump *d, const struct vmf_vmcoreinfo **vi)
{
	*vi = NULL;
	if (!d->vi.text)
		return fail(d, VMF_DUMP_NOKEY, "the dump has no VMCOREINFO");
	*vi = &d->vi;
	return ok(d);
}

static enum vmf_dump_status vi_status(struct vmf_dump *d, enum vmf_vi_status s, const char *fmt, const char *name)
{
	char key[200];

	if (s == VMF_VI_OK)
		return ok(d);
	snprintf(key, sizeof(key), fmt, name);
	if (!d->vi.text)
		return fail(d, VMF_DUMP_NOKEY, "the dump has no VMCOREINFO (looking for %s)", key);
	if (s == VMF_VI_NOKEY)
		return fail(d, VMF_DUMP_NOKEY, "VMCOREINFO has no %s", key);
	return fail(d, VMF_DUMP_BADVALUE, "VMCOREINFO's %s does not parse", key);
}

enum vmf_dump_status vmf_dump_vi_string(struct vmf_dump *d, const char *key, char *out, size_t outlen)
{
	return vi_status(d, vmf_vi_string(&d->vi, key, out, outlen), "%s", key);
}

enum vmf_dump_status vmf_dump_vi_symbol(struct vmf_dump *d, const char *name, uint64_t *val)
{
	return vi_status(d, vmf_vi_symbol(&d->vi, name, val), "SYMBOL(%s)", name);
}

enum vmf_dump_status vmf_dump_vi_number(struct vmf_dump *d, const char *name, int64_t *val)
{
	return vi_status(d, vmf_vi_number(&d->vi, name, val), "NUMBER(%s)", name);
}

enum vmf_dump_status vmf_dump_vi_offset(struct vmf_dump *d, const char *type_member, uint64_t *val)
{
	return vi_status(d, vmf_vi_offset(&d->vi, type_member, val), "OFFSET(%s)", type_member);
}

enum vmf_dump_status vmf_dump_vi_size(struct vmf_dump *d, const char *type, uint64_t *val)
{
	return vi_status(d, vmf_vi_size(&d->vi, type, val), "SIZE(%s)", type);
}

enum vmf_dump_status vmf_dump_vi_length(struct vmf_dump *d, const char *name, uint64_t *val)
{
	return vi_status(d, vmf_vi_length(&d->vi, name, val), "LENGTH(%s)", name);
}

enum vmf_dump_status vmf_dump_vi_hex(struct vmf_dump *d, const char *key, uint64_t *val)
{
	return vi_status(d, vmf_vi_hex(&d->vi, key, val), "%s", key);
}

enum vmf_dump_status vmf_dump_vi_udec(struct vmf_dump *d, const char *key, uint64_t *val)
{
	return vi_status(d, vmf_vi_udec(&d->vi, key, val), "%s", key);
}

/* ---- memory ------------------------------------------------------------------------------------ */

/* Is the page in the dump's first bitmap (the memory that existed)?  1 when it cannot tell. */
static int page_was_ram(struct vmf_dump *d, uint64_t pfn)
{
	kdump_attr_t a;
	unsigned char bit = 0;

	a.type = KDUMP_BITMAP;
	if (kdump_get_typed_attr(d->ctx, "memory.pagemap", &a) != KDUMP_OK ||
	    kdump_bmp_get_bits(a.val.bitmap, pfn, pfn, &bit) != KDUMP_OK)
		return 1;
	return bit & 1;
}

/*
 * A physical address the dump did not give: excluded by makedumpfile (a page of
 * memory that existed, in a kdump-compressed dump) or simply not there (beyond
 * the last page, a hole, an ELF dump without it): crash's PAGE_EXCLUDED and
 * SEEK_ERROR, worded as the crash glue words them.
 */
static enum vmf_dump_status unreadable_phys(struct vmf_dump *d, uint64_t paddr)
{
	uint64_t pfn = d->page_size ? paddr / d->page_size : 0;

	if (d->diskdump && (!d->max_pfn || pfn < d->max_pfn) && page_was_ram(d, pfn))
		return fail(d, VMF_DUMP_UNREADABLE, "page %llx excluded from the dump (makedumpfile -d)",
			    (unsigned long long)paddr);
	return fail(d, VMF_DUMP_UNREADABLE, "physical address %llx not in the dump", (unsigned long long)paddr);
}

enum vmf_dump_status vmf_dump_read_phys(struct vmf_dump *d, uint64_t paddr, void *buf, size_t len)
{
	size_t done = len;
	kdump_status ks;

	if (!d->ctx)
		return fail(d, VMF_DUMP_ERROR, "dump not open");
	ks = kdump_read(d->ctx, KDUMP_KPHYSADDR, paddr, buf, &done);
	if (ks == KDUMP_OK)
		return ok(d);
	if (ks == KDUMP_ERR_NODATA)
		return unreadable_phys(d, paddr + done);
	return fail(d, VMF_DUMP_ERROR, "read error at physical address %llx: %s",
		    (unsigned long long)(paddr + done), kdump_get_err(d->ctx));
}

enum vmf_dump_status vmf_dump_virt_to_phys(struct vmf_dump *d, uint64_t vaddr, uint64_t *paddr)
{
	addrxlat_fulladdr_t fa;

	if (!d->ctx)
		return fail(d, VMF_DUMP_ERROR, "dump not open");
	if (d->xlat_why[0])
		return fail(d, VMF_DUMP_ERROR, "%s", d->xlat_why);
	fa.addr = vaddr;
	fa.as = ADDRXLAT_KVADDR;
	if (addrxlat_fulladdr_conv(&fa, ADDRXLAT_KPHYSADDR, d->axctx, d->axsys) != ADDRXLAT_OK)
		return fail(d, VMF_DUMP_UNREADABLE, "virtual address %llx: no translation (%s)",
			    (unsigned long long)vaddr, addrxlat_ctx_get_err(d->axctx));
	*paddr = fa.addr;
	return ok(d);
}

enum vmf_dump_status vmf_dump_read_virt(struct vmf_dump *d, uint64_t vaddr, void *buf, size_t len)
{
	size_t done = len;
	kdump_status ks;
	uint64_t at, pa;
	char kerr[256];

	if (!d->ctx)
		return fail(d, VMF_DUMP_ERROR, "dump not open");
	if (d->xlat_why[0])
		return fail(d, VMF_DUMP_ERROR, "%s", d->xlat_why);
	ks = kdump_read(d->ctx, KDUMP_KVADDR, vaddr, buf, &done);
	if (ks == KDUMP_OK)
		return ok(d);
	at = vaddr + done;
	snprintf(kerr, sizeof(kerr), "%s", kdump_get_err(d->ctx));
	if (ks == KDUMP_ERR_NODATA && vmf_dump_virt_to_phys(d, at, &pa) == VMF_DUMP_OK)
		return unreadable_phys(d, pa);
	if (ks == KDUMP_ERR_NODATA || ks == KDUMP_ERR_ADDRXLAT)
		return fail(d, VMF_DUMP_UNREADABLE, "virtual address %llx: %s", (unsigned long long)at, kerr);
	return fail(d, VMF_DUMP_ERROR, "read error at virtual address %llx: %s", (unsigned long long)at, kerr);
}

/* ---- open in a child ------------------------------------------------------------------------------ */

enum vmf_dump_status vmf_dump_probe(const char *path, const struct vmf_dump_opts *opts, char *why, size_t whylen)
{
	char msg[600];
	int fds[2], status = 0;
	ssize_t n, got = 0;
	pid_t pid;

	if (pipe(fds) != 0) {
		snprintf(why, whylen, "pipe: %s", strerror(errno));
		return VMF_DUMP_ERROR;
	}
	pid = fork();
	if (pid == 0) {
		struct vmf_dump *d = vmf_dump_new();
		enum vmf_dump_status st = d ? vmf_dump_open(d, path, opts) : VMF_DUMP_ERROR;

		close(fds[0]);
		n = snprintf(msg, sizeof(msg), "%d\t%s", (int)st, vmf_dump_err(d));
		if (n > (ssize_t)sizeof(msg) - 1)
			n = (ssize_t)sizeof(msg) - 1;
		/* no vmf_dump_free(): 0.5.1 can fault there after a failed open, and the exit frees all */
		_exit(write(fds[1], msg, (size_t)n) == n ? 0 : 2);
	}
	close(fds[1]);
	if (pid < 0) {
		close(fds[0]);
		snprintf(why, whylen, "fork: %s", strerror(errno));
		return VMF_DUMP_ERROR;
	}
	while (got + 1 < (ssize_t)sizeof(msg) && (n = read(fds[0], msg + got, sizeof(msg) - 1 - (size_t)got)) > 0)
		got += n;
	msg[got] = 0;
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status) && got == 0) {
		snprintf(why, whylen, "libkdumpfile crashed (signal %d) reading the dump's headers: damaged dump",
			 WTERMSIG(status));
		return VMF_DUMP_ERROR;
	}
	if (got < 2 || msg[1] != '\t' || msg[0] < '0' || msg[0] > '0' + VMF_DUMP_ERROR) {
		snprintf(why, whylen, "could not open the dump (reader exit %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return VMF_DUMP_ERROR;
	}
	snprintf(why, whylen, "%s", msg + 2);
	return (enum vmf_dump_status)(msg[0] - '0');
}
