/*
 * vmf_log.c - the kernel log from the dump (layouts and output format in vmf_log.h).
 */
#include "vmf_log.h"
#include "vmf_dump.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one reader may allocate for a ring or log_buf: a damaged size must not exhaust memory. */
#define LOG_MAX_BYTES (256u << 20)
#define SPAN_PAGE 4096u

/* ---- output --------------------------------------------------------------------------- */

struct out {
	struct vmf_log *log;
	size_t cap;
	int oom;
};

static void put(struct out *o, const char *s, size_t n)
{
	struct vmf_log *l = o->log;

	if (o->oom)
		return;
	if (l->len + n + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 65536;
		char *p;

		while (cap < l->len + n + 1)
			cap *= 2;
		p = realloc(l->text, cap);
		if (!p) {
			o->oom = 1;
			return;
		}
		l->text = p;
		o->cap = cap;
	}
	memcpy(l->text + l->len, s, n);
	l->len += n;
	l->text[l->len] = 0;
}

/*
 * One record as crash's `log` prints it: the timestamp prefix, the text with a
 * newline inside it indented by the prefix's width, every byte neither
 * printable nor space (C locale) as '.', then the newline that ends it.
 */
static void put_record(struct out *o, uint64_t ts_nsec, const unsigned char *text, size_t n)
{
	char prefix[48], line[1024];
	size_t i, k = 0;
	int plen;

	plen = snprintf(prefix, sizeof(prefix), "[%5llu.%06lu] ", (unsigned long long)(ts_nsec / 1000000000),
			(unsigned long)(ts_nsec % 1000000000 / 1000));
	put(o, prefix, (size_t)plen);
	for (i = 0; i < n; i++) {
		unsigned char c = text[i];

		if (k + 1 > sizeof(line)) {
			put(o, line, k);
			k = 0;
		}
		if (c == '\n') {
			put(o, line, k);
			k = 0;
			put(o, "\n", 1);
			for (int s = 0; s < plen; s++)
				put(o, " ", 1);
			continue;
		}
		line[k++] = (c >= 0x20 && c < 0x7f) || (c >= '\t' && c <= '\r') ? (char)c : '.';
	}
	put(o, line, k);
	put(o, "\n", 1);
	o->log->records++;
}

/* ---- memory: a region read whole when it can be, page by page when not ---------------- */

struct span {
	uint64_t addr;
	size_t len;
	unsigned char *buf;
	unsigned char *bad;         /* per SPAN_PAGE of virtual address space: 1 = unreadable */
	size_t first_page;          /* addr / SPAN_PAGE */
	unsigned long nbad;
	char why[200];              /* the first page's reason */
};

static void span_free(struct span *s)
{
	free(s->buf);
	free(s->bad);
	memset(s, 0, sizeof(*s));
}

/* 0 when allocated (some pages may be unreadable), -1 when out of memory. */
static int span_read(struct span *s, const struct vmf_log_mem *m, uint64_t addr, size_t len)
{
	size_t npages, i;

	memset(s, 0, sizeof(*s));
	s->addr = addr;
	s->len = len;
	s->first_page = (size_t)(addr / SPAN_PAGE);
	npages = (size_t)((addr + len + SPAN_PAGE - 1) / SPAN_PAGE - addr / SPAN_PAGE);
	s->buf = malloc(len ? len : 1);
	s->bad = calloc(npages ? npages : 1, 1);
	if (!s->buf || !s->bad) {
		span_free(s);
		return -1;
	}
	if (m->read_virt(m->ctx, addr, s->buf, len, s->why, sizeof(s->why)) == 0)
		return 0;
	s->why[0] = 0;
	for (i = 0; i < npages; i++) {
		uint64_t lo = ((uint64_t)s->first_page + i) * SPAN_PAGE, hi = lo + SPAN_PAGE;
		char why[200];

		if (lo < addr)
			lo = addr;
		if (hi > addr + len)
			hi = addr + len;
		if (m->read_virt(m->ctx, lo, s->buf + (lo - addr), (size_t)(hi - lo), why, sizeof(why)) == 0)
			continue;
		memset(s->buf + (lo - addr), 0, (size_t)(hi - lo));
		s->bad[i] = 1;
		if (s->nbad++ == 0)
			snprintf(s->why, sizeof(s->why), "%s", why);
	}
	return 0;
}

/* Are [off, off+n) inside the span and on readable pages? */
static int span_ok(const struct span *s, uint64_t off, uint64_t n)
{
	uint64_t p, last;

	if (off > s->len || n > s->len - off)
		return 0;
	if (s->nbad == 0 || n == 0)
		return 1;
	last = (s->addr + off + n - 1) / SPAN_PAGE;
	for (p = (s->addr + off) / SPAN_PAGE; p <= last; p++)
		if (s->bad[p - s->first_page])
			return 0;
	return 1;
}

/* ---- values in the dumped machine's byte order ------------------------------------------- */

static uint64_t get_uint(const struct vmf_log_mem *m, const unsigned char *p, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)p[m->big_endian ? size - 1 - i : i] << (8 * i);
	return v;
}

static uint64_t get_word(const struct vmf_log_mem *m, const unsigned char *p)
{
	return get_uint(m, p, m->word_size);
}

static int read_uint(const struct vmf_log_mem *m, uint64_t addr, unsigned size, uint64_t *v,
		     char *why, size_t whylen)
{
	unsigned char b[8];

	if (m->read_virt(m->ctx, addr, b, size, why, whylen))
		return -1;
	*v = get_uint(m, b, size);
	return 0;
}

static enum vmf_log_status missing(struct vmf_log *log, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static enum vmf_log_status missing(struct vmf_log *log, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(log->why, sizeof(log->why), fmt, ap);
	va_end(ap);
	free(log->text);
	log->text = NULL;
	log->len = 0;
	return VMF_LOG_MISSING;
}

/* Skipped records: counted, and the first one's reason kept for the summary. */
struct skips {
	unsigned long n;
	char first[240];
	char damage[240];           /* damage of the structure itself (head and tail, a loop) */
};

static void skip(struct skips *sk, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void skip(struct skips *sk, const char *fmt, ...)
{
	va_list ap;

	if (sk->n++ == 0) {
		va_start(ap, fmt);
		vsnprintf(sk->first, sizeof(sk->first), fmt, ap);
		va_end(ap);
	}
}

/* ---- VMCOREINFO keys, all or nothing -------------------------------------------------------- */

struct vi_key {
	const char *kind;       /* "SYMBOL", "SIZE", "OFFSET" */
	const char *name;
	uint64_t *val;
};

/* 0 when every key is there, else the first missing one named in log->why. */
static int load_keys(const struct vmf_vmcoreinfo *vi, const struct vi_key *k, size_t n, struct vmf_log *log,
		     const char *what)
{
	size_t i;

	for (i = 0; i < n; i++) {
		enum vmf_vi_status s;

		if (!strcmp(k[i].kind, "SYMBOL"))
			s = vmf_vi_symbol(vi, k[i].name, k[i].val);
		else if (!strcmp(k[i].kind, "SIZE"))
			s = vmf_vi_size(vi, k[i].name, k[i].val);
		else
			s = vmf_vi_offset(vi, k[i].name, k[i].val);
		if (s != VMF_VI_OK) {
			missing(log, "VMCOREINFO %s %s(%s): cannot read the %s", s == VMF_VI_NOKEY ? "has no" : "has a bad",
				k[i].kind, k[i].name, what);
			return -1;
		}
	}
	return 0;
}

/* ---- the lockless ring buffer (5.10+) ------------------------------------------------------------ */

/*
 * struct printk_ringbuffer and its parts, as VMCOREINFO measures them.  The
 * descriptor states are not in VMCOREINFO: they are the two top bits of
 * state_var (desc_committed 1, desc_finalized 2; committed/finalized as of
 * 4cfc7258f876 "printk: ringbuffer: add finalization/extension support", v5.10),
 * the id its other bits.
 */
struct prb_layout {
	uint64_t prb, rb_size, rb_desc_ring, rb_text_ring;
	uint64_t dr_count_bits, dr_descs, dr_infos, dr_head, dr_tail;
	uint64_t desc_size, desc_state, desc_text;
	uint64_t lpos_begin, lpos_next;
	uint64_t info_size, info_ts, info_text_len;
	uint64_t data_size_bits, data_data, counter;
};

#define DESC_COMMITTED 1
#define DESC_FINALIZED 2

static int prb_load(const struct vmf_vmcoreinfo *vi, struct prb_layout *L, struct vmf_log *log)
{
	const struct vi_key k[] = {
		{ "SYMBOL", "prb", &L->prb },
		{ "SIZE", "printk_ringbuffer", &L->rb_size },
		{ "OFFSET", "printk_ringbuffer.desc_ring", &L->rb_desc_ring },
		{ "OFFSET", "printk_ringbuffer.text_data_ring", &L->rb_text_ring },
		{ "OFFSET", "prb_desc_ring.count_bits", &L->dr_count_bits },
		{ "OFFSET", "prb_desc_ring.descs", &L->dr_descs },
		{ "OFFSET", "prb_desc_ring.infos", &L->dr_infos },
		{ "OFFSET", "prb_desc_ring.head_id", &L->dr_head },
		{ "OFFSET", "prb_desc_ring.tail_id", &L->dr_tail },
		{ "SIZE", "prb_desc", &L->desc_size },
		{ "OFFSET", "prb_desc.state_var", &L->desc_state },
		{ "OFFSET", "prb_desc.text_blk_lpos", &L->desc_text },
		{ "OFFSET", "prb_data_blk_lpos.begin", &L->lpos_begin },
		{ "OFFSET", "prb_data_blk_lpos.next", &L->lpos_next },
		{ "SIZE", "printk_info", &L->info_size },
		{ "OFFSET", "printk_info.ts_nsec", &L->info_ts },
		{ "OFFSET", "printk_info.text_len", &L->info_text_len },
		{ "OFFSET", "prb_data_ring.size_bits", &L->data_size_bits },
		{ "OFFSET", "prb_data_ring.data", &L->data_data },
		{ "OFFSET", "atomic_long_t.counter", &L->counter },
	};

	return load_keys(vi, k, sizeof(k) / sizeof(k[0]), log, "printk ring buffer");
}

/* Does every member the reader uses lie inside its structure (a damaged VMCOREINFO would not)? */
static int prb_layout_sane(const struct prb_layout *L, unsigned w)
{
	uint64_t dr = L->rb_desc_ring, tr = L->rb_text_ring;

	return L->rb_size <= 4096 && L->desc_size <= 4096 && L->info_size <= 4096 &&
	       dr + L->dr_count_bits + 4 <= L->rb_size && dr + L->dr_descs + w <= L->rb_size &&
	       dr + L->dr_infos + w <= L->rb_size && dr + L->dr_head + L->counter + w <= L->rb_size &&
	       dr + L->dr_tail + L->counter + w <= L->rb_size && tr + L->data_size_bits + 4 <= L->rb_size &&
	       tr + L->data_data + w <= L->rb_size && L->desc_state + L->counter + w <= L->desc_size &&
	       L->desc_text + L->lpos_begin + w <= L->desc_size && L->desc_text + L->lpos_next + w <= L->desc_size &&
	       L->info_ts + 8 <= L->info_size && L->info_text_len + 2 <= L->info_size;
}

/* The ring as read: its three arrays and where the walk starts and ends. */
struct prb {
	const struct vmf_log_mem *m;
	const struct prb_layout *L;
	uint64_t count, size, id_mask, head, tail;
	unsigned state_shift;
	struct span descs, infos, data;
};

/* One descriptor's record, as crash's dump_record() takes it. */
static void prb_record(struct prb *r, uint64_t id, struct out *o, struct skips *sk)
{
	const struct prb_layout *L = r->L;
	uint64_t idx = id & (r->count - 1), sv, begin, next, text_len, w = r->m->word_size;
	const unsigned char *desc = r->descs.buf + idx * L->desc_size, *info = r->infos.buf + idx * L->info_size;
	unsigned state;

	if (!span_ok(&r->descs, idx * L->desc_size, L->desc_size)) {
		skip(sk, "descriptor %llu: %s", (unsigned long long)id, r->descs.why);
		return;
	}
	sv = get_word(r->m, desc + L->desc_state + L->counter);
	state = (unsigned)(sv >> r->state_shift) & 3;
	/* another id in the slot (overwritten), or reserved/reusable: not a record, as in the kernel */
	if ((sv & r->id_mask) != id || (state != DESC_COMMITTED && state != DESC_FINALIZED))
		return;
	if (!span_ok(&r->infos, idx * L->info_size, L->info_size)) {
		skip(sk, "record %llu's info: %s", (unsigned long long)id, r->infos.why);
		return;
	}
	text_len = get_uint(r->m, info + L->info_text_len, 2);
	begin = get_word(r->m, desc + L->desc_text + L->lpos_begin) % r->size;
	next = get_word(r->m, desc + L->desc_text + L->lpos_next) % r->size;
	if (begin == next) {            /* a record without data: crash prints an empty line */
		put(o, "\n", 1);
		o->log->records++;
		return;
	}
	if (begin > next)               /* a block that wraps keeps its data at the ring's start */
		begin = 0;
	begin += w;                     /* past the block's id */
	if (begin > next) {
		skip(sk, "record %llu: data block ends at %llu, before its start", (unsigned long long)id,
		     (unsigned long long)next);
		return;
	}
	if (next - begin < text_len)
		text_len = next - begin;
	if (!span_ok(&r->data, begin, text_len)) {
		skip(sk, "record %llu's text: %s", (unsigned long long)id, r->data.why);
		return;
	}
	put_record(o, get_uint(r->m, info + L->info_ts, 8), r->data.buf + begin, (size_t)text_len);
}

/* The ring's header: array addresses, sizes, head and tail; arrays read into spans. */
static int prb_open(struct prb *r, struct vmf_log *log)
{
	const struct vmf_log_mem *m = r->m;
	const struct prb_layout *L = r->L;
	unsigned char rb[4096];
	uint64_t rb_addr, count_bits, size_bits, dr = L->rb_desc_ring, tr = L->rb_text_ring;
	char why[200];

	if (read_uint(m, L->prb, m->word_size, &rb_addr, why, sizeof(why)))
		return missing(log, "cannot read prb at %llx: %s", (unsigned long long)L->prb, why), -1;
	if (m->read_virt(m->ctx, rb_addr, rb, (size_t)L->rb_size, why, sizeof(why)))
		return missing(log, "cannot read the printk ring buffer at %llx: %s", (unsigned long long)rb_addr,
			       why), -1;
	count_bits = get_uint(m, rb + dr + L->dr_count_bits, 4);
	size_bits = get_uint(m, rb + tr + L->data_size_bits, 4);
	if (count_bits > 24 || size_bits > 28 || count_bits == 0 || size_bits < 3)
		return missing(log, "printk ring buffer damaged: 2^%llu descriptors, 2^%llu data bytes",
			       (unsigned long long)count_bits, (unsigned long long)size_bits), -1;
	r->count = 1ULL << count_bits;
	r->size = 1ULL << size_bits;
	r->state_shift = m->word_size * 8 - 2;
	r->id_mask = (1ULL << r->state_shift) - 1;
	r->head = get_word(m, rb + dr + L->dr_head + L->counter) & r->id_mask;
	r->tail = get_word(m, rb + dr + L->dr_tail + L->counter) & r->id_mask;
	if (r->count * (L->desc_size + L->info_size) + r->size > LOG_MAX_BYTES)
		return missing(log, "printk ring buffer of %llu descriptors and %llu bytes is beyond this reader's "
			       "%u MiB", (unsigned long long)r->count, (unsigned long long)r->size, LOG_MAX_BYTES >> 20), -1;
	if (span_read(&r->descs, m, get_word(m, rb + dr + L->dr_descs), (size_t)(r->count * L->desc_size)) ||
	    span_read(&r->infos, m, get_word(m, rb + dr + L->dr_infos), (size_t)(r->count * L->info_size)) ||
	    span_read(&r->data, m, get_word(m, rb + tr + L->data_data), (size_t)r->size))
		return missing(log, "out of memory reading the printk ring buffer"), -1;
	return 0;
}

static enum vmf_log_status prb_read(const struct vmf_vmcoreinfo *vi, const struct vmf_log_mem *m,
				    struct vmf_log *log, struct out *o, struct skips *sk)
{
	struct prb_layout L;
	struct prb r;
	uint64_t n, k;

	log->kind = VMF_LOG_PRB;
	if (prb_load(vi, &L, log))
		return VMF_LOG_MISSING;
	if (!prb_layout_sane(&L, m->word_size))
		return missing(log, "VMCOREINFO's printk ring buffer layout is inconsistent (a member beyond its struct)");
	memset(&r, 0, sizeof(r));
	r.m = m;
	r.L = &L;
	if (prb_open(&r, log)) {
		span_free(&r.descs);
		span_free(&r.infos);
		span_free(&r.data);
		return VMF_LOG_MISSING;
	}
	/* tail to head, both included; the kernel keeps them less than a ring apart */
	n = ((r.head - r.tail) & r.id_mask) + 1;
	if (n > r.count) {
		snprintf(sk->damage, sizeof(sk->damage), "descriptor ring damaged: tail %llu and head %llu are more than its %llu "
			 "descriptors apart; the last %llu read", (unsigned long long)r.tail, (unsigned long long)r.head,
			 (unsigned long long)r.count, (unsigned long long)r.count);
		n = r.count;
		r.tail = (r.head - r.count + 1) & r.id_mask;
	}
	for (k = 0; k < n; k++)
		prb_record(&r, (r.tail + k) & r.id_mask, o, sk);
	span_free(&r.descs);
	span_free(&r.infos);
	span_free(&r.data);
	return VMF_LOG_COMPLETE;
}

/* ---- printk_log records in log_buf (3.5-5.9) -------------------------------------------------------- */

struct rec_layout {
	uint64_t log_buf, log_buf_len, first_idx, next_idx;
	uint64_t size, ts, len, text_len;
};

/* struct printk_log was struct log before 62e32ac3505a (v3.11); VMCOREINFO names it either way. */
static int rec_load(const struct vmf_vmcoreinfo *vi, struct rec_layout *L, struct vmf_log *log)
{
	uint64_t dummy;
	const char *s = vmf_vi_size(vi, "printk_log", &dummy) == VMF_VI_OK ? "printk_log" : "log";
	char ts[40], len[40], text_len[40];
	const struct vi_key k[] = {
		{ "SYMBOL", "log_buf", &L->log_buf },
		{ "SYMBOL", "log_buf_len", &L->log_buf_len },
		{ "SYMBOL", "log_first_idx", &L->first_idx },
		{ "SYMBOL", "log_next_idx", &L->next_idx },
		{ "SIZE", s, &L->size },
		{ "OFFSET", ts, &L->ts },
		{ "OFFSET", len, &L->len },
		{ "OFFSET", text_len, &L->text_len },
	};

	snprintf(ts, sizeof(ts), "%s.ts_nsec", s);
	snprintf(len, sizeof(len), "%s.len", s);
	snprintf(text_len, sizeof(text_len), "%s.text_len", s);
	if (load_keys(vi, k, sizeof(k) / sizeof(k[0]), log, "log_buf records"))
		return -1;
	if (L->size > 256 || L->ts + 8 > L->size || L->len + 2 > L->size || L->text_len + 2 > L->size)
		return missing(log, "VMCOREINFO's %s layout is inconsistent (a member beyond its struct)", s), -1;
	return 0;
}

struct recs {
	const struct vmf_log_mem *m;
	const struct rec_layout *L;
	uint32_t buf_len, first, next;
	struct span buf;
	unsigned char *seen;        /* one bit per index: a record met twice is a loop */
};

/* The record at p, printed; its len (0 when it cannot be read: the walk stops with a reason). */
static uint64_t rec_one(struct recs *r, uint64_t p, struct out *o, struct skips *sk)
{
	const struct rec_layout *L = r->L;
	const unsigned char *h = r->buf.buf + p;
	uint64_t len, text_len;

	if (!span_ok(&r->buf, p, L->size)) {
		snprintf(sk->damage, sizeof(sk->damage), "log_buf record at index %llu: %s", (unsigned long long)p,
			 p + L->size > r->buf_len ? "beyond log_buf" : r->buf.why);
		return 0;
	}
	len = get_uint(r->m, h + L->len, 2);
	text_len = get_uint(r->m, h + L->text_len, 2);
	if (p + L->size + text_len > r->buf_len)
		skip(sk, "log_buf record at index %llu: text of %llu bytes beyond log_buf", (unsigned long long)p,
		     (unsigned long long)text_len);
	else if (!span_ok(&r->buf, p + L->size, text_len))
		skip(sk, "log_buf record at index %llu: %s", (unsigned long long)p, r->buf.why);
	else
		put_record(o, get_uint(r->m, h + L->ts, 8), h + L->size, (size_t)text_len);
	if (len == 0)
		snprintf(sk->damage, sizeof(sk->damage), "log_buf record at index %llu has length 0", (unsigned long long)p);
	return len;
}

/* crash's walk: first to next; a zero length sends the walk to the start of log_buf. */
static void rec_walk(struct recs *r, struct out *o, struct skips *sk)
{
	const struct rec_layout *L = r->L;
	uint64_t idx = r->first;

	while (idx != r->next) {
		uint64_t p = idx, len;

		if (span_ok(&r->buf, p, L->size) && get_uint(r->m, r->buf.buf + p + L->len, 2) == 0)
			p = 0;          /* the end-of-buffer marker: the record is at the start */
		if (r->seen[p / 8] & (1u << (p % 8))) {
			snprintf(sk->damage, sizeof(sk->damage), "log_buf records loop back to index %llu",
				 (unsigned long long)p);
			return;
		}
		r->seen[p / 8] |= (unsigned char)(1u << (p % 8));
		len = rec_one(r, p, o, sk);
		if (len == 0)
			return;
		idx = p + len;
		if (idx >= r->buf_len) {
			if (r->first > r->next) {
				idx = 0;
			} else {
				snprintf(sk->damage, sizeof(sk->damage), "log_buf record at index %llu runs past log_buf's "
					 "%u bytes", (unsigned long long)p, r->buf_len);
				return;
			}
		}
	}
}

static enum vmf_log_status rec_read(const struct vmf_vmcoreinfo *vi, const struct vmf_log_mem *m,
				    struct vmf_log *log, struct out *o, struct skips *sk)
{
	struct rec_layout L;
	struct recs r;
	uint64_t addr, v[3];
	char why[200];

	log->kind = VMF_LOG_RECORDS;
	if (rec_load(vi, &L, log))
		return VMF_LOG_MISSING;
	memset(&r, 0, sizeof(r));
	r.m = m;
	r.L = &L;
	if (read_uint(m, L.log_buf, m->word_size, &addr, why, sizeof(why)) ||
	    read_uint(m, L.log_buf_len, 4, &v[0], why, sizeof(why)) ||
	    read_uint(m, L.first_idx, 4, &v[1], why, sizeof(why)) || read_uint(m, L.next_idx, 4, &v[2], why, sizeof(why)))
		return missing(log, "cannot read log_buf's pointer and indexes: %s", why);
	r.buf_len = (uint32_t)v[0];
	r.first = (uint32_t)v[1];
	r.next = (uint32_t)v[2];
	if (r.buf_len < L.size || r.buf_len > LOG_MAX_BYTES || r.first >= r.buf_len || r.next >= r.buf_len)
		return missing(log, "log_buf damaged: length %u, first index %u, next index %u", r.buf_len, r.first,
			       r.next);
	r.seen = calloc(r.buf_len / 8 + 1, 1);
	if (!r.seen || span_read(&r.buf, m, addr, r.buf_len)) {
		free(r.seen);
		return missing(log, "out of memory reading log_buf");
	}
	rec_walk(&r, o, sk);
	span_free(&r.buf);
	free(r.seen);
	return VMF_LOG_COMPLETE;
}

/* ---- entry points ------------------------------------------------------------------------------------------ */

const char *vmf_log_kind_name(enum vmf_log_kind kind)
{
	switch (kind) {
	case VMF_LOG_PRB:
		return "printk ring buffer (5.10+)";
	case VMF_LOG_RECORDS:
		return "log_buf records (3.5-5.9)";
	default:
		return "none";
	}
}

/* The one-line reason of a partial log: the structure's damage first, then the records lost. */
static enum vmf_log_status finish(struct vmf_log *log, struct out *o, const struct skips *sk)
{
	size_t n = 0;

	log->skipped = sk->n;
	if (o->oom) {
		free(log->text);
		log->text = NULL;
		log->len = 0;
		return missing(log, "out of memory after %lu records of the log", log->records);
	}
	if (!log->text && !(log->text = calloc(1, 1)))
		return missing(log, "out of memory");
	if (!sk->damage[0] && !sk->n)
		return VMF_LOG_COMPLETE;
	if (sk->damage[0])
		n = (size_t)snprintf(log->why, sizeof(log->why), "%s", sk->damage);
	if (sk->n && n < sizeof(log->why))
		snprintf(log->why + n, sizeof(log->why) - n, "%s%lu record%s not read (first: %s)", n ? "; " : "",
			 sk->n, sk->n == 1 ? "" : "s", sk->first);
	return VMF_LOG_PARTIAL;
}

enum vmf_log_status vmf_log_read(const struct vmf_vmcoreinfo *vi, const struct vmf_log_mem *mem,
				 struct vmf_log *log)
{
	struct out o;
	struct skips sk;
	enum vmf_log_status st;
	uint64_t v;

	memset(log, 0, sizeof(*log));
	memset(&o, 0, sizeof(o));
	memset(&sk, 0, sizeof(sk));
	o.log = log;
	if (!vi || !vi->text)
		return missing(log, "the dump has no VMCOREINFO: the kernel log cannot be located");
	if (mem->word_size != 4 && mem->word_size != 8)
		return missing(log, "word size %u: the kernel log cannot be read", mem->word_size);
	/* crash looks for prb first too: a 5.10+ kernel may still carry a log_buf symbol */
	if (vmf_vi_symbol(vi, "prb", &v) == VMF_VI_OK)
		st = prb_read(vi, mem, log, &o, &sk);
	else if (vmf_vi_symbol(vi, "log_first_idx", &v) == VMF_VI_OK)
		st = rec_read(vi, mem, log, &o, &sk);
	else
		return missing(log, "VMCOREINFO locates no kernel log (neither SYMBOL(prb) nor SYMBOL(log_first_idx))");
	if (st == VMF_LOG_MISSING)
		return st;
	return finish(log, &o, &sk);
}

void vmf_log_free(struct vmf_log *log)
{
	if (!log)
		return;
	free(log->text);
	log->text = NULL;
	log->len = 0;
}

static int dump_read_virt(void *ctx, uint64_t vaddr, void *buf, size_t len, char *why, size_t whylen)
{
	struct vmf_dump *d = ctx;

	if (vmf_dump_read_virt(d, vaddr, buf, len) == VMF_DUMP_OK)
		return 0;
	snprintf(why, whylen, "%s", vmf_dump_err(d));
	return -1;
}

enum vmf_log_status vmf_log_from_dump(struct vmf_dump *d, struct vmf_log *log)
{
	const struct vmf_vmcoreinfo *vi = NULL;
	struct vmf_log_mem mem;

	mem.ctx = d;
	mem.word_size = vmf_dump_ptr_size(d);
	mem.big_endian = vmf_dump_big_endian(d);
	mem.read_virt = dump_read_virt;
	(void)vmf_dump_vmcoreinfo(d, &vi);
	return vmf_log_read(vi, &mem, log);
}
