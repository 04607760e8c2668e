/*
 * extension.h - which vmfault.so vmfault-triage hands to crash, decided once
 * before the first dump: a missing extension is one line at start-up, not a
 * crash start-up per dump that ends in "extend: ... not found".
 */
#ifndef VMF_EXTENSION_H
#define VMF_EXTENSION_H

#include <stddef.h>

#define VMF_EXTENSION_NAME "vmfault.so"
#define VMF_EXTENSION_DIRS 8

/*
 * Where crash looks for `extend NAME` when NAME has no '/' (crash 8.0.2's
 * `help extend`): the working directory, $CRASH_EXTENSIONS, /usr/lib64/crash/extensions,
 * /usr/lib/crash/extensions, ./extensions.  Fills dirs, returns how many.
 */
int vmf_crash_extension_dirs(const char *dirs[], int max);

/* The directory of the running binary (/proc/self/exe), or -1. */
int vmf_self_dir(char *out, size_t len);

/*
 * given: --extension or $VMFAULT_SO (NULL: VMF_EXTENSION_NAME).  A path (with
 * '/') is taken as it is; a bare name is looked for beside the binary (self_dir,
 * may be NULL), then in dirs.  0 with the file's absolute path in out, or -1
 * with a one-line reason naming every place looked.
 */
int vmf_find_extension(const char *given, const char *self_dir, const char *const dirs[], int ndirs,
		       char *out, size_t len, char *why, size_t wlen);

#endif
