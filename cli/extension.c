/* extension.c - the crash extension vmfault-triage uses (see extension.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elf.h>
#include "extension.h"

int vmf_crash_extension_dirs(const char *dirs[], int max)
{
	const char *env = getenv("CRASH_EXTENSIONS");
	int n = 0;

	if (n < max)
		dirs[n++] = ".";
	if (env && *env && n < max)
		dirs[n++] = env;
	if (n < max)
		dirs[n++] = "/usr/lib64/crash/extensions";
	if (n < max)
		dirs[n++] = "/usr/lib/crash/extensions";
	if (n < max)
		dirs[n++] = "./extensions";
	return n;
}

int vmf_self_dir(char *out, size_t len)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = 0;
	if (!(slash = strrchr(buf, '/')))
		return -1;
	*slash = 0;
	snprintf(out, len, "%s", slash == buf ? "/" : buf);
	return 0;
}

/* A file crash can dlopen(): an ELF shared object.  0, or -1 with why. */
static int loadable(const char *path, char *why, size_t wlen)
{
	Elf64_Ehdr eh;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		snprintf(why, wlen, "%.200s: %s", path, strerror(errno));
		return -1;
	}
	n = read(fd, &eh, sizeof(eh));
	close(fd);
	if (n != (ssize_t)sizeof(eh) || memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_type != ET_DYN) {
		snprintf(why, wlen, "%.200s is not an ELF shared object", path);
		return -1;
	}
	return 0;
}

static int take(const char *path, char *out, size_t len, char *why, size_t wlen)
{
	char abs[PATH_MAX];

	if (loadable(path, why, wlen) != 0)
		return -1;
	if (!realpath(path, abs)) {
		snprintf(why, wlen, "%.200s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(out, len, "%s", abs);
	return 0;
}

int vmf_find_extension(const char *given, const char *self_dir, const char *const dirs[], int ndirs,
		       char *out, size_t len, char *why, size_t wlen)
{
	const char *name = given && *given ? given : VMF_EXTENSION_NAME;
	char cand[PATH_MAX], looked[1200];
	size_t n = 0;
	int i;

	if (strchr(name, '/'))
		return take(name, out, len, why, wlen);
	looked[0] = 0;
	for (i = -1; i < ndirs; i++) {
		const char *dir = i < 0 ? self_dir : dirs[i];

		if (!dir)
			continue;
		snprintf(cand, sizeof(cand), "%s/%s", dir, name);
		if (access(cand, F_OK) == 0)
			return take(cand, out, len, why, wlen);
		if (n < sizeof(looked))
			n += snprintf(looked + n, sizeof(looked) - n, "%s%s", n ? ", " : "", dir);
	}
	snprintf(why, wlen, "%s not found beside vmfault-triage nor where crash looks (%.700s): "
		 "make install, or give --extension PATH", name, looked);
	return -1;
}
