/*
 * kview_internal.h - what kview.c, mmlist.c and kfacts.c share: reads through
 * the data front, and the task list.  Not for front ends: they see vmf_kview.h.
 */
#ifndef VMF_KVIEW_INTERNAL_H
#define VMF_KVIEW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "vmf_kview.h"

#define KV_SPAN_MAX 4096   /* one read per list entry covers at most this much of it */

int kv_read(const struct vmf_kview *kv, uint64_t kva, void *buf, size_t len);
int kv_read_u64(const struct vmf_kview *kv, uint64_t kva, uint64_t *val);
int kv_read_int(const struct vmf_kview *kv, uint64_t kva, int *val);
int kv_read_comm(const struct vmf_kview *kv, uint64_t task, char *comm, size_t len);
/* 0 if the symbol exists (its address into *addr when addr is not NULL). */
int kv_symbol(const struct vmf_kview *kv, const char *name, uint64_t *addr);
int kv_mm_root(const struct vmf_kview *kv, uint64_t mm, uint64_t *pgd_va, uint64_t *root);
uint64_t kv_task_mm(const struct vmf_kview *kv, uint64_t task);
int kv_grow(void **array, size_t *cap, size_t used, size_t elem);

/* One process of init_task.tasks. */
struct kv_task {
	uint64_t task, mm;
	int pid;
	char comm[16];
};

struct kv_task_list {
	struct kv_task *t;         /* malloc'd: free(t) */
	size_t n, cap;
	char why[160];             /* where the list stopped short, or "" */
};
int kv_tasks(const struct vmf_kview *kv, struct kv_task_list *tl);

#endif
