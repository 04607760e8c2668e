/* shard.c - which of N shards an input path belongs to (see shard.h). */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "shard.h"

int vmf_shard_parse(const char *arg, unsigned *k, unsigned *n, char *why, size_t wlen)
{
	char *end;
	unsigned long kk, nn;

	errno = 0;
	kk = strtoul(arg, &end, 10);
	if (end == arg || *end != '/' || arg[0] == '-' || end[1] == '-')
		goto bad;
	nn = strtoul(end + 1, &end, 10);
	if (*end || errno)
		goto bad;
	if (nn < 1 || nn > VMF_SHARD_MAX || kk < 1 || kk > nn) {
		snprintf(why, wlen, "--shard %.40s: K/N needs 1 <= K <= N <= %d", arg, VMF_SHARD_MAX);
		return -1;
	}
	*k = (unsigned)kk;
	*n = (unsigned)nn;
	return 0;
bad:
	snprintf(why, wlen, "--shard %.40s: not K/N (for example 2/8)", arg);
	return -1;
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Jump consistent hash: a bucket in [0, n) that moves to a new bucket only when n grows past it. */
static unsigned jump(uint64_t key, unsigned n)
{
	int64_t b = -1, j = 0;

	while (j < (int64_t)n) {
		b = j;
		key = key * 2862933555777941757ULL + 1;
		j = (int64_t)((double)(b + 1) * ((double)(1LL << 31) / (double)((key >> 33) + 1)));
	}
	return (unsigned)b;
}

unsigned vmf_shard_of(const char *path, unsigned n)
{
	return n ? jump(fnv1a(path), n) + 1 : 1;
}
