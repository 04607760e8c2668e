/*
 * shard.h - `--shard K/N`: a stable share of a batch's inputs, so that an
 * existing scheduler (GNU parallel, a Slurm job array, a Kubernetes indexed Job)
 * runs N vmfault-triage processes over the same PATHs without a coordinator.
 *
 * An input's shard depends on its path alone (as found under the PATH arguments,
 * which every shard must be given alike): new inputs never move old ones, and
 * going from N to N+1 shards moves only about 1/(N+1) of them (jump consistent
 * hash, Lamping and Veach 2014, over FNV-1a of the path).
 */
#ifndef VMF_SHARD_H
#define VMF_SHARD_H

#include <stddef.h>

#define VMF_SHARD_MAX 65536

/* "K/N" with 1 <= K <= N <= VMF_SHARD_MAX: 0, or -1 with a one-line reason. */
int vmf_shard_parse(const char *arg, unsigned *k, unsigned *n, char *why, size_t wlen);

/* The shard (1..n) that path belongs to. */
unsigned vmf_shard_of(const char *path, unsigned n);

#endif
