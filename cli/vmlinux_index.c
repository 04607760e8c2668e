/*
 * vmlinux_index.c - a dump's vmlinux by build-id (see vmlinux_index.h).
 *
 * The ELF reader reads the ELF header, the section header table, the section
 * name table and the note sections, each bounded, through pread(): a vmlinux
 * with DWARF is 600 MB and its section headers sit at its end.
 */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmlinux_index.h"

#define SECTIONS_MAX 4096          /* a vmlinux has about 90 */
#define TABLE_MAX (64 << 10)       /* section names, one note section */
#define DIRS_MAX 64

/* ---- one file's ELF headers ------------------------------------------------ */

static int read_at(int fd, void *buf, size_t n, uint64_t off, struct elf_kernel_id *id)
{
	ssize_t r = pread(fd, buf, n, (off_t)off);

	if (r > 0)
		id->bytes_read += (unsigned long)r;
	return r == (ssize_t)n ? 0 : -1;
}

/* The GNU build-id among the notes of buf (one note section or segment). */
static int build_id_in_notes(const unsigned char *buf, size_t len, char *hex, size_t hexlen)
{
	size_t off = 0;

	while (off + sizeof(Elf64_Nhdr) <= len) {
		Elf64_Nhdr nh;
		size_t name_off, desc_off, k;

		memcpy(&nh, buf + off, sizeof(nh));
		name_off = off + sizeof(nh);
		desc_off = name_off + ((nh.n_namesz + 3) & ~3u);
		if (nh.n_namesz > len || nh.n_descsz > len || desc_off + nh.n_descsz > len)
			return -1;
		if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && !memcmp(buf + name_off, "GNU", 4) &&
		    nh.n_descsz > 0 && 2 * nh.n_descsz < hexlen) {
			for (k = 0; k < nh.n_descsz; k++)
				sprintf(hex + 2 * k, "%02x", buf[desc_off + k]);
			return 0;
		}
		off = desc_off + ((nh.n_descsz + 3) & ~3u);
	}
	return -1;
}

/* Read one note area (file offset, size) and look for the build-id in it. */
static int note_area(int fd, uint64_t off, uint64_t size, struct elf_kernel_id *id)
{
	unsigned char *buf;
	int ret = -1;

	if (size == 0 || size > TABLE_MAX || !(buf = malloc(size)))
		return -1;
	if (read_at(fd, buf, size, off, id) == 0)
		ret = build_id_in_notes(buf, size, id->build_id, sizeof(id->build_id));
	free(buf);
	return ret;
}

/* The section header table, with the extended numbering of more than 0xff00 sections. */
static Elf64_Shdr *read_sections(int fd, const Elf64_Ehdr *eh, unsigned *count, unsigned *strndx,
				 struct elf_kernel_id *id)
{
	Elf64_Shdr first, *sh;
	unsigned n = eh->e_shnum, str = eh->e_shstrndx;

	if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Elf64_Shdr))
		return NULL;
	if (read_at(fd, &first, sizeof(first), eh->e_shoff, id) != 0)
		return NULL;
	if (n == 0)
		n = first.sh_size > SECTIONS_MAX ? SECTIONS_MAX + 1 : (unsigned)first.sh_size;
	if (str == SHN_XINDEX)
		str = first.sh_link;
	if (n == 0 || n > SECTIONS_MAX || str >= n || !(sh = calloc(n, sizeof(*sh))))
		return NULL;
	if (read_at(fd, sh, n * sizeof(*sh), eh->e_shoff, id) != 0) {
		free(sh);
		return NULL;
	}
	*count = n;
	*strndx = str;
	return sh;
}

/* .init.text (x86-64's vmlinux.lds.S has placed __init code there since before git, 1da177e4c3f4). */
static void judge_sections(int fd, const Elf64_Ehdr *eh, struct elf_kernel_id *id)
{
	unsigned n = 0, str = 0, i;
	Elf64_Shdr *sh = read_sections(fd, eh, &n, &str, id);
	char *names = NULL;
	uint64_t nsize;

	if (!sh) {
		snprintf(id->why, sizeof(id->why), "no readable section headers");
		return;
	}
	nsize = sh[str].sh_size;
	if (sh[str].sh_type == SHT_STRTAB && nsize > 0 && nsize <= TABLE_MAX && (names = malloc(nsize + 1)) &&
	    read_at(fd, names, nsize, sh[str].sh_offset, id) != 0) {
		free(names);
		names = NULL;
	}
	if (names) {
		names[nsize] = 0;
		for (i = 0; i < n; i++)
			if (sh[i].sh_name < nsize && !strcmp(names + sh[i].sh_name, ".init.text"))
				id->is_kernel = eh->e_type == ET_EXEC;
	}
	for (i = 0; i < n && id->is_kernel && !id->build_id[0]; i++)
		if (sh[i].sh_type == SHT_NOTE)
			note_area(fd, sh[i].sh_offset, sh[i].sh_size, id);
	if (!id->is_kernel)
		snprintf(id->why, sizeof(id->why), "%s", eh->e_type != ET_EXEC ? "not an ELF executable (ET_EXEC)"
			 : names ? "no .init.text section" : "no readable section names");
	free(names);
	free(sh);
}

int elf_kernel_id_read(const char *path, struct elf_kernel_id *id)
{
	Elf64_Ehdr eh;
	struct stat st;
	int fd;

	memset(id, 0, sizeof(*id));
	/* O_NONBLOCK: a FIFO put where a file was must not hang the batch; only a regular file is read */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		snprintf(id->why, sizeof(id->why), "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(id->why, sizeof(id->why), "not a regular file");
		close(fd);
		return -1;
	}
	if (read_at(fd, &eh, sizeof(eh), 0, id) != 0 || memcmp(eh.e_ident, ELFMAG, SELFMAG)) {
		snprintf(id->why, sizeof(id->why), "not an ELF file");
		close(fd);
		return -1;
	}
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
		snprintf(id->why, sizeof(id->why), "not a little-endian ELF64 file");
		close(fd);
		return -1;
	}
	judge_sections(fd, &eh, id);
	close(fd);
	return 0;
}

/* ---- the index ---------------------------------------------------------------- */

struct ix_file {
	char *path;
	long long size, mtime_ns;
	char kind;                             /* 'K' a kernel, 'N' none */
	char build_id[VMLINUX_BUILD_ID_HEX];   /* "" when none */
	int used;                              /* a cache entry met again in this run */
};

struct ix_dir {
	char *path;
	int walked;
	char error[120];
	struct vmlinux_index_stats st;
};

struct ix_seen {
	dev_t dev;
	ino_t ino;
	int used;
};

struct vmlinux_index {
	char *cache_file;
	struct ix_file *old;                   /* the cache file's entries, sorted by path */
	size_t nold;
	struct ix_file *cur;                   /* the files met in this run */
	size_t ncur, capcur;
	struct ix_dir dirs[DIRS_MAX];
	int ndirs;
	struct ix_seen *seen;                  /* directories and files met, by device and inode */
	size_t nseen, capseen;
	char found[4096];
};

static long long mtime_ns(const struct stat *st)
{
	return (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct ix_file *)a)->path, ((const struct ix_file *)b)->path);
}

/* 1 when (dev, ino) is new, 0 when met before (an open-addressing set). */
static int seen_add(struct vmlinux_index *ix, dev_t dev, ino_t ino)
{
	size_t h, i;

	if (2 * (ix->nseen + 1) > ix->capseen) {
		size_t cap = ix->capseen ? 2 * ix->capseen : 1024;
		struct ix_seen *old = ix->seen, *n = calloc(cap, sizeof(*n));

		if (!n)
			return 1;
		ix->seen = n;
		ix->capseen = cap;
		ix->nseen = 0;
		for (i = 0; old && i < cap / 2; i++)
			if (old[i].used)
				seen_add(ix, old[i].dev, old[i].ino);
		free(old);
	}
	h = ((size_t)dev * 0x9e3779b97f4a7c15ULL ^ (size_t)ino * 0xc2b2ae3d27d4eb4fULL) & (ix->capseen - 1);
	for (i = h; ix->seen[i].used; i = (i + 1) & (ix->capseen - 1))
		if (ix->seen[i].dev == dev && ix->seen[i].ino == ino)
			return 0;
	ix->seen[i].dev = dev;
	ix->seen[i].ino = ino;
	ix->seen[i].used = 1;
	ix->nseen++;
	return 1;
}

static struct ix_file *cur_add(struct vmlinux_index *ix, const char *path)
{
	struct ix_file *f;

	if (ix->ncur == ix->capcur) {
		size_t cap = ix->capcur ? 2 * ix->capcur : 64;
		struct ix_file *n = realloc(ix->cur, cap * sizeof(*n));

		if (!n)
			return NULL;
		ix->cur = n;
		ix->capcur = cap;
	}
	f = &ix->cur[ix->ncur];
	memset(f, 0, sizeof(*f));
	if (!(f->path = strdup(path)))
		return NULL;
	ix->ncur++;
	return f;
}

/* A file of the walk: from the cache when its size and mtime are the cached ones, else read. */
static void judge_file(struct vmlinux_index *ix, struct ix_dir *d, const char *path, const struct stat *st)
{
	struct ix_file key, *hit, *f;
	struct elf_kernel_id id;

	key.path = (char *)path;
	hit = ix->nold ? bsearch(&key, ix->old, ix->nold, sizeof(key), by_path) : NULL;
	if (!(f = cur_add(ix, path)))
		return;
	f->size = st->st_size;
	f->mtime_ns = mtime_ns(st);
	d->st.files++;
	if (hit)
		hit->used = 1;         /* this run's entry replaces it in the cache */
	if (hit && hit->size == f->size && hit->mtime_ns == f->mtime_ns) {
		f->kind = hit->kind;
		memcpy(f->build_id, hit->build_id, sizeof(f->build_id));
		d->st.cached++;
	} else {
		elf_kernel_id_read(path, &id);
		f->kind = id.is_kernel ? 'K' : 'N';
		memcpy(f->build_id, id.build_id, sizeof(f->build_id));
		d->st.judged++;
		d->st.bytes_read += id.bytes_read;
	}
	d->st.kernels += f->kind == 'K';
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/*
 * Entries in name order (scandir), so that of two paths to one file (a symlink
 * and its target) the same one is indexed on every filesystem.
 */
static void walk(struct vmlinux_index *ix, struct ix_dir *d, const char *path, int depth)
{
	struct dirent **names = NULL;
	char sub[4096];
	struct stat st;
	int n = scandir(path, &names, NULL, by_name), i;

	if (n < 0 && depth == 0)
		snprintf(d->error, sizeof(d->error), "cannot open: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (strcmp(name, ".") && strcmp(name, "..") &&
		    (size_t)snprintf(sub, sizeof(sub), "%s/%s", path, name) < sizeof(sub) && stat(sub, &st) == 0) {
			if (!S_ISDIR(st.st_mode)) {
				if (S_ISREG(st.st_mode) && st.st_size >= VMLINUX_MIN_SIZE && seen_add(ix, st.st_dev, st.st_ino))
					judge_file(ix, d, sub, &st);
			} else if (depth + 1 > VMLINUX_INDEX_DEPTH) {
				d->st.too_deep++;
			} else if (!seen_add(ix, st.st_dev, st.st_ino)) {
				d->st.loops++;
			} else {
				walk(ix, d, sub, depth + 1);
			}
		}
		free(names[i]);
	}
	free(names);
}

static void walk_all(struct vmlinux_index *ix)
{
	int i;
	struct stat st;

	for (i = 0; i < ix->ndirs; i++) {
		struct ix_dir *d = &ix->dirs[i];

		if (d->walked)
			continue;
		d->walked = 1;
		if (stat(d->path, &st) != 0) {
			snprintf(d->error, sizeof(d->error), "cannot open: %s", strerror(errno));
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			snprintf(d->error, sizeof(d->error), "not a directory");
			continue;
		}
		seen_add(ix, st.st_dev, st.st_ino);
		walk(ix, d, d->path, 0);
	}
}

/* ---- lookups ------------------------------------------------------------------ */

int vmlinux_build_id_link(const char *root, const char *build_id, char *out, size_t len)
{
	static const char *const suffixes[] = { ".debug", "" };
	struct elf_kernel_id id;
	char path[4096];
	unsigned i;

	if (strlen(build_id) < 3)
		return -1;
	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s/.build-id/%.2s/%s%s", root, build_id, build_id + 2, suffixes[i]);
		if (access(path, R_OK) != 0 || elf_kernel_id_read(path, &id) != 0)
			continue;
		if (id.is_kernel && !strcmp(id.build_id, build_id)) {
			snprintf(out, len, "%s", path);
			return 0;
		}
	}
	return -1;
}

/* Of the kernels that pass `want`, the least path, so that the answer never depends on readdir order. */
static const char *least_kernel(struct vmlinux_index *ix, int (*want)(const struct ix_file *, const char *),
				const char *arg)
{
	const struct ix_file *best = NULL;
	size_t i;

	for (i = 0; i < ix->ncur; i++)
		if (ix->cur[i].kind == 'K' && want(&ix->cur[i], arg) && (!best || strcmp(ix->cur[i].path, best->path) < 0))
			best = &ix->cur[i];
	if (!best)
		return NULL;
	snprintf(ix->found, sizeof(ix->found), "%s", best->path);
	return ix->found;
}

static int has_build_id(const struct ix_file *f, const char *build_id)
{
	return !strcmp(f->build_id, build_id);
}

static int named_for_release(const struct ix_file *f, const char *release)
{
	const char *base = strrchr(f->path, '/'), *parent;
	size_t rl = strlen(release);

	base = base ? base + 1 : f->path;
	if (!strncmp(base, "vmlinux-", 8) && !strcmp(base + 8, release))
		return 1;
	if (strcmp(base, "vmlinux") || base - f->path < (ptrdiff_t)rl + 1)
		return 0;
	parent = base - 1 - rl;        /* ".../RELEASE/vmlinux" */
	return !strncmp(parent, release, rl) && (parent == f->path || parent[-1] == '/');
}

const char *vmlinux_index_find(struct vmlinux_index *ix, const char *build_id)
{
	static const char *const roots[] = { "", "/usr/lib/debug" };
	char root[4096];
	int i;
	unsigned r;

	if (!build_id || !*build_id)
		return NULL;
	for (i = 0; i < ix->ndirs; i++)
		for (r = 0; r < sizeof(roots) / sizeof(roots[0]); r++) {
			snprintf(root, sizeof(root), "%s%s", ix->dirs[i].path, roots[r]);
			if (vmlinux_build_id_link(root, build_id, ix->found, sizeof(ix->found)) == 0)
				return ix->found;
		}
	walk_all(ix);
	return least_kernel(ix, has_build_id, build_id);
}

const char *vmlinux_index_find_release(struct vmlinux_index *ix, const char *release)
{
	if (!release || !*release)
		return NULL;
	walk_all(ix);
	return least_kernel(ix, named_for_release, release);
}

/* ---- summaries ---------------------------------------------------------------- */

static void stats_add(struct vmlinux_index_stats *sum, const struct vmlinux_index_stats *st)
{
	sum->files += st->files;
	sum->kernels += st->kernels;
	sum->judged += st->judged;
	sum->cached += st->cached;
	sum->bytes_read += st->bytes_read;
	sum->loops += st->loops;
	sum->too_deep += st->too_deep;
}

void vmlinux_index_stats(const struct vmlinux_index *ix, struct vmlinux_index_stats *st)
{
	int i;

	memset(st, 0, sizeof(*st));
	for (i = 0; i < ix->ndirs; i++)
		stats_add(st, &ix->dirs[i].st);
}

static void append(char *buf, size_t len, size_t *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*n + 1 >= len)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *n, len - *n, fmt, ap);
	va_end(ap);
	*n = k < 0 ? *n : *n + (size_t)k >= len ? len - 1 : *n + (size_t)k;
}

void vmlinux_index_searched(const struct vmlinux_index *ix, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = 0;
	for (i = 0; i < ix->ndirs; i++) {
		const struct ix_dir *d = &ix->dirs[i];

		append(buf, len, &n, "%s%s (", i ? "; " : "", d->path);
		if (d->error[0] || !d->walked) {
			append(buf, len, &n, "%s)", d->error[0] ? d->error : "not walked");
			continue;
		}
		append(buf, len, &n, "%lu kernel%s in %lu file%s of 1 MiB or more", d->st.kernels,
		       d->st.kernels == 1 ? "" : "s", d->st.files, d->st.files == 1 ? "" : "s");
		if (d->st.loops)
			append(buf, len, &n, "; %lu director%s reached again through symbolic links, not walked twice",
			       d->st.loops, d->st.loops == 1 ? "y" : "ies");
		if (d->st.too_deep)
			append(buf, len, &n, "; %lu director%s deeper than %d levels not walked", d->st.too_deep,
			       d->st.too_deep == 1 ? "y" : "ies", VMLINUX_INDEX_DEPTH);
		append(buf, len, &n, ")");
	}
}

/* ---- the cache file ----------------------------------------------------------- */

int vmlinux_index_cache_path(const char *cache_dir, char *out, size_t len)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	int n;

	if (cache_dir && *cache_dir)
		n = snprintf(out, len, "%s/vmlinux-index", cache_dir);
	else if (xdg && xdg[0] == '/')          /* the XDG base directory spec: relative paths are ignored */
		n = snprintf(out, len, "%s/vmfault/vmlinux-index", xdg);
	else if (home && *home)
		n = snprintf(out, len, "%s/.cache/vmfault/vmlinux-index", home);
	else
		return -1;
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* kind TAB size TAB mtime_ns TAB build-id-or-"-" TAB path */
static int parse_line(char *line, struct ix_file *f)
{
	char kind, bid[VMLINUX_BUILD_ID_HEX];
	long long size, mt;
	int off = 0;

	memset(f, 0, sizeof(*f));
	if (sscanf(line, "%c\t%lld\t%lld\t%128[0-9a-f-]\t%n", &kind, &size, &mt, bid, &off) != 4 || !off ||
	    (kind != 'K' && kind != 'N') || !line[off])
		return -1;
	f->kind = kind;
	f->size = size;
	f->mtime_ns = mt;
	snprintf(f->build_id, sizeof(f->build_id), "%s", strcmp(bid, "-") ? bid : "");
	f->path = strdup(line + off);
	return f->path ? 0 : -1;
}

static void load_cache(struct vmlinux_index *ix)
{
	FILE *fp = ix->cache_file ? fopen(ix->cache_file, "r") : NULL;
	char line[4400];
	size_t cap = 0;

	if (!fp)
		return;
	while (fgets(line, sizeof(line), fp) && ix->nold < VMLINUX_INDEX_CACHE_MAX) {
		size_t l = strlen(line);

		if (!l || line[l - 1] != '\n' || line[0] == '#')
			continue;
		line[l - 1] = 0;
		if (ix->nold == cap) {
			struct ix_file *n = realloc(ix->old, (cap = cap ? 2 * cap : 256) * sizeof(*n));
			if (!n)
				break;
			ix->old = n;
		}
		if (parse_line(line, &ix->old[ix->nold]) == 0)
			ix->nold++;
	}
	fclose(fp);
	qsort(ix->old, ix->nold, sizeof(*ix->old), by_path);
}

static void write_entry(FILE *fp, const struct ix_file *f)
{
	if (!strchr(f->path, '\n'))
		fprintf(fp, "%c\t%lld\t%lld\t%s\t%s\n", f->kind, f->size, f->mtime_ns, f->build_id[0] ? f->build_id : "-",
			f->path);
}

/* mkdir -p of the cache file's directory */
static int make_parent(const char *file)
{
	char dir[4096], *p;

	snprintf(dir, sizeof(dir), "%s", file);
	if (!(p = strrchr(dir, '/')) || p == dir)
		return 0;
	*p = 0;
	for (p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = 0;
			if (mkdir(dir, 0755) != 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(dir, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

int vmlinux_index_save(struct vmlinux_index *ix, char *why, size_t len)
{
	char tmp[4200];
	FILE *fp;
	size_t i, lines = 0;
	struct stat st;

	if (!ix->cache_file)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.%ld.tmp", ix->cache_file, (long)getpid());
	if (make_parent(ix->cache_file) != 0 || !(fp = fopen(tmp, "w"))) {
		snprintf(why, len, "cannot write %s: %s", tmp, strerror(errno));
		return -1;
	}
	fprintf(fp, "# vmfault vmlinux index: kind (K kernel, N none) size mtime_ns build-id path\n");
	for (i = 0; i < ix->ncur && lines < VMLINUX_INDEX_CACHE_MAX; i++, lines++)
		write_entry(fp, &ix->cur[i]);
	/* entries of directories not given this time stay while their file is unchanged */
	for (i = 0; i < ix->nold && lines < VMLINUX_INDEX_CACHE_MAX; i++)
		if (!ix->old[i].used && stat(ix->old[i].path, &st) == 0 && st.st_size == ix->old[i].size &&
		    mtime_ns(&st) == ix->old[i].mtime_ns) {
			write_entry(fp, &ix->old[i]);
			lines++;
		}
	if (fclose(fp) != 0 || rename(tmp, ix->cache_file) != 0) {
		snprintf(why, len, "cannot write %s: %s", ix->cache_file, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* ---- life cycle --------------------------------------------------------------- */

struct vmlinux_index *vmlinux_index_new(const char *cache_file)
{
	struct vmlinux_index *ix = calloc(1, sizeof(*ix));

	if (!ix)
		return NULL;
	if (cache_file && !(ix->cache_file = strdup(cache_file))) {
		free(ix);
		return NULL;
	}
	load_cache(ix);
	return ix;
}

int vmlinux_index_add_dir(struct vmlinux_index *ix, const char *dir)
{
	struct ix_dir *d;
	size_t l = strlen(dir);

	if (ix->ndirs >= DIRS_MAX)
		return -1;
	d = &ix->dirs[ix->ndirs];
	memset(d, 0, sizeof(*d));
	if (!(d->path = strdup(dir)))
		return -1;
	while (l > 1 && d->path[l - 1] == '/')   /* DIR/ and DIR are one directory, and paths read DIR/x */
		d->path[--l] = 0;
	ix->ndirs++;
	return 0;
}

void vmlinux_index_free(struct vmlinux_index *ix)
{
	size_t i;
	int d;

	if (!ix)
		return;
	for (i = 0; i < ix->nold; i++)
		free(ix->old[i].path);
	for (i = 0; i < ix->ncur; i++)
		free(ix->cur[i].path);
	for (d = 0; d < ix->ndirs; d++)
		free(ix->dirs[d].path);
	free(ix->old);
	free(ix->cur);
	free(ix->seen);
	free(ix->cache_file);
	free(ix);
}
