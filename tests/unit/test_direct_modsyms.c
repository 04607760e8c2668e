/*
 * test_direct_modsyms.c - modules and their symbols (direct/vmf_modsyms.c) on a
 * synthetic module list: names, code ranges, mod_kallsyms symbols with their
 * types, and the walk's bounds (a loop, an unreadable module, unreadable symbols).
 */
#include <string.h>
#include "check.h"
#include "kmem.h"
#include "vmf_modsyms.h"

#define HEAD   0xffffffff82716660ULL
#define MOD_A  0xffffffffc000a000ULL   /* struct module of vmf_test */
#define MOD_B  0xffffffffc0004000ULL   /* struct module of qemu_fw_cfg */
#define BASE_A 0xffffffffc0008000ULL
#define BASE_B 0xffffffffc0002000ULL

static const struct vmf_mod_offsets off = { 8, 24, 56, 96, 104, 112, 116, 0, 8, 16, 24 };

struct msym { const char *name; uint64_t value, size; uint16_t shndx; char type; };

static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }
static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

/* struct module at va, its mod_kallsyms, symtab, strtab and typetab after it. */
static void write_module(uint64_t va, const char *name, uint64_t base, uint32_t size, uint64_t next,
			 const struct msym *s, int n)
{
	unsigned char *m = kmem_map(va, 0x3000), *sym = m + 0x1000;
	char *str = (char *)m + 0x2000, *types = (char *)m + 0x2800;
	uint32_t so = 1;

	put64(m + off.list, next);
	strcpy((char *)m + off.name, name);
	put64(m + off.kallsyms, va + 0x200);
	put64(m + off.core_base, base);
	put32(m + off.core_size, size);
	put32(m + off.core_text_size, 0x1000);
	put64(m + 0x200 + off.ks_symtab, va + 0x1000);
	put32(m + 0x200 + off.ks_num_symtab, (uint32_t)n + 1);
	put64(m + 0x200 + off.ks_strtab, va + 0x2000);
	put64(m + 0x200 + off.ks_typetab, va + 0x2800);
	for (int i = 0; i < n; i++) {   /* entry 0 stays the null symbol */
		unsigned char *e = sym + 24 * (i + 1);
		put32(e, so);
		memcpy(e + 6, &s[i].shndx, 2);
		put64(e + 8, s[i].value);
		put64(e + 16, s[i].size);
		strcpy(str + so, s[i].name);
		so += (uint32_t)strlen(s[i].name) + 1;
		types[i + 1] = s[i].type;
	}
}

static const struct msym syms_a[] = {
	{ "vmf_test_exit", BASE_A + 0x10, 0x20, 1, 't' },
	{ "vmalloc_fault", BASE_A + 0xb0, 0x432, 1, 'T' },
	{ "vmf_test_fn", BASE_A + 0x500, 0x40, 1, 't' },
	{ "printk", 0, 0, 0, 'U' },                     /* undefined: the kernel's */
	{ "vmf_area", BASE_A + 0x2000, 8, 3, 'b' },
};
static const struct msym syms_b[] = {
	{ "fw_cfg_read", BASE_B + 0x40, 0x100, 1, 't' },
	{ "vmalloc_fault_like", BASE_B + 0x200, 0x10, 1, 't' },
};

static void build(uint64_t b_next)
{
	unsigned char *h;

	kmem_reset();
	h = kmem_map(HEAD, 16);
	put64(h, MOD_A + off.list);
	put64(h + 8, MOD_B + off.list);
	write_module(MOD_A, "vmf_test", BASE_A, 0x4000, MOD_B + off.list, syms_a, 5);
	write_module(MOD_B, "qemu_fw_cfg", BASE_B, 0x5000, b_next, syms_b, 2);
}

static void test_walk(void)
{
	struct vmf_modsyms ms;
	const struct vmf_sym *s;
	char why[200] = "", buf[128];

	build(HEAD);
	CHECK(vmf_modsyms_load(&kmem_reader, HEAD, &off, &ms, why, sizeof(why)) == 0);
	CHECK(ms.nmods == 2 && ms.why[0] == 0);
	CHECK_STR(ms.nmods > 0 ? ms.mods[0].name : "", "vmf_test");
	CHECK_STR(ms.nmods > 1 ? ms.mods[1].name : "", "qemu_fw_cfg");
	CHECK(ms.nmods == 2 && ms.mods[0].base == BASE_A && ms.mods[0].size == 0x4000 && ms.mods[0].nsyms == 4);
	CHECK(ms.syms.n == 6 && vmf_symtab_lookup(&ms.syms, "printk") == NULL);
	CHECK((s = vmf_symtab_lookup(&ms.syms, "vmalloc_fault")) && s->addr == BASE_A + 0xb0 && s->mod == 0);
	CHECK(s && s->size == 0x432 && s->span == 0x450 && s->type == 'T');   /* span: to vmf_test_fn */
	CHECK(vmf_modsyms_module_at(&ms, BASE_A + 0x2c0) == &ms.mods[0]);
	CHECK(vmf_modsyms_module_at(&ms, BASE_B + 0x4fff) == &ms.mods[1]);
	CHECK(vmf_modsyms_module_at(&ms, BASE_A + 0x4000) == NULL);
	vmf_symtab_format(&ms.syms, BASE_A + 0xb0 + 0x22c, buf, sizeof(buf));
	CHECK_STR(buf, "vmalloc_fault+0x22c/0x450");
	vmf_symtab_format(&ms.syms, BASE_B + 0x205, buf, sizeof(buf));
	CHECK_STR(buf, "vmalloc_fault_like+0x5/0x10");   /* the last of its module: its own size */
	vmf_modsyms_free(&ms);
}

static void test_damage(void)
{
	struct vmf_modsyms ms;
	char why[200] = "";

	build(MOD_A + off.list);   /* qemu_fw_cfg points back to vmf_test, never to the head */
	CHECK(vmf_modsyms_load(&kmem_reader, HEAD, &off, &ms, why, sizeof(why)) == 0);
	CHECK(strstr(ms.why, "loops without returning to its head") != NULL);
	CHECK(ms.nmods >= 2 && ms.nmods <= 6 && vmf_symtab_lookup(&ms.syms, "vmalloc_fault") != NULL);
	vmf_modsyms_free(&ms);

	build(HEAD);
	kmem_unreadable(MOD_B, "page 4004000 excluded from the dump (makedumpfile -d)");
	CHECK(vmf_modsyms_load(&kmem_reader, HEAD, &off, &ms, why, sizeof(why)) == 0);
	CHECK(ms.nmods == 1 && strstr(ms.why, "unreadable after 1 modules") && strstr(ms.why, "excluded"));
	vmf_modsyms_free(&ms);

	build(HEAD);
	kmem_unreadable(MOD_A + 0x1000, "page excluded from the dump (makedumpfile -d)");
	CHECK(vmf_modsyms_load(&kmem_reader, HEAD, &off, &ms, why, sizeof(why)) == 0);
	CHECK(ms.nmods >= 1 && ms.mods[0].nsyms == 0 && strstr(ms.mods[0].why, "symtab") &&
	      strstr(ms.mods[0].why, "unreadable"));
	CHECK(ms.nmods == 2 && ms.mods[1].nsyms == 2 && ms.why[0] == 0);
	vmf_modsyms_free(&ms);

	build(HEAD);   /* a name offset far past any strtab: damaged, said so, nothing allocated for it */
	put32((unsigned char *)kmem[1].bytes + 0x1000 + 24 * 2, 0x7fffffff);
	CHECK(vmf_modsyms_load(&kmem_reader, HEAD, &off, &ms, why, sizeof(why)) == 0);
	CHECK(ms.nmods == 2 && ms.mods[0].nsyms == 0 && strstr(ms.mods[0].why, "damaged"));
	vmf_modsyms_free(&ms);

	kmem_reset();
	CHECK(vmf_modsyms_load(&kmem_reader, HEAD, &off, &ms, why, sizeof(why)) == -1);
	CHECK(strstr(why, "modules list head ffffffff82716660 unreadable") != NULL);
	vmf_modsyms_free(&ms);
}

int main(void)
{
	test_walk();
	test_damage();
	kmem_reset();
	return CHECK_DONE();
}
