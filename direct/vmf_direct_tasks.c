/*
 * vmf_direct_tasks.c - the panic task as crash 8.0.2 chooses it (task.c:
 * panic_search), a task's CPU, and the kernel's config (ikconfig).
 *
 * crash's order, for the dumps vmfault reads (kdump ELF and compressed):
 *   1. crashing_cpu, set by the kdump path (native_machine_crash_shutdown):
 *      that CPU's current task (diskdump.c, netdump.c);
 *   2. the active set: each online CPU's runqueue's curr, whose stack holds a
 *      return into crash_kexec or machine_kexec, else panic (if no other task
 *      called die), else die (get_active_set_panic_task);
 *   3. the log: after the first panic keyword, the first "CPU: N" names the
 *      CPU whose current task it is (get_log_panic_task).
 * crash's "foreach bt" between 2 and 3 unwinds every task's stack; it is not
 * repeated here (a task that called panic is on a CPU, so 2 finds it).  The
 * live dump of a running system has none: -1, as crash's tt->panic_task 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "vmf_direct_internal.h"

#define THREAD_SIZE 16384          /* x86_64: PAGE_SIZE << THREAD_SIZE_ORDER (2), without KASAN */
#define MULTIPLE 1                 /* crash's NO_TASK+1: more than one task called it */

/* ---- the active set ------------------------------------------------------------------ */

static int cpu_online(struct vmf_direct *d, int cpu)
{
	uint64_t mask, word;

	if (vd_symbol(d, "__cpu_online_mask", &mask) && vd_symbol(d, "cpu_online_mask", &mask))
		return 1;
	if (vd_read_u64(d, mask + (uint64_t)(cpu / 64) * 8, &word))
		return 0;
	return (int)((word >> (cpu % 64)) & 1);
}

/* crash's get_active_set: runqueues + __per_cpu_offset[cpu], its curr. */
static void read_active_set(struct vmf_direct *d)
{
	uint64_t rq, pco, off, curr;
	long curr_off = vd_member_offset(d, "rq", "curr");
	int n = 0, i;
	uint64_t nr;
	char why[160];

	d->cpus_read = 1;
	if (!d->have_syms || curr_off < 0 || vd_symbol(d, "runqueues", &rq) || vd_symbol(d, "__per_cpu_offset", &pco))
		return;
	if (!vd_symbol(d, "nr_cpu_ids", &nr) && !vd_read(d, nr, &n, sizeof(n), why, sizeof(why)) && n > 0)
		n = n > VMF_DIRECT_CPUS ? VMF_DIRECT_CPUS : n;
	else
		n = 1;
	if (!(d->active = calloc((size_t)n, sizeof(*d->active))))
		return;
	d->ncpus = n;
	for (i = 0; i < n; i++)
		if (!vd_read_u64(d, pco + (uint64_t)i * 8, &off) &&
		    !vd_read_u64(d, rq + off + (uint64_t)curr_off, &curr) && curr >> 63)
			d->active[i] = curr;
}

static uint64_t active_task(struct vmf_direct *d, int cpu)
{
	if (!d->cpus_read)
		read_active_set(d);
	return cpu >= 0 && cpu < d->ncpus && cpu_online(d, cpu) ? d->active[cpu] : 0;
}

/* ---- 1. crashing_cpu ------------------------------------------------------------------------ */

static uint64_t by_crashing_cpu(struct vmf_direct *d)
{
	uint64_t sym;
	int cpu = -1;
	char why[160];

	if (vd_symbol(d, "crashing_cpu", &sym) || vd_read(d, sym, &cpu, sizeof(cpu), why, sizeof(why)))
		return 0;
	return active_task(d, cpu);
}

/* ---- 2. who called panic, die or crash_kexec: the active tasks' stacks ----------------------- */

struct callers {
	uint64_t panic, die, kexec;
};

static void note_caller(uint64_t *who, uint64_t task)
{
	*who = !*who ? task : *who != task ? MULTIPLE : *who;
}

/* A word of a stack as crash's raw_stack_dump shows it: " name+off" for a text address. */
static void scan_word(struct vmf_direct *d, uint64_t word, uint64_t task, struct callers *c)
{
	char name[160], *plus;

	if (!(word >> 63) || d->k.addr_name(d, word, name, sizeof(name)) || !(plus = strchr(name, '+')))
		return;
	*plus = 0;
	if (!strcmp(name, "die"))
		note_caller(&c->die, task);
	else if (!strcmp(name, "panic"))
		note_caller(&c->panic, task);
	else if (!strcmp(name, "crash_kexec") || !strcmp(name, "machine_kexec"))
		c->kexec = task;
}

static void scan_stack(struct vmf_direct *d, uint64_t task, long stack_off, struct callers *c)
{
	uint64_t stack, *words = malloc(THREAD_SIZE);
	char why[160];
	size_t i;

	if (words && !vd_read_u64(d, task + (uint64_t)stack_off, &stack) &&
	    !vd_read(d, stack, words, THREAD_SIZE, why, sizeof(why)))
		for (i = 0; i < THREAD_SIZE / 8; i++)
			scan_word(d, words[i], task, c);
	free(words);
}

static uint64_t by_active_stacks(struct vmf_direct *d)
{
	struct callers c = { 0, 0, 0 };
	long stack_off = vd_member_offset(d, "task_struct", "stack");
	int i;

	if (stack_off < 0)
		return 0;
	for (i = 0; i < d->ncpus; i++)
		if (d->active[i] && cpu_online(d, i))
			scan_stack(d, d->active[i], stack_off, &c);
	if (c.kexec)
		return c.kexec;
	if (c.panic > MULTIPLE && !c.die)
		return c.panic;
	if (c.panic && c.die)
		return c.panic > MULTIPLE && c.panic == c.die ? c.panic : 0;
	return c.die > MULTIPLE ? c.die : 0;
}

/* ---- 3. the log ------------------------------------------------------------------------------ */

static const char *const panic_keywords[] = {
	"Unable to handle kernel", "BUG: unable to handle kernel", "Kernel BUG at", "kernel BUG at",
	"Bad mode in", "Oops", "Kernel panic", NULL
};

static int cpu_in(const char *line, const char *end)
{
	const char *p = NULL, *q;

	for (q = line; q + 5 <= end && !p; q++)
		if (!strncmp(q, "CPU: ", 5))
			p = q + 5;
	if (!p && end - line > 4 && !strncmp(line, "CPU ", 4))
		p = line + 4;
	return p && p < end && *p >= '0' && *p <= '9' ? atoi(p) : -1;
}

static uint64_t by_log(struct vmf_direct *d)
{
	const char *text, *line, *end;
	char src[64], why[200];
	size_t len;
	int seen = 0, i, cpu;

	if (vmf_direct_log(d, &text, &len, src, sizeof(src), why, sizeof(why)))
		return 0;
	for (line = text; line < text + len; line = end + 1) {
		end = memchr(line, '\n', (size_t)(text + len - line));
		end = end ? end : text + len;
		for (i = 0; !seen && panic_keywords[i]; i++) {
			const char *k = memmem(line, (size_t)(end - line), panic_keywords[i], strlen(panic_keywords[i]));
			if (k) {
				seen = 1;
				line = k;   /* crash looks for the CPU after the keyword */
			}
		}
		if (seen && (cpu = cpu_in(line, end)) >= 0)
			return active_task(d, cpu);
	}
	return 0;
}

int vd_panic_task(void *ctx, uint64_t *task)
{
	struct vmf_direct *d = ctx;

	if (!d->panic_read) {
		d->panic_read = 1;
		if (!d->have_syms)
			return -1;
		if (!d->cpus_read)
			read_active_set(d);
		if (!(d->panic_task = by_crashing_cpu(d)) && !(d->panic_task = by_active_stacks(d)))
			d->panic_task = by_log(d);
	}
	if (!d->panic_task)
		return -1;
	*task = d->panic_task;
	return 0;
}

/*
 * The front's own task table, as the engine asks it first (vmf_kernel.find_task):
 * the tasks on the CPUs.  An oops names the task that was running (its PID is
 * the current task's), so the oops' PID is found here without walking every
 * process of init_task.tasks (5,000 reads on a busy dump); threads too, as in
 * crash's table.  Anything else: -1, and the engine walks the kernel's list.
 */
int vd_find_task(void *ctx, const char *arg, uint64_t *task)
{
	struct vmf_direct *d = ctx;
	long pid_off = vd_member_offset(d, "task_struct", "pid");
	char *end, why[160];
	long want = strtol(arg, &end, 10);
	int i, pid;

	if (*end || end == arg || want < 0 || pid_off < 0)
		return -1;
	if (!d->cpus_read)
		read_active_set(d);
	for (i = 0; i < d->ncpus; i++)
		if (d->active[i] && cpu_online(d, i) &&
		    !vd_read(d, d->active[i] + (uint64_t)pid_off, &pid, sizeof(pid), why, sizeof(why)) && pid == want) {
			*task = d->active[i];
			return 0;
		}
	return -1;
}

/*
 * crash's task_context.processor: task_struct.cpu (THREAD_INFO_IN_TASK, x86
 * since v4.9), back in thread_info.cpu since bcf9033e5449 (v5.16), which is
 * task_struct.thread_info with THREAD_INFO_IN_TASK.
 */
int vd_task_cpu(void *ctx, uint64_t task)
{
	struct vmf_direct *d = ctx;
	long off = vd_member_offset(d, "task_struct", "cpu");
	long ti = vd_member_offset(d, "task_struct", "thread_info"), ti_cpu = vd_member_offset(d, "thread_info", "cpu");
	int cpu;
	char why[160];

	if (off < 0 && ti >= 0 && ti_cpu >= 0)
		off = ti + ti_cpu;
	if (off < 0 || vd_read(d, task + (uint64_t)off, &cpu, sizeof(cpu), why, sizeof(why)))
		return -1;
	return cpu;
}

/* ---- CONFIG_ from ikconfig ---------------------------------------------------------------- */

#define IKCFG_MAX (1u << 20)

/* kernel_config_data: "IKCFG_ST", the gzip'd .config, "IKCFG_ED" (kernel/configs.c). */
static void read_config(struct vmf_direct *d)
{
	uint64_t start, stop;
	unsigned char *gz = NULL;
	char why[160];
	size_t len;
	z_stream z;

	d->config_read = 1;
	if (vd_symbol(d, "kernel_config_data", &start) || vd_symbol(d, "kernel_config_data_end", &stop) ||
	    stop <= start + 16 || stop - start > IKCFG_MAX || !(gz = malloc(stop - start)) ||
	    vd_read(d, start, gz, stop - start, why, sizeof(why)) || memcmp(gz, "IKCFG_ST", 8) ||
	    !(d->config = calloc(1, 4 * IKCFG_MAX + 1))) {
		free(gz);
		return;
	}
	len = stop - start - 8;
	memset(&z, 0, sizeof(z));
	z.next_in = gz + 8;
	z.avail_in = (uInt)len;
	z.next_out = (Bytef *)d->config;
	z.avail_out = 4 * IKCFG_MAX;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK || inflate(&z, Z_FINISH) != Z_STREAM_END) {
		free(d->config);
		d->config = NULL;
	}
	inflateEnd(&z);
	free(gz);
}

enum vmf_tri vd_config(void *ctx, const char *name)
{
	struct vmf_direct *d = ctx;
	size_t n = strlen(name);
	const char *p;

	if (!d->config_read)
		read_config(d);
	if (!d->config)
		return VMF_UNKNOWN;
	for (p = d->config; (p = strstr(p, name)); p += n)
		if ((p == d->config || p[-1] == '\n') && p[n] == '=')
			return VMF_TRUE;
	return VMF_FALSE;
}
