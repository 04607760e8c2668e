/*
 * dumpid.h - what a dump file is, from its own headers, before crash sees it:
 * its format, its machine, its kernel release and build-id (VMCOREINFO), and
 * whether it is as long as its headers say.  Every format's layout is in
 * dumpid.c, by name.
 */
#ifndef TRIAGE_DUMPID_H
#define TRIAGE_DUMPID_H

#include <stddef.h>

enum dump_format {
	DUMP_NONE = 0,            /* no dump signature */
	DUMP_ELF,                 /* an ELF file: a core (/proc/vmcore, virsh dump) or not (a vmlinux) */
	DUMP_KDUMP,               /* makedumpfile's kdump-compressed ("KDUMP   ", or "DISKDUMP") */
	DUMP_FLAT,                /* makedumpfile's flattened stream (makedumpfile -F, qemu dump-guest-memory) */
};

struct dump_id {
	enum dump_format format;
	unsigned elf_type;        /* DUMP_ELF: e_type (ET_CORE for a dump) */
	char machine[80];         /* "x86_64", "aarch64", "ELF machine 9999"; "" when the header does not say */
	unsigned long long size;  /* of the file */
};

/*
 * Reads the file's first bytes (a regular file only).  Returns 0 with id
 * filled (format DUMP_NONE when no signature matched), -1 with why when the file
 * cannot be read.
 */
int dump_identify(const char *path, struct dump_id *id, char *why, size_t wlen);
/* The same from the first n bytes of a dump already in memory (a decompressed stream's head). */
void dump_identify_buf(const unsigned char *h, size_t n, struct dump_id *id);
/* The length of the head dump_identify_buf reads (a flattened header, a record header, a kdump header). */
#define DUMP_ID_LEN (4096 + 16 + 448)
const char *dump_format_name(enum dump_format f);
/* "an ELF executable (a vmlinux?)" for an ELF file that is not a core */
const char *elf_type_name(unsigned elf_type);
int dump_is_core(const struct dump_id *id);

/*
 * OSRELEASE and BUILD-ID (hex; "" before 5.9) of the dump's VMCOREINFO.  Read by
 * libkdumpfile in a child process (a damaged header can crash it), and by our
 * own reader for the flattened format, which libkdumpfile 0.5 does not read.
 * -1 with the reason in why.
 */
int dump_vmcoreinfo(const char *path, char *rel, size_t rlen, char *bid, size_t blen, char *why,
		    size_t wlen);

/*
 * OSRELEASE and BUILD-ID from VMCOREINFO text found in buf (a dump's head: the
 * ELF note, the kdump sub header and the flattened stream's first records all
 * hold it uncompressed, at the start of a line).  -1 when OSRELEASE is not there.
 */
int dump_vmcoreinfo_buf(const char *buf, size_t n, char *rel, size_t rlen, char *bid, size_t blen);

/*
 * Is the file as long as its own headers say?  crash exits without a word on a
 * truncated dump, so this is where the user learns why.  1 with the reason in
 * why when it is short, 0 otherwise (also when the headers cannot tell).
 */
int dump_truncated(const char *path, const struct dump_id *id, char *why, size_t wlen);

#endif
