/*
 * debuginfod.h - a dump's vmlinux from debuginfod servers, by its build-id,
 * through libdebuginfod (elfutils) and into that library's own cache
 * ($DEBUGINFOD_CACHE_PATH, else $XDG_CACHE_HOME/debuginfod_client), where gdb,
 * systemd-coredump and other clients find it too.
 */
#ifndef VMF_DEBUGINFOD_H
#define VMF_DEBUGINFOD_H

#include <stddef.h>

/* The servers to ask: url (--debuginfod) if given, else $DEBUGINFOD_URLS; NULL when neither names one. */
const char *vmf_debuginfod_urls(const char *url);

/*
 * The vmlinux with DWARF whose build-id is build_id (hex): 0 with its path in
 * the cache, or -1 with a one-line reason.  url as for vmf_debuginfod_urls().
 * The file is checked to be a kernel with that build-id before it is returned.
 */
int vmf_debuginfod_vmlinux(const char *url, const char *build_id, char *out, size_t len, char *why,
			   size_t wlen);

/* Release the client (its connections); the next fetch starts a new one. */
void vmf_debuginfod_end(void);

#endif
