/*
 * test_direct_symtab.c - symbol tables (direct/vmf_symtab.c) and a vmlinux's
 * ELF symbols, build-id and .BTF (direct/vmf_elfsyms.c) on an ELF written here
 * with libelf: KASLR relocation of the image's symbols only, alias and name
 * preferences, bad files with a reason.
 */
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "check.h"
#include "vmf_elfsyms.h"

#define TEXT 0xffffffff81000000ULL

struct esym { const char *name; uint64_t value, size; int bind, type, shndx; };

enum { S_NULL, S_TEXT, S_PERCPU, S_DATA, S_BSS, S_BTF, S_NOTE, S_SYMTAB, S_STRTAB, S_SHSTRTAB, S_N };

static const struct esym esyms[] = {
	{ "_text", TEXT, 0, STB_GLOBAL, STT_NOTYPE, S_TEXT },
	{ "_stext", TEXT, 0, STB_GLOBAL, STT_NOTYPE, S_TEXT },
	{ "startup_64", TEXT + 0x40, 0x60, STB_GLOBAL, STT_FUNC, S_TEXT },
	{ "helper", TEXT + 0x100, 0x20, STB_LOCAL, STT_FUNC, S_TEXT },
	{ "weak_hook", TEXT + 0x100, 0x20, STB_WEAK, STT_FUNC, S_TEXT },
	{ "__helper", TEXT + 0x100, 0x20, STB_GLOBAL, STT_FUNC, S_TEXT },
	{ "helper", TEXT + 0x200, 0x10, STB_GLOBAL, STT_FUNC, S_TEXT },   /* a global of a local's name */
	{ "irq_stack_backing_store", 0x2000, 0x4000, STB_GLOBAL, STT_OBJECT, S_PERCPU },
	{ "init_mm", TEXT + 0x1745e20, 0x808, STB_GLOBAL, STT_OBJECT, S_DATA },
	{ "modules", TEXT + 0x1716660, 0x10, STB_LOCAL, STT_OBJECT, S_DATA },
	{ "empty_zero_page", TEXT + 0x2000000, 0x1000, STB_GLOBAL, STT_OBJECT, S_BSS },
	{ "__abs_marker", 0xffffffff81234567ULL, 0, STB_GLOBAL, STT_NOTYPE, SHN_ABS },
	{ "printk_undef", 0, 0, STB_GLOBAL, STT_FUNC, SHN_UNDEF },
};
#define NES ((int)(sizeof(esyms) / sizeof(esyms[0])))

static Elf_Scn *new_section(Elf *e, size_t name, uint32_t type, uint64_t flags, uint64_t addr,
			    const void *data, size_t size, size_t entsize, uint32_t link)
{
	Elf_Scn *s = elf_newscn(e);
	Elf_Data *d = elf_newdata(s);
	GElf_Shdr sh;

	d->d_buf = (void *)data;
	d->d_size = size;
	d->d_align = 1;
	d->d_type = type == SHT_SYMTAB ? ELF_T_SYM : ELF_T_BYTE;
	gelf_getshdr(s, &sh);
	sh.sh_name = (uint32_t)name;
	sh.sh_type = type;
	sh.sh_flags = flags;
	sh.sh_addr = addr;
	sh.sh_entsize = entsize;
	sh.sh_link = link;
	gelf_update_shdr(s, &sh);
	return s;
}

/* A vmlinux-shaped ELF at path; with_btf and with_symtab choose what it keeps. */
static int write_elf(const char *path, int with_btf, int with_symtab, uint16_t machine)
{
	static char shstr[256], str[1024];
	static Elf64_Sym syms[NES + 1];
	static unsigned char text[16], data[16], note[16 + 20], btf[40] = { 0x9f, 0xeb, 1, 0, 24 };
	size_t shoff[S_N], sl = 1, so = 1;
	const char *names[S_N] = { "", ".text", ".data..percpu", ".data", ".bss", ".BTF",
				   ".note.gnu.build-id", ".symtab", ".strtab", ".shstrtab" };
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	Elf *e = elf_begin(fd, ELF_C_WRITE, NULL);
	Elf64_Ehdr *eh = elf64_newehdr(e);

	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_machine = machine;
	eh->e_type = ET_EXEC;
	eh->e_version = EV_CURRENT;
	for (int i = 1; i < S_N; i++) {
		shoff[i] = sl;
		strcpy(shstr + sl, names[i]);
		sl += strlen(names[i]) + 1;
	}
	memset(syms, 0, sizeof(syms));
	for (int i = 0; i < NES; i++) {
		syms[i + 1].st_name = (uint32_t)so;
		strcpy(str + so, esyms[i].name);
		so += strlen(esyms[i].name) + 1;
		syms[i + 1].st_value = esyms[i].value;
		syms[i + 1].st_size = esyms[i].size;
		syms[i + 1].st_info = ELF64_ST_INFO(esyms[i].bind, esyms[i].type);
		syms[i + 1].st_shndx = (uint16_t)esyms[i].shndx;
	}
	memcpy(note, "\4\0\0\0\24\0\0\0\3\0\0\0GNU\0", 16);   /* namesz 4, descsz 20, NT_GNU_BUILD_ID */
	for (int i = 0; i < 20; i++)
		note[16 + i] = (unsigned char)(0xe0 + i);
	new_section(e, shoff[S_TEXT], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, TEXT, text, 16, 0, 0);
	new_section(e, shoff[S_PERCPU], SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, 0, data, 16, 0, 0);
	new_section(e, shoff[S_DATA], SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, TEXT + 0x1600000, data, 16, 0, 0);
	new_section(e, shoff[S_BSS], SHT_NOBITS, SHF_ALLOC | SHF_WRITE, TEXT + 0x2000000, NULL, 0x1000, 0, 0);
	new_section(e, shoff[with_btf ? S_BTF : S_DATA], SHT_PROGBITS, SHF_ALLOC, 0, btf, sizeof(btf), 0, 0);
	new_section(e, shoff[S_NOTE], SHT_NOTE, SHF_ALLOC, 0, note, sizeof(note), 0, 0);
	new_section(e, shoff[with_symtab ? S_SYMTAB : S_DATA], with_symtab ? SHT_SYMTAB : SHT_PROGBITS, 0, 0, syms,
		    sizeof(syms), sizeof(Elf64_Sym), S_STRTAB);
	new_section(e, shoff[S_STRTAB], SHT_STRTAB, 0, 0, str, so, 0, 0);
	new_section(e, shoff[S_SHSTRTAB], SHT_STRTAB, 0, 0, shstr, sl, 0, 0);
	eh->e_shstrndx = S_SHSTRTAB;
	if (elf_update(e, ELF_C_WRITE) < 0) {
		printf("ERROR elf_update: %s\n", elf_errmsg(-1));
		return -1;
	}
	elf_end(e);
	close(fd);
	return 0;
}

#define KOFF 0x1c00000ULL

static void test_elf(const char *path)
{
	struct vmf_elf e;
	struct vmf_symtab t;
	const struct vmf_sym *s;
	char why[300] = "", buf[128];
	uint64_t off;

	CHECK(write_elf(path, 1, 1, EM_X86_64) == 0);
	CHECK(vmf_elf_open(&e, path, why, sizeof(why)) == 0);
	CHECK_STR(e.build_id, "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3");
	CHECK(e.btf_size == 40 && ((const unsigned char *)e.btf)[0] == 0x9f);
	CHECK(vmf_elf_symbols(&e, KOFF, &t, why, sizeof(why)) == 0);
	CHECK_STR(t.source, "vmlinux .symtab");
	CHECK(t.n == (size_t)NES - 1 && vmf_symtab_lookup(&t, "printk_undef") == NULL);
	/* the image moves with KASLR; per-cpu offsets and absolute values do not */
	CHECK((s = vmf_symtab_lookup(&t, "_stext")) && s->addr == TEXT + KOFF);
	CHECK((s = vmf_symtab_lookup(&t, "init_mm")) && s->addr == TEXT + 0x1745e20 + KOFF && s->type == 'D' && s->size == 0x808);
	CHECK((s = vmf_symtab_lookup(&t, "irq_stack_backing_store")) && s->addr == 0x2000);
	CHECK((s = vmf_symtab_lookup(&t, "__abs_marker")) && s->addr == 0xffffffff81234567ULL && s->type == 'A');
	CHECK((s = vmf_symtab_lookup(&t, "modules")) && s->type == 'd');
	CHECK((s = vmf_symtab_lookup(&t, "empty_zero_page")) && s->type == 'B');
	CHECK((s = vmf_symtab_lookup(&t, "startup_64")) && s->type == 'T');
	CHECK((s = vmf_symtab_lookup(&t, "weak_hook")) && s->type == 'W');
	/* a name both global and local: the global one */
	CHECK((s = vmf_symtab_lookup(&t, "helper")) && s->addr == TEXT + 0x200 + KOFF && s->type == 'T');
	/* aliases: not the weak one, fewer underscores first, as scripts/kallsyms orders them */
	CHECK((s = vmf_symtab_at(&t, TEXT + KOFF + 0x110, &off)) && off == 0x10 &&
	      !strcmp(vmf_symtab_name(&t, s), "helper") && s->type == 't');
	CHECK((s = vmf_symtab_at(&t, TEXT + KOFF, &off)) && !strcmp(vmf_symtab_name(&t, s), "_text"));
	vmf_symtab_format(&t, TEXT + KOFF + 0x110, buf, sizeof(buf));
	CHECK_STR(buf, "helper+0x10/0x100");
	CHECK(vmf_symtab_format(&t, 0x10, buf, sizeof(buf)) == -1 && buf[0] == 0);   /* below every symbol */
	vmf_symtab_free(&t);
	vmf_elf_close(&e);
}

static void test_bad_elves(const char *path)
{
	struct vmf_elf e;
	struct vmf_symtab t;
	char why[300] = "";
	FILE *f;

	CHECK(write_elf(path, 0, 0, EM_X86_64) == 0);
	CHECK(vmf_elf_open(&e, path, why, sizeof(why)) == 0 && e.btf == NULL);
	CHECK(vmf_elf_symbols(&e, 0, &t, why, sizeof(why)) == -1 && strstr(why, "no .symtab"));
	vmf_symtab_free(&t);
	vmf_elf_close(&e);
	CHECK(write_elf(path, 1, 1, EM_AARCH64) == 0);
	CHECK(vmf_elf_open(&e, path, why, sizeof(why)) == -1 && strstr(why, "not an x86-64 ELF"));
	if ((f = fopen(path, "w"))) {
		fputs("System.map stub: install the -dbg package\n", f);
		fclose(f);
	}
	CHECK(vmf_elf_open(&e, path, why, sizeof(why)) == -1 && strstr(why, "not an ELF file"));
	unlink(path);
	CHECK(vmf_elf_open(&e, path, why, sizeof(why)) == -1 && strstr(why, "No such file"));
}

/* Modules' symbols in one table: each module its own address run. */
static void test_modules_table(void)
{
	struct vmf_symtab t;
	const struct vmf_sym *s;
	uint64_t off;

	vmf_symtab_init(&t, "modules");
	vmf_symtab_add(&t, "b_fn", 4, 0xffffffffc0002040ULL, 0x100, 't', 1);
	vmf_symtab_add(&t, "a_fn", 4, 0xffffffffc0008000ULL, 0x80, 't', 0);
	vmf_symtab_add(&t, "a_last", 6, 0xffffffffc0008100ULL, 0x20, 't', 0);
	CHECK(vmf_symtab_lookup(&t, "a_fn") == NULL);   /* not finished: no answers */
	CHECK(vmf_symtab_finish(&t) == 0);
	CHECK((s = vmf_symtab_at(&t, 0xffffffffc0002050ULL, &off)) && s->mod == 1 && off == 0x10);
	CHECK((s = vmf_symtab_lookup(&t, "a_fn")) && s->span == 0x100 && s->mod == 0);
	CHECK((s = vmf_symtab_lookup(&t, "b_fn")) && s->span == 0x100);   /* last of its module: its size */
	CHECK(vmf_symtab_at(&t, 0xffffffffc0008130ULL, &off) == NULL);    /* past a_last's size */
	vmf_symtab_free(&t);
}

int main(void)
{
	char path[] = "/tmp/vmf-elf-XXXXXX";
	int fd = mkstemp(path);

	if (fd >= 0)
		close(fd);
	elf_version(EV_CURRENT);
	test_elf(path);
	test_bad_elves(path);
	test_modules_table();
	unlink(path);
	return CHECK_DONE();
}
