/*
 * vmf_flat.h - makedumpfile's flattened format (makedumpfile -F, and what qemu's
 * dump-guest-memory -z writes) turned back into the dump it stands for.
 *
 * A flattened stream is a 4096-byte header ("makedumpfile" signature, type 1,
 * version 1, both big-endian) followed by records: a big-endian offset and size
 * (16 bytes), then that many bytes that belong at that offset of the real dump;
 * an offset and size of -1 end it.  libkdumpfile 0.5.1 cannot open such a stream
 * ("Unknown file format"; 0.5.3 can), so the records are written at their
 * offsets into a sparse file, as `makedumpfile -R` does: nothing but the records
 * is copied, and the result is byte for byte what makedumpfile -R writes.
 *
 * The result lives in a cache directory the caller names, keyed by the stream's
 * path, device, inode, size and mtime, and is reused when the same stream is
 * opened again; without a cache directory it is built in memory (memfd), for
 * streams up to VMF_FLAT_MEM_MAX.
 */
#ifndef VMF_FLAT_H
#define VMF_FLAT_H

#include <stddef.h>
#include <stdint.h>

#define VMF_FLAT_HEADER_SIZE 4096
/* In-memory rearrangement is refused above this (the memory stays resident while open). */
#define VMF_FLAT_MEM_MAX (256ULL << 20)

struct vmf_flat_result {
	int fd;             /* the rearranged dump, open read-only; the caller closes it */
	char path[4096];    /* its cache file, or "" when it is in memory */
	int reused;         /* 1: the cache already held this stream's rearrangement */
	int truncated;      /* 1: the stream ended before its end marker (a partial dump) */
	uint64_t records;   /* records copied (0 when reused) */
	uint64_t size;      /* size of the rearranged dump */
};

/* 1 if the file at fd begins with the flattened header, 0 if not. */
int vmf_flat_detect(int fd);

/*
 * Rearrange the flattened stream open at fd (path names it for the cache key).
 * cache_dir NULL: in memory.  Returns 0 and fills r, or -1 with a one-line
 * reason in why (damaged header or record, I/O error, too large for memory).
 */
int vmf_flat_rearrange(const char *path, int fd, const char *cache_dir,
		       struct vmf_flat_result *r, char *why, size_t whylen);

#endif
