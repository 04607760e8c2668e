/*
 * input.h - one input of a triage batch (a vmcore, a kdump directory or a
 * console log) and its result.  Discovery creates them, the job runner fills
 * the result, the results file and the output print them.
 */
#ifndef TRIAGE_INPUT_H
#define TRIAGE_INPUT_H

#include <stddef.h>
#include <sys/types.h>
#include "vmf_report.h"
#include "layout.h"

enum input_kind { K_VMCORE, K_KDUMP_DIR, K_TEXT };
const char *input_kind_name(enum input_kind k);

/*
 * How an input's job runs: decided already (an error, or reused), from its
 * text here, by crash, or by the direct engine in a child process.
 */
enum input_plan { PLAN_DONE = 0, PLAN_TEXT, PLAN_CRASH, PLAN_DIRECT };

/*
 * A result's verdict: the engine's own (vmf_verdict_name(0..3): MATCH, RELATED,
 * NO MATCH, INCONCLUSIVE), then the one the CLI adds for an input that could not
 * be diagnosed at all.
 */
#define V_ERROR VMF_NVERDICTS
#define V_COUNT (VMF_NVERDICTS + 1)
#define V_NONE (-1)
const char *verdict_name(int v);
int verdict_from_name(const char *name);   /* V_NONE when it is none of them */

#define INPUT_MAX_NOTES 8

struct input {
	char *path;               /* as given or found */
	char *dump;               /* the vmcore: K_VMCORE, K_KDUMP_DIR */
	char *dmesg;              /* the text saved beside the dump (vmcore-dmesg.txt, dmesg.<STAMP>), or the text file */
	enum input_kind kind;
	enum layout saved_by;     /* whose kdump saved the directory, when its names say */
	int incomplete;           /* the layout marks the dump's saving unfinished */
	int compression;          /* enum compression of the dump file as a whole */
	char *work;               /* the file crash reads: the dump, or its decompressed copy */
	enum input_plan plan;
	const char *text_source;  /* PLAN_TEXT: what the report calls the text */
	char text_source_buf[120]; /* ... when it names the text beside the dump: "dmesg.<STAMP> (why)" */

	/* the result */
	char release[80];
	char build_id[72];        /* VMCOREINFO BUILD-ID, hex */
	char *vmlinux;            /* the vmlinux crash runs with */
	char stamp[200];          /* what the result depends on: --resume reuses it while unchanged */
	char *resumed;            /* the earlier result line, when reused */
	int verdict;              /* V_NONE until decided */
	char signature[48];
	char error[600];
	char fallback[600];       /* why a dump was diagnosed from the text beside it instead */
	char read_note[120];      /* how a text was read, when it was not read whole */
	char *report;             /* the vmfault JSON object */
	char *explain;            /* -v: the full text report, as crash> vmfault -v prints it */
	char engine[8];           /* "direct", "crash", "text": what answered */
	int tier;                 /* 1-4 (vmf_direct.h), 0 when not known */
	char tier_what[512];      /* what the direct engine read */
	char tier_falls[600];     /* why it did not reach a better tier */
	char engine_why[300];     /* why crash answered under --engine auto */
	char layout[400];         /* the direct engine's layout, a JSON object ("" otherwise) */
	char vmlinux_why[600];    /* why no vmlinux was found (the direct engine's tier 2) */
	int text_only;
	double elapsed;
	int nnotes;               /* what the result must say besides its verdict */
	char notes[INPUT_MAX_NOTES][320];
};

struct input_list {
	struct input *v;
	size_t n, cap;
};

/* A new input at the end of the list (zeroed, verdict V_NONE); NULL when memory ran out. */
struct input *input_add(struct input_list *l, const char *path, enum input_kind k, const char *dump,
			const char *dmesg);
void input_list_free(struct input_list *l);
/* Keeps the inputs keep() says 1 of, in their order, and frees the others. */
void input_list_filter(struct input_list *l, int (*keep)(const struct input *in, const void *arg), const void *arg);
/* Sets the input's error (printf-style): its verdict becomes ERROR. */
void input_fail(struct input *in, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* A note for the result (printf-style); past INPUT_MAX_NOTES the last one says how many were left out. */
void input_note(struct input *in, const char *fmt, ...)
#ifdef __GNUC__
	__attribute__((format(printf, 2, 3)))
#endif
	;
/* The file name of the text beside the dump, for the report's log source ("vmcore-dmesg.txt"). */
const char *input_text_name(const struct input *in);

#endif
