/*
 * vmf_vmcoreinfo.c - lookups in a VMCOREINFO text (formats in vmf_vmcoreinfo.h).
 */
#include "vmf_vmcoreinfo.h"

#include <stdio.h>
#include <string.h>

const char *vmf_vi_find(const struct vmf_vmcoreinfo *vi, const char *key, size_t *vlen)
{
	size_t kl = strlen(key), i = 0;

	if (!vi || !vi->text)
		return NULL;
	while (i < vi->len) {
		const char *line = vi->text + i;
		const char *nl = memchr(line, '\n', vi->len - i);
		size_t ll = nl ? (size_t)(nl - line) : vi->len - i;

		if (ll > kl && line[kl] == '=' && memcmp(line, key, kl) == 0) {
			*vlen = ll - kl - 1;
			return line + kl + 1;
		}
		i += ll + 1;
	}
	return NULL;
}

enum vmf_vi_status vmf_vi_string(const struct vmf_vmcoreinfo *vi, const char *key,
				 char *out, size_t outlen)
{
	size_t n;
	const char *v = vmf_vi_find(vi, key, &n);

	if (!v)
		return VMF_VI_NOKEY;
	if (outlen == 0)
		return VMF_VI_OK;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, v, n);
	out[n] = 0;
	return VMF_VI_OK;
}

/* The whole of v[0..n) as an unsigned number in base 10 or 16; -1 if it is not one. */
static int parse_unsigned(const char *v, size_t n, unsigned base, uint64_t *val)
{
	uint64_t x = 0;
	size_t i;

	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d;
		char c = v[i];

		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		if (x > (UINT64_MAX - d) / base)
			return -1;
		x = x * base + d;
	}
	*val = x;
	return 0;
}

static enum vmf_vi_status lookup(const struct vmf_vmcoreinfo *vi, const char *prefix,
				 const char *name, unsigned base, uint64_t *val)
{
	char key[160];
	const char *v;
	size_t n;

	if (snprintf(key, sizeof(key), prefix ? "%s(%s)" : "%s%s", prefix ? prefix : "", name) >=
	    (int)sizeof(key))
		return VMF_VI_NOKEY;
	v = vmf_vi_find(vi, key, &n);
	if (!v)
		return VMF_VI_NOKEY;
	return parse_unsigned(v, n, base, val) ? VMF_VI_BADVALUE : VMF_VI_OK;
}

enum vmf_vi_status vmf_vi_symbol(const struct vmf_vmcoreinfo *vi, const char *name, uint64_t *val)
{
	return lookup(vi, "SYMBOL", name, 16, val);
}

enum vmf_vi_status vmf_vi_number(const struct vmf_vmcoreinfo *vi, const char *name, int64_t *val)
{
	char key[160];
	const char *v;
	size_t n;
	uint64_t u;
	int neg;

	if (snprintf(key, sizeof(key), "NUMBER(%s)", name) >= (int)sizeof(key))
		return VMF_VI_NOKEY;
	v = vmf_vi_find(vi, key, &n);
	if (!v)
		return VMF_VI_NOKEY;
	neg = n > 0 && v[0] == '-';
	if (parse_unsigned(v + neg, n - (size_t)neg, 10, &u) || u > (uint64_t)INT64_MAX + (uint64_t)neg)
		return VMF_VI_BADVALUE;
	*val = neg ? (int64_t)(0 - u) : (int64_t)u;
	return VMF_VI_OK;
}

enum vmf_vi_status vmf_vi_offset(const struct vmf_vmcoreinfo *vi, const char *type_member, uint64_t *val)
{
	return lookup(vi, "OFFSET", type_member, 10, val);
}

enum vmf_vi_status vmf_vi_size(const struct vmf_vmcoreinfo *vi, const char *type, uint64_t *val)
{
	return lookup(vi, "SIZE", type, 10, val);
}

enum vmf_vi_status vmf_vi_length(const struct vmf_vmcoreinfo *vi, const char *name, uint64_t *val)
{
	return lookup(vi, "LENGTH", name, 10, val);
}

enum vmf_vi_status vmf_vi_hex(const struct vmf_vmcoreinfo *vi, const char *key, uint64_t *val)
{
	return lookup(vi, NULL, key, 16, val);
}

enum vmf_vi_status vmf_vi_udec(const struct vmf_vmcoreinfo *vi, const char *key, uint64_t *val)
{
	return lookup(vi, NULL, key, 10, val);
}
