/*
 * vmf_btf.h - member offsets and type sizes from BTF (libbpf), from a vmlinux's
 * .BTF section or from the kernel's own copy in the dump (__start_BTF to
 * __stop_BTF), with a cache per build-id.
 *
 * A member the kernel lacks is -1, never a guess: the engine turns it into an
 * INCONCLUSIVE naming the member.
 */
#ifndef VMF_BTF_H
#define VMF_BTF_H
#include <stddef.h>
#include <stdint.h>
#include "vmf_kread.h"

struct vmf_btf {
	void *btf;             /* struct btf *, opaque to callers */
	char source[160];      /* "vmlinux .BTF", "dump 3359850 bytes at ffffffff821a317c", ... */
	int from_cache;        /* 1 when the bytes came from the build-id cache */
};

struct vmf_btf_member {
	long offset;           /* bytes from the start of the outer type; -1 for a bitfield off a byte */
	long bit_offset;       /* bits from the start of the outer type */
	int bitfield_bits;     /* 0 unless a bitfield */
	long size;             /* bytes of the member's type; -1 when it has none (flexible array) */
};

/* Parse BTF bytes (copied by libbpf); -1 with a one-line reason. */
int vmf_btf_from_buf(struct vmf_btf *b, const void *data, size_t size, const char *source,
		     char *why, size_t whylen);

/*
 * The kernel's BTF in the dump, [start, stop) being __start_BTF and __stop_BTF.
 * With cache_dir and build_id, the bytes are kept in cache_dir/btf-<build_id>
 * and read from there next time.  -1 with a one-line reason: unreadable pages
 * (the reader's reason), bad magic, a size out of reason, libbpf's refusal.
 */
int vmf_btf_from_dump(struct vmf_btf *b, const struct vmf_kreader *r, uint64_t start, uint64_t stop,
		      const char *cache_dir, const char *build_id, char *why, size_t whylen);

void vmf_btf_free(struct vmf_btf *b);

/*
 * type is a struct or union name ("task_struct"); path a member or a dotted
 * path ("core_layout.base").  Members of anonymous structs and unions are found
 * as the C compiler finds them ("page.lru", "page.pt_mm").  0 when found.
 */
int vmf_btf_member(const struct vmf_btf *b, const char *type, const char *path,
		   struct vmf_btf_member *m);

/* Byte offset of a member, -1 when absent (or a bitfield not on a byte). */
long vmf_btf_offset(const struct vmf_btf *b, const char *type, const char *path);

/* sizeof(struct type) (or union, or typedef), -1 when absent. */
long vmf_btf_size(const struct vmf_btf *b, const char *type);
#endif
