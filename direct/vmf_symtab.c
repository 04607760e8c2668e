/*
 * vmf_symtab.c - one symbol table for every source of symbols (see vmf_symtab.h).
 */
#include "vmf_symtab.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vmf_symtab_init(struct vmf_symtab *t, const char *source)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->source, sizeof(t->source), "%s", source ? source : "");
}

void vmf_symtab_free(struct vmf_symtab *t)
{
	free(t->syms);
	free(t->names);
	free(t->by_name);
	free(t->runs);
	memset(t, 0, sizeof(*t));
}

static int grow(void **p, size_t *cap, size_t need, size_t elem)
{
	size_t c = *cap ? *cap : 1024;
	void *q;

	if (need <= *cap)
		return 0;
	while (c < need)
		c *= 2;
	q = realloc(*p, c * elem);
	if (!q)
		return -1;
	*p = q;
	*cap = c;
	return 0;
}

static int is_weak(char type)
{
	return type == 'w' || type == 'W' || type == 'v' || type == 'V';
}

/* A name a linker script provides (__start_x, __stop_x, __end_x, __x_start, __x_end). */
static int linker_made(const char *name)
{
	size_t len = strlen(name);

	if (len < 8 || name[0] != '_' || name[1] != '_')
		return 0;
	return !strncmp(name + 2, "start_", 6) || !strncmp(name + 2, "stop_", 5) ||
	       !strncmp(name + 2, "end_", 4) || !strcmp(name + len - 6, "_start") ||
	       !strcmp(name + len - 4, "_end");
}

static int underscores(const char *name)
{
	int n = 0;

	while (name[n] == '_')
		n++;
	return n;
}

int vmf_symtab_reserve(struct vmf_symtab *t, size_t n, size_t names_bytes)
{
	return grow((void **)&t->syms, &t->cap, t->n + n, sizeof(*t->syms)) ||
	       grow((void **)&t->names, &t->names_cap, t->names_len + names_bytes, 1) ? -1 : 0;
}

int vmf_symtab_add(struct vmf_symtab *t, const char *name, size_t namelen, uint64_t addr,
		   uint64_t size, char type, int mod)
{
	struct vmf_sym *s;

	if (grow((void **)&t->syms, &t->cap, t->n + 1, sizeof(*t->syms)) ||
	    grow((void **)&t->names, &t->names_cap, t->names_len + namelen + 1, 1))
		return -1;
	s = &t->syms[t->n];
	s->addr = addr;
	s->size = size;
	s->span = 0;
	s->name = (uint32_t)t->names_len;
	s->mod = mod;
	s->seq = (uint32_t)t->n;
	s->type = type;
	memcpy(t->names + t->names_len, name, namelen);
	t->names[t->names_len + namelen] = 0;
	s->rank = (uint8_t)(is_weak(type) << 6 | linker_made(t->names + s->name) << 5 |
			    (underscores(t->names + s->name) < 31 ? underscores(t->names + s->name) : 31));
	t->names_len += namelen + 1;
	t->n++;
	t->finished = 0;
	return 0;
}

const char *vmf_symtab_name(const struct vmf_symtab *t, const struct vmf_sym *s)
{
	return t->names + s->name;
}

/* Among aliases, the name the kernel's scripts/kallsyms puts first is preferred. */
static int cmp_addr(const void *a, const void *b)
{
	const struct vmf_sym *x = a, *y = b;

	if (x->mod != y->mod)
		return x->mod < y->mod ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Between symbols of one name: a global one (upper-case type) first, then by address. */
static int preferred(const struct vmf_sym *x, const struct vmf_sym *y)
{
	int lx = islower((unsigned char)x->type) != 0, ly = islower((unsigned char)y->type) != 0;

	if (lx != ly)
		return lx < ly;
	if (x->mod != y->mod)
		return x->mod < y->mod;
	if (x->addr != y->addr)
		return x->addr < y->addr;
	return x->seq < y->seq;
}

/* FNV-1a: names are short, the table is built once per dump. */
static size_t name_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return (size_t)h;
}

static int index_names(struct vmf_symtab *t)
{
	size_t size = 16, mask;

	while (size < 2 * t->n)
		size *= 2;
	free(t->by_name);
	if (!(t->by_name = calloc(size, sizeof(*t->by_name))))
		return -1;
	t->by_name_size = size;
	mask = size - 1;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = name_hash(t->names + t->syms[i].name) & mask;
		while (t->by_name[h])
			h = (h + 1) & mask;
		t->by_name[h] = (uint32_t)i + 1;
	}
	return 0;
}

/* Where each module's symbols start: address lookups search each run. */
static int index_runs(struct vmf_symtab *t)
{
	size_t nr = 0;

	free(t->runs);
	if (!(t->runs = malloc((t->n + 1) * sizeof(*t->runs))))
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (i == 0 || t->syms[i].mod != t->syms[i - 1].mod)
			t->runs[nr++] = i;
	t->runs[nr] = t->n;
	t->nruns = nr;
	return 0;
}

/* Each symbol's span: to the next higher address within its module (or the kernel). */
static void fill_spans(struct vmf_symtab *t)
{
	size_t i = t->n, j;

	while (i > 0) {
		/* [j, i) is one group of aliases */
		j = i - 1;
		while (j > 0 && t->syms[j - 1].addr == t->syms[i - 1].addr &&
		       t->syms[j - 1].mod == t->syms[i - 1].mod)
			j--;
		for (size_t k = j; k < i; k++) {
			struct vmf_sym *s = &t->syms[k];
			if (i < t->n && t->syms[i].mod == s->mod)
				s->span = t->syms[i].addr - s->addr;
			else
				s->span = s->size;
		}
		i = j;
	}
}

int vmf_symtab_finish(struct vmf_symtab *t)
{
	if (t->n)      /* an empty table has no array to sort (qsort's NULL is undefined) */
		qsort(t->syms, t->n, sizeof(*t->syms), cmp_addr);
	fill_spans(t);
	if (index_names(t) || index_runs(t))
		return -1;
	t->finished = 1;
	return 0;
}

const struct vmf_sym *vmf_symtab_lookup(const struct vmf_symtab *t, const char *name)
{
	const struct vmf_sym *best = NULL;
	size_t mask, h;

	if (!t->finished)
		return NULL;
	mask = t->by_name_size - 1;
	for (h = name_hash(name) & mask; t->by_name[h]; h = (h + 1) & mask) {
		const struct vmf_sym *s = &t->syms[t->by_name[h] - 1];
		if (!strcmp(t->names + s->name, name) && (!best || preferred(s, best)))
			best = s;
	}
	return best;
}

const struct vmf_sym *vmf_symtab_at(const struct vmf_symtab *t, uint64_t addr, uint64_t *off)
{
	const struct vmf_sym *best = NULL;

	if (!t->finished)
		return NULL;
	for (size_t r = 0; r < t->nruns; r++) {   /* one binary search per module */
		size_t start = t->runs[r], lo = start, hi = t->runs[r + 1];

		while (lo < hi) {   /* the first symbol above addr */
			size_t mid = lo + (hi - lo) / 2;
			if (t->syms[mid].addr <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > start) {
			size_t k = lo - 1;
			const struct vmf_sym *s;
			uint64_t o;

			while (k > start && t->syms[k - 1].addr == t->syms[k].addr)
				k--;   /* the preferred alias comes first */
			s = &t->syms[k];
			o = addr - s->addr;
			if (((s->span && o < s->span) || o == 0) && (!best || s->addr > best->addr))
				best = s;
		}
	}
	if (best && off)
		*off = addr - best->addr;
	return best;
}

int vmf_symtab_format(const struct vmf_symtab *t, uint64_t addr, char *buf, size_t len)
{
	uint64_t off = 0;
	const struct vmf_sym *s = vmf_symtab_at(t, addr, &off);

	if (!s) {
		if (len)
			buf[0] = 0;
		return -1;
	}
	snprintf(buf, len, "%s+0x%llx/0x%llx", vmf_symtab_name(t, s), (unsigned long long)off,
		 (unsigned long long)s->span);
	return 0;
}
