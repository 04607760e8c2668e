/*
 * fuzz_oops - console/dmesg text into the oops parser, then the text-only
 * diagnosis exactly as vmfault-triage runs it, then both writers.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "vmf_oops.h"
#include "vmf_diag.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmf_report r;
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	vmf_report_init(&r);
	r.text_only = 1;
	r.ev.have_log = 1;
	snprintf(r.ev.log_source, sizeof(r.ev.log_source), "fuzz");
	if (vmf_parse_oops(text, size, &r.ev.oops) == 0) {
		if (!r.ev.oops.found)
			abort();
		vmf_parse_release(r.ev.oops.release, &r.ev.kernel.version);
		vmf_facts_from_log(&r);
		vmf_evaluate(&r);
		check_report(&r);
	} else if (r.ev.oops.found) {
		abort();                          /* -1 means nothing was found */
	}
	free(text);
	return 0;
}
