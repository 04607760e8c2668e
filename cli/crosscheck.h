/*
 * crosscheck.h - the oops the dump's own log gives against the one in the
 * text saved beside the dump (vmcore-dmesg.txt, dmesg.<STAMP>): two records of
 * the same crash that must agree.  Where they do not, the result says so.
 */
#ifndef TRIAGE_CROSSCHECK_H
#define TRIAGE_CROSSCHECK_H

#include "input.h"

/*
 * Compares the oops of in->report (crash's reading of the dump's log) with the
 * oops parsed from in->dmesg: fault address, RIP symbol, PID and command.  Adds
 * one note naming each difference; nothing when they agree.
 */
void crosscheck_text(struct input *in);

#endif
