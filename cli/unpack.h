/*
 * unpack.h - the decompressed copy of a compressed input (a dump, a vmlinux)
 * that crash reads, in the cache directory, with bounded disk use:
 *
 *   - before writing, the size the compressed container declares (decompress.h)
 *     plus the space kept free must be available, else the copy is refused
 *     with both numbers;
 *   - while writing (gzip and bzip2 never say how large they are), the copy
 *     stops, and is removed, as soon as the file system would keep less than
 *     the space kept free; runs of zero blocks are left as holes;
 *   - a copy lives while its job runs and is removed when its result is
 *     decided; under --resume a finished copy of the same file (path, size,
 *     mtime), left by a batch that was killed, is reused instead of decompressed
 *     again.  At most one copy per running job exists.
 */
#ifndef TRIAGE_UNPACK_H
#define TRIAGE_UNPACK_H

#include <stddef.h>
#include <stdint.h>
#include "decompress.h"

struct unpack_opts {
	const char *cache_dir;    /* --cache-dir DIR: DIR/unpacked; else $XDG_CACHE_HOME/vmfault/unpacked, else ~/.cache/... */
	uint64_t keep_free;       /* bytes the cache's file system keeps free (--keep-free MiB) */
	int reuse;                /* --resume: take a finished copy of the same file */
};

#define UNPACK_KEEP_FREE_DEFAULT_MIB 1024

struct unpacked {
	char path[4096];          /* the copy; "" when there is none */
	uint64_t size;            /* its size, holes included */
	int cut;                  /* the compressed file ended inside its stream */
	int reused;               /* an earlier run's copy */
};

/* The cache directory in use (created); NULL with the reason in why. */
const char *unpack_cache_dir(const struct unpack_opts *o, char *why, size_t wlen);

/*
 * Decompress src (of compression c) into the cache, or reuse its copy.  0 with u
 * filled; -1 with a one-line reason (the size needed and what is free when
 * space is short, the library's word on damaged data).
 */
int unpack(const char *src, enum compression c, const struct unpack_opts *o, struct unpacked *u, char *why,
	   size_t wlen);

/* Removes the copy (nothing when there is none). */
void unpack_remove(struct unpacked *u);

#endif
