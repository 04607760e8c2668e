/*
 * vmfault_crash.h - between the two halves of the crash extension: the data
 * primitives over crash (vmfault_crash.c) and the commands (vmfault.c).
 */
#ifndef VMFAULT_CRASH_H
#define VMFAULT_CRASH_H

#include <stddef.h>
#include "vmf_kernel.h"

/* The engine's data front over crash: layout, reads, symbols, types, tasks, gdb. */
void vmf_crash_kernel(struct vmf_kernel *k);
/* crash's `log`, as text in a GETBUF buffer (FREEBUF it). */
char *vmf_crash_log(size_t *len);
/* crash's shared-buffer accounting: five buf_inuse counts, then mallocs - frees. */
void vmf_crash_buffer_use(long use[6]);

#endif
