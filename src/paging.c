/*
 * paging.c - x86 paging forms as data (libaddrxlat style: 4- and 5-level differ
 * only in the tables filled here).
 */
#include <stdio.h>
#include <string.h>
#include "vmf_pt.h"

void vmf_paging_x86_64(struct vmf_paging *p, int levels, int p4d_folded)
{
	static const enum vmf_level k5[] = { VMF_PGD, VMF_P4D, VMF_PUD, VMF_PMD, VMF_PTE };
	static const enum vmf_level k4[] = { VMF_PGD, VMF_PUD, VMF_PMD, VMF_PTE };
	int i;

	memset(p, 0, sizeof(*p));
	p->depth = levels == 5 ? 5 : 4;
	p->name = p->depth == 5 ? "x86_64 5-level" : "x86_64 4-level";
	for (i = 0; i < p->depth; i++) {
		p->kind[i] = p->depth == 5 ? k5[i] : k4[i];
		p->bits[i] = 9;
		p->shift[i] = 12 + 9 * (unsigned)(p->depth - 1 - i);
	}
	p->va_bits = p->depth == 5 ? 57 : 48;
	p->canonical = 1;
	p->frame_mask = 0x000ffffffffff000ULL;
	p->p4d_folded = p->depth == 4 && p4d_folded;
	p->large_ok[VMF_PUD] = 1;
	p->large_ok[VMF_PMD] = 1;
}

void vmf_paging_pae(struct vmf_paging *p)
{
	memset(p, 0, sizeof(*p));
	p->name = "x86 PAE";
	p->depth = 3;
	p->kind[0] = VMF_PGD; p->shift[0] = 30; p->bits[0] = 2;
	p->kind[1] = VMF_PMD; p->shift[1] = 21; p->bits[1] = 9;
	p->kind[2] = VMF_PTE; p->shift[2] = 12; p->bits[2] = 9;
	p->va_bits = 32;
	p->frame_mask = 0x000ffffffffff000ULL;
	p->large_ok[VMF_PMD] = 1;
}

const char *vmf_level_name(enum vmf_level k)
{
	static const char *const n[] = { "PGD", "P4D", "PUD", "PMD", "PTE" };
	return (unsigned)k < VMF_NLEVELS ? n[k] : "?";
}

const char *vmf_top_name(const struct vmf_paging *p)
{
	if (p->p4d_folded)
		return "p4d";
	return "pgd";
}

unsigned vmf_index(const struct vmf_paging *p, int depth, uint64_t vaddr)
{
	return (unsigned)((vaddr >> p->shift[depth]) & ((1ULL << p->bits[depth]) - 1));
}

int vmf_is_canonical(const struct vmf_paging *p, uint64_t vaddr)
{
	uint64_t top;

	if (!p->canonical)
		return p->va_bits >= 64 || (vaddr >> p->va_bits) == 0;
	top = vaddr >> (p->va_bits - 1);
	return top == 0 || top == (~0ULL >> (p->va_bits - 1));
}

static uint64_t sign_extend(const struct vmf_paging *p, uint64_t va)
{
	if (p->canonical && (va & (1ULL << (p->va_bits - 1))))
		va |= ~0ULL << p->va_bits;
	return va;
}

uint64_t vmf_top_slot_start(const struct vmf_paging *p, unsigned slot)
{
	return sign_extend(p, (uint64_t)slot << p->shift[0]);
}

uint64_t vmf_top_slot_end(const struct vmf_paging *p, unsigned slot)
{
	return vmf_top_slot_start(p, slot) + (1ULL << p->shift[0]) - 1;
}

unsigned vmf_top_entries(const struct vmf_paging *p)
{
	return 1u << p->bits[0];
}

unsigned vmf_top_kernel_first(const struct vmf_paging *p)
{
	return p->canonical ? vmf_top_entries(p) / 2 : 3;
}

char *vmf_flags_short(uint64_t e, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *name; } f[] = {
		{ VMF_E_P, "P" }, { VMF_E_RW, "RW" }, { VMF_E_US, "US" }, { VMF_E_PWT, "PWT" },
		{ VMF_E_PCD, "PCD" }, { VMF_E_A, "A" }, { VMF_E_D, "D" }, { VMF_E_PSE, "PSE" },
		{ VMF_E_G, "G" }, { VMF_E_NX, "NX" },
	};
	size_t i, used = 0;

	if (!len)
		return buf;
	buf[0] = 0;
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!(e & f[i].bit))
			continue;
		used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
					 used ? " " : "", f[i].name);
		if (used >= len)
			break;
	}
	return buf;
}

char *vmf_flags_crash(uint64_t e, int leaf, char *buf, size_t len)
{
	static const struct { uint64_t bit; const char *name; } f[] = {
		{ VMF_E_P, "PRESENT" }, { VMF_E_RW, "RW" }, { VMF_E_US, "USER" }, { VMF_E_PWT, "PWT" },
		{ VMF_E_PCD, "PCD" }, { VMF_E_A, "ACCESSED" }, { VMF_E_D, "DIRTY" }, { VMF_E_PSE, "PSE" },
		{ VMF_E_G, "GLOBAL" }, { VMF_E_NX, "NX" },
	};
	size_t i, used;

	if (!len)
		return buf;
	used = (size_t)snprintf(buf, len, "(");
	for (i = 0; i < sizeof(f) / sizeof(f[0]) && used < len; i++) {
		if (!(e & f[i].bit) || (f[i].bit == VMF_E_PSE && !leaf))
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used > 1 ? "|" : "", f[i].name);
	}
	if (used < len)
		snprintf(buf + used, len - used, ")");
	return buf;
}

uint64_t vmf_page_size(const struct vmf_paging *p, int depth)
{
	return 1ULL << p->shift[depth];
}

const char *vmf_size_name(uint64_t size)
{
	switch (size) {
	case 1ULL << 12: return "4K";
	case 1ULL << 21: return "2M";
	case 1ULL << 30: return "1G";
	case 1ULL << 39: return "512G";
	default: return "?";
	}
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vmf_parse_addr(const char *s, uint64_t *addr)
{
	const char *p;
	uint64_t v = 0;

	if (!s)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	for (p = s; *p; p++)
		if (hex_digit(*p) < 0)
			return -1;
	if (p == s)
		return -1;
	while (*s == '0' && s[1])
		s++;
	if (strlen(s) > 16)
		return -2;
	for (; *s; s++)
		v = v << 4 | (uint64_t)hex_digit(*s);
	*addr = v;
	return 0;
}
