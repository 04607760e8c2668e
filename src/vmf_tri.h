/*
 * vmf_tri.h - three-valued answers.  What the dump (or the log) could not decide
 * is UNKNOWN, and UNKNOWN is never counted as TRUE or as FALSE.
 */
#ifndef VMF_TRI_H
#define VMF_TRI_H

enum vmf_tri { VMF_UNKNOWN = 0, VMF_TRUE, VMF_FALSE };

#endif
