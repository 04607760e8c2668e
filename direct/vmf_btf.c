/*
 * vmf_btf.c - BTF through libbpf (see vmf_btf.h).
 *
 * The in-memory copy of .BTF between __start_BTF and __stop_BTF exists since
 * 341dfcf8d78e ("btf: expose BTF info through sysfs", v5.4) on CONFIG_DEBUG_INFO_BTF kernels.
 */
#include "vmf_btf.h"

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BTF_MAGIC_LE 0xeB9F
#define VMF_BTF_MAX (64u << 20)   /* no vmlinux BTF comes near: 3.4 MB on 5.10, 4.1 MB on 6.1 */

/* libbpf reports its refusals on stderr: the reason goes into why instead. */
static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	(void)fmt;
	(void)ap;
	return 0;
}

/* The header's own claims, checked so a bad blob gets a reason libbpf does not give. */
static int check_header(const unsigned char *p, size_t size, char *why, size_t whylen)
{
	uint32_t hdr_len, str_off, str_len, type_off, type_len;

	if (size < 24) {
		snprintf(why, whylen, "BTF of %zu bytes: shorter than its header", size);
		return -1;
	}
	if ((p[0] | p[1] << 8) != BTF_MAGIC_LE) {
		snprintf(why, whylen, "BTF magic %02x%02x, not 9feb: not BTF, or pages not in the dump",
			 p[0], p[1]);
		return -1;
	}
	memcpy(&hdr_len, p + 4, 4);
	memcpy(&type_off, p + 8, 4);
	memcpy(&type_len, p + 12, 4);
	memcpy(&str_off, p + 16, 4);
	memcpy(&str_len, p + 20, 4);
	if ((uint64_t)hdr_len + type_off + type_len > size || (uint64_t)hdr_len + str_off + str_len > size) {
		snprintf(why, whylen, "BTF header claims %llu bytes, %zu present",
			 (unsigned long long)hdr_len + str_off + str_len, size);
		return -1;
	}
	return 0;
}

int vmf_btf_from_buf(struct vmf_btf *b, const void *data, size_t size, const char *source,
		     char *why, size_t whylen)
{
	libbpf_print_fn_t old;
	struct btf *btf;

	memset(b, 0, sizeof(*b));
	snprintf(b->source, sizeof(b->source), "%s", source ? source : "BTF");
	if (!data) {
		snprintf(why, whylen, "no BTF (the kernel was built without CONFIG_DEBUG_INFO_BTF?)");
		return -1;
	}
	if (check_header(data, size, why, whylen))
		return -1;
	old = libbpf_set_print(quiet);
	errno = 0;
	btf = btf__new(data, (uint32_t)size);
	libbpf_set_print(old);
	if (!btf || libbpf_get_error(btf)) {
		snprintf(why, whylen, "libbpf rejects the BTF: %s", strerror(errno ? errno : EINVAL));
		return -1;
	}
	b->btf = btf;
	return 0;
}

void vmf_btf_free(struct vmf_btf *b)
{
	if (b->btf)
		btf__free(b->btf);
	memset(b, 0, sizeof(*b));
}

/* ---- the build-id cache ---------------------------------------------------- */

static int cache_path(char *buf, size_t len, const char *dir, const char *build_id)
{
	if (!dir || !*dir || !build_id || !*build_id || strchr(build_id, '/'))
		return -1;
	return snprintf(buf, len, "%s/btf-%s", dir, build_id) < (int)len ? 0 : -1;
}

static void *cache_load(const char *path, size_t *size)
{
	struct stat st;
	void *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (!fstat(fd, &st) && st.st_size > 0 && (uint64_t)st.st_size <= VMF_BTF_MAX &&
	    (buf = malloc((size_t)st.st_size)) &&
	    read(fd, buf, (size_t)st.st_size) == (ssize_t)st.st_size)
		*size = (size_t)st.st_size;
	else {
		free(buf);
		buf = NULL;
	}
	close(fd);
	return buf;
}

/* Written whole under a temporary name, then renamed: a reader never sees half. */
static void cache_store(const char *path, const void *buf, size_t size)
{
	char tmp[4200];
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", path, (long)getpid()) >= (int)sizeof(tmp))
		return;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	if (write(fd, buf, size) != (ssize_t)size || close(fd) || rename(tmp, path))
		unlink(tmp);
}

/* ---- from the dump --------------------------------------------------------- */

static void *read_btf(const struct vmf_kreader *r, uint64_t start, size_t size, char *why, size_t whylen)
{
	unsigned char *buf = malloc(size);
	char rwhy[160] = "";
	size_t done = 0;

	if (!buf) {
		snprintf(why, whylen, "no memory for %zu bytes of BTF", size);
		return NULL;
	}
	/* the header first: a page that is not BTF is told apart from one not in the dump */
	while (done < size) {
		size_t chunk = size - done < (1u << 20) ? size - done : (1u << 20);
		if (vmf_kread(r, start + done, buf + done, chunk, rwhy, sizeof(rwhy))) {
			snprintf(why, whylen, "BTF unreadable at %llx (%zu of %zu bytes read): %s",
				 (unsigned long long)(start + done), done, size, rwhy);
			free(buf);
			return NULL;
		}
		if (!done && check_header(buf, size, why, whylen)) {
			free(buf);
			return NULL;
		}
		done += chunk;
	}
	return buf;
}

int vmf_btf_from_dump(struct vmf_btf *b, const struct vmf_kreader *r, uint64_t start, uint64_t stop,
		      const char *cache_dir, const char *build_id, char *why, size_t whylen)
{
	char path[4096], src[160];
	size_t size = 0;
	void *buf;
	int have_path = cache_path(path, sizeof(path), cache_dir, build_id) == 0;

	memset(b, 0, sizeof(*b));
	if (have_path && (buf = cache_load(path, &size))) {
		snprintf(src, sizeof(src), "dump's BTF, cached in %.120s", path);
		if (!vmf_btf_from_buf(b, buf, size, src, why, whylen)) {
			free(buf);
			b->from_cache = 1;
			return 0;
		}
		free(buf);
		unlink(path);   /* a damaged cache entry is read again from the dump */
	}
	if (!start || !stop) {
		snprintf(why, whylen, "no BTF in the dump: no __start_BTF/__stop_BTF symbols "
			 "(a kernel built without CONFIG_DEBUG_INFO_BTF)");
		return -1;
	}
	if (stop <= start || stop - start > VMF_BTF_MAX) {
		snprintf(why, whylen, "no BTF in the dump: __start_BTF %llx, __stop_BTF %llx out of reason",
			 (unsigned long long)start, (unsigned long long)stop);
		return -1;
	}
	size = (size_t)(stop - start);
	if (!(buf = read_btf(r, start, size, why, whylen)))
		return -1;
	snprintf(src, sizeof(src), "dump's BTF, %zu bytes at %llx", size, (unsigned long long)start);
	if (vmf_btf_from_buf(b, buf, size, src, why, whylen)) {
		free(buf);
		return -1;
	}
	if (have_path)
		cache_store(path, buf, size);
	free(buf);
	return 0;
}

/* ---- lookups ------------------------------------------------------------- */

/* The struct/union behind typedefs, const and volatile; 0 when not one. */
static uint32_t composite_of(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t;

	while ((t = btf__type_by_id(btf, id)) && (btf_is_mod(t) || btf_is_typedef(t)))
		id = t->type;
	return t && btf_is_composite(t) ? id : 0;
}

static uint32_t find_type(const struct btf *btf, const char *name)
{
	int32_t id = btf__find_by_name_kind(btf, name, BTF_KIND_STRUCT);

	if (id <= 0)
		id = btf__find_by_name_kind(btf, name, BTF_KIND_UNION);
	if (id <= 0)
		id = btf__find_by_name_kind(btf, name, BTF_KIND_TYPEDEF);
	return id > 0 ? (uint32_t)id : 0;
}

/*
 * Member name of composite id, looking inside anonymous members as C does;
 * its bit offset from the start of id added to *bits.  Returns its index + 1
 * in *owner (the composite that holds it), 0 when absent.
 */
static int find_member(const struct btf *btf, uint32_t id, const char *name, size_t namelen,
		       long *bits, uint32_t *owner, int depth)
{
	const struct btf_type *t = btf__type_by_id(btf, id);
	const struct btf_member *m;

	if (!t || depth > 16)
		return 0;
	m = btf_members(t);
	for (int i = 0; i < btf_vlen(t); i++, m++) {
		const char *mn = btf__name_by_offset(btf, m->name_off);
		uint32_t sub;

		if (mn && *mn) {
			if (strlen(mn) == namelen && !strncmp(mn, name, namelen)) {
				*bits += btf_member_bit_offset(t, i);
				*owner = id;
				return i + 1;
			}
			continue;
		}
		if ((sub = composite_of(btf, m->type))) {
			long inner = 0;
			int k = find_member(btf, sub, name, namelen, &inner, owner, depth + 1);
			if (k) {
				*bits += btf_member_bit_offset(t, i) + inner;
				return k;
			}
		}
	}
	return 0;
}

int vmf_btf_member(const struct vmf_btf *b, const char *type, const char *path,
		   struct vmf_btf_member *m)
{
	const struct btf *btf = b->btf;
	uint32_t id = btf ? composite_of(btf, find_type(btf, type)) : 0;
	long bits = 0;

	m->offset = m->bit_offset = m->size = -1;
	m->bitfield_bits = 0;
	while (id && path && *path) {
		const char *dot = strchr(path, '.');
		size_t len = dot ? (size_t)(dot - path) : strlen(path);
		uint32_t owner = 0;
		const struct btf_type *ot;
		const struct btf_member *bm;
		int k = find_member(btf, id, path, len, &bits, &owner, 0);
		int64_t sz;

		if (!k)
			return -1;
		ot = btf__type_by_id(btf, owner);
		bm = btf_members(ot) + (k - 1);
		if (!dot) {
			m->bit_offset = bits;
			m->bitfield_bits = (int)btf_member_bitfield_size(ot, k - 1);
			m->offset = bits % 8 == 0 ? bits / 8 : -1;
			sz = btf__resolve_size(btf, bm->type);
			m->size = sz >= 0 ? (long)sz : -1;
			return 0;
		}
		id = composite_of(btf, bm->type);
		path = dot + 1;
	}
	return -1;
}

long vmf_btf_offset(const struct vmf_btf *b, const char *type, const char *path)
{
	struct vmf_btf_member m;

	return vmf_btf_member(b, type, path, &m) ? -1 : m.offset;
}

long vmf_btf_size(const struct vmf_btf *b, const char *type)
{
	uint32_t id = b->btf ? find_type(b->btf, type) : 0;
	int64_t sz = id ? btf__resolve_size(b->btf, id) : -1;

	return sz >= 0 ? (long)sz : -1;
}
