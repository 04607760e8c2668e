/*
 * vmlinux.c - find the vmlinux of a dump's build (see vmlinux.h).
 *
 * The --vmlinux-dir trees are walked once per batch, on the first dump that
 * needs them, through vmlinux_index.c, whose cache spares the next batch the
 * reading; the fixed places (beside the dump, /usr/lib/debug) are single files.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "debuginfod.h"
#include "files.h"
#include "vmlinux_index.h"
#include "vmlinux.h"

static struct vmlinux_index *dirs_index;     /* the --vmlinux-dir trees of this batch */

static struct vmlinux_index *index_of(const struct vmlinux_dirs *dirs)
{
	char cache[4200];
	int i;

	if (dirs_index || !dirs->n)
		return dirs_index;
	dirs_index = vmlinux_index_new(vmlinux_index_cache_path(dirs->cache_dir, cache, sizeof(cache)) == 0 ? cache : NULL);
	for (i = 0; dirs_index && i < dirs->n; i++)
		vmlinux_index_add_dir(dirs_index, dirs->v[i]);
	return dirs_index;
}

void vmlinux_lookup_end(void)
{
	char why[300];

	if (dirs_index && vmlinux_index_save(dirs_index, why, sizeof(why)) != 0)
		fprintf(stderr, "vmfault-triage: the vmlinux index is not cached: %s\n", why);
	vmlinux_index_free(dirs_index);
	dirs_index = NULL;
	vmf_debuginfod_end();
}

static int take(struct input *in, const char *path)
{
	char *dup = strdup(path);

	if (!dup)
		return 0;
	free(in->vmlinux);
	in->vmlinux = dup;
	return 1;
}

/*
 * A candidate is taken when it is a kernel and, if the dump names its BUILD-ID,
 * carries the same build-id: a vmlinux of the same release from another build
 * would make crash misread every structure.  The first refusal is kept for the error.
 */
static int try_vmlinux(struct input *in, const char *cand, char *refused, size_t rlen)
{
	struct elf_kernel_id id;

	if (!cand || !is_regular(cand))
		return 0;
	if (elf_kernel_id_read(cand, &id) != 0 || !id.is_kernel) {
		if (!refused[0])
			snprintf(refused, rlen, "%s is no kernel (%s)", cand, id.why);
		return 0;
	}
	if (in->build_id[0] && !id.build_id[0]) {
		if (!refused[0])
			snprintf(refused, rlen, "%s has no build-id note", cand);
		return 0;
	}
	if (in->build_id[0] && strcmp(id.build_id, in->build_id) != 0) {
		if (!refused[0])
			snprintf(refused, rlen, "%s is build %.12s..., the dump is %.12s...", cand, id.build_id,
				 in->build_id);
		return 0;
	}
	return take(in, cand);
}

/* The single files: beside the dump, then /usr/lib/debug (by build-id link, then by release). */
static int try_fixed_places(struct input *in, char *refused, size_t rlen)
{
	char *dir = dir_of(in->dump), *cand = NULL, link[4200];
	int found = 0;

	if (dir && asprintf(&cand, "%s/vmlinux", dir) >= 0) {
		found = try_vmlinux(in, cand, refused, rlen);
		free(cand);
	}
	free(dir);
	if (!found && in->build_id[0] && vmlinux_build_id_link("/usr/lib/debug", in->build_id, link, sizeof(link)) == 0)
		found = take(in, link);
	if (!found && asprintf(&cand, "/usr/lib/debug/boot/vmlinux-%s", in->release) >= 0) {
		found = try_vmlinux(in, cand, refused, rlen);
		free(cand);
	}
	if (!found && asprintf(&cand, "/usr/lib/debug/lib/modules/%s/vmlinux", in->release) >= 0) {
		found = try_vmlinux(in, cand, refused, rlen);
		free(cand);
	}
	return found;
}

static void append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n + 1 >= len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
}

/* Every place looked, for the error: the trees with what they held, the fixed places, debuginfod. */
static void searched(struct input *in, const struct vmlinux_dirs *dirs, const char *debuginfod_why, char *why,
		     size_t wlen)
{
	char trees[2000];

	if (dirs_index)
		vmlinux_index_searched(dirs_index, trees, sizeof(trees));
	append(why, wlen, "; searched: %s; beside the dump; /usr/lib/debug", dirs->n ? trees : "no --vmlinux-dir given");
	if (in->build_id[0])
		append(why, wlen, "; %s", debuginfod_why);
}

int find_vmlinux(struct input *in, const struct vmlinux_dirs *dirs, char *why, size_t wlen)
{
	struct vmlinux_index *ix = index_of(dirs);
	char refused[600] = "", fetched[4200], dwhy[400] = "no debuginfod server (give --debuginfod URL or set DEBUGINFOD_URLS)";
	const char *hit;

	why[0] = 0;
	hit = !ix ? NULL : in->build_id[0] ? vmlinux_index_find(ix, in->build_id) : vmlinux_index_find_release(ix, in->release);
	if (hit && take(in, hit))
		return 0;
	/* of the release but another build: named in the error (the index holds only kernels) */
	if (ix && in->build_id[0] && (hit = vmlinux_index_find_release(ix, in->release)) != NULL &&
	    try_vmlinux(in, hit, refused, sizeof(refused)))
		return 0;
	if (try_fixed_places(in, refused, sizeof(refused)))
		return 0;
	if (in->build_id[0] && vmf_debuginfod_urls(dirs->debuginfod) &&
	    vmf_debuginfod_vmlinux(dirs->debuginfod, in->build_id, fetched, sizeof(fetched), dwhy, sizeof(dwhy)) == 0 &&
	    take(in, fetched))
		return 0;
	if (refused[0])
		snprintf(why, wlen, "no vmlinux matches the dump's BUILD-ID: %s", refused);
	else if (in->build_id[0])
		snprintf(why, wlen, "no vmlinux for %s with the dump's BUILD-ID %.12s...", in->release, in->build_id);
	else
		snprintf(why, wlen, "no vmlinux named for %s (the dump names no BUILD-ID)", in->release);
	searched(in, dirs, dwhy, why, wlen);
	in->vmlinux[0] = 0;
	return -1;
}
