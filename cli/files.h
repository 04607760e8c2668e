/*
 * files.h - opening and reading the files a batch meets, none of which is
 * trusted to be what its name says: a FIFO or a device must never block the
 * batch, so nothing is read before it is known to be a regular file.
 */
#ifndef TRIAGE_FILES_H
#define TRIAGE_FILES_H

#include <stddef.h>
#include <stdio.h>

/*
 * open(2) without blocking (O_NONBLOCK: a FIFO with no writer would wait
 * forever), then refused unless fstat says it is a regular file.  Returns the
 * descriptor, or -1 with the reason in why ("cannot open: ...", "a FIFO, not a
 * regular file").
 */
int open_regular(const char *path, char *why, size_t wlen);
FILE *fopen_regular(const char *path, char *why, size_t wlen);

/* "a FIFO", "a directory", ...: what a st_mode that is not a regular file is */
const char *file_type_name(unsigned mode);

/*
 * The first `max` bytes of a regular file, NUL-terminated (*len without the
 * NUL); NULL with the reason in why.
 */
char *read_head(const char *path, size_t max, size_t *len, char *why, size_t wlen);

/* Is it a regular file (stat, following links)? */
int is_regular(const char *path);

/* The directory part of a path ("." when it has none), malloc'd. */
char *dir_of(const char *path);

#endif
