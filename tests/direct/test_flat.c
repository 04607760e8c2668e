/*
 * test_flat.c - flattened streams (direct/vmf_flat.c) built here: rearranged into
 * a cache directory and into memory, reused, compared with makedumpfile -R when
 * it is installed, sparse where the records leave holes, and damaged.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "vmf_flat.h"

struct stream {
	unsigned char *b;
	size_t n, cap;
	unsigned char *expect;      /* the dump the records make */
	size_t expect_len;
};

static void add(struct stream *s, const void *p, size_t n)
{
	if (s->n + n > s->cap) {
		s->cap = (s->n + n) * 2;
		s->b = realloc(s->b, s->cap);
	}
	memcpy(s->b + s->n, p, n);
	s->n += n;
}

static void be64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static void header(struct stream *s)
{
	unsigned char h[VMF_FLAT_HEADER_SIZE] = "makedumpfile";

	be64(h + 16, 1);
	be64(h + 24, 1);
	memset(s, 0, sizeof(*s));
	add(s, h, sizeof(h));
}

/* A record: offset, size, then size bytes of `fill` (incremented per byte so order shows). */
static void record(struct stream *s, int64_t off, int64_t size, unsigned char fill)
{
	unsigned char h[16];
	int64_t i;

	be64(h, (uint64_t)off);
	be64(h + 8, (uint64_t)size);
	add(s, h, 16);
	for (i = 0; i < size; i++) {
		unsigned char c = (unsigned char)(fill + i % 7);
		add(s, &c, 1);
		if (off >= 0 && (size_t)(off + i) < (1u << 20)) {
			if ((size_t)(off + i) >= s->expect_len) {
				s->expect = realloc(s->expect, (size_t)(off + i) + 1);
				memset(s->expect + s->expect_len, 0, (size_t)(off + i) + 1 - s->expect_len);
				s->expect_len = (size_t)(off + i) + 1;
			}
			s->expect[off + i] = c;
		}
	}
}

static void end_marker(struct stream *s)
{
	unsigned char h[16];

	memset(h, 0xff, 16);
	add(s, h, 16);
}

static void write_stream(const struct stream *s, const char *path)
{
	FILE *f = fopen(path, "wb");

	fwrite(s->b, 1, s->n, f);
	fclose(f);
}

static int same_as_expected(int fd, const struct stream *s)
{
	struct stat st;
	unsigned char *got;
	int ok;

	if (fstat(fd, &st) != 0 || (size_t)st.st_size != s->expect_len)
		return 0;
	got = malloc(s->expect_len);
	ok = pread(fd, got, s->expect_len, 0) == (ssize_t)s->expect_len && !memcmp(got, s->expect, s->expect_len);
	free(got);
	return ok;
}

static int files_equal(const char *a, const char *b)
{
	char cmd[10000];

	if (snprintf(cmd, sizeof(cmd), "cmp -s '%s' '%s'", a, b) >= (int)sizeof(cmd))
		return 0;
	return system(cmd) == 0;
}

static void test_rearrange(const char *dir)
{
	struct stream s;
	struct vmf_flat_result r, r2;
	char path[256], cache[256], why[300], cmd[600];
	int fd;

	header(&s);
	record(&s, 0, 4096, 'A');
	record(&s, 8192, 100, 'B');
	record(&s, 4096, 50, 'C');
	record(&s, 10, 5, 'z');                 /* a later record overwrites an earlier one */
	end_marker(&s);
	add(&s, "trailing bytes of the disk after the stream", 43);
	snprintf(path, sizeof(path), "%s/stream.flat", dir);
	snprintf(cache, sizeof(cache), "%s/cache/sub", dir);
	write_stream(&s, path);
	fd = open(path, O_RDONLY);
	CHECK(vmf_flat_detect(fd) == 1);
	CHECK(vmf_flat_rearrange(path, fd, cache, &r, why, sizeof(why)) == 0);
	CHECK(r.fd >= 0 && r.reused == 0 && r.truncated == 0);
	CHECK_U64(r.records, 4);
	CHECK_U64(r.size, 8292);
	CHECK(strncmp(r.path, cache, strlen(cache)) == 0);
	CHECK(same_as_expected(r.fd, &s));
	close(r.fd);
	/* the same stream again: the cache's copy */
	CHECK(vmf_flat_rearrange(path, fd, cache, &r2, why, sizeof(why)) == 0);
	CHECK(r2.reused == 1 && r2.records == 0 && !strcmp(r2.path, r.path) && r2.size == 8292);
	CHECK(same_as_expected(r2.fd, &s));
	close(r2.fd);
	/* makedumpfile -R, when installed, writes the same bytes */
	if (access("/usr/sbin/makedumpfile", X_OK) == 0 || access("/usr/bin/makedumpfile", X_OK) == 0) {
		snprintf(cmd, sizeof(cmd), "makedumpfile -R '%s/mdf.dump' < '%s' >/dev/null 2>&1", dir, path);
		CHECK(system(cmd) == 0);
		snprintf(cmd, sizeof(cmd), "%s/mdf.dump", dir);
		CHECK(files_equal(cmd, r.path));
	} else {
		printf("note: makedumpfile not installed, -R comparison skipped\n");
	}
	close(fd);
	/* a changed stream (same path, new mtime) is rearranged anew */
	{
		struct timeval tv[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		utimes(path, tv);
	}
	fd = open(path, O_RDONLY);
	CHECK(vmf_flat_rearrange(path, fd, cache, &r2, why, sizeof(why)) == 0);
	CHECK(r2.reused == 0 && r2.records == 4 && strcmp(r2.path, r.path) != 0);
	close(r2.fd);
	/* in memory: the same bytes, no file */
	CHECK(vmf_flat_rearrange(path, fd, NULL, &r2, why, sizeof(why)) == 0);
	CHECK(r2.path[0] == 0 && r2.reused == 0 && same_as_expected(r2.fd, &s));
	close(r2.fd);
	close(fd);
	free(s.b);
	free(s.expect);
}

/* Holes stay holes: a record 64 MiB out allocates its own blocks, not the gap. */
static void test_sparse(const char *dir)
{
	struct stream s;
	struct vmf_flat_result r;
	char path[256], why[300];
	struct stat st;
	int fd;

	header(&s);
	record(&s, 0, 4096, 'H');
	record(&s, 64 << 20, 4096, 'T');
	end_marker(&s);
	snprintf(path, sizeof(path), "%s/sparse.flat", dir);
	write_stream(&s, path);
	fd = open(path, O_RDONLY);
	CHECK(vmf_flat_rearrange(path, fd, dir, &r, why, sizeof(why)) == 0);
	CHECK(fstat(r.fd, &st) == 0 && st.st_size == (64 << 20) + 4096);
	CHECK((uint64_t)st.st_blocks * 512 < (1u << 20));
	close(r.fd);
	close(fd);
	free(s.b);
	free(s.expect);
}

static void test_damaged(const char *dir)
{
	struct stream s;
	struct vmf_flat_result r;
	char path[256], why[300];
	int fd;

	/* no end marker: what the records gave, said to be truncated */
	header(&s);
	record(&s, 0, 100, 'a');
	record(&s, 100, 100, 'b');
	s.n -= 30;                              /* the stream stops inside the second record */
	snprintf(path, sizeof(path), "%s/trunc.flat", dir);
	write_stream(&s, path);
	fd = open(path, O_RDONLY);
	CHECK(vmf_flat_rearrange(path, fd, NULL, &r, why, sizeof(why)) == 0);
	CHECK(r.truncated == 1 && r.records == 2 && r.size == 170);
	close(r.fd);
	close(fd);
	free(s.b);
	free(s.expect);

	/* a negative offset that is not the end marker */
	header(&s);
	record(&s, 0, 10, 'a');
	record(&s, -5, 10, 'b');
	end_marker(&s);
	write_stream(&s, path);
	fd = open(path, O_RDONLY);
	CHECK(vmf_flat_rearrange(path, fd, NULL, &r, why, sizeof(why)) == -1);
	CHECK(strstr(why, "record 1 at byte 4122 has offset -5, size 10") != NULL);
	close(fd);
	free(s.b);
	free(s.expect);

	/* an offset far beyond what the stream could fill: refused, no 2^60-byte file */
	header(&s);
	record(&s, 1LL << 60, 10, 'a');
	end_marker(&s);
	write_stream(&s, path);
	fd = open(path, O_RDONLY);
	CHECK(vmf_flat_rearrange(path, fd, dir, &r, why, sizeof(why)) == -1);
	CHECK(strstr(why, "flattened dump damaged: record 0") != NULL);
	close(fd);
	free(s.b);
	free(s.expect);

	/* not a flattened stream at all */
	write_stream(&(struct stream){ (unsigned char *)"KDUMP   not flat", 16, 16, NULL, 0 }, path);
	fd = open(path, O_RDONLY);
	CHECK(vmf_flat_detect(fd) == 0);
	CHECK(vmf_flat_rearrange(path, fd, NULL, &r, why, sizeof(why)) == -1);
	CHECK_STR(why, "not a flattened dump (no makedumpfile flat header)");
	close(fd);
}

int main(void)
{
	char dir[] = "/tmp/vmf-test-flat.XXXXXX", cmd[128];

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_rearrange(dir);
	test_sparse(dir);
	test_damaged(dir);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		printf("note: could not remove %s\n", dir);
	return CHECK_DONE();
}
