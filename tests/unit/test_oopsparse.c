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
	return CHECK_DONE();
}
