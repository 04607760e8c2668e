/*
 * test_oopsparse.c - the oops parser on real texts (the 2016 report as mailed,
 * a 5.10 oops printed by a factory guest) and on the shapes around them.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "vmf_logline.h"
#include "vmf_oops.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	*len = fread(buf, 1, (size_t)n, f);
	buf[*len] = 0;
	fclose(f);
	return buf;
}

static int parse(const char *text, struct vmf_oops *o)
{
	return vmf_parse_oops(text, strlen(text), o);
}

static void test_seed_report(const char *dir)
{
	char path[512];
	size_t len;
	char *t;
	struct vmf_oops o;

	snprintf(path, sizeof(path), "%s/seed-report-2016.txt", dir);
	t = slurp(path, &len);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(vmf_parse_oops(t, len, &o) == 0);
	CHECK(o.kind == VMF_OOPS_PAGING_REQUEST);
	CHECK(o.has_fault_addr);
	CHECK_U64(o.fault_addr, 0xffff880840000ff8ULL);
	CHECK(o.has_rip && o.rip_has_addr);
	CHECK_U64(o.rip_addr, 0xffffffff810664aeULL);
	CHECK_STR(o.rip_sym, "vmalloc_fault");
	CHECK_U64(o.rip_off, 0x1be);
	CHECK_U64(o.rip_len, 0x300);
	CHECK_STR(o.rip_module, "");
	CHECK(o.pt[VMF_PGD].printed && o.pt[VMF_PUD].printed && !o.pt[VMF_P4D].printed);
	CHECK_U64(o.pt[VMF_PGD].value, 0xc7f03a067ULL);
	CHECK_U64(o.pt[VMF_PUD].value, 0);
	CHECK(o.has_error_code && o.error_code == 0);
	/* the trace, with the '?' guesses left out */
	CHECK(o.ncalls >= 4);
	CHECK_STR(o.calls[0], "__do_page_fault");
	CHECK_STR(o.calls[1], "do_page_fault");
	CHECK_STR(o.calls[2], "page_fault");
	CHECK_STR(o.calls[3], "btt_log_read");
	free(t);
}

static void test_510_guest(const char *dir)
{
	char path[512];
	size_t len;
	char *t;
	struct vmf_oops o;

	snprintf(path, sizeof(path), "%s/oops-5.10-seed-pud.txt", dir);
	t = slurp(path, &len);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(vmf_parse_oops(t, len, &o) == 0);
	CHECK(o.kind == VMF_OOPS_PAGE_FAULT);
	CHECK_U64(o.fault_addr, 0xffff8884c0000ff8ULL);
	CHECK_STR(o.pf_access, "supervisor read access in kernel mode");
	CHECK_STR(o.pf_reason, "not-present page");
	CHECK_STR(o.rip_sym, "vmalloc_fault");
	CHECK_U64(o.rip_off, 0x13e);
	CHECK_U64(o.rip_len, 0x1d6);
	CHECK_STR(o.rip_module, "vmf_test");
	CHECK(!o.rip_has_addr);
	CHECK(o.pt[VMF_PGD].printed && o.pt[VMF_P4D].printed && o.pt[VMF_PUD].printed);
	CHECK_U64(o.pt[VMF_P4D].value, 0x3201067);
	CHECK_U64(o.pt[VMF_PUD].value, 0);
	CHECK(o.has_cpu && o.cpu == 1 && o.pid == 84);
	CHECK_STR(o.comm, "insmod");
	CHECK_STR(o.release, "5.10.0-32-cloud-amd64");
	CHECK(o.ncalls >= 1);
	CHECK_STR(o.calls[0], "vmf_test_init");
	CHECK_U64(o.bug.line, 1);
	free(t);
}

static void test_shapes(void)
{
	struct vmf_oops o;

	/* syslog prefixes, printk levels, PGD and PUD on separate lines (4.x) */
	CHECK(parse("Feb  9 10:10:17 host kernel: <1>BUG: unable to handle kernel paging request at ffff880840000ff8\n"
		    "Feb  9 10:10:17 host kernel: <1>IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
		    "Feb  9 10:10:17 host kernel: <4>PGD c7f03a067 \n"
		    "Feb  9 10:10:17 host kernel: <4>PUD 0 \n", &o) == 0);
	CHECK_U64(o.fault_addr, 0xffff880840000ff8ULL);
	CHECK(o.pt[VMF_PGD].printed && o.pt[VMF_PUD].printed);
	CHECK_U64(o.pt_line.line, 3);
	CHECK(strstr(o.pt_line.text, "PUD 0") != NULL);

	/* deep mail quoting */
	CHECK(parse("> > [  100.1] BUG: unable to handle page fault for address: ffffc98000001000\n"
		    "> > [  100.1] PGD 0 P4D 0 \n"
		    "> > [  100.1] RIP: 0010:vmf_touch_ioremap+0x4/0x10 [vmf_test]\n", &o) == 0);
	CHECK_U64(o.fault_addr, 0xffffc98000001000ULL);
	CHECK(o.pt[VMF_PGD].printed && o.pt[VMF_PGD].value == 0 && o.pt[VMF_P4D].printed);
	CHECK_STR(o.rip_sym, "vmf_touch_ioremap");

	/* kernel BUG in vmalloc_fault (Xen lazy MMU) */
	CHECK(parse("kernel BUG at arch/x86/mm/fault.c:396!\ninvalid opcode: 0000 [#1] SMP\n"
		    "RIP: e030:[<ffffffff8103a0b9>]  [<ffffffff8103a0b9>] vmalloc_fault+0x1d9/0x1e0\n", &o) == 0);
	CHECK(o.kind == VMF_OOPS_KERNEL_BUG);
	CHECK(!o.has_fault_addr);
	CHECK_STR(o.rip_sym, "vmalloc_fault");

	/* a NULL dereference, then a second oops that is only counted */
	CHECK(parse("BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		    "RIP: 0010:foo+0x1/0x2\n"
		    "BUG: unable to handle page fault for address: ffff888000000000\n"
		    "RIP: 0010:bar+0x1/0x2\n", &o) == 0);
	CHECK(o.kind == VMF_OOPS_NULL_DEREF);
	CHECK_U64(o.fault_addr, 8);
	CHECK_STR(o.rip_sym, "foo");
	CHECK(o.count == 2);

	/* a sysrq panic: an oops without a fault address */
	CHECK(parse("[    1.9] sysrq: Trigger a crash\n[    1.9] Kernel panic - not syncing: sysrq triggered crash\n"
		    "[    1.9] CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n", &o) == 0);
	CHECK(o.kind == VMF_OOPS_OTHER && !o.has_fault_addr);
	CHECK_STR(o.panic_msg, "Kernel panic - not syncing: sysrq triggered crash");
	CHECK_STR(o.comm, "init");
	CHECK_STR(o.release, "6.1.0-56-cloud-amd64");

	/* a kdump kernel loaded: dump_stack prints "Kdump: loaded " between comm and taint */
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 0 PID: 91 Comm: insmod Kdump: loaded Tainted: G           OE     5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1\n", &o) == 0);
	CHECK_STR(o.comm, "insmod");
	CHECK_STR(o.release, "5.10.0-32-cloud-amd64");
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 7 Comm: kworker/1:0 Kdump: loaded Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n", &o) == 0);
	CHECK_STR(o.comm, "kworker/1:0");

	/* nothing, garbage, truncation */
	CHECK(vmf_parse_oops("", 0, &o) == -1 && !o.found);
	CHECK(vmf_parse_oops(NULL, 10, &o) == -1);
	CHECK(parse("\x01\x02\xff\xfe garbage\n[[[[ ]]]] > > >\n", &o) == -1);
	{
		const char *t = "BUG: unable to handle page fault for address: ffff8884c0000ff8\nRIP: 0010:vmalloc_fault+0x13e/0x1d6";
		CHECK(vmf_parse_oops(t, 30, &o) == -1);        /* cut inside the BUG line */
		CHECK(vmf_parse_oops(t, strlen(t) - 26, &o) == 0);   /* "RIP: 0010:vmal" */
		CHECK(o.has_fault_addr && !o.has_rip);
	}
	/* a very long line is cut, not overrun */
	{
		char *big = malloc(100000);
		memset(big, 'A', 99999);
		big[99999] = 0;
		memcpy(big + 50000, "\nBUG: unable to handle page fault for address: 1234\n", 52);
		CHECK(vmf_parse_oops(big, 99999, &o) == 0);
		CHECK_U64(o.fault_addr, 0x1234);
		free(big);
	}
}

/* the register dump of the 5.10 guest: the first one, not the user-mode one after the trace */
static void test_registers_510(const char *dir)
{
	static const struct { enum vmf_reg r; int line; uint64_t v; } want[] = {
		{ VMF_REG_RSP, 10, 0xffffc90000187d78ULL }, { VMF_REG_EFLAGS, 10, 0x286 },
		{ VMF_REG_RAX, 11, 0xffff8884c0000000ULL }, { VMF_REG_RBX, 11, 0xffffc9803fe03000ULL },
		{ VMF_REG_RCX, 11, 0x000fffffc0000000ULL }, { VMF_REG_RDX, 12, 0x000fffffc0000000ULL },
		{ VMF_REG_RSI, 12, 0x3401067 }, { VMF_REG_RDI, 12, 0x80000004c00001e3ULL },
		{ VMF_REG_RBP, 13, 0xffff8884c0000ff8ULL }, { VMF_REG_R08, 13, 0 },
		{ VMF_REG_R09, 13, 0xffffc90000187bc8ULL }, { VMF_REG_R10, 14, 0xffffc90000187bc0ULL },
		{ VMF_REG_R11, 14, 0xffffffff826c9848ULL }, { VMF_REG_R12, 14, 0xffff8884c0000ff8ULL },
		{ VMF_REG_R13, 15, 0xff8 }, { VMF_REG_R14, 15, 0xffff888003401000ULL },
		{ VMF_REG_R15, 15, 0x3ffffffffULL }, { VMF_REG_CR0, 17, 0x80050033 },
		{ VMF_REG_CR2, 18, 0xffff8884c0000ff8ULL }, { VMF_REG_CR3, 18, 0x43f4000 },
		{ VMF_REG_CR4, 18, 0x6a0 },
	};
	char path[512];
	size_t len, i;
	char *t;
	struct vmf_oops o;
	uint64_t v = 0x5a5a;

	snprintf(path, sizeof(path), "%s/oops-5.10-seed-pud.txt", dir);
	t = slurp(path, &len);
	CHECK(t != NULL);
	if (!t)
		return;
	CHECK(vmf_parse_oops(t, len, &o) == 0);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		v = 0;
		if (vmf_oops_reg(&o, want[i].r, &v) != want[i].line || v != want[i].v)
			printf("register %s: line %d value %llx\n", vmf_reg_name(want[i].r), o.reg[want[i].r].line,
			       (unsigned long long)v);
		CHECK_U64(vmf_oops_reg(&o, want[i].r, &v), want[i].line);
		CHECK_U64(v, want[i].v);
	}
	/* 32-bit names are not in a 64-bit dump; an absent register leaves *value alone */
	v = 0x5a5a;
	CHECK(vmf_oops_reg(&o, VMF_REG_EAX, &v) == 0 && v == 0x5a5a);
	CHECK(vmf_oops_reg(&o, VMF_NREGS, &v) == 0);
	CHECK_STR(vmf_reg_name(VMF_REG_R08), "R08");
	CHECK_STR(vmf_reg_name(VMF_REG_EFLAGS), "EFLAGS");
	CHECK_STR(vmf_reg_name(VMF_NREGS), "?");
	free(t);
}

/* 4.x: "RIP: 0010:[<addr>]  [<addr>] sym", "RSP: 0018:addr  EFLAGS:", then Stack: and the trace */
static void test_registers_4x_and_32bit(void)
{
	struct vmf_oops o;
	uint64_t v = 0;

	CHECK(parse("BUG: unable to handle kernel paging request at ffff880840000ff8\n"
		    "IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
		    "PGD c7f03a067 PUD 0 \n"
		    "Oops: 0000 [#1] SMP \n"
		    "CPU: 3 PID: 4242 Comm: fio Not tainted 4.4.0-21-generic #37-Ubuntu\n"
		    "task: ffff88003b8a0000 ti: ffff88003b8bc000 task.ti: ffff88003b8bc000\n"
		    "RIP: 0010:[<ffffffff810664ae>]  [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
		    "RSP: 0018:ffff88003b8bfc18  EFLAGS: 00010046\n"
		    "RAX: 000fffffc0000000 RBX: ffff880840000ff8 RCX: 80000004800001e3\n"
		    "RDX: 0000000000000000 RSI: ffff88003b8bfd58 RDI: ffff880840000ff8\n"
		    "FS:  00007f3b5b1f4700(0000) GS:ffff88007fcc0000(0000) knlGS:0000000000000000\n"
		    "CS:  0010 DS: 0000 ES: 0000 CR0: 0000000080050033\n"
		    "CR2: ffff880840000ff8 CR3: 000000007b2d8000 CR4: 00000000001406e0\n"
		    "Stack:\n"
		    " ffff88003b8bfc48 ffffffff81067335 0000000000000000 ffff880840000ff8\n"
		    "Call Trace:\n"
		    " [<ffffffff81067335>] __do_page_fault+0x285/0x3e0\n"
		    "RAX: 1111111111111111\n", &o) == 0);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_RSP, &v), 8);
	CHECK_U64(v, 0xffff88003b8bfc18ULL);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_EFLAGS, &v), 8);
	CHECK_U64(v, 0x10046);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_RAX, &v), 9);
	CHECK_U64(v, 0x000fffffc0000000ULL);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_RCX, &v), 9);
	CHECK_U64(v, 0x80000004800001e3ULL);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_CR3, &v), 13);
	CHECK_U64(v, 0x7b2d8000);
	CHECK(!vmf_oops_reg(&o, VMF_REG_R15, &v));     /* not printed here */
	CHECK_STR(o.calls[0], "__do_page_fault");
	CHECK_STR(o.rip_sym, "vmalloc_fault");
	CHECK_U64(o.rip.line, 2);                       /* still the IP: line */

	/* 32-bit (PAE) */
	CHECK(parse("BUG: unable to handle kernel paging request at f8a00ff8\n"
		    "IP: [<c1046a7e>] vmalloc_fault+0x11e/0x190\n"
		    "*pdpt = 0000000001a2f001 *pde = 0000000000000000 \n"
		    "Oops: 0000 [#1] SMP\n"
		    "EIP: 0060:[<c1046a7e>] EFLAGS: 00010246 CPU: 0\n"
		    "EIP is at vmalloc_fault+0x11e/0x190\n"
		    "EAX: 00000000 EBX: f8a00ff8 ECX: 80000000 EDX: 000001e3\n"
		    "ESI: f6c0e000 EDI: c1a2c000 EBP: f5c4fe78 ESP: f5c4fe60\n"
		    " DS: 007b ES: 007b FS: 00d8 GS: 00e0 SS: 0068\n"
		    "CR0: 8005003b CR2: f8a00ff8 CR3: 01a2c000 CR4: 000006f0\n"
		    "Stack:\n", &o) == 0);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_EFLAGS, &v), 5);
	CHECK_U64(v, 0x10246);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_EDX, &v), 7);
	CHECK_U64(v, 0x1e3);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_ESP, &v), 8);
	CHECK_U64(v, 0xf5c4fe60);
	CHECK_U64(vmf_oops_reg(&o, VMF_REG_CR2, &v), 10);
	CHECK_U64(v, 0xf8a00ff8);
	CHECK(!vmf_oops_reg(&o, VMF_REG_RAX, &v));

	/* a first oops without a register dump: a later oops' registers are not its */
	CHECK(parse("BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		    "RIP: 0010:foo+0x1/0x2\n"
		    "BUG: unable to handle page fault for address: ffff888000000000\n"
		    "RIP: 0010:bar+0x1/0x2\n"
		    "RAX: ffff888000000000 RBX: 0000000000000000 RCX: 0000000000000000\n", &o) == 0);
	CHECK(!vmf_oops_reg(&o, VMF_REG_RAX, &v));
}

/* ---- issue 16: text that was misread ---------------------------------------- */

/* The 2.6-4.x one-screen oops every prefix test below decorates: line 2 is the IP line. */
static const char *const short4x[] = {
	"BUG: unable to handle kernel paging request at ffff880840000ff8",
	"IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300",
	"PGD c7f03a067 PUD 0",
	"Oops: 0000 [#1] SMP",
	"CPU: 3 PID: 4242 Comm: fio Not tainted 4.4.0-21-generic #37-Ubuntu",
	"Call Trace:",
	" [<ffffffff81067335>] __do_page_fault+0x285/0x3e0",
};

/* short4x with prefix(i) before each line, joined by eol: the same oops must come out. */
static void check_prefixed(const char *what, const char *(*prefix)(int), const char *eol)
{
	char text[4096];
	size_t used = 0, i;
	struct vmf_oops o;
	int ok;

	for (i = 0; i < sizeof(short4x) / sizeof(short4x[0]); i++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s%s", prefix((int)i), short4x[i], eol);
	ok = vmf_parse_oops(text, used, &o) == 0 && o.has_fault_addr && o.fault_addr == 0xffff880840000ff8ULL &&
	     o.has_rip && strcmp(o.rip_sym, "vmalloc_fault") == 0 && o.rip.line == 2 && o.pt_line.line == 3 &&
	     o.pt[VMF_PUD].printed && o.has_error_code && o.cpu == 3 && o.pid == 4242 &&
	     strcmp(o.comm, "fio") == 0 && strcmp(o.release, "4.4.0-21-generic") == 0 &&
	     o.ncalls == 1 && strcmp(o.calls[0], "__do_page_fault") == 0 && o.bug.line == 1 &&
	     strncmp(o.bug.text, "BUG: unable", 11) == 0;
	if (!ok)
		printf("prefix %s: found %d addr %llx rip '%s' line %d pt %d cpu %d comm '%s' calls %d bug '%s'\n",
		       what, o.found, (unsigned long long)o.fault_addr, o.rip_sym, o.rip.line, o.pt_line.line,
		       o.cpu, o.comm, o.ncalls, o.bug.text);
	CHECK(ok);
}

static const char *p_dmesg_T(int i) { (void)i; return "[Fri Nov 29 12:00:01 2024] "; }
static const char *p_crash_T(int i) { (void)i; return "[Fri Nov 29 12:00:01 UTC 2024] "; }
static const char *p_caller_T(int i) { (void)i; return "[  T84] "; }
static const char *p_caller_C(int i) { (void)i; return "[   C1] "; }
static const char *p_time_caller(int i) { (void)i; return "[   12.345678][  T84] "; }
static const char *p_date_caller(int i) { (void)i; return "[Fri Nov 29 12:00:01 2024] [  T84] "; }
static const char *p_reltime(int i) { return i ? "[  +0.000123] " : "[Nov29 12:00] "; }
static const char *p_delta(int i) { (void)i; return "[  12.345678 <    0.000123>] "; }
static const char *p_iso(int i) { (void)i; return "2024-11-29T12:00:01,123456+00:00 "; }
static const char *p_decode(int i) { return i & 1 ? "kern  :warn  : [   12.345678] " : "kern  :alert : "; }
static const char *p_kmsg(int i) { (void)i; return "1,1234,12345678,-,caller=T84;"; }
static const char *p_syslog_host(int i) { (void)i; return "Nov 29 12:00:01 host kernel: [  12.3] "; }
static const char *p_short_monotonic(int i) { (void)i; return "[   12.345678] host kernel: "; }
static const char *p_short_iso(int i) { (void)i; return "2024-11-29T12:00:01+0000 host kernel: "; }
static const char *p_priority(int i) { (void)i; return "<12>[   12.345678] "; }
static const char *p_mail_crash(int i) { (void)i; return "> > [Fri Nov 29 12:00:01 UTC 2024] [    T84] <1>"; }
/* a VM's serial console kept by the host's journal: the tag is the service's, not "kernel" */
static const char *p_vm_journal(int i) { (void)i; return "Oct 24 10:52:07 host1 microvm@vm1[15894]: [    0.414047] "; }
static const char *p_vm_journal_iso(int i) { (void)i; return "2024-11-29T12:00:01+0000 host1 qemu-vm1[77]: "; }
static const char *p_precise_tag(int i) { (void)i; return "Oct  4 10:52:07.123456 h console-vm: "; }
static const char *p_month_utf8(int i) { (void)i; return "\xd0\xb8\xd1\x8e\xd0\xbb 27 14:08:04 laptop kernel: "; }

static void test_prefixes(void)
{
	static const struct { const char *what; const char *(*f)(int); } p[] = {
		{ "dmesg -T", p_dmesg_T }, { "crash log -T", p_crash_T }, { "caller T", p_caller_T },
		{ "caller C", p_caller_C }, { "time+caller", p_time_caller }, { "date caller", p_date_caller },
		{ "dmesg -e", p_reltime }, { "dmesg -d", p_delta }, { "dmesg iso", p_iso }, { "dmesg -x", p_decode },
		{ "/dev/kmsg", p_kmsg }, { "syslog host", p_syslog_host },
		{ "journalctl -o short-monotonic", p_short_monotonic }, { "journalctl -o short-iso", p_short_iso },
		{ "syslog priority", p_priority }, { "mail of crash log -T -P", p_mail_crash },
		{ "journal of a VM console", p_vm_journal }, { "journal -o short-iso, VM tag", p_vm_journal_iso },
		{ "journal -o short-precise, tag", p_precise_tag }, { "journal, Russian month", p_month_utf8 },
	};
	size_t i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++) {
		check_prefixed(p[i].what, p[i].f, "\n");
		check_prefixed(p[i].what, p[i].f, "\r\n");      /* Windows line ends */
	}
}

/* the caller id is kept: it decides whose line it is */
static void test_caller_ids(void)
{
	struct vmf_logline ln;

	vmf_logline_clean("[   12.345678][  T84] BUG: x", 28, &ln);
	CHECK(ln.caller == 84);
	CHECK_STR(ln.text, "BUG: x");
	vmf_logline_clean("[    C1] RIP: 0010:x", 20, &ln);
	CHECK(ln.caller == (VMF_CALLER_CPU | 1));
	vmf_logline_clean("6,12,34,-,caller=C3;hello", 25, &ln);
	CHECK(ln.caller == (VMF_CALLER_CPU | 3));
	CHECK_STR(ln.text, "hello");
	vmf_logline_clean("[   12.345678] [<ffffffff81067335>] f+0x1/0x2", 45, &ln);
	CHECK(ln.caller == -1);
	CHECK_STR(ln.text, "[<ffffffff81067335>] f+0x1/0x2");   /* a 4.x trace address is no prefix */
	vmf_logline_clean("[ T99999999999] x", 17, &ln);             /* too big for an id: not one */
	CHECK(ln.caller == -1);
}

/* a syslog header needs its time first: oops lines with "word word: " keep their words */
static void test_syslog_tags(void)
{
	struct vmf_logline ln;

	vmf_logline_clean("Hardware name: QEMU Standard PC", 31, &ln);
	CHECK_STR(ln.text, "Hardware name: QEMU Standard PC");
	vmf_logline_clean("Oct 24 10:52:07 host1 microvm@vm1[15894]: PGD 0 P4D 0", 54, &ln);
	CHECK_STR(ln.text, "PGD 0 P4D 0");
	vmf_logline_clean("CPU: 1 PID: 1 Comm: swapper/0", 29, &ln);
	CHECK_STR(ln.text, "CPU: 1 PID: 1 Comm: swapper/0");
	vmf_logline_clean("12 10:52:07 a b: c", 18, &ln);                /* no month: still a header */
	CHECK_STR(ln.text, "c");
}

/* NUL fill, megabyte lines, UTF-8: nothing is lost or shifted */
/* public oopses of other shapes (tests/triage/logs names their sources) */
static void test_old_shapes(void)
{
	struct vmf_oops o;
	static const char pebs[] = "BUG: unable to handle kernel paging request at ffff9d6c14e52038\n"
				   "IP: 0x55925f7d11ac\nPGD 21632a067\n";
	static const char null_ip[] = "BUG: unable to handle kernel NULL pointer dereference at           (null)\n"
				      "IP:           (null)\n";
	static const char rip0[] = "BUG: kernel NULL pointer dereference, address: 0000000000000000\n"
				   "RIP: 0010:0x0\n";
	static const char i686[] = "BUG: unable to handle kernel paging request at c1487194\n"
				   "IP: [<ee2b2228>] agent_init+0x228/0x1000 [dattobd]\n";
	static const char pid3x[] = "BUG: unable to handle kernel paging request at 000000690000000a\n"
				    "IP: [<ffffffff8117e098>] next_tgid+0x58/0xb0\nOops: 0000 [#1] SMP \nCPU 1 \n"
				    "Pid: 2779, comm: start-stop-daem Tainted: P           O 3.4.9-gentoo #15 System\n";

	/* a RIP the kernel could not name is a RIP, in no function */
	CHECK(vmf_parse_oops(pebs, sizeof(pebs) - 1, &o) == 0 && o.has_rip && o.rip_has_addr);
	CHECK(o.rip_addr == 0x55925f7d11acULL && o.rip_sym[0] == 0 && o.rip.line == 2);
	CHECK(vmf_parse_oops(null_ip, sizeof(null_ip) - 1, &o) == 0 && o.has_rip && o.rip_addr == 0);
	CHECK(vmf_parse_oops(rip0, sizeof(rip0) - 1, &o) == 0 && o.has_rip && o.rip_addr == 0 && !o.rip_sym[0]);
	/* %p is pointer-wide */
	CHECK(vmf_parse_oops(i686, sizeof(i686) - 1, &o) == 0 && o.fault_addr_digits == 8);
	CHECK(vmf_parse_oops(rip0, sizeof(rip0) - 1, &o) == 0 && o.fault_addr_digits == 16);
	/* before v3.10: "Pid: N, comm: X" and "CPU N" */
	CHECK(vmf_parse_oops(pid3x, sizeof(pid3x) - 1, &o) == 0 && o.has_pid && o.pid == 2779 && o.has_cpu &&
	      o.cpu == 1);
	CHECK_STR(o.comm, "start-stop-daem");
	CHECK_STR(o.release, "3.4.9-gentoo");
}

/* an oops that did not panic, then a crash forced with sysrq: the oops is described, the sysrq named */
static void test_sysrq_after(void)
{
	struct vmf_oops o;
	static const char t[] = "BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
				"RIP: 0010:vmalloc_fault+0x22c/0x432 [vmf_test]\n"
				"---[ end trace 0123456789abcdef ]---\n"
				"sysrq: Trigger a crash\n"
				"Kernel panic - not syncing: sysrq triggered crash\n";
	static const char alone[] = "sysrq: Trigger a crash\nKernel panic - not syncing: sysrq triggered crash\n";

	CHECK(vmf_parse_oops(t, sizeof(t) - 1, &o) == 0 && o.found && o.kind == VMF_OOPS_PAGE_FAULT &&
	      o.sysrq_after_line == 4);
	CHECK_STR(o.rip_sym, "vmalloc_fault");
	CHECK(vmf_parse_oops(alone, sizeof(alone) - 1, &o) == 0 && o.found && o.sysrq_after_line == 0);
}

/* 4.x's walk, one pr_cont() per level, broken by another message: each level keeps its value */
static void test_stamped_walk(void)
{
	struct vmf_oops o;
	static const char t[] = "[  134.456029] BUG: unable to handle kernel paging request at ffff880840000ff8\n"
				"[  134.539674] IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
				"[  134.624262] PGD c7f03a067 [  134.653531] PUD 0 \n";
	static const char optoe[] = "BUG: unable to handle kernel paging request at ffff8e6645cbb000\n"
				    "PGD 19b3a067 [  134.653531] PUD 19b3e067 \nPMD 46029063 [  134.698535] PTE 8000000045cbb061\n";

	CHECK(vmf_parse_oops(t, sizeof(t) - 1, &o) == 0 && o.pt[VMF_PGD].printed && o.pt[VMF_PUD].printed &&
	      o.pt[VMF_PUD].value == 0 && !o.pt[VMF_PMD].printed);
	CHECK(vmf_parse_oops(optoe, sizeof(optoe) - 1, &o) == 0 && o.pt[VMF_PUD].value == 0x19b3e067ULL &&
	      o.pt[VMF_PMD].value == 0x46029063ULL && o.pt[VMF_PTE].value == 0x8000000045cbb061ULL);
}

static void test_hostile_bytes(void)
{
	static const char nul[] = "noise\n\0\0\0\0\0\0\0\0[  1.0] BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
				  "[  1.0] \0RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\n";
	size_t big = 4u << 20, n;
	char *t = malloc(big + 4096);
	struct vmf_oops o;

	CHECK(vmf_parse_oops(nul, sizeof(nul) - 1, &o) == 0);
	CHECK(o.bug.line == 2 && o.rip.line == 3);      /* NUL is not a line end: line numbers as an editor shows */
	CHECK_STR(o.rip_sym, "vmalloc_fault");
	if (!t)
		return;
	/* 4 MiB of zero fill (a log file after a crash), the oops' BUG line after it on the same line */
	memset(t, 0, big);
	n = big + (size_t)sprintf(t + big, "[  1.0] BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
				  "[  1.0] RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\n");
	CHECK(vmf_parse_oops(t, n, &o) == 0 && o.bug.line == 1 && o.rip.line == 2);
	/* a 4 MiB line of text before the oops is cut, not overrun, and the oops after it is read */
	memset(t, 'x', big);
	t[big - 1] = '\n';
	n = big + (size_t)sprintf(t + big, "BUG: unable to handle page fault for address: ffff8884c0000ff8\r\n"
				  "RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\r\n");
	CHECK(vmf_parse_oops(t, n, &o) == 0 && o.bug.line == 2 && o.rip.line == 3);
	CHECK_U64(o.fault_addr, 0xffff8884c0000ff8ULL);
	/* the BUG line itself megabytes long: cut at 511 bytes, its start still read */
	n = (size_t)sprintf(t, "BUG: unable to handle page fault for address: ffff8884c0000ff8 ");
	memset(t + n, 'y', big);
	CHECK(vmf_parse_oops(t, n + big, &o) == 0 && o.has_fault_addr && strlen(o.bug.text) < sizeof(o.bug.text));
	free(t);

	/* a UTF-8 command stays UTF-8; bytes that are not UTF-8 become '?' */
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 84 Comm: pr\xc3\xbc" "fung Tainted: G  OE  5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1\n", &o) == 0);
	CHECK_STR(o.comm, "pr\xc3\xbc" "fung");
	CHECK_STR(o.release, "5.10.0-32-cloud-amd64");
	CHECK(strstr(o.cpu_line.text, "pr\xc3\xbc" "fung") != NULL);
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 84 Comm: \xe6\xb5\x8b\xe8\xaf\x95\xe7\xa8\x8b\xe5\xba\x8f\xe5 Not tainted 6.1.0 #1\n", &o) == 0);
	CHECK_STR(o.comm, "\xe6\xb5\x8b\xe8\xaf\x95\xe7\xa8\x8b\xe5\xba\x8f?");   /* TASK_COMM_LEN cut it mid-character */
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 84 Comm: pr\xfc" "fung Not tainted 6.1.0 #1\n", &o) == 0);
	CHECK_STR(o.comm, "pr?fung");                   /* Latin-1 */
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 84 Comm: a\xc2\x9b" "b Not tainted 6.1.0 #1\n", &o) == 0);
	CHECK_STR(o.comm, "a  b");                      /* a C1 control (CSI) is no character to print */
	/* found by fuzz_oops: a non-ASCII byte where "Comm: " has its space; one before " Tainted:" */
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 1 Comm:\xdb\x8cystemd Not tainted 5.9.0-rc2 #1\n", &o) == 0);
	CHECK_STR(o.comm, "\xdb\x8cystemd");
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 1 Comm: caf\xc3\xa9Tainted: G  OE  5.9.0-rc2 #1\n", &o) == 0);
	CHECK_STR(o.comm, "caf");                       /* the text copy's " Tainted:" began inside the \xc3\xa9 */
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "CPU: 1 PID: 1 Comm:  Tainted: G 5.9.0 #1\n", &o) == 0);
	CHECK_STR(o.comm, "");
}

/* "BUG: ... address: X (text)" and 4.x "at X" followed by more keep X; 4.x "at (null)" is 0 */
static void test_bug_line_suffix(void)
{
	struct vmf_oops o;

	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8 (some suffix)\n", &o) == 0);
	CHECK(o.has_fault_addr && o.fault_addr == 0xffff8884c0000ff8ULL);
	CHECK(parse("BUG: unable to handle kernel paging request at ffff880840000ff8 in pmem0\n", &o) == 0);
	CHECK(o.has_fault_addr && o.fault_addr == 0xffff880840000ff8ULL);
	CHECK(parse("BUG: unable to handle kernel NULL pointer dereference at           (null)\n", &o) == 0);
	CHECK(o.kind == VMF_OOPS_NULL_DEREF && o.has_fault_addr && o.fault_addr == 0);
	CHECK(parse("BUG: unable to handle kernel paging request at (some text)\n", &o) == 0);
	CHECK(!o.has_fault_addr);
}

/*
 * The 5.10 guest's oops (lines 1-18 of its data file, then the call trace) with
 * another CPU's block inserted before line `at`: the oops' fields must not change.
 */
static const char *const oops510[] = {
	"[    2.857419] BUG: unable to handle page fault for address: ffff8884c0000ff8",
	"[    2.857640] #PF: supervisor read access in kernel mode",
	"[    2.857752] #PF: error_code(0x0000) - not-present page",
	"[    2.857916] PGD 3201067 P4D 3201067 PUD 0 ",
	"[    2.858182] Oops: 0000 [#1] SMP NOPTI",
	"[    2.858470] CPU: 1 PID: 84 Comm: insmod Tainted: G           OE     5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1",
	"[    2.858625] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014",
	"[    2.858625] RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]",
	"[    2.858625] Code: 0f 0b 49 8b 3c 24 49 89 dd 49 c1 ed 12 e8 00 fd ff ff 48 8b 7d 00 41 81 e5 <48> f7 45 00",
	"[    2.858625] RSP: 0018:ffffc90000187d78 EFLAGS: 00000286",
	"[    2.858625] RAX: ffff8884c0000000 RBX: ffffc9803fe03000 RCX: 000fffffc0000000",
	"[    2.858625] RDX: 000fffffc0000000 RSI: 0000000003401067 RDI: 80000004c00001e3",
	"[    2.858625] CR2: ffff8884c0000ff8 CR3: 00000000043f4000 CR4: 00000000000006a0",
	"[    2.858625] Call Trace:",
	"[    2.858625]  ? vmalloc_fault+0x13a/0x1d6 [vmf_test]",
	"[    2.858625]  vmf_test_init+0x4b0/0x1000 [vmf_test]",
	"[    2.858625]  do_one_initcall+0x44/0x1e0",
	"[    2.858625] ---[ end trace 42c5083ac0355a22 ]---",
};

/* An idle CPU's NMI backtrace (show_regs: its CPU line, RIP, registers, trace). */
static const char nmi_idle[] =
	"[    2.858601] NMI backtrace for cpu 0\n"
	"[    2.858601] CPU: 0 PID: 0 Comm: swapper/0 Tainted: G           OE     5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1\n"
	"[    2.858601] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n"
	"[    2.858601] RIP: 0010:native_safe_halt+0xe/0x20\n"
	"[    2.858601] Code: 00 f0 80 48 02 20 48 8b 00 a8 08 75 c4 eb 80 cc cc <c3> cc cc\n"
	"[    2.858601] RSP: 0018:ffffffff82603e98 EFLAGS: 00000246\n"
	"[    2.858601] RAX: ffffffff819a6c20 RBX: 0000000000000000 RCX: ffff88801f41a8c0\n"
	"[    2.858601] CR2: 00007f5e0f6a3000 CR3: 00000000043f4000 CR4: 00000000000006f0\n"
	"[    2.858601] Call Trace:\n"
	"[    2.858601]  default_idle+0xa/0x20\n"
	"[    2.858601]  do_idle+0x20c/0x2b0\n"
	"[    2.858601]  secondary_startup_64_no_verify+0xb0/0xbb\n";

/* A busy CPU's: interrupted in an IRQ, its trace prints the interrupted registers inside it. */
static const char nmi_irq[] =
	"[    2.858601] NMI backtrace for cpu 2\n"
	"[    2.858601] CPU: 2 PID: 311 Comm: kworker/2:1 Tainted: G           OE     5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1\n"
	"[    2.858601] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n"
	"[    2.858601] RIP: 0010:__do_softirq+0x7b/0x2a8\n"
	"[    2.858601] Code: 89 44 24 04 <65> 66 89 05 16\n"
	"[    2.858601] RSP: 0018:ffffc90000100f70 EFLAGS: 00000246\n"
	"[    2.858601] RAX: 1111111111111111 RBX: 0000000000000000 RCX: 2222222222222222\n"
	"[    2.858601] Call Trace:\n"
	"[    2.858601]  <IRQ>\n"
	"[    2.858601]  irq_exit_rcu+0x9a/0xd0\n"
	"[    2.858601]  sysvec_apic_timer_interrupt+0x36/0x80\n"
	"[    2.858601]  </IRQ>\n"
	"[    2.858601]  asm_sysvec_apic_timer_interrupt+0x12/0x20\n"
	"[    2.858601] RIP: 0010:memset_erms+0x9/0x10\n"
	"[    2.858601] Code: c1 e9 03 40 0f b6 f6 48 b8 01 <f3> aa 4c 89 c8 c3\n"
	"[    2.858601] RSP: 0018:ffffc9000047bd00 EFLAGS: 00000246\n"
	"[    2.858601] RAX: 3333333333333333 RBX: ffff888003a5c000 RCX: 0000000000000f00\n"
	"[    2.858601]  clear_page_erms+0x7/0x10\n"
	"[    2.858601]  process_one_work+0x1b6/0x350\n";

static const char soft_lockup[] =
	"[    2.858601] watchdog: BUG: soft lockup - CPU#3 stuck for 22s! [loop:977]\n"
	"[    2.858601] Modules linked in: vmf_test(OE+) qemu_fw_cfg(E)\n"
	"[    2.858601] CPU: 3 PID: 977 Comm: loop Tainted: G           OE     5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1\n"
	"[    2.858601] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.2-debian-1.16.2-1 04/01/2014\n"
	"[    2.858601] RIP: 0010:spin_loop+0x4/0x10 [loop]\n"
	"[    2.858601] RSP: 0018:ffffc90000507e58 EFLAGS: 00000202\n"
	"[    2.858601] RAX: 4444444444444444 RBX: 0000000000000000 RCX: 0000000000000000\n"
	"[    2.858601] Call Trace:\n"
	"[    2.858601]  kthread+0x11b/0x140\n"
	"[    2.858601]  ret_from_fork+0x22/0x30\n";

static const char sysrq_regs[] =
	"[    2.858601] sysrq: Show Regs\n"
	"[    2.858601] CPU: 0 PID: 0 Comm: swapper/0 Tainted: G           OE     5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1\n"
	"[    2.858601] RIP: 0010:native_safe_halt+0xe/0x20\n"
	"[    2.858601] RSP: 0018:ffffffff82603e98 EFLAGS: 00000246\n"
	"[    2.858601] RAX: 5555555555555555 RBX: 0000000000000000 RCX: 0000000000000000\n"
	"[    2.858601] Call Trace:\n"
	"[    2.858601]  <IRQ>\n"
	"[    2.858601]  handle_sysrq+0x11/0x20\n"
	"[    2.858601]  </IRQ>\n"
	"[    2.858601]  default_idle+0xa/0x20\n";

static int interleaved(const char *block, size_t at, struct vmf_oops *o)
{
	static char text[16384];
	size_t used = 0, i, nb = 0;
	const char *b;

	for (b = block; *b; b++)
		nb += *b == '\n';
	for (i = 0; i < sizeof(oops510) / sizeof(oops510[0]); i++) {
		if (i == at)
			used += (size_t)snprintf(text + used, sizeof(text) - used, "%s", block);
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s\n", oops510[i]);
	}
	vmf_parse_oops(text, used, o);
	return (int)nb;
}

static void test_interleaved_cpus(void)
{
	static const struct { const char *name, *block; } blocks[] = {
		{ "NMI backtrace (idle)", nmi_idle }, { "NMI backtrace (in an IRQ)", nmi_irq },
		{ "soft lockup", soft_lockup }, { "sysrq Show Regs", sysrq_regs },
	};
	size_t b, at;
	struct vmf_oops o;

	/* every block, before every line of the oops from its #PF line to its trace */
	for (b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++)
		for (at = 1; at < 16; at++) {
			int nb = interleaved(blocks[b].block, at, &o), shift = at <= 7 ? nb : 0;
			uint64_t rax = 0;
			int ok = o.found && o.count == 1 && o.has_rip && strcmp(o.rip_sym, "vmalloc_fault") == 0 &&
				 o.rip.line == 8 + shift && o.cpu == 1 && o.pid == 84 && strcmp(o.comm, "insmod") == 0 &&
				 o.has_fault_addr && o.pt[VMF_PUD].printed && o.has_error_code && o.ended;
			/* registers: the oops' own or (another CPU's block inside the dump) none, never the other's */
			if (vmf_oops_reg(&o, VMF_REG_RAX, &rax))
				ok = ok && rax == 0xffff8884c0000000ULL;
			else
				ok = ok && at >= 9 && at <= 12;
			if (at <= 13)               /* a block inside the trace may cost the trace, never add to it */
				ok = ok && o.ncalls >= 2 && strcmp(o.calls[0], "vmf_test_init") == 0 &&
				     strcmp(o.calls[1], "do_one_initcall") == 0;
			ok = ok && o.ncalls <= 2;
			if (!ok)
				printf("%s before oops line %zu: rip '%s' line %d cpu %d comm '%s' rax %llx calls %d '%s'\n",
				       blocks[b].name, at + 1, o.rip_sym, o.rip.line, o.cpu, o.comm,
				       (unsigned long long)rax, o.ncalls, o.calls[0]);
			CHECK(ok);
		}
}

/* 4.x: an NMI backtrace between the BUG line and the IP line */
static void test_interleaved_4x(void)
{
	struct vmf_oops o;

	CHECK(parse("BUG: unable to handle kernel paging request at ffff880840000ff8\n"
		    "NMI backtrace for cpu 0\n"
		    "CPU: 0 PID: 0 Comm: swapper/0 Not tainted 4.4.0-21-generic #37-Ubuntu\n"
		    "task: ffffffff81e11500 ti: ffffffff81e00000 task.ti: ffffffff81e00000\n"
		    "RIP: 0010:[<ffffffff8105ea56>]  [<ffffffff8105ea56>] native_safe_halt+0x6/0x10\n"
		    "RSP: 0018:ffffffff81e03ea8  EFLAGS: 00000246\n"
		    "RAX: 6666666666666666 RBX: 0000000000000000 RCX: 0000000000000000\n"
		    "Stack:\n"
		    " ffffffff81e03ec8 ffffffff8101f8de ffffffff81e04000 ffffffff81f1b9a0\n"
		    "Call Trace:\n"
		    " [<ffffffff8101f8de>] default_idle+0x1e/0xe0\n"
		    "Code: 00 00 00 00 00 55 48 89 e5 fa 5d c3 66 0f 1f 84 00 00 00 00 00 55 48 89 e5 fb f4 <5d> c3\n"
		    "IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
		    "PGD c7f03a067 PUD 0 \n"
		    "Oops: 0000 [#1] SMP \n"
		    "CPU: 3 PID: 4242 Comm: fio Not tainted 4.4.0-21-generic #37-Ubuntu\n"
		    "RIP: 0010:[<ffffffff810664ae>]  [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
		    "RSP: 0018:ffff88003b8bfc18  EFLAGS: 00010046\n"
		    "RAX: 000fffffc0000000 RBX: ffff880840000ff8 RCX: 80000004800001e3\n"
		    "Stack:\n", &o) == 0);
	CHECK_STR(o.rip_sym, "vmalloc_fault");
	CHECK_U64(o.rip.line, 13);
	CHECK(o.cpu == 3 && o.pid == 4242);
	CHECK(o.ncalls == 0);                   /* default_idle is cpu 0's */
	CHECK_U64(o.reg[VMF_REG_RAX].value, 0x000fffffc0000000ULL);
	CHECK_U64(o.reg[VMF_REG_RAX].line, 19);

	/* an NMI report with two traces (show_regs() and dump_stack(), as 2.6.32's) before the CPU line */
	CHECK(parse("BUG: unable to handle kernel paging request at ffff880840000ff8\n"
		    "IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
		    "PGD c7f03a067 PUD 0 \n"
		    "Oops: 0000 [#1] SMP \n"
		    "NMI backtrace for cpu 0\n"
		    "CPU: 0 PID: 0 Comm: swapper/0 Not tainted 4.4.0-21-generic #37-Ubuntu\n"
		    "RIP: 0010:[<ffffffff8105ea56>]  [<ffffffff8105ea56>] native_safe_halt+0x6/0x10\n"
		    "RAX: 6666666666666666 RBX: 0000000000000000 RCX: 0000000000000000\n"
		    "Call Trace:\n"
		    " [<ffffffff8101f8de>] default_idle+0x1e/0xe0\n"
		    "Call Trace:\n"
		    " [<ffffffff8100a1b2>] cpu_idle+0x72/0xd0\n"
		    "CPU: 3 PID: 4242 Comm: fio Not tainted 4.4.0-21-generic #37-Ubuntu\n"
		    "RIP: 0010:[<ffffffff810664ae>]  [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
		    "RAX: 000fffffc0000000 RBX: ffff880840000ff8 RCX: 80000004800001e3\n"
		    "Stack:\n"
		    "Call Trace:\n"
		    " [<ffffffff81067335>] __do_page_fault+0x285/0x3e0\n", &o) == 0);
	CHECK(o.cpu == 3 && o.pid == 4242);
	CHECK(o.ncalls == 1 && strcmp(o.calls[0], "__do_page_fault") == 0);
	CHECK_U64(o.reg[VMF_REG_RAX].value, 0x000fffffc0000000ULL);
}

/* With printk caller ids, lines interleave one by one and still sort out. */
static void test_interleaved_callers(void)
{
	struct vmf_oops o;

	CHECK(parse("[    2.857419][   T84] BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "[    2.857420][    C0] NMI backtrace for cpu 0\n"
		    "[    2.857640][   T84] #PF: supervisor read access in kernel mode\n"
		    "[    2.857641][    C0] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 5.10.0-32-cloud-amd64 #1\n"
		    "[    2.857916][   T84] PGD 3201067 P4D 3201067 PUD 0\n"
		    "[    2.857917][    C0] RIP: 0010:native_safe_halt+0xe/0x20\n"
		    "[    2.858182][   T84] Oops: 0000 [#1] SMP NOPTI\n"
		    "[    2.858183][    C0] RAX: 7777777777777777 RBX: 0000000000000000 RCX: 0000000000000000\n"
		    "[    2.858470][   T84] CPU: 1 PID: 84 Comm: insmod Tainted: G  OE  5.10.0-32-cloud-amd64 #1\n"
		    "[    2.858471][    C0] Call Trace:\n"
		    "[    2.858625][   T84] RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\n"
		    "[    2.858626][    C0]  default_idle+0xa/0x20\n"
		    "[    2.858627][   T84] RAX: ffff8884c0000000 RBX: ffffc9803fe03000 RCX: 000fffffc0000000\n"
		    "[    2.858628][   T84] Call Trace:\n"
		    "[    2.858629][    C0] BUG: unable to handle page fault for address: 0000000000000010\n"
		    "[    2.858630][   T84]  vmf_test_init+0x4b0/0x1000 [vmf_test]\n", &o) == 0);
	CHECK_STR(o.rip_sym, "vmalloc_fault");
	CHECK_U64(o.rip.line, 11);
	CHECK(o.cpu == 1 && o.pid == 84);
	CHECK_U64(o.reg[VMF_REG_RAX].value, 0xffff8884c0000000ULL);
	CHECK(o.count == 2);                    /* cpu 0's oops is counted, and does not end cpu 1's */
	CHECK(o.ncalls == 1 && strcmp(o.calls[0], "vmf_test_init") == 0);
}

/* A user-mode RIP (the bottom of a trace) is never the oops' RIP. */
static void test_user_mode_rip(void)
{
	struct vmf_oops o;

	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "Call Trace:\n"
		    " entry_SYSCALL_64_after_hwframe+0x67/0xd1\n"
		    "RIP: 0033:write+0x20/0x40\n", &o) == 0);
	CHECK(!o.has_rip);
}

/* Where the text ends, and what the oops must have printed (item 9). */
static void test_cut_and_die(void)
{
	struct vmf_oops o;

	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "#PF: supervisor read access in kernel mode\n", &o) == 0);
	CHECK(o.from_die && !o.ended && !o.has_rip);
	CHECK(parse("BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		    "---[ end trace 42c5083ac0355a22 ]---\n", &o) == 0);
	CHECK(o.from_die && o.ended && !o.has_rip);
	CHECK(parse("kernel BUG at mm/slub.c:3916!\ninvalid opcode: 0000 [#1] SMP\n", &o) == 0);
	CHECK(o.from_die && !o.ended);
	CHECK(parse("general protection fault, probably for non-canonical address 0xdead000000000100: 0000 [#1] SMP\n",
		    &o) == 0);
	CHECK(o.kind == VMF_OOPS_OTHER && o.from_die);
	CHECK(parse("Kernel panic - not syncing: sysrq triggered crash\nCPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1\n",
		    &o) == 0);
	CHECK(o.kind == VMF_OOPS_OTHER && !o.from_die);
	CHECK(parse("sysrq: Trigger a crash\n", &o) == 0);
	CHECK(!o.from_die);
	CHECK(parse("BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		    "Kernel panic - not syncing: Fatal exception\n", &o) == 0);
	CHECK(o.ended);
	CHECK(parse("BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
		    "BUG: unable to handle page fault for address: ffff888000000000\n", &o) == 0);
	CHECK(o.ended && o.count == 2);
}

/* found by fuzz_oops: "RIP: a" read past its line and took an earlier line's symbol */
static void test_short_rip_line(void)
{
	static const char text[] = "BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
				   "012345678:vmalloc_fault+0x1be/0x300\n"
				   "RIP: a\n";
	struct vmf_oops o;

	vmf_parse_oops(text, sizeof(text) - 1, &o);
	CHECK(strcmp(o.rip_sym, "vmalloc_fault") != 0);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "tests/unit/data";

	test_short_rip_line();

	test_seed_report(dir);
	test_510_guest(dir);
	test_shapes();
	test_registers_510(dir);
	test_registers_4x_and_32bit();
	test_prefixes();
	test_caller_ids();
	test_syslog_tags();
	test_old_shapes();
	test_stamped_walk();
	test_sysrq_after();
	test_hostile_bytes();
	test_bug_line_suffix();
	test_interleaved_cpus();
	test_interleaved_4x();
	test_interleaved_callers();
	test_user_mode_rip();
	test_cut_and_die();
	return CHECK_DONE();
}
