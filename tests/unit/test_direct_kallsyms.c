/*
 * test_direct_kallsyms.c - the kallsyms decoder and locator (direct/vmf_kallsyms.c)
 * on tables built here the way scripts/kallsyms lays them out (5.10, and 6.1
 * with kallsyms_seqs_of_names and "big" names), including look-alikes the
 * locator must reject and corrupt tables that must fail with a reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "kmem.h"
#include "vmf_kallsyms.h"

struct ksym { const char *name; char type; uint64_t addr; int percpu; };

#define STEXT 0xffffffff81000000ULL
static char longname[160];

static const struct ksym base_syms[] = {
	{ "fixed_percpu_data", 'D', 0x0, 1 },
	{ "irq_stack_backing_store", 'D', 0x2000, 1 },
	{ "_text", 'T', STEXT, 0 },
	{ "_stext", 'T', STEXT, 0 },
	{ "startup_64", 'T', STEXT + 0x40, 0 },
	{ "secondary_startup_64", 't', STEXT + 0x100, 0 },
	{ "do_one_initcall", 'T', STEXT + 0x2000, 0 },
	{ "hugetlbfs_file_operations", 'D', STEXT + 0xe4a300, 0 },
	{ "init_task", 'D', STEXT + 0x1613940, 0 },
	{ "pgd_list", 'D', STEXT + 0x16321f0, 0 },
	{ "modules", 'd', STEXT + 0x1716660, 0 },
	{ "init_mm", 'D', STEXT + 0x1745e20, 0 },
	{ "_end", 'B', STEXT + 0x222c000, 0 },
};
#define NBASE ((int)(sizeof(base_syms) / sizeof(base_syms[0])))

/* Pairs at 0x80.., single characters at their own code, a few slots left empty. */
static const char *const pairs[] = { "_s", "te", "in", "t_", "ex", "ma", "ll", "oc", "ta", "ck",
				      "it", "pe", "rc", "pu", "ag", "es", "_m", "mo", "du", "le", NULL };

static void make_tokens(char tok[256][4])
{
	memset(tok, 0, 256 * 4);
	for (int c = 0x21; c < 0x7f; c++)
		tok[c][0] = (char)c;
	for (int i = 0; pairs[i]; i++)
		memcpy(tok[0x80 + i], pairs[i], 2);
	for (int c = 1; c < 0x21; c++) {   /* 2-character filler tokens like the kernel's */
		tok[c][0] = 'Q';
		tok[c][1] = (char)('A' + c % 26);
	}
}

/* One symbol's entry: length (two bytes past 127 when big) and its token numbers. */
static size_t encode(char tok[256][4], const char *typed, int big, unsigned char *out)
{
	unsigned char body[600];
	size_t n = 0, h;

	for (size_t i = 0; typed[i];) {
		int t = -1;
		for (int k = 0x80; k < 0x100 && t < 0 && typed[i + 1]; k++)
			if (tok[k][0] == typed[i] && tok[k][1] == typed[i + 1] && tok[k][1])
				t = k;
		body[n++] = (unsigned char)(t >= 0 ? t : typed[i]);
		i += t >= 0 ? 2 : 1;
	}
	if (n > 127 && big) {
		out[0] = (unsigned char)(0x80 | (n & 0x7f));
		out[1] = (unsigned char)(n >> 7);
		h = 2;
	} else {
		out[0] = (unsigned char)n;
		h = 1;
	}
	memcpy(out + h, body, n);
	return h + n;
}

#define AL8(x) (((x) + 7) & ~(uint64_t)7)

struct layout { int seqs, abs_percpu, big; uint64_t shift; };

/*
 * The tables for syms (address order) at va in mem; loc filled; returns the
 * address past the token index.  shift moves every non-per-cpu address (KASLR).
 */
static uint64_t write_tables(unsigned char *mem, uint64_t va, const struct ksym *s, int n,
			     const struct layout *lay, struct vmf_kallsyms_loc *loc)
{
	char tok[256][4];
	uint64_t base = 0, p = va, m = 0;
	unsigned char *w = mem;
	uint32_t count = (uint32_t)n, off;
	uint16_t idx;

	make_tokens(tok);
	for (int i = 0; i < n; i++)
		if (!s[i].percpu && (!base || s[i].addr + lay->shift < base))
			base = s[i].addr + lay->shift;
	loc->offsets = p;
	for (int i = 0; i < n; i++) {
		uint64_t a = s[i].addr + (s[i].percpu ? 0 : lay->shift);
		int32_t v = lay->abs_percpu ? (s[i].percpu ? (int32_t)a : (int32_t)(-(int64_t)(a - base) - 1))
					    : (int32_t)(a - base);
		memcpy(w + (p - va) + 4 * i, &v, 4);
	}
	p = AL8(p + 4 * (uint64_t)n);
	loc->relative_base = p;
	memcpy(w + (p - va), &base, 8);
	p += 8;
	loc->num_syms = p;
	memcpy(w + (p - va), &count, 4);
	p += 8;
	loc->names = p;
	uint64_t names = p;
	uint32_t markers[64];
	for (int i = 0; i < n; i++) {
		char typed[256];
		if (i % 256 == 0)
			markers[m++] = (uint32_t)(p - names);
		snprintf(typed, sizeof(typed), "%c%s", s[i].type, s[i].name);
		p += encode(tok, typed, lay->big, w + (p - va));
	}
	p = AL8(p);
	loc->markers = p;
	memcpy(w + (p - va), markers, 4 * m);
	p = AL8(p + 4 * m);
	if (lay->seqs) {
		for (int i = 0; i < n; i++)   /* content does not matter to the decoder: a byte order */
			w[p - va + 3 * i + 2] = (unsigned char)i;
		p = AL8(p + 3 * (uint64_t)n);
	}
	loc->token_table = p;
	off = 0;
	uint64_t idx_at = 0;
	for (int t = 0; t < 256; t++) {
		size_t l = strlen(tok[t]);
		memcpy(w + (p - va) + off, tok[t], l + 1);
		off += (uint32_t)l + 1;
	}
	idx_at = AL8(p + off);
	loc->token_index = idx_at;
	off = 0;
	for (int t = 0; t < 256; t++) {
		idx = (uint16_t)off;
		memcpy(w + (idx_at - va) + 2 * t, &idx, 2);
		off += (uint32_t)strlen(tok[t]) + 1;
	}
	return idx_at + 512;
}

/* base_syms plus, with big names, one symbol of 150 characters. */
static int syms_for(struct ksym *out, int big)
{
	int n = 0;

	for (int i = 0; i < NBASE; i++) {
		out[n++] = base_syms[i];
		if (big && !strcmp(base_syms[i].name, "do_one_initcall")) {
			memset(longname, 'x', 150);
			longname[150] = 0;
			out[n++] = (struct ksym){ longname, 't', base_syms[i].addr + 0x80, 0 };
		}
	}
	return n;
}

#define IMG (STEXT + 0x1000000)   /* where the tables go: inside the image's read-only data */

static void test_decode(const struct layout *lay, const char *encoding)
{
	struct ksym s[NBASE + 1];
	struct vmf_kallsyms_loc loc;
	struct vmf_symtab t;
	char why[300] = "", buf[128];
	int n = syms_for(s, lay->big);
	const struct vmf_sym *y;
	uint64_t off;

	kmem_reset();
	write_tables(kmem_map(IMG, 1 << 16), IMG, s, n, lay, &loc);
	CHECK(vmf_kallsyms_decode(&kmem_reader, &loc, STEXT + lay->shift, "VMCOREINFO", &t, why, sizeof(why)) == 0);
	CHECK(strstr(t.source, "VMCOREINFO") != NULL);
	CHECK(strstr(t.source, encoding) != NULL);
	CHECK(t.n == (size_t)n);
	CHECK((y = vmf_symtab_lookup(&t, "init_mm")) && y->addr == STEXT + 0x1745e20 + lay->shift && y->type == 'D');
	CHECK((y = vmf_symtab_lookup(&t, "modules")) && y->type == 'd');
	CHECK((y = vmf_symtab_lookup(&t, "irq_stack_backing_store")) && y->addr == 0x2000);
	/* _text and _stext are aliases: the address names _text, as /proc/kallsyms does */
	CHECK((y = vmf_symtab_at(&t, STEXT + lay->shift + 0x10, &off)) && off == 0x10 &&
	      !strcmp(vmf_symtab_name(&t, y), "_text"));
	vmf_symtab_format(&t, STEXT + lay->shift + 0x2010, buf, sizeof(buf));
	CHECK_STR(buf, lay->big ? "do_one_initcall+0x10/0x80" : "do_one_initcall+0x10/0xe48300");
	if (lay->big)
		CHECK((y = vmf_symtab_lookup(&t, longname)) && y->addr == STEXT + lay->shift + 0x2080);
	vmf_symtab_free(&t);
}

static void test_wrong_stext(void)
{
	struct ksym s[NBASE + 1];
	struct vmf_kallsyms_loc loc;
	struct vmf_symtab t;
	struct layout lay = { 0, 1, 0, 0 };
	char why[300] = "";
	int n = syms_for(s, 0);

	kmem_reset();
	write_tables(kmem_map(IMG, 1 << 16), IMG, s, n, &lay, &loc);
	CHECK(vmf_kallsyms_decode(&kmem_reader, &loc, STEXT + 0x200000, "VMCOREINFO", &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "decodes _stext to ffffffff81000000") && strstr(why, "VMCOREINFO says ffffffff81200000"));
	CHECK(vmf_kallsyms_decode(&kmem_reader, &loc, 0, "VMCOREINFO", &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "no _stext") != NULL);
}

/* Corrupt tables fail with a reason naming what is wrong, never a table of wrong names. */
static void test_corrupt(void)
{
	struct ksym s[NBASE + 1];
	struct vmf_kallsyms_loc loc;
	struct vmf_symtab t;
	struct layout lay = { 0, 1, 0, 0 };
	char why[300] = "";
	int n = syms_for(s, 0);
	unsigned char *mem;
	uint16_t bad = 5;

	kmem_reset();
	mem = kmem_map(IMG, 1 << 16);
	write_tables(mem, IMG, s, n, &lay, &loc);
	memcpy(mem + (loc.token_index - IMG) + 2 * 100, &bad, 2);   /* offsets no longer ascend */
	CHECK(vmf_kallsyms_decode(&kmem_reader, &loc, STEXT, "VMCOREINFO", &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "not 256 ascending offsets") != NULL);

	write_tables(mem, IMG, s, n, &lay, &loc);
	mem[loc.names - IMG] = 0;                                     /* an entry of no tokens */
	CHECK(vmf_kallsyms_decode(&kmem_reader, &loc, STEXT, "VMCOREINFO", &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "kallsyms_names") != NULL);

	write_tables(mem, IMG, s, n, &lay, &loc);
	kmem_unreadable(loc.names, "page 1f42000 excluded from the dump (makedumpfile -d)");
	CHECK(vmf_kallsyms_decode(&kmem_reader, &loc, STEXT, "VMCOREINFO", &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "unreadable") && strstr(why, "excluded from the dump"));

	nkmem_bad = 0;
	s[3].addr += 0x1000;                                          /* _stext moved: offsets disagree */
	write_tables(mem, IMG, s, n, &lay, &loc);
	CHECK(vmf_kallsyms_decode(&kmem_reader, &loc, STEXT, "VMCOREINFO", &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "not this kernel's table") != NULL);
}

#define IMG_END (STEXT + 0x1800000)   /* the locator's range: _stext up to a data symbol */

/* A token table and index with nothing before them but zeros. */
static void write_lone_tokens(unsigned char *mem, uint64_t va, uint64_t at)
{
	struct ksym one[2] = { { "_stext", 'T', STEXT, 0 }, { "x", 't', STEXT + 8, 0 } };
	struct vmf_kallsyms_loc l;
	struct layout lay = { 0, 1, 0, 0 };
	unsigned char *tmp = calloc(1, 1 << 14);

	write_tables(tmp, 0, one, 2, &lay, &l);
	memcpy(mem + (at - va), tmp + l.token_table, 512 + (l.token_index - l.token_table));
	free(tmp);
}

static void test_locate(void)
{
	struct ksym s[NBASE + 1];
	struct vmf_kallsyms_loc real, decoy, loc;
	struct vmf_symtab t;
	struct layout lay = { 1, 1, 1, 0 }, other = { 0, 1, 0, 0x40000000 };
	char why[300] = "", want[96];
	int n = syms_for(s, 1);
	unsigned char *mem;

	kmem_reset();
	mem = kmem_map(IMG, 0x100000);
	write_tables(mem + 0x10000, IMG + 0x10000, s, n, &lay, &real);
	/* look-alikes above it, met first by the downward scan */
	write_tables(mem + 0x40000, IMG + 0x40000, s, NBASE, &other, &decoy);
	write_lone_tokens(mem, IMG, IMG + 0x80000);
	kmem_unreadable(IMG + 0x90000, "page excluded from the dump (makedumpfile -d)");
	CHECK(vmf_kallsyms_locate(&kmem_reader, STEXT, IMG_END, STEXT, NULL, NULL, &loc, &t, why, sizeof(why)) == 0);
	CHECK(loc.names == real.names && loc.token_table == real.token_table && loc.num_syms == real.num_syms);
	CHECK(loc.offsets == real.offsets && loc.relative_base == real.relative_base && loc.markers == real.markers);
	snprintf(want, sizeof(want), "located in the image at %llx", (unsigned long long)real.names);
	CHECK(strstr(t.source, want) != NULL);
	CHECK(t.n == (size_t)n && vmf_symtab_lookup(&t, longname) != NULL);
	vmf_symtab_free(&t);

	/* only look-alikes: a reason, never their symbols */
	memset(mem + 0x10000, 0, 0x30000);
	CHECK(vmf_kallsyms_locate(&kmem_reader, STEXT, IMG_END, STEXT, NULL, NULL, &loc, &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "2 kallsyms look-alike(s)") && strstr(why, "none this kernel's"));
	kmem_reset();
	kmem_map(IMG, 0x1000);
	CHECK(vmf_kallsyms_locate(&kmem_reader, STEXT, IMG_END, STEXT, NULL, NULL, &loc, &t, why, sizeof(why)) == -1);
	CHECK(strstr(why, "no kallsyms token table") != NULL);
}

/* The place found is kept per build-id, relative to _stext: a KASLR-moved dump reuses it. */
static void test_cache(void)
{
	struct ksym s[NBASE + 1];
	struct vmf_kallsyms_loc real, loc;
	struct vmf_symtab t;
	struct layout lay = { 0, 1, 0, 0 }, moved = { 0, 1, 0, 0x1c00000 };
	char dir[] = "/tmp/vmf-ks-XXXXXX", path[300], why[300] = "";
	int n = syms_for(s, 0);
	const struct vmf_sym *y;
	FILE *f;

	if (!mkdtemp(dir)) {
		CHECK(!"mkdtemp");
		return;
	}
	snprintf(path, sizeof(path), "%s/kallsyms-0123abcd", dir);
	kmem_reset();
	write_tables(kmem_map(IMG + 0x10000, 0x40000), IMG + 0x10000, s, n, &lay, &real);
	CHECK(vmf_kallsyms_locate(&kmem_reader, STEXT, IMG_END, STEXT, dir, "0123abcd", &loc, &t, why, sizeof(why)) == 0);
	CHECK(access(path, R_OK) == 0 && strstr(t.source, "cached") == NULL);
	vmf_symtab_free(&t);

	kmem_reset();
	write_tables(kmem_map(IMG + 0x1c10000, 0x40000), IMG + 0x1c10000, s, n, &moved, &real);
	kmem_bytes_read = 0;
	CHECK(vmf_kallsyms_locate(&kmem_reader, STEXT + 0x1c00000, IMG_END + 0x1c00000, STEXT + 0x1c00000, dir,
				  "0123abcd", &loc, &t, why, sizeof(why)) == 0);
	CHECK(strstr(t.source, "cached") != NULL && loc.names == real.names);
	CHECK(kmem_bytes_read < 0x10000);   /* no scan: only the tables were read */
	CHECK((y = vmf_symtab_lookup(&t, "init_mm")) && y->addr == STEXT + 0x1745e20 + 0x1c00000);
	vmf_symtab_free(&t);

	/* a cached place that no longer decodes is dropped and the image searched again */
	if ((f = fopen(path, "w"))) {
		fputs("num_syms 10\nnames 20\ntoken_table 30\ntoken_index 40\n", f);
		fclose(f);
	}
	CHECK(vmf_kallsyms_locate(&kmem_reader, STEXT + 0x1c00000, IMG_END + 0x1c00000, STEXT + 0x1c00000, dir,
				  "0123abcd", &loc, &t, why, sizeof(why)) == 0);
	CHECK(strstr(t.source, "cached") == NULL && loc.names == real.names);
	vmf_symtab_free(&t);
	unlink(path);
	rmdir(dir);
}

/*
 * Damage anywhere in the tables: the decoder and the locator either reject
 * them with a reason or still find _stext where VMCOREINFO has it; they never
 * read outside what they asked for (the ASan build of this test checks that).
 */
static void test_random_damage(void)
{
	struct ksym s[NBASE + 1];
	struct vmf_kallsyms_loc real, loc;
	struct vmf_symtab t;
	struct layout lay = { 1, 1, 1, 0 };
	char why[300];
	int n = syms_for(s, 1), bad = 0, sane = 1;
	unsigned seed = 12345;
	unsigned char *mem, *clean = malloc(0x4000);

	kmem_reset();
	mem = kmem_map(IMG, 0x4000);
	write_tables(mem, IMG, s, n, &lay, &real);
	memcpy(clean, mem, 0x4000);
	for (int round = 0; round < 400; round++) {
		memcpy(mem, clean, 0x4000);
		for (int k = 0; k < 1 + round % 4; k++) {
			seed = seed * 1103515245 + 12345;
			mem[(seed >> 8) % (real.token_index + 512 - IMG)] ^= (unsigned char)(1 + (seed >> 20) % 255);
		}
		why[0] = 0;
		if (vmf_kallsyms_decode(&kmem_reader, &real, STEXT, "VMCOREINFO", &t, why, sizeof(why)) == 0) {
			const struct vmf_sym *y = vmf_symtab_lookup(&t, "_stext");
			sane &= y && y->addr == STEXT;
		} else {
			bad++;
			sane &= why[0] != 0 && strchr(why, '\n') == NULL;
		}
		vmf_symtab_free(&t);
		if (round % 20 == 0) {
			if (vmf_kallsyms_locate(&kmem_reader, IMG, IMG + 0x4000, STEXT, NULL, NULL, &loc, &t, why,
						sizeof(why)) == 0) {
				const struct vmf_sym *y = vmf_symtab_lookup(&t, "_stext");
				sane &= y && y->addr == STEXT;
			}
			vmf_symtab_free(&t);
		}
	}
	CHECK(sane);
	CHECK(bad > 100);   /* most damage is noticed */
	free(clean);
}

int main(void)
{
	struct layout v510 = { 0, 1, 0, 0 }, v61 = { 1, 1, 1, 0x1c00000 }, relative = { 0, 0, 0, 0 };

	test_decode(&v510, "absolute per-cpu");
	test_decode(&v61, "absolute per-cpu");
	test_decode(&relative, "base-relative)");
	test_wrong_stext();
	test_corrupt();
	test_locate();
	test_cache();
	test_random_damage();
	kmem_reset();
	return CHECK_DONE();
}
