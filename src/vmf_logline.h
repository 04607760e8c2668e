/*
 * vmf_logline.h - one line of console or log text with its prefixes taken off.
 *
 * What comes before a kernel message depends on who saved it: mail quoting
 * ("> > "), syslog and journal prefixes ("Nov 29 12:00:01 host kernel: "),
 * printk levels ("<4>"), /dev/kmsg records ("4,1234,5678901,-;"), dmesg -x
 * ("kern  :warn  : "), timestamps ("[  12.345678]", dmesg -T "[Fri Nov 29
 * 12:00:01 2024]", -e "[  +0.000123]", -d "[  12.3 <    0.000123>]",
 * --time-format=iso) and printk caller ids ("[  T84]", "[   C1]").  All of them,
 * in any order and combination, are removed; the caller id is kept aside
 * because it tells whose line it is.
 */
#ifndef VMF_LOGLINE_H
#define VMF_LOGLINE_H

#include <stddef.h>

#define VMF_LOGLINE_MAX 512         /* longer lines are cut: a kernel message line is < 1024 */
#define VMF_CALLER_CPU  0x80000000L /* caller ids of non-task context: the kernel's own encoding */

struct vmf_logline {
	/*
	 * Two copies of the same bytes, of equal length: text has printable ASCII
	 * only (any other byte a space), for matching; utf8 keeps valid UTF-8
	 * sequences (invalid bytes are '?', control characters spaces), for names
	 * shown to the user, such as the command.  NUL bytes are dropped from both.
	 */
	char text[VMF_LOGLINE_MAX];
	char utf8[VMF_LOGLINE_MAX];
	size_t len;
	long caller;                /* "[T84]": 84; "[C1]": VMF_CALLER_CPU | 1; -1: none */
};

/* Clean the len bytes at in (one line, without its '\n') into out. */
void vmf_logline_clean(const char *in, size_t len, struct vmf_logline *out);

#endif
