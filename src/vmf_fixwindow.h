/*
 * vmf_fixwindow.h - which fixes a kernel release has, by version and the
 * catalog's release data (upstream and stable releases; a distribution may have
 * backported any).
 */
#ifndef VMF_FIXWINDOW_H
#define VMF_FIXWINDOW_H

#include <stddef.h>
#include "vmf_tri.h"

enum vmf_fix_state {
	VMF_FIX_UNKNOWN = 0,       /* no usable version */
	VMF_FIX_NOT_AFFECTED,      /* before v4.1: no huge ioremap */
	VMF_FIX_MISSING,           /* in the window, without f4eafd8bcd52 */
	VMF_FIX_UNCERTAIN,         /* the release, its series or CONFIG_HUGETLBFS leaves it open */
	VMF_FIX_INERT,             /* f4eafd8bcd52 present, CONFIG_HUGETLBFS=n, no 18a955219bf7 */
	VMF_FIX_PRESENT,           /* the fix works on this kernel */
	VMF_FIX_NO_VMALLOC_FAULT,  /* x86-64 >= v5.8: vmalloc_fault is gone */
};

struct vmf_version {
	int ok;
	int major, minor, patch;   /* patch = -1 when not given or not known */
	int abi;                   /* "4.4.0-21-generic", "6.1.0-57-cloud-amd64": a distribution ABI
				      number stands where the patch level would; patch is -1 */
	int patch_from;            /* the patch level came from the version line ("Debian 6.1.158-1") */
	char release[80];
};
int vmf_parse_release(const char *release, struct vmf_version *v);
/*
 * A distribution ABI release ("6.1.0-56-cloud-amd64") whose version line says
 * the upstream one ("#1 Debian 6.1.158-1"): take the patch level from it.
 */
void vmf_release_from_version_line(struct vmf_version *v, const char *line);

struct vmf_fix_window {
	enum vmf_fix_state state;
	enum vmf_tri has_fix1;     /* f4eafd8bcd52 by version */
	enum vmf_tri has_fix2;     /* 18a955219bf7 by version */
	char why[600];             /* the reasoning, citing commits and releases */
};
void vmf_fix_window_eval(const struct vmf_version *v, enum vmf_tri hugetlbfs,
			 struct vmf_fix_window *w);

struct vmf_fix;
/*
 * Whether release v carries fix f, by version and the catalog's stable data:
 * TRUE, FALSE or UNKNOWN, and one plain sentence in why ("4.4.2 lacks
 * f4eafd8bcd52: fixed in 4.4.3").  A distribution kernel may carry backports
 * at any release: the answer is upstream's.
 */
enum vmf_tri vmf_fix_in_release(const struct vmf_fix *f, const struct vmf_version *v,
				char *why, size_t len);
/* Where fix f is, for a kernel of unknown release: "v4.5; stable 4.4.3, 4.1.19 (inferred)". */
void vmf_fix_releases(const struct vmf_fix *f, char *buf, size_t len);
const char *vmf_fix_state_name(enum vmf_fix_state s);

#endif
