/*
 * direct.c - the direct engine's jobs and human reports (see direct.h).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "vmf_diagnose.h"
#include "vmf_kview.h"
#include "vmf_writers.h"
#include "vmf_direct.h"
#include "jsonread.h"
#include "direct.h"

#define CHILD_OUTPUT_MAX (4u << 20)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

const char *direct_default_cache(void)
{
	static char path[1024];
	const char *v = getenv("VMFAULT_CACHE"), *x = getenv("XDG_CACHE_HOME"), *h = getenv("HOME");

	if (v && *v)
		snprintf(path, sizeof(path), "%s", v);
	else if (x && *x)
		snprintf(path, sizeof(path), "%s/vmfault", x);
	else if (h && *h)
		snprintf(path, sizeof(path), "%s/.cache/vmfault", h);
	else
		return NULL;
	return path;
}

/* ---- one dump through the engine ---------------------------------------------------- */

/* VMFAULT_TIMING=1: each step's time on stderr, for make bench and a profile's first look */
static double t_last;

static void stage_timing(void *arg, const char *name)
{
	double n = now();

	(void)arg;
	if (getenv("VMFAULT_TIMING"))
		fprintf(stderr, "vmfault-timing:   %-14s %.6f s\n", name, n - t_last);
	t_last = n;
}

struct session {
	struct vmf_direct *d;
	struct vmf_inputs vi;
	char source[64];
	char why[600];
	int tier4;
};

static int session_open(struct session *s, const struct input *in, const struct direct_opts *o)
{
	struct vmf_direct_opts dopts = { in->vmlinux && in->vmlinux[0] ? in->vmlinux : NULL, o->cache_dir,
					 o->first_tier };
	char logwhy[300];

	memset(s, 0, sizeof(*s));
	t_last = now();
	/* in->work: the dump, or its decompressed copy (jobs.c) */
	if (vmf_direct_open(&s->d, in->work && in->work[0] ? in->work : in->dump, &dopts, &s->tier4, s->why,
			    sizeof(s->why)))
		return -1;
	stage_timing(NULL, "open, tier");
	if (vmf_direct_log(s->d, &s->vi.log, &s->vi.loglen, s->source, sizeof(s->source), logwhy,
			   sizeof(logwhy))) {
		s->vi.log = "";
		s->vi.loglen = 0;
		snprintf(s->source, sizeof(s->source), "dump log (none: %.40s)", logwhy);
	}
	s->vi.log_source = s->source;
	s->vi.log_note = vmf_direct_log_note(s->d);
	s->vi.kernel = vmf_direct_kernel(s->d);
	s->vi.stage_done = stage_timing;
	stage_timing(NULL, "dump log");
	return 0;
}

static void json_pair(FILE *f, const char *key, const char *val)
{
	fprintf(f, ",\"%s\":", key);
	vmf_json_str(f, val);
}

/* The layout the engine was given, as crash's help -m shows it (tests/direct/equal.py compares). */
static void print_layout(FILE *f, const struct vmf_layout *l)
{
	fprintf(f, ",\"layout\":{\"paging_levels\":%d,\"max_physmem_bits\":%u,\"page_offset\":\"0x%llx\","
		"\"vmalloc_start\":\"0x%llx\",\"vmalloc_end\":\"0x%llx\",\"vmemmap_start\":\"0x%llx\","
		"\"vmemmap_end\":\"0x%llx\",\"kaslr_offset\":\"0x%llx\"}", l->paging_levels, l->max_physmem_bits,
		(unsigned long long)l->page_offset, (unsigned long long)l->vmalloc_start,
		(unsigned long long)l->vmalloc_end, (unsigned long long)l->vmemmap_start,
		(unsigned long long)l->vmemmap_end, (unsigned long long)l->kaslr_offset);
}

/* What the engine read: the first line of the child's output. */
static void print_meta(FILE *f, const struct session *s)
{
	fprintf(f, "{\"tool\":\"vmfault-direct\",\"tier\":%d", s->d ? (int)vmf_direct_tier(s->d) : s->tier4 ? 4 : 0);
	if (s->d) {
		json_pair(f, "what", vmf_direct_tier_what(s->d));
		json_pair(f, "falls", vmf_direct_falls(s->d));
		json_pair(f, "format", vmf_direct_format(s->d));
		json_pair(f, "release", vmf_direct_release(s->d));
		json_pair(f, "build_id", vmf_direct_build_id(s->d));
		print_layout(f, &vmf_direct_kernel(s->d)->layout);
	} else {
		json_pair(f, "error", s->why);
	}
	fputs("}\n", f);
}

static void say_tier(FILE *f, const struct session *s);

/* The child: two lines on out (with -v the text report after them), then exit. */
static void direct_child(const struct input *in, const struct direct_opts *o, FILE *out)
{
	struct session s;
	struct vmf_report *r = calloc(1, sizeof(*r));

	if (session_open(&s, in, o) == 0 && r) {
		print_meta(out, &s);
		if (vmf_diagnose(r, &s.vi) == 0) {
			vmf_report_json(out, r);
			if (o->explain) {
				say_tier(out, &s);
				vmf_report_text(out, r, 1);
			}
		} else {
			fputs("{\"tool\":\"vmfault-direct\"", out);
			json_pair(out, "failed", r->error);
			fputs("}\n", out);
		}
	} else {
		print_meta(out, &s);
	}
	fflush(out);
	vmf_direct_close(s.d);
	free(r);
}

int direct_start(struct direct_run *run, const struct input *in, const struct direct_opts *o)
{
	run->out = tmpfile();
	if (!run->out)
		return -1;
	run->started = now();
	run->pid = fork();
	if (run->pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		direct_child(in, o, run->out);
		_exit(0);
	}
	if (run->pid < 0) {
		int e = errno;
		fclose(run->out);
		run->out = NULL;
		run->pid = 0;
		errno = e;
		return -1;
	}
	return 0;
}

/* ---- the parent: the child's lines into the input's result ----------------------------------- */

static int take_meta(struct input *in, const char *line, char *err, size_t errlen)
{
	struct json_value obj, tier, layout;
	char buf[16];

	err[0] = 0;
	if (json_check(line, strlen(line), &obj, NULL, 0) || json_member(&obj, "tier", &tier) ||
	    tier.type != JSON_NUMBER || tier.len >= sizeof(buf))
		return -1;
	memcpy(buf, tier.text, tier.len);
	buf[tier.len] = 0;
	in->tier = atoi(buf);
	snprintf(in->engine, sizeof(in->engine), "direct");
	if (json_member_string(&obj, "error", err, errlen) == 0)
		return 0;
	json_member_string(&obj, "what", in->tier_what, sizeof(in->tier_what));
	if (json_member(&obj, "layout", &layout) == 0 && layout.type == JSON_OBJECT && layout.len < sizeof(in->layout)) {
		memcpy(in->layout, layout.text, layout.len);
		in->layout[layout.len] = 0;
	}
	json_member_string(&obj, "falls", in->tier_falls, sizeof(in->tier_falls));
	if (!in->release[0])
		json_member_string(&obj, "release", in->release, sizeof(in->release));
	if (!in->build_id[0])
		json_member_string(&obj, "build_id", in->build_id, sizeof(in->build_id));
	return 0;
}

static int take_report(struct input *in, char *line)
{
	struct json_value obj;
	char verdict[24], failed[sizeof(in->error)];

	if (json_check(line, strlen(line), &obj, NULL, 0) == 0 &&
	    json_member_string(&obj, "failed", failed, sizeof(failed)) == 0) {
		input_fail(in, "%s", failed);
		return 0;
	}
	if (json_check(line, strlen(line), &obj, NULL, 0) ||
	    json_member_string(&obj, "verdict", verdict, sizeof(verdict)) ||
	    json_member_string(&obj, "signature", in->signature, sizeof(in->signature)) ||
	    (in->verdict = verdict_from_name(verdict)) == V_NONE || in->verdict == V_ERROR) {
		in->verdict = V_NONE;
		in->signature[0] = 0;
		return -1;
	}
	in->report = strdup(line);
	return in->report ? 0 : -1;
}

static int read_child(struct direct_run *run, struct input *in)
{
	char *text = malloc(CHILD_OUTPUT_MAX + 1), *nl, *second, err[600];
	size_t len;
	int ret = 0;

	if (!text)
		return input_fail(in, "out of memory"), 0;
	rewind(run->out);
	len = fread(text, 1, CHILD_OUTPUT_MAX, run->out);
	text[len] = 0;
	nl = strchr(text, '\n');
	if (!nl) {
		input_fail(in, "the direct engine printed no result");
		goto out;
	}
	*nl = 0;
	second = nl + 1;
	if ((nl = strchr(second, '\n'))) {
		*nl = 0;
		if (nl[1] && !(in->explain = strdup(nl + 1))) {
			input_fail(in, "out of memory");
			goto out;
		}
	}
	if (take_meta(in, text, err, sizeof(err))) {
		input_fail(in, "the direct engine printed no result");
	} else if (err[0]) {
		snprintf(in->fallback, sizeof(in->fallback), "%s", err);
		ret = in->tier == 4 ? 1 : (input_fail(in, "%s", err), 0);
	} else if (take_report(in, second)) {
		input_fail(in, "the direct engine printed no whole report");
	}
out:
	free(text);
	return ret;
}

int direct_finish(struct direct_run *run, struct input *in, int status, int timed_out, int timeout_s)
{
	int ret = 0;

	in->elapsed = now() - run->started;
	run->pid = 0;
	/* a killed engine did not read the dump: crash or the text beside it may (jobs.c) */
	if (timed_out)
		ret = snprintf(in->fallback, sizeof(in->fallback), "the direct engine was killed after the %d s "
			       "timeout", timeout_s) > 0;
	else if (WIFSIGNALED(status))
		ret = snprintf(in->fallback, sizeof(in->fallback), "the direct engine died of signal %d (%s) on "
			       "this dump", WTERMSIG(status), strsignal(WTERMSIG(status))) > 0;
	else
		ret = read_child(run, in);
	fclose(run->out);
	run->out = NULL;
	return ret;
}

void direct_abandon(struct direct_run *run)
{
	int status;

	if (run->pid > 0) {
		kill(run->pid, SIGKILL);
		waitpid(run->pid, &status, 0);
	}
	if (run->out)
		fclose(run->out);
	run->out = NULL;
	run->pid = 0;
}

/* ---- human reports ------------------------------------------------------------------------- */

static void say_tier(FILE *f, const struct session *s)
{
	fprintf(f, "DATA: direct engine, tier %d: %s\n", (int)vmf_direct_tier(s->d), vmf_direct_tier_what(s->d));
	if (vmf_direct_falls(s->d)[0])
		fprintf(f, "      (%s)\n", vmf_direct_falls(s->d));
	fputc('\n', f);
}

/* The task of --pid, else the oops' (as vmfault picks it), else the panic task. */
static int human_task(struct session *s, const struct vmf_kview *kv, const char *pid,
		      struct vmf_task_evidence *te)
{
	struct vmf_oops o;
	char arg[24], why[160];

	if (!pid && vmf_parse_oops(s->vi.log, s->vi.loglen, &o) == 0 && o.has_pid) {
		snprintf(arg, sizeof(arg), "%d", o.pid);
		if (vmf_kview_task(kv, arg, te, why, sizeof(why)) == 0 && te->pid == o.pid)
			return 0;
	}
	if (vmf_kview_task(kv, pid, te, why, sizeof(why)) == 0)
		return 0;
	fprintf(stderr, "vmfault-triage: %s\n", why);
	return -1;
}

static int human_ptwalk(FILE *f, struct session *s, const struct vmf_kview *kv, const struct human_req *req)
{
	const struct vmf_kernel *k = s->vi.kernel;
	struct vmf_task_evidence te;
	struct vmf_walk *w = calloc(2, sizeof(*w));
	char label[96];

	struct vmf_oops o;
	uint64_t cr3;

	if (!w)
		return fprintf(stderr, "vmfault-triage: out of memory\n"), -1;
	if (k->symbols_partial && !req->pid && vmf_parse_oops(s->vi.log, s->vi.loglen, &o) == 0 &&
	    vmf_oops_reg(&o, VMF_REG_CR3, &cr3) && (cr3 & 0x000ffffffffff000ULL)) {
		/* no task list: the table the faulting CPU ran on (see diagnose.c: task_from_cr3) */
		te.pgd_pa = cr3 & 0x000ffffffffff000ULL;
		snprintf(label, sizeof(label), "the oops' CR3 (no task list)");
	} else if (human_task(s, kv, req->pid, &te) || vmf_kview_task_mm(kv, &te)) {
		fprintf(stderr, "vmfault-triage: the task has no readable mm\n");
		free(w);
		return -1;
	} else {
		snprintf(label, sizeof(label), "PID %d (%s) mm %llx", te.pid, te.comm, (unsigned long long)te.mm);
	}
	vmf_walk_va(&kv->p, &k->phys, te.pgd_pa, req->addr, &w[0]);
	vmf_walk_va(&kv->p, &k->phys, kv->init_root, req->addr, &w[1]);
	vmf_print_walk_pair(f, &kv->p, label, &w[0], "init_mm", &w[1]);
	free(w);
	return 0;
}

static int human_ptaudit(FILE *f, const struct vmf_kview *kv, const struct human_req *req)
{
	const struct vmf_kernel *k = kv->k;
	struct vmf_audit *a = calloc(1, sizeof(*a));
	struct vmf_mm_list ml;
	struct vmf_deviations dv;
	int rc = -1;

	if (!a)
		return fprintf(stderr, "vmfault-triage: out of memory\n"), -1;
	vmf_audit_init(a, &kv->p);
	vmf_deviations_init(&dv, 65536);
	if (vmf_read_top(&kv->p, &k->phys, kv->init_root, &a->ref)) {
		fprintf(stderr, "vmfault-triage: init_mm's top-level table: %s\n", a->ref.why);
		goto out;
	}
	rc = vmf_kview_mms(kv, req->verbose, &ml);
	if (!rc)
		rc = vmf_audit_mms(a, &k->phys, ml.mms, ml.n, req->verbose ? vmf_deviation_keep : NULL, &dv);
	if (rc) {
		fprintf(stderr, "vmfault-triage: ptaudit: %s\n", ml.why[0] ? ml.why : "out of memory");
	} else {
		fprintf(f, "MMS: %lu from %s\n", (unsigned long)ml.n, ml.source);
		if (ml.why[0])
			fprintf(f, "WARNING: %s\n", ml.why);
		vmf_print_audit(f, a, req->verbose);
		if (req->verbose)
			vmf_print_deviations(f, a, ml.mms, &dv);
	}
	vmf_mm_list_free(&ml);
out:
	vmf_deviations_free(&dv);
	free(a);
	return rc;
}

int direct_human(FILE *f, const struct input *in, const struct direct_opts *o, const struct human_req *req)
{
	struct session s;
	struct vmf_kview *kv = NULL;
	int rc = -1;

	if (session_open(&s, in, o)) {
		fprintf(stderr, "vmfault-triage: %s: %s\n", in->path, s.why);
		return -1;
	}
	say_tier(f, &s);
	if (!(kv = malloc(sizeof(*kv)))) {
		fprintf(stderr, "vmfault-triage: out of memory\n");
	} else if (vmf_kview_open(kv, s.vi.kernel)) {
		fprintf(stderr, "vmfault-triage: %s: %s\n", in->path, kv->why);
	} else {
		rc = req->what == HUMAN_PTWALK ? human_ptwalk(f, &s, kv, req) : human_ptaudit(f, kv, req);
	}
	free(kv);
	vmf_direct_close(s.d);
	return rc;
}
