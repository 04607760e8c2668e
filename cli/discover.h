/*
 * discover.h - from the paths on the command line to the batch's inputs: a
 * vmcore, a kdump directory (vmcore and vmcore-dmesg.txt), a tree of those, or
 * a console log.
 */
#ifndef TRIAGE_DISCOVER_H
#define TRIAGE_DISCOVER_H

#include "input.h"

/* Adds the inputs `path` holds; -1 when memory ran out. */
int discover(struct input_list *l, const char *path);

#endif
