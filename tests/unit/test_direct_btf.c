/*
 * test_direct_btf.c - member offsets and sizes from BTF (direct/vmf_btf.c) on
 * BTF built here with libbpf: anonymous unions and structs as struct page has
 * them, dotted paths, bitfields, absent members; BTF read from synthetic dump
 * memory, with unreadable pages, bad magic and the build-id cache.
 */
#include <bpf/btf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "kmem.h"
#include "vmf_btf.h"

/*
 * struct list_head { struct list_head *next, *prev; };
 * struct page { unsigned long flags;
 *               union { struct { struct list_head lru; void *mapping; };
 *                       struct { unsigned long _pt_pad_1; void *pmd_huge_pte; unsigned long _pt_pad_2;
 *                                union { struct mm_struct *pt_mm; int pt_frag_refcount; }; }; };
 *               int _refcount; };                                   (64 bytes)
 * struct layout { void *base; unsigned int size, text_size; };
 * struct module { int state; struct list_head list; struct layout core_layout; };
 * typedef struct layout layout_t;
 * struct info { unsigned long seq; u8 level:3, flags:5; };
 */
static const void *make_btf(uint32_t *size, struct btf **keep)
{
	struct btf *b = btf__new_empty();
	int ul = btf__add_int(b, "unsigned long", 8, 0), in = btf__add_int(b, "int", 4, BTF_INT_SIGNED);
	int u8 = btf__add_int(b, "u8", 1, 0), ui = btf__add_int(b, "unsigned int", 4, 0);
	int plh = btf__add_ptr(b, (int)btf__type_cnt(b) + 1), lh = btf__add_struct(b, "list_head", 16);
	int s1, s2, u1, u2, lay, layt, pv, mm, pmm;

	btf__add_field(b, "next", plh, 0, 0);   /* fields go to the last type added */
	btf__add_field(b, "prev", plh, 64, 0);
	pv = btf__add_ptr(b, 0);
	mm = btf__add_fwd(b, "mm_struct", BTF_FWD_STRUCT);
	pmm = btf__add_ptr(b, mm);
	u2 = btf__add_union(b, NULL, 8);
	btf__add_field(b, "pt_mm", pmm, 0, 0);
	btf__add_field(b, "pt_frag_refcount", in, 0, 0);
	s1 = btf__add_struct(b, NULL, 24);
	btf__add_field(b, "lru", lh, 0, 0);
	btf__add_field(b, "mapping", pv, 128, 0);
	s2 = btf__add_struct(b, NULL, 32);
	btf__add_field(b, "_pt_pad_1", ul, 0, 0);
	btf__add_field(b, "pmd_huge_pte", pv, 64, 0);
	btf__add_field(b, "_pt_pad_2", ul, 128, 0);
	btf__add_field(b, NULL, u2, 192, 0);
	u1 = btf__add_union(b, NULL, 40);
	btf__add_field(b, NULL, s1, 0, 0);
	btf__add_field(b, NULL, s2, 0, 0);
	btf__add_struct(b, "page", 64);
	btf__add_field(b, "flags", ul, 0, 0);
	btf__add_field(b, NULL, u1, 64, 0);
	btf__add_field(b, "_refcount", in, 416, 0);
	lay = btf__add_struct(b, "layout", 16);
	btf__add_field(b, "base", pv, 0, 0);
	btf__add_field(b, "size", ui, 64, 0);
	btf__add_field(b, "text_size", ui, 96, 0);
	layt = btf__add_typedef(b, "layout_t", lay);
	btf__add_struct(b, "module", 48);
	btf__add_field(b, "state", in, 0, 0);
	btf__add_field(b, "list", lh, 64, 0);
	btf__add_field(b, "core_layout", layt, 192, 0);
	btf__add_struct(b, "info", 16);
	btf__add_field(b, "seq", ul, 0, 0);
	btf__add_field(b, "level", u8, 64, 3);
	btf__add_field(b, "flags", u8, 67, 5);
	*keep = b;
	return btf__raw_data(b, size);
}

static void test_offsets(const struct vmf_btf *b)
{
	struct vmf_btf_member m;

	CHECK(vmf_btf_offset(b, "page", "flags") == 0);
	CHECK(vmf_btf_offset(b, "page", "lru") == 8);          /* in an anonymous struct in an anonymous union */
	CHECK(vmf_btf_offset(b, "page", "mapping") == 24);
	CHECK(vmf_btf_offset(b, "page", "pt_mm") == 32);       /* three anonymous levels down */
	CHECK(vmf_btf_offset(b, "page", "_refcount") == 52);
	CHECK(vmf_btf_size(b, "page") == 64);
	CHECK(vmf_btf_offset(b, "page", "pt_frag") == -1);     /* a prefix is not a member */
	CHECK(vmf_btf_offset(b, "page", "compound_head") == -1);
	CHECK(vmf_btf_offset(b, "no_such_struct", "x") == -1);
	CHECK(vmf_btf_size(b, "no_such_struct") == -1);
	CHECK(vmf_btf_offset(b, "module", "core_layout.base") == 24);   /* through a typedef */
	CHECK(vmf_btf_offset(b, "module", "core_layout.text_size") == 36);
	CHECK(vmf_btf_offset(b, "module", "core_layout.nope") == -1);
	CHECK(vmf_btf_offset(b, "module", "list.prev") == 16);
	CHECK(vmf_btf_member(b, "module", "core_layout", &m) == 0 && m.size == 16 && m.offset == 24);
	CHECK(vmf_btf_member(b, "info", "level", &m) == 0 && m.bitfield_bits == 3 && m.bit_offset == 64 && m.offset == 8);
	CHECK(vmf_btf_member(b, "info", "flags", &m) == 0 && m.bitfield_bits == 5 && m.bit_offset == 67 && m.offset == -1);
	CHECK(vmf_btf_offset(b, "info", "flags") == -1);       /* not on a byte: no byte offset to give */
	CHECK(vmf_btf_size(b, "layout_t") == 16);
}

#define BTF_VA 0xffffffff821a317cULL

static void test_from_dump(const void *raw, uint32_t size)
{
	struct vmf_btf b;
	char dir[] = "/tmp/vmf-btf-XXXXXX", path[300], why[300] = "";
	unsigned char *mem;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/btf-feedc0de", dir);
	kmem_reset();
	mem = kmem_map(BTF_VA, size);
	memcpy(mem, raw, size);
	CHECK(vmf_btf_from_dump(&b, &kmem_reader, BTF_VA, BTF_VA + size, dir, "feedc0de", why, sizeof(why)) == 0);
	CHECK(!b.from_cache && strstr(b.source, "ffffffff821a317c") != NULL);
	CHECK(vmf_btf_offset(&b, "page", "pt_mm") == 32);
	CHECK(access(path, R_OK) == 0);
	vmf_btf_free(&b);

	/* the second dump of the build: from the cache, even where the dump lacks the pages */
	kmem_unreadable(BTF_VA + 0x100, "page 21a3000 excluded from the dump (makedumpfile -d)");
	CHECK(vmf_btf_from_dump(&b, &kmem_reader, BTF_VA, BTF_VA + size, dir, "feedc0de", why, sizeof(why)) == 0);
	CHECK(b.from_cache == 1 && vmf_btf_offset(&b, "page", "lru") == 8);
	vmf_btf_free(&b);

	/* no cache: excluded pages are the reason, in one line */
	CHECK(vmf_btf_from_dump(&b, &kmem_reader, BTF_VA, BTF_VA + size, NULL, NULL, why, sizeof(why)) == -1);
	CHECK(strstr(why, "BTF unreadable at ffffffff821a317c") && strstr(why, "excluded from the dump"));
	CHECK(strchr(why, '\n') == NULL);

	/* a damaged cache entry is dropped and read again from the dump */
	nkmem_bad = 0;
	if ((f = fopen(path, "w"))) {
		fputs("not BTF at all, but long enough to have a header", f);
		fclose(f);
	}
	CHECK(vmf_btf_from_dump(&b, &kmem_reader, BTF_VA, BTF_VA + size, dir, "feedc0de", why, sizeof(why)) == 0);
	CHECK(!b.from_cache && vmf_btf_offset(&b, "module", "list") == 8);
	vmf_btf_free(&b);

	/* not BTF where __start_BTF points: the magic says so */
	mem[0] = 0;
	mem[1] = 0;
	CHECK(vmf_btf_from_dump(&b, &kmem_reader, BTF_VA, BTF_VA + size, NULL, NULL, why, sizeof(why)) == -1);
	CHECK(strstr(why, "magic 0000, not 9feb") != NULL);
	CHECK(vmf_btf_from_dump(&b, &kmem_reader, 0, 0, NULL, NULL, why, sizeof(why)) == -1);
	CHECK(strstr(why, "no BTF in the dump") && strstr(why, "CONFIG_DEBUG_INFO_BTF"));
	CHECK(vmf_btf_from_dump(&b, &kmem_reader, BTF_VA + 64, BTF_VA, NULL, NULL, why, sizeof(why)) == -1);
	CHECK(strstr(why, "out of reason") != NULL);
	unlink(path);
	rmdir(dir);
}

static void test_bad_buffers(const void *raw, uint32_t size)
{
	struct vmf_btf b;
	char why[300] = "", *copy = malloc(size);

	CHECK(vmf_btf_from_buf(&b, NULL, 0, "vmlinux .BTF", why, sizeof(why)) == -1);
	CHECK(strstr(why, "CONFIG_DEBUG_INFO_BTF") != NULL);
	CHECK(vmf_btf_from_buf(&b, raw, 10, "x", why, sizeof(why)) == -1 && strstr(why, "shorter than its header"));
	CHECK(vmf_btf_from_buf(&b, raw, size - 8, "x", why, sizeof(why)) == -1 && strstr(why, "header claims"));
	memcpy(copy, raw, size);
	copy[24 + 7] = 0x1f;   /* the first type of an unknown kind, header intact: libbpf refuses */
	CHECK(vmf_btf_from_buf(&b, copy, size, "x", why, sizeof(why)) == -1 && strstr(why, "libbpf rejects"));
	CHECK(vmf_btf_offset(&b, "page", "lru") == -1);   /* a failed parse answers nothing */
	free(copy);
}

int main(void)
{
	struct btf *keep;
	struct vmf_btf b;
	uint32_t size = 0;
	const void *raw = make_btf(&size, &keep);
	char why[300] = "";

	CHECK(raw != NULL && size > 24);
	CHECK(vmf_btf_from_buf(&b, raw, size, "test", why, sizeof(why)) == 0);
	test_offsets(&b);
	vmf_btf_free(&b);
	test_from_dump(raw, size);
	test_bad_buffers(raw, size);
	btf__free(keep);
	kmem_reset();
	return CHECK_DONE();
}
