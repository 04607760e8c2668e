/*
 * vmf_direct_internal.h - what the parts of the direct front share: the dump,
 * the tier's symbols and types, and the kernel facts read the way crash reads
 * them.  Callers see vmf_direct.h only.
 */
#ifndef VMF_DIRECT_INTERNAL_H
#define VMF_DIRECT_INTERNAL_H

#include <stdint.h>
#include "vmf_direct.h"
#include "vmf_dump.h"
#include "vmf_kread.h"
#include "vmf_symtab.h"
#include "vmf_elfsyms.h"
#include "vmf_btf.h"
#include "vmf_modsyms.h"
#include "vmf_log.h"

#define VMF_DIRECT_CPUS 8192       /* crash's NR_CPUS on x86_64 */

/* A module's init region (crash names it _MODULE_INIT_START_<name>). */
struct vmf_direct_init {
	uint64_t base, size;
	const char *name;
};

struct vmf_direct {
	struct vmf_dump *dump;
	struct vmf_kreader r;
	struct vmf_kernel k;
	enum vmf_direct_tier tier;
	char what[512];            /* what the tier read */
	char falls[600];           /* why better tiers were not reached */
	char format[400];
	char release[80], build_id[72];
	uint64_t kerneloffset, stext;
	const char *cache_dir;
	const char *path;          /* the dump, for a reopen during vmf_direct_open only */

	int have_elf;
	struct vmf_elf elf;
	int have_syms;
	struct vmf_symtab syms;
	int have_btf;
	struct vmf_btf btf;

	int mods_tried;            /* modules are read at the first need */
	int have_mods;
	struct vmf_modsyms mods;
	struct vmf_direct_init *inits;
	size_t ninits;

	int log_read, log_partial;
	struct vmf_log log;

	int cpus_read;             /* the active set: each online CPU's current task */
	int ncpus;
	uint64_t *active;          /* [ncpus], 0 where unknown */
	int panic_read;
	uint64_t panic_task;

	int config_read;
	char *config;              /* ikconfig text, NULL when the kernel has none */
};

/* Reads: the dump's virtual memory, with its reason. */
int vd_read(void *ctx, uint64_t kva, void *buf, size_t len, char *why, size_t whylen);
int vd_read_u64(struct vmf_direct *d, uint64_t kva, uint64_t *v);
int vd_symbol(void *ctx, const char *name, uint64_t *addr);
long vd_member_offset(void *ctx, const char *type, const char *member);
void vd_load_modules(struct vmf_direct *d);

/* The primitives that are plain reads and look-ups (vmf_direct_kernel.c). */
void vd_kernel_primitives(struct vmf_direct *d);
/* The layout as crash 8.0.2 sets it up for x86_64 (vmf_direct_layout.c). */
void vd_layout(struct vmf_direct *d, struct vmf_layout *l);
/* Tasks: the panic task as crash chooses it, a task's CPU (vmf_direct_tasks.c). */
int vd_panic_task(void *ctx, uint64_t *task);
int vd_task_cpu(void *ctx, uint64_t task);
int vd_find_task(void *ctx, const char *arg, uint64_t *task);
enum vmf_tri vd_config(void *ctx, const char *name);

#endif
