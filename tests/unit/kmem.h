/*
 * kmem.h - a synthetic kernel-virtual memory behind direct/'s read callback
 * (vmf_kread.h): regions of bytes at chosen addresses, pages that read as
 * unreadable with a reason, and a count of the bytes read.
 */
#ifndef VMF_KMEM_H
#define VMF_KMEM_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_kread.h"

#define KMEM_REGIONS 16
#define KMEM_BAD 64
static struct { uint64_t va; size_t len; unsigned char *bytes; } kmem[KMEM_REGIONS];
static struct { uint64_t page; const char *why; } kmem_bad[KMEM_BAD];
static int nkmem, nkmem_bad;
static unsigned long long kmem_bytes_read;

static void kmem_reset(void)
{
	for (int i = 0; i < nkmem; i++)
		free(kmem[i].bytes);
	nkmem = nkmem_bad = 0;
	kmem_bytes_read = 0;
}

/* A zeroed region [va, va+len); its bytes to fill in. */
static unsigned char *kmem_map(uint64_t va, size_t len)
{
	if (nkmem == KMEM_REGIONS)
		return NULL;
	kmem[nkmem].va = va;
	kmem[nkmem].len = len;
	kmem[nkmem].bytes = calloc(1, len);
	return kmem[nkmem++].bytes;
}

static void kmem_unreadable(uint64_t va, const char *why)
{
	if (nkmem_bad < KMEM_BAD) {
		kmem_bad[nkmem_bad].page = va & ~0xfffULL;
		kmem_bad[nkmem_bad++].why = why;
	}
}

/* All of [va, va+len) inside one region and on readable pages, or a reason. */
static int kmem_read(void *ctx, uint64_t va, void *buf, size_t len, char *why, size_t whylen)
{
	(void)ctx;
	for (int b = 0; b < nkmem_bad; b++)
		if (kmem_bad[b].page < va + len && kmem_bad[b].page + 4096 > va) {
			snprintf(why, whylen, "%s", kmem_bad[b].why);
			return -1;
		}
	for (int i = 0; i < nkmem; i++)
		if (va >= kmem[i].va && va - kmem[i].va <= kmem[i].len && len <= kmem[i].len - (va - kmem[i].va)) {
			memcpy(buf, kmem[i].bytes + (va - kmem[i].va), len);
			kmem_bytes_read += len;
			return 0;
		}
	snprintf(why, whylen, "address %llx not in the synthetic memory", (unsigned long long)va);
	return -1;
}

static const struct vmf_kreader kmem_reader = { NULL, kmem_read };
#endif
