/*
 * vmlinux.c - find the vmlinux of a dump's build (see vmlinux.h).
 *
 * The --vmlinux-dir trees are walked once per batch, on the first dump that
 * needs them, through vmlinux_index.c, whose cache spares the next batch the
 * reading; the fixed places (beside the dump, /usr/lib/debug) are single files.
 */
#include <elf.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bytes.h"
#include "debuginfod.h"
#include "decompress.h"
#include "files.h"
#include "vmlinux_index.h"
#include "vmlinux.h"

/* how far into a compressed vmlinux its notes may lie (x86-64 5.10: 20 MiB) */
#define VMLINUX_NOTES_MAX (256u << 20)

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

/* ---- a compressed kernel beside the dump: judged from its decompressed head ---------------------- */

/* one note header, then its name, then its descriptor, each 4-byte aligned */
static int note_build_id(const unsigned char *m, size_t n, uint64_t off, uint64_t end, char *hex, size_t len)
{
	while (off + sizeof(Elf64_Nhdr) <= end && end <= n) {
		uint32_t namesz = le32(m + off + offsetof(Elf64_Nhdr, n_namesz));
		uint32_t descsz = le32(m + off + offsetof(Elf64_Nhdr, n_descsz));
		uint32_t type = le32(m + off + offsetof(Elf64_Nhdr, n_type));
		uint64_t name = off + sizeof(Elf64_Nhdr), desc = name + ((namesz + 3) & ~3u);
		size_t k;

		if (namesz > 4096 || descsz > 4096 || desc + descsz > end)
			return -1;
		if (type == NT_GNU_BUILD_ID && namesz == 4 && !memcmp(m + name, ELF_NOTE_GNU, 4)) {
			for (k = 0; k < descsz && 2 * k + 2 < len; k++)
				sprintf(hex + 2 * k, "%02x", m[desc + k]);
			return 0;
		}
		off = desc + ((descsz + 3) & ~3u);
	}
	return -1;
}

/*
 * An ELF64 little-endian executable, and its build-id from the PT_NOTE segments,
 * out of the first bytes of the decompressed stream: the notes of a vmlinux lie
 * in its loaded part, ahead of the symbols and DWARF.  (The section headers, at
 * the end, would need it all: this is a lighter check than elf_kernel_id_read.)
 */
static int compressed_kernel_id(const char *path, enum compression c, char *hex, size_t len, char *why, size_t wlen)
{
	unsigned char eh[sizeof(Elf64_Ehdr)], *m = NULL;
	uint64_t phoff, end = 0;
	unsigned i, phnum, phentsize;
	ssize_t n = decompress_head(path, c, eh, sizeof(eh), why, wlen);
	int ret = -1;

	hex[0] = 0;
	if (n != (ssize_t)sizeof(eh) || memcmp(eh, ELFMAG, SELFMAG) || eh[EI_CLASS] != ELFCLASS64 ||
	    eh[EI_DATA] != ELFDATA2LSB || le16(eh + offsetof(Elf64_Ehdr, e_type)) != ET_EXEC) {
		snprintf(why, wlen, "its decompressed head is no ELF64 executable");
		return -1;
	}
	phoff = le64(eh + offsetof(Elf64_Ehdr, e_phoff));
	phentsize = le16(eh + offsetof(Elf64_Ehdr, e_phentsize));
	phnum = le16(eh + offsetof(Elf64_Ehdr, e_phnum));
	if (phentsize < sizeof(Elf64_Phdr) || phnum > 64 || phoff > VMLINUX_NOTES_MAX)
		return 0;       /* an executable without a build-id we can read */
	end = phoff + (uint64_t)phnum * phentsize;
	for (i = 0; i < 2 && end <= VMLINUX_NOTES_MAX && (m = malloc(end)) != NULL; i++) {
		uint64_t want = end;
		unsigned k;

		n = decompress_head(path, c, m, want, why, wlen);
		for (k = 0; n == (ssize_t)want && k < phnum; k++) {
			const unsigned char *ph = m + phoff + (uint64_t)k * phentsize;
			uint64_t off = le64(ph + offsetof(Elf64_Phdr, p_offset)), sz = le64(ph + offsetof(Elf64_Phdr, p_filesz));
			if (le32(ph + offsetof(Elf64_Phdr, p_type)) != PT_NOTE)
				continue;
			if (off + sz > end)
				end = off + sz;             /* read again, as far as the notes */
			else if (ret != 0)
				ret = note_build_id(m, (size_t)n, off, off + sz, hex, len);
		}
		free(m);
		m = NULL;
		if (end == want)
			break;
	}
	return 0;
}

/* A compressed candidate: an executable with the dump's build-id; crash gets it decompressed (jobs.c). */
static int try_compressed(struct input *in, const char *cand, enum compression c, char *refused, size_t rlen)
{
	char bid[VMLINUX_BUILD_ID_HEX], why[200];

	if (compressed_kernel_id(cand, c, bid, sizeof(bid), why, sizeof(why)) != 0) {
		if (!refused[0])
			snprintf(refused, rlen, "%s is no kernel (%s)", cand, why);
		return 0;
	}
	if (in->build_id[0] && !bid[0]) {
		if (!refused[0])
			snprintf(refused, rlen, "%s has no build-id note", cand);
		return 0;
	}
	if (in->build_id[0] && strcmp(bid, in->build_id) != 0) {
		if (!refused[0])
			snprintf(refused, rlen, "%s is build %.12s..., the dump is %.12s...", cand, bid, in->build_id);
		return 0;
	}
	return take(in, cand);
}

/*
 * Beside the dump: a vmlinux, or the kernel SUSE's kdumptool copied there
 * (SaveDump::findKernel(): /boot/vmlinux-<release>, then .gz, then .xz), compressed or not.
 */
static int try_beside(struct input *in, char *refused, size_t rlen)
{
	static const char *const names[] = { "%s/vmlinux", "%s/vmlinux-%s", "%s/vmlinux-%s.gz", "%s/vmlinux-%s.xz",
					     "%s/vmlinux-%s.bz2", "%s/vmlinux-%s.zst" };
	char *dir = dir_of(in->dump), *cand;
	unsigned i;
	int found = 0;

	for (i = 0; dir && i < sizeof(names) / sizeof(names[0]) && !found; i++) {
		enum compression c;

		if (asprintf(&cand, names[i], dir, in->release) < 0)
			break;
		c = is_regular(cand) ? compression_detect(cand) : COMP_NONE;
		found = c != COMP_NONE ? try_compressed(in, cand, c, refused, rlen) : try_vmlinux(in, cand, refused, rlen);
		free(cand);
	}
	free(dir);
	return found;
}

/* The single files: beside the dump, then /usr/lib/debug (by build-id link, then by release). */
static int try_fixed_places(struct input *in, char *refused, size_t rlen)
{
	char *cand = NULL, link[4200];
	int found = try_beside(in, refused, rlen);

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
