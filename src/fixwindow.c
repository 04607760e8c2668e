/*
 * fixwindow.c - which of the two fixes a kernel release has, by version.
 *
 * Mainline: huge ioremap v4.1 (0ddab1d2ed66); f4eafd8bcd52 v4.5; 18a955219bf7
 * v4.16; vmalloc_fault gone on x86-64 from v5.8 (7f0a002b5a21).  Stable
 * backports whose exact release is unverified give UNCERTAIN, never a guess.
 * A distribution may have backported either fix: the window is upstream's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_fixwindow.h"

int vmf_parse_release(const char *release, struct vmf_version *v)
{
	const char *s = release;
	char *end;
	long major, minor, patch = -1;

	memset(v, 0, sizeof(*v));
	v->patch = -1;
	if (!release)
		return -1;
	snprintf(v->release, sizeof(v->release), "%s", release);
	while (*s && !isdigit((unsigned char)*s))
		s++;
	if (!*s)
		return -1;
	major = strtol(s, &end, 10);
	if (*end != '.' || !isdigit((unsigned char)end[1]))
		return -1;
	minor = strtol(end + 1, &end, 10);
	if (*end == '.' && isdigit((unsigned char)end[1]))
		patch = strtol(end + 1, &end, 10);
	/* range-check before narrowing: "4.4294967295" must not become 4.-1 */
	v->ok = major >= 2 && major < 100 && minor < 1000 && patch < 100000;
	if (!v->ok)
		return -1;
	v->major = (int)major;
	v->minor = (int)minor;
	v->patch = (int)patch;
	return 0;
}

static const char *const state_names[] = {
	"unknown", "not affected", "fix missing", "uncertain", "fix inert", "fixed", "no vmalloc_fault",
};

const char *vmf_fix_state_name(enum vmf_fix_state s)
{
	return (unsigned)s < sizeof(state_names) / sizeof(state_names[0]) ? state_names[s] : "?";
}

static int ver_lt(const struct vmf_version *v, int major, int minor)
{
	return v->major < major || (v->major == major && v->minor < minor);
}

void vmf_fix_window_eval(const struct vmf_version *v, enum vmf_tri hugetlbfs,
			 struct vmf_fix_window *w)
{
	const char *distro = " (upstream and stable releases; a distribution kernel may carry backports)";

	memset(w, 0, sizeof(*w));
	if (!v->ok) {
		w->state = VMF_FIX_UNKNOWN;
		snprintf(w->why, sizeof(w->why), "no kernel version to place in the fix window");
		return;
	}
	if (ver_lt(v, 4, 1)) {
		w->state = VMF_FIX_NOT_AFFECTED;
		w->has_fix1 = w->has_fix2 = VMF_FALSE;
		snprintf(w->why, sizeof(w->why),
			 "%d.%d predates huge ioremap (v4.1, 0ddab1d2ed66): vmalloc_fault never meets a large leaf",
			 v->major, v->minor);
		return;
	}
	if (!ver_lt(v, 5, 8)) {
		w->state = VMF_FIX_NO_VMALLOC_FAULT;
		w->has_fix1 = w->has_fix2 = VMF_TRUE;
		snprintf(w->why, sizeof(w->why),
			 "%d.%d: x86-64 has no vmalloc_fault since v5.8 (7f0a002b5a21); both fixes predate it",
			 v->major, v->minor);
		return;
	}
	/* fix 1: f4eafd8bcd52 */
	if (!ver_lt(v, 4, 5))
		w->has_fix1 = VMF_TRUE;
	else if (v->major == 4 && v->minor == 4 && v->patch >= 123)
		w->has_fix1 = VMF_TRUE;
	else if ((v->major == 4 && v->minor == 4) || (v->major == 4 && v->minor == 1))
		w->has_fix1 = v->patch == 0 ? VMF_FALSE : VMF_UNKNOWN;   /* backport release unverified */
	else
		w->has_fix1 = VMF_FALSE;                                  /* 4.2, 4.3: no stable fix */
	/* fix 2: 18a955219bf7 */
	if (!ver_lt(v, 4, 16) || (v->major == 4 && v->minor == 4 && v->patch >= 123))
		w->has_fix2 = VMF_TRUE;
	else if (v->major == 4 && (v->minor == 9 || v->minor == 14 || v->minor == 15) && v->patch > 0)
		w->has_fix2 = VMF_UNKNOWN;
	else
		w->has_fix2 = VMF_FALSE;

	if (w->has_fix1 == VMF_FALSE) {
		w->state = VMF_FIX_MISSING;
		snprintf(w->why, sizeof(w->why), "%s is in the window v4.1..v4.4 without f4eafd8bcd52 (v4.5)%s",
			 v->release, distro);
	} else if (w->has_fix1 == VMF_UNKNOWN) {
		w->state = VMF_FIX_UNCERTAIN;
		snprintf(w->why, sizeof(w->why),
			 "%s: f4eafd8bcd52 reached %d.%d.y stable in a release not verified here (certain from 4.4.123)%s",
			 v->release, v->major, v->minor, distro);
	} else if (w->has_fix2 == VMF_TRUE || hugetlbfs == VMF_TRUE) {
		w->state = VMF_FIX_PRESENT;
		snprintf(w->why, sizeof(w->why), "%s has f4eafd8bcd52%s%s", v->release,
			 w->has_fix2 == VMF_TRUE ? " and 18a955219bf7" : ", and CONFIG_HUGETLBFS=y makes it effective",
			 distro);
	} else if (hugetlbfs == VMF_FALSE && w->has_fix2 == VMF_FALSE) {
		w->state = VMF_FIX_INERT;
		snprintf(w->why, sizeof(w->why),
			 "%s has f4eafd8bcd52, but with CONFIG_HUGETLBFS=n its pXd_huge() checks are always 0 and "
			 "18a955219bf7 (v4.16) is missing%s", v->release, distro);
	} else {
		w->state = VMF_FIX_UNCERTAIN;
		snprintf(w->why, sizeof(w->why),
			 "%s has f4eafd8bcd52; whether it works depends on CONFIG_HUGETLBFS (%s) and on 18a955219bf7 "
			 "(stable release unverified)%s", v->release,
			 hugetlbfs == VMF_FALSE ? "n" : "unknown", distro);
	}
}
