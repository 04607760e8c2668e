/*
 * fuzz_common.h - what the libFuzzer targets share: a byte consumer, a strict
 * JSON validator, and the checks that hold for any report the engine writes.
 * A check that fails calls abort(), which libFuzzer records as a crash.
 */
#ifndef VMF_FUZZ_COMMON_H
#define VMF_FUZZ_COMMON_H
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_diag.h"
#include "vmf_writers.h"

/* Say which invariant failed before aborting, so a crash log explains itself. */
#define FUZZ_CHECK(c) do { if (!(c)) { \
	fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #c, __FILE__, __LINE__); \
	abort(); } } while (0)

/* A C string inside its array: the engine must always leave a NUL there. */
#define FUZZ_TERMINATED(arr) FUZZ_CHECK(memchr((arr), 0, sizeof(arr)) != NULL)

/* ---- reading structured values from the input ------------------------------- */

struct fuzz_bytes {
	const uint8_t *p;
	size_t n;
};

static inline unsigned fb_u8(struct fuzz_bytes *b)
{
	unsigned v;

	if (!b->n)
		return 0;
	v = *b->p++;
	b->n--;
	return v;
}

static inline uint64_t fb_u64(struct fuzz_bytes *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)fb_u8(b) << (8 * i);
	return v;
}

static inline int fb_bool(struct fuzz_bytes *b)
{
	return fb_u8(b) & 1;
}

static inline enum vmf_tri fb_tri(struct fuzz_bytes *b)
{
	return (enum vmf_tri)(fb_u8(b) % 3);
}

/*
 * A string into a fixed array: one length byte, then that many raw bytes (any
 * value: quotes, backslashes, control and non-ASCII bytes test the writers'
 * escaping).  A NUL in the input ends the string early.  Always terminated.
 */
static inline void fb_str(struct fuzz_bytes *b, char *dst, size_t dstlen)
{
	size_t want = fb_u8(b), i;

	if (!dstlen)
		return;
	if (want > b->n)
		want = b->n;
	for (i = 0; i < want && i + 1 < dstlen; i++)
		dst[i] = (char)b->p[i];
	dst[i] = 0;
	b->p += want;
	b->n -= want;
}

/* One of a few meaningful strings, or raw bytes (the last choice). */
static inline void fb_pick_str(struct fuzz_bytes *b, char *dst, size_t dstlen, const char *const *choices,
			size_t nchoices)
{
	unsigned c = fb_u8(b) % (unsigned)(nchoices + 1);

	if (c < nchoices)
		snprintf(dst, dstlen, "%s", choices[c]);
	else
		fb_str(b, dst, dstlen);
}

/* One of a few meaningful numbers, or a raw one (the last choice). */
static inline uint64_t fb_pick_u64(struct fuzz_bytes *b, const uint64_t *choices, size_t nchoices)
{
	unsigned c = fb_u8(b) % (unsigned)(nchoices + 1);

	return c < nchoices ? choices[c] : fb_u64(b);
}

/* ---- strict JSON --------------------------------------------------------------- */

static const char *fj_value(const char *p, const char *end, int depth);

static const char *fj_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
		p++;
	return p;
}

static int fj_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char *fj_string(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '"')
			return p + 1;
		if (c < 0x20 || c == 0x7f)
			return NULL;                  /* raw control byte inside a string */
		if (c == '\\') {
			if (++p >= end)
				return NULL;
			if (*p == 'u') {
				int i;
				for (i = 1; i <= 4; i++)
					if (p + i >= end || !fj_hex(p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
	}
	return NULL;
}

static const char *fj_number(const char *p, const char *end)
{
	const char *s;

	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		s = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == s)
			return NULL;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		s = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == s)
			return NULL;
	}
	return p;
}

static const char *fj_lit(const char *p, const char *end, const char *lit)
{
	size_t n = strlen(lit);
	return (size_t)(end - p) >= n && memcmp(p, lit, n) == 0 ? p + n : NULL;
}

static const char *fj_value(const char *p, const char *end, int depth)
{
	if (depth > 64)
		return NULL;
	p = fj_ws(p, end);
	if (p >= end)
		return NULL;
	if (*p == '{' || *p == '[') {
		int obj = *p == '{';
		char close = obj ? '}' : ']';

		p = fj_ws(p + 1, end);
		if (p < end && *p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				p = fj_string(fj_ws(p, end), end);
				if (!p)
					return NULL;
				p = fj_ws(p, end);
				if (p >= end || *p != ':')
					return NULL;
				p++;
			}
			p = fj_value(p, end, depth + 1);
			if (!p)
				return NULL;
			p = fj_ws(p, end);
			if (p < end && *p == ',') {
				p++;
				continue;
			}
			return p < end && *p == close ? p + 1 : NULL;
		}
	}
	if (*p == '"')
		return fj_string(p, end);
	if (*p == 't')
		return fj_lit(p, end, "true");
	if (*p == 'f')
		return fj_lit(p, end, "false");
	if (*p == 'n')
		return fj_lit(p, end, "null");
	return fj_number(p, end);
}

/*
 * What every JSON writer promises: exactly one value on one line, ending in a
 * newline; valid JSON (strict: escapes, commas, literals); no raw control byte
 * anywhere, so brackets and braces balance outside strings.
 */
static void check_json_line(const char *s, size_t n)
{
	const char *e;
	size_t i;

	FUZZ_CHECK(n > 0 && s[n - 1] == '\n');
	for (i = 0; i + 1 < n; i++)
		FUZZ_CHECK((unsigned char)s[i] >= 0x20 && (unsigned char)s[i] != 0x7f);
	e = fj_value(s, s + n - 1, 0);
	FUZZ_CHECK(e != NULL);
	FUZZ_CHECK(fj_ws(e, s + n) == s + n);
}

/* Run a writer into memory; the caller frees. */
#define FUZZ_CAPTURE(bufp, lenp, call) do { \
	FILE *fuzz_m_ = open_memstream((bufp), (lenp)); \
	FUZZ_CHECK(fuzz_m_ != NULL); \
	{ FILE *fp = fuzz_m_; call; } \
	fclose(fuzz_m_); } while (0)

/* ---- the verdict ----------------------------------------------------------------- */

/* The catalog's rule, restated from vmf_diag.h: required TRUE, forbidden FALSE. */
struct fuzz_score {
	int failed, unknown, text_gap, weight, holds;
};

static struct fuzz_score fuzz_score(const struct vmf_report *r, const struct vmf_signature *s)
{
	struct fuzz_score sc;
	int i;

	memset(&sc, 0, sizeof(sc));
	sc.weight = s->nrequire + s->nforbid;
	for (i = 0; i < sc.weight; i++) {
		enum vmf_cond c = i < s->nrequire ? s->require[i] : s->forbid[i - s->nrequire];
		enum vmf_tri want = i < s->nrequire ? VMF_TRUE : VMF_FALSE;
		enum vmf_tri t = r->fact[c].state;
		if (t == VMF_UNKNOWN) {
			sc.unknown++;
			/* a release-only fact is left to the dump too (vmf_catalog.h) */
			sc.text_gap += vmf_conds[c].source == VMF_SRC_DUMP || vmf_conds[c].source == VMF_SRC_RELEASE;
		} else if (t != want) {
			sc.failed++;
		}
	}
	sc.holds = !sc.failed && (!sc.unknown || (r->text_only && sc.unknown == sc.text_gap));
	return sc;
}

static void check_strings(const struct vmf_report *r)
{
	int i;

	for (i = 0; i < VMF_NCONDS; i++)
		FUZZ_TERMINATED(r->fact[i].detail);
	for (i = 0; i < VMF_MAX_NOTES; i++)
		FUZZ_TERMINATED(r->notes[i]);
	FUZZ_TERMINATED(r->missing);
	FUZZ_TERMINATED(r->confidence);
	FUZZ_TERMINATED(r->recommendation);
	FUZZ_TERMINATED(r->ev.window.why);
	FUZZ_TERMINATED(r->ev.kernel.version.release);
}

/*
 * The verdict's invariants after vmf_evaluate(), then both writers.
 * A MATCH names a primary signature whose conditions all hold (and no heavier
 * primary one holds); RELATED a relative that holds while no primary one does;
 * NO MATCH means every catalog entry has a condition decided against it;
 * INCONCLUSIVE always says what is missing.
 */
static void check_report(const struct vmf_report *r)
{
	char *buf = NULL;
	size_t n = 0;
	int i, any_primary = 0, any_holds = 0, best_weight = -1;
	char want[64];

	FUZZ_CHECK(r->nnotes >= 0 && r->nnotes <= VMF_MAX_NOTES);
	check_strings(r);
	FUZZ_CHECK(r->confidence[0]);
	FUZZ_CHECK(!r->sig || (r->sig >= vmf_catalog && r->sig < vmf_catalog + vmf_catalog_len));
	for (i = 0; i < vmf_catalog_len; i++) {
		struct fuzz_score sc = fuzz_score(r, &vmf_catalog[i]);
		any_holds |= sc.holds;
		if (sc.holds && vmf_catalog[i].primary) {
			any_primary = 1;
			if (sc.weight > best_weight)
				best_weight = sc.weight;
		}
	}
	switch (r->verdict) {
	case VMF_V_MATCH:
		FUZZ_CHECK(r->sig && r->sig->primary && r->sig->id && r->sig->id[0]);
		FUZZ_CHECK(fuzz_score(r, r->sig).holds);
		FUZZ_CHECK(fuzz_score(r, r->sig).weight == best_weight);
		FUZZ_CHECK(!r->missing[0]);
		break;
	case VMF_V_RELATED:
		FUZZ_CHECK(r->sig && !r->sig->primary && r->sig->id && r->sig->id[0]);
		FUZZ_CHECK(fuzz_score(r, r->sig).holds);
		FUZZ_CHECK(!any_primary);
		break;
	case VMF_V_INCONCLUSIVE:
		FUZZ_CHECK(r->missing[0]);            /* INCONCLUSIVE must name what is missing */
		if (r->text_only || r->ev.oops.found)
			FUZZ_CHECK(!any_holds && r->sig);
		else
			FUZZ_CHECK(!r->sig);          /* no oops at all: no nearest signature */
		break;
	case VMF_V_NO_MATCH:
		FUZZ_CHECK(!r->sig && !any_holds);
		for (i = 0; i < vmf_catalog_len; i++)
			FUZZ_CHECK(fuzz_score(r, &vmf_catalog[i]).failed > 0);
		break;
	default:
		FUZZ_CHECK(!"verdict outside the enum");
	}
	/* without an oops a dump is never decided either way */
	if (!r->text_only && !r->ev.oops.found)
		FUZZ_CHECK(r->verdict == VMF_V_INCONCLUSIVE);
	if (r->recommendation[0])
		FUZZ_CHECK(r->verdict == VMF_V_MATCH || r->verdict == VMF_V_RELATED);   /* a fix only for what matched */

	FUZZ_CAPTURE(&buf, &n, vmf_report_json(fp, r));
	check_json_line(buf, n);
	snprintf(want, sizeof(want), "\"verdict\":\"%s\"", vmf_verdict_name(r->verdict));
	FUZZ_CHECK(strstr(buf, want) != NULL);
	if (r->sig) {
		snprintf(want, sizeof(want), "\"signature\":\"%s\"", r->sig->id);
		FUZZ_CHECK(strstr(buf, want) != NULL);
	}
	free(buf);

	buf = NULL;
	FUZZ_CAPTURE(&buf, &n, vmf_report_text(fp, r, 1));
	if (getenv("FUZZ_PRINT"))                    /* FUZZ_PRINT=1 build/fuzz/fuzz_x input: see the report */
		fwrite(buf, 1, n, stderr);
	FUZZ_CHECK(n > 9 && strncmp(buf, "VERDICT: ", 9) == 0);
	FUZZ_CHECK(strlen(buf) == n);                /* no NUL byte written into the text */
	free(buf);
	buf = NULL;
	FUZZ_CAPTURE(&buf, &n, vmf_report_text(fp, r, 0));
	free(buf);
}
#endif
