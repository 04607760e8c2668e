/*
 * fixwindow.c - which fixes a kernel release has, by version.
 *
 * The releases are catalog data (vmf_fixes[]: mainline release, and per stable
 * series the first release with the fix, each with its source); this file only
 * places a release among them.  Huge ioremap arrived in v4.1 (0ddab1d2ed66;
 * "Since v4.1, ioremap() supports large page (pud/pmd) mappings", f4eafd8bcd52's
 * message); x86-64 has no vmalloc_fault from v5.8 (7f0a002b5a21).  A stable
 * series the catalog did not check gives UNKNOWN, never a guess.  A
 * distribution may have backported any fix: the window is upstream's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_catalog.h"
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
	/*
	 * Debian, Ubuntu and RHEL keep ".0" and put their ABI number after it
	 * ("4.4.0-21-generic" is Ubuntu's 4.4.6-based kernel): the patch level is
	 * not known from the release alone.
	 */
	if (patch == 0 && end[0] == '-' && isdigit((unsigned char)end[1])) {
		v->abi = 1;
		v->patch = -1;
	}
	return 0;
}

void vmf_release_from_version_line(struct vmf_version *v, const char *line)
{
	char want[24];
	const char *p;
	long patch;

	if (!v->ok || !v->abi || !line)
		return;
	snprintf(want, sizeof(want), "Debian %d.%d.", v->major, v->minor);
	p = strstr(line, want);
	if (!p || !isdigit((unsigned char)p[strlen(want)]))
		return;
	patch = strtol(p + strlen(want), NULL, 10);
	if (patch < 0 || patch >= 100000)
		return;
	v->patch = (int)patch;
	v->patch_from = 1;
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

static const struct vmf_backport *backport_of(const struct vmf_fix *f, const struct vmf_version *v)
{
	int i;

	for (i = 0; i < f->nstable; i++)
		if (f->stable[i].major == v->major && f->stable[i].minor == v->minor)
			return &f->stable[i];
	return NULL;
}

/* " (release inferred)": the basis of a stable claim, said only when it is not verified */
static const char *basis_note(enum vmf_basis b)
{
	return b == VMF_INFERRED ? " (release inferred)" : b == VMF_UNVERIFIED ? " (unverified)" : "";
}

enum vmf_tri vmf_fix_in_release(const struct vmf_fix *f, const struct vmf_version *v, char *why, size_t len)
{
	const struct vmf_backport *b;
	char where[200];

	if (!v->ok) {
		vmf_fix_releases(f, where, sizeof(where));
		snprintf(why, len, "release unknown: %.12s is in %s", f->commit, where);
		return VMF_UNKNOWN;
	}
	if (!ver_lt(v, f->major, f->minor)) {
		snprintf(why, len, "%s has %.12s (mainline %s)", v->release, f->commit, f->version);
		return VMF_TRUE;
	}
	b = backport_of(f, v);
	if (!b) {
		snprintf(why, len, "%s lacks %.12s (mainline %s; no %d.%d.y stable release with it is known)",
			 v->release, f->commit, f->version, v->major, v->minor);
		return VMF_FALSE;
	}
	if (b->first == VMF_NOT_CHECKED) {
		snprintf(why, len, "%s: whether %d.%d.y got %.12s was not checked (mainline %s)", v->release,
			 v->major, v->minor, f->commit, f->version);
		return VMF_UNKNOWN;
	}
	if (b->first == VMF_NEVER) {
		snprintf(why, len, "%s lacks %.12s: %d.%d.y never got it%s (mainline %s)", v->release, f->commit,
			 v->major, v->minor, basis_note(b->basis), f->version);
		return VMF_FALSE;
	}
	if (v->patch < 0) {
		snprintf(why, len, "%s: %.12s is in %d.%d.%d%s; the release's patch level is not known%s",
			 v->release, f->commit, v->major, v->minor, b->first, basis_note(b->basis),
			 v->abi ? " (a distribution ABI number stands in its place)" : "");
		return VMF_UNKNOWN;
	}
	if (v->patch >= b->first) {
		snprintf(why, len, "%s has %.12s (%d.%d.%d%s)", v->release, f->commit, v->major, v->minor,
			 b->first, basis_note(b->basis));
		return VMF_TRUE;
	}
	snprintf(why, len, "%s lacks %.12s: fixed in %d.%d.%d%s", v->release, f->commit, v->major, v->minor,
		 b->first, basis_note(b->basis));
	return VMF_FALSE;
}

void vmf_fix_releases(const struct vmf_fix *f, char *buf, size_t len)
{
	size_t used;
	int i, n = 0;

	used = (size_t)snprintf(buf, len, "%s", f->version);
	for (i = 0; i < f->nstable && used < len; i++) {
		const struct vmf_backport *b = &f->stable[i];
		if (b->first < 0)
			continue;
		used += (size_t)snprintf(buf + used, len - used, "%s%d.%d.%d%s", n++ ? ", " : "; stable ",
					 b->major, b->minor, b->first, b->basis == VMF_VERIFIED ? "" : " (inferred)");
	}
}

static const char distro[] = " (upstream and stable releases; a distribution kernel may carry backports)";

/* The window of the large-leaf signatures once both fixes are placed. */
static void window_state(enum vmf_tri hugetlbfs, const char *why1,
			 const char *why2, struct vmf_fix_window *w)
{
	if (w->has_fix1 == VMF_FALSE) {
		w->state = VMF_FIX_MISSING;
		snprintf(w->why, sizeof(w->why), "%s%s", why1, distro);
	} else if (w->has_fix1 == VMF_UNKNOWN) {
		w->state = VMF_FIX_UNCERTAIN;
		snprintf(w->why, sizeof(w->why), "%s%s", why1, distro);
	} else if (w->has_fix2 == VMF_TRUE) {
		w->state = VMF_FIX_PRESENT;
		snprintf(w->why, sizeof(w->why), "%s; %s%s", why1, why2, distro);
	} else if (hugetlbfs == VMF_TRUE) {
		w->state = VMF_FIX_PRESENT;
		snprintf(w->why, sizeof(w->why), "%s, and CONFIG_HUGETLBFS=y makes it effective%s", why1, distro);
	} else if (hugetlbfs == VMF_FALSE && w->has_fix2 == VMF_FALSE) {
		w->state = VMF_FIX_INERT;
		snprintf(w->why, sizeof(w->why), "%s, but with CONFIG_HUGETLBFS=n its pXd_huge() checks are "
			 "always 0, and %s%s", why1, why2, distro);
	} else {
		w->state = VMF_FIX_UNCERTAIN;
		snprintf(w->why, sizeof(w->why), "%s; whether it works depends on CONFIG_HUGETLBFS (%s) and %s%s",
			 why1, hugetlbfs == VMF_FALSE ? "n" : "unknown", why2, distro);
	}
}

void vmf_fix_window_eval(const struct vmf_version *v, enum vmf_tri hugetlbfs, struct vmf_fix_window *w)
{
	const struct vmf_fix *fix1 = vmf_fix_by_commit("f4eafd8bcd52"), *fix2 = vmf_fix_by_commit("18a955219bf7");
	char why1[200], why2[200];

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
	w->has_fix1 = vmf_fix_in_release(fix1, v, why1, sizeof(why1));
	w->has_fix2 = vmf_fix_in_release(fix2, v, why2, sizeof(why2));
	window_state(hugetlbfs, why1, why2, w);
}
