/*
 * layout.h - the files each distribution's kdump saves for one crash, by name:
 * which is the dump, which the text saved beside it, which mark an unfinished
 * save, and which only accompany them (the kernel, a README).  Discovery groups
 * a directory's files into crashes with these roles.
 */
#ifndef TRIAGE_LAYOUT_H
#define TRIAGE_LAYOUT_H

#include <stddef.h>

enum layout { LAYOUT_NONE = 0, LAYOUT_KEXEC_TOOLS, LAYOUT_KDUMP_TOOLS, LAYOUT_SUSE };

/* "kexec-tools" (Fedora, RHEL), "kdump-tools" (Debian, Ubuntu), "suse-kdump"; NULL for none */
const char *layout_name(enum layout l);

enum file_role {
	ROLE_OTHER = 0,           /* not a name any layout gives */
	ROLE_DUMP,                /* the saved dump, maybe compressed as a whole */
	ROLE_DUMP_INCOMPLETE,     /* a dump whose saving did not finish */
	ROLE_TEXT,                /* the kernel log saved beside the dump */
	ROLE_TEXT_INCOMPLETE,     /* that log, its saving unfinished */
	ROLE_README,              /* SUSE's README.txt: says whether the save finished */
	ROLE_KERNEL,              /* the crashed kernel copied beside the dump (SUSE) */
	ROLE_SIDE,                /* belongs to the save, is not a crash's record (the capture kernel's own log) */
};

struct layout_name_info {
	enum file_role role;
	enum layout layout;       /* the layout the name is specific to; LAYOUT_NONE when several share it */
	char key[96];             /* the crash it belongs to in its directory: kdump-tools' STAMP, or "" */
};

/* The role a file's name (its last component) gives it. */
void layout_classify(const char *name, struct layout_name_info *info);

/*
 * SUSE writes README.txt twice: first saying the dump is likely incomplete, then,
 * once the dump is saved, its status.  1 when the text says the save did not
 * finish, with the line that says so in why.
 */
int layout_readme_incomplete(const char *text, char *why, size_t wlen);

#endif
