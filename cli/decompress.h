/*
 * decompress.h - whole-stream compressed files (a kdump-tools dump.<STAMP>.gz,
 * a SUSE vmlinux-<release>.xz, ...) read as the bytes they hold: gzip, bzip2,
 * xz, lz4 (frame format) and zstd, each through its own library, as one stream
 * of however many concatenated members or frames the file has.  A file is
 * recognised by its magic bytes, never by its name.
 */
#ifndef TRIAGE_DECOMPRESS_H
#define TRIAGE_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum compression { COMP_NONE = 0, COMP_GZIP, COMP_BZIP2, COMP_XZ, COMP_LZ4, COMP_ZSTD };

/* "gzip", "bzip2", "xz", "lz4", "zstd"; NULL for COMP_NONE */
const char *compression_name(enum compression c);

/* The compression of the file by its first bytes; COMP_NONE when none (or unreadable). */
enum compression compression_detect(const char *path);

/*
 * What the file will decompress to, as far as its container says without
 * decompressing: *exact = 1 with the size (xz: its index; zstd: every frame
 * declares its content size), *exact = 0 with a lower bound (gzip's ISIZE is
 * the size modulo 4 GiB; an lz4 frame may declare its own size), or 0 with
 * *size = 0 when nothing is declared (bzip2 never says).
 */
void compression_declared_size(const char *path, enum compression c, uint64_t *size, int *exact);

struct zreader;

/* A reader of the decompressed bytes; NULL with the reason in why. */
struct zreader *zreader_open(const char *path, enum compression c, char *why, size_t wlen);
/*
 * Up to len decompressed bytes into buf: their count, 0 at the end, -1 with
 * the reason in why (damaged data).  A file that ends inside a member or frame
 * ends the stream without an error: zreader_cut() then says so.
 */
ssize_t zreader_read(struct zreader *z, void *buf, size_t len, char *why, size_t wlen);
/* 1 when the compressed file ended before its stream did (a dump cut while it was written). */
int zreader_cut(const struct zreader *z);
void zreader_close(struct zreader *z);

/*
 * The first len decompressed bytes of path into buf (fewer when the stream is
 * shorter): their count, or -1 with the reason in why.
 */
ssize_t decompress_head(const char *path, enum compression c, void *buf, size_t len, char *why, size_t wlen);

#endif
