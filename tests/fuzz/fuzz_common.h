/*
 * fuzz_common.h - what the libFuzzer targets share: checks on the writers'
 * output that hold for any input.
 */
#ifndef VMF_FUZZ_COMMON_H
#define VMF_FUZZ_COMMON_H
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_diag.h"

/* The JSON writer's output: one line, balanced outside strings, no raw control bytes. */
static void check_json(const char *s, size_t n)
{
	int depth = 0, in_str = 0, esc = 0;
	size_t i;

	if (n == 0 || s[n - 1] != '\n')
		abort();
	for (i = 0; i + 1 < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20)
			abort();                  /* a newline or control byte inside the object */
		if (in_str) {
			if (esc)
				esc = 0;
			else if (c == '\\')
				esc = 1;
			else if (c == '"')
				in_str = 0;
			continue;
		}
		if (c == '"')
			in_str = 1;
		else if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth < 0)
			abort();
	}
	if (depth != 0 || in_str)
		abort();
}

/* The verdict's invariants, then both writers. */
static void check_report(const struct vmf_report *r)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m;

	switch (r->verdict) {
	case VMF_V_MATCH:
		if (!r->sig || !r->sig->primary)
			abort();
		break;
	case VMF_V_RELATED:
		if (!r->sig || r->sig->primary)
			abort();
		break;
	case VMF_V_INCONCLUSIVE:
		if (!r->missing[0])
			abort();                  /* INCONCLUSIVE must name what is missing */
		break;
	case VMF_V_NO_MATCH:
		if (r->sig)
			abort();
		break;
	default:
		abort();
	}
	if (r->recommendation[0] && r->verdict != VMF_V_MATCH && r->verdict != VMF_V_RELATED)
		abort();                          /* a fix only for what matched */
	m = open_memstream(&buf, &n);
	vmf_report_json(m, r);
	fclose(m);
	check_json(buf, n);
	free(buf);
	buf = NULL;
	m = open_memstream(&buf, &n);
	vmf_report_text(m, r, 1);
	fclose(m);
	if (!strstr(buf, "VERDICT: "))
		abort();
	free(buf);
}
#endif
