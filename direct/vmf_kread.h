/*
 * vmf_kread.h - the one thing the symbol, type and code readers of direct/ ask
 * of a dump: read kernel-virtual memory, or say why not.
 *
 * Every reader in direct/ works over this callback, so it is unit-tested on
 * synthetic buffers and does not care how the dump is opened (libkdumpfile,
 * a flattened stream rearranged, a live /proc/kcore).
 */
#ifndef VMF_KREAD_H
#define VMF_KREAD_H
#include <stddef.h>
#include <stdint.h>

/*
 * Read len bytes at kernel virtual address va into buf: 0 when every byte was
 * read, -1 otherwise with a one-line reason in why (e.g. "page 1f3000 excluded
 * from the dump").  A partial read is a failure: nothing here pads with zeros.
 */
typedef int (*vmf_read_virt_fn)(void *ctx, uint64_t va, void *buf, size_t len,
				char *why, size_t whylen);

struct vmf_kreader {
	void *ctx;
	vmf_read_virt_fn read_virt;
};

static inline int vmf_kread(const struct vmf_kreader *r, uint64_t va, void *buf, size_t len,
			    char *why, size_t whylen)
{
	return r->read_virt(r->ctx, va, buf, len, why, whylen);
}
#endif
