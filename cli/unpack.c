/*
 * unpack.c - decompressed copies in the cache, their space and their names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>
#include "unpack.h"

#define COPY_CHUNK (1u << 20)
#define HOLE_BLOCK 4096u
/* free space is looked at again before every this many bytes written */
#define SPACE_CHECK_EVERY (64ull << 20)

static uint64_t fs_avail(const char *dir)
{
	struct statvfs v;

	if (statvfs(dir, &v) != 0)
		return 0;
	return (uint64_t)v.f_bavail * v.f_frsize;
}

static const char *mib(uint64_t bytes, char *buf, size_t len)
{
	snprintf(buf, len, "%.1f MiB", (double)bytes / (1 << 20));
	return buf;
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
		if (mkdir(tmp, 0700) != 0 && errno != EEXIST)
			return -1;
		tmp[i] = i == n ? 0 : '/';
	}
	return 0;
}

const char *unpack_cache_dir(const struct unpack_opts *o, char *why, size_t wlen)
{
	static char dir[4096];
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");

	if (o->cache_dir && o->cache_dir[0])
		snprintf(dir, sizeof(dir), "%s/unpacked", o->cache_dir);
	else if (xdg && xdg[0] == '/')
		snprintf(dir, sizeof(dir), "%s/vmfault/unpacked", xdg);
	else if (home && home[0])
		snprintf(dir, sizeof(dir), "%s/.cache/vmfault/unpacked", home);
	else {
		snprintf(why, wlen, "no cache directory for decompressed copies: give --cache-dir DIR");
		return NULL;
	}
	if (mkdir_p(dir) != 0) {
		snprintf(why, wlen, "cannot create the cache directory %s: %s", dir, strerror(errno));
		return NULL;
	}
	return dir;
}

/* FNV-1a of the source's identity: the same file, unchanged, has the same copy. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int copy_name(const char *src, const struct stat *st, const char *dir, char *out, size_t len)
{
	char real[PATH_MAX], key[PATH_MAX + 128];
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;

	if (!realpath(src, real))
		snprintf(real, sizeof(real), "%s", src);
	snprintf(key, sizeof(key), "%s|%llu|%llu|%lld|%lld.%09ld", real, (unsigned long long)st->st_dev,
		 (unsigned long long)st->st_ino, (long long)st->st_size, (long long)st->st_mtim.tv_sec,
		 st->st_mtim.tv_nsec);
	return snprintf(out, len, "%s/%016llx-%.80s", dir, (unsigned long long)fnv1a(key), base) < (int)len ? 0 : -1;
}

/* Partial copies whose writer is gone (a killed batch) are removed. */
static void sweep_parts(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		const char *p = strstr(e->d_name, ".part.");
		char path[4400];
		long pid;

		int writer_gone;

		if (!p || (pid = strtol(p + 6, NULL, 10)) <= 0)
			continue;
		writer_gone = kill((pid_t)pid, 0) != 0 && errno == ESRCH;
		if (!writer_gone)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
}

static int all_zero(const unsigned char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

/* The buffer at off: zero blocks stay holes. */
static int write_sparse(int fd, const unsigned char *b, size_t n, uint64_t off)
{
	size_t i, k;

	for (i = 0; i < n; i += k) {
		k = n - i < HOLE_BLOCK ? n - i : HOLE_BLOCK;
		if (!all_zero(b + i, k) && pwrite(fd, b + i, k, (off_t)(off + i)) != (ssize_t)k)
			return -1;
	}
	return 0;
}

struct copy_job {
	const char *src, *dir;
	enum compression c;
	uint64_t keep_free;
};

/* Decompress into fd; stops with the reason when the file system would keep less than keep_free. */
static int write_copy(const struct copy_job *j, int fd, struct unpacked *u, char *why, size_t wlen)
{
	unsigned char *buf = malloc(COPY_CHUNK);
	struct zreader *z = buf ? zreader_open(j->src, j->c, why, wlen) : NULL;
	uint64_t total = 0, next_check = 0;
	char a[32], b[32], c[32];
	ssize_t n = 0;

	if (!z) {
		if (!buf)
			snprintf(why, wlen, "out of memory");
		free(buf);
		return -1;
	}
	while ((n = zreader_read(z, buf, COPY_CHUNK, why, wlen)) > 0) {
		if (total >= next_check) {
			uint64_t avail = fs_avail(j->dir);
			if (avail < j->keep_free + SPACE_CHECK_EVERY) {
				snprintf(why, wlen, "decompressing stopped after %s: %s has %s available and keeps %s free "
					 "(--keep-free); the %s container does not say how much it needs", mib(total, a, 32),
					 j->dir, mib(avail, b, 32), mib(j->keep_free, c, 32), compression_name(j->c));
				n = -1;
				break;
			}
			next_check = total + SPACE_CHECK_EVERY;
		}
		if (write_sparse(fd, buf, (size_t)n, total) != 0) {
			snprintf(why, wlen, "writing the decompressed copy: %s", strerror(errno));
			n = -1;
			break;
		}
		total += (uint64_t)n;
	}
	u->cut = zreader_cut(z);
	zreader_close(z);
	free(buf);
	if (n < 0)
		return -1;
	u->size = total;
	/* trailing zero blocks are holes too: the file still has its whole length */
	if (ftruncate(fd, (off_t)total) != 0) {
		snprintf(why, wlen, "writing the decompressed copy: %s", strerror(errno));
		return -1;
	}
	return 0;
}

/* Refused before writing when the container declares more than the space there is. */
static int space_for(const struct copy_job *j, char *why, size_t wlen)
{
	uint64_t size, avail = fs_avail(j->dir);
	char a[32], b[32], c[32];
	int exact;

	compression_declared_size(j->src, j->c, &size, &exact);
	if (!size || size + j->keep_free <= avail)
		return 0;
	snprintf(why, wlen, "decompressing needs %s%s (%s) in %s: %s available, %s kept free (--keep-free)",
		 exact ? "" : "at least ", mib(size, a, 32),
		 exact ? (j->c == COMP_XZ ? "the xz index says" : "its zstd frames say")
		       : (j->c == COMP_GZIP ? "gzip's ISIZE, the size modulo 4 GiB" : "its first lz4 frame says"),
		 j->dir, mib(avail, b, 32), mib(j->keep_free, c, 32));
	return -1;
}

static int reuse_copy(const char *final, const char *cutname, struct unpacked *u)
{
	struct stat st;

	if (stat(final, &st) == 0 && S_ISREG(st.st_mode))
		snprintf(u->path, sizeof(u->path), "%s", final);
	else if (stat(cutname, &st) == 0 && S_ISREG(st.st_mode)) {
		snprintf(u->path, sizeof(u->path), "%s", cutname);
		u->cut = 1;
	} else
		return -1;
	u->size = (uint64_t)st.st_size;
	u->reused = 1;
	return 0;
}

int unpack(const char *src, enum compression c, const struct unpack_opts *o, struct unpacked *u, char *why,
	   size_t wlen)
{
	char final[4000], cutname[4096], part[4096];
	struct copy_job j = { src, NULL, c, o->keep_free };
	struct stat st;
	int fd, ret;

	memset(u, 0, sizeof(*u));
	if (stat(src, &st) != 0) {
		snprintf(why, wlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (!(j.dir = unpack_cache_dir(o, why, wlen)))
		return -1;
	if (copy_name(src, &st, j.dir, final, sizeof(final)) != 0) {
		snprintf(why, wlen, "cache path too long");
		return -1;
	}
	snprintf(cutname, sizeof(cutname), "%s.cut", final);
	if (o->reuse && reuse_copy(final, cutname, u) == 0)
		return 0;
	unlink(final);
	unlink(cutname);
	sweep_parts(j.dir);
	if (space_for(&j, why, wlen) != 0)
		return -1;
	snprintf(part, sizeof(part), "%s.part.%ld", final, (long)getpid());
	fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(why, wlen, "cannot write in %s: %s", j.dir, strerror(errno));
		return -1;
	}
	ret = write_copy(&j, fd, u, why, wlen);
	if (close(fd) != 0 && ret == 0) {
		snprintf(why, wlen, "writing the decompressed copy: %s", strerror(errno));
		ret = -1;
	}
	/* only a finished copy gets its name: a killed batch leaves a .part the next one sweeps */
	snprintf(u->path, sizeof(u->path), "%s", u->cut ? cutname : final);
	if (ret != 0 || rename(part, u->path) != 0) {
		if (ret == 0)
			snprintf(why, wlen, "cannot name the decompressed copy: %s", strerror(errno));
		unlink(part);
		u->path[0] = 0;
		return -1;
	}
	return 0;
}

void unpack_remove(struct unpacked *u)
{
	if (u->path[0])
		unlink(u->path);
	u->path[0] = 0;
}
