/*
 * decompress.c - one reader over five compression libraries.
 *
 * Each codec is a step function: decompress what the input buffer holds into
 * the output, and say when its member or frame ended.  The reader refills the
 * input, starts the next member of a concatenated file (gzip -c a >> f; bzip2
 * likewise; xz and zstd and lz4 frames follow each other on their own), and
 * tells a clean end from a file cut inside a member: kdump-tools pipes
 * makedumpfile into the compressor, so a dump whose saving was interrupted
 * (dump-incomplete.gz) is a stream that simply stops.
 */
#include <bzlib.h>
#include <errno.h>
#include <fcntl.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "bytes.h"
#include "files.h"
#include "decompress.h"

#define IN_CHUNK (1u << 20)

static const struct {
	enum compression c;
	const char *name;
	const unsigned char magic[6];
	size_t len;
} formats[] = {
	{ COMP_GZIP, "gzip", { 0x1f, 0x8b }, 2 },                       /* RFC 1952 ID1 ID2 */
	{ COMP_BZIP2, "bzip2", { 'B', 'Z', 'h' }, 3 },                  /* then the block size '1'..'9' */
	{ COMP_XZ, "xz", { 0xfd, '7', 'z', 'X', 'Z', 0 }, 6 },          /* xz file format 2.2.1 */
	{ COMP_LZ4, "lz4", { 0x04, 0x22, 0x4d, 0x18 }, 4 },             /* LZ4 frame magic 0x184D2204, LE */
	{ COMP_ZSTD, "zstd", { 0x28, 0xb5, 0x2f, 0xfd }, 4 },           /* RFC 8878 magic 0xFD2FB528, LE */
};

const char *compression_name(enum compression c)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].c == c)
			return formats[i].name;
	return NULL;
}

static enum compression detect_bytes(const unsigned char *h, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (n >= formats[i].len && !memcmp(h, formats[i].magic, formats[i].len)) {
			if (formats[i].c == COMP_BZIP2 && (n < 4 || h[3] < '1' || h[3] > '9'))
				continue;
			return formats[i].c;
		}
	return COMP_NONE;
}

enum compression compression_detect(const char *path)
{
	unsigned char h[8];
	char why[200];
	int fd = open_regular(path, why, sizeof(why));
	ssize_t n;

	if (fd < 0)
		return COMP_NONE;
	n = read(fd, h, sizeof(h));
	close(fd);
	return n > 0 ? detect_bytes(h, (size_t)n) : COMP_NONE;
}

/* ---- sizes the containers declare ------------------------------------------------------ */

/* xz: the last stream's footer names its index, and the index the sizes (xz file format 2.1.2, 4). */
static int xz_size(const unsigned char *m, size_t n, uint64_t *size)
{
	lzma_stream_flags footer;
	lzma_index *idx = NULL;
	uint64_t memlimit = 64u << 20;
	size_t pos = 0, ilen;
	int ret = -1;

	if (n < 2 * LZMA_STREAM_HEADER_SIZE ||
	    lzma_stream_footer_decode(&footer, m + n - LZMA_STREAM_HEADER_SIZE) != LZMA_OK)
		return -1;
	ilen = (size_t)footer.backward_size;
	if (ilen > n - 2 * LZMA_STREAM_HEADER_SIZE)
		return -1;
	if (lzma_index_buffer_decode(&idx, &memlimit, NULL, m + n - LZMA_STREAM_HEADER_SIZE - ilen, &pos,
				     ilen) == LZMA_OK) {
		/* one stream that is the whole file: then its size is the file's */
		if (lzma_index_file_size(idx) == n) {
			*size = lzma_index_uncompressed_size(idx);
			ret = 0;
		}
		lzma_index_end(idx, NULL);
	}
	return ret;
}

/* zstd: the sum of every frame's declared content size; -1 if one frame does not declare it. */
static int zstd_size(const unsigned char *m, size_t n, uint64_t *size)
{
	size_t pos = 0;

	*size = 0;
	while (pos < n) {
		unsigned long long cs = ZSTD_getFrameContentSize(m + pos, n - pos);
		size_t fl = ZSTD_findFrameCompressedSize(m + pos, n - pos);

		if (cs == ZSTD_CONTENTSIZE_UNKNOWN || cs == ZSTD_CONTENTSIZE_ERROR || ZSTD_isError(fl))
			return -1;
		*size += cs;
		pos += fl;
	}
	return 0;
}

/* lz4: the first frame's declared content size (0 when absent), a lower bound */
static uint64_t lz4_first_frame_size(const unsigned char *m, size_t n)
{
	LZ4F_dctx *ctx = NULL;
	LZ4F_frameInfo_t info;
	size_t used = n < 64 ? n : 64;
	uint64_t size = 0;

	memset(&info, 0, sizeof(info));
	if (LZ4F_isError(LZ4F_createDecompressionContext(&ctx, LZ4F_VERSION)))
		return 0;
	if (!LZ4F_isError(LZ4F_getFrameInfo(ctx, &info, m, &used)))
		size = info.contentSize;
	LZ4F_freeDecompressionContext(ctx);
	return size;
}

void compression_declared_size(const char *path, enum compression c, uint64_t *size, int *exact)
{
	char why[200];
	int fd = open_regular(path, why, sizeof(why));
	struct stat st;
	unsigned char *m;
	size_t n;

	*size = 0;
	*exact = 0;
	if (fd < 0)
		return;
	if (fstat(fd, &st) != 0 || st.st_size < 18) {
		close(fd);
		return;
	}
	n = (size_t)st.st_size;
	/* mapped, not read: only the pages the container's own structures lie on are touched */
	m = mmap(NULL, n, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	if (c == COMP_XZ)
		*exact = xz_size(m, n, size) == 0;
	else if (c == COMP_ZSTD)
		*exact = zstd_size(m, n, size) == 0;
	else if (c == COMP_GZIP)
		*size = le32(m + n - 4);       /* ISIZE of the last member: the size modulo 2^32 */
	else if (c == COMP_LZ4)
		*size = lz4_first_frame_size(m, n);
	if (!*exact && c != COMP_GZIP && c != COMP_LZ4)
		*size = 0;
	munmap(m, n);
}

/* ---- the reader ---------------------------------------------------------------------------- */

enum step { STEP_MORE, STEP_MEMBER_END, STEP_ERROR };

struct zreader {
	int fd;
	enum compression c;
	unsigned char *in;
	size_t in_len, in_pos;
	int in_eof;
	int in_member;            /* input of the current member or frame was consumed */
	int done;
	int cut;
	z_stream gz;
	bz_stream bz;
	lzma_stream xz;
	LZ4F_dctx *lz4;
	ZSTD_DStream *zs;
};

static int codec_start(struct zreader *z)
{
	switch (z->c) {
	case COMP_GZIP:
		memset(&z->gz, 0, sizeof(z->gz));
		return inflateInit2(&z->gz, 16 + MAX_WBITS) == Z_OK ? 0 : -1;   /* gzip wrapper only */
	case COMP_BZIP2:
		memset(&z->bz, 0, sizeof(z->bz));
		return BZ2_bzDecompressInit(&z->bz, 0, 0) == BZ_OK ? 0 : -1;
	case COMP_XZ:
		memset(&z->xz, 0, sizeof(z->xz));
		return lzma_stream_decoder(&z->xz, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK ? 0 : -1;
	case COMP_LZ4:
		return LZ4F_isError(LZ4F_createDecompressionContext(&z->lz4, LZ4F_VERSION)) ? -1 : 0;
	case COMP_ZSTD:
		z->zs = ZSTD_createDStream();
		return z->zs ? 0 : -1;
	case COMP_NONE:
		break;
	}
	return -1;
}

static void codec_end(struct zreader *z)
{
	if (z->c == COMP_GZIP)
		inflateEnd(&z->gz);
	else if (z->c == COMP_BZIP2)
		BZ2_bzDecompressEnd(&z->bz);
	else if (z->c == COMP_XZ)
		lzma_end(&z->xz);
	else if (z->c == COMP_LZ4 && z->lz4)
		LZ4F_freeDecompressionContext(z->lz4);
	else if (z->c == COMP_ZSTD && z->zs)
		ZSTD_freeDStream(z->zs);
	z->lz4 = NULL;
	z->zs = NULL;
}

static enum step step_gzip(struct zreader *z, unsigned char *out, size_t len, size_t *made, char *why, size_t wlen)
{
	int r;

	z->gz.next_in = z->in + z->in_pos;
	z->gz.avail_in = (uInt)(z->in_len - z->in_pos);
	z->gz.next_out = out;
	z->gz.avail_out = (uInt)len;
	r = inflate(&z->gz, Z_NO_FLUSH);
	z->in_pos = z->in_len - z->gz.avail_in;
	*made = len - z->gz.avail_out;
	if (r == Z_STREAM_END)
		return STEP_MEMBER_END;
	if (r == Z_OK || r == Z_BUF_ERROR)
		return STEP_MORE;
	snprintf(why, wlen, "gzip data damaged: %s", z->gz.msg ? z->gz.msg : zError(r));
	return STEP_ERROR;
}

static enum step step_bzip2(struct zreader *z, unsigned char *out, size_t len, size_t *made, char *why, size_t wlen)
{
	int r;

	z->bz.next_in = (char *)z->in + z->in_pos;
	z->bz.avail_in = (unsigned)(z->in_len - z->in_pos);
	z->bz.next_out = (char *)out;
	z->bz.avail_out = (unsigned)len;
	r = BZ2_bzDecompress(&z->bz);
	z->in_pos = z->in_len - z->bz.avail_in;
	*made = len - z->bz.avail_out;
	if (r == BZ_STREAM_END)
		return STEP_MEMBER_END;
	if (r == BZ_OK)
		return STEP_MORE;
	snprintf(why, wlen, "bzip2 data damaged (libbz2 error %d)", r);
	return STEP_ERROR;
}

/* xz decodes concatenated streams itself; their end shows only once the input is finished */
static enum step step_xz(struct zreader *z, unsigned char *out, size_t len, size_t *made, char *why, size_t wlen)
{
	lzma_ret r;

	z->xz.next_in = z->in + z->in_pos;
	z->xz.avail_in = z->in_len - z->in_pos;
	z->xz.next_out = out;
	z->xz.avail_out = len;
	r = lzma_code(&z->xz, z->in_eof ? LZMA_FINISH : LZMA_RUN);
	z->in_pos = z->in_len - z->xz.avail_in;
	*made = len - z->xz.avail_out;
	if (r == LZMA_STREAM_END)
		return STEP_MEMBER_END;
	if (r == LZMA_OK || (r == LZMA_BUF_ERROR && !z->in_eof))
		return STEP_MORE;
	if (r == LZMA_BUF_ERROR) {
		z->cut = 1;       /* finished input, unfinished stream */
		return STEP_MEMBER_END;
	}
	snprintf(why, wlen, "xz data damaged (liblzma error %d)", (int)r);
	return STEP_ERROR;
}

/* an lz4 or zstd context starts the next frame by itself once one is done (hint 0) */
static enum step step_lz4(struct zreader *z, unsigned char *out, size_t len, size_t *made, char *why, size_t wlen)
{
	size_t src = z->in_len - z->in_pos, dst = len;
	size_t hint = LZ4F_decompress(z->lz4, out, &dst, z->in + z->in_pos, &src, NULL);

	z->in_pos += src;
	*made = dst;
	if (LZ4F_isError(hint)) {
		snprintf(why, wlen, "lz4 data damaged: %s", LZ4F_getErrorName(hint));
		return STEP_ERROR;
	}
	return hint == 0 ? STEP_MEMBER_END : STEP_MORE;
}

static enum step step_zstd(struct zreader *z, unsigned char *out, size_t len, size_t *made, char *why, size_t wlen)
{
	ZSTD_inBuffer in = { z->in + z->in_pos, z->in_len - z->in_pos, 0 };
	ZSTD_outBuffer o = { out, len, 0 };
	size_t r = ZSTD_decompressStream(z->zs, &o, &in);

	z->in_pos += in.pos;
	*made = o.pos;
	if (ZSTD_isError(r)) {
		snprintf(why, wlen, "zstd data damaged: %s", ZSTD_getErrorName(r));
		return STEP_ERROR;
	}
	return r == 0 ? STEP_MEMBER_END : STEP_MORE;
}

static enum step codec_step(struct zreader *z, unsigned char *out, size_t len, size_t *made, char *why, size_t wlen)
{
	switch (z->c) {
	case COMP_GZIP:
		return step_gzip(z, out, len, made, why, wlen);
	case COMP_BZIP2:
		return step_bzip2(z, out, len, made, why, wlen);
	case COMP_XZ:
		return step_xz(z, out, len, made, why, wlen);
	case COMP_LZ4:
		return step_lz4(z, out, len, made, why, wlen);
	default:
		return step_zstd(z, out, len, made, why, wlen);
	}
}

static int refill(struct zreader *z, char *why, size_t wlen)
{
	ssize_t n;

	if (z->in_pos < z->in_len || z->in_eof)
		return 0;
	do
		n = read(z->fd, z->in, IN_CHUNK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		snprintf(why, wlen, "read error: %s", strerror(errno));
		return -1;
	}
	z->in_len = (size_t)n;
	z->in_pos = 0;
	z->in_eof = n == 0;
	return 0;
}

struct zreader *zreader_open(const char *path, enum compression c, char *why, size_t wlen)
{
	struct zreader *z = calloc(1, sizeof(*z));

	if (!z || !(z->in = malloc(IN_CHUNK))) {
		snprintf(why, wlen, "out of memory");
		free(z);
		return NULL;
	}
	z->c = c;
	z->fd = open_regular(path, why, wlen);
	if (z->fd < 0 || codec_start(z) != 0) {
		if (z->fd >= 0)
			snprintf(why, wlen, "cannot start the %s decoder", compression_name(c) ? compression_name(c) : "?");
		if (z->fd >= 0)
			close(z->fd);
		free(z->in);
		free(z);
		return NULL;
	}
	return z;
}

/* After a member: another one follows (gzip and bzip2 need a fresh decoder), or the stream ends. */
static int next_member(struct zreader *z, char *why, size_t wlen)
{
	if (z->c == COMP_XZ) {
		z->done = 1;      /* LZMA_CONCATENATED reports the end of the last stream only */
		return 0;
	}
	if (refill(z, why, wlen) != 0)
		return -1;
	/* bytes that do not start another member (padding) end the stream, as gzip -d ignores them */
	if (z->in_pos == z->in_len ||
	    detect_bytes(z->in + z->in_pos, z->in_len - z->in_pos) != z->c) {
		z->done = 1;
		return 0;
	}
	if (z->c == COMP_GZIP || z->c == COMP_BZIP2) {
		codec_end(z);
		if (codec_start(z) != 0) {
			snprintf(why, wlen, "cannot restart the %s decoder", compression_name(z->c));
			return -1;
		}
	}
	return 0;
}

ssize_t zreader_read(struct zreader *z, void *buf, size_t len, char *why, size_t wlen)
{
	unsigned char *out = buf;
	size_t total = 0;
	int idle = 0;

	while (total < len && !z->done) {
		size_t made = 0, before;
		enum step s;

		if (refill(z, why, wlen) != 0)
			return -1;
		if (z->in_pos == z->in_len && z->in_eof && z->c != COMP_XZ) {
			z->cut = z->in_member;   /* the file ended inside a member */
			z->done = 1;
			break;
		}
		before = z->in_pos;
		s = codec_step(z, out + total, len - total, &made, why, wlen);
		if (s == STEP_ERROR)
			return -1;
		total += made;
		if (s == STEP_MEMBER_END) {
			z->in_member = 0;
			if (next_member(z, why, wlen) != 0)
				return -1;
			continue;
		}
		if (made || z->in_pos != before) {
			z->in_member = 1;
			idle = 0;
		} else if (++idle > 2) {
			snprintf(why, wlen, "the %s decoder makes no progress", compression_name(z->c));
			return -1;
		}
	}
	return (ssize_t)total;
}

int zreader_cut(const struct zreader *z)
{
	return z->cut;
}

void zreader_close(struct zreader *z)
{
	if (!z)
		return;
	codec_end(z);
	close(z->fd);
	free(z->in);
	free(z);
}

ssize_t decompress_head(const char *path, enum compression c, void *buf, size_t len, char *why, size_t wlen)
{
	struct zreader *z = zreader_open(path, c, why, wlen);
	size_t got = 0;
	ssize_t n = 0;

	if (!z)
		return -1;
	while (got < len && (n = zreader_read(z, (char *)buf + got, len - got, why, wlen)) > 0)
		got += (size_t)n;
	zreader_close(z);
	/* damaged data after a readable head still gives the head */
	return n < 0 && got == 0 ? -1 : (ssize_t)got;
}
