/*
 * vmf_kallsyms.c - decode (and, before Linux 6.0, find) the kernel's kallsyms
 * tables in a dump (see vmf_kallsyms.h).
 *
 * Layout, as scripts/kallsyms writes it on x86-64 5.10 and 6.1 (each label
 * 8-aligned): kallsyms_offsets (u32 per symbol) or kallsyms_addresses (u64),
 * kallsyms_relative_base (u64), kallsyms_num_syms (u32), kallsyms_names,
 * kallsyms_markers (u32 per 256 symbols), kallsyms_seqs_of_names (3 bytes per
 * symbol: upstream v6.2, and in Debian's 6.1.0-57, as its scripts/kallsyms
 * writes it), kallsyms_token_table, kallsyms_token_index.  Names stay in
 * address order: seqs_of_names is an extra index sorted by name.  404bad70fcf7
 * (v6.4) moved offsets and seqs after the token index; such kernels have the
 * VMCOREINFO locations (6.0+), so the locator below need not know that order.
 *
 * A names entry is a length and that many token numbers; the tokens spell the
 * symbol's type letter and then its name.  From 73bbb94466fd (v6.1) a length
 * with the top bit set continues in the next byte ("big" symbols).
 */
#include "vmf_kallsyms.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define KS_MAX_SYMS   (4u << 20)    /* Debian's 6.1 has 87,348; allyesconfig about 600,000 */
#define KS_MAX_NAMES  (64u << 20)
#define KS_NAME_MAX   1024          /* KSYM_NAME_LEN is 512 since b8a94bfb3395 (v6.1) */
#define KS_WINDOW     (8u << 20)    /* names, markers and seqs lie this close below the tokens */

#define ALIGN8(x) (((x) + 7) & ~(uint64_t)7)

struct ks_tokens {
	uint16_t index[256];
	uint8_t tlen[256];   /* each token's length: no strlen per name */
	char *table;
	size_t len;
};

static uint32_t get_u32(const unsigned char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t get_u64(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* 256 offsets, starting at 0, each past the previous string's NUL. */
static int index_plausible(const unsigned char *p)
{
	uint16_t prev, cur;

	memcpy(&prev, p, 2);
	if (prev != 0)
		return 0;
	for (int i = 1; i < 256; i++) {
		memcpy(&cur, p + 2 * i, 2);
		if (cur <= prev || cur - prev > 256)
			return 0;
		prev = cur;
	}
	return 1;
}

/* Every token a NUL-terminated string of the length its index gives. */
static int tokens_consistent(const char *table, size_t len, const uint16_t *index)
{
	for (int i = 0; i < 256; i++) {
		size_t end = i < 255 ? index[i + 1] : len;
		const char *nul;

		if (index[i] >= len || !(nul = memchr(table + index[i], 0, end - index[i])))
			return 0;
		if (i < 255 && (size_t)(nul - table) != end - 1U)
			return 0;
		for (const char *c = table + index[i]; c < nul; c++)
			if (*c < 0x20 || *c > 0x7e)
				return 0;
	}
	return 1;
}

static int read_tokens(const struct vmf_kreader *r, uint64_t table_va, uint64_t index_va,
		       struct ks_tokens *tk, char *why, size_t whylen)
{
	char rwhy[160] = "";
	unsigned char raw[512];

	if (vmf_kread(r, index_va, raw, sizeof(raw), rwhy, sizeof(rwhy))) {
		snprintf(why, whylen, "kallsyms_token_index at %llx unreadable: %s",
			 (unsigned long long)index_va, rwhy);
		return -1;
	}
	if (!index_plausible(raw)) {
		snprintf(why, whylen, "kallsyms_token_index at %llx is not 256 ascending offsets",
			 (unsigned long long)index_va);
		return -1;
	}
	memcpy(tk->index, raw, sizeof(raw));
	for (int i = 0; i < 255; i++)
		tk->tlen[i] = (uint8_t)(tk->index[i + 1] - tk->index[i] - 1);
	tk->len = tk->index[255] + 257U;   /* the last token is at most 256 bytes */
	if (!(tk->table = malloc(tk->len)))
		return -1;
	if (vmf_kread(r, table_va, tk->table, tk->len, rwhy, sizeof(rwhy)) ||
	    !tokens_consistent(tk->table, tk->len, tk->index)) {
		snprintf(why, whylen, "kallsyms_token_table at %llx %s%s", (unsigned long long)table_va,
			 rwhy[0] ? "unreadable: " : "does not match its index", rwhy);
		free(tk->table);
		tk->table = NULL;
		return -1;
	}
	tk->tlen[255] = (uint8_t)strlen(tk->table + tk->index[255]);
	return 0;
}

/* Length of the names entry at p: its token count, *hdr the bytes of the length. */
static long entry_len(const unsigned char *p, size_t avail, int big, size_t *hdr)
{
	size_t len, h = 1;

	if (avail < 1)
		return -1;
	len = p[0];
	if (big && (len & 0x80)) {
		if (avail < 2)
			return -1;
		len = (len & 0x7f) | ((size_t)p[1] << 7);
		h = 2;
	}
	if (len == 0 || h + len > avail)
		return -1;
	*hdr = h;
	return (long)len;
}

/* Bytes the first n entries take, or -1 when they run past size. */
static long walk_names(const unsigned char *names, size_t size, uint32_t n, int big)
{
	size_t off = 0, hdr;
	long len;

	for (uint32_t i = 0; i < n; i++) {
		if ((len = entry_len(names + off, size - off, big, &hdr)) < 0)
			return -1;
		off += hdr + (size_t)len;
	}
	return (long)off;
}

/*
 * kallsyms_names: its length is known only by walking it, so read what lies
 * up to end_hint (the table after it) or grow by doubling.  *big is the length
 * encoding that walks all n entries (the v6.1 one first).
 */
static unsigned char *read_names(const struct vmf_kreader *r, uint64_t va, uint64_t end_hint,
				 uint32_t n, size_t *size, int *big, char *why, size_t whylen)
{
	size_t want = end_hint > va && end_hint - va <= KS_MAX_NAMES ? (size_t)(end_hint - va) : (1u << 20);
	unsigned char *buf = NULL;
	size_t have = 0;
	char rwhy[160] = "";

	for (;;) {
		unsigned char *nb = realloc(buf, want);
		if (!nb) {
			free(buf);
			snprintf(why, whylen, "no memory for kallsyms_names");
			return NULL;
		}
		buf = nb;
		if (vmf_kread(r, va + have, buf + have, want - have, rwhy, sizeof(rwhy))) {
			/* the read may pass the end of the image: what was read may do */
			if (have == 0) {
				snprintf(why, whylen, "kallsyms_names at %llx unreadable: %s",
					 (unsigned long long)va, rwhy);
				free(buf);
				return NULL;
			}
			want = have;
		}
		have = want;
		for (*big = 1; *big >= 0; (*big)--)
			if (walk_names(buf, have, n, *big) >= 0) {
				*size = have;
				return buf;
			}
		if (want >= KS_MAX_NAMES || rwhy[0]) {
			snprintf(why, whylen, "kallsyms_names at %llx: %u entries do not fit in %zu bytes%s%s",
				 (unsigned long long)va, n, have, rwhy[0] ? ": " : "", rwhy);
			free(buf);
			return NULL;
		}
		want *= 2;
	}
}

/* Spell entry p (len tokens) into out: type letter first, then the name. */
static size_t expand(const struct ks_tokens *tk, const unsigned char *p, size_t len, char *out, size_t outlen)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		const char *s = tk->table + tk->index[p[i]];
		size_t sl = tk->tlen[p[i]];
		if (o + sl >= outlen)
			sl = outlen - 1 - o;
		memcpy(out + o, s, sl);
		o += sl;
	}
	out[o] = 0;
	return o;
}

/* All names into t with address 0, in table order (t->syms[i] is symbol i). */
static int decode_names(const struct ks_tokens *tk, const unsigned char *names, size_t size,
			uint32_t n, int big, struct vmf_symtab *t, char *why, size_t whylen)
{
	size_t off = 0, hdr;
	char name[KS_NAME_MAX];

	if (vmf_symtab_reserve(t, n, size * 3)) {   /* names expand about threefold */
		snprintf(why, whylen, "out of memory for %u symbols", n);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++) {
		long len = entry_len(names + off, size - off, big, &hdr);
		size_t nl;

		if (len < 0) {
			snprintf(why, whylen, "kallsyms_names entry %u runs past the table", i);
			return -1;
		}
		nl = expand(tk, names + off + hdr, (size_t)len, name, sizeof(name));
		if (nl < 2 || vmf_symtab_add(t, name + 1, nl - 1, 0, 0, name[0], VMF_SYM_KERNEL)) {
			snprintf(why, whylen, nl < 2 ? "kallsyms_names entry %u is empty" : "out of memory (entry %u)", i);
			return -1;
		}
		off += hdr + (size_t)len;
	}
	return 0;
}

enum ks_encoding { KS_ABS_PERCPU, KS_RELATIVE, KS_ABSOLUTE };
static const char *const ks_encoding_name[] = {
	"base-relative, absolute per-cpu", "base-relative", "absolute"
};

/*
 * Symbol i's address.  With KALLSYMS_ABSOLUTE_PERCPU (x86-64 SMP) a
 * non-negative entry is the address itself (a per-cpu offset), a negative one
 * counts down from relative_base - 1; without it every entry is relative_base
 * plus a u32.  Which one a kernel uses is not recorded: _stext decides.
 */
static uint64_t ks_addr(enum ks_encoding enc, const unsigned char *tab, size_t i, uint64_t base)
{
	int32_t v;

	if (enc == KS_ABSOLUTE)
		return get_u64(tab + 8 * i);
	memcpy(&v, tab + 4 * i, 4);
	if (enc == KS_RELATIVE)
		return base + (uint32_t)v;
	return v >= 0 ? (uint64_t)v : base - 1 - (int64_t)v;
}

/* The first symbol called name, by index in table order; -1 when none. */
static long index_of(const struct vmf_symtab *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->names + t->syms[i].name, name))
			return (long)i;
	return -1;
}

static unsigned char *read_table(const struct vmf_kreader *r, uint64_t va, size_t size,
				 const char *what, char *why, size_t whylen)
{
	unsigned char *buf = malloc(size ? size : 1);
	char rwhy[160] = "";

	if (!buf) {
		snprintf(why, whylen, "no memory for %s", what);
		return NULL;
	}
	if (vmf_kread(r, va, buf, size, rwhy, sizeof(rwhy))) {
		snprintf(why, whylen, "%.24s at %llx unreadable: %.100s", what, (unsigned long long)va, rwhy);
		free(buf);
		return NULL;
	}
	return buf;
}

/* Every symbol's address, in the first encoding that puts _stext at stext. */
static int assign_addresses(const struct vmf_kreader *r, const struct vmf_kallsyms_loc *loc,
			    uint64_t stext, struct vmf_symtab *t, const char **enc_name,
			    char *why, size_t whylen)
{
	long si = index_of(t, "_stext");
	unsigned char *tab = NULL, base_raw[8];
	char tried[200] = "", rwhy[160] = "";
	size_t tl = 0;

	if (si < 0 || !stext) {
		snprintf(why, whylen, si < 0 ? "kallsyms has no _stext to check it against VMCOREINFO"
					     : "VMCOREINFO gives no _stext to check kallsyms against");
		return -1;
	}
	for (int enc = KS_ABS_PERCPU; enc <= KS_ABSOLUTE; enc++) {
		uint64_t base = 0, got;
		int rel = enc != KS_ABSOLUTE;

		if (rel ? !loc->offsets || !loc->relative_base : !loc->addresses)
			continue;
		if (rel && vmf_kread(r, loc->relative_base, base_raw, 8, rwhy, sizeof(rwhy)))
			continue;
		base = rel ? get_u64(base_raw) : 0;
		if (enc != KS_RELATIVE) {   /* the table changes from offsets to addresses */
			free(tab);
			tab = read_table(r, rel ? loc->offsets : loc->addresses, t->n * (rel ? 4 : 8),
					 rel ? "kallsyms_offsets" : "kallsyms_addresses", rwhy, sizeof(rwhy));
		}
		if (!tab)
			continue;
		got = ks_addr((enum ks_encoding)enc, tab, (size_t)si, base);
		if (got == stext) {
			for (size_t i = 0; i < t->n; i++)
				t->syms[i].addr = ks_addr((enum ks_encoding)enc, tab, i, base);
			*enc_name = ks_encoding_name[enc];
			free(tab);
			return 0;
		}
		tl += (size_t)snprintf(tried + tl, sizeof(tried) - tl, "%s%llx", tl ? " or " : "",
				       (unsigned long long)got);
		if (tl >= sizeof(tried))
			tl = sizeof(tried) - 1;
	}
	free(tab);
	if (tried[0])
		snprintf(why, whylen, "kallsyms decodes _stext to %s, VMCOREINFO says %llx: not this kernel's table",
			 tried, (unsigned long long)stext);
	else
		snprintf(why, whylen, "kallsyms addresses unreadable%s%s", rwhy[0] ? ": " : "", rwhy);
	return -1;
}

int vmf_kallsyms_decode(const struct vmf_kreader *r, const struct vmf_kallsyms_loc *loc,
			uint64_t stext, const char *how, struct vmf_symtab *t, char *why, size_t whylen)
{
	struct ks_tokens tk = { { 0 }, { 0 }, NULL, 0 };
	unsigned char raw[4], *names = NULL;
	char rwhy[160] = "", src[96];
	const char *enc = "";
	size_t size = 0;
	uint32_t n;
	int big = 1, rc = -1;

	vmf_symtab_init(t, "kallsyms");
	if (!loc->num_syms || !loc->names || !loc->token_table || !loc->token_index) {
		snprintf(why, whylen, "kallsyms tables not located");
		return -1;
	}
	if (vmf_kread(r, loc->num_syms, raw, 4, rwhy, sizeof(rwhy))) {
		snprintf(why, whylen, "kallsyms_num_syms at %llx unreadable: %s",
			 (unsigned long long)loc->num_syms, rwhy);
		return -1;
	}
	n = get_u32(raw);
	if (n < 2 || n > KS_MAX_SYMS) {
		snprintf(why, whylen, "kallsyms_num_syms is %u: not a symbol count", n);
		return -1;
	}
	if (read_tokens(r, loc->token_table, loc->token_index, &tk, why, whylen) ||
	    !(names = read_names(r, loc->names, loc->markers ? loc->markers : loc->token_table, n,
				 &size, &big, why, whylen)) ||
	    decode_names(&tk, names, size, n, big, t, why, whylen) ||
	    assign_addresses(r, loc, stext, t, &enc, why, whylen))
		goto out;
	snprintf(src, sizeof(src), "kallsyms (%.48s; %.31s)", how ? how : "given", enc);
	snprintf(t->source, sizeof(t->source), "%.95s", src);
	if (vmf_symtab_finish(t)) {
		snprintf(why, whylen, "out of memory sorting kallsyms");
		goto out;
	}
	rc = 0;
out:
	free(tk.table);
	free(names);
	if (rc)
		vmf_symtab_free(t);
	return rc;
}

/* ---- finding the tables in the image (before Linux 6.0) -------------------- */

/*
 * The token table ends (up to 7 bytes of alignment) where the index begins, and
 * starts 8-aligned: try each start that leaves room for the last token.
 */
static int find_token_table(const struct vmf_kreader *r, uint64_t index_va, uint64_t lo,
			    const uint16_t *idx, uint64_t *table_va)
{
	size_t span = idx[255] + 1U + 256 + 8;
	uint64_t from = index_va - lo < span ? lo : index_va - span;
	unsigned char buf[65536 + 1024];
	char rwhy[8];

	if (index_va - from > sizeof(buf))
		return -1;
	/* a page below the table may be unreadable: start at the next page then */
	while (vmf_kread(r, from, buf, index_va - from, rwhy, sizeof(rwhy)))
		if ((from = (from | 4095) + 1) >= index_va - idx[255] - 1)
			return -1;
	for (uint64_t t = (index_va - idx[255] - 1) & ~7ULL; t >= from; t -= 8) {
		const char *tab = (const char *)buf + (t - from);
		size_t len = index_va - t;
		const char *nul;

		if (tokens_consistent(tab, len, idx) && (nul = memchr(tab + idx[255], 0, len - idx[255]))) {
			size_t pad = len - (size_t)(nul + 1 - tab);
			int zeros = 1;
			for (size_t k = 0; k < pad; k++)
				zeros &= nul[1 + k] == 0;
			if (zeros && pad < 8) {
				*table_va = t;
				return 0;
			}
		}
		if (t < 8)
			break;
	}
	return -1;
}

/*
 * The bytes below the token table, read downward a piece at a time into the
 * end of an KS_WINDOW buffer: [top - have, top) is at buf + KS_WINDOW - have.
 */
struct below {
	unsigned char *buf;
	uint64_t lo, top;
	size_t have, piece;
};

/* One more piece (page by page once a big piece fails); 0 when nothing more can be read. */
static size_t read_more(const struct vmf_kreader *r, struct below *w)
{
	char rwhy[8];

	while (w->have < KS_WINDOW && w->top - w->have > w->lo) {
		uint64_t end = w->top - w->have;
		size_t n = w->piece;
		if (n == 4096 && (end & 4095))
			n = end & 4095;   /* page by page: up to the page boundary first */
		if (n > end - w->lo)
			n = (size_t)(end - w->lo);
		if (n > KS_WINDOW - w->have)
			n = KS_WINDOW - w->have;
		if (!vmf_kread(r, end - n, w->buf + KS_WINDOW - w->have - n, n, rwhy, sizeof(rwhy))) {
			w->have += n;
			return n;
		}
		if (w->piece == 4096)
			return 0;
		w->piece = 4096;
	}
	return 0;
}

/* Do the names from `names` on walk to markers mk, agreeing with each marker? */
static int names_fit(const unsigned char *names, size_t size, uint32_t n, const unsigned char *mk,
		     int mw, int big)
{
	size_t off = 0, hdr;

	for (uint32_t i = 0; i < n; i++) {
		long len;
		if (i % 256 == 0 && (mw == 4 ? get_u32(mk + 4 * (i / 256)) : get_u64(mk + 8 * (i / 256))) != off)
			return 0;
		if ((len = entry_len(names + off, size - off, big, &hdr)) < 0)
			return 0;
		off += hdr + (size_t)len;
	}
	return ALIGN8(off) == ALIGN8(size);
}

/*
 * Does a symbol count at va (8-aligned, u32 then 4 zero bytes) start a layout
 * that ends at the token table?  Markers are u32 (or u64 before 4.20), seqs of
 * names absent, 3 or 4 bytes a symbol.  Fills loc when it does.
 */
static int layout_from_count(const unsigned char *w, uint64_t wva, uint64_t va, uint64_t table_va,
			     struct vmf_kallsyms_loc *loc)
{
	static const int seqs_widths[] = { 0, 3, 4 }, marker_widths[] = { 4, 8 };
	uint32_t n = get_u32(w + (va - wva));
	uint64_t names = va + 8, m = (n + 255) / 256;

	if (n < 2 || n > KS_MAX_SYMS || get_u32(w + (va - wva) + 4) != 0)
		return 0;
	for (int s = 0; s < 3; s++)
		for (int k = 0; k < 2; k++) {
			int mw = marker_widths[k];
			uint64_t seqs = table_va - ALIGN8((uint64_t)seqs_widths[s] * n);
			uint64_t mk = seqs - ALIGN8(m * (uint64_t)mw);
			const unsigned char *mp;

			if (seqs > table_va || mk > seqs || mk < names + 2ULL * n)
				continue;
			mp = w + (mk - wva);
			if (mw == 4 ? get_u32(mp) : get_u64(mp))   /* the first marker is 0 */
				continue;
			if (!names_fit(w + (names - wva), mk - names, n, mp, mw, 1) &&
			    !names_fit(w + (names - wva), mk - names, n, mp, mw, 0))
				continue;
			loc->num_syms = va;
			loc->names = names;
			loc->markers = mk;
			loc->token_table = table_va;
			loc->relative_base = va - 8;
			loc->offsets = va - 8 - ALIGN8(4ULL * n);
			loc->addresses = va - 8ULL * n;
			return 1;
		}
	return 0;
}

/*
 * From a token table, the rest of the tables: the symbol count is below them
 * all, names' length below the table (1.2 MB on Debian's 5.10): read down
 * only as far as it takes to find it.
 */
static int tables_below(const struct vmf_kreader *r, uint64_t lo, uint64_t table_va, uint64_t index_va,
			struct vmf_kallsyms_loc *loc)
{
	struct below w = { malloc(KS_WINDOW), lo, table_va, 0, 256u << 10 };
	uint64_t next = (table_va - 16) & ~7ULL;   /* the next position to try, downward */
	int found = 0;

	if (!w.buf)
		return -1;
	while (!found && read_more(r, &w)) {
		uint64_t wva = table_va - w.have;
		const unsigned char *base = w.buf + KS_WINDOW - w.have;

		for (; next >= wva && !found; next -= 8)
			found = layout_from_count(base, wva, next, table_va, loc);
	}
	free(w.buf);
	loc->token_index = index_va;
	return found ? 0 : -1;
}

/* ---- the location cache -------------------------------------------------- */

static const char *const loc_keys[] = {
	"num_syms", "names", "markers", "token_table", "token_index", "offsets", "relative_base",
	"addresses", NULL
};

static uint64_t *loc_field(struct vmf_kallsyms_loc *loc, int i)
{
	uint64_t *f[] = { &loc->num_syms, &loc->names, &loc->markers, &loc->token_table,
			  &loc->token_index, &loc->offsets, &loc->relative_base, &loc->addresses };
	return f[i];
}

static int loc_cache_path(char *buf, size_t len, const char *dir, const char *build_id)
{
	if (!dir || !*dir || !build_id || !*build_id || strchr(build_id, '/'))
		return -1;
	return snprintf(buf, len, "%s/kallsyms-%s", dir, build_id) < (int)len ? 0 : -1;
}

/* Each table as its distance from _stext: the same for every dump of the build. */
static void loc_save(const char *path, const struct vmf_kallsyms_loc *loc, uint64_t stext)
{
	char tmp[4200];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp) ||
	    !(f = fopen(tmp, "w")))
		return;
	for (int i = 0; loc_keys[i]; i++) {
		uint64_t v = *loc_field((struct vmf_kallsyms_loc *)loc, i);
		fprintf(f, "%s %llx\n", loc_keys[i], v ? (unsigned long long)(v - stext) : 0ULL);
	}
	if (fclose(f) || rename(tmp, path))
		unlink(tmp);
}

static int loc_load(const char *path, struct vmf_kallsyms_loc *loc, uint64_t stext)
{
	char key[32];
	unsigned long long v;
	FILE *f = fopen(path, "r");
	int got = 0;

	if (!f)
		return -1;
	memset(loc, 0, sizeof(*loc));
	while (fscanf(f, "%31s %llx", key, &v) == 2)
		for (int i = 0; loc_keys[i]; i++)
			if (!strcmp(key, loc_keys[i])) {
				*loc_field(loc, i) = v ? stext + v : 0;
				got++;
			}
	fclose(f);
	return got ? 0 : -1;
}

/* ---- the scan ------------------------------------------------------------- */

#define KS_CHUNK (1u << 20)

struct ks_scan {
	const struct vmf_kreader *r;
	uint64_t lo, hi, stext;
	long candidates, unreadable_pages;
	char last_why[200];
};

/* Read [va, va+len) page by page where a whole read fails; unreadable pages match nothing. */
static void read_chunk(struct ks_scan *s, uint64_t va, unsigned char *buf, size_t len)
{
	char rwhy[8];

	if (!vmf_kread(s->r, va, buf, len, rwhy, sizeof(rwhy)))
		return;
	for (size_t off = 0; off < len; off += 4096) {
		size_t n = len - off < 4096 ? len - off : 4096;
		if (vmf_kread(s->r, va + off, buf + off, n, rwhy, sizeof(rwhy))) {
			memset(buf + off, 0xff, n);   /* 0xff.. is never an index that starts with 0 */
			s->unreadable_pages++;
		}
	}
}

/* A token index candidate at index_va: the whole layout, then _stext decides. */
static int try_candidate(struct ks_scan *s, uint64_t index_va, const unsigned char *raw,
			 struct vmf_kallsyms_loc *loc, struct vmf_symtab *t)
{
	uint16_t idx[256];
	uint64_t table_va;
	char how[64];

	memcpy(idx, raw, sizeof(idx));
	s->candidates++;
	if (find_token_table(s->r, index_va, s->lo, idx, &table_va)) {
		snprintf(s->last_why, sizeof(s->last_why), "ascending offsets at %llx have no token table before them",
			 (unsigned long long)index_va);
		return -1;
	}
	memset(loc, 0, sizeof(*loc));
	if (tables_below(s->r, s->lo, table_va, index_va, loc)) {
		snprintf(s->last_why, sizeof(s->last_why), "token table at %llx has no symbol names before it",
			 (unsigned long long)table_va);
		return -1;
	}
	snprintf(how, sizeof(how), "located in the image at %llx", (unsigned long long)loc->names);
	return vmf_kallsyms_decode(s->r, loc, s->stext, how, t, s->last_why, sizeof(s->last_why));
}

/* Down from hi: the tables sit near the end of .rodata, .data comes next. */
static int scan(struct ks_scan *s, struct vmf_kallsyms_loc *loc, struct vmf_symtab *t)
{
	unsigned char *buf = malloc(KS_CHUNK + 512);

	if (!buf)
		return -1;
	for (uint64_t top = s->hi; top > s->lo;) {
		uint64_t bottom = top - s->lo > KS_CHUNK ? top - KS_CHUNK : s->lo;
		size_t len = (size_t)(top - bottom) + (top + 512 <= s->hi ? 512 : (size_t)(s->hi - top));

		read_chunk(s, bottom, buf, len);
		for (uint64_t va = (top - 8) & ~7ULL; va >= bottom; va -= 8) {
			const unsigned char *p = buf + (va - bottom);
			if (va + 512 <= bottom + len && p[0] == 0 && p[1] == 0 && index_plausible(p) &&
			    !try_candidate(s, va, p, loc, t)) {
				free(buf);
				return 0;
			}
			if (va < 8)
				break;
		}
		top = bottom;
	}
	free(buf);
	return -1;
}

int vmf_kallsyms_locate(const struct vmf_kreader *r, uint64_t lo, uint64_t hi, uint64_t stext,
			const char *cache_dir, const char *build_id, struct vmf_kallsyms_loc *loc,
			struct vmf_symtab *t, char *why, size_t whylen)
{
	struct ks_scan s = { r, lo & ~7ULL, hi & ~7ULL, stext, 0, 0, "" };
	char path[4096];
	int cached = loc_cache_path(path, sizeof(path), cache_dir, build_id) == 0;

	vmf_symtab_init(t, "kallsyms");   /* freeable whatever happens */
	if (!stext || hi <= lo || hi - lo > (256u << 20)) {
		snprintf(why, whylen, "no range to search for kallsyms (_stext %llx, up to %llx)",
			 (unsigned long long)stext, (unsigned long long)hi);
		return -1;
	}
	if (cached && !loc_load(path, loc, stext)) {
		if (!vmf_kallsyms_decode(r, loc, stext, "located in the image, cached", t, s.last_why,
					 sizeof(s.last_why)))
			return 0;
		unlink(path);   /* a location that no longer decodes is searched again */
	}
	if (!scan(&s, loc, t)) {
		if (cached)
			loc_save(path, loc, stext);
		return 0;
	}
	if (!s.candidates)
		snprintf(why, whylen, "no kallsyms token table in %llx-%llx%s", (unsigned long long)lo,
			 (unsigned long long)hi, s.unreadable_pages ? " (some pages unreadable)" : "");
	else
		snprintf(why, whylen, "%ld kallsyms look-alike(s) in %llx-%llx, none this kernel's: %s",
			 s.candidates, (unsigned long long)lo, (unsigned long long)hi, s.last_why);
	return -1;
}
