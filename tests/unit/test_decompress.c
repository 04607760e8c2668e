/*
 * test_decompress.c - the triage CLI's reader of whole-stream compressed files
 * (cli/decompress.c): each library's output, written here by that library,
 * read back byte for byte; concatenated members and frames; a file cut while
 * it was written (a dump-incomplete.gz) told from a whole one; damaged data
 * refused; the sizes each container declares.
 */
#include <bzlib.h>
#include <lz4frame.h>
#include <lzma.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include "check.h"
#include "../../cli/files.c"
#include "../../cli/decompress.c"

#define DATA_LEN (3u << 20)

static unsigned char *data;
static char dir[] = "/tmp/vmf-test-decompress-XXXXXX";

/* compressible but not trivial: text-like runs, a run of zeros, pseudo-random bytes */
static void make_data(void)
{
	uint32_t x = 12345;
	size_t i;

	data = malloc(DATA_LEN);
	for (i = 0; i < DATA_LEN; i++) {
		x = x * 1103515245 + 12345;
		data[i] = i < DATA_LEN / 3 ? (unsigned char)("vmalloc_fault "[i % 14]) :
			  i < DATA_LEN / 2 ? 0 : (unsigned char)(x >> 24) % 16;
	}
}

static size_t gzip_member(const unsigned char *in, size_t n, unsigned char *out, size_t cap)
{
	z_stream s;
	size_t got;

	memset(&s, 0, sizeof(s));
	deflateInit2(&s, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	s.next_in = (unsigned char *)in;
	s.avail_in = (uInt)n;
	s.next_out = out;
	s.avail_out = (uInt)cap;
	deflate(&s, Z_FINISH);
	got = cap - s.avail_out;
	deflateEnd(&s);
	return got;
}

/* data compressed by c into buf, as `members` members or frames of equal parts */
static size_t compress_with(enum compression c, int members, unsigned char *buf, size_t cap, int lz4_size)
{
	size_t part = DATA_LEN / (size_t)members, total = 0;
	int m;

	for (m = 0; m < members; m++) {
		const unsigned char *in = data + (size_t)m * part;
		size_t n = m == members - 1 ? DATA_LEN - (size_t)m * part : part, out = 0;
		unsigned bz = (unsigned)(cap - total);
		LZ4F_preferences_t prefs;

		memset(&prefs, 0, sizeof(prefs));
		prefs.frameInfo.contentSize = lz4_size ? n : 0;
		if (c == COMP_GZIP)
			out = gzip_member(in, n, buf + total, cap - total);
		else if (c == COMP_BZIP2 && BZ2_bzBuffToBuffCompress((char *)buf + total, &bz, (char *)in, (unsigned)n, 9, 0, 0) == BZ_OK)
			out = bz;
		else if (c == COMP_XZ)
			lzma_easy_buffer_encode(1, LZMA_CHECK_CRC64, NULL, in, n, buf + total, &out, cap - total);
		else if (c == COMP_LZ4)
			out = LZ4F_compressFrame(buf + total, cap - total, in, n, &prefs);
		else if (c == COMP_ZSTD)
			out = ZSTD_compress(buf + total, cap - total, in, n, 3);
		total += out;
	}
	return total;
}

static const char *write_file(const char *name, const void *buf, size_t n)
{
	static char path[4][256];
	static int k;
	char *p = path[k++ % 4];
	FILE *f;

	snprintf(p, 256, "%s/%s", dir, name);
	f = fopen(p, "wb");
	fwrite(buf, 1, n, f);
	fclose(f);
	return p;
}

/* the whole stream, compared with data; cut and length reported */
static int read_all(const char *path, enum compression c, size_t *len, int *cut)
{
	unsigned char *out = malloc(DATA_LEN + 4096);
	char why[200];
	struct zreader *z = zreader_open(path, c, why, sizeof(why));
	ssize_t n = 0;
	int same;

	*len = 0;
	while (z && (n = zreader_read(z, out + *len, 65536 < DATA_LEN + 4096 - *len ? 65536 : DATA_LEN + 4096 - *len, why,
				      sizeof(why))) > 0)
		*len += (size_t)n;
	*cut = z ? zreader_cut(z) : -1;
	same = z && n == 0 && *len <= DATA_LEN && !memcmp(out, data, *len);
	zreader_close(z);
	free(out);
	return same ? 0 : -1;
}

static void one_format(enum compression c, const char *name)
{
	size_t cap = DATA_LEN * 2, n, len;
	unsigned char *buf = malloc(cap);
	const char *path;
	uint64_t size;
	int cut, exact;

	n = compress_with(c, 1, buf, cap, 1);
	path = write_file(name, buf, n);
	printf("%s: %zu bytes\n", name, n);
	CHECK(compression_detect(path) == c);
	CHECK(read_all(path, c, &len, &cut) == 0 && len == DATA_LEN && cut == 0);
	compression_declared_size(path, c, &size, &exact);
	if (c == COMP_XZ || c == COMP_ZSTD)
		CHECK(exact == 1 && size == DATA_LEN);
	else if (c == COMP_GZIP || c == COMP_LZ4)
		CHECK(exact == 0 && size == DATA_LEN);     /* a lower bound */
	else
		CHECK(exact == 0 && size == 0);            /* bzip2 never says */
	/* members or frames one after another, as `gzip -c a >> f` makes them */
	n = compress_with(c, 3, buf, cap, 0);
	path = write_file(name, buf, n);
	CHECK(read_all(path, c, &len, &cut) == 0 && len == DATA_LEN && cut == 0);
	compression_declared_size(path, c, &size, &exact);
	CHECK(c == COMP_ZSTD ? exact && size == DATA_LEN : !exact);
	/* cut while it was written: what is there is the data's beginning, and it says it was cut */
	n = compress_with(c, 1, buf, cap, 0);
	path = write_file(name, buf, n * 6 / 10);
	CHECK(read_all(path, c, &len, &cut) == 0 && len < DATA_LEN && cut == 1);
	/* damaged in the middle: an error, never silently different data */
	buf[n / 2] ^= 0x55;
	buf[n / 2 + 1] ^= 0xaa;
	path = write_file(name, buf, n);
	CHECK(read_all(path, c, &len, &cut) != 0);
	free(buf);
}

static void heads_and_padding(void)
{
	unsigned char *buf = malloc(DATA_LEN * 2), head[100];
	char why[200];
	size_t n = gzip_member(data, DATA_LEN, buf, DATA_LEN * 2), len;
	const char *path;
	int cut;

	memset(buf + n, 0, 512);     /* padding after the last member, as tape and dd leave it */
	path = write_file("padded.gz", buf, n + 512);
	CHECK(read_all(path, COMP_GZIP, &len, &cut) == 0 && len == DATA_LEN && cut == 0);
	CHECK(decompress_head(path, COMP_GZIP, head, sizeof(head), why, sizeof(why)) == (ssize_t)sizeof(head));
	CHECK(!memcmp(head, data, sizeof(head)));
	path = write_file("plain", data, 4096);
	CHECK(compression_detect(path) == COMP_NONE);
	path = write_file("bzh-no-level", "BZhx....", 8);
	CHECK(compression_detect(path) == COMP_NONE);
	CHECK(compression_detect("/nonexistent") == COMP_NONE);
	CHECK(zreader_open("/nonexistent", COMP_GZIP, why, sizeof(why)) == NULL && !strncmp(why, "cannot open", 11));
	CHECK_STR(compression_name(COMP_LZ4), "lz4");
	CHECK(compression_name(COMP_NONE) == NULL);
	free(buf);
}

int main(void)
{
	char cmd[300];

	if (!mkdtemp(dir))
		return 1;
	make_data();
	one_format(COMP_GZIP, "f.gz");
	one_format(COMP_BZIP2, "f.bz2");
	one_format(COMP_XZ, "f.xz");
	one_format(COMP_LZ4, "f.lz4");
	one_format(COMP_ZSTD, "f.zst");
	heads_and_padding();
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		printf("could not remove %s\n", dir);
	free(data);
	return CHECK_DONE();
}
