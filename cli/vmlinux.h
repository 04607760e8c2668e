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
	const char *debuginfod;   /* --debuginfod URL; NULL: $DEBUGINFOD_URLS, if set */
	const char *cache_dir;    /* --cache-dir: where the index of the dirs is cached */
};

/*
 * Sets in->vmlinux to a kernel with the dump's build-id (in->build_id): in each
 * --vmlinux-dir tree, beside the dump, under /usr/lib/debug, then from
 * debuginfod.  A dump whose VMCOREINFO names no build-id (kernels before v5.9,
 * 0935288c6e00) gets a kernel named for its release (vmlinux-RELEASE,
 * RELEASE/vmlinux) in the same places but debuginfod.  -1 when none fits, with
 * why: the candidate refused for another build-id, if any, and every place
 * searched.
 */
int find_vmlinux(struct input *in, const struct vmlinux_dirs *dirs, char *why, size_t wlen);

/* After the batch: the index of the --vmlinux-dir trees is saved to its cache, the debuginfod client ends. */
void vmlinux_lookup_end(void);

#endif
