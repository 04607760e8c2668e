/*
 * test_shard.c - cli/shard.c: K/N parsing, and that shares are stable (an
 * input's shard depends on its path alone), even, and move little when N grows.
 */
#include <stdio.h>
#include <string.h>
#include "check.h"
#include "../../cli/shard.h"

#define PATHS 20000

static void path_of(char *buf, size_t len, int i)
{
	snprintf(buf, len, "/srv/dumps/host-%d/%d-%02d-%02d/vmcore", i % 700, 2020 + i % 7, 1 + i % 12, 1 + i % 28);
	if (i >= 700 * 7)        /* beyond the combinations above: distinct names */
		snprintf(buf, len, "/srv/dumps/case-%d/console.log", i);
}

static void test_parse(void)
{
	unsigned k = 0, n = 0;
	char why[120];

	CHECK(vmf_shard_parse("1/1", &k, &n, why, sizeof(why)) == 0 && k == 1 && n == 1);
	CHECK(vmf_shard_parse("3/8", &k, &n, why, sizeof(why)) == 0 && k == 3 && n == 8);
	CHECK(vmf_shard_parse("65536/65536", &k, &n, why, sizeof(why)) == 0 && n == 65536);
	CHECK(vmf_shard_parse("0/4", &k, &n, why, sizeof(why)) == -1);
	CHECK_STR(why, "--shard 0/4: K/N needs 1 <= K <= N <= 65536");
	CHECK(vmf_shard_parse("5/4", &k, &n, why, sizeof(why)) == -1);
	CHECK(vmf_shard_parse("1/0", &k, &n, why, sizeof(why)) == -1);
	CHECK(vmf_shard_parse("1/65537", &k, &n, why, sizeof(why)) == -1);
	CHECK(vmf_shard_parse("2", &k, &n, why, sizeof(why)) == -1);
	CHECK_STR(why, "--shard 2: not K/N (for example 2/8)");
	CHECK(vmf_shard_parse("2/4x", &k, &n, why, sizeof(why)) == -1);
	CHECK(vmf_shard_parse("-1/4", &k, &n, why, sizeof(why)) == -1);
	CHECK(vmf_shard_parse("1/-4", &k, &n, why, sizeof(why)) == -1);
	CHECK(vmf_shard_parse("/4", &k, &n, why, sizeof(why)) == -1);
	CHECK(vmf_shard_parse("1/99999999999999999999", &k, &n, why, sizeof(why)) == -1);
}

/* every shard within 10% of the mean over 20,000 paths, for a few N */
static void test_even(void)
{
	static const unsigned ns[] = { 2, 3, 7, 16 };
	unsigned count[17], i, j, lo, hi;
	char p[200];

	for (j = 0; j < sizeof(ns) / sizeof(ns[0]); j++) {
		memset(count, 0, sizeof(count));
		for (i = 0; i < PATHS; i++) {
			path_of(p, sizeof(p), (int)i);
			count[vmf_shard_of(p, ns[j])]++;
		}
		lo = hi = count[1];
		for (i = 1; i <= ns[j]; i++) {
			lo = count[i] < lo ? count[i] : lo;
			hi = count[i] > hi ? count[i] : hi;
		}
		CHECK(count[0] == 0);
		CHECK(lo * 10 * ns[j] >= PATHS * 9 && hi * 10 * ns[j] <= PATHS * 11);
		printf("N=%u: shares %u..%u of %d\n", ns[j], lo, hi, PATHS);
	}
}

/* from N to N+1 shards, only inputs that go to the new shard move: about 1/(N+1) */
static void test_growth(void)
{
	unsigned n, i, moved, to_new;
	char p[200];

	for (n = 1; n <= 12; n++) {
		moved = to_new = 0;
		for (i = 0; i < PATHS; i++) {
			unsigned a, b;

			path_of(p, sizeof(p), (int)i);
			a = vmf_shard_of(p, n);
			b = vmf_shard_of(p, n + 1);
			moved += a != b;
			to_new += a != b && b == n + 1;
		}
		CHECK(moved == to_new);
		CHECK(moved * (n + 1) * 10 <= PATHS * 11 && moved * (n + 1) * 10 >= PATHS * 9);
	}
}

/*
 * Shards of one batch may run different builds (a fleet upgraded half-way): the
 * assignment is part of the interface, so these values must never change.  They
 * were computed apart from this code, by a Python transcription of FNV-1a 64 and
 * of the jump consistent hash as published (Lamping and Veach 2014, figure 1).
 */
static void test_pinned(void)
{
	CHECK_U64(vmf_shard_of("/srv/dumps/a/vmcore", 4), 3);
	CHECK_U64(vmf_shard_of("/srv/dumps/b/vmcore", 4), 1);
	CHECK_U64(vmf_shard_of("console.log", 8), 7);
	CHECK_U64(vmf_shard_of("", 8), 2);
	CHECK_U64(vmf_shard_of("anything", 1), 1);
}

int main(void)
{
	test_parse();
	test_even();
	test_growth();
	test_pinned();
	return CHECK_DONE();
}
