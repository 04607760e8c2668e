/*
 * vmlinux.c - find the vmlinux of a dump's release and build.
 */
#include <elf.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bytes.h"
#include "decompress.h"
#include "files.h"
#include "vmlinux.h"

/* how far into a compressed vmlinux its notes may lie (x86-64 5.10: 20 MiB) */
#define VMLINUX_NOTES_MAX (256u << 20)

/* one note header, then its name, then its descriptor, each 4-byte aligned */
static int note_build_id(FILE *f, uint64_t off, uint64_t end, char *hex, size_t len)
{
	unsigned char nh[sizeof(Elf64_Nhdr)], name[4], desc[64];

	while (off + sizeof(nh) <= end) {
		uint32_t namesz, descsz, type;
		size_t k;

		if (fseeko(f, (off_t)off, SEEK_SET) || fread(nh, 1, sizeof(nh), f) != sizeof(nh))
			return -1;
		namesz = le32(nh + offsetof(Elf64_Nhdr, n_namesz));
		descsz = le32(nh + offsetof(Elf64_Nhdr, n_descsz));
		type = le32(nh + offsetof(Elf64_Nhdr, n_type));
		if (namesz > 4096 || descsz > 4096)
			return -1;
		if (type == NT_GNU_BUILD_ID && namesz == sizeof(name) && descsz <= sizeof(desc) &&
		    fread(name, 1, sizeof(name), f) == sizeof(name) && !memcmp(name, ELF_NOTE_GNU, sizeof(name)) &&
		    fread(desc, 1, descsz, f) == descsz) {
			for (k = 0; k < descsz && 2 * k + 2 < len; k++)
				sprintf(hex + 2 * k, "%02x", desc[k]);
			return 0;
		}
		off += sizeof(nh) + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
	}
	return -1;
}

/* The program headers of an ELF64 little-endian file, one at a time: 0 with ph filled, -1 past the last or on error. */
static int program_header(FILE *f, unsigned i, unsigned char *ph, size_t phlen)
{
	unsigned char eh[sizeof(Elf64_Ehdr)];
	uint64_t phoff;
	unsigned phnum, phentsize;

	if (fseeko(f, 0, SEEK_SET) || fread(eh, 1, sizeof(eh), f) != sizeof(eh) || memcmp(eh, ELFMAG, SELFMAG) ||
	    eh[EI_CLASS] != ELFCLASS64 || eh[EI_DATA] != ELFDATA2LSB)
		return -1;
	phoff = le64(eh + offsetof(Elf64_Ehdr, e_phoff));
	phentsize = le16(eh + offsetof(Elf64_Ehdr, e_phentsize));
	phnum = le16(eh + offsetof(Elf64_Ehdr, e_phnum));
	if (i >= phnum || i >= 64 || fseeko(f, (off_t)(phoff + (uint64_t)i * phentsize), SEEK_SET) ||
	    fread(ph, 1, phlen, f) != phlen)
		return -1;
	return 0;
}

static int build_id_of(FILE *f, char *hex, size_t len)
{
	unsigned char ph[sizeof(Elf64_Phdr)];
	unsigned i;
	int ret = -1;

	for (i = 0; ret && program_header(f, i, ph, sizeof(ph)) == 0; i++) {
		uint64_t foff, fsz;

		if (le32(ph + offsetof(Elf64_Phdr, p_type)) != PT_NOTE)
			continue;
		foff = le64(ph + offsetof(Elf64_Phdr, p_offset));
		fsz = le64(ph + offsetof(Elf64_Phdr, p_filesz));
		ret = note_build_id(f, foff, foff + fsz, hex, len);
	}
	return ret;
}

/* Where the last PT_NOTE segment ends in the file: how much of it the build-id needs. */
static uint64_t notes_end(FILE *f)
{
	unsigned char ph[sizeof(Elf64_Phdr)];
	uint64_t end = 0;
	unsigned i;

	for (i = 0; program_header(f, i, ph, sizeof(ph)) == 0; i++)
		if (le32(ph + offsetof(Elf64_Phdr, p_type)) == PT_NOTE) {
			uint64_t e = le64(ph + offsetof(Elf64_Phdr, p_offset)) + le64(ph + offsetof(Elf64_Phdr, p_filesz));
			end = e > end ? e : end;
		}
	return end;
}

/* A compressed vmlinux (SUSE's vmlinux-<release>.gz): its head, decompressed into memory, as far as its notes. */
static int compressed_build_id(const char *path, enum compression c, char *hex, size_t len)
{
	unsigned char head[4096];
	char why[200];
	ssize_t n = decompress_head(path, c, head, sizeof(head), why, sizeof(why));
	FILE *f = n > 0 ? fmemopen(head, (size_t)n, "rb") : NULL;
	uint64_t end = f ? notes_end(f) : 0;
	unsigned char *buf;
	int ret = -1;

	if (f)
		fclose(f);
	if (!end || end > VMLINUX_NOTES_MAX || !(buf = malloc(end)))
		return -1;
	n = decompress_head(path, c, buf, end, why, sizeof(why));
	if (n > 0 && (f = fmemopen(buf, (size_t)n, "rb")) != NULL) {
		ret = build_id_of(f, hex, len);
		fclose(f);
	}
	free(buf);
	return ret;
}

int vmlinux_build_id(const char *path, char *hex, size_t len)
{
	enum compression c = compression_detect(path);
	char why[200];
	FILE *f;
	int ret;

	hex[0] = 0;
	if (c != COMP_NONE)
		return compressed_build_id(path, c, hex, len);
	f = fopen_regular(path, why, sizeof(why));
	if (!f)
		return -1;
	ret = build_id_of(f, hex, len);
	fclose(f);
	return ret;
}

/*
 * A candidate is taken when it exists and, if the dump names its BUILD-ID, carries
 * the same build-id: a vmlinux of the same release from another build would make
 * crash misread every structure.  The first mismatch is remembered for the error.
 */
static int try_vmlinux(struct input *in, const char *cand, char *mismatch, size_t mlen)
{
	char bid[72], *dup;

	if (!is_regular(cand))
		return 0;
	if (in->build_id[0] && vmlinux_build_id(cand, bid, sizeof(bid)) != 0) {
		if (!mismatch[0])
			snprintf(mismatch, mlen, "%s has no build-id note", cand);
		return 0;
	}
	if (in->build_id[0] && strcmp(bid, in->build_id) != 0) {
		if (!mismatch[0])
			snprintf(mismatch, mlen, "%s is build %.12s..., the dump is %.12s...", cand, bid, in->build_id);
		return 0;
	}
	dup = strdup(cand);
	if (!dup)
		return 0;
	free(in->vmlinux);
	in->vmlinux = dup;
	return 1;
}

/* The layouts of a --vmlinux-dir: a flat directory, one per release, unpacked debug packages. */
static int try_dir(struct input *in, const char *dir, char *mismatch, size_t mlen)
{
	static const char *const layouts[] = {
		"%s/vmlinux-%s", "%s/%s/vmlinux", "%s/usr/lib/debug/boot/vmlinux-%s",
		"%s/%s/usr/lib/debug/boot/vmlinux-%s", "%s/usr/lib/debug/lib/modules/%s/vmlinux",
	};
	const char *rel = in->release;
	char *cand;
	unsigned j;
	int found = 0;

	for (j = 0; j < sizeof(layouts) / sizeof(layouts[0]) && !found; j++) {
		/* the one layout that names the release twice takes it twice */
		if (asprintf(&cand, layouts[j], dir, rel, rel) < 0)
			return 0;
		found = try_vmlinux(in, cand, mismatch, mlen);
		free(cand);
	}
	return found;
}

int find_vmlinux(struct input *in, const struct vmlinux_dirs *dirs, char *mismatch, size_t mlen)
{
	static const char *const system[] = { "/usr/lib/debug/boot/vmlinux-%s", "/usr/lib/debug/lib/modules/%s/vmlinux" };
	/*
	 * Beside the dump: a plain vmlinux, or the kernel SUSE's kdumptool copied there
	 * (SaveDump::findKernel(): /boot/vmlinux-<release>, .gz, .xz), compressed or not.
	 */
	static const char *const beside[] = { "%s/vmlinux", "%s/vmlinux-%s", "%s/vmlinux-%s.gz", "%s/vmlinux-%s.xz",
					      "%s/vmlinux-%s.bz2", "%s/vmlinux-%s.zst" };
	char *dir = dir_of(in->dump), *cand = NULL;
	int i, found = 0;
	unsigned j;

	mismatch[0] = 0;
	for (i = 0; i < dirs->n && !found; i++)
		found = try_dir(in, dirs->v[i], mismatch, mlen);
	for (j = 0; j < sizeof(beside) / sizeof(beside[0]) && !found && dir; j++) {
		if (asprintf(&cand, beside[j], dir, in->release) < 0)
			break;
		found = try_vmlinux(in, cand, mismatch, mlen);
		free(cand);
	}
	for (j = 0; j < sizeof(system) / sizeof(system[0]) && !found; j++) {
		if (asprintf(&cand, system[j], in->release) < 0)
			break;
		found = try_vmlinux(in, cand, mismatch, mlen);
		free(cand);
	}
	free(dir);
	if (!found)
		in->vmlinux[0] = 0;
	return found ? 0 : -1;
}
