/*
 * textdiag.h - the diagnosis of a console log, in this process, with the
 * engine's text-only pipeline: one way of running an input's job.
 */
#ifndef TRIAGE_TEXTDIAG_H
#define TRIAGE_TEXTDIAG_H

#include "input.h"

/*
 * Diagnoses in->dmesg (a console log, or a dump's vmcore-dmesg.txt) from the
 * text alone; `source` is what the report calls the text.  Fills the input's
 * result, or its error; with explain, its full text report too.
 */
void diagnose_text(struct input *in, const char *source, int explain);

#endif
