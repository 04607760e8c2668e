/*
 * test_oopsparse.c - the oops parser on real texts (the 2016 report as mailed,
 * a 5.10 oops printed by a factory guest) and on the shapes around them.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
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
	return CHECK_DONE();
}
