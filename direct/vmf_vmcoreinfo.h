/*
 * vmf_vmcoreinfo.h - lookups in a VMCOREINFO text, without any dump library.
 *
 * VMCOREINFO is the "KEY=VALUE\n" text the kernel writes into every dump
 * (kernel/crash_core.c).  Its value formats are fixed by the macros that write
 * them: SYMBOL(name) is hexadecimal without 0x ("%lx"), NUMBER(name) signed
 * decimal ("%ld"), OFFSET(type.member), SIZE(type) and LENGTH(name) unsigned
 * decimal ("%lu"); KERNELOFFSET is hexadecimal, PAGESIZE decimal, OSRELEASE and
 * BUILD-ID plain text.  The parser is shared by the dump reader (vmf_dump.h) and
 * the log reader's unit tests, which build VMCOREINFO texts of their own.
 */
#ifndef VMF_VMCOREINFO_H
#define VMF_VMCOREINFO_H

#include <stddef.h>
#include <stdint.h>

/* What a lookup found. */
enum vmf_vi_status {
	VMF_VI_OK = 0,
	VMF_VI_NOKEY,       /* no line with that key */
	VMF_VI_BADVALUE,    /* the line is there, its value does not parse */
};

/* A VMCOREINFO text: not NUL-terminated necessarily, lines end in '\n'. */
struct vmf_vmcoreinfo {
	const char *text;
	size_t len;
};

/*
 * The value of the first line "KEY=..." (KEY compared whole, up to '='):
 * a pointer into the text and its length (up to the line's end), or NULL.
 */
const char *vmf_vi_find(const struct vmf_vmcoreinfo *vi, const char *key, size_t *vlen);

/* Copy of a plain value ("OSRELEASE", "BUILD-ID"), cut to outlen-1 bytes. */
enum vmf_vi_status vmf_vi_string(const struct vmf_vmcoreinfo *vi, const char *key,
				 char *out, size_t outlen);

/* SYMBOL(name): hexadecimal address. */
enum vmf_vi_status vmf_vi_symbol(const struct vmf_vmcoreinfo *vi, const char *name, uint64_t *val);
/* NUMBER(name): signed decimal. */
enum vmf_vi_status vmf_vi_number(const struct vmf_vmcoreinfo *vi, const char *name, int64_t *val);
/* OFFSET(type.member), as "type.member". */
enum vmf_vi_status vmf_vi_offset(const struct vmf_vmcoreinfo *vi, const char *type_member, uint64_t *val);
/* SIZE(type). */
enum vmf_vi_status vmf_vi_size(const struct vmf_vmcoreinfo *vi, const char *type, uint64_t *val);
/* LENGTH(name). */
enum vmf_vi_status vmf_vi_length(const struct vmf_vmcoreinfo *vi, const char *name, uint64_t *val);
/* A key whose whole value is hexadecimal (KERNELOFFSET) or unsigned decimal (PAGESIZE). */
enum vmf_vi_status vmf_vi_hex(const struct vmf_vmcoreinfo *vi, const char *key, uint64_t *val);
enum vmf_vi_status vmf_vi_udec(const struct vmf_vmcoreinfo *vi, const char *key, uint64_t *val);

#endif
