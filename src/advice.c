/*
 * advice.c - what to do about a verdict: the recommendation (one clear sentence
 * first, then the reasoning) and the short fix a table prints.
 *
 * Each fix of the signature is placed against this kernel's release with the
 * catalog's release data (vmf_fix_in_release).  A kernel that already carries
 * every fix is told so first, then what the evidence points to instead; a
 * kernel of unknown release is told which releases need which fix.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "vmf_diag.h"
#include "vmf_fixwindow.h"

struct text {
	char *buf;
	size_t len, used;
};

static void add(struct text *t, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (t->used >= t->len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(t->buf + t->used, t->len - t->used, fmt, ap);
	va_end(ap);
	t->used = n < 0 ? t->len : t->used + (size_t)n;
}

static const char *release_of(const struct vmf_report *r)
{
	return r->ev.kernel.version.release[0] ? r->ev.kernel.version.release : "this kernel";
}

static int is_large(const struct vmf_signature *s)
{
	return strncmp(s->id, "VMF-LARGE-", 10) == 0;
}

/* the module whose vmalloc_fault faulted, on a kernel that has none of its own */
static const char *faulting_module(const struct vmf_report *r)
{
	const struct vmf_kernel_facts *k = &r->ev.kernel;

	if (r->ev.window.state != VMF_FIX_NO_VMALLOC_FAULT)
		return NULL;
	if (k->has_vmalloc_fault == VMF_TRUE && strncmp(k->vmalloc_fault_where, "module ", 7) == 0)
		return k->vmalloc_fault_where + 7;
	return r->ev.oops.rip_module[0] ? r->ev.oops.rip_module : NULL;
}

static void large_module(struct vmf_report *r, struct text *t, const char *mod)
{
	const struct vmf_kernel_facts *k = &r->ev.kernel;

	add(t, "Give the vmalloc_fault of module %s the large-page checks of f4eafd8bcd52, written with "
	    "pud_large()/pmd_large() as in 18a955219bf7: this kernel (%s) has no vmalloc_fault of its own "
	    "(x86-64 since v5.8, 7f0a002b5a21), so the one that faulted is the module's, %s.", mod,
	    release_of(r), k->code_large_check == VMF_FALSE ? "whose code has no PSE test" :
	    k->code_large_check == VMF_TRUE ? "whose code tests PSE somewhere" :
	    "and its disassembly does not tell whether it checks for large pages");
}

static void large_unknown_release(struct text *t, const struct vmf_fix *f1, const struct vmf_fix *f2)
{
	char w1[200], w2[200];

	vmf_fix_releases(f1, w1, sizeof(w1));
	vmf_fix_releases(f2, w2, sizeof(w2));
	add(t, "Apply %s \"%s\" where the kernel lacks it, and with CONFIG_HUGETLBFS=n or unknown also %s "
	    "\"%s\": the kernel release is unknown. The first is in %s; the second in %s; x86-64 kernels from "
	    "v4.1 before those releases lack them.", f1->commit, f1->title, f2->commit, f2->title, w1, w2);
}

/* The large-leaf signatures: f4eafd8bcd52, and 18a955219bf7 where CONFIG_HUGETLBFS=n or unknown. */
static void recommend_large(struct vmf_report *r, struct text *t)
{
	const struct vmf_fix *f1 = vmf_fix_by_commit("f4eafd8bcd52"), *f2 = vmf_fix_by_commit("18a955219bf7");
	const struct vmf_kernel_facts *k = &r->ev.kernel;
	const struct vmf_fix_window *w = &r->ev.window;
	const char *mod = faulting_module(r);
	char why1[200], why2[200];
	int need2 = k->hugetlbfs != VMF_TRUE;

	if (mod) {
		large_module(r, t, mod);
		return;
	}
	if (!k->version.ok) {
		large_unknown_release(t, f1, f2);
		return;
	}
	vmf_fix_in_release(f1, &k->version, why1, sizeof(why1));
	vmf_fix_in_release(f2, &k->version, why2, sizeof(why2));
	if (w->has_fix1 == VMF_FALSE)
		add(t, "Apply %s \"%s\" (%s): %s.", f1->commit, f1->title, f1->version, why1);
	else if (w->has_fix1 == VMF_UNKNOWN)
		add(t, "Check whether %s carries %s \"%s\": %s.", release_of(r), f1->commit, f1->title, why1);
	else if (w->has_fix2 != VMF_TRUE && need2)
		add(t, "%s has f4eafd8bcd52 by version, yet the oops happened: with CONFIG_HUGETLBFS=n its checks "
		    "are inert; apply %s \"%s\" (%s): %s.", release_of(r), f2->commit, f2->title, f2->version, why2);
	else
		add(t, "%s has every fix by version (%s; %s), yet the oops happened: the running code lacks the "
		    "large-page checks (a distribution kernel without the backport?); boot with nohugeiomap until "
		    "it has them. See the notes on the code of vmalloc_fault.", release_of(r), why1,
		    w->has_fix2 == VMF_TRUE ? why2 : "CONFIG_HUGETLBFS=y makes the first effective");
	if (w->has_fix1 != VMF_TRUE && w->has_fix2 != VMF_TRUE && need2)
		add(t, " With CONFIG_HUGETLBFS=n or unknown also %s \"%s\" (%s): %s.", f2->commit, f2->title,
		    f2->version, why2);
	add(t, " This kernel (%s): %s: %s", release_of(r), vmf_fix_state_name(w->state), w->why);
}

/* The oops' "Tainted: G           OE" flags (kernel/panic.c print_tainted()) hold flag. */
static int tainted(const struct vmf_oops *o, char flag)
{
	const char *p = strstr(o->cpu_line.text, "Tainted: ");

	if (!p)
		return 0;
	for (p += 9; *p && !isdigit((unsigned char)*p); p++)
		if (*p == flag)
			return 1;
	return 0;
}

/* "mainline v5.8" or "6.1.151": what a "has" sentence of vmf_fix_in_release() holds in parentheses */
static void where_has(const char *why, char *buf, size_t len)
{
	const char *p = strchr(why, '(');
	size_t n;

	if (!p) {
		snprintf(buf, len, "?");
		return;
	}
	n = strlen(p + 1);
	n -= n && p[n] == ')';
	snprintf(buf, len, "%.*s", (int)n, p + 1);
}

/* What in the dump points away from the old race: a module at work, the slot tallies. */
static void stale_evidence(const struct vmf_report *r, struct text *t)
{
	const struct vmf_evidence *e = &r->ev;
	const char *mod = e->oops.rip_module[0] ? e->oops.rip_module : NULL;
	int said = 0;

	add(t, " In this %s:", r->text_only ? "log" : "dump");
	if (mod)
		add(t, "%s the faulting code is in module %s", said++ ? ";" : "", mod);
	if (e->kernel.has_vmalloc_fault == VMF_TRUE && strncmp(e->kernel.vmalloc_fault_where, "module ", 7) == 0)
		add(t, "%s %s defines its own vmalloc_fault, so it handles page tables", said++ ? ";" : "",
		    e->kernel.vmalloc_fault_where);
	if (tainted(&e->oops, 'O'))
		add(t, "%s the kernel is tainted O (an out-of-tree module is loaded)", said++ ? ";" : "");
	if (e->have_slot && e->slot.mms_total)
		add(t, "%s %lu of %lu mms lack the slot and %lu hold a different entry%s", said++ ? ";" : "",
		    e->slot.mms_lacking, e->slot.mms_total, e->slot.mms_differ,
		    e->slot.mms_differ ? " (overwritten entries: corruption or a stray write)" :
		    " (entries removed or never copied, none overwritten)");
	add(t, "%s.", said ? "" : " nothing names the module or the corruption");
}

/* The relatives: every fix placed; all present means it is not the bug they fixed. */
static void recommend_relative(struct vmf_report *r, struct text *t)
{
	const struct vmf_signature *s = r->sig;
	const struct vmf_version *v = &r->ev.kernel.version;
	enum vmf_tri has[VMF_SIG_MAX_FIXES];
	char why[VMF_SIG_MAX_FIXES][200];
	int i, missing = 0, unknown = 0, n;

	for (i = 0; i < s->nfix; i++) {
		has[i] = vmf_fix_in_release(s->fix[i], v, why[i], sizeof(why[i]));
		missing += !s->fix[i]->context && has[i] == VMF_FALSE;
		unknown += !s->fix[i]->context && has[i] == VMF_UNKNOWN;
	}
	if (!v->ok) {
		add(t, "The kernel release is unknown:");
		for (i = 0, n = 0; i < s->nfix; i++)
			if (!s->fix[i]->context)
				add(t, "%s %s", n++ ? ";" : "", why[i] + strlen("release unknown: "));
		add(t, "; a kernel before those releases lacks it.");
	} else if (missing || unknown) {
		add(t, "%s", missing ? "Apply" : "Check whether this kernel carries");
		for (i = 0, n = 0; i < s->nfix; i++)
			if (!s->fix[i]->context && has[i] != VMF_TRUE)
				add(t, "%s %s \"%s\"", n++ ? " and" : "", s->fix[i]->commit, s->fix[i]->title);
		add(t, ":");
		for (i = 0, n = 0; i < s->nfix; i++)
			if (!s->fix[i]->context && has[i] != VMF_TRUE)
				add(t, "%s %s", n++ ? ";" : "", why[i]);
		add(t, ".");
	} else {
		char where[120];

		add(t, "%s has all of these:", release_of(r));
		for (i = 0, n = 0; i < s->nfix; i++) {
			if (has[i] != VMF_TRUE)
				continue;          /* a later change of the history, not a fix */
			where_has(why[i], where, sizeof(where));
			add(t, "%s %s (%s)", n++ ? "," : "", s->fix[i]->commit, where);
		}
		add(t, ". It is not the bug they fixed:");
		if (strcmp(s->id, "VMF-STALE-VMALLOC") == 0)
			add(t, " on x86-64 from v5.9 the vmalloc/ioremap top level is preallocated at boot "
			    "(6eb82f994026) and copied into every process at fork, so a process lacking a slot "
			    "init_mm has means something removed the entry or never copied it: an out-of-tree "
			    "module writing page tables, or memory corruption.");
		else if (strcmp(s->id, "VMF-STALE-VMEMMAP") == 0)
			add(t, " this kernel syncs new vmemmap top-level entries into every process "
			    "(arch_sync_kernel_mappings), so a missing one means something removed it or never "
			    "copied it: an out-of-tree module writing page tables, or memory corruption.");
		else
			add(t, " see the notes.");
		if (strncmp(s->id, "VMF-STALE-", 10) == 0)
			stale_evidence(r, t);
	}
}

void vmf_recommend(struct vmf_report *r)
{
	struct text t = { r->recommendation, sizeof(r->recommendation), 0 };

	r->recommendation[0] = 0;
	if (!r->sig || (r->verdict != VMF_V_MATCH && r->verdict != VMF_V_RELATED))
		return;
	if (is_large(r->sig))
		recommend_large(r, &t);
	else
		recommend_relative(r, &t);
}

/* The first stable release of v's series with fix f, or -1. */
static int stable_first(const struct vmf_fix *f, const struct vmf_version *v)
{
	int i;

	for (i = 0; i < f->nstable; i++)
		if (f->stable[i].major == v->major && f->stable[i].minor == v->minor)
			return f->stable[i].first;
	return -1;
}

/*
 * The fixes a kernel lacks, as the short fix: "upgrade to >= 4.4.123" when its
 * stable series has a release with all of them, else the commits joined by '+'.
 */
static void short_missing(const struct vmf_version *v, const struct vmf_fix *const *need, int n,
			  char *fix, size_t len)
{
	int i, upto = 0, used = 0;

	for (i = 0; i < n; i++) {
		int first = stable_first(need[i], v);
		if (first < 0) {
			upto = -1;
			break;
		}
		upto = first > upto ? first : upto;
	}
	if (upto > 0 && v->patch >= 0) {
		snprintf(fix, len, "upgrade to >= %d.%d.%d", v->major, v->minor, upto);
		return;
	}
	fix[0] = 0;
	for (i = 0; i < n && used >= 0 && (size_t)used < len; i++)
		used += snprintf(fix + used, len - (size_t)used, "%s%s", i ? "+" : "", need[i]->commit);
}

static void short_large(const struct vmf_report *r, char *fix, size_t fixlen, char *reason, size_t rlen)
{
	const struct vmf_fix *need[2];
	const struct vmf_fix_window *w = &r->ev.window;
	const struct vmf_version *v = &r->ev.kernel.version;
	const char *mod = faulting_module(r);
	int n = 0;

	if (mod) {
		snprintf(fix, fixlen, "fix module %s", mod);
		snprintf(reason, rlen, "no vmalloc_fault in the kernel since v5.8; the module's lacks the large-page check");
		return;
	}
	if (w->has_fix1 != VMF_TRUE)
		need[n++] = vmf_fix_by_commit("f4eafd8bcd52");
	if (w->has_fix2 != VMF_TRUE && r->ev.kernel.hugetlbfs != VMF_TRUE)
		need[n++] = vmf_fix_by_commit("18a955219bf7");
	if (!n) {
		snprintf(fix, fixlen, "nohugeiomap");
		snprintf(reason, rlen, "%s has every fix by version, yet the oops happened: see notes", v->release);
		return;
	}
	if (!v->ok) {
		snprintf(fix, fixlen, "%s", need[0]->commit);
		snprintf(reason, rlen, "kernel release unknown: see the recommendation for which releases have it");
		return;
	}
	short_missing(v, need, n, fix, fixlen);
	snprintf(reason, rlen, "%s", w->why);
}

void vmf_short_fix(const struct vmf_report *r, char *fix, size_t fixlen, char *reason, size_t rlen)
{
	const struct vmf_signature *s = r->sig;
	const struct vmf_fix *need[VMF_SIG_MAX_FIXES];
	const struct vmf_version *v = &r->ev.kernel.version;
	char why[200] = "";
	int i, n = 0;

	snprintf(fix, fixlen, "-");
	reason[0] = 0;
	if (!s || (r->verdict != VMF_V_MATCH && r->verdict != VMF_V_RELATED)) {
		snprintf(reason, rlen, "%s", r->verdict == VMF_V_INCONCLUSIVE ? r->missing : "nothing matched");
		return;
	}
	if (is_large(s)) {
		short_large(r, fix, fixlen, reason, rlen);
		return;
	}
	for (i = 0; i < s->nfix; i++) {
		char w[200];
		if (s->fix[i]->context || vmf_fix_in_release(s->fix[i], v, w, sizeof(w)) == VMF_TRUE)
			continue;
		if (!n)
			snprintf(why, sizeof(why), "%s", w);
		need[n++] = s->fix[i];
	}
	if (!n) {
		snprintf(fix, fixlen, "has every fix: see notes");
		snprintf(reason, rlen, "%s has %s's fixes: not the bug they fixed", v->release, s->id);
	} else if (!v->ok) {
		snprintf(fix, fixlen, "%s", need[0]->commit);
		snprintf(reason, rlen, "kernel release unknown: %s", why);
	} else {
		short_missing(v, need, n, fix, fixlen);
		snprintf(reason, rlen, "%s", why);
	}
}
