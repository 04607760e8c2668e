/*
 * vmf_elfsyms.c - a vmlinux's symbols, build-id and .BTF through libelf.
 */
#include "vmf_elfsyms.h"

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void find_build_id(struct vmf_elf *e, Elf *elf)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *d;
		GElf_Nhdr nh;
		size_t off = 0, noff, doff;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE || !(d = elf_getdata(scn, NULL)))
			continue;
		while ((off = gelf_getnote(d, off, &nh, &noff, &doff)) > 0) {
			const unsigned char *p = (const unsigned char *)d->d_buf + doff;
			if (nh.n_type != NT_GNU_BUILD_ID || nh.n_namesz != 4 ||
			    memcmp((const char *)d->d_buf + noff, "GNU", 4) || nh.n_descsz > 20)
				continue;
			for (size_t i = 0; i < nh.n_descsz; i++)
				snprintf(e->build_id + 2 * i, 3, "%02x", p[i]);
			return;
		}
	}
}

static void find_btf(struct vmf_elf *e, Elf *elf)
{
	Elf_Scn *scn = NULL;
	size_t shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx))
		return;
	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		const char *name;
		Elf_Data *d;

		if (!gelf_getshdr(scn, &sh) || !(name = elf_strptr(elf, shstrndx, sh.sh_name)) ||
		    strcmp(name, ".BTF") != 0 || sh.sh_type == SHT_NOBITS)
			continue;
		if ((d = elf_rawdata(scn, NULL)) && d->d_size) {
			e->btf = d->d_buf;
			e->btf_size = d->d_size;
		}
		return;
	}
}

int vmf_elf_open(struct vmf_elf *e, const char *path, char *why, size_t whylen)
{
	Elf *elf;
	GElf_Ehdr eh;

	memset(e, 0, sizeof(*e));
	e->fd = -1;
	if (elf_version(EV_CURRENT) == EV_NONE) {
		snprintf(why, whylen, "libelf: %s", elf_errmsg(-1));
		return -1;
	}
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return -1;
	}
	elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, &eh)) {
		snprintf(why, whylen, "%s: not an ELF file (%s)", path, elf_errmsg(-1));
		if (elf)
			elf_end(elf);
		close(e->fd);
		e->fd = -1;
		return -1;
	}
	if (eh.e_machine != EM_X86_64 || eh.e_ident[EI_CLASS] != ELFCLASS64) {
		snprintf(why, whylen, "%s: not an x86-64 ELF (e_machine %u)", path, eh.e_machine);
		elf_end(elf);
		close(e->fd);
		e->fd = -1;
		return -1;
	}
	e->elf = elf;
	find_build_id(e, elf);
	find_btf(e, elf);
	return 0;
}

void vmf_elf_close(struct vmf_elf *e)
{
	if (e->elf)
		elf_end((Elf *)e->elf);
	if (e->fd >= 0)
		close(e->fd);
	memset(e, 0, sizeof(*e));
	e->fd = -1;
}

/* nm's letter for a symbol, from its binding and its section's flags. */
static char nm_type(const GElf_Sym *s, const GElf_Shdr *sh)
{
	char c;

	if (s->st_shndx == SHN_ABS)
		c = 'a';
	else if (!sh)
		c = '?';
	else if (sh->sh_flags & SHF_EXECINSTR)
		c = 't';
	else if (sh->sh_type == SHT_NOBITS)
		c = 'b';
	else if (sh->sh_flags & SHF_WRITE)
		c = 'd';
	else if (sh->sh_flags & SHF_ALLOC)
		c = 'r';
	else
		c = 'n';
	if (GELF_ST_BIND(s->st_info) == STB_WEAK)
		return c == 'a' || c == '?' ? 'W' : (c == 't' ? 'W' : 'V');
	if (GELF_ST_BIND(s->st_info) == STB_GLOBAL && c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	return c;
}

static Elf_Scn *find_symtab(Elf *elf, GElf_Shdr *sh)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn)))
		if (gelf_getshdr(scn, sh) && sh->sh_type == SHT_SYMTAB)
			return scn;
	return NULL;
}

int vmf_elf_symbols(struct vmf_elf *e, uint64_t kaslr_offset, struct vmf_symtab *t,
		    char *why, size_t whylen)
{
	Elf *elf = e->elf;
	GElf_Shdr symsh, sh;
	Elf_Scn *scn;
	Elf_Data *d;
	size_t n, nsec = 0;
	GElf_Shdr *secs = NULL;

	vmf_symtab_init(t, "vmlinux .symtab");
	if (!elf || !(scn = find_symtab(elf, &symsh)) || !(d = elf_getdata(scn, NULL))) {
		snprintf(why, whylen, "the vmlinux has no .symtab (stripped?)");
		return -1;
	}
	/* section headers once: a symbol's type letter comes from its section */
	if (!elf_getshdrnum(elf, &nsec) && nsec && (secs = calloc(nsec, sizeof(*secs))))
		for (size_t i = 0; i < nsec; i++)
			if (!gelf_getshdr(elf_getscn(elf, i), &secs[i]))
				memset(&secs[i], 0, sizeof(secs[i]));
	n = symsh.sh_entsize ? symsh.sh_size / symsh.sh_entsize : 0;
	for (size_t i = 1; i < n; i++) {
		GElf_Sym s;
		const char *name;
		uint64_t addr;
		int type;

		if (!gelf_getsym(d, (int)i, &s))
			continue;
		type = GELF_ST_TYPE(s.st_info);
		if (s.st_shndx == SHN_UNDEF || type == STT_SECTION || type == STT_FILE)
			continue;
		name = elf_strptr(elf, symsh.sh_link, s.st_name);
		if (!name || !*name)
			continue;
		addr = s.st_value;
		/* KASLR moves the image; per-cpu offsets and absolute values stay */
		if (addr >= VMF_START_KERNEL_MAP && s.st_shndx != SHN_ABS)
			addr += kaslr_offset;
		sh = (secs && s.st_shndx < nsec) ? secs[s.st_shndx] : (GElf_Shdr){ 0 };
		if (vmf_symtab_add(t, name, strlen(name), addr, s.st_size,
				   nm_type(&s, s.st_shndx < nsec && secs ? &sh : NULL), VMF_SYM_KERNEL)) {
			free(secs);
			snprintf(why, whylen, "out of memory reading .symtab");
			return -1;
		}
	}
	free(secs);
	if (vmf_symtab_finish(t)) {
		snprintf(why, whylen, "out of memory sorting .symtab");
		return -1;
	}
	return 0;
}
