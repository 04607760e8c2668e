/*
 * vmfault_crash.c - the engine's data primitives (src/vmf_kernel.h) over crash's
 * own calls.  Nothing here decides: which lists to walk and what they mean is
 * the engine's (src/kview.c); this file only asks crash for memory, symbols,
 * types, tasks, the log and a disassembly.
 *
 * Reads are RETURN_ON_ERROR|QUIET: a page missing from the dump must become an
 * "unreadable" entry in the report, never abort the audit of 5,000 other mms.
 */
#include "defs.h"

#include <stdint.h>
#include "vmfault_crash.h"

#define VMF_QUIET (RETURN_ON_ERROR | QUIET)

static int crash_read_phys(void *ctx, uint64_t paddr, void *buf, size_t len, char *why, size_t whylen)
{
	int rc;

	(void)ctx;
	if (readmem((ulonglong)paddr, PHYSADDR, buf, (long)len, "vmfault page table", VMF_QUIET))
		return 0;
	/* readmem() does not say why; the dump reader does. */
	rc = pc->readmem(pc->mfd, buf, (int)len, 0, (physaddr_t)paddr);
	if (rc == PAGE_EXCLUDED)
		snprintf(why, whylen, "page %llx excluded from the dump (makedumpfile -d)",
			 (unsigned long long)paddr);
	else if (rc == SEEK_ERROR)
		snprintf(why, whylen, "physical address %llx not in the dump", (unsigned long long)paddr);
	else
		snprintf(why, whylen, "read error at physical address %llx", (unsigned long long)paddr);
	return -1;
}

static int crash_read(void *ctx, uint64_t kva, void *buf, size_t len, char *why, size_t whylen)
{
	(void)ctx;
	if (readmem((ulonglong)kva, KVADDR, buf, (long)len, "vmfault", VMF_QUIET))
		return 0;
	snprintf(why, whylen, "kernel address %llx unreadable", (unsigned long long)kva);
	return -1;
}

static int crash_kvtop(void *ctx, uint64_t kva, uint64_t *pa)
{
	physaddr_t p;

	(void)ctx;
	if (!kvtop(NULL, (ulong)kva, &p, 0))
		return -1;
	*pa = (uint64_t)p;
	return 0;
}

static int crash_symbol(void *ctx, const char *name, uint64_t *addr)
{
	(void)ctx;
	if (!symbol_exists((char *)name))
		return -1;
	*addr = symbol_value((char *)name);
	return 0;
}

static int crash_addr_name(void *ctx, uint64_t addr, char *buf, size_t len)
{
	char s[BUFSIZE];

	(void)ctx;
	s[0] = 0;
	value_to_symstr((ulong)addr, s, 0);
	if (!s[0])
		return -1;
	snprintf(buf, len, "%s", s);
	return 0;
}

static long crash_member_offset(void *ctx, const char *type, const char *member)
{
	long o = MEMBER_OFFSET((char *)type, (char *)member);

	(void)ctx;
	if (o < 0)
		o = ANON_MEMBER_OFFSET((char *)type, (char *)member);
	return o;
}

static long crash_type_size(void *ctx, const char *type)
{
	(void)ctx;
	return STRUCT_SIZE((char *)type);
}

static int crash_panic_task(void *ctx, uint64_t *task)
{
	(void)ctx;
	if (!tt->panic_task)
		return -1;
	*task = tt->panic_task;
	return 0;
}

/* crash's own table: a PID or a task address. */
static int crash_find_task(void *ctx, const char *arg, uint64_t *task)
{
	struct task_context *tc = NULL;
	ulong value;

	(void)ctx;
	switch (str_to_context((char *)arg, &value, &tc)) {
	case STR_PID:
	case STR_TASK:
		*task = tc->task;
		return 0;
	default:
		return -1;
	}
}

static int crash_task_cpu(void *ctx, uint64_t task)
{
	struct task_context *tc = task_to_context((ulong)task);

	(void)ctx;
	return tc ? (int)tc->processor : -1;
}

static int crash_function(void *ctx, const char *name, struct vmf_function *f)
{
	struct syment *sp = symbol_search((char *)name), *next;
	struct load_module *lm = NULL;

	(void)ctx;
	if (!sp)
		return -1;
	next = next_symbol(NULL, sp);
	f->start = sp->value;
	f->size = next && next->value > sp->value ? next->value - sp->value : 0;
	f->module[0] = 0;
	if (module_symbol(sp->value, NULL, &lm, NULL, 0) && lm)
		snprintf(f->module, sizeof(f->module), "%s", lm->mod_name);
	return 0;
}

/* Copy crash's tmpfile (written by a command) to out, or into a GETBUF buffer. */
static char *slurp_tmpfile(size_t *len)
{
	long size;
	char *buf;

	fflush(pc->tmpfile);
	size = ftell(pc->tmpfile);
	if (size < 0)
		size = 0;
	buf = GETBUF(size + 1);
	rewind(pc->tmpfile);
	*len = fread(buf, 1, (size_t)size, pc->tmpfile);
	buf[*len] = 0;
	return buf;
}

/* gdb reads module text through crash, so this works without module debuginfo. */
static int crash_disassemble(void *ctx, uint64_t start, uint64_t end, FILE *out)
{
	char cmd[128], *text;
	size_t len;

	(void)ctx;
	snprintf(cmd, sizeof(cmd), "disassemble 0x%llx,0x%llx", (unsigned long long)start,
		 (unsigned long long)end);
	open_tmpfile();
	if (!gdb_pass_through(cmd, pc->tmpfile, GNU_RETURN_ON_ERROR)) {
		close_tmpfile();
		return -1;
	}
	text = slurp_tmpfile(&len);
	close_tmpfile();
	fwrite(text, 1, len, out);
	FREEBUF(text);
	return 0;
}

static enum vmf_tri crash_config(void *ctx, const char *name)
{
	char *val = NULL;

	(void)ctx;
	if (!(kt->ikconfig_flags & IKCONFIG_AVAIL))
		return VMF_UNKNOWN;
	return get_kernel_config((char *)name, &val) != IKCONFIG_N ? VMF_TRUE : VMF_FALSE;
}

static void crash_layout(struct vmf_layout *l)
{
	memset(l, 0, sizeof(*l));
	l->paging_levels = (machdep->flags & VM_5LEVEL) ? 5 : 4;
	l->max_physmem_bits = (unsigned)machdep->max_physmem_bits;
	l->page_offset = machdep->machspec->page_offset;
	l->vmalloc_start = machdep->machspec->vmalloc_start_addr;
	l->vmalloc_end = machdep->machspec->vmalloc_end;
	l->vmemmap_start = machdep->machspec->vmemmap_vaddr;
	l->vmemmap_end = machdep->machspec->vmemmap_end;
	l->kaslr_offset = (uint64_t)(-(long)kt->relocate);
	snprintf(l->release, sizeof(l->release), "%s", kt->utsname.release);
}

void vmf_crash_kernel(struct vmf_kernel *k)
{
	memset(k, 0, sizeof(*k));
	k->name = "crash";
	crash_layout(&k->layout);
	k->phys.read_phys = crash_read_phys;
	k->read = crash_read;
	k->kvtop = crash_kvtop;
	k->symbol = crash_symbol;
	k->addr_name = crash_addr_name;
	k->member_offset = crash_member_offset;
	k->type_size = crash_type_size;
	k->panic_task = crash_panic_task;
	k->find_task = crash_find_task;
	k->task_cpu = crash_task_cpu;
	k->function = crash_function;
	k->disassemble = crash_disassemble;
	k->config = crash_config;
}

char *vmf_crash_log(size_t *len)
{
	char *buf;

	open_tmpfile();
	dump_log(0);
	buf = slurp_tmpfile(len);
	close_tmpfile();
	return buf;
}

/*
 * VMFAULT_CHECK_BUFS=1: crash's shared-buffer accounting, so the damaged-dump
 * tests can prove no GETBUF outlives a command that returned (crash reclaims
 * them after an error(FATAL) itself).
 */
void vmf_crash_buffer_use(long use[6])
{
	char *text, *p;
	size_t len;

	memset(use, 0, 6 * sizeof(long));
	open_tmpfile();
	dump_shared_bufs();
	text = slurp_tmpfile(&len);
	close_tmpfile();
	if ((p = strstr(text, "buf_inuse[5]:")))
		sscanf(p, "buf_inuse[5]: [%ld][%ld][%ld][%ld][%ld]", &use[0], &use[1], &use[2], &use[3], &use[4]);
	if ((p = strstr(text, "mallocs:"))) {
		long m = 0, f = 0;
		sscanf(p, "mallocs: %ld", &m);
		if ((p = strstr(text, "frees:")))
			sscanf(p, "frees: %ld", &f);
		use[5] = m - f;
	}
	FREEBUF(text);
}
