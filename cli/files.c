/*
 * files.c - open only regular files, never blocking on the way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "files.h"

const char *file_type_name(unsigned mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return "a regular file";
	case S_IFDIR:
		return "a directory";
	case S_IFIFO:
		return "a FIFO";
	case S_IFSOCK:
		return "a socket";
	case S_IFCHR:
		return "a character device";
	case S_IFBLK:
		return "a block device";
	case S_IFLNK:
		return "a symbolic link";
	}
	return "not a regular file";
}

int open_regular(const char *path, char *why, size_t wlen)
{
	struct stat st;
	int fd;

	/* refuse what is not a regular file before open(): opening a FIFO has side effects */
	if (stat(path, &st) != 0) {
		snprintf(why, wlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, wlen, "%s, not a regular file", file_type_name(st.st_mode));
		return -1;
	}
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(why, wlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* it may have been replaced in between: what counts is what was opened */
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, wlen, "%s, not a regular file", file_type_name(st.st_mode));
		close(fd);
		return -1;
	}
	/* reads of a regular file do not block; clear the flag for the readers that follow */
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

FILE *fopen_regular(const char *path, char *why, size_t wlen)
{
	int fd = open_regular(path, why, wlen);
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, "rb");
	if (!f) {
		snprintf(why, wlen, "cannot open: %s", strerror(errno));
		close(fd);
	}
	return f;
}

int is_regular(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *read_head(const char *path, size_t max, size_t *len, char *why, size_t wlen)
{
	FILE *f = fopen_regular(path, why, wlen);
	char *buf;

	*len = 0;
	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf) {
		snprintf(why, wlen, "out of memory reading %zu bytes", max);
		fclose(f);
		return NULL;
	}
	*len = fread(buf, 1, max, f);
	buf[*len] = 0;
	if (ferror(f)) {
		snprintf(why, wlen, "read error: %s", strerror(errno));
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}
