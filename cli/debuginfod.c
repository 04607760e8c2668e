/*
 * debuginfod.c - a dump's vmlinux through libdebuginfod (see debuginfod.h).
 *
 * libdebuginfod reads the server list from $DEBUGINFOD_URLS at each query;
 * --debuginfod URL is put there for the query only, so that the crash processes
 * started later inherit the user's environment unchanged.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <elfutils/debuginfod.h>
#include "debuginfod.h"
#include "vmlinux_index.h"

static debuginfod_client *client;

const char *vmf_debuginfod_urls(const char *url)
{
	const char *env = getenv(DEBUGINFOD_URLS_ENV_VAR);

	if (url && *url)
		return url;
	return env && env[strspn(env, " \t")] ? env : NULL;
}

/* One query with url as $DEBUGINFOD_URLS; the variable is restored after. */
static int query(const char *url, const char *build_id, char **path)
{
	char *saved = NULL;
	const char *old = getenv(DEBUGINFOD_URLS_ENV_VAR);
	int fd;

	if (url && *url) {
		saved = old ? strdup(old) : NULL;
		setenv(DEBUGINFOD_URLS_ENV_VAR, url, 1);
	}
	fd = debuginfod_find_debuginfo(client, (const unsigned char *)build_id, 0, path);
	if (url && *url) {
		if (saved)
			setenv(DEBUGINFOD_URLS_ENV_VAR, saved, 1);
		else
			unsetenv(DEBUGINFOD_URLS_ENV_VAR);
		free(saved);
	}
	return fd;
}

int vmf_debuginfod_vmlinux(const char *url, const char *build_id, char *out, size_t len, char *why, size_t wlen)
{
	const char *urls = vmf_debuginfod_urls(url);
	struct elf_kernel_id id;
	char *path = NULL;
	int fd;

	out[0] = 0;
	if (!urls) {
		snprintf(why, wlen, "no debuginfod server (give --debuginfod URL or set DEBUGINFOD_URLS)");
		return -1;
	}
	if (!build_id || strlen(build_id) < 2 || build_id[strspn(build_id, "0123456789abcdef")]) {
		snprintf(why, wlen, "no build-id to ask debuginfod for");
		return -1;
	}
	if (!client && !(client = debuginfod_begin())) {
		snprintf(why, wlen, "libdebuginfod: cannot start a client");
		return -1;
	}
	fd = query(url, build_id, &path);
	if (fd < 0) {
		snprintf(why, wlen, "debuginfod (%.120s): %s", urls,
			 fd == -ENOENT ? "no server has this build-id" : strerror(-fd));
		free(path);
		return -1;
	}
	close(fd);
	if (elf_kernel_id_read(path, &id) != 0 || !id.is_kernel || strcmp(id.build_id, build_id)) {
		snprintf(why, wlen, "debuginfod gave %.150s, not a kernel with build-id %.16s...: %s", path, build_id,
			 id.why[0] ? id.why : "another build-id");
		free(path);
		return -1;
	}
	snprintf(out, len, "%s", path);
	free(path);
	return 0;
}

void vmf_debuginfod_end(void)
{
	if (client)
		debuginfod_end(client);
	client = NULL;
}
