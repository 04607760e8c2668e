/*
 * test_jsonread.c - the triage CLI's strict JSON reader: what it accepts, what
 * it refuses (every way a line can be cut or damaged), and the values it gives.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "vmf_writers.h"
#include "../../cli/jsonread.c"

static int valid(const char *s)
{
	struct json_value v;

	return json_check(s, strlen(s), &v, NULL, 0) == 0;
}

static const char *member(const char *obj, const char *key)
{
	static char out[256];
	struct json_value v;

	if (json_check(obj, strlen(obj), &v, NULL, 0) || json_member_string(&v, key, out, sizeof(out)))
		return NULL;
	return out;
}

static void accepted(void)
{
	CHECK(valid("{}"));
	CHECK(valid(" [ ] "));
	CHECK(valid("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}"));
	CHECK(valid("[0,-0,1.5,-2e10,3E+2,4e-1,123456789012345678901234567890]"));
	CHECK(valid("\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""));
	CHECK(valid("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
}

static void refused(void)
{
	const char *line = "{\"path\":\"/x\",\"report\":{\"a\":[1,2]}}";
	size_t i;
	struct json_value v;

	/* every cut of a line is refused, whatever byte it stops at */
	for (i = 0; i < strlen(line); i++)
		CHECK(json_check(line, i, &v, NULL, 0) != 0);
	CHECK(valid(line));
	CHECK(!valid("{\"a\":1} x"));
	CHECK(!valid("{\"a\":1}{\"b\":2}"));
	CHECK(!valid("{\"a\":1,}"));
	CHECK(!valid("[1,]"));
	CHECK(!valid("{\"a\" 1}"));
	CHECK(!valid("{a:1}"));
	CHECK(!valid("[01]"));
	CHECK(!valid("[1.]"));
	CHECK(!valid("[.5]"));
	CHECK(!valid("[1e]"));
	CHECK(!valid("[+1]"));
	CHECK(!valid("[tru]"));
	CHECK(!valid("[nul]"));
	CHECK(!valid("\"tab\there\""));
	CHECK(!valid("\"\\x41\""));
	CHECK(!valid("\"\\u12\""));
	CHECK(!valid("\"\\ud800\""));               /* a high surrogate alone */
	CHECK(!valid("\"\\udc00\""));               /* a low surrogate alone */
	CHECK(!valid("\"\\ud800\\u0041\""));
	CHECK(!valid("\"\xc0\xaf\""));               /* overlong '/' */
	CHECK(!valid("\"\xe0\x80\xaf\""));
	CHECK(!valid("\"\xed\xa0\x80\""));           /* a surrogate in UTF-8 */
	CHECK(!valid("\"\xf4\x90\x80\x80\""));       /* past U+10FFFF */
	CHECK(!valid("\"\xc3\""));                   /* cut sequence */
	CHECK(!valid("\"\xff\""));
	CHECK(!valid(""));
	CHECK(!valid("   "));
}

static void depth(void)
{
	char deep[300];
	int i;

	for (i = 0; i < 100; i++)
		deep[i] = '[';
	for (i = 0; i < 100; i++)
		deep[100 + i] = ']';
	deep[200] = 0;
	CHECK(!valid(deep));                        /* past the nesting bound */
	deep[0] = 0;
	for (i = 0; i < 30; i++)
		strcat(deep, "[");
	for (i = 0; i < 30; i++)
		strcat(deep, "]");
	CHECK(valid(deep));
}

static void members(void)
{
	const char *obj = "{\"report\":{\"verdict\":\"inner\"},\"verdict\":\"NO MATCH\",\"sig\":null,"
			  "\"n\":3,\"s\":\"a\\\"b\\\\c\\nd\\u00e9\\ud83d\\ude00\"}";
	char small[4];
	struct json_value v, m;

	CHECK_STR(member(obj, "verdict"), "NO MATCH");   /* the object's own member, not the nested one */
	CHECK_STR(member(obj, "sig"), "");
	CHECK(member(obj, "n") == NULL);                 /* a number is no string */
	CHECK(member(obj, "absent") == NULL);
	CHECK_STR(member(obj, "s"), "a\"b\\c\nd\xc3\xa9\xf0\x9f\x98\x80");
	CHECK(member("{\"a\":\"\\u0000\"}", "a") == NULL);   /* no NUL inside a C string */
	CHECK(json_check(obj, strlen(obj), &v, NULL, 0) == 0 && json_member(&v, "report", &m) == 0 &&
	      m.type == JSON_OBJECT && m.len == strlen("{\"verdict\":\"inner\"}"));
	CHECK(json_member(&v, "s", &m) == 0 && json_string(&m, small, sizeof(small)) != 0);   /* does not fit */
	CHECK(member("{}", "a") == NULL);
	CHECK(member("[\"a\"]", "a") == NULL);
}

/* The engine's JSON string writer, read back by this reader. */
static const char *written(const char *in)
{
	static char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	vmf_json_str(f, in);
	fclose(f);
	return out;
}

static const char *round_trip(const char *in)
{
	static char out[4096];
	const char *w = written(in);
	struct json_value v;

	if (json_check(w, strlen(w), &v, NULL, 0) || json_string(&v, out, sizeof(out)))
		return NULL;
	return out;
}

static void writer(void)
{
	unsigned char all[256];
	int i;

	CHECK_STR(written("f\xc3\xbcr /var/crash/\xe2\x82\xac"), "\"f\xc3\xbcr /var/crash/\xe2\x82\xac\"");
	CHECK_STR(written("comm \xf0\x9f\x98\x80"), "\"comm \xf0\x9f\x98\x80\"");
	CHECK_STR(written("a\"b\\c\nd\te\x1b[31m\x7f"), "\"a\\\"b\\\\c\\nd\\u0009e\\u001b[31m\\u007f\"");
	CHECK_STR(written("c1 \xc2\x9b nbsp \xc2\xa0"), "\"c1 \\u009b nbsp \xc2\xa0\"");
	/* bytes that are no UTF-8: stray, cut, overlong, surrogate, past U+10FFFF */
	CHECK_STR(written("\xff \xc3"), "\"\\ufffd \\ufffd\"");
	CHECK_STR(written("\xc0\xaf"), "\"\\ufffd\\ufffd\"");
	CHECK_STR(written("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\"");
	CHECK_STR(written("\xf4\x90\x80\x80"), "\"\\ufffd\\ufffd\\ufffd\\ufffd\"");
	/* valid UTF-8 comes back byte for byte */
	CHECK_STR(round_trip("/srv/dumps/m\xc3\xbcnchen/\xe6\x97\xa5\xe6\x9c\xac/vmcore"),
		  "/srv/dumps/m\xc3\xbcnchen/\xe6\x97\xa5\xe6\x9c\xac/vmcore");
	/* whatever the bytes, the writer's string is valid JSON */
	for (i = 0; i < 255; i++)
		all[i] = (unsigned char)(i + 1);
	all[255] = 0;
	CHECK(round_trip((const char *)all) != NULL);
}

int main(void)
{
	accepted();
	refused();
	depth();
	members();
	writer();
	return CHECK_DONE();
}
