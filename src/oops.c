/*
 * oops.c - find the first oops in log text and pull out what the diagnosis needs.
 *
 * Lines are cleaned before matching: mail quoting ("> > "), syslog prefixes
 * ("Feb  9 10:10:17 host kernel: "), "<4>" levels, "[  12.345678] " timestamps
 * (crash's log prints the same) and bytes outside printable ASCII (the seed
 * report carries "\xc2\xa0" non-breaking spaces).  Every copy is bounded.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_oops.h"

#define LINE_MAX_LEN 512

static const char *const kind_names[] = {
	"none", "paging request", "page fault", "NULL pointer dereference", "kernel BUG", "other",
};

const char *vmf_oops_kind_name(enum vmf_oops_kind k)
{
	return (unsigned)k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k] : "?";
}

static const char *const reg_names[VMF_NREGS] = {
	"RAX", "RBX", "RCX", "RDX", "RSI", "RDI", "RBP", "RSP", "R08", "R09", "R10", "R11",
	"R12", "R13", "R14", "R15", "EFLAGS", "CR0", "CR2", "CR3", "CR4",
	"EAX", "EBX", "ECX", "EDX", "ESI", "EDI", "EBP", "ESP",
};

const char *vmf_reg_name(enum vmf_reg r)
{
	return (unsigned)r < VMF_NREGS ? reg_names[r] : "?";
}

int vmf_oops_reg(const struct vmf_oops *o, enum vmf_reg r, uint64_t *value)
{
	if (!o || (unsigned)r >= VMF_NREGS || !o->reg[r].line)
		return 0;
	if (value)
		*value = o->reg[r].value;
	return o->reg[r].line;
}

static void copy_bounded(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (!dstlen)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* Non-ASCII bytes become spaces, so "Â BUG:" and "PUD 0Â" still match. */
static void clean_line(const char *in, size_t len, char *out, size_t outlen)
{
	char tmp[LINE_MAX_LEN];
	size_t i, n = 0;
	char *p, *q;

	for (i = 0; i < len && n + 1 < sizeof(tmp); i++) {
		unsigned char c = (unsigned char)in[i];
		tmp[n++] = (c == '\t') ? ' ' : (c < 0x20 || c > 0x7e) ? ' ' : (char)c;
	}
	tmp[n] = 0;
	p = tmp;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '>') {                        /* mail quoting, any depth */
			p++;
			continue;
		}
		if (*p == '<' && isdigit((unsigned char)p[1]) && p[2] == '>') {
			p += 3;                         /* printk level */
			continue;
		}
		if (*p == '[') {                        /* "[  12.345678] " timestamp */
			q = p + 1;
			while (*q == ' ')
				q++;
			if (isdigit((unsigned char)*q)) {
				while (isdigit((unsigned char)*q) || *q == '.')
					q++;
				if (*q == ']') {
					p = q + 1;
					continue;
				}
			}
		}
		q = strstr(p, " kernel: ");             /* syslog / journal prefix */
		if (q && q - p < 64) {
			p = q + 9;
			continue;
		}
		break;
	}
	copy_bounded(out, outlen, p, strlen(p));
	/* trailing blanks */
	n = strlen(out);
	while (n && out[n - 1] == ' ')
		out[--n] = 0;
}

static void set_src(struct vmf_src_line *s, int lineno, const char *text)
{
	s->line = lineno;
	copy_bounded(s->text, sizeof(s->text), text, strlen(text));
}

static int parse_hex(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	while (*s == ' ')
		s++;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	if (!isxdigit((unsigned char)*s))
		return -1;
	x = strtoull(s, &end, 16);
	*v = x;
	return 0;
}

/* "sym+0x1be/0x300 [mod]" -> fields; returns 0 on success */
static int parse_symoff(const char *s, struct vmf_oops *o)
{
	const char *plus, *slash, *end;
	size_t n;

	while (*s == ' ')
		s++;
	plus = strchr(s, '+');
	if (!plus || plus == s)
		return -1;
	n = (size_t)(plus - s);
	if (memchr(s, ' ', n))
		return -1;
	copy_bounded(o->rip_sym, sizeof(o->rip_sym), s, n);
	o->rip_off = strtoull(plus + 1, (char **)&end, 16);
	slash = strchr(plus, '/');
	o->rip_len = slash ? strtoull(slash + 1, (char **)&end, 16) : 0;
	o->rip_module[0] = 0;
	end = strchr(plus, '[');
	if (end) {
		const char *close = strchr(end, ']');
		if (close && close > end + 1)
			copy_bounded(o->rip_module, sizeof(o->rip_module), end + 1, (size_t)(close - end - 1));
	}
	return 0;
}

static int level_of(const char *w)
{
	static const char *const names[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	int i;
	for (i = 0; i < 5; i++)
		if (strcmp(w, names[i]) == 0)
			return i;
	return -1;
}

/* "PGD c7f03a067 PUD 0" or a continuation "PUD 0": record each "NAME hex" pair. */
static int parse_pt_words(const char *s, struct vmf_oops *o)
{
	char word[8];
	int found = 0;

	while (*s) {
		const char *w;
		size_t n;
		int lvl;
		uint64_t v;

		while (*s == ' ')
			s++;
		w = s;
		while (*s && *s != ' ')
			s++;
		n = (size_t)(s - w);
		if (n != 3)
			return found;
		copy_bounded(word, sizeof(word), w, n);
		lvl = level_of(word);
		if (lvl < 0 || parse_hex(s, &v))
			return found;
		o->pt[lvl].printed = 1;
		o->pt[lvl].value = v;
		found++;
		while (*s == ' ')
			s++;
		while (*s && *s != ' ')
			s++;
	}
	return found;
}

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * The first word of each line of x86's register dump: __show_regs() of
 * process_64.c ("RSP: 0018:...", "RAX: ...", ..., "FS:  ...", "CS:  ...",
 * "CR2: ...", "DR0: ...", "PKRU: ...") and of process_32.c ("EIP: ...",
 * "EAX: ...", "ESI: ...", "DS: ...", "CR0: ...").  "Code:" sits among them in 5.x+.
 */
static int regdump_line(const char *l)
{
	static const char *const first[] = {
		"RSP:", "RAX:", "RDX:", "RBP:", "R10:", "R13:", "FS:", "CS:", "CR2:", "DR0:", "DR3:", "DR6:",
		"PKRU:", "EIP:", "EAX:", "ESI:", "DS:", "CR0:", "Code:",
	};
	size_t k;

	for (k = 0; k < sizeof(first) / sizeof(first[0]); k++)
		if (starts(l, first[k]))
			return 1;
	return 0;
}

/*
 * "RAX: ffff8884c0000000 RBX: ffffc9803fe03000 RCX: 000fffffc0000000": every
 * "NAME: hex" pair with a register name is recorded, the first value of each
 * register kept.  A segment before the value ("RSP: 0018:ffffc90000187d78") is
 * skipped; "FS:  00000000016d63c0(0000)" ends its value at the parenthesis.
 */
static void parse_reg_pairs(const char *l, int lineno, struct vmf_oops *o)
{
	const char *s = l;

	while (*s) {
		const char *w = s, *v;
		size_t n;
		uint64_t x;
		int r;

		while (isalnum((unsigned char)*s) || *s == '_')
			s++;
		n = (size_t)(s - w);
		if (!n || *s != ':') {
			s += !n && *s;          /* not a word: step over one byte */
			continue;
		}
		v = ++s;
		while (*v == ' ')
			v++;
		if (isxdigit((unsigned char)v[0]) && isxdigit((unsigned char)v[1]) && isxdigit((unsigned char)v[2]) &&
		    isxdigit((unsigned char)v[3]) && v[4] == ':')
			v += 5;                 /* the segment */
		for (r = 0; r < VMF_NREGS; r++)
			if (strlen(reg_names[r]) == n && strncmp(w, reg_names[r], n) == 0)
				break;
		if (r < VMF_NREGS && !o->reg[r].line && parse_hex(v, &x) == 0) {
			o->reg[r].line = lineno;
			o->reg[r].value = x;
		}
		s = v;
		while (isxdigit((unsigned char)*s))
			s++;
	}
}

/* The first oops is described; the later ones are only counted. */
static void parse_line(struct vmf_oops *o, const char *l, int lineno, int *in_trace, int *in_first,
		       int *regs_done)
{
	const char *p;

	/* start of an oops */
	if ((p = strstr(l, "BUG: unable to handle kernel paging request at ")) != NULL ||
	    (p = strstr(l, "BUG: unable to handle page fault for address:")) != NULL ||
	    (p = strstr(l, "BUG: unable to handle kernel NULL pointer dereference at")) != NULL ||
	    (p = strstr(l, "BUG: kernel NULL pointer dereference, address:")) != NULL ||
	    (p = strstr(l, "kernel BUG at ")) != NULL) {
		o->count++;
		if (o->count > 1) {
			*in_first = 0;
			return;
		}
		*in_first = 1;
		o->found = 1;
		set_src(&o->bug, lineno, p);
		if (strstr(p, "kernel BUG at")) {
			o->kind = VMF_OOPS_KERNEL_BUG;
			return;
		}
		o->kind = strstr(p, "NULL pointer") ? VMF_OOPS_NULL_DEREF :
			  strstr(p, "paging request") ? VMF_OOPS_PAGING_REQUEST : VMF_OOPS_PAGE_FAULT;
		p = strrchr(p, ' ');
		if (p && parse_hex(p, &o->fault_addr) == 0)
			o->has_fault_addr = 1;
		return;
	}
	if (!o->found && (strstr(l, "general protection fault") || strstr(l, "sysrq: Trigger a crash") ||
			  strstr(l, "SysRq : Trigger a crash") || starts(l, "Oops:"))) {
		o->count++;
		*in_first = 1;
		o->found = 1;
		o->kind = VMF_OOPS_OTHER;
		set_src(&o->bug, lineno, l);
	}
	if (strstr(l, "Kernel panic - not syncing")) {
		if (!o->panic_line.line) {
			p = strstr(l, "Kernel panic - not syncing");
			set_src(&o->panic_line, lineno, p);
			copy_bounded(o->panic_msg, sizeof(o->panic_msg), p, strlen(p));
			if (!o->found) {
				o->found = 1;
				o->kind = VMF_OOPS_OTHER;
				o->count++;
				set_src(&o->bug, lineno, p);
				*in_first = 1;
			}
		}
		return;
	}
	if (!*in_first)
		return;

	if ((p = strstr(l, "#PF: error_code(")) != NULL) {
		o->has_error_code = 1;
		o->error_code = strtoul(p + 16, NULL, 16);
		p = strstr(p, ") - ");
		if (p)
			copy_bounded(o->pf_reason, sizeof(o->pf_reason), p + 4, strlen(p + 4));
		return;
	}
	if ((p = strstr(l, "#PF: ")) != NULL) {
		copy_bounded(o->pf_access, sizeof(o->pf_access), p + 5, strlen(p + 5));
		return;
	}
	if ((p = strstr(l, "Oops: ")) != NULL && !o->oops_line.line) {
		set_src(&o->oops_line, lineno, p);
		if (!o->has_error_code) {
			o->has_error_code = 1;
			o->error_code = strtoul(p + 6, NULL, 16);
		}
		return;
	}
	if (starts(l, "PGD ") || starts(l, "P4D ") || starts(l, "PUD ") || starts(l, "PMD ") ||
	    starts(l, "PTE ") || starts(l, "*pdpt = ") || starts(l, "*pde = ")) {
		if (parse_pt_words(l, o)) {
			if (!o->pt_line.line)
				set_src(&o->pt_line, lineno, l);
			else {
				/* 4.x printed "PGD x " and "PUD 0" on separate lines: keep both */
				size_t n = strlen(o->pt_line.text);
				if (n + 2 < sizeof(o->pt_line.text))
					snprintf(o->pt_line.text + n, sizeof(o->pt_line.text) - n, " %.150s", l);
			}
		}
		return;
	}
	if ((starts(l, "CPU: ") || strstr(l, " CPU: ")) && strstr(l, "PID: ") && !o->cpu_line.line) {
		const char *c = strstr(l, "CPU: "), *pid = strstr(l, "PID: "), *comm = strstr(l, "Comm: ");
		set_src(&o->cpu_line, lineno, c);
		o->has_cpu = 1;
		o->cpu = atoi(c + 5);
		o->has_pid = 1;
		o->pid = atoi(pid + 5);
		if (comm) {
			/* dump_stack prints "Comm: %.20s %s%s": "Kdump: loaded " may precede the taint */
			static const char *const after_comm[] = { " Kdump: loaded", " Tainted:", " Not tainted" };
			const char *end = NULL;
			size_t n, k;
			for (k = 0; k < sizeof(after_comm) / sizeof(after_comm[0]); k++) {
				const char *e = strstr(comm + 6, after_comm[k]);
				if (e && (!end || e < end))
					end = e;
			}
			n = end ? (size_t)(end - comm - 6) : strcspn(comm + 6, " ");
			copy_bounded(o->comm, sizeof(o->comm), comm + 6, n);
			/* the release is the word before " #N" */
			p = strstr(comm, " #");
			if (p) {
				const char *b = p;
				while (b > comm && b[-1] != ' ')
					b--;
				copy_bounded(o->release, sizeof(o->release), b, (size_t)(p - b));
			}
		}
		return;
	}
	if (!o->has_rip && ((p = strstr(l, "RIP: ")) != NULL || starts(l, "IP: ") ||
			    (p = strstr(l, " IP: ")) != NULL)) {
		const char *s = p ? p : l;
		const char *br = strstr(s, "[<");
		s = strchr(s, ':') + 1;
		while (*s == ' ')
			s++;
		if (br) {                               /* IP: [<ffffffff810664ae>] sym+off/len */
			if (parse_hex(br + 2, &o->rip_addr) == 0)
				o->rip_has_addr = 1;
			s = strstr(br, ">]");
			s = s ? s + 2 : br;
			/* 3.x: "RIP: e030:[<addr>]  [<addr>] sym+off/len" repeats the address */
			while (*s == ' ')
				s++;
			if (s[0] == '[' && s[1] == '<' && strstr(s, ">]"))
				s = strstr(s, ">]") + 2;
		} else if (isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]) &&
			   isxdigit((unsigned char)s[2]) && isxdigit((unsigned char)s[3]) && s[4] == ':') {
			s += 5;                         /* "RIP: 0010:sym+off/len" */
		}
		if (parse_symoff(s, o) == 0 || o->rip_has_addr) {
			o->has_rip = 1;
			set_src(&o->rip, lineno, p ? p : l);
		}
		return;
	}
	if (!*regs_done && regdump_line(l)) {
		parse_reg_pairs(l, lineno, o);
		return;
	}
	if (strstr(l, "Call Trace:") || starts(l, "Stack:")) {
		*regs_done = 1;                 /* the register dump is over */
		*in_trace |= strstr(l, "Call Trace:") != NULL;
		return;
	}
	if (*in_trace) {
		const char *s = l;
		size_t n;

		if (strstr(l, "---[ end trace") || starts(l, "RIP:") || starts(l, "Code:") ||
		    starts(l, "Modules linked in:") || starts(l, "CR2:")) {
			*in_trace = 0;
			return;
		}
		if (*s == '<')                          /* <TASK>, <IRQ>, </TASK> */
			return;
		if ((p = strstr(s, "[<")) != NULL) {    /* 4.x "[<addr>] ? sym+off/len" */
			p = strstr(p, ">]");
			if (!p)
				return;
			s = p + 2;
		}
		while (*s == ' ')
			s++;
		if (*s == '?')                          /* unreliable entries are guesses */
			return;
		n = strcspn(s, "+ ");
		if (!n || s[n] != '+' || o->ncalls >= (int)(sizeof(o->calls) / sizeof(o->calls[0])))
			return;
		copy_bounded(o->calls[o->ncalls++], sizeof(o->calls[0]), s, n);
	}
}

int vmf_parse_oops(const char *text, size_t len, struct vmf_oops *out)
{
	size_t pos = 0;
	int lineno = 0, in_trace = 0, in_first = 0, regs_done = 0;
	char line[LINE_MAX_LEN];

	memset(out, 0, sizeof(*out));
	if (!text)
		return -1;
	while (pos < len) {
		size_t start = pos, n;

		while (pos < len && text[pos] != '\n' && text[pos] != 0)
			pos++;
		n = pos - start;
		if (pos < len)
			pos++;
		lineno++;
		clean_line(text + start, n > LINE_MAX_LEN - 1 ? LINE_MAX_LEN - 1 : n, line, sizeof(line));
		if (line[0])
			parse_line(out, line, lineno, &in_trace, &in_first, &regs_done);
	}
	return out->found ? 0 : -1;
}
