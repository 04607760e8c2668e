/*
 * vmf_disasm.h - x86-64 code to text with libopcodes, in the lines gdb's
 * `disassemble A,B` prints (AT&T syntax, "   0xADDR <fn+off>:\tinsn"), so the
 * engine's code check (vmf_code_large_check) reads it as it reads gdb's.
 */
#ifndef VMF_DISASM_H
#define VMF_DISASM_H
#include <stddef.h>
#include <stdint.h>

/* Name a jump or call target: "sym" or "sym+off" into buf; -1 when unknown. */
typedef int (*vmf_symbolize_fn)(void *ctx, uint64_t addr, char *buf, size_t len);

/*
 * Disassemble the instructions that start in [addr, stop), code holding the
 * bytes from addr on (code_len may pass stop: the last instruction can end
 * beyond it, as with gdb).  fname names the lines ("<fname+off>").  Returns a
 * malloc'd NUL-terminated text, or NULL with a one-line reason.
 */
char *vmf_disasm(const unsigned char *code, size_t code_len, uint64_t addr, uint64_t stop,
		 const char *fname, vmf_symbolize_fn sym, void *symctx, char *why, size_t whylen);
#endif
