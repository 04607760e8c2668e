/*
 * layout.c - the names each kdump implementation gives a crash's files.
 *
 * Debian and Ubuntu, kdump-tools (kdump-config of kdump-tools 1:1.8.1):
 *   kdump_save_core() writes into $KDUMP_COREDIR/<STAMP>/, STAMP = date +%Y%m%d%H%M
 *   (kdump-config:742-746): dmesg.<STAMP> (makedumpfile --dump-dmesg, 798), then
 *   `makedumpfile $MAKEDUMP_ARGS /proc/vmcore | compress > dump-incomplete<EXT>`
 *   renamed to dump.<STAMP><EXT> when it succeeds (814, 827).  MAKEDUMP_ARGS always
 *   holds -F (56-58), so the dump is a flattened stream; compress() and
 *   compression_extension() (679-713) give KDUMP_COMPRESSION's bzip2 .bz2, gzip
 *   .gz, lz4 .lz4, xz .xz of the whole stream.  When makedumpfile fails, cp
 *   writes vmcore-incomplete, renamed vmcore.<STAMP> (819-820).  Over ssh the same
 *   names (935-938); over FTP define_stampdir "" makes them <host>-dump.<STAMP>
 *   and <host>-dmesg.<STAMP> side by side in one directory (871-876, 613-639).
 *
 * Fedora and RHEL, kexec-tools / kdump-utils (dracut/99kdumpbase/kdump.sh):
 *   dump_fs() saves <HOST_IP>-<DATEDIR>/vmcore-incomplete, renamed vmcore after
 *   sync; save_vmcore_dmesg_fs() writes vmcore-dmesg-incomplete.txt, renamed
 *   vmcore-dmesg.txt; save_log() leaves kexec-dmesg.log, the capture kernel's
 *   own log.  dump_ssh() renames a flattened vmcore-incomplete to vmcore.flat.
 *
 * SUSE, kdump (openSUSE/kdump): dracut/kdump-save writes README.txt first saying
 *   "If you see this text the crash dump is likely incomplete.", then dmesg
 *   (makedumpfile -F --dump-dmesg), then vmcore (makedumpfile -F: flattened),
 *   then README.txt again with "vmcore status: saved successfully" or "error
 *   while saving".  kdumptool's SaveDump (until 493ab5d, 2023) wrote dmesg.txt,
 *   vmcore and README.txt, and with KDUMP_COPY_KERNEL copied System.map-<release>
 *   and the kernel, /boot/vmlinux-<release>[.gz|.xz] (findKernel()), beside them.
 */
#include <stdio.h>
#include <string.h>
#include "layout.h"

const char *layout_name(enum layout l)
{
	static const char *const names[] = { NULL, "kexec-tools", "kdump-tools", "suse-kdump" };

	return names[l];
}

/* The whole-stream suffixes of kdump-config's compression_extension(), and zstd's. */
static size_t compression_suffix(const char *name, size_t len)
{
	static const char *const sufs[] = { ".gz", ".bz2", ".lz4", ".xz", ".zst" };
	size_t i, sl;

	for (i = 0; i < sizeof(sufs) / sizeof(sufs[0]); i++) {
		sl = strlen(sufs[i]);
		if (len > sl && !strncmp(name + len - sl, sufs[i], sl))
			return sl;
	}
	return 0;
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

static int is(const char *name, size_t len, const char *lit)
{
	return strlen(lit) == len && !strncmp(name, lit, len);
}

/*
 * kdump-tools: [<host>-]dump.<STAMP>, [<host>-]dmesg.<STAMP>, vmcore.<STAMP>, with
 * the crash's key "<host>-<STAMP>".  1 when the name is one of them.
 */
static int kdump_tools_name(const char *name, size_t len, struct layout_name_info *info)
{
	static const struct { const char *word; enum file_role role; } words[] = {
		{ "dump.", ROLE_DUMP }, { "dmesg.", ROLE_TEXT }, { "vmcore.", ROLE_DUMP },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t wl = strlen(words[i].word);
		const char *w = NULL;

		if (len > wl && !strncmp(name, words[i].word, wl))
			w = name;
		else if (i < 2) {
			/* FTP's <host>-dump.<STAMP> and <host>-dmesg.<STAMP>: the word after the last '-' */
			const char *dash = memchr(name, '-', len);
			while (dash && memchr(dash + 1, '-', len - (size_t)(dash + 1 - name)))
				dash = memchr(dash + 1, '-', len - (size_t)(dash + 1 - name));
			if (dash && (size_t)(name + len - (dash + 1)) > wl && !strncmp(dash + 1, words[i].word, wl))
				w = dash + 1;
		}
		if (!w || !all_digits(w + wl, len - (size_t)(w - name) - wl))
			continue;
		info->role = words[i].role;
		info->layout = LAYOUT_KDUMP_TOOLS;
		snprintf(info->key, sizeof(info->key), "%.*s%.*s", (int)(w - name), name,
			 (int)(len - (size_t)(w - name) - wl), w + wl);
		return 1;
	}
	return 0;
}

void layout_classify(const char *name, struct layout_name_info *info)
{
	const char *slash = strrchr(name, '/');
	size_t len, suf;

	if (slash)
		name = slash + 1;
	len = strlen(name);
	memset(info, 0, sizeof(*info));
	/* a dump may be compressed as a whole: its name is the one under the suffix */
	suf = compression_suffix(name, len);
	if (kdump_tools_name(name, len - suf, info)) {
		if (suf && info->role != ROLE_DUMP)
			info->role = ROLE_OTHER;
		return;
	}
	len -= suf;
	if (is(name, len, "dump-incomplete")) {
		info->role = ROLE_DUMP_INCOMPLETE;
		info->layout = LAYOUT_KDUMP_TOOLS;
	} else if (is(name, len, "vmcore") || is(name, len, "vmcore.flat") || is(name, len, "vmcore.flattened"))
		info->role = ROLE_DUMP;
	else if (is(name, len, "vmcore-incomplete"))
		info->role = ROLE_DUMP_INCOMPLETE;
	else if (!strncmp(name, "System.map-", 11) || !strncmp(name, "vmlinux-", 8) || !strncmp(name, "vmlinuz-", 8))
		info->role = ROLE_KERNEL, info->layout = LAYOUT_SUSE;     /* compressed or not */
	else if (suf)
		return;
	else if (is(name, len, "vmcore-dmesg.txt"))
		info->role = ROLE_TEXT, info->layout = LAYOUT_KEXEC_TOOLS;
	else if (is(name, len, "vmcore-dmesg-incomplete.txt"))
		info->role = ROLE_TEXT_INCOMPLETE, info->layout = LAYOUT_KEXEC_TOOLS;
	else if (is(name, len, "kexec-dmesg.log"))
		info->role = ROLE_SIDE, info->layout = LAYOUT_KEXEC_TOOLS;
	else if (is(name, len, "dmesg") || is(name, len, "dmesg.txt"))
		info->role = ROLE_TEXT, info->layout = LAYOUT_SUSE;
	else if (is(name, len, "README.txt"))
		info->role = ROLE_README, info->layout = LAYOUT_SUSE;
	else if (is(name, len, "makedumpfile-R.pl") || is(name, len, "rearrange.sh"))
		info->role = ROLE_SIDE, info->layout = LAYOUT_SUSE;
}

int layout_readme_incomplete(const char *text, char *why, size_t wlen)
{
	/* the first README (kdump-save) and a failed save's final one */
	static const char *const marks[] = { "If you see this text the crash dump is likely incomplete",
					     "vmcore status: error", "vmcore status: deleted" };
	unsigned i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		const char *p = strstr(text, marks[i]), *e;
		if (!p)
			continue;
		e = strchr(p, '\n');
		snprintf(why, wlen, "README.txt: \"%.*s\"", (int)(e ? e - p : (int)strlen(p)), p);
		return 1;
	}
	return 0;
}
