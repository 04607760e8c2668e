/*
 * vmf_dump.h - a vmcore read directly, without crash: open, VMCOREINFO, memory.
 *
 * Dump access is libkdumpfile's (0.5.1 on bookworm): ELF and kdump-compressed
 * dumps (zlib, lzo, snappy, zstd as the library was built), with its own
 * virtual-to-physical translation set up from VMCOREINFO alone (init_top_pgt,
 * pgtable_l5_enabled, phys_base; KASLR found from the page tables).  Flattened
 * dumps (makedumpfile -F, qemu's dump-guest-memory -z), which 0.5.1 cannot open,
 * are rearranged first (vmf_flat.h) and the result says so.
 *
 * Every call returns a status; when it is not VMF_DUMP_OK, vmf_dump_err() holds
 * a one-line reason until the next call on the same dump (libaddrxlat's way).
 * Memory the dump does not hold is VMF_DUMP_UNREADABLE, never zeros: a page
 * makedumpfile excluded reads "page <paddr> excluded from the dump (makedumpfile
 * -d)", an address beyond what the dump holds "physical address <paddr> not in
 * the dump" (the wording of the crash glue).
 *
 * DAMAGED DUMPS: libkdumpfile 0.5.1 itself can fault on a damaged header (it
 * crashes in kdump_free() after rejecting a bare "KDUMP   " header).  A caller
 * that must outlive a bad dump (a batch of many dumps) calls vmf_dump_probe()
 * first, which opens the dump in a child process and reports a crash there as a
 * reason, or does all of its work on one dump in a child of its own.  What this
 * library reads itself (its own header checks, VMCOREINFO, the flattened
 * records) is bounded: a damaged size or offset gives a reason, not a crash.
 *
 * Not thread-safe: one dump, one thread at a time.
 */
#ifndef VMF_DUMP_H
#define VMF_DUMP_H

#include <stddef.h>
#include <stdint.h>

#include "vmf_vmcoreinfo.h"

struct vmf_dump;

enum vmf_dump_status {
	VMF_DUMP_OK = 0,
	VMF_DUMP_UNREADABLE,   /* memory the dump does not hold, or an address without a translation */
	VMF_DUMP_NOKEY,        /* VMCOREINFO (or the dump) has no such key */
	VMF_DUMP_BADVALUE,     /* the key is there, its value does not parse */
	VMF_DUMP_ERROR,        /* cannot open, not a dump, damaged, I/O error, out of memory */
};

struct vmf_dump_opts {
	/* Where flattened dumps are rearranged and reused; NULL: in memory (small streams only). */
	const char *cache_dir;
};

/* A dump object to open; NULL only when out of memory.  Free it with vmf_dump_free(). */
struct vmf_dump *vmf_dump_new(void);
void vmf_dump_free(struct vmf_dump *d);
/* The reason of the last call that did not return VMF_DUMP_OK ("" after a success). */
const char *vmf_dump_err(const struct vmf_dump *d);

/* Open the dump at path (once per object).  opts may be NULL. */
enum vmf_dump_status vmf_dump_open(struct vmf_dump *d, const char *path, const struct vmf_dump_opts *opts);

/*
 * Open path in a child process and report the outcome: VMF_DUMP_OK, or the
 * status with its reason in why (a crash of libkdumpfile included).  With a
 * cache directory the child's rearrangement of a flattened dump is kept and
 * reused by the caller's own open.
 */
enum vmf_dump_status vmf_dump_probe(const char *path, const struct vmf_dump_opts *opts, char *why, size_t whylen);

/* ---- what was opened ------------------------------------------------------- */

/* "ELF", "kdump-compressed (zlib)", "kdump-compressed (zstd)", ... */
const char *vmf_dump_format(const struct vmf_dump *d);
/* libkdumpfile's architecture name ("x86_64"), or "" if it could not tell. */
const char *vmf_dump_arch(const struct vmf_dump *d);

struct vmf_dump_rearranged {
	int rearranged;        /* 1: the file was a flattened stream */
	int reused;            /* 1: an earlier rearrangement of the same stream was reused */
	int truncated;         /* 1: the stream stopped before its end marker */
	const char *where;     /* the cache file, or "memory" */
	uint64_t records;      /* records copied (0 when reused) */
	uint64_t size;         /* size of the rearranged dump */
};
/* How the file became a dump libkdumpfile could open (all zero if it was one already). */
const struct vmf_dump_rearranged *vmf_dump_rearranged(const struct vmf_dump *d);

/* ---- VMCOREINFO ---------------------------------------------------------------- */

/* The raw text (NUL-terminated; len without the NUL), or NULL and VMF_DUMP_NOKEY. */
enum vmf_dump_status vmf_dump_vmcoreinfo(struct vmf_dump *d, const struct vmf_vmcoreinfo **vi);

/* Lookups as in vmf_vmcoreinfo.h, with the dump's status and reason. */
enum vmf_dump_status vmf_dump_vi_string(struct vmf_dump *d, const char *key, char *out, size_t outlen);
enum vmf_dump_status vmf_dump_vi_symbol(struct vmf_dump *d, const char *name, uint64_t *val);
enum vmf_dump_status vmf_dump_vi_number(struct vmf_dump *d, const char *name, int64_t *val);
enum vmf_dump_status vmf_dump_vi_offset(struct vmf_dump *d, const char *type_member, uint64_t *val);
enum vmf_dump_status vmf_dump_vi_size(struct vmf_dump *d, const char *type, uint64_t *val);
enum vmf_dump_status vmf_dump_vi_length(struct vmf_dump *d, const char *name, uint64_t *val);
/* KERNELOFFSET (hexadecimal); PAGESIZE (decimal). */
enum vmf_dump_status vmf_dump_vi_hex(struct vmf_dump *d, const char *key, uint64_t *val);
enum vmf_dump_status vmf_dump_vi_udec(struct vmf_dump *d, const char *key, uint64_t *val);

/* ---- memory ---------------------------------------------------------------------- */

/* Page size and pointer size of the dumped machine; byte order (1: big-endian). */
uint64_t vmf_dump_page_size(const struct vmf_dump *d);
unsigned vmf_dump_ptr_size(const struct vmf_dump *d);
int vmf_dump_big_endian(const struct vmf_dump *d);

/* All len bytes or a status: VMF_DUMP_UNREADABLE names the first address that failed. */
enum vmf_dump_status vmf_dump_read_phys(struct vmf_dump *d, uint64_t paddr, void *buf, size_t len);
enum vmf_dump_status vmf_dump_read_virt(struct vmf_dump *d, uint64_t vaddr, void *buf, size_t len);
/* Kernel virtual to physical through libkdumpfile's translation. */
enum vmf_dump_status vmf_dump_virt_to_phys(struct vmf_dump *d, uint64_t vaddr, uint64_t *paddr);

#endif
