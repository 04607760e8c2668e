/*
 * test_direct_disasm.c - libopcodes disassembly (direct/vmf_disasm.c) in gdb's
 * line format, read by the engine's code check exactly as gdb's own text is.
 */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "vmf_disasm.h"
#include "vmf_evidence.h"

#define BASE 0xffffffffc0008000ULL
#define PRINTK 0xffffffff81234560ULL

static const unsigned char code[] = {
	0x0f, 0x1f, 0x44, 0x00, 0x00,           /* +0  nopl   0x0(%rax,%rax,1) */
	0x48, 0x89, 0xf8,                       /* +5  mov    %rdi,%rax */
	0xe8, 0, 0, 0, 0,                       /* +8  call   printk (patched below) */
	0xa8, 0x80,                             /* +13 test   $0x80,%al */
	0x74, 0x02,                             /* +15 je     +19 */
	0x0f, 0x0b,                             /* +17 ud2 */
	0x48, 0x8b, 0x07,                       /* +19 mov    (%rdi),%rax */
	0xc3,                                   /* +22 ret */
};

/* The same instructions as gdb 13 prints them for `disassemble A,B`. */
static const char gdb_text[] =
	"Dump of assembler code from 0xffffffffc0008000 to 0xffffffffc0008017:\n"
	"   0xffffffffc0008000 <vmalloc_fault+0>:\tnopl   0x0(%rax,%rax,1)\n"
	"   0xffffffffc0008005 <vmalloc_fault+5>:\tmov    %rdi,%rax\n"
	"   0xffffffffc0008008 <vmalloc_fault+8>:\tcall   0xffffffff81234560 <printk>\n"
	"   0xffffffffc000800d <vmalloc_fault+13>:\ttest   $0x80,%al\n"
	"   0xffffffffc000800f <vmalloc_fault+15>:\tje     0xffffffffc0008013 <vmalloc_fault+19>\n"
	"   0xffffffffc0008011 <vmalloc_fault+17>:\tud2\n"
	"   0xffffffffc0008013 <vmalloc_fault+19>:\tmov    (%rdi),%rax\n"
	"   0xffffffffc0008016 <vmalloc_fault+22>:\tret\n"
	"End of assembler dump.\n";

static int symbolize(void *ctx, uint64_t addr, char *buf, size_t len)
{
	(void)ctx;
	if (addr == PRINTK)
		snprintf(buf, len, "printk");
	else if (addr >= BASE && addr < BASE + sizeof(code))
		snprintf(buf, len, "vmalloc_fault+%llu", (unsigned long long)(addr - BASE));
	else
		return -1;
	return 0;
}

/* The code check on our text and on gdb's: same answer, same note. */
static void same_check(const char *ours, long fault_off, enum vmf_tri want, const char *note_has)
{
	char n1[400], n2[400];
	enum vmf_tri a = vmf_code_large_check(ours, BASE, fault_off, n1, sizeof(n1));
	enum vmf_tri b = vmf_code_large_check(gdb_text, BASE, fault_off, n2, sizeof(n2));

	CHECK(a == want && b == want);
	CHECK_STR(n1, n2);
	CHECK(strstr(n1, note_has) != NULL);
}

int main(void)
{
	unsigned char c[sizeof(code)];
	int32_t rel = (int32_t)(PRINTK - (BASE + 13));
	char why[200] = "", *text;

	memcpy(c, code, sizeof(c));
	memcpy(c + 9, &rel, 4);
	text = vmf_disasm(c, sizeof(c), BASE, BASE + sizeof(c), "vmalloc_fault", symbolize, NULL, why, sizeof(why));
	CHECK(text != NULL);
	if (!text)
		return CHECK_DONE();
	CHECK(strstr(text, "   0xffffffffc0008000 <vmalloc_fault+0>:\tnopl   0x0(%rax,%rax,1)\n") != NULL);
	CHECK(strstr(text, "<vmalloc_fault+8>:\tcall   0xffffffff81234560 <printk>\n") != NULL);
	CHECK(strstr(text, "<vmalloc_fault+13>:\ttest   $0x80,%al\n") != NULL);
	CHECK(strstr(text, "je     0xffffffffc0008013 <vmalloc_fault+19>\n") != NULL);
	CHECK(strstr(text, "<vmalloc_fault+22>:\tret") != NULL);
	CHECK(strncmp(text, "Dump of assembler code from 0xffffffffc0008000 to 0xffffffffc0008017:\n", 70) == 0);
	same_check(text, -1, VMF_TRUE, "1 test(s) of the PSE bit (0x80) among the 8 instructions, first at +0xd");
	same_check(text, 19, VMF_UNKNOWN, "precede the faulting instruction, first at +0xd");
	same_check(text, 13, VMF_FALSE, "no test of the PSE bit (0x80) among the 3 instructions before the faulting one");
	free(text);

	/* stop inside the code: instructions starting before it, the last one whole */
	text = vmf_disasm(c, sizeof(c), BASE, BASE + 14, "vmalloc_fault", symbolize, NULL, why, sizeof(why));
	CHECK(text && strstr(text, "test   $0x80,%al") && !strstr(text, "je "));
	free(text);

	/* bytes that end inside an instruction: a reason, not half a line */
	text = vmf_disasm(c, 10, BASE, BASE + sizeof(c), "vmalloc_fault", symbolize, NULL, why, sizeof(why));
	CHECK(text == NULL && strstr(why, "stopped at ffffffffc0008008") != NULL);
	return CHECK_DONE();
}
