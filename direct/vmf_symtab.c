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
	t->names_len += namelen + 1;
	t->n++;
	t->finished = 0;
	return 0;
}

const char *vmf_symtab_name(const struct vmf_symtab *t, const struct vmf_sym *s)
{
	return t->names + s->name;
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

/* Among aliases, the name the kernel's scripts/kallsyms puts first is preferred. */
static int cmp_addr(const void *a, const void *b, void *ctx)
{
	const struct vmf_sym *x = a, *y = b;
	const char *names = ctx, *nx = names + x->name, *ny = names + y->name;
	int d;

	if (x->mod != y->mod)
		return x->mod < y->mod ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if ((d = is_weak(x->type) - is_weak(y->type)))
		return d;
	if ((d = linker_made(nx) - linker_made(ny)))
		return d;
	if ((d = underscores(nx) - underscores(ny)))
		return d;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct name_ctx {
	const struct vmf_symtab *t;
};

static int cmp_name(const void *a, const void *b, void *ctx)
{
	const struct vmf_symtab *t = ((struct name_ctx *)ctx)->t;
	const struct vmf_sym *x = &t->syms[*(const uint32_t *)a], *y = &t->syms[*(const uint32_t *)b];
	int d = strcmp(t->names + x->name, t->names + y->name);

	if (d)
		return d;
	/* a global symbol (upper-case type) before a local one of the same name */
	if ((d = (islower((unsigned char)x->type) != 0) - (islower((unsigned char)y->type) != 0)))
		return d;
	if (x->mod != y->mod)
		return x->mod < y->mod ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
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
	struct name_ctx nc = { t };
	uint32_t *idx;

	qsort_r(t->syms, t->n, sizeof(*t->syms), cmp_addr, t->names);
	fill_spans(t);
	idx = realloc(t->by_name, (t->n ? t->n : 1) * sizeof(*idx));
	if (!idx)
		return -1;
	t->by_name = idx;
	for (size_t i = 0; i < t->n; i++)
		idx[i] = (uint32_t)i;
	qsort_r(idx, t->n, sizeof(*idx), cmp_name, &nc);
	t->finished = 1;
	return 0;
}

const struct vmf_sym *vmf_symtab_lookup(const struct vmf_symtab *t, const char *name)
{
	size_t lo = 0, hi = t->n;

	if (!t->finished)
		return NULL;
	/* the first of the names equal to name: the preferred one */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(t->names + t->syms[t->by_name[mid]].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < t->n && strcmp(t->names + t->syms[t->by_name[lo]].name, name) == 0)
		return &t->syms[t->by_name[lo]];
	return NULL;
}

const struct vmf_sym *vmf_symtab_at(const struct vmf_symtab *t, uint64_t addr, uint64_t *off)
{
	const struct vmf_sym *best = NULL;

	if (!t->finished)
		return NULL;
	/* modules are sorted one after the other: search each run of one mod */
	for (size_t start = 0; start < t->n;) {
		int mod = t->syms[start].mod;
		size_t end = start, lo, hi;

		while (end < t->n && t->syms[end].mod == mod)
			end++;
		lo = start;
		hi = end;
		while (lo < hi) {   /* first symbol above addr */
			size_t mid = lo + (hi - lo) / 2;
			if (t->syms[mid].addr <= addr)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo > start) {
			size_t k = lo - 1;
			while (k > start && t->syms[k - 1].addr == t->syms[k].addr)
				k--;   /* the preferred alias comes first */
			const struct vmf_sym *s = &t->syms[k];
			uint64_t o = addr - s->addr;
			if ((s->span && o < s->span) || o == 0) {
				if (!best || s->addr > best->addr)
					best = s;
			}
		}
		start = end;
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
