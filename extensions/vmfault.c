/*
 * vmfault.c - the crash(8) commands vmfault, ptwalk and ptaudit.  Each is a
 * short function over one prologue (options, the x86_64 check, the kernel
 * view); the engine (../src) decides everything, vmfault_crash.c supplies the
 * data, and this file only hands the engine its inputs and prints.
 *
 * One error style: error(FATAL, "...\n") with a single line, before anything is
 * allocated outside crash's GETBUF (crash reclaims those when it unwinds).
 */
#include "defs.h"

#include <stdint.h>
#include <time.h>
#include "vmf_diagnose.h"
#include "vmf_kview.h"
#include "vmf_writers.h"
#include "vmfault_crash.h"

#define VMF_DEVIATIONS_LISTED 65536  /* ptaudit -v lines kept: beyond, only counted */

void vmfault_init(void);
void vmfault_fini(void);
static void cmd_vmfault_timed(void);
static void cmd_ptwalk_timed(void);
static void cmd_ptaudit_timed(void);

static char *help_vmfault[];
static char *help_ptwalk[];
static char *help_ptaudit[];

static struct command_table_entry command_table[] = {
	{ "vmfault", cmd_vmfault_timed, help_vmfault, 0 },
	{ "ptwalk", cmd_ptwalk_timed, help_ptwalk, 0 },
	{ "ptaudit", cmd_ptaudit_timed, help_ptaudit, 0 },
	{ NULL }
};

/* ---- the prologue every command shares ------------------------------------------- */

struct opts {
	int json, verbose, have_addr;
	char *task_arg;
	uint64_t addr;
	char *arg;                 /* the positional argument, for ptwalk */
};

static void parse_opts(const char *optstring, int positional, struct opts *o)
{
	int c, rc;

	BZERO(o, sizeof(*o));
	while ((c = getopt(argcnt, args, (char *)optstring)) != EOF) {
		switch (c) {
		case 'c': o->task_arg = optarg; break;
		case 'a':
			if ((rc = vmf_parse_addr(optarg, &o->addr)))
				error(FATAL, "-a takes a hexadecimal address, not \"%s\"%s\n", optarg,
				      rc == -2 ? ": it does not fit in 64 bits" : "");
			o->have_addr = 1;
			break;
		case 'j': o->json = 1; break;
		case 'v': o->verbose = 1; break;
		default: argerrs++; break;
		}
	}
	if (argerrs || (positional ? !args[optind] || args[optind + 1] : args[optind] != NULL))
		cmd_usage(pc->curcmd, SYNOPSIS);
	o->arg = positional ? args[optind] : NULL;
}

/* x86_64 only, and the kernel's layout and init_mm, or one line saying why not. */
static void open_view(struct vmf_kernel *k, struct vmf_kview *kv)
{
	if (!machine_type("X86_64"))
		error(FATAL, "x86_64 dumps only; this one is %s\n", MACHINE_TYPE);
	vmf_crash_kernel(k);
	if (vmf_kview_open(kv, k))
		error(FATAL, "%s\n", kv->why);
}

/* ---- VMFAULT_TIMING=2: the time of each stage of vmfault -------------------------- */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void stage_timing(void *arg, const char *name)
{
	double *t0 = arg, n = now_s();
	const char *t = getenv("VMFAULT_TIMING");

	if (t && atoi(t) >= 2)
		fprintf(fp, "vmfault-timing:   %-14s %.6f s\n", name, n - *t0);
	*t0 = n;
}

/* ---- vmfault ---------------------------------------------------------------------- */

static void cmd_vmfault(void)
{
	struct opts o;
	struct vmf_kernel k;
	struct vmf_inputs in;
	struct vmf_report *r;
	char source[64], error_line[sizeof(r->error)];
	double t0 = now_s();
	size_t loglen;
	int rc;

	parse_opts("c:a:jv", 0, &o);
	if (!machine_type("X86_64"))
		error(FATAL, "x86_64 dumps only; this one is %s\n", MACHINE_TYPE);
	vmf_crash_kernel(&k);
	BZERO(&in, sizeof(in));
	in.log = vmf_crash_log(&loglen);
	in.loglen = loglen;
	snprintf(source, sizeof(source), o.have_addr ? "crash log; address from -a" : "crash log (%lu bytes)",
		 (ulong)loglen);
	in.log_source = source;
	in.have_fault_addr = o.have_addr;
	in.fault_addr = o.addr;
	in.task_arg = o.task_arg;
	in.kernel = &k;
	in.stage_done = stage_timing;
	in.stage_arg = &t0;
	r = (struct vmf_report *)GETBUF(sizeof(*r));
	rc = vmf_diagnose(r, &in);
	FREEBUF((char *)in.log);
	if (rc) {
		snprintf(error_line, sizeof(error_line), "%s", r->error);
		FREEBUF(r);
		error(FATAL, "%s\n", error_line);
	}
	if (o.json)
		vmf_report_json(fp, r);
	else
		vmf_report_text(fp, r, o.verbose);
	stage_timing(&t0, "report");
	FREEBUF(r);
}

/* ---- ptwalk ------------------------------------------------------------------------ */

static void cmd_ptwalk(void)
{
	struct opts o;
	struct vmf_kernel k;
	struct vmf_kview kv;
	struct vmf_task_evidence te;
	struct vmf_walk *wt, *wi;
	char why[160], label[96], current[24];
	const char *task_arg;
	uint64_t va;
	int rc;

	parse_opts("c:j", 1, &o);
	if ((rc = vmf_parse_addr(o.arg, &va)))
		error(FATAL, "\"%s\" is not a hexadecimal address%s\n", o.arg,
		      rc == -2 ? ": it does not fit in 64 bits" : "");
	open_view(&k, &kv);
	/* no -c and no panic task (a live dump): crash's current context */
	task_arg = o.task_arg;
	if (!task_arg && !tt->panic_task && CURRENT_TASK()) {
		snprintf(current, sizeof(current), "%lx", CURRENT_TASK());
		task_arg = current;
	}
	if (vmf_kview_task(&kv, task_arg, &te, why, sizeof(why)))
		error(FATAL, "%s\n", why);
	if (vmf_kview_task_mm(&kv, &te))
		error(FATAL, "task %llx (pid %d) has no readable mm\n", (ulonglong)te.task, te.pid);
	wt = (struct vmf_walk *)GETBUF(sizeof(*wt));
	wi = (struct vmf_walk *)GETBUF(sizeof(*wi));
	vmf_walk_va(&kv.p, &k.phys, te.pgd_pa, va, wt);
	vmf_walk_va(&kv.p, &k.phys, kv.init_root, va, wi);
	snprintf(label, sizeof(label), "PID %d (%s) mm %llx", te.pid, te.comm, (ulonglong)te.mm);
	if (o.json)
		vmf_walk_json(fp, &kv.p, label, wt, "init_mm", wi);
	else
		vmf_print_walk_pair(fp, &kv.p, label, wt, "init_mm", wi);
	FREEBUF(wt);
	FREEBUF(wi);
}

/* ---- ptaudit ----------------------------------------------------------------------- */

static void print_audit(const struct opts *o, const struct vmf_audit *a, const struct vmf_mm_list *ml,
			const struct vmf_deviations *dv)
{
	if (o->json) {
		vmf_audit_json(fp, a);
		return;
	}
	fprintf(fp, "MMS: %lu from %s\n", (ulong)ml->n, ml->source);
	if (ml->why[0])
		fprintf(fp, "WARNING: %s\n", ml->why);
	vmf_print_audit(fp, a, o->verbose);
	if (o->verbose)
		vmf_print_deviations(fp, a, ml->mms, dv);
}

static void cmd_ptaudit(void)
{
	struct opts o;
	struct vmf_kernel k;
	struct vmf_kview kv;
	struct vmf_audit *a;
	struct vmf_mm_list ml;
	struct vmf_deviations dv;
	char why[sizeof(ml.why)];
	int list = 0, rc;

	parse_opts("jv", 0, &o);
	open_view(&k, &kv);
	a = (struct vmf_audit *)GETBUF(sizeof(*a));
	vmf_audit_init(a, &kv.p);
	if (vmf_read_top(&kv.p, &k.phys, kv.init_root, &a->ref)) {
		snprintf(why, sizeof(why), "%s", a->ref.why);
		FREEBUF(a);
		error(FATAL, "init_mm's top-level table: %s\n", why);
	}
	/* -v: each mm's deviations are kept, to list them (named) under the table they explain */
	list = o.verbose && !o.json;
	vmf_deviations_init(&dv, VMF_DEVIATIONS_LISTED);
	rc = vmf_kview_mms(&kv, list, &ml);
	if (!rc)
		rc = vmf_audit_mms(a, &k.phys, ml.mms, ml.n, list ? vmf_deviation_keep : NULL, &dv);
	if (!rc)
		print_audit(&o, a, &ml, &dv);
	snprintf(why, sizeof(why), "%s", ml.why[0] ? ml.why : "out of memory");
	vmf_deviations_free(&dv);
	vmf_mm_list_free(&ml);
	FREEBUF(a);
	if (rc)
		error(FATAL, "ptaudit: %s\n", why);
}

/* ---- timing, for `make bench`: VMFAULT_TIMING=1 in crash's environment -------------- */

static void timed(void (*cmd)(void), const char *name)
{
	double t0 = now_s();
	long before[6], after[6];
	int check = getenv("VMFAULT_CHECK_BUFS") != NULL, i, leaked = 0;

	if (check)
		vmf_crash_buffer_use(before);
	cmd();
	if (getenv("VMFAULT_TIMING"))
		fprintf(fp, "vmfault-timing: %s %.6f s\n", name, now_s() - t0);
	if (check) {
		vmf_crash_buffer_use(after);
		for (i = 0; i < 6; i++)
			leaked += after[i] != before[i];
		fprintf(fp, "vmfault-bufs: %s %s (in use %ld/%ld/%ld/%ld/%ld, mallocs-frees %ld)\n", name,
			leaked ? "LEAKED" : "balanced", after[0], after[1], after[2], after[3], after[4], after[5]);
	}
}

static void cmd_vmfault_timed(void) { timed(cmd_vmfault, "vmfault"); }
static void cmd_ptwalk_timed(void) { timed(cmd_ptwalk, "ptwalk"); }
static void cmd_ptaudit_timed(void) { timed(cmd_ptaudit, "ptaudit"); }

/* ---- registration and help ----------------------------------------------------------- */

void __attribute__((constructor)) vmfault_init(void)
{
	register_extension(command_table);
}

void __attribute__((destructor)) vmfault_fini(void)
{
}

#include "vmfault_help.h"
