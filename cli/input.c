/*
 * input.c - the list of a batch's inputs and the names of kinds and verdicts.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "input.h"

const char *input_kind_name(enum input_kind k)
{
	static const char *const names[] = { "vmcore", "kdump-dir", "text" };

	return names[k];
}

const char *verdict_name(int v)
{
	return v == V_ERROR ? "ERROR" : vmf_verdict_name((enum vmf_verdict)v);
}

int verdict_from_name(const char *name)
{
	int v;

	for (v = 0; v < V_COUNT; v++)
		if (!strcmp(name, verdict_name(v)))
			return v;
	return V_NONE;
}

struct input *input_add(struct input_list *l, const char *path, enum input_kind k, const char *dump,
			const char *dmesg)
{
	struct input *in;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct input *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	in = &l->v[l->n];
	memset(in, 0, sizeof(*in));
	in->path = strdup(path);
	in->dump = strdup(dump ? dump : "");
	in->dmesg = strdup(dmesg ? dmesg : "");
	in->vmlinux = strdup("");
	in->work = strdup(in->dump ? in->dump : "");
	if (!in->path || !in->dump || !in->dmesg || !in->vmlinux || !in->work) {
		free(in->path);
		free(in->dump);
		free(in->dmesg);
		free(in->vmlinux);
		free(in->work);
		return NULL;
	}
	in->kind = k;
	in->verdict = V_NONE;
	l->n++;
	return in;
}

static void input_free(struct input *in)
{
	free(in->path);
	free(in->dump);
	free(in->dmesg);
	free(in->vmlinux);
	free(in->work);
	free(in->report);
	free(in->explain);
	free(in->resumed);
}

void input_list_free(struct input_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		input_free(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void input_list_filter(struct input_list *l, int (*keep)(const struct input *in, const void *arg), const void *arg)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (keep(&l->v[i], arg))
			l->v[n++] = l->v[i];
		else
			input_free(&l->v[i]);
	}
	l->n = n;
}

void input_fail(struct input *in, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(in->error, sizeof(in->error), fmt, ap);
	va_end(ap);
	in->verdict = V_ERROR;
}

void input_note(struct input *in, const char *fmt, ...)
{
	va_list ap;

	if (in->nnotes == INPUT_MAX_NOTES) {
		snprintf(in->notes[INPUT_MAX_NOTES - 1], sizeof(in->notes[0]), "(more notes left out)");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(in->notes[in->nnotes++], sizeof(in->notes[0]), fmt, ap);
	va_end(ap);
}

const char *input_text_name(const struct input *in)
{
	const char *slash = strrchr(in->dmesg, '/');

	return slash ? slash + 1 : in->dmesg;
}
