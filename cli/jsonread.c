/*
 * jsonread.c - RFC 8259 checked whole, then members read from the checked text.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "jsonread.h"

/* deeper than anything triage writes or reads back; bounds the recursion */
#define JSON_MAX_DEPTH 64

struct reader {
	const unsigned char *s, *end;
	const unsigned char *start;
	int depth;
	const char *err;
};

static int fail(struct reader *r, const char *what)
{
	if (!r->err)
		r->err = what;
	return -1;
}

static void skip_ws(struct reader *r)
{
	while (r->s < r->end && (*r->s == ' ' || *r->s == '\t' || *r->s == '\n' || *r->s == '\r'))
		r->s++;
}

/* One UTF-8 sequence of a code point: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int utf8_seq(struct reader *r)
{
	const unsigned char *p = r->s;
	unsigned c = *p, n, i;
	uint32_t cp;

	if (c < 0x80)
		n = 0, cp = c;
	else if (c >= 0xc2 && c <= 0xdf)
		n = 1, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 2, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 3, cp = c & 0x07;
	else
		return fail(r, "invalid UTF-8");
	if ((size_t)(r->end - p) <= n)
		return fail(r, "invalid UTF-8");
	for (i = 1; i <= n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return fail(r, "invalid UTF-8");
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return fail(r, "invalid UTF-8");
	r->s += n + 1;
	return 0;
}

static int hex4(const unsigned char *p, uint32_t *v)
{
	int i;

	*v = 0;
	for (i = 0; i < 4; i++) {
		unsigned c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			*v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			*v |= c - 'A' + 10;
		else
			return -1;
	}
	return 0;
}

/* \uXXXX, and its low half when it is a high surrogate: the code point */
static int unicode_escape(const unsigned char **pp, const unsigned char *end, uint32_t *cp)
{
	const unsigned char *p = *pp;
	uint32_t lo;

	if (end - p < 6 || hex4(p + 2, cp))
		return -1;
	p += 6;
	if (*cp >= 0xdc00 && *cp <= 0xdfff)
		return -1;
	if (*cp >= 0xd800 && *cp <= 0xdbff) {
		if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return -1;
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
		p += 6;
	}
	*pp = p;
	return 0;
}

static int check_string(struct reader *r)
{
	uint32_t cp;

	r->s++;                                 /* the opening quote */
	while (r->s < r->end && *r->s != '"') {
		if (*r->s < 0x20)
			return fail(r, "control character in a string");
		if (*r->s == '\\') {
			if (r->end - r->s < 2)
				return fail(r, "cut escape");
			if (r->s[1] == 'u') {
				if (unicode_escape(&r->s, r->end, &cp))
					return fail(r, "bad \\u escape");
				continue;
			}
			if (!r->s[1] || !strchr("\"\\/bfnrt", r->s[1]))
				return fail(r, "bad escape");
			r->s += 2;
			continue;
		}
		if (utf8_seq(r))
			return -1;
	}
	if (r->s >= r->end)
		return fail(r, "unterminated string");
	r->s++;
	return 0;
}

static int digits(struct reader *r)
{
	const unsigned char *p = r->s;

	while (r->s < r->end && *r->s >= '0' && *r->s <= '9')
		r->s++;
	return r->s > p ? 0 : fail(r, "bad number");
}

static int check_number(struct reader *r)
{
	if (*r->s == '-')
		r->s++;
	if (r->s < r->end && *r->s == '0')
		r->s++;
	else if (digits(r))
		return -1;
	if (r->s < r->end && *r->s == '.') {
		r->s++;
		if (digits(r))
			return -1;
	}
	if (r->s < r->end && (*r->s == 'e' || *r->s == 'E')) {
		r->s++;
		if (r->s < r->end && (*r->s == '+' || *r->s == '-'))
			r->s++;
		if (digits(r))
			return -1;
	}
	return 0;
}

static int check_value(struct reader *r, struct json_value *v);

/* members or elements up to the closing bracket; objects want "key": before each value */
static int check_container(struct reader *r, int object)
{
	const unsigned char close = object ? '}' : ']';
	struct json_value v;

	if (++r->depth > JSON_MAX_DEPTH)
		return fail(r, "nested too deep");
	r->s++;
	skip_ws(r);
	if (r->s < r->end && *r->s == close) {
		r->s++;
		r->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(r);
		if (object) {
			if (r->s >= r->end || *r->s != '"' || check_string(r))
				return fail(r, "member name expected");
			skip_ws(r);
			if (r->s >= r->end || *r->s++ != ':')
				return fail(r, "':' expected");
		}
		if (check_value(r, &v))
			return -1;
		skip_ws(r);
		if (r->s < r->end && *r->s == ',') {
			r->s++;
			continue;
		}
		if (r->s < r->end && *r->s == close) {
			r->s++;
			r->depth--;
			return 0;
		}
		return fail(r, object ? "',' or '}' expected" : "',' or ']' expected");
	}
}

static int literal(struct reader *r, const char *word)
{
	size_t n = strlen(word);

	if ((size_t)(r->end - r->s) < n || memcmp(r->s, word, n))
		return fail(r, "unknown literal");
	r->s += n;
	return 0;
}

static int check_value(struct reader *r, struct json_value *v)
{
	int ret;

	skip_ws(r);
	if (r->s >= r->end)
		return fail(r, "value expected");
	v->text = (const char *)r->s;
	switch (*r->s) {
	case '{':
		v->type = JSON_OBJECT, ret = check_container(r, 1);
		break;
	case '[':
		v->type = JSON_ARRAY, ret = check_container(r, 0);
		break;
	case '"':
		v->type = JSON_STRING, ret = check_string(r);
		break;
	case 't':
		v->type = JSON_TRUE, ret = literal(r, "true");
		break;
	case 'f':
		v->type = JSON_FALSE, ret = literal(r, "false");
		break;
	case 'n':
		v->type = JSON_NULL, ret = literal(r, "null");
		break;
	default:
		if (*r->s != '-' && (*r->s < '0' || *r->s > '9'))
			return fail(r, "value expected");
		v->type = JSON_NUMBER, ret = check_number(r);
	}
	v->len = (size_t)((const char *)r->s - v->text);
	return ret;
}

int json_check(const char *text, size_t len, struct json_value *whole, char *why, size_t wlen)
{
	struct reader r = { (const unsigned char *)text, (const unsigned char *)text + len,
			    (const unsigned char *)text, 0, NULL };

	memset(whole, 0, sizeof(*whole));
	if (check_value(&r, whole) == 0) {
		skip_ws(&r);
		if (r.s == r.end)
			return 0;
		fail(&r, "text after the value");
	}
	if (why)
		snprintf(why, wlen, "%s at byte %ld", r.err, (long)(r.s - r.start));
	whole->type = JSON_NONE;
	return -1;
}

int json_member(const struct json_value *obj, const char *key, struct json_value *out)
{
	struct reader r;
	struct json_value name;
	char decoded[128];

	if (obj->type != JSON_OBJECT)
		return -1;
	/* the object was checked whole: walk its members without looking for errors */
	r.start = r.s = (const unsigned char *)obj->text + 1;
	r.end = (const unsigned char *)obj->text + obj->len - 1;
	r.depth = 0;
	r.err = NULL;
	for (;;) {
		skip_ws(&r);
		if (r.s >= r.end || check_value(&r, &name) || name.type != JSON_STRING)
			return -1;
		skip_ws(&r);
		r.s++;                          /* ':' */
		if (check_value(&r, out))
			return -1;
		if (json_string(&name, decoded, sizeof(decoded)) == 0 && !strcmp(decoded, key))
			return 0;
		skip_ws(&r);
		r.s++;                          /* ',' */
	}
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

int json_string(const struct json_value *v, char *out, size_t len)
{
	static const char esc_in[] = "\"\\/bfnrt", esc_out[] = "\"\\/\b\f\n\r\t";
	const unsigned char *p, *end;
	size_t k = 0;

	if (v->type != JSON_STRING || !len)
		return -1;
	p = (const unsigned char *)v->text + 1;
	end = (const unsigned char *)v->text + v->len - 1;
	while (p < end) {
		char buf[4];
		size_t n = 1;
		uint32_t cp;

		if (*p != '\\') {
			buf[0] = (char)*p++;
		} else if (p[1] == 'u') {
			if (unicode_escape(&p, end, &cp) || cp == 0)
				return -1;
			n = put_utf8(buf, cp);
		} else {
			buf[0] = esc_out[strchr(esc_in, p[1]) - esc_in];
			p += 2;
		}
		if (k + n >= len)
			return -1;
		memcpy(out + k, buf, n);
		k += n;
	}
	out[k] = 0;
	return 0;
}

int json_member_string(const struct json_value *obj, const char *key, char *out, size_t len)
{
	struct json_value v;

	if (json_member(obj, key, &v))
		return -1;
	if (v.type == JSON_NULL) {
		out[0] = 0;
		return len ? 0 : -1;
	}
	return json_string(&v, out, len);
}
