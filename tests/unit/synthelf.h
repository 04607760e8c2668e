/*
 * synthelf.h - small ELF64 files shaped like a vmlinux for the CLI's unit tests:
 * a GNU build-id note, a section name table and the section headers at the end
 * of a (sparse) file of any size, as in a 600 MB vmlinux with DWARF.
 */
#ifndef VMF_SYNTHELF_H
#define VMF_SYNTHELF_H
#include <elf.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct synth {
	int type;            /* ET_EXEC, ET_DYN */
	int init_text;       /* has a .init.text section */
	int cls;             /* ELFCLASS64 or ELFCLASS32 */
	unsigned char bid;   /* build-id: 20 bytes of this value; 0 for none */
	long size;           /* file size; the section headers sit at its end, as in a vmlinux */
	int bad_shoff;       /* section headers past the end of the file */
};

static inline void put(int fd, const void *p, size_t n, off_t off)
{
	if (pwrite(fd, p, n, off) != (ssize_t)n)
		abort();
}

/* Notes at 0x1000, section names at 0x1100, section headers at the end. */
static inline void write_elf(const char *path, const struct synth *s)
{
	static const char names[] = "\0.init.text\0.notes\0.shstrtab\0.text";
	unsigned char note[12 + 4 + 20];
	Elf64_Nhdr nh = { 4, 20, NT_GNU_BUILD_ID };
	Elf64_Ehdr eh;
	Elf64_Shdr sh[4];
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = s->cls ? s->cls : ELFCLASS64;
	eh.e_ident[EI_DATA] = ELFDATA2LSB;
	eh.e_type = s->type;
	eh.e_machine = EM_X86_64;
	eh.e_shentsize = sizeof(Elf64_Shdr);
	eh.e_shnum = 4;
	eh.e_shstrndx = 3;
	eh.e_shoff = s->size - sizeof(sh) + (s->bad_shoff ? 4096 : 0);
	memset(sh, 0, sizeof(sh));
	sh[1].sh_name = s->init_text ? 1 : 30;          /* .init.text, or .text */
	sh[1].sh_type = SHT_PROGBITS;
	sh[2].sh_name = 12;
	sh[2].sh_type = SHT_NOTE;
	sh[2].sh_offset = 0x1000;
	sh[2].sh_size = s->bid ? sizeof(note) : 0;
	sh[3].sh_name = 19;
	sh[3].sh_type = SHT_STRTAB;
	sh[3].sh_offset = 0x1100;
	sh[3].sh_size = sizeof(names);
	memcpy(note, &nh, 12);
	memcpy(note + 12, "GNU", 4);
	memset(note + 16, s->bid, 20);
	put(fd, &eh, sizeof(eh), 0);
	put(fd, note, sizeof(note), 0x1000);
	put(fd, names, sizeof(names), 0x1100);
	put(fd, sh, sizeof(sh), s->size - sizeof(sh));
	if (ftruncate(fd, s->size) != 0)
		abort();
	close(fd);
}

#endif
