/*
 * synthmem.h - a sparse synthetic physical memory of 4 KiB pages behind the
 * engine's reader interface, with pages that can be marked unreadable.
 */
#ifndef VMF_SYNTHMEM_H
#define VMF_SYNTHMEM_H
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include "vmf_pt.h"

#define SYNTH_PAGES 256
static struct { uint64_t pa; unsigned char data[4096]; const char *why; } synth[SYNTH_PAGES];
static int nsynth;
static unsigned long synth_reads;

static void synth_reset(void) { nsynth = 0; synth_reads = 0; }

static unsigned char *synth_page(uint64_t pa)
{
	int i;
	for (i = 0; i < nsynth; i++)
		if (synth[i].pa == (pa & ~0xfffULL))
			return synth[i].data;
	if (nsynth == SYNTH_PAGES)
		return NULL;
	synth[nsynth].pa = pa & ~0xfffULL;
	synth[nsynth].why = NULL;
	memset(synth[nsynth].data, 0, 4096);
	return synth[nsynth++].data;
}

/* One entry: table physical address, index, value. */
struct synth_entry { uint64_t table; unsigned index; uint64_t value; };

static void synth_load(const struct synth_entry *e, int n)
{
	int i;
	for (i = 0; i < n; i++)
		memcpy(synth_page(e[i].table) + e[i].index * 8, &e[i].value, 8);
}

static inline void synth_unreadable(uint64_t pa, const char *why)
{
	int i;
	synth_page(pa);
	for (i = 0; i < nsynth; i++)
		if (synth[i].pa == (pa & ~0xfffULL))
			synth[i].why = why;
}

static int synth_read(void *ctx, uint64_t pa, void *buf, size_t len, char *why, size_t whylen)
{
	int i;
	(void)ctx;
	synth_reads++;
	for (i = 0; i < nsynth; i++) {
		if (synth[i].pa != (pa & ~0xfffULL))
			continue;
		if (synth[i].why) {
			snprintf(why, whylen, "%s", synth[i].why);
			return -1;
		}
		if ((pa & 0xfff) + len > 4096)
			break;
		memcpy(buf, synth[i].data + (pa & 0xfff), len);
		return 0;
	}
	snprintf(why, whylen, "physical address %llx not in the dump", (unsigned long long)pa);
	return -1;
}

static const struct vmf_reader synth_reader = { NULL, synth_read };
#endif
