/*
 * vmf_log.h - the kernel log read from the dump itself, as VMCOREINFO describes it.
 *
 * Two layouts, both located and measured by VMCOREINFO alone (no vmlinux):
 *  - the lockless printk ring buffer of Linux 5.10 and later (b6cf8b3f3312
 *    "printk: add lockless ringbuffer"; its VMCOREINFO entries from 896fbe20b4e2
 *    "printk: use the lockless ringbuffer"): SYMBOL(prb) and the SIZE/OFFSET of
 *    printk_ringbuffer, prb_desc_ring, prb_desc, prb_data_blk_lpos, printk_info,
 *    prb_data_ring and atomic_long_t;
 *  - the variable-length records of Linux 3.5 to 5.9 in log_buf: SYMBOL(log_buf,
 *    log_buf_len, log_first_idx, log_next_idx) and SIZE/OFFSET of printk_log
 *    (named "log" before 62e32ac3505a, v3.11).
 * The older plain character log_buf (before 3.5) is not read.
 *
 * The text is what crash 8.0.2's `log` command prints on the same dump, line for
 * line, because the oops parser reports line numbers: "[%5lu.%06lu] " before each
 * record, a newline inside a record followed by as many spaces as that prefix,
 * every byte that is neither printable nor space in the C locale as '.', and an
 * empty line for a record without data.  Records are taken as crash takes them:
 * ring buffer descriptors from tail to head that are committed or finalized;
 * log_buf records from log_first_idx to log_next_idx.
 *
 * A damaged log (a descriptor or index out of range, a data block whose ends
 * disagree, pages the dump lacks, a loop) gives the records that could be read
 * and a one-line reason; the walk is bounded by the ring's own size, so it
 * always ends.
 */
#ifndef VMF_LOG_H
#define VMF_LOG_H

#include <stddef.h>
#include <stdint.h>

#include "vmf_vmcoreinfo.h"

struct vmf_dump;

/* Kernel memory as the log reader sees it (the dump, or a test's synthetic memory). */
struct vmf_log_mem {
	void *ctx;
	unsigned word_size;     /* the kernel's unsigned long: 8 or 4 */
	int big_endian;
	/* 0 with all len bytes in buf, or nonzero with a one-line reason in why */
	int (*read_virt)(void *ctx, uint64_t vaddr, void *buf, size_t len, char *why, size_t whylen);
};

enum vmf_log_kind {
	VMF_LOG_NONE = 0,       /* no log layout in VMCOREINFO */
	VMF_LOG_PRB,            /* lockless ring buffer, 5.10+ */
	VMF_LOG_RECORDS,        /* printk_log records in log_buf, 3.5-5.9 */
};

enum vmf_log_status {
	VMF_LOG_COMPLETE = 0,   /* every record the layout holds was read */
	VMF_LOG_PARTIAL,        /* text holds what could be read; why says what was not */
	VMF_LOG_MISSING,        /* no text at all; why says why */
};

struct vmf_log {
	enum vmf_log_kind kind;
	char *text;             /* NUL-terminated, every line ends in '\n'; NULL when MISSING */
	size_t len;
	unsigned long records;  /* records printed */
	unsigned long skipped;  /* records that were there but could not be printed */
	char why[320];          /* PARTIAL or MISSING: one line */
};

/* Read the log: vi describes it, mem holds it.  Free log with vmf_log_free() whatever the status. */
enum vmf_log_status vmf_log_read(const struct vmf_vmcoreinfo *vi, const struct vmf_log_mem *mem,
				 struct vmf_log *log);
/* The same on an open dump (its VMCOREINFO, its virtual reads, its word size). */
enum vmf_log_status vmf_log_from_dump(struct vmf_dump *d, struct vmf_log *log);
void vmf_log_free(struct vmf_log *log);

/* "printk ring buffer (5.10+)", "log_buf records (3.5-5.9)", "none" */
const char *vmf_log_kind_name(enum vmf_log_kind kind);

#endif
