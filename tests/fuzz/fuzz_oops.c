/*
 * fuzz_oops - console/dmesg text through the whole text-only pipeline,
 * vmf_diagnose() as vmfault-triage calls it, then both writers (into memory,
 * checked: fuzz_common.h); and the oops parser alone once more.
 *
 * The text is handed over in a buffer of exactly its length, without a NUL
 * after it, so that any read past `len` is an AddressSanitizer report.  The
 * same text, NUL-terminated, also goes through the disassembly heuristic
 * (vmf_code_large_check), the other parser of text the front ends feed in.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_logline.h"
#include "vmf_oops.h"
#include "vmf_diagnose.h"
#include "vmf_evidence.h"
#include "fuzz_common.h"

/* Well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF). */
static int valid_utf8(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	while (*s) {
		unsigned long c;
		int n, i;

		if (*s < 0x80) {
			s++;
			continue;
		}
		n = *s >= 0xf0 ? 3 : *s >= 0xe0 ? 2 : *s >= 0xc0 ? 1 : -1;
		if (n < 0 || *s > 0xf4)
			return 0;
		c = *s & (0x3f >> n);
		for (i = 1; i <= n; i++) {
			if ((s[i] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i] & 0x3f);
		}
		if (c < (n == 1 ? 0x80UL : n == 2 ? 0x800UL : 0x10000UL) || (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
			return 0;
		s += n + 1;
	}
	return 1;
}

/* vmf_logline.h: two copies of one length, printable ASCII and UTF-8, differing only where text has a space */
static void check_logline(const char *in, size_t len)
{
	struct vmf_logline ln;
	size_t i;

	vmf_logline_clean(in, len, &ln);
	FUZZ_TERMINATED(ln.text);
	FUZZ_TERMINATED(ln.utf8);
	FUZZ_CHECK(ln.len == strlen(ln.text) && ln.len == strlen(ln.utf8) && ln.len < VMF_LOGLINE_MAX);
	FUZZ_CHECK(!ln.len || (ln.text[0] != ' ' && ln.text[ln.len - 1] != ' '));
	for (i = 0; i < ln.len; i++) {
		FUZZ_CHECK(ln.text[i] >= 0x20 && ln.text[i] < 0x7f);
		FUZZ_CHECK(ln.text[i] == ' ' || ln.utf8[i] == ln.text[i]);
	}
	FUZZ_CHECK(valid_utf8(ln.utf8));
	FUZZ_CHECK(ln.caller >= -1 && ln.caller <= (VMF_CALLER_CPU | 0x7fffffffL));
}

static void check_src(const struct vmf_src_line *s, int nlines)
{
	FUZZ_TERMINATED(s->text);
	FUZZ_CHECK(s->line >= 0 && s->line <= nlines);
	if (s->line)
		FUZZ_CHECK(s->text[0] != 0);      /* a line was cited: it was not empty */
}

/* What vmf_oops.h promises about any parse, whatever the text. */
static void check_oops(const struct vmf_oops *o, int rc, int nlines)
{
	int i;

	FUZZ_CHECK(rc == (o->found ? 0 : -1));
	FUZZ_CHECK((unsigned)o->kind <= VMF_OOPS_OTHER);
	if (!o->found) {
		FUZZ_CHECK(o->count == 0 && o->kind == VMF_OOPS_NONE);
		return;
	}
	FUZZ_CHECK(o->count >= 1);
	FUZZ_CHECK(o->bug.line >= 1);
	check_src(&o->bug, nlines);
	check_src(&o->oops_line, nlines);
	check_src(&o->rip, nlines);
	check_src(&o->pt_line, nlines);
	check_src(&o->cpu_line, nlines);
	check_src(&o->panic_line, nlines);
	FUZZ_CHECK(!o->has_rip || o->rip.line >= 1);
	FUZZ_CHECK(!o->rip_has_addr || o->has_rip);
	FUZZ_TERMINATED(o->pf_access);
	FUZZ_TERMINATED(o->pf_reason);
	FUZZ_TERMINATED(o->rip_sym);
	FUZZ_TERMINATED(o->rip_module);
	FUZZ_TERMINATED(o->comm);
	FUZZ_CHECK(valid_utf8(o->comm) && valid_utf8(o->cpu_line.text));   /* UTF-8 kept, never broken */
	FUZZ_CHECK((o->from_die == 0 || o->from_die == 1) && (o->ended == 0 || o->ended == 1));
	FUZZ_TERMINATED(o->release);
	FUZZ_TERMINATED(o->panic_msg);
	FUZZ_CHECK(o->ncalls >= 0 && o->ncalls <= (int)(sizeof(o->calls) / sizeof(o->calls[0])));
	for (i = 0; i < o->ncalls; i++) {
		FUZZ_TERMINATED(o->calls[i]);
		FUZZ_CHECK(o->calls[i][0] != 0);
	}
	for (i = 0; i < 5; i++)
		FUZZ_CHECK(!o->pt[i].printed || o->pt_line.line);
	for (i = 0; i < VMF_NREGS; i++) {
		uint64_t v = 0;
		FUZZ_CHECK(o->reg[i].line >= 0 && o->reg[i].line <= nlines);
		FUZZ_CHECK(vmf_oops_reg(o, (enum vmf_reg)i, &v) == o->reg[i].line);
		FUZZ_CHECK(!o->reg[i].line || v == o->reg[i].value);
		FUZZ_CHECK(strcmp(vmf_reg_name((enum vmf_reg)i), "?") != 0);
	}
}

static void same_src(const struct vmf_src_line *a, const struct vmf_src_line *b)
{
	FUZZ_CHECK(a->line == b->line && strcmp(a->text, b->text) == 0);
}

/*
 * Two parses of one text agree.  Field by field: the bytes after a string's NUL
 * are not compared (oops.c copies a whole char[64] of which only the string is
 * set into calls[], so they hold stack leftovers).
 */
static void same_oops(const struct vmf_oops *a, const struct vmf_oops *b)
{
	int i;

	FUZZ_CHECK(a->found == b->found && a->count == b->count && a->kind == b->kind);
	FUZZ_CHECK(a->from_die == b->from_die && a->ended == b->ended);
	same_src(&a->bug, &b->bug);
	FUZZ_CHECK(a->has_fault_addr == b->has_fault_addr && a->fault_addr == b->fault_addr);
	FUZZ_CHECK(a->has_error_code == b->has_error_code && a->error_code == b->error_code);
	FUZZ_CHECK(!strcmp(a->pf_access, b->pf_access) && !strcmp(a->pf_reason, b->pf_reason));
	same_src(&a->oops_line, &b->oops_line);
	FUZZ_CHECK(a->has_rip == b->has_rip && a->rip_has_addr == b->rip_has_addr && a->rip_addr == b->rip_addr);
	FUZZ_CHECK(!strcmp(a->rip_sym, b->rip_sym) && !strcmp(a->rip_module, b->rip_module));
	FUZZ_CHECK(a->rip_off == b->rip_off && a->rip_len == b->rip_len);
	same_src(&a->rip, &b->rip);
	for (i = 0; i < 5; i++)
		FUZZ_CHECK(a->pt[i].printed == b->pt[i].printed && a->pt[i].value == b->pt[i].value);
	same_src(&a->pt_line, &b->pt_line);
	FUZZ_CHECK(a->has_cpu == b->has_cpu && a->cpu == b->cpu && a->has_pid == b->has_pid && a->pid == b->pid);
	FUZZ_CHECK(!strcmp(a->comm, b->comm) && !strcmp(a->release, b->release));
	same_src(&a->cpu_line, &b->cpu_line);
	FUZZ_CHECK(!strcmp(a->panic_msg, b->panic_msg));
	same_src(&a->panic_line, &b->panic_line);
	FUZZ_CHECK(a->ncalls == b->ncalls);
	for (i = 0; i < a->ncalls; i++)
		FUZZ_CHECK(!strcmp(a->calls[i], b->calls[i]));
	for (i = 0; i < VMF_NREGS; i++)
		FUZZ_CHECK(a->reg[i].line == b->reg[i].line && a->reg[i].value == b->reg[i].value);
}

/* Fill the stack below us with a pattern, so a parse that reads stale stack bytes shows. */
static void __attribute__((noinline)) scribble_stack(unsigned char v)
{
	volatile unsigned char junk[16384];
	size_t i;

	for (i = 0; i < sizeof(junk); i++)
		junk[i] = v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmf_report r;
	static struct vmf_oops again;
	struct vmf_inputs inputs = { 0 };
	char *text = malloc(size ? size : 1), *cstr, note[240];
	int rc, nlines = 1;
	size_t i;

	if (!text)
		return 0;
	memcpy(text, data, size);
	for (i = 0; i < size; i++)
		nlines += text[i] == '\n';           /* NUL is no line end: it is dropped */
	check_logline(text, size);

	/* what vmfault-triage does with a text file: the whole pipeline, text only */
	inputs.log = text;
	inputs.loglen = size;
	inputs.log_source = "fuzz.txt";
	FUZZ_CHECK(vmf_diagnose(&r, &inputs) == 0);
	FUZZ_CHECK(r.text_only && r.ev.have_log == (size > 0));
	FUZZ_CHECK(!r.ev.kernel.version.ok ||
		   (r.ev.kernel.version.major >= 2 && r.ev.kernel.version.minor >= 0 &&
		    r.ev.kernel.version.patch >= -1));
	check_report(&r);
	/* the parse depends on the text alone, not on what was on the stack before */
	scribble_stack(0x3a);                     /* ':' everywhere */
	rc = vmf_parse_oops(text, size, &again);
	check_oops(&again, rc, nlines);
	same_oops(&again, &r.ev.oops);

	/* the disassembly heuristic reads NUL-terminated text */
	cstr = malloc(size + 1);
	if (cstr) {
		enum vmf_tri t;

		memcpy(cstr, data, size);
		cstr[size] = 0;
		t = vmf_code_large_check(cstr, size & 1 ? 0xffffffff8106d520ULL : 0,
					 size & 2 ? (long)(size % 1024) : -1, note, sizeof(note));
		FUZZ_CHECK((unsigned)t <= VMF_FALSE);
		FUZZ_TERMINATED(note);
		FUZZ_CHECK(note[0] != 0);
		free(cstr);
	}
	free(text);
	return 0;
}
