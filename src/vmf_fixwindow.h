/*
 * vmf_fixwindow.h - which of the two fixes a kernel release has, by version
 * (upstream and stable releases; a distribution may have backported either).
 */
#ifndef VMF_FIXWINDOW_H
#define VMF_FIXWINDOW_H

#include "vmf_tri.h"

enum vmf_fix_state {
	VMF_FIX_UNKNOWN = 0,       /* no usable version */
	VMF_FIX_NOT_AFFECTED,      /* before v4.1: no huge ioremap */
	VMF_FIX_MISSING,           /* in the window, without f4eafd8bcd52 */
	VMF_FIX_UNCERTAIN,         /* a stable series whose backport release is not verified */
	VMF_FIX_INERT,             /* f4eafd8bcd52 present, CONFIG_HUGETLBFS=n, no 18a955219bf7 */
	VMF_FIX_PRESENT,           /* the fix works on this kernel */
	VMF_FIX_NO_VMALLOC_FAULT,  /* x86-64 >= v5.8: vmalloc_fault is gone */
};

struct vmf_version {
	int ok;
	int major, minor, patch;   /* patch = -1 when not given */
	char release[80];
};
int vmf_parse_release(const char *release, struct vmf_version *v);

struct vmf_fix_window {
	enum vmf_fix_state state;
	enum vmf_tri has_fix1;     /* f4eafd8bcd52 by version */
	enum vmf_tri has_fix2;     /* 18a955219bf7 by version */
	char why[320];             /* the reasoning, citing commits and releases */
};
void vmf_fix_window_eval(const struct vmf_version *v, enum vmf_tri hugetlbfs,
			 struct vmf_fix_window *w);
const char *vmf_fix_state_name(enum vmf_fix_state s);

#endif
