/*
 * vmf_direct.h - the direct engine's data front: a struct vmf_kernel (the
 * engine's primitives, src/vmf_kernel.h) built from a dump and, when one is at
 * hand, its vmlinux, without crash.  It supplies what the crash glue
 * (extensions/vmfault_crash.c) supplies, read the way crash 8.0.2 reads it,
 * so that vmf_diagnose() gives the same report through either front.
 *
 * Tiers (issue 13), from the best the inputs allow; each fall says why:
 *   1  vmlinux: its ELF symbols relocated by KERNELOFFSET, its .BTF
 *   2  no vmlinux: kallsyms decoded from the dump (VMCOREINFO's locations on
 *      6.0+, located in the image before), BTF read from the dump
 *   3  no symbols: VMCOREINFO alone (init_top_pgt, vmap_area_list, page.lru,
 *      the layout); the engine walks init_mm and the oops' CR3 and leaves
 *      what needs the process list UNKNOWN
 *   4  not even VMCOREINFO: vmf_direct_open fails and the caller diagnoses
 *      the text of the log (vmcore-dmesg.txt), as before
 */
#ifndef VMF_DIRECT_H
#define VMF_DIRECT_H

#include <stddef.h>
#include "vmf_kernel.h"

enum vmf_direct_tier {
	VMF_TIER_VMLINUX = 1,
	VMF_TIER_DUMP = 2,
	VMF_TIER_VMCOREINFO = 3,
	VMF_TIER_TEXT = 4,
};

struct vmf_direct_opts {
	const char *vmlinux;       /* NULL: none at hand (tier 2 at best) */
	const char *cache_dir;     /* flattened dumps rearranged, BTF and kallsyms per build-id; NULL: none */
	int first_tier;            /* 0 or 1: the best; 2 ignores the vmlinux, 3 withholds symbols and BTF (tests) */
};

struct vmf_direct;

/*
 * Open the dump and set up the best tier.  Returns 0 with *out at tier 1-3, or
 * -1 with the one-line reason in why: the dump cannot be read, it has no
 * VMCOREINFO (tier 4: the caller's text fallback), or it is not x86_64.
 * tier4 is set to 1 when the text of the log is the way left.
 */
int vmf_direct_open(struct vmf_direct **out, const char *dump, const struct vmf_direct_opts *o,
		    int *tier4, char *why, size_t whylen);
void vmf_direct_close(struct vmf_direct *d);

/* The engine's primitives over the dump (valid until close). */
const struct vmf_kernel *vmf_direct_kernel(const struct vmf_direct *d);

enum vmf_direct_tier vmf_direct_tier(const struct vmf_direct *d);
/* "vmlinux (ELF symbols, its .BTF)", ...: what the tier read, for the output. */
const char *vmf_direct_tier_what(const struct vmf_direct *d);
/* Why the better tiers were not reached ("" at tier 1): "no vmlinux given; ..." */
const char *vmf_direct_falls(const struct vmf_direct *d);

/*
 * The kernel log read from the dump (crash's `log` text): 0 with a pointer
 * valid until close, or -1 with why.  source names where it came from.
 */
int vmf_direct_log(struct vmf_direct *d, const char **text, size_t *len, char *source, size_t srclen,
		   char *why, size_t whylen);

/* Why the log read from the dump is incomplete, or "" (after vmf_direct_log). */
const char *vmf_direct_log_note(const struct vmf_direct *d);

/* VMCOREINFO's OSRELEASE and BUILD-ID ("" when absent). */
const char *vmf_direct_release(const struct vmf_direct *d);
const char *vmf_direct_build_id(const struct vmf_direct *d);
/* How the dump was opened: "kdump-compressed (zlib)", "; rearranged from a flattened stream ..." */
const char *vmf_direct_format(const struct vmf_direct *d);

#endif
