/*
 * discover.h - from the paths on the command line to the batch's inputs: a
 * vmcore (compressed as a whole or not), a crash directory as any of the kdump
 * implementations saves it (layout.h: its dump and the text beside it are one
 * input), a tree of those, or a console log.
 */
#ifndef TRIAGE_DISCOVER_H
#define TRIAGE_DISCOVER_H

#include "input.h"

/* Adds the inputs `path` holds; -1 when memory ran out. */
int discover(struct input_list *l, const char *path);

#endif
