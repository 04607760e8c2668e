/*
 * vmf_disasm.c - libopcodes' x86-64 disassembler (see vmf_disasm.h).
 *
 * binutils 2.39 gave init_disassemble_info() a fourth argument, the styled
 * printer (disassembler styling); bookworm has 2.40.  binutils' own bfd.h
 * stops unless a config.h defined PACKAGE first; Debian's installed one has no
 * such check, so none is defined here (the build fails loudly if that changes).
 */
#include "vmf_disasm.h"

#include <dis-asm.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct out {
	FILE *f;                 /* open_memstream: the text grows as needed */
	vmf_symbolize_fn sym;
	void *symctx;
	int past_end;            /* an instruction wanted bytes beyond those given */
};

static int out_printf(void *stream, const char *fmt, ...)
{
	struct out *o = stream;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(o->f, fmt, ap);
	va_end(ap);
	return n;
}

/* Styles (register, immediate, ...) matter to a terminal, not to the text. */
static int out_styled(void *stream, enum disassembler_style style, const char *fmt, ...)
{
	struct out *o = stream;
	va_list ap;
	int n;

	(void)style;
	va_start(ap, fmt);
	n = vfprintf(o->f, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * libopcodes prints an instruction cut by the end of the buffer as ".byte":
 * noticed here, so the caller gets a reason instead of a wrong instruction.
 */
static int read_code(bfd_vma addr, bfd_byte *buf, unsigned int len, struct disassemble_info *info)
{
	struct out *o = info->stream;

	if (addr < info->buffer_vma || addr - info->buffer_vma + len > info->buffer_length) {
		o->past_end = 1;
		return -1;
	}
	memcpy(buf, info->buffer + (addr - info->buffer_vma), len);
	return 0;
}

/* gdb's form of a target: "0xffffffff81234560 <printk>" or "<sym+12>". */
static void print_target(bfd_vma addr, struct disassemble_info *info)
{
	struct out *o = info->stream;
	char name[192];

	fprintf(o->f, "0x%llx", (unsigned long long)addr);
	if (o->sym && !o->sym(o->symctx, (uint64_t)addr, name, sizeof(name)))
		fprintf(o->f, " <%s>", name);
}

char *vmf_disasm(const unsigned char *code, size_t code_len, uint64_t addr, uint64_t stop,
		 const char *fname, vmf_symbolize_fn sym, void *symctx, char *why, size_t whylen)
{
	struct disassemble_info info;
	disassembler_ftype dis;
	struct out o = { NULL, sym, symctx, 0 };
	char *text = NULL;
	size_t text_len = 0;
	uint64_t pc = addr;
	int failed = 0;

	dis = disassembler(bfd_arch_i386, false, bfd_mach_x86_64, NULL);
	if (!dis) {
		snprintf(why, whylen, "libopcodes has no x86-64 disassembler");
		return NULL;
	}
	if (!(o.f = open_memstream(&text, &text_len))) {
		snprintf(why, whylen, "no memory for the disassembly");
		return NULL;
	}
	init_disassemble_info(&info, &o, out_printf, out_styled);
	info.arch = bfd_arch_i386;
	info.mach = bfd_mach_x86_64;
	info.buffer = (bfd_byte *)code;
	info.buffer_vma = addr;
	info.buffer_length = code_len;
	info.print_address_func = print_target;
	info.read_memory_func = read_code;
	disassemble_init_for_target(&info);

	fprintf(o.f, "Dump of assembler code from 0x%llx to 0x%llx:\n", (unsigned long long)addr,
		(unsigned long long)stop);
	while (pc < stop && pc < addr + code_len) {
		int n;

		fprintf(o.f, "   0x%016llx <%s+%llu>:\t", (unsigned long long)pc, fname ? fname : "",
			(unsigned long long)(pc - addr));
		n = dis(pc, &info);
		fputc('\n', o.f);
		if (n <= 0 || o.past_end) {
			snprintf(why, whylen, "disassembly stopped at %llx: instruction runs past the %zu bytes read",
				 (unsigned long long)pc, code_len);
			failed = 1;
			break;
		}
		pc += (uint64_t)n;
	}
	fprintf(o.f, "End of assembler dump.\n");
	disassemble_free_target(&info);
	if (fclose(o.f) || !text || failed) {
		free(text);
		if (!failed)
			snprintf(why, whylen, "no memory for the disassembly");
		return NULL;
	}
	return text;
}
