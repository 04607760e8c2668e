/*
 * jsonread.h - a small, strict JSON reader for the lines triage reads back:
 * the extension's `vmfault -j` object and its own results file.  A text is
 * checked whole against RFC 8259 (UTF-8, escapes, surrogate pairs, numbers,
 * nesting) before any field is taken from it, so a cut or damaged line is never
 * half-used.  Values are spans of the checked text; nothing is allocated.
 */
#ifndef TRIAGE_JSONREAD_H
#define TRIAGE_JSONREAD_H

#include <stddef.h>

enum json_type { JSON_NONE = 0, JSON_OBJECT, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL };

struct json_value {
	enum json_type type;
	const char *text;         /* the value's JSON text, inside the checked text */
	size_t len;
};

/*
 * Is text[0..len) exactly one JSON value, with only whitespace around it?
 * 0 with *whole set to it; -1 with the reason ("bad escape at byte 12").
 */
int json_check(const char *text, size_t len, struct json_value *whole, char *why, size_t wlen);

/* The value of `key` among an object's own members (a checked value); -1 when absent. */
int json_member(const struct json_value *obj, const char *key, struct json_value *out);

/*
 * A string value decoded to UTF-8 and NUL-terminated.  -1 when it is not a
 * string, holds U+0000, or does not fit in len bytes.
 */
int json_string(const struct json_value *v, char *out, size_t len);

/* Convenience: the member `key` as a string ("" for null); -1 when absent, of another type, or too long. */
int json_member_string(const struct json_value *obj, const char *key, char *out, size_t len);

#endif
