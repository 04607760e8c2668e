/*
 * vmlinux_index.h - find a dump's vmlinux by its build-id in directory trees.
 *
 * Each directory given is walked recursively, whatever its layout (DIR/vmlinux-REL,
 * unpacked -dbg packages DIR/REL/root/usr/lib/debug/boot/vmlinux-REL,
 * .build-id/xx/rest.debug trees).  A file is judged by its ELF header and its
 * section names, never by its name: a kernel is an ELF64 executable with a
 * .init.text section.  Its GNU build-id is read from the note alone, so judging
 * a 600 MB vmlinux costs a few kilobytes of reads.  What was learnt is cached in
 * a file keyed by path, size and mtime: a second batch over the same trees only
 * stats.  The walk is bounded: symlink loops are cut, and directories more than
 * VMLINUX_INDEX_DEPTH levels down are counted, not walked.
 */
#ifndef VMLINUX_INDEX_H
#define VMLINUX_INDEX_H

#include <stddef.h>

#define VMLINUX_INDEX_DEPTH 16          /* directory levels walked below a directory given */
#define VMLINUX_MIN_SIZE (1L << 20)     /* smaller files are no kernel: not even opened */
#define VMLINUX_BUILD_ID_HEX 129        /* a build-id of up to 64 bytes, in hex */
#define VMLINUX_INDEX_CACHE_MAX 65536   /* lines kept in the cache file */

/* What the ELF headers and notes of one file say. */
struct elf_kernel_id {
	int is_kernel;                     /* ELF64 ET_EXEC with a .init.text section */
	char build_id[VMLINUX_BUILD_ID_HEX]; /* GNU build-id in hex, "" if the file has none */
	char why[160];                     /* why it is not a kernel, or was not read */
	unsigned long bytes_read;          /* what judging it read */
};

/* 0 when the file is a readable ELF64 (kernel or not: see id->is_kernel), -1 otherwise (id->why). */
int elf_kernel_id_read(const char *path, struct elf_kernel_id *id);

/* How a walk went (summed over the directories given, or for one of them). */
struct vmlinux_index_stats {
	unsigned long files;               /* regular files of VMLINUX_MIN_SIZE or more */
	unsigned long kernels;             /* of which kernels (each file once, by device and inode) */
	unsigned long judged;              /* files whose headers were read in this run */
	unsigned long cached;              /* files whose verdict came from the cache */
	unsigned long bytes_read;          /* what the judged files cost */
	unsigned long loops;               /* directories reached again through symbolic links (loops, duplicates) */
	unsigned long too_deep;            /* directories below VMLINUX_INDEX_DEPTH, not walked */
};

struct vmlinux_index;

/* cache_file: the cache to read and to save to; NULL for none. */
struct vmlinux_index *vmlinux_index_new(const char *cache_file);
void vmlinux_index_free(struct vmlinux_index *ix);

/* A directory to search; walked on the first lookup that needs it. */
int vmlinux_index_add_dir(struct vmlinux_index *ix, const char *dir);

/*
 * The path of a kernel whose build-id is build_id (hex), or NULL.  The
 * .build-id/xx/rest.debug links under each directory are tried before the walk.
 */
const char *vmlinux_index_find(struct vmlinux_index *ix, const char *build_id);

/*
 * For a dump that names no build-id (kernels before v5.9, 0935288c6e00): a kernel
 * whose file is named vmlinux-RELEASE, or vmlinux in a directory named RELEASE.
 */
const char *vmlinux_index_find_release(struct vmlinux_index *ix, const char *release);

/* root/.build-id/xx/rest.debug when it is a kernel with that build-id (root: /usr/lib/debug, ...). */
int vmlinux_build_id_link(const char *root, const char *build_id, char *out, size_t len);

/* "DIR (N kernels in M files of 1 MiB or more[, ...])" for each directory, "; "-separated. */
void vmlinux_index_searched(const struct vmlinux_index *ix, char *buf, size_t len);
void vmlinux_index_stats(const struct vmlinux_index *ix, struct vmlinux_index_stats *st);

/* Write the cache (a new file renamed over the old one). 0, or -1 with why. */
int vmlinux_index_save(struct vmlinux_index *ix, char *why, size_t len);

/* The cache file: DIR/vmlinux-index, DIR the directory given, else $XDG_CACHE_HOME/vmfault, else ~/.cache/vmfault. */
int vmlinux_index_cache_path(const char *cache_dir, char *out, size_t len);

#endif
