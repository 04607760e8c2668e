/*
 * logline.c - one line of log text, cleaned for matching (vmf_logline.h).
 *
 * Each recogniser below takes one kind of prefix at the start of the line and
 * returns its length (0: not there); vmf_logline_clean() applies them until
 * none matches, so "Nov 29 12:00:01 host kernel: [   12.345678][  T84] " and
 * "> > [Fri Nov 29 12:00:01 2024] " come off alike.  A recogniser never takes
 * "[<ffffffff810664ae>]", the 4.x call trace's address.
 */
#include <ctype.h>
#include <string.h>
#include "vmf_logline.h"

static int starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* "[  12.345678]"; dmesg -e "[  +0.000123]"; dmesg -d "[  12.345678 <    0.000123>]" */
static size_t numeric_stamp(const char *p)
{
	const char *q = p + 1;
	int digits = 0;

	if (*p != '[')
		return 0;
	while (*q == ' ')
		q++;
	if (!isdigit((unsigned char)*q) && *q != '+')
		return 0;
	for (; *q && *q != ']'; q++) {
		if (isdigit((unsigned char)*q))
			digits++;
		else if (!strchr(" .,+<>", *q))
			return 0;
	}
	return *q == ']' && digits ? (size_t)(q + 1 - p) : 0;
}

/* dmesg -T "[Fri Nov 29 12:00:01 2024]", crash's log -T (with the zone), dmesg -e "[Nov29 12:00]" */
static size_t date_stamp(const char *p)
{
	static const char names[] = "MonTueWedThuFriSatSunJanFebMarAprMayJunJulAugSepOctNovDec";
	const char *q = p + 1;
	size_t k;
	int colon = 0;

	if (*p != '[')
		return 0;
	while (*q == ' ')
		q++;
	for (k = 0; k + 3 < sizeof(names); k += 3)
		if (strncmp(q, names + k, 3) == 0)
			break;
	if (k + 3 >= sizeof(names))
		return 0;
	for (; *q && *q != ']' && q - p < 48; q++) {
		if (*q == ':')
			colon = 1;
		else if (!isalnum((unsigned char)*q) && !strchr(" .,+-", *q))
			return 0;
	}
	return *q == ']' && colon ? (size_t)(q + 1 - p) : 0;
}

/* "T84" or "C1" at q: the caller id, VMF_CALLER_CPU marking a CPU; the digits' end in *end */
static long caller_value(const char *q, const char **end)
{
	char kind = *q++;
	long v = 0;
	int n = 0;

	if (kind != 'T' && kind != 'C')
		return -1;
	while (isdigit((unsigned char)*q) && n < 10) {
		v = v * 10 + (*q++ - '0');
		n++;
	}
	if (!n || v > 0x7fffffffL || isdigit((unsigned char)*q))
		return -1;
	*end = q;
	return kind == 'C' ? (VMF_CALLER_CPU | v) : v;
}

/*
 * "[  T84]", "[   C1]": printk's caller id, "[%6s]" of "T<pid>" or "C<cpu>"
 * (CONFIG_PRINTK_CALLER, 15ff2069cb7f, v5.1); crash's log -P and dmesg pad it too.
 */
static size_t caller_id(const char *p, long *caller)
{
	const char *q = p + 1, *end;
	long v;

	if (*p != '[')
		return 0;
	while (*q == ' ')
		q++;
	v = caller_value(q, &end);
	if (v < 0 || *end != ']')
		return 0;
	*caller = v;
	return (size_t)(end + 1 - p);
}

/* dmesg --time-format=iso: "2024-11-29T12:00:01,123456+00:00 " */
static size_t iso_stamp(const char *p)
{
	static const char shape[] = "dddd-dd-ddT";
	size_t k;

	for (k = 0; shape[k]; k++)
		if (shape[k] == 'd' ? !isdigit((unsigned char)p[k]) : p[k] != shape[k])
			return 0;
	while (p[k] && p[k] != ' ')
		k++;
	return k;
}

/*
 * A syslog or journal header with any tag, "Oct 24 10:52:07 host1 microvm@vm1[15894]: ":
 * a VM's serial console kept by the host's journal carries the service's tag, not
 * "kernel".  Month (any script: UTF-8 letters are blanks in the text copy, see
 * copy_line), day, hh:mm:ss[.frac], then host, then "tag: ".  No oops line starts
 * with a day and a time.  After an ISO stamp (journalctl -o short-iso) the tag must
 * carry its pid, "qemu-vm1[77]: ": dmesg --time-format=iso puts the oops' own
 * "Hardware name: " or "invalid opcode: " there.
 */
static size_t syslog_header(const char *p)
{
	const char *q = p;
	size_t n = iso_stamp(p);
	int k;

	if (n) {
		q += n;
	} else {
		while (isalpha((unsigned char)*q) || *q == '.')       /* "Oct", "Okt." */
			q++;
		while (*q == ' ')
			q++;
		for (k = 0; isdigit((unsigned char)*q) && k < 3; k++)   /* the day */
			q++;
		if (!k || k > 2 || *q++ != ' ')
			return 0;
		for (k = 0; k < 8; k++)                                 /* hh:mm:ss */
			if ((k % 3 == 2) ? q[k] != ':' : !isdigit((unsigned char)q[k]))
				return 0;
		q += 8;
		if (*q == '.')
			for (q++; isdigit((unsigned char)*q); q++)
				;
	}
	if (*q++ != ' ' || *q == ' ')
		return 0;
	for (k = 0; k < 2; k++) {                                       /* host, then tag */
		const char *w = q;
		while (*q && *q != ' ' && q - w < 64)
			q++;
		if (q == w || *q != ' ')
			return 0;
		if (k == 1 && (q[-1] != ':' || (n && (q - w < 4 || q[-2] != ']' || !memchr(w, '[', q - w)))))
			return 0;
		q++;
	}
	return (size_t)(q - p);
}

/* The length of the word at p if it is one of list[], else 0. */
static size_t word_in(const char *p, const char *const *list, size_t n)
{
	size_t k, len = 0;

	while (islower((unsigned char)p[len]) || isdigit((unsigned char)p[len]))
		len++;
	for (k = 0; len && k < n; k++)
		if (strlen(list[k]) == len && strncmp(p, list[k], len) == 0)
			return len;
	return 0;
}

/* dmesg -x: "kern  :warn  : " (facility and level, each padded) */
static size_t facility_level(const char *p)
{
	static const char *const fac[] = { "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news",
					   "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2",
					   "local3", "local4", "local5", "local6", "local7" };
	static const char *const lvl[] = { "emerg", "alert", "crit", "err", "warn", "notice", "info", "debug" };
	const char *q = p;
	size_t n;

	if (!(n = word_in(q, fac, sizeof(fac) / sizeof(fac[0]))))
		return 0;
	for (q += n; *q == ' '; q++)
		;
	if (*q++ != ':' || !(n = word_in(q, lvl, sizeof(lvl) / sizeof(lvl[0]))))
		return 0;
	for (q += n; *q == ' '; q++)
		;
	return *q == ':' ? (size_t)(q + 1 - p) : 0;
}

/* /dev/kmsg: "6,1234,5678901,-;" or with the caller, "6,1234,5678901,-,caller=T84;" */
static size_t kmsg_prefix(const char *p, long *caller)
{
	const char *q = p, *c, *end;
	int commas = 0;

	if (!isdigit((unsigned char)*p))
		return 0;
	for (; *q && *q != ';' && q - p < 64; q++) {
		if (*q == ',')
			commas++;
		else if (!isalnum((unsigned char)*q) && *q != '-' && *q != '=')
			return 0;
	}
	if (*q != ';' || commas < 3)
		return 0;
	c = strstr(p, ",caller=");
	if (c && c < q) {
		long v = caller_value(c + 8, &end);
		if (v >= 0 && end == q)
			*caller = v;
	}
	return (size_t)(q + 1 - p);
}

/* One prefix at p: its length, 0 if none. */
static size_t prefix_len(const char *p, long *caller)
{
	const char *q;
	size_t n;

	if (*p == '>')                                  /* mail quoting, any depth */
		return 1;
	if (*p == '<' && isdigit((unsigned char)p[1])) {
		for (q = p + 1; isdigit((unsigned char)*q) && q - p < 4; q++)
			;
		if (*q == '>')
			return (size_t)(q + 1 - p);     /* printk level, syslog priority */
	}
	if ((n = syslog_header(p)) || (n = numeric_stamp(p)) || (n = date_stamp(p)) || (n = caller_id(p, caller)) ||
	    (n = iso_stamp(p)) || (n = facility_level(p)) || (n = kmsg_prefix(p, caller)))
		return n;
	if (starts(p, "kernel: "))
		return 8;
	q = strstr(p, " kernel: ");                     /* syslog / journal: "... host kernel: " */
	if (q && q - p < 64)
		return (size_t)(q - p) + 9;
	return 0;
}

/* Bytes of the valid UTF-8 sequence at s (n bytes left), 0 if none; *cp its code point. */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) || (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;                               /* overlong, surrogate, beyond Unicode */
	*cp = c;
	return len;
}

/* Copy the line's bytes into both copies; stops when they are full. */
static size_t copy_line(const unsigned char *in, size_t len, struct vmf_logline *out)
{
	size_t i = 0, n = 0, k;
	unsigned long cp;

	while (i < len && n + 1 < VMF_LOGLINE_MAX) {
		unsigned char c = in[i];

		if (c == 0) {                           /* zero fill (a log file after a crash) */
			i++;
			continue;
		}
		if (c < 0x80) {
			out->text[n] = out->utf8[n] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
			n++, i++;
			continue;
		}
		k = utf8_seq(in + i, len - i, &cp);
		if (!k) {                               /* not UTF-8: shown as '?' */
			out->text[n] = ' ';
			out->utf8[n++] = '?';
			i++;
			continue;
		}
		if (n + k >= VMF_LOGLINE_MAX)
			break;
		memset(out->text + n, ' ', k);          /* "\xc2\xa0" in a mailed oops: a space */
		if (cp < 0xa0)
			memset(out->utf8 + n, ' ', k);  /* C1 control characters */
		else
			memcpy(out->utf8 + n, in + i, k);
		n += k, i += k;
	}
	out->text[n] = out->utf8[n] = 0;
	return n;
}

void vmf_logline_clean(const char *in, size_t len, struct vmf_logline *out)
{
	size_t n = copy_line((const unsigned char *)in, len, out), off = 0, k;

	out->caller = -1;
	for (;;) {
		while (out->text[off] == ' ')
			off++;
		k = prefix_len(out->text + off, &out->caller);
		if (!k)
			break;
		off += k;
	}
	n -= off;
	memmove(out->text, out->text + off, n + 1);
	memmove(out->utf8, out->utf8 + off, n + 1);
	while (n && out->text[n - 1] == ' ')
		n--;
	out->text[n] = out->utf8[n] = 0;
	out->len = n;
}
