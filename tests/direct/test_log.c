/*
 * test_log.c - the kernel log reader (direct/vmf_log.c) and the VMCOREINFO
 * parser on synthetic memory: ring buffers and log_buf records written here the
 * way the kernel writes them, then damaged on purpose.  The expected text is
 * built independently, record by record, in the format crash's `log` prints.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "vmf_log.h"
#include "vmf_vmcoreinfo.h"

/* ---- synthetic kernel memory ------------------------------------------------------ */

#define MAXREG 16
#define MAXBAD 16

struct mem {
	struct { uint64_t addr; size_t len; unsigned char *b; } reg[MAXREG];
	int nreg;
	uint64_t bad[MAXBAD];       /* 4 KiB pages reported as excluded */
	int nbad;
	unsigned long reads;
};

static unsigned char *region(struct mem *m, uint64_t addr, size_t len)
{
	m->reg[m->nreg].addr = addr;
	m->reg[m->nreg].len = len;
	m->reg[m->nreg].b = calloc(1, len);
	return m->reg[m->nreg++].b;
}

static void mem_free(struct mem *m)
{
	int i;

	for (i = 0; i < m->nreg; i++)
		free(m->reg[i].b);
	memset(m, 0, sizeof(*m));
}

static int mem_read(void *ctx, uint64_t addr, void *buf, size_t len, char *why, size_t whylen)
{
	struct mem *m = ctx;
	int i, j;

	m->reads++;
	for (j = 0; j < m->nbad; j++)
		if (m->bad[j] < addr + len && m->bad[j] + 4096 > addr) {
			snprintf(why, whylen, "page %llx excluded from the dump (makedumpfile -d)",
				 (unsigned long long)(m->bad[j] - 0xffff888000000000ULL));
			return -1;
		}
	for (i = 0; i < m->nreg; i++)
		if (addr >= m->reg[i].addr && addr + len <= m->reg[i].addr + m->reg[i].len) {
			memcpy(buf, m->reg[i].b + (addr - m->reg[i].addr), len);
			return 0;
		}
	snprintf(why, whylen, "virtual address %llx: no translation", (unsigned long long)addr);
	return -1;
}

static void put64(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

static void put32(unsigned char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put16(unsigned char *p, uint16_t v)
{
	memcpy(p, &v, 2);
}

/* ---- the expected text, as crash prints a record ---------------------------------- */

struct text {
	char b[65536];
	size_t n;
};

static void expect_record(struct text *t, uint64_t ts, const char *s, size_t len)
{
	char prefix[64];
	int plen = snprintf(prefix, sizeof(prefix), "[%5llu.%06llu] ", (unsigned long long)(ts / 1000000000),
			    (unsigned long long)(ts % 1000000000 / 1000));
	size_t i;

	t->n += (size_t)snprintf(t->b + t->n, sizeof(t->b) - t->n, "%s", prefix);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			t->n += (size_t)snprintf(t->b + t->n, sizeof(t->b) - t->n, "\n%*s", plen, "");
		else
			t->b[t->n++] = (c >= 32 && c < 127) || c == '\t' || c == '\r' || c == '\v' || c == '\f' ? (char)c : '.';
	}
	t->b[t->n++] = '\n';
	t->b[t->n] = 0;
}

/* ---- a 5.10 x86_64 ring buffer ----------------------------------------------------- */

#define PRB_VAR   0xffffffff82659000ULL   /* struct printk_ringbuffer *prb */
#define PRB_RB    0xffffffff82659800ULL   /* printk_rb_static */
#define PRB_DESCS 0xffff888001000000ULL
#define PRB_INFOS 0xffff888001100000ULL
#define PRB_DATA  0xffff888001200000ULL
#define SV_SHIFT  62
#define ID_MASK   ((1ULL << SV_SHIFT) - 1)

static const char prb_vi_fmt[] =
	"OSRELEASE=5.10.0-test\n"
	"SYMBOL(prb)=%llx\n"
	"SIZE(printk_ringbuffer)=80\n"
	"OFFSET(printk_ringbuffer.desc_ring)=0\n"
	"OFFSET(printk_ringbuffer.text_data_ring)=40\n"
	"OFFSET(printk_ringbuffer.fail)=72\n"
	"SIZE(prb_desc_ring)=40\n"
	"OFFSET(prb_desc_ring.count_bits)=0\n"
	"OFFSET(prb_desc_ring.descs)=8\n"
	"OFFSET(prb_desc_ring.infos)=16\n"
	"OFFSET(prb_desc_ring.head_id)=24\n"
	"OFFSET(prb_desc_ring.tail_id)=32\n"
	"SIZE(prb_desc)=24\n"
	"OFFSET(prb_desc.state_var)=0\n"
	"OFFSET(prb_desc.text_blk_lpos)=8\n"
	"SIZE(prb_data_blk_lpos)=16\n"
	"OFFSET(prb_data_blk_lpos.begin)=0\n"
	"OFFSET(prb_data_blk_lpos.next)=8\n"
	"SIZE(printk_info)=88\n"
	"OFFSET(printk_info.seq)=0\n"
	"OFFSET(printk_info.ts_nsec)=8\n"
	"OFFSET(printk_info.text_len)=16\n"
	"OFFSET(printk_info.caller_id)=20\n"
	"OFFSET(printk_info.dev_info)=24\n"
	"SIZE(prb_data_ring)=32\n"
	"OFFSET(prb_data_ring.size_bits)=0\n"
	"OFFSET(prb_data_ring.data)=8\n"
	"SIZE(atomic_long_t)=8\n"
	"OFFSET(atomic_long_t.counter)=0\n";

struct ring {
	struct mem mem;
	unsigned char *rb, *descs, *infos, *data;
	unsigned count_bits, size_bits;
	uint64_t head_id, tail_id, head_lpos;
	int empty;
	char vi[4096];
	struct vmf_vmcoreinfo v;
	struct vmf_log_mem lm;
};

static void ring_init(struct ring *r, unsigned count_bits, unsigned size_bits)
{
	unsigned char *var;

	memset(r, 0, sizeof(*r));
	r->count_bits = count_bits;
	r->size_bits = size_bits;
	var = region(&r->mem, PRB_VAR, 8);
	put64(var, PRB_RB);
	r->rb = region(&r->mem, PRB_RB, 80);
	r->descs = region(&r->mem, PRB_DESCS, (size_t)24 << count_bits);
	r->infos = region(&r->mem, PRB_INFOS, (size_t)88 << count_bits);
	r->data = region(&r->mem, PRB_DATA, (size_t)1 << size_bits);
	put32(r->rb + 0, count_bits);
	put64(r->rb + 8, PRB_DESCS);
	put64(r->rb + 16, PRB_INFOS);
	put32(r->rb + 40, size_bits);
	put64(r->rb + 48, PRB_DATA);
	r->empty = 1;
	snprintf(r->vi, sizeof(r->vi), prb_vi_fmt, (unsigned long long)PRB_VAR);
	r->v.text = r->vi;
	r->v.len = strlen(r->vi);
	r->lm.ctx = &r->mem;
	r->lm.word_size = 8;
	r->lm.big_endian = 0;
	r->lm.read_virt = mem_read;
}

static unsigned char *desc_of(struct ring *r, uint64_t id)
{
	return r->descs + 24 * (id & ((1ULL << r->count_bits) - 1));
}

static void set_head_tail(struct ring *r)
{
	put64(r->rb + 24, r->head_id);
	put64(r->rb + 32, r->tail_id);
}

/*
 * One record as the kernel stores it (data_alloc): a block of the id and the
 * text, aligned to 8; a block that would cross the ring's end goes to its start,
 * its begin staying in the old wrap.  state 2 is desc_finalized.
 */
static uint64_t ring_add(struct ring *r, const char *text, size_t len, uint64_t ts, unsigned state)
{
	uint64_t size = 1ULL << r->size_bits, id = r->empty ? 0 : r->head_id + 1;
	uint64_t blk = (8 + len + 7) & ~7ULL, begin = r->head_lpos, next = begin + blk, at = begin % size;
	unsigned char *d = desc_of(r, id), *info = r->infos + 88 * (id & ((1ULL << r->count_bits) - 1));

	if (begin / size != next / size) {      /* wraps: the data at the start */
		next = (next / size) * size + blk;
		at = 0;
	}
	put64(r->data + at, id);
	memcpy(r->data + at + 8, text, len);
	put64(d, (uint64_t)state << SV_SHIFT | id);
	put64(d + 8, begin);
	put64(d + 16, next);
	put64(info + 0, id);
	put64(info + 8, ts);
	put16(info + 16, (uint16_t)len);
	r->head_lpos = next;
	r->head_id = id;
	if (r->empty)
		r->tail_id = id;
	r->empty = 0;
	/* the oldest descriptors give way: at most count live, and at most one ring of data */
	while (r->head_id - r->tail_id >= (1ULL << r->count_bits))
		r->tail_id++;
	while (1) {
		uint64_t tb;
		memcpy(&tb, desc_of(r, r->tail_id) + 8, 8);
		if (r->head_lpos - tb <= size)
			break;
		r->tail_id++;
	}
	set_head_tail(r);
	return id;
}

/* A data-less record: both lpos NO_LPOS (3), as the kernel stores an empty line. */
static void ring_add_dataless(struct ring *r)
{
	uint64_t id = r->empty ? 0 : r->head_id + 1;
	unsigned char *d = desc_of(r, id);

	put64(d, 2ULL << SV_SHIFT | id);
	put64(d + 8, 3);
	put64(d + 16, 3);
	r->head_id = id;
	if (r->empty)
		r->tail_id = id;
	r->empty = 0;
	set_head_tail(r);
}

static int text_is(const struct vmf_log *log, const struct text *t)
{
	if (log->text && log->len == t->n && memcmp(log->text, t->b, t->n) == 0)
		return 1;
	printf("--- got (%zu bytes):\n%s--- expected (%zu bytes):\n%s---\n", log->len, log->text ? log->text : "(null)",
	       t->n, t->b);
	return 0;
}

static void test_prb_basic(void)
{
	struct ring r;
	struct text t = { .n = 0 };
	struct vmf_log log;
	const char odd[] = "tab\there cr\r bell\a high\x80\xff del\x7f";
	uint64_t id;

	ring_init(&r, 4, 12);
	ring_add(&r, "Linux version 5.10.0-test", 25, 0, 2);
	expect_record(&t, 0, "Linux version 5.10.0-test", 25);
	ring_add(&r, "line one\nline two\nline three", 28, 1234567890, 2);
	expect_record(&t, 1234567890, "line one\nline two\nline three", 28);
	ring_add(&r, odd, sizeof(odd) - 1, 99999999999999ULL, 1);      /* committed counts too */
	expect_record(&t, 99999999999999ULL, odd, sizeof(odd) - 1);
	ring_add_dataless(&r);
	t.b[t.n++] = '\n';                          /* crash: an empty line, no timestamp */
	t.b[t.n] = 0;
	ring_add(&r, "reserved, being written", 23, 5, 0);   /* desc_reserved: not a record */
	id = ring_add(&r, "reusable", 8, 6, 3);            /* desc_reusable: not a record */
	(void)id;
	ring_add(&r, "last", 4, 7000000, 2);
	expect_record(&t, 7000000, "last", 4);
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_COMPLETE);
	CHECK(log.kind == VMF_LOG_PRB);
	CHECK(text_is(&log, &t));
	CHECK_U64(log.records, 5);
	CHECK_U64(log.skipped, 0);
	CHECK_STR(vmf_log_kind_name(log.kind), "printk ring buffer (5.10+)");
	vmf_log_free(&log);
	mem_free(&r.mem);
}

/* Many records through a small ring: wrapping blocks, overwritten descriptors, truncation. */
static void test_prb_wrap(void)
{
	struct ring r;
	struct text t = { .n = 0 };
	struct vmf_log log;
	char msg[64];
	uint64_t i, first_kept, last = 0;
	unsigned char *d;

	ring_init(&r, 3, 8);                        /* 8 descriptors, 256 data bytes */
	for (i = 0; i < 100 && !last; i++) {        /* until a block wraps, after 30 records */
		int n = snprintf(msg, sizeof(msg), "message %llu%.*s", (unsigned long long)i, (int)(i % 5) * 7,
				 "-------------------------------------");
		uint64_t b = r.head_lpos;
		ring_add(&r, msg, (size_t)n, i * 1000000ULL, 2);
		if (i >= 30 && b / 256 != r.head_lpos / 256 && r.head_lpos % 256 != 0)
			last = i;
	}
	CHECK(last >= 30 && r.head_id == last);
	first_kept = r.tail_id;
	CHECK(first_kept > 20 && first_kept < last);
	{       /* the kept records include a block that wraps, and the ring holds the oldest one's data */
		int wrapped = 0;
		for (i = first_kept; i <= last; i++) {
			uint64_t b, nx;
			memcpy(&b, desc_of(&r, i) + 8, 8);
			memcpy(&nx, desc_of(&r, i) + 16, 8);
			wrapped += b % 256 > nx % 256;
		}
		CHECK(wrapped >= 1);
	}
	for (i = first_kept; i <= last; i++) {
		int n = snprintf(msg, sizeof(msg), "message %llu%.*s", (unsigned long long)i, (int)(i % 5) * 7,
				 "-------------------------------------");
		expect_record(&t, i * 1000000ULL, msg, (size_t)n);
	}
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_COMPLETE);
	CHECK(text_is(&log, &t));
	CHECK_U64(log.records, last + 1 - first_kept);
	vmf_log_free(&log);

	/* a text_len longer than its block is cut to the block (crash: "handle truncated messages") */
	d = desc_of(&r, last);
	put16(r.infos + 88 * (last & 7) + 16, 4000);
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_COMPLETE);
	{
		uint64_t b, nx, size = 256;
		memcpy(&b, d + 8, 8);
		memcpy(&nx, d + 16, 8);
		b %= size;
		nx %= size;
		if (b > nx)
			b = 0;
		snprintf(msg, sizeof(msg), "message %llu", (unsigned long long)last);
		CHECK(log.text && strstr(log.text, msg) != NULL);
		CHECK_U64(log.records, last + 1 - first_kept);
		/* the last line holds the whole block: id excluded, padding bytes shown as '.' */
		CHECK(log.text && log.len >= 2 && log.text[log.len - 1] == '\n');
		CHECK_U64(strlen(strrchr(log.text, '[')) - 1, 15 + (nx - b - 8));
	}
	vmf_log_free(&log);
	mem_free(&r.mem);
}

static void test_prb_damaged(void)
{
	struct ring r;
	struct vmf_log log;
	unsigned char *d;
	int i;

	/* head and tail further apart than the ring: the last `count` descriptors, said so, and it ends */
	ring_init(&r, 3, 10);
	for (i = 0; i < 5; i++)
		ring_add(&r, "hello", 5, (uint64_t)i, 2);
	put64(r.rb + 32, (r.head_id + 1) & ID_MASK);        /* tail = head + 1: 2^62 apart */
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_PARTIAL);
	CHECK(strstr(log.why, "more than its 8 descriptors apart") != NULL);
	CHECK_U64(log.records, 5);
	vmf_log_free(&log);
	set_head_tail(&r);

	/* a data page the dump lacks: its records skipped with the page's reason */
	r.mem.bad[r.mem.nbad++] = PRB_DATA;
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_PARTIAL);
	CHECK_U64(log.records, 0);
	CHECK_U64(log.skipped, 5);
	CHECK(strstr(log.why, "5 records not read") && strstr(log.why, "excluded from the dump (makedumpfile -d)"));
	vmf_log_free(&log);
	r.mem.nbad = 0;

	/* a data block whose end lies before its start (+ id): skipped, the rest printed */
	d = desc_of(&r, r.head_id);
	put64(d + 8, 64);
	put64(d + 16, 68);
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_PARTIAL);
	CHECK_U64(log.records, 4);
	CHECK(strstr(log.why, "data block ends at 68, before its start") != NULL);
	vmf_log_free(&log);

	/* a damaged size field: nothing read, a reason, no allocation of 2^40 */
	put32(r.rb + 40, 40);
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_MISSING);
	CHECK(log.text == NULL && strstr(log.why, "2^40 data bytes") != NULL);
	vmf_log_free(&log);
	put32(r.rb + 40, 10);

	/* prb itself unreadable */
	r.mem.reg[0].addr = 0x1000;
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_MISSING);
	CHECK(strstr(log.why, "cannot read prb at ffffffff82659000") != NULL);
	vmf_log_free(&log);
	mem_free(&r.mem);
}

static void test_prb_vmcoreinfo(void)
{
	struct ring r;
	struct vmf_log log;
	char *p;

	ring_init(&r, 3, 10);
	ring_add(&r, "x", 1, 0, 2);
	/* a key missing: named */
	p = strstr(r.vi, "OFFSET(prb_desc.state_var)");
	memcpy(p, "OFFSET(prb_desc.xtate_var)", 26);
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_MISSING);
	CHECK_STR(log.why, "VMCOREINFO has no OFFSET(prb_desc.state_var): cannot read the printk ring buffer");
	vmf_log_free(&log);
	memcpy(p, "OFFSET(prb_desc.state_var)", 26);
	/* a member beyond its struct */
	p = strstr(r.vi, "OFFSET(printk_info.text_len)=16");
	memcpy(p, "OFFSET(printk_info.text_len)=99", 31);
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_MISSING);
	CHECK(strstr(log.why, "inconsistent") != NULL);
	vmf_log_free(&log);
	/* no VMCOREINFO, no log layout */
	CHECK(vmf_log_read(NULL, &r.lm, &log) == VMF_LOG_MISSING);
	vmf_log_free(&log);
	r.v.text = "OSRELEASE=5.10\n";
	r.v.len = strlen(r.v.text);
	CHECK(vmf_log_read(&r.v, &r.lm, &log) == VMF_LOG_MISSING);
	CHECK(strstr(log.why, "neither SYMBOL(prb) nor SYMBOL(log_first_idx)") != NULL);
	vmf_log_free(&log);
	mem_free(&r.mem);
}

/* ---- printk_log records in log_buf (3.5-5.9) -------------------------------------------- */

#define LB_VAR   0xffffffff81e00000ULL   /* char *log_buf; u32 log_buf_len, log_first_idx, log_next_idx */
#define LB_BUF   0xffff888002000000ULL

struct lbuf {
	struct mem mem;
	unsigned char *vars, *buf;
	uint32_t len, first, next;
	char vi[2048];
	struct vmf_vmcoreinfo v;
	struct vmf_log_mem lm;
};

static void lbuf_init(struct lbuf *l, uint32_t len, const char *sname)
{
	memset(l, 0, sizeof(*l));
	l->len = len;
	l->vars = region(&l->mem, LB_VAR, 64);
	l->buf = region(&l->mem, LB_BUF, len);
	put64(l->vars, LB_BUF);
	put32(l->vars + 8, len);
	snprintf(l->vi, sizeof(l->vi),
		 "OSRELEASE=4.4.0-test\nSYMBOL(log_buf)=%llx\nSYMBOL(log_buf_len)=%llx\nSYMBOL(log_first_idx)=%llx\n"
		 "SYMBOL(clear_idx)=%llx\nSYMBOL(log_next_idx)=%llx\nSIZE(%s)=16\nOFFSET(%s.ts_nsec)=0\n"
		 "OFFSET(%s.len)=8\nOFFSET(%s.text_len)=10\nOFFSET(%s.dict_len)=12\n",
		 (unsigned long long)LB_VAR, (unsigned long long)LB_VAR + 8, (unsigned long long)LB_VAR + 12,
		 (unsigned long long)LB_VAR + 20, (unsigned long long)LB_VAR + 16, sname, sname, sname, sname, sname);
	l->v.text = l->vi;
	l->v.len = strlen(l->vi);
	l->lm.ctx = &l->mem;
	l->lm.word_size = 8;
	l->lm.read_virt = mem_read;
}

static void lbuf_set(struct lbuf *l)
{
	put32(l->vars + 12, l->first);
	put32(l->vars + 16, l->next);
}

/* A record at idx (header, text, a dictionary crash does not print); returns the next index. */
static uint32_t lbuf_put(struct lbuf *l, uint32_t idx, const char *text, uint64_t ts, const char *dict)
{
	size_t tl = strlen(text), dl = dict ? strlen(dict) : 0;
	uint32_t len = (uint32_t)((16 + tl + dl + 7) & ~(size_t)7);
	unsigned char *h = l->buf + idx;

	put64(h, ts);
	put16(h + 8, (uint16_t)len);
	put16(h + 10, (uint16_t)tl);
	put16(h + 12, (uint16_t)dl);
	memcpy(h + 16, text, tl);
	if (dl)
		memcpy(h + 16 + tl, dict, dl);
	return idx + len;
}

static void test_records(void)
{
	struct lbuf l;
	struct text t = { .n = 0 };
	struct vmf_log log;
	uint32_t i, a, b, c;

	/* in order from 0: the 3.11+ name */
	lbuf_init(&l, 256, "printk_log");
	i = lbuf_put(&l, 0, "Linux version 4.4.0", 0, NULL);
	expect_record(&t, 0, "Linux version 4.4.0", 19);
	i = lbuf_put(&l, i, "BUG: unable to handle kernel paging request", 5123456789ULL, "SUBSYSTEM=pci");
	expect_record(&t, 5123456789ULL, "BUG: unable to handle kernel paging request", 43);
	i = lbuf_put(&l, i, "two\nlines", 6000000000ULL, NULL);
	expect_record(&t, 6000000000ULL, "two\nlines", 9);
	l.first = 0;
	l.next = i;
	lbuf_set(&l);
	CHECK(vmf_log_read(&l.v, &l.lm, &log) == VMF_LOG_COMPLETE);
	CHECK(log.kind == VMF_LOG_RECORDS);
	CHECK(text_is(&log, &t));
	CHECK_U64(log.records, 3);
	vmf_log_free(&log);
	mem_free(&l.mem);

	/* wrapped: records near the end, the zero-length marker, the rest from 0; pre-3.11 "log" */
	t.n = 0;
	lbuf_init(&l, 256, "log");
	a = lbuf_put(&l, 0, "newer one", 30, NULL);
	b = lbuf_put(&l, a, "newest", 40, NULL);
	c = lbuf_put(&l, 160, "older one", 10, NULL);
	c = lbuf_put(&l, c, "older two", 20, NULL);      /* ends at 224: the marker follows */
	CHECK_U64(c, 224);
	expect_record(&t, 10, "older one", 9);
	expect_record(&t, 20, "older two", 9);
	expect_record(&t, 30, "newer one", 9);
	expect_record(&t, 40, "newest", 6);
	l.first = 160;
	l.next = b;
	lbuf_set(&l);
	CHECK(vmf_log_read(&l.v, &l.lm, &log) == VMF_LOG_COMPLETE);
	CHECK(text_is(&log, &t));
	vmf_log_free(&log);

	/* a loop: the newest record's length leads back to itself */
	put16(l.buf + a + 8, 0);
	put16(l.buf + 8, (uint16_t)a);
	CHECK(vmf_log_read(&l.v, &l.lm, &log) == VMF_LOG_PARTIAL);
	CHECK(strstr(log.why, "loop back to index") != NULL);
	CHECK(log.records >= 3 && log.records < 10);
	vmf_log_free(&log);
	put16(l.buf + 8, (uint16_t)a);
	put16(l.buf + a + 8, (uint16_t)(b - a));

	/* a first index beyond log_buf: nothing, a reason */
	l.first = 4000;
	lbuf_set(&l);
	CHECK(vmf_log_read(&l.v, &l.lm, &log) == VMF_LOG_MISSING);
	CHECK(strstr(log.why, "first index 4000") != NULL);
	vmf_log_free(&log);
	mem_free(&l.mem);
}

static void test_records_damaged(void)
{
	struct lbuf l;
	struct vmf_log log;
	uint32_t i;

	/* a length running past log_buf when it never wrapped */
	lbuf_init(&l, 256, "printk_log");
	i = lbuf_put(&l, 0, "first", 1, NULL);
	put16(l.buf + 8, 4096);
	l.first = 0;
	l.next = i;
	lbuf_set(&l);
	CHECK(vmf_log_read(&l.v, &l.lm, &log) == VMF_LOG_PARTIAL);
	CHECK(strstr(log.why, "runs past log_buf's 256 bytes") != NULL);
	CHECK_U64(log.records, 1);
	vmf_log_free(&log);
	mem_free(&l.mem);

	/* an unreadable page of log_buf: what precedes it, and the page's reason */
	lbuf_init(&l, 8192, "printk_log");
	i = 0;
	while (i < 8000)
		i = lbuf_put(&l, i, "a line of the kernel log, long enough to fill pages", i, NULL);
	l.first = 0;
	l.next = i;
	lbuf_set(&l);
	l.mem.bad[l.mem.nbad++] = LB_BUF + 4096;
	CHECK(vmf_log_read(&l.v, &l.lm, &log) == VMF_LOG_PARTIAL);
	CHECK(strstr(log.why, "excluded from the dump") != NULL);
	CHECK(log.records > 40 && log.records < 70);
	vmf_log_free(&log);
	mem_free(&l.mem);
}

/* ---- VMCOREINFO values -------------------------------------------------------------------- */

static void test_vmcoreinfo(void)
{
	const char text[] = "OSRELEASE=5.10.0-32-cloud-amd64\nPAGESIZE=4096\nSYMBOL(log_buf_len)=ffffffff81e00008\n"
			    "SYMBOL(log_buf)=ffffffff81e00000\nNUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
			    "NUMBER(phys_base)=0\nOFFSET(vmap_area.list)=40\nSIZE(page)=64\nLENGTH(mem_section)=2048\n"
			    "KERNELOFFSET=2f000000\nSYMBOL(bad)=xyz\nNUMBER(huge)=99999999999999999999\nBUILD-ID=e0c9";
	struct vmf_vmcoreinfo vi = { text, sizeof(text) - 1 };
	uint64_t u = 0;
	int64_t s = 0;
	char buf[16];

	CHECK(vmf_vi_symbol(&vi, "log_buf", &u) == VMF_VI_OK);
	CHECK_U64(u, 0xffffffff81e00000ULL);        /* not log_buf_len's line */
	CHECK(vmf_vi_number(&vi, "PAGE_BUDDY_MAPCOUNT_VALUE", &s) == VMF_VI_OK && s == -129);
	CHECK(vmf_vi_number(&vi, "phys_base", &s) == VMF_VI_OK && s == 0);
	CHECK(vmf_vi_offset(&vi, "vmap_area.list", &u) == VMF_VI_OK && u == 40);
	CHECK(vmf_vi_size(&vi, "page", &u) == VMF_VI_OK && u == 64);
	CHECK(vmf_vi_length(&vi, "mem_section", &u) == VMF_VI_OK && u == 2048);
	CHECK(vmf_vi_hex(&vi, "KERNELOFFSET", &u) == VMF_VI_OK && u == 0x2f000000);
	CHECK(vmf_vi_udec(&vi, "PAGESIZE", &u) == VMF_VI_OK && u == 4096);
	CHECK(vmf_vi_symbol(&vi, "bad", &u) == VMF_VI_BADVALUE);
	CHECK(vmf_vi_number(&vi, "huge", &s) == VMF_VI_BADVALUE);
	CHECK(vmf_vi_symbol(&vi, "prb", &u) == VMF_VI_NOKEY);
	CHECK(vmf_vi_string(&vi, "OSRELEASE", buf, sizeof(buf)) == VMF_VI_OK);
	CHECK_STR(buf, "5.10.0-32-cloud");         /* cut to the buffer */
	CHECK(vmf_vi_string(&vi, "BUILD-ID", buf, sizeof(buf)) == VMF_VI_OK);
	CHECK_STR(buf, "e0c9");                    /* the last line, without its newline */
	CHECK(vmf_vi_string(&vi, "OSRELEAS", buf, sizeof(buf)) == VMF_VI_NOKEY);
}

int main(void)
{
	test_vmcoreinfo();
	test_prb_basic();
	test_prb_wrap();
	test_prb_damaged();
	test_prb_vmcoreinfo();
	test_records();
	test_records_damaged();
	return CHECK_DONE();
}
