/*
 * vmf_flat.c - rearrange a flattened dump (format and cache in vmf_flat.h).
 */
#include "vmf_flat.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define SIGNATURE "makedumpfile"
#define TYPE_FLAT_HEADER 1
#define COPY_CHUNK (1u << 20)

static uint64_t be64(const unsigned char *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static int read_at(int fd, void *buf, size_t len, off_t off)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(fd, (char *)buf + got, len - got, off + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

int vmf_flat_detect(int fd)
{
	unsigned char h[32];

	/* makedumpfile compares the whole 16-byte field as a string, then the type */
	if (read_at(fd, h, sizeof(h), 0) || memcmp(h, SIGNATURE, sizeof(SIGNATURE)) != 0)
		return 0;
	return be64(h + 16) == TYPE_FLAT_HEADER;
}

/* Copy len bytes from in@ioff to out@ooff: in the kernel when it can, else through a buffer. */
static int copy_range(int in, off_t ioff, int out, off_t ooff, uint64_t len, char *buf)
{
	while (len > 0) {
		loff_t i = ioff, o = ooff;
		ssize_t n = copy_file_range(in, &i, out, &o, len > COPY_CHUNK ? COPY_CHUNK : (size_t)len, 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* other filesystem (EXDEV), no support, or a short source: the plain way */
			size_t k = len > COPY_CHUNK ? COPY_CHUNK : (size_t)len;
			if (read_at(in, buf, k, ioff) || pwrite(out, buf, k, ooff) != (ssize_t)k)
				return -1;
			n = (ssize_t)k;
		}
		ioff += n;
		ooff += n;
		len -= (uint64_t)n;
	}
	return 0;
}

/*
 * The records of the stream in order, each written at its offset (a later
 * record overwrites an earlier one, as with makedumpfile -R).  max_end bounds
 * what a damaged offset could make the result grow to.
 */
static int copy_records(int in, uint64_t in_size, int out, uint64_t max_end,
			struct vmf_flat_result *r, char *why, size_t whylen)
{
	uint64_t pos = VMF_FLAT_HEADER_SIZE;
	char *buf = malloc(COPY_CHUNK);

	if (!buf) {
		snprintf(why, whylen, "flattened dump: out of memory");
		return -1;
	}
	for (;;) {
		unsigned char h[16];
		int64_t off, size;

		if (pos + sizeof(h) > in_size || read_at(in, h, sizeof(h), (off_t)pos)) {
			r->truncated = 1;   /* no end marker: keep what the records gave */
			break;
		}
		off = (int64_t)be64(h);
		size = (int64_t)be64(h + 8);
		if (off == -1 && size == -1)
			break;
		if (off < 0 || size <= 0 || (uint64_t)off > max_end || (uint64_t)size > max_end - (uint64_t)off) {
			snprintf(why, whylen, "flattened dump damaged: record %llu at byte %llu has offset %lld, size %lld",
				 (unsigned long long)r->records, (unsigned long long)pos, (long long)off,
				 (long long)size);
			free(buf);
			return -1;
		}
		pos += sizeof(h);
		if ((uint64_t)size > in_size - pos) {
			size = (int64_t)(in_size - pos);   /* the stream ends inside this record */
			r->truncated = 1;
		}
		if (size > 0 && copy_range(in, (off_t)pos, out, (off_t)off, (uint64_t)size, buf)) {
			snprintf(why, whylen, "flattened dump: copying record %llu: %s",
				 (unsigned long long)r->records, strerror(errno ? errno : EIO));
			free(buf);
			return -1;
		}
		r->records++;
		if ((uint64_t)off + (uint64_t)size > r->size)
			r->size = (uint64_t)off + (uint64_t)size;
		pos += (uint64_t)size;
		if (r->truncated)
			break;
	}
	free(buf);
	return 0;
}

/* FNV-1a: names the cache entry; the full key is checked against its .key file. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int mkdir_p(const char *dir)
{
	char tmp[4096];
	size_t i, n = strlen(dir);

	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, dir, n + 1);
	for (i = 1; i <= n; i++) {
		if (tmp[i] != '/' && tmp[i] != 0)
			continue;
		tmp[i] = 0;
		if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
			return -1;
		tmp[i] = i == n ? 0 : '/';
	}
	return 0;
}

/* The .key file holds the whole key, then the result's size and truncated flag. */
static int cache_reuse(const char *dump, const char *keyfile, const char *key, struct vmf_flat_result *r)
{
	char buf[8192];
	unsigned long long size;
	size_t kl = strlen(key);
	struct stat st;
	ssize_t got;
	int fd = open(keyfile, O_RDONLY), trunc;

	if (fd < 0)
		return -1;
	got = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (got <= 0)
		return -1;
	buf[got] = 0;
	if ((size_t)got <= kl || memcmp(buf, key, kl) != 0 || sscanf(buf + kl, "%llu %d", &size, &trunc) != 2)
		return -1;
	fd = open(dump, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || (unsigned long long)st.st_size != size) {
		close(fd);
		return -1;
	}
	r->fd = fd;
	r->size = size;
	r->truncated = trunc;
	r->reused = 1;
	return 0;
}

static int write_file(const char *path, const char *text)
{
	char tmp[4200];
	int fd;
	size_t n = strlen(text);

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof(tmp))
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	if (write(fd, text, n) != (ssize_t)n || close(fd) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* In memory: a memfd the caller reads like a file. */
static int rearrange_in_memory(int in, const struct stat *st, struct vmf_flat_result *r, char *why, size_t whylen)
{
	int out;

	if ((uint64_t)st->st_size > VMF_FLAT_MEM_MAX) {
		snprintf(why, whylen, "flattened dump of %llu MiB: rearranging it needs a cache directory "
			 "(memory is used only up to %llu MiB)", (unsigned long long)st->st_size >> 20,
			 VMF_FLAT_MEM_MAX >> 20);
		return -1;
	}
	out = memfd_create("vmf-flat", MFD_CLOEXEC);
	if (out < 0) {
		snprintf(why, whylen, "flattened dump: memfd_create: %s", strerror(errno));
		return -1;
	}
	if (copy_records(in, (uint64_t)st->st_size, out, VMF_FLAT_MEM_MAX, r, why, whylen)) {
		close(out);
		return -1;
	}
	r->fd = out;
	return 0;
}

/* Into the cache: written under a temporary name, renamed when complete, then its key. */
static int rearrange_to_cache(int in, const struct stat *st, const char *dump, const char *keyfile,
			      const char *key, struct vmf_flat_result *r, char *why, size_t whylen)
{
	char tmp[4200], line[64];
	/* a damaged offset must not make a file many times the stream's size */
	uint64_t max_end = 4 * (uint64_t)st->st_size + (1ULL << 30);
	int out;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", dump, (long)getpid()) >= (int)sizeof(tmp)) {
		snprintf(why, whylen, "flattened dump: cache path too long");
		return -1;
	}
	out = open(tmp, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		snprintf(why, whylen, "flattened dump: cannot create %s: %s", tmp, strerror(errno));
		return -1;
	}
	if (copy_records(in, (uint64_t)st->st_size, out, max_end, r, why, whylen)) {
		close(out);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, dump) != 0) {
		snprintf(why, whylen, "flattened dump: cannot rename %s: %s", tmp, strerror(errno));
		close(out);
		unlink(tmp);
		return -1;
	}
	snprintf(line, sizeof(line), "%llu %d\n", (unsigned long long)r->size, r->truncated);
	{
		size_t kl = strlen(key);
		char *text = malloc(kl + sizeof(line));
		if (text) {
			memcpy(text, key, kl);
			memcpy(text + kl, line, strlen(line) + 1);
			(void)write_file(keyfile, text);   /* without it the next open rearranges again */
			free(text);
		}
	}
	r->fd = out;
	return 0;
}

int vmf_flat_rearrange(const char *path, int fd, const char *cache_dir,
		       struct vmf_flat_result *r, char *why, size_t whylen)
{
	char real[PATH_MAX], key[PATH_MAX + 128], dump[4096], keyfile[4200];
	struct stat st;

	memset(r, 0, sizeof(*r));
	r->fd = -1;
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "flattened dump: fstat: %s", strerror(errno));
		return -1;
	}
	if (!vmf_flat_detect(fd)) {
		snprintf(why, whylen, "not a flattened dump (no makedumpfile flat header)");
		return -1;
	}
	if (!cache_dir)
		return rearrange_in_memory(fd, &st, r, why, whylen);
	if (!realpath(path, real))
		snprintf(real, sizeof(real), "%s", path);
	snprintf(key, sizeof(key), "%s\n%llu %llu %llu %lld.%09ld\n", real, (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino, (unsigned long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 st.st_mtim.tv_nsec);
	if (mkdir_p(cache_dir) != 0) {
		snprintf(why, whylen, "flattened dump: cannot create cache directory %s: %s", cache_dir,
			 strerror(errno));
		return -1;
	}
	if (snprintf(dump, sizeof(dump), "%s/flat-%016llx.dump", cache_dir,
		     (unsigned long long)fnv1a(key)) >= (int)sizeof(dump)) {
		snprintf(why, whylen, "flattened dump: cache directory name too long");
		return -1;
	}
	snprintf(keyfile, sizeof(keyfile), "%s.key", dump);
	snprintf(r->path, sizeof(r->path), "%s", dump);
	if (cache_reuse(dump, keyfile, key, r) == 0)
		return 0;
	return rearrange_to_cache(fd, &st, dump, keyfile, key, r, why, whylen);
}
