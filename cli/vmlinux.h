/*
 * vmlinux.h - the vmlinux a dump is read with: of the dump's release, and of
 * its build when the dump names its BUILD-ID.
 */
#ifndef TRIAGE_VMLINUX_H
#define TRIAGE_VMLINUX_H

#include <stddef.h>
#include "input.h"

struct vmlinux_dirs {
	const char **v;           /* --vmlinux-dir, in the order given */
	int n;
};

/*
 * Sets in->vmlinux to the first candidate for in->release (and in->build_id):
 * each --vmlinux-dir in its layouts, then next to the dump (vmlinux, or the
 * vmlinux-<release>[.gz|.xz|.bz2|.zst] SUSE's kdump copies there), then
 * /usr/lib/debug.  A compressed candidate's build-id is read from its
 * decompressed head.  -1 when none fits; mismatch then holds the first candidate
 * refused for its build-id, if any.
 */
int find_vmlinux(struct input *in, const struct vmlinux_dirs *dirs, char *mismatch, size_t mlen);

/* The GNU build-id note of an ELF64 little-endian vmlinux as hex, from its PT_NOTE segments (compressed or not). */
int vmlinux_build_id(const char *path, char *hex, size_t len);

#endif
