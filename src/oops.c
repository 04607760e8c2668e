/*
 * oops.c - find the first oops in log text and pull out what the diagnosis needs.
 *
 * Lines are cleaned first (logline.c: quoting, syslog and journal prefixes,
 * timestamps of every dmesg format, printk caller ids, bytes outside ASCII).
 * The first oops is then read as a block: its BUG line, the #PF and page-table
 * lines, the "Oops:" line, the CPU line, RIP and the register dump, the call
 * trace.  Serial consoles interleave other CPUs' output into it (an "NMI
 * backtrace for cpu 0" with its own CPU line, RIP and registers, a watchdog or
 * sysrq report): those blocks are recognised and skipped, so that nothing of
 * another CPU is taken for the oops'.  With printk caller ids in the text
 * ("[  T84]"), whose line it is is printed on it and decides alone.
 * Every copy is bounded.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_logline.h"
#include "vmf_oops.h"

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

/* ---- small helpers --------------------------------------------------------- */

static void copy_bounded(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (!dstlen)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = 0;
}

/* As copy_bounded, but a cut (at n or at dstlen) never splits a UTF-8 sequence. */
static void copy_utf8(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (dstlen && n >= dstlen)
		n = dstlen - 1;
	while (n && ((unsigned char)src[n] & 0xc0) == 0x80)
		n--;
	copy_bounded(dst, dstlen, src, n);
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

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int hex4(const char *s)
{
	return isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2]) &&
	       isxdigit((unsigned char)s[3]);
}

/* ---- RIP ------------------------------------------------------------------- */

struct rip_value {
	int has_addr;
	uint64_t addr;
	char sym[128];
	uint64_t off, len;
	char module[64];
};

/* "sym+0x1be/0x300 [mod]" -> fields; returns 0 on success */
static int parse_symoff(const char *s, struct rip_value *r)
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
	copy_bounded(r->sym, sizeof(r->sym), s, n);
	r->off = strtoull(plus + 1, (char **)&end, 16);
	slash = strchr(plus, '/');
	r->len = slash ? strtoull(slash + 1, (char **)&end, 16) : 0;
	r->module[0] = 0;
	end = strchr(plus, '[');
	if (end) {
		const char *close = strchr(end, ']');
		if (close && close > end + 1)
			copy_bounded(r->module, sizeof(r->module), end + 1, (size_t)(close - end - 1));
	}
	return 0;
}

/* Where the RIP/IP text starts in l ("RIP: ", 4.x "IP: " or " IP: "), or NULL. */
static const char *rip_text(const char *l)
{
	const char *p;

	if ((p = strstr(l, "RIP: ")) != NULL)
		return p;
	if (starts(l, "IP: "))
		return l;
	return strstr(l, " IP: ");
}

/*
 * "RIP: 0033:0x47fbe9": a code segment with RPL 3 is user mode (0033, 0023;
 * Xen PV e033, e02b).  An oops is a fault in kernel mode: such a RIP is the
 * user-mode registers a trace prints at its bottom, never the oops'.
 */
static int user_mode_rip(const char *rt)
{
	const char *s = strchr(rt, ':') + 1;

	while (*s == ' ')
		s++;
	return hex4(s) && s[4] == ':' && (strtoul(s, NULL, 16) & 3) == 3;
}

/* 5.x+ "RIP: 0010:sym+off/len [mod]", 4.x "IP: [<addr>] sym+off/len", 3.x "RIP: e030:[<addr>]  [<addr>] sym" */
static int parse_rip(const char *rt, struct rip_value *r)
{
	const char *s = strchr(rt, ':') + 1;
	const char *br = strstr(rt, "[<");

	memset(r, 0, sizeof(*r));
	while (*s == ' ')
		s++;
	if (br) {
		if (parse_hex(br + 2, &r->addr) == 0)
			r->has_addr = 1;
		s = strstr(br, ">]");
		s = s ? s + 2 : br;
		while (*s == ' ')                       /* 3.x repeats the address */
			s++;
		if (s[0] == '[' && s[1] == '<' && strstr(s, ">]"))
			s = strstr(s, ">]") + 2;
	} else if (hex4(s) && s[4] == ':') {
		s += 5;                                 /* the code segment */
	}
	if (parse_symoff(s, r) == 0 || r->has_addr)
		return 0;
	/*
	 * An address %pS could not name, "IP: 0x55925f7d11ac", "RIP: 0010:0x0", or
	 * 4.x's "IP:           (null)": a RIP in no kernel function, sym left empty
	 */
	while (*s == ' ')
		s++;
	if (starts(s, "(null)") || (s[0] == '0' && s[1] == 'x' && parse_hex(s + 2, &r->addr) == 0)) {
		r->has_addr = 1;
		return 0;
	}
	return -1;
}

static void set_rip(struct vmf_oops *o, const struct rip_value *r, int lineno, const char *text)
{
	o->has_rip = 1;
	o->rip_has_addr = r->has_addr;
	o->rip_addr = r->addr;
	memcpy(o->rip_sym, r->sym, sizeof(o->rip_sym));
	o->rip_off = r->off;
	o->rip_len = r->len;
	memcpy(o->rip_module, r->module, sizeof(o->rip_module));
	set_src(&o->rip, lineno, text);
}

/* ---- page-table line ------------------------------------------------------- */

static int level_of(const char *w)
{
	static const char *const names[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	int i;
	for (i = 0; i < 5; i++)
		if (strcmp(w, names[i]) == 0)
			return i;
	return -1;
}

/*
 * A printk time stamp inside a line, "[  134.653531]": 4.x printed each level of
 * the walk with its own pr_cont(), and a message of another context between two
 * of them ends the continuation, so the next level comes with a stamp of its own.
 */
static size_t inner_stamp(const char *s)
{
	size_t k = 1;

	if (*s != '[')
		return 0;
	while (s[k] == ' ')
		k++;
	if (!isdigit((unsigned char)s[k]))
		return 0;
	while (isdigit((unsigned char)s[k]) || s[k] == '.')
		k++;
	return s[k] == ']' ? k + 1 : 0;
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
		if (found && inner_stamp(s)) {
			s += inner_stamp(s);
			continue;
		}
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

/* dump_pagetable()'s line: "PGD ...", 4.x's continuation "PUD 0", PAE's "*pdpt = " */
static int pt_line(const char *l)
{
	return starts(l, "PGD ") || starts(l, "P4D ") || starts(l, "PUD ") || starts(l, "PMD ") ||
	       starts(l, "PTE ") || starts(l, "*pdpt = ") || starts(l, "*pde = ");
}

static void take_pt_line(struct vmf_oops *o, const char *l, int lineno)
{
	size_t n;

	if (!parse_pt_words(l, o))
		return;
	if (!o->pt_line.line) {
		set_src(&o->pt_line, lineno, l);
		return;
	}
	/* 4.x printed "PGD x " and "PUD 0" on separate lines: keep both */
	n = strlen(o->pt_line.text);
	if (n + 2 < sizeof(o->pt_line.text))
		snprintf(o->pt_line.text + n, sizeof(o->pt_line.text) - n, " %.150s", l);
}

/* ---- registers ------------------------------------------------------------- */

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
 * "NAME: hex" pair with a register name is recorded in reg[], the first value
 * of each register kept.  A segment before the value ("RSP: 0018:ffffc90000187d78")
 * is skipped; "FS:  00000000016d63c0(0000)" ends its value at the parenthesis.
 */
static void parse_reg_pairs(const char *l, int lineno, struct vmf_reg_value *reg)
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
		if (hex4(v) && v[4] == ':')
			v += 5;                 /* the segment */
		for (r = 0; r < VMF_NREGS; r++)
			if (strlen(reg_names[r]) == n && strncmp(w, reg_names[r], n) == 0)
				break;
		if (r < VMF_NREGS && !reg[r].line && parse_hex(v, &x) == 0) {
			reg[r].line = lineno;
			reg[r].value = x;
		}
		s = v;
		while (isxdigit((unsigned char)*s))
			s++;
	}
}

/* ---- the parser's state ---------------------------------------------------- */

enum foreign_phase {
	FB_NONE = 0,    /* not inside another CPU's block */
	FB_HEADER,      /* its first line ("NMI backtrace for cpu 0", a watchdog's report) */
	FB_CPU,         /* its "CPU: N PID: ..." line */
	FB_REGS,        /* its RIP line and register dump */
	FB_TRACE,       /* its call trace */
};

/* A RIP line and registers after another CPU's trace: the oops' own, or that CPU's? */
struct pending_rip {
	int active, lineno, rip_ok;
	char text[sizeof(((struct vmf_src_line *)0)->text)];
	struct rip_value rip;
	struct vmf_reg_value reg[VMF_NREGS];
};

struct parser {
	struct vmf_oops *o;
	int lineno;
	int in_first;           /* inside the first oops' block */
	int in_trace;           /* inside its call trace */
	int trace_seen;         /* its "Call Trace:" line was read */
	int regs_done;          /* its register dump is over (its trace or 4.x "Stack:" began) */
	long caller;            /* printk caller id of its BUG line; -1: the text has none */
	enum foreign_phase fb;  /* another CPU's block interleaved into it */
	int fb_cpu;             /* that CPU, -1 unknown */
	struct pending_rip pend;
};

/* ---- the start of an oops -------------------------------------------------- */

/*
 * The page-fault and BUG lines that start an oops.  The address follows the
 * pattern: "%px"/"%p" of the fault address (4.x printed a NULL one as "(null)"),
 * and whatever comes after it on the line is not part of it.
 */
static const struct oops_start {
	const char *pat;
	enum vmf_oops_kind kind;
} oops_starts[] = {
	{ "BUG: unable to handle kernel paging request at ", VMF_OOPS_PAGING_REQUEST },
	{ "BUG: unable to handle page fault for address:", VMF_OOPS_PAGE_FAULT },
	{ "BUG: unable to handle kernel NULL pointer dereference at", VMF_OOPS_NULL_DEREF },
	{ "BUG: kernel NULL pointer dereference, address:", VMF_OOPS_NULL_DEREF },
	{ "kernel BUG at ", VMF_OOPS_KERNEL_BUG },
};

static void first_bug_line(struct vmf_oops *o, const struct oops_start *st, const char *p, int lineno)
{
	const char *a = p + strlen(st->pat);

	o->found = 1;
	o->kind = st->kind;
	/* x86's die() -> __die() -> show_regs() prints RIP and registers after every one of these */
	o->from_die = 1;
	set_src(&o->bug, lineno, p);
	if (st->kind == VMF_OOPS_KERNEL_BUG)
		return;
	while (*a == ' ')
		a++;
	if (starts(a, "(null)")) {
		o->fault_addr = 0;
		o->has_fault_addr = 1;
	} else if (parse_hex(a, &o->fault_addr) == 0) {
		o->has_fault_addr = 1;
		while (isxdigit((unsigned char)a[o->fault_addr_digits]))
			o->fault_addr_digits++;
	}
}

/*
 * A line that starts an oops, or a panic: 1 when it was taken here.  A later
 * oops is only counted, and ends the first one's block, unless printk's
 * caller ids say it was printed by someone else.
 */
static int oops_start_line(struct parser *ps, const struct vmf_logline *ln)
{
	struct vmf_oops *o = ps->o;
	const char *l = ln->text, *p = NULL;
	int sysrq = strstr(l, "sysrq: Trigger a crash") || strstr(l, "SysRq : Trigger a crash");
	size_t k;

	if (sysrq && o->found && o->kind != VMF_OOPS_OTHER && !o->sysrq_after_line)
		o->sysrq_after_line = ps->lineno;
	for (k = 0; k < sizeof(oops_starts) / sizeof(oops_starts[0]) && !p; k++)
		p = strstr(l, oops_starts[k].pat);
	if (p) {
		if (++o->count == 1) {
			ps->in_first = 1;
			ps->caller = ln->caller;
			first_bug_line(o, &oops_starts[k - 1], p, ps->lineno);
		} else if (ps->caller < 0 || ln->caller < 0 || ln->caller == ps->caller) {
			ps->in_first = 0;
			o->ended = 1;
		}
		return 1;
	}
	if (!o->found && (sysrq || strstr(l, "general protection fault") || starts(l, "Oops:"))) {
		o->count++;
		ps->in_first = 1;
		ps->caller = ln->caller;
		o->found = 1;
		o->kind = VMF_OOPS_OTHER;
		o->from_die = !sysrq;           /* sysrq's crash line is no die() header */
		set_src(&o->bug, ps->lineno, l);
		return 0;                       /* "Oops: 0000 [#1]" is read on as the oops line */
	}
	if ((p = strstr(l, "Kernel panic - not syncing")) != NULL) {
		if (!o->panic_line.line) {
			set_src(&o->panic_line, ps->lineno, p);
			copy_bounded(o->panic_msg, sizeof(o->panic_msg), p, strlen(p));
			if (o->found) {
				o->ended = 1;   /* panic() comes after the oops' end */
			} else {
				o->found = 1;
				o->kind = VMF_OOPS_OTHER;
				o->count++;
				set_src(&o->bug, ps->lineno, p);
				ps->in_first = 1;
				ps->caller = ln->caller;
			}
		}
		return 1;
	}
	return 0;
}

/* ---- other CPUs' blocks ---------------------------------------------------- */

static int cpu_line(const char *l)
{
	return (starts(l, "CPU: ") || strstr(l, " CPU: ")) && strstr(l, "PID: ");
}

static int number_after(const char *l, const char *word)
{
	const char *p = strstr(l, word);
	return p && isdigit((unsigned char)p[strlen(word)]) ? atoi(p + strlen(word)) : -1;
}

/*
 * The first line of a report another CPU prints while the oops is printed;
 * *cpu is the CPU it names, -1 if none.  NMI backtraces (arch_trigger_all_cpu_
 * backtrace: sysrq-l, RCU stalls, lockups, panic_print; "NMI backtrace for cpu %d"
 * then show_regs() since c1dc0b9c0c89, v2.6.32), lockup watchdogs, RCU stall
 * reports, hung tasks, warnings and sysrq's register and task dumps.
 */
static int foreign_header(const char *l, int *cpu)
{
	static const char *const headers[] = {
		"soft lockup - CPU#", "hard LOCKUP on cpu ", "Task dump for CPU ", "WARNING: CPU: ",
		"self-detected stall on CPU", "detected stalls on CPUs", " blocked for more than ",
	};
	size_t k;

	*cpu = -1;
	if (strstr(l, "NMI backtrace for cpu ")) {
		if (strstr(l, " skipped: "))    /* one line, no block */
			return 0;
		*cpu = number_after(l, "NMI backtrace for cpu ");
		return 1;
	}
	for (k = 0; k < sizeof(headers) / sizeof(headers[0]); k++)
		if (strstr(l, headers[k])) {
			*cpu = number_after(l, headers[k]);
			return 1;
		}
	/* sysrq: "Show Regs", "Show backtrace of all active CPUs", "Show State", "Show Blocked State" */
	return (strstr(l, "sysrq: Show ") || strstr(l, "SysRq : Show ")) != 0;
}

/* "Oops: 0000 [#1]", "general protection fault: 0000 [#1]", "invalid opcode: 0000 [#1]": __die_header() */
static int die_header(const char *l)
{
	const char *p = strstr(l, " [#");

	return strstr(l, "Oops: ") || (p && p - l >= 6 && p[-5] == ' ' && p[-6] == ':' && hex4(p - 4));
}

/*
 * Lines only the oopsing CPU prints, given how far the other block got: they
 * end it.  show_fault_oops()'s "#PF:", page-table and 4.x "IP:" lines, the die
 * header, the oops' end; "Modules linked in:" once the other block printed its
 * CPU line, "Hardware name:" once it printed its registers.
 */
static int first_only_line(const char *l, enum foreign_phase phase)
{
	return strstr(l, "#PF: ") || pt_line(l) || die_header(l) || starts(l, "IP: ") || strstr(l, " IP: ") ||
	       strstr(l, "---[ end trace") || (phase >= FB_CPU && starts(l, "Modules linked in:")) ||
	       (phase >= FB_REGS && starts(l, "Hardware name:"));
}

static void merge_regs(struct parser *ps, const struct vmf_reg_value *reg)
{
	int r;

	if (ps->regs_done)
		return;
	for (r = 0; r < VMF_NREGS; r++)
		if (!ps->o->reg[r].line && reg[r].line)
			ps->o->reg[r] = reg[r];
}

/*
 * A pending RIP group ends at its first line that is not a register-dump line:
 * a call trace (or 4.x stack) next means the group was a register dump of its
 * own, the oops' (returns 0: the line is the oops'); anything else means it was
 * the registers the other CPU's trace printed inside it (show_trace_log_lvl()
 * prints the pt_regs it meets).  Returns 1 while the line belongs to the group.
 */
static int pending_line(struct parser *ps, const char *l)
{
	struct pending_rip *pd = &ps->pend;

	if (regdump_line(l)) {
		parse_reg_pairs(l, ps->lineno, pd->reg);
		return 1;
	}
	pd->active = 0;
	if (strstr(l, "Call Trace:") || starts(l, "Stack:")) {
		if (pd->rip_ok && !ps->o->has_rip)
			set_rip(ps->o, &pd->rip, pd->lineno, pd->text);
		merge_regs(ps, pd->reg);
		ps->fb = FB_NONE;
		return 0;
	}
	return -1;                              /* the other CPU's: go on with this line */
}

static void start_pending(struct parser *ps, const char *rt)
{
	struct pending_rip *pd = &ps->pend;

	memset(pd, 0, sizeof(*pd));
	pd->active = 1;
	pd->lineno = ps->lineno;
	pd->rip_ok = parse_rip(rt, &pd->rip) == 0;
	copy_bounded(pd->text, sizeof(pd->text), rt, strlen(rt));
}

/* Inside another CPU's block: 1 if l is still that CPU's, 0 if the oops' lines resume. */
static int foreign_line(struct parser *ps, const char *l)
{
	const char *rt;
	int n;

	if (ps->pend.active && (n = pending_line(ps, l)) >= 0)
		return n;
	if (ps->fb == FB_TRACE && regdump_line(l)) {
		ps->fb = FB_NONE;               /* registers inside a trace follow a RIP line: these are the oops' */
		return 0;
	}
	if (first_only_line(l, ps->fb)) {
		ps->fb = FB_NONE;
		return 0;
	}
	if (cpu_line(l)) {
		n = number_after(l, "CPU: ");
		if (ps->fb == FB_HEADER && (ps->fb_cpu < 0 || ps->fb_cpu == n)) {
			ps->fb = FB_CPU;        /* its own CPU line */
			ps->fb_cpu = n;
			return 1;
		}
		if (ps->o->has_cpu && n != ps->o->cpu) {
			ps->fb = FB_CPU;        /* yet another CPU's block, without a header */
			ps->fb_cpu = n;
			return 1;
		}
		ps->fb = FB_NONE;               /* the oops' CPU line */
		return 0;
	}
	if ((rt = rip_text(l)) != NULL) {
		if (ps->fb < FB_REGS) {
			ps->fb = FB_REGS;
			return 1;
		}
		if (ps->fb == FB_REGS) {        /* a dump prints one RIP: this one starts the oops' */
			ps->fb = FB_NONE;
			return 0;
		}
		if (!user_mode_rip(rt) && (!ps->o->has_rip || !ps->regs_done))
			start_pending(ps, rt);
		return 1;
	}
	if (strstr(l, "Call Trace:")) {
		/*
		 * show_trace_log_lvl() prints one per dump: after the other CPU's trace,
		 * once the oops printed its CPU line and RIP (both come before its trace),
		 * the oops' own
		 */
		if (ps->fb == FB_TRACE && ps->o->has_rip && ps->o->cpu_line.line && !ps->trace_seen) {
			ps->fb = FB_NONE;
			return 0;
		}
		ps->fb = FB_TRACE;
	}
	return 1;
}

/* Is l another CPU's line, interleaved into the first oops?  1: skip it. */
static int other_cpu(struct parser *ps, const struct vmf_logline *ln)
{
	int cpu;

	if (ps->caller >= 0 && ln->caller >= 0)
		return ln->caller != ps->caller;        /* printk says whose line it is */
	if (foreign_header(ln->text, &cpu)) {
		ps->fb = FB_HEADER;
		ps->fb_cpu = cpu;
		ps->pend.active = 0;
		return 1;
	}
	return ps->fb != FB_NONE && foreign_line(ps, ln->text);
}

/* ---- the first oops' own lines --------------------------------------------- */

/* "CPU: 1 PID: 84 Comm: insmod Tainted: G  OE  5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1" */
static void take_cpu_line(struct vmf_oops *o, const struct vmf_logline *ln, int lineno)
{
	/* dump_stack prints "Comm: %.20s %s%s": "Kdump: loaded " may precede the taint */
	static const char *const after_comm[] = { " Kdump: loaded", " Tainted:", " Not tainted" };
	const char *l = ln->text;
	const char *c = strstr(l, "CPU: "), *pid = strstr(l, "PID: "), *comm = strstr(l, "Comm: ");
	const char *end = NULL, *name, *p;
	size_t n, k;

	o->cpu_line.line = lineno;
	copy_utf8(o->cpu_line.text, sizeof(o->cpu_line.text), ln->utf8 + (c - l), strlen(ln->utf8 + (c - l)));
	o->has_cpu = 1;
	o->cpu = atoi(c + 5);
	o->has_pid = 1;
	o->pid = atoi(pid + 5);
	if (!comm)
		return;
	for (k = 0; k < sizeof(after_comm) / sizeof(after_comm[0]); k++) {
		const char *e = strstr(comm + 6, after_comm[k]);
		if (e && (!end || e < end))
			end = e;
	}
	/*
	 * The command as printed, UTF-8 kept.  Positions match in both copies, but
	 * a space of the text copy may be a non-ASCII byte: "Comm:\xdb\x8c..." matched
	 * "Comm: ", so the name starts after "Comm:" and its real spaces.
	 */
	name = ln->utf8 + (comm + 5 - l);
	while (*name == ' ')
		name++;
	if (end) {
		ptrdiff_t d = (end - l) - (name - ln->utf8);
		n = d > 0 ? (size_t)d : 0;
	} else {
		n = strcspn(name, " ");
	}
	copy_utf8(o->comm, sizeof(o->comm), name, n);
	/* the release is the word before " #N" */
	p = strstr(comm, " #");
	if (p) {
		const char *b = p;
		while (b > comm && b[-1] != ' ')
			b--;
		copy_bounded(o->release, sizeof(o->release), b, (size_t)(p - b));
	}
}

/*
 * Before v3.10 (a43cb95d5470, "dump_stack: unify debug information printed by
 * show_regs()") x86 printed "Pid: 2779, comm: start-stop-daem Tainted: P  O
 * 3.4.9-gentoo #15 ..." and, on x86-64, the CPU alone on a line, "CPU 1 ".
 */
static int old_pid_line(const char *l)
{
	return starts(l, "Pid: ") && isdigit((unsigned char)l[5]) && strstr(l, ", comm: ");
}

static void take_old_pid_line(struct vmf_oops *o, const struct vmf_logline *ln, int lineno)
{
	const char *l = ln->text, *comm = strstr(l, ", comm: ") + 8, *end, *p;

	o->cpu_line.line = lineno;
	copy_utf8(o->cpu_line.text, sizeof(o->cpu_line.text), ln->utf8, strlen(ln->utf8));
	o->has_pid = 1;
	o->pid = atoi(l + 5);
	end = strstr(comm, " Tainted:");
	if (!end || (strstr(comm, " Not tainted") && strstr(comm, " Not tainted") < end))
		end = strstr(comm, " Not tainted");
	copy_utf8(o->comm, sizeof(o->comm), ln->utf8 + (comm - l), end ? (size_t)(end - comm) : strcspn(comm, " "));
	p = end ? strstr(end, " #") : NULL;
	if (p) {
		const char *b = p;
		while (b > end && b[-1] != ' ')
			b--;
		copy_bounded(o->release, sizeof(o->release), b, (size_t)(p - b));
	}
}

/* 3.x x86-64's "CPU 1 " line (see old_pid_line): the number, or -1 */
static int old_cpu_line(const char *l)
{
	const char *p = l + 4;

	if (!starts(l, "CPU ") || !isdigit((unsigned char)*p))
		return -1;
	while (isdigit((unsigned char)*p))
		p++;
	return *p ? -1 : atoi(l + 4);
}

static void take_trace_line(struct parser *ps, const char *l)
{
	struct vmf_oops *o = ps->o;
	const char *s = l, *p;
	size_t n;

	if (strstr(l, "---[ end trace") || starts(l, "RIP:") || starts(l, "Code:") ||
	    starts(l, "Modules linked in:") || starts(l, "CR2:")) {
		ps->in_trace = 0;
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

/* The #PF and "Oops:" lines: 1 when l was one. */
static int take_fault_lines(struct vmf_oops *o, const char *l, int lineno)
{
	const char *p;

	if ((p = strstr(l, "#PF: error_code(")) != NULL) {
		o->has_error_code = 1;
		o->error_code = strtoul(p + 16, NULL, 16);
		p = strstr(p, ") - ");
		if (p)
			copy_bounded(o->pf_reason, sizeof(o->pf_reason), p + 4, strlen(p + 4));
		return 1;
	}
	if ((p = strstr(l, "#PF: ")) != NULL) {
		copy_bounded(o->pf_access, sizeof(o->pf_access), p + 5, strlen(p + 5));
		return 1;
	}
	if ((p = strstr(l, "Oops: ")) != NULL && !o->oops_line.line) {
		set_src(&o->oops_line, lineno, p);
		if (!o->has_error_code) {
			o->has_error_code = 1;
			o->error_code = strtoul(p + 6, NULL, 16);
		}
		return 1;
	}
	return 0;
}

static void first_oops_line(struct parser *ps, const struct vmf_logline *ln)
{
	struct vmf_oops *o = ps->o;
	const char *l = ln->text, *rt;
	struct rip_value rip;

	if (strstr(l, "---[ end trace")) {
		o->ended = 1;
		ps->regs_done = 1;
	}
	if (take_fault_lines(o, l, ps->lineno))
		return;
	if (pt_line(l)) {
		take_pt_line(o, l, ps->lineno);
		return;
	}
	if (cpu_line(l) && !o->cpu_line.line) {
		take_cpu_line(o, ln, ps->lineno);
		return;
	}
	if (old_pid_line(l) && !o->cpu_line.line) {
		take_old_pid_line(o, ln, ps->lineno);
		return;
	}
	if (!o->has_cpu && old_cpu_line(l) >= 0) {
		o->has_cpu = 1;
		o->cpu = old_cpu_line(l);
		return;
	}
	if (!o->has_rip && (rt = rip_text(l)) != NULL && !user_mode_rip(rt)) {
		if (parse_rip(rt, &rip) == 0)
			set_rip(o, &rip, ps->lineno, rt);
		return;
	}
	if (!ps->regs_done && regdump_line(l)) {
		parse_reg_pairs(l, ps->lineno, o->reg);
		return;
	}
	if (strstr(l, "Call Trace:") || starts(l, "Stack:")) {
		ps->regs_done = 1;              /* the register dump is over */
		ps->in_trace |= strstr(l, "Call Trace:") != NULL;
		ps->trace_seen |= ps->in_trace;
		return;
	}
	if (ps->in_trace)
		take_trace_line(ps, l);
}

/* The first oops is described; the later ones are only counted. */
static void parse_line(struct parser *ps, const struct vmf_logline *ln)
{
	if (oops_start_line(ps, ln) || !ps->in_first)
		return;
	if (other_cpu(ps, ln))
		return;
	first_oops_line(ps, ln);
}

int vmf_parse_oops(const char *text, size_t len, struct vmf_oops *out)
{
	static const struct parser zero;
	struct parser ps = zero;
	struct vmf_logline ln;
	size_t pos = 0;

	memset(out, 0, sizeof(*out));
	if (!text)
		return -1;
	ps.o = out;
	ps.caller = -1;
	ps.fb_cpu = -1;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;

		ps.lineno++;
		vmf_logline_clean(text + pos, n, &ln);
		pos += n + (nl != NULL);
		if (ln.len)
			parse_line(&ps, &ln);
	}
	return out->found ? 0 : -1;
}
