/* check.h - the unit tests' assertions; each binary ends with "N passed, M failed". */
#ifndef VMF_CHECK_H
#define VMF_CHECK_H
#include <stdio.h>

static int check_passed, check_failed;

#define CHECK(c) do { if (c) check_passed++; else { check_failed++; \
	printf("FAIL %s:%d: %s\n", __FILE__, __LINE__, #c); } } while (0)
#define CHECK_U64(a, b) do { unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
	if (a_ == b_) check_passed++; else { check_failed++; \
	printf("FAIL %s:%d: %s = %llx, expected %llx\n", __FILE__, __LINE__, #a, a_, b_); } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
	if (a_ && b_ && strcmp(a_, b_) == 0) check_passed++; else { check_failed++; \
	printf("FAIL %s:%d: %s = \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #a, a_ ? a_ : "(null)", b_); } } while (0)
#define CHECK_DONE() (printf("%d passed, %d failed\n", check_passed, check_failed), check_failed != 0)
#endif
