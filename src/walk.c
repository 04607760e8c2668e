/*
 * walk.c - single-address walk and ptdump-style range walk over a reader.
 * The walker knows nothing about output: callers get steps and callbacks.
 */
#include <stdio.h>
#include <string.h>
#include "vmf_walk.h"

static const char *const result_names[] = {
	"MAPPED", "NOT_MAPPED", "UNREADABLE", "NONCANONICAL", "BAD_ENTRY",
};

const char *vmf_walk_result_name(enum vmf_walk_result res)
{
	return (unsigned)res < sizeof(result_names) / sizeof(result_names[0]) ? result_names[res] : "?";
}

static uint64_t table_bytes(const struct vmf_paging *p, int depth)
{
	return (1ULL << p->bits[depth]) * 8;
}

/*
 * Decode one read entry into s: presence, leaf, frame, and whether it is bad.
 * 'path' holds the tables above it (cycle check).  Returns 1 if bad.
 */
static int decode_entry(const struct vmf_paging *p, int depth, struct vmf_step *s,
			const uint64_t *path, int npath)
{
	enum vmf_level k = p->kind[depth];
	int last = depth == p->depth - 1, i;

	s->leaf = 0;
	s->frame = 0;
	if (!(s->entry & VMF_E_P)) {
		s->state = VMF_ENTRY_NOT_PRESENT;
		return 0;
	}
	s->state = VMF_ENTRY_PRESENT;
	if (last || (s->entry & VMF_E_PSE)) {
		if (!last && !p->large_ok[k]) {
			snprintf(s->why, sizeof(s->why), "PSE set in a %s entry, where it is reserved",
				 vmf_level_name(k));
			return 1;
		}
		s->leaf = 1;
		s->page_size = vmf_page_size(p, depth);
		s->frame = s->entry & p->frame_mask & ~(s->page_size - 1);
	} else {
		s->frame = s->entry & p->frame_mask;
	}
	if (p->max_paddr && s->frame >= p->max_paddr) {
		snprintf(s->why, sizeof(s->why), "frame %llx beyond the end of physical memory %llx",
			 (unsigned long long)s->frame, (unsigned long long)p->max_paddr);
		return 1;
	}
	if (!s->leaf) {
		for (i = 0; i < npath; i++)
			if (path[i] == s->frame) {
				snprintf(s->why, sizeof(s->why), "points back at the %s table %llx (cycle)",
					 vmf_level_name(p->kind[i]), (unsigned long long)s->frame);
				return 1;
			}
	}
	return 0;
}

enum vmf_walk_result vmf_walk_va(const struct vmf_paging *p, const struct vmf_reader *r,
				 uint64_t root, uint64_t vaddr, struct vmf_walk *w)
{
	uint64_t table = root, path[VMF_MAX_DEPTH];
	int depth;

	memset(w, 0, sizeof(*w));
	w->vaddr = vaddr;
	w->root = root;
	if (!vmf_is_canonical(p, vaddr))
		return w->result = VMF_WALK_NONCANONICAL;
	for (depth = 0; depth < p->depth; depth++) {
		struct vmf_step *s = &w->step[w->nsteps++];
		unsigned char raw[8];

		s->kind = p->kind[depth];
		s->depth = depth;
		s->table = table;
		s->index = vmf_index(p, depth, vaddr);
		s->entry_paddr = table + (uint64_t)s->index * 8;
		path[depth] = table;
		if (r->read_phys(r->ctx, s->entry_paddr, raw, 8, s->why, sizeof(s->why))) {
			s->state = VMF_ENTRY_UNREADABLE;
			if (!s->why[0])
				snprintf(s->why, sizeof(s->why), "unreadable");
			return w->result = VMF_WALK_UNREADABLE;
		}
		memcpy(&s->entry, raw, 8);
		if (decode_entry(p, depth, s, path, depth + 1))
			return w->result = VMF_WALK_BAD_ENTRY;
		if (s->state == VMF_ENTRY_NOT_PRESENT)
			return w->result = VMF_WALK_NOT_MAPPED;
		if (s->leaf) {
			w->page_size = s->page_size;
			w->paddr = s->frame + (vaddr & (s->page_size - 1));
			return w->result = VMF_WALK_MAPPED;
		}
		table = s->frame;
	}
	return w->result = VMF_WALK_BAD_ENTRY;	/* not reached: the last level is a leaf */
}

/* ---- range walk ------------------------------------------------------------ */

struct range_ctx {
	const struct vmf_paging *p;
	const struct vmf_reader *r;
	int max_depth;
	uint64_t max_tables;
	vmf_visit_fn visit;
	void *arg;
	struct vmf_range_stats *st;
	uint64_t path[VMF_MAX_DEPTH];
};

/* Walk the table at 'table' (depth) for the part of [lo, hi] it covers; base = its first va. */
static int walk_table(struct range_ctx *c, int depth, uint64_t table, uint64_t base,
		      uint64_t lo, uint64_t hi)
{
	const struct vmf_paging *p = c->p;
	uint64_t buf[512];
	uint64_t span = 1ULL << p->shift[depth];
	unsigned nent = 1u << p->bits[depth], i, first, last;
	char why[96] = "";

	if (c->st->tables_read >= c->max_tables) {
		c->st->limited = 1;
		return -1;
	}
	c->st->tables_read++;
	c->path[depth] = table;
	first = lo > base ? (unsigned)((lo - base) / span) : 0;
	last = (unsigned)((hi - base) / span);
	if (last >= nent)
		last = nent - 1;
	if (c->r->read_phys(c->r->ctx, table, buf, (size_t)table_bytes(p, depth), why, sizeof(why))) {
		struct vmf_step s;

		c->st->unreadable++;
		memset(&s, 0, sizeof(s));
		s.kind = p->kind[depth];
		s.depth = depth;
		s.table = table;
		s.index = first;
		s.entry_paddr = table + first * 8ULL;
		s.state = VMF_ENTRY_UNREADABLE;
		snprintf(s.why, sizeof(s.why), "%s", why[0] ? why : "unreadable");
		if (c->visit(c->arg, &s, base + first * span, base + (uint64_t)(last + 1) * span - 1)) {
			c->st->stopped = 1;
			return -1;
		}
		return 0;
	}
	for (i = first; i <= last; i++) {
		struct vmf_step s;
		uint64_t va_start = base + (uint64_t)i * span;
		int bad;

		c->st->entries_read++;
		if (!(buf[i] & VMF_E_P))
			continue;
		memset(&s, 0, sizeof(s));
		s.kind = p->kind[depth];
		s.depth = depth;
		s.table = table;
		s.index = i;
		s.entry_paddr = table + (uint64_t)i * 8;
		s.entry = buf[i];
		bad = decode_entry(p, depth, &s, c->path, depth + 1);
		if (c->visit(c->arg, &s, va_start, va_start + span - 1)) {
			c->st->stopped = 1;
			return -1;
		}
		if (bad || s.leaf || depth + 1 >= c->max_depth || depth + 1 >= p->depth)
			continue;
		if (walk_table(c, depth + 1, s.frame, va_start,
			       lo > va_start ? lo : va_start,
			       hi < va_start + span - 1 ? hi : va_start + span - 1))
			return -1;
	}
	return 0;
}

int vmf_walk_range(const struct vmf_paging *p, const struct vmf_reader *r, uint64_t root,
		   uint64_t start, uint64_t end, int max_depth, uint64_t max_tables,
		   vmf_visit_fn visit, void *arg, struct vmf_range_stats *stats)
{
	struct range_ctx c;
	struct vmf_range_stats local;
	uint64_t mask = p->canonical ? (p->va_bits >= 64 ? ~0ULL : (1ULL << p->va_bits) - 1) : ~0ULL;
	uint64_t lo, hi, half;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	memset(&c, 0, sizeof(c));
	c.p = p;
	c.r = r;
	c.max_depth = max_depth < 1 ? 1 : max_depth;
	c.max_tables = max_tables ? max_tables : (1ULL << 20);
	c.visit = visit;
	c.arg = arg;
	c.st = stats;
	if (start > end)
		return 0;
	if (!p->canonical) {
		/* the va_bits-wide space holds every table; nothing lies above it */
		uint64_t top = p->va_bits >= 64 ? ~0ULL : (1ULL << p->va_bits) - 1;
		if (start > top)
			return 0;
		return walk_table(&c, 0, root, 0, start, end < top ? end : top);
	}
	/*
	 * Work in the va_bits-wide index space, where the canonical hole disappears;
	 * visit() still gets sign-extended addresses through the top-level base.
	 */
	half = 1ULL << (p->va_bits - 1);
	/* clip [start, end] to canonical addresses: the hole holds no tables */
	if (!vmf_is_canonical(p, start))
		start = ~0ULL << (p->va_bits - 1);
	if (!vmf_is_canonical(p, end))
		end = half - 1;
	if (start > end)
		return 0;
	lo = start & mask;
	hi = end & mask;
	if ((start >> 63) == (end >> 63)) {
		if ((start >> 63) == 0)
			return walk_table(&c, 0, root, 0, lo, hi);
		/* upper half: base of the top table is the sign-extended 0 of the upper half */
		return walk_table(&c, 0, root, ~0ULL << p->va_bits, start, end);
	}
	if (walk_table(&c, 0, root, 0, lo, half - 1))
		return -1;
	return walk_table(&c, 0, root, ~0ULL << p->va_bits, ~0ULL << (p->va_bits - 1), end);
}
