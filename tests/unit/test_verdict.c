/*
 * test_verdict.c - release parsing, the fix window on 4.x-6.x kernel facts, the
 * verdict for each catalog entry, and the writers (text and valid JSON).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "vmf_diag.h"
#include "vmf_writers.h"

/* ---- a minimal JSON validator: enough to prove the writer's output parses ---- */
static const char *jv(const char *p);

static const char *ws(const char *p) { while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++; return p; }

static const char *jstring(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF", p[i]) || !p[i])
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p)
				return NULL;
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *jv(const char *p)
{
	p = ws(p);
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';
		int obj = *p == '{';
		p = ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (obj) {
				p = jstring(ws(p));
				if (!p || *(p = ws(p)) != ':')
					return NULL;
				p++;
			}
			p = jv(p);
			if (!p)
				return NULL;
			p = ws(p);
			if (*p == ',') { p++; continue; }
			return *p == close ? p + 1 : NULL;
		}
	}
	if (*p == '"')
		return jstring(p);
	if (!strncmp(p, "true", 4)) return p + 4;
	if (!strncmp(p, "false", 5)) return p + 5;
	if (!strncmp(p, "null", 4)) return p + 4;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		char *end;
		strtod(p, &end);
		return end;
	}
	return NULL;
}

static int json_valid(const char *s)
{
	const char *e = jv(s);
	return e && *ws(e) == 0;
}

/* ---- versions and the fix window ---- */

static struct vmf_fix_window window(const char *rel, enum vmf_tri hugetlbfs)
{
	struct vmf_version v;
	struct vmf_fix_window w;
	vmf_parse_release(rel, &v);
	vmf_fix_window_eval(&v, hugetlbfs, &w);
	return w;
}

static void test_versions(void)
{
	struct vmf_version v;

	/* a distribution ABI number after ".0": the patch level is not known (Ubuntu's 4.4.0-21 is 4.4.6-based) */
	CHECK(vmf_parse_release("4.4.0-21-generic", &v) == 0 && v.major == 4 && v.minor == 4 && v.patch == -1 && v.abi);
	CHECK(vmf_parse_release("4.4.0", &v) == 0 && v.patch == 0 && !v.abi);
	CHECK(vmf_parse_release("6.1.0-56-cloud-amd64", &v) == 0 && v.patch == -1);
	vmf_release_from_version_line(&v, "CPU: 0 PID: 92 Comm: insmod Tainted: G OE 6.1.0-56-cloud-amd64 #1 Debian 6.1.158-1");
	CHECK(v.patch == 158 && v.patch_from);
	vmf_release_from_version_line(&v, "#1 Debian 6.2.1-1");     /* another series: ignored */
	CHECK(v.patch == 158);
	CHECK(vmf_parse_release("5.10.0-32-cloud-amd64", &v) == 0 && v.minor == 10);
	/* found by fuzz_oops: numbers were narrowed to int before the range check */
	CHECK(vmf_parse_release("4.4294967295.0", &v) != 0 && !v.ok);
	CHECK(vmf_parse_release("4294967300.4.0", &v) != 0 && !v.ok);
	CHECK(vmf_parse_release("4.9.87-rt62", &v) == 0 && v.patch == 87);
	CHECK(vmf_parse_release("3.10.0-327.el7.x86_64", &v) == 0 && v.major == 3);
	CHECK(vmf_parse_release("6.1", &v) == 0 && v.patch == -1);
	CHECK(vmf_parse_release("", &v) == -1 && !v.ok);
	CHECK(vmf_parse_release("garbage", &v) == -1);
	CHECK(vmf_parse_release(NULL, &v) == -1);

	CHECK(window("4.0.9", VMF_UNKNOWN).state == VMF_FIX_NOT_AFFECTED);
	/* issue 14: exact stable releases (catalog data) instead of "unverified" */
	CHECK(window("4.1.5", VMF_TRUE).state == VMF_FIX_MISSING);        /* 4.1.19 (inferred) has it */
	CHECK(strstr(window("4.1.5", VMF_TRUE).why, "fixed in 4.1.19 (release inferred)") != NULL);
	CHECK(window("4.1.19", VMF_TRUE).state == VMF_FIX_PRESENT);
	CHECK(window("4.1.30", VMF_FALSE).state == VMF_FIX_UNCERTAIN);    /* 18a955 in 4.1.y: not checked */
	CHECK(window("4.3.6", VMF_TRUE).state == VMF_FIX_MISSING);
	CHECK(window("4.4.0-21-generic", VMF_TRUE).state == VMF_FIX_UNCERTAIN); /* patch level unknown */
	CHECK(strstr(window("4.4.0-21-generic", VMF_TRUE).why, "distribution ABI number") != NULL);
	CHECK(window("4.4.0", VMF_TRUE).state == VMF_FIX_MISSING);
	CHECK(window("4.4.10", VMF_TRUE).state == VMF_FIX_PRESENT);       /* f4eafd8bcd52 from 4.4.3 */
	CHECK(strstr(window("4.4.2", VMF_TRUE).why, "4.4.2 lacks f4eafd8bcd52: fixed in 4.4.3") != NULL);
	CHECK(window("4.4.2", VMF_TRUE).state == VMF_FIX_MISSING);
	CHECK(window("4.4.100", VMF_FALSE).state == VMF_FIX_INERT);
	CHECK(strstr(window("4.4.100", VMF_FALSE).why, "4.4.100 has f4eafd8bcd52 (4.4.3") != NULL);
	CHECK(strstr(window("4.4.100", VMF_FALSE).why, "4.4.100 lacks 18a955219bf7: fixed in 4.4.123") != NULL);
	CHECK(window("4.2.8", VMF_TRUE).state == VMF_FIX_MISSING);        /* 4.2.y, 4.3.y: never */
	CHECK(strstr(window("4.3.6", VMF_TRUE).why, "4.3.y never got it") != NULL);
	CHECK(window("4.4.123", VMF_FALSE).state == VMF_FIX_PRESENT);     /* both fixes by then */
	CHECK(window("4.5.0", VMF_TRUE).state == VMF_FIX_PRESENT);
	CHECK(window("4.9.0", VMF_FALSE).state == VMF_FIX_INERT);         /* 4.9 without 18a955 */
	CHECK(window("4.9.87-rt62", VMF_FALSE).state == VMF_FIX_INERT);   /* 18a955219bf7 from 4.9.89 */
	CHECK(window("4.9.89", VMF_FALSE).state == VMF_FIX_PRESENT);
	CHECK(window("4.14.28", VMF_FALSE).state == VMF_FIX_INERT);
	CHECK(window("4.14.29", VMF_FALSE).state == VMF_FIX_PRESENT);
	CHECK(window("4.15.12", VMF_FALSE).state == VMF_FIX_PRESENT);
	CHECK(window("4.15", VMF_FALSE).state == VMF_FIX_UNCERTAIN);      /* patch level unknown */
	CHECK(window("4.9.87-rt62", VMF_TRUE).state == VMF_FIX_PRESENT);
	CHECK(window("4.12.0", VMF_FALSE).state == VMF_FIX_INERT);
	CHECK(window("4.12.0", VMF_UNKNOWN).state == VMF_FIX_UNCERTAIN);
	CHECK(window("4.16.0", VMF_FALSE).state == VMF_FIX_PRESENT);
	CHECK(window("5.4.0", VMF_FALSE).state == VMF_FIX_PRESENT);
	CHECK(window("5.10.0-32-cloud-amd64", VMF_TRUE).state == VMF_FIX_NO_VMALLOC_FAULT);
	CHECK(window("6.1.0-56-cloud-amd64", VMF_TRUE).state == VMF_FIX_NO_VMALLOC_FAULT);
	CHECK(window("", VMF_TRUE).state == VMF_FIX_UNKNOWN);
	CHECK(strstr(window("4.9.0", VMF_FALSE).why, "18a955219bf7") != NULL);
	CHECK(strstr(window("6.1.0", VMF_TRUE).why, "7f0a002b5a21") != NULL);
}

/* ---- verdicts ---- */

static void seed_facts(struct vmf_report *r, const char *release, enum vmf_tri hugetlbfs, int pmd)
{
	vmf_report_init(r);
	r->ev.have_log = 1;
	r->ev.oops.found = 1;
	r->ev.oops.count = 1;
	r->ev.oops.kind = VMF_OOPS_PAGING_REQUEST;
	r->ev.oops.has_fault_addr = 1;
	r->ev.oops.fault_addr = 0xffff880840000ff8ULL;
	r->ev.oops.has_rip = 1;
	strcpy(r->ev.oops.rip_sym, "vmalloc_fault");
	r->ev.oops.pt_line.line = 3;
	r->ev.oops.pt[VMF_PGD].printed = 1;
	r->ev.oops.pt[VMF_PGD].value = 0xc7f03a067ULL;
	r->ev.oops.pt[VMF_PUD].printed = 1;
	vmf_parse_release(release, &r->ev.kernel.version);
	r->ev.kernel.hugetlbfs = hugetlbfs;
	r->ev.kernel.has_vmalloc_fault = VMF_TRUE;
	strcpy(r->ev.kernel.vmalloc_fault_where, "kernel");
	vmf_facts_from_log(r);
	vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, pmd ? VMF_FALSE : VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, pmd ? VMF_TRUE : VMF_FALSE, "test");
	vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_FAULT_IN_VMALLOC, VMF_FALSE, "test");
	vmf_set_fact(r, VMF_C_FAULT_IN_VMEMMAP, VMF_FALSE, "test");
	vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_FALSE, "test");
}

static void test_verdicts(void)
{
	struct vmf_report *r = calloc(1, sizeof(*r));

	seed_facts(r, "4.4.0-21-generic", VMF_TRUE, 0);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_MATCH);
	CHECK_STR(r->sig->id, "VMF-LARGE-PUD");
	CHECK(strstr(r->recommendation, "f4eafd8bcd52") != NULL);
	CHECK(strstr(r->recommendation, "18a955219bf7") == NULL);  /* HUGETLBFS=y: the first fix suffices */

	seed_facts(r, "4.4.0-21-generic", VMF_UNKNOWN, 1);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_MATCH);
	CHECK_STR(r->sig->id, "VMF-LARGE-PMD");
	CHECK(strstr(r->recommendation, "18a955219bf7") != NULL);  /* HUGETLBFS unknown: both */

	/* 4.9 with CONFIG_HUGETLBFS=n: the variant wins over the base signature */
	seed_facts(r, "4.9.0", VMF_FALSE, 1);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_MATCH);
	CHECK_STR(r->sig->id, "VMF-LARGE-HUGETLBFS-N");
	CHECK(strstr(r->recommendation, "18a955219bf7") != NULL);

	/* one page-table condition unknown: INCONCLUSIVE naming it */
	seed_facts(r, "4.4.0", VMF_TRUE, 0);
	vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_UNKNOWN, "top-level table unreadable");
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_INCONCLUSIVE);
	CHECK(strstr(r->missing, "large_slot_unsynced") != NULL);

	/* the physical page is RAM: NO MATCH */
	seed_facts(r, "4.4.0", VMF_TRUE, 0);
	vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_FALSE, "is RAM");
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_NO_MATCH && r->sig == NULL);

	/* the log fits but the page tables say otherwise (damaged, or changed since): not NO MATCH */
	seed_facts(r, "4.4.0", VMF_TRUE, 0);
	vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_FALSE, "slot synced in every mm");
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_INCONCLUSIVE);
	CHECK_STR(r->sig->id, "VMF-LARGE-PUD");
	CHECK(strstr(r->missing, "agree with the oops (large_slot_unsynced)") != NULL);
	CHECK(strstr(r->confidence, "page tables do not") != NULL);
	CHECK(r->nnotes > 0 && strstr(r->notes[r->nnotes - 1], "damaged") != NULL);

	/* ... no large leaf at all: the pud and pmd variants both contradicted, the pud one named */
	seed_facts(r, "4.4.0", VMF_TRUE, 0);
	vmf_set_fact(r, VMF_C_LARGE_PUD_FRAME, VMF_FALSE, "no leaf");
	vmf_set_fact(r, VMF_C_LARGE_PMD_FRAME, VMF_FALSE, "no leaf");
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_INCONCLUSIVE);
	CHECK(strstr(r->missing, "large_pud_frame") != NULL);

	/* a log that does not fit stays NO MATCH whatever the page tables say */
	seed_facts(r, "4.4.0", VMF_TRUE, 0);
	vmf_set_fact(r, VMF_C_RIP_VMALLOC_FAULT, VMF_FALSE, "RIP in memcpy");
	vmf_set_fact(r, VMF_C_LARGE_SLOT_UNSYNCED, VMF_FALSE, "synced");
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_NO_MATCH);

	/* text only: the dump's conditions are unknown, the log's hold: MATCH with lower confidence */
	vmf_report_init(r);
	r->text_only = 1;
	r->ev.have_log = 1;
	r->ev.oops.found = 1;
	r->ev.oops.kind = VMF_OOPS_PAGING_REQUEST;
	r->ev.oops.has_fault_addr = 1;
	r->ev.oops.fault_addr = 0xffff880840000ff8ULL;
	r->ev.oops.has_rip = 1;
	strcpy(r->ev.oops.rip_sym, "vmalloc_fault");
	strcpy(r->ev.oops.release, "4.4.0-21-generic");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_MATCH);
	CHECK(strstr(r->confidence, "text-only") != NULL);
	/* issue 14: a 1 GiB aligned frame with no other clue is not called PUD: both are named */
	CHECK_STR(r->sig->id, "VMF-LARGE-LEAF");
	CHECK(strstr(r->sig->title, "VMF-LARGE-PUD") && strstr(r->sig->title, "VMF-LARGE-PMD"));
	CHECK(r->fact[VMF_C_LEAF_UNDECIDED].state == VMF_TRUE);
	CHECK(r->nnotes == 0);

	/* a user-space fault address is in no kernel region, whatever the text lacks */
	r->ev.oops.fault_addr = 0x8;
	memset(r->fact, 0, sizeof(r->fact));
	vmf_facts_from_log(r);
	CHECK(r->fact[VMF_C_FAULT_IN_VMALLOC].state == VMF_FALSE);
	CHECK(r->fact[VMF_C_FAULT_IN_DIRECT_MAP].state == VMF_FALSE);

	/* stale slot on 5.10 without vmalloc_fault: RELATED */
	vmf_report_init(r);
	r->ev.have_log = 1;
	r->ev.oops.found = 1;
	r->ev.oops.kind = VMF_OOPS_PAGE_FAULT;
	r->ev.oops.has_fault_addr = 1;
	r->ev.oops.fault_addr = 0xffffc98000001000ULL;
	r->ev.oops.has_rip = 1;
	strcpy(r->ev.oops.rip_sym, "vmf_touch_ioremap");
	r->ev.oops.pt_line.line = 4;
	r->ev.oops.pt[VMF_PGD].printed = 1;
	r->ev.oops.pt[VMF_P4D].printed = 1;
	vmf_parse_release("5.10.0-32-cloud-amd64", &r->ev.kernel.version);
	r->ev.kernel.has_vmalloc_fault = VMF_FALSE;
	vmf_facts_from_log(r);
	vmf_set_fact(r, VMF_C_FAULT_IN_VMALLOC, VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_FAULT_IN_VMEMMAP, VMF_FALSE, "test");
	vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_FALSE, "test");
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_RELATED);
	CHECK_STR(r->sig->id, "VMF-STALE-VMALLOC");
	CHECK(r->fact[VMF_C_OOPS_TOP_ZERO].state == VMF_TRUE);

	/* Xen lazy MMU: text only */
	vmf_report_init(r);
	r->text_only = 1;
	r->ev.have_log = 1;
	r->ev.oops.found = 1;
	r->ev.oops.kind = VMF_OOPS_KERNEL_BUG;
	strcpy(r->ev.oops.bug.text, "kernel BUG at arch/x86/mm/fault.c:396!");
	r->ev.oops.has_rip = 1;
	strcpy(r->ev.oops.rip_sym, "vmalloc_fault");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_RELATED);
	CHECK_STR(r->sig->id, "VMF-XEN-LAZY-MMU");

	/* the version window says no vmalloc_fault, the dump has one in a module: say so */
	seed_facts(r, "5.10.0-32-cloud-amd64", VMF_TRUE, 0);
	strcpy(r->ev.kernel.vmalloc_fault_where, "module vmf_test");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_MATCH);
	CHECK(r->nnotes >= 1 && strstr(r->notes[0], "disagree") != NULL);
	/* ... and a module's vmalloc_fault does not give the kernel one */
	CHECK(r->fact[VMF_C_NO_VMALLOC_FAULT].state == VMF_TRUE);
	strcpy(r->ev.kernel.vmalloc_fault_where, "kernel");
	vmf_facts_from_log(r);
	CHECK(r->fact[VMF_C_NO_VMALLOC_FAULT].state == VMF_FALSE);
	free(r);
}

/* ---- text only: pud or pmd from what the log holds (issue 14) ---- */

static void text_oops(struct vmf_report *r, uint64_t fault, const char *release)
{
	vmf_report_init(r);
	r->text_only = 1;
	r->ev.have_log = 1;
	r->ev.oops.found = 1;
	r->ev.oops.kind = VMF_OOPS_PAGING_REQUEST;
	r->ev.oops.has_fault_addr = 1;
	r->ev.oops.fault_addr = fault;
	r->ev.oops.has_rip = 1;
	strcpy(r->ev.oops.rip_sym, "vmalloc_fault");
	strcpy(r->ev.oops.release, release);
}

static void set_reg(struct vmf_report *r, enum vmf_reg g, uint64_t v)
{
	r->ev.oops.reg[g].line = 7;
	r->ev.oops.reg[g].value = v;
}

static void test_leaf_from_text(void)
{
	struct vmf_report *r = calloc(1, sizeof(*r));

	/* a frame 2 MiB past a 1 GiB boundary: a pmd's, never a pud's */
	text_oops(r, 0xffff880c80200010ULL, "4.4.0-21-generic");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_MATCH);
	CHECK_STR(r->sig->id, "VMF-LARGE-PMD");
	CHECK(r->fact[VMF_C_LARGE_PUD_FRAME].state == VMF_FALSE);
	CHECK(strstr(r->fact[VMF_C_LARGE_PUD_FRAME].detail, "past a 1 GiB boundary") != NULL);
	CHECK(r->fact[VMF_C_LARGE_PMD_FRAME].state == VMF_UNKNOWN);

	/* under KASLR too: page_offset_base is 1 GiB aligned, so the same offset decides */
	text_oops(r, 0xffffa04c80200ff8ULL, "4.9.0-rt1");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK_STR(r->sig->id, "VMF-LARGE-PMD");

	/* not 2 MiB aligned: no large leaf's frame, neither fits */
	text_oops(r, 0xffff880c80203010ULL, "4.4.0");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK(r->verdict == VMF_V_NO_MATCH);
	CHECK(r->fact[VMF_C_LARGE_PMD_FRAME].state == VMF_FALSE && r->fact[VMF_C_LARGE_PUD_FRAME].state == VMF_FALSE);

	/* bit 12 is the large-page PAT bit, which PTE_PFN_MASK keeps: still a pmd's frame */
	text_oops(r, 0xffff880c80201ff8ULL, "4.4.0");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK_STR(r->sig->id, "VMF-LARGE-PMD");

	/* 1 GiB aligned, the oops' walk found a pud table over that gigabyte: a pmd */
	text_oops(r, 0xffff880840000ff8ULL, "4.4.0");
	r->ev.oops.pt_line.line = 3;
	r->ev.oops.pt[VMF_PGD].printed = r->ev.oops.pt[VMF_PUD].printed = r->ev.oops.pt[VMF_PMD].printed = 1;
	r->ev.oops.pt[VMF_PGD].value = 0x1e0c067;
	r->ev.oops.pt[VMF_PUD].value = 0x1e0d067;
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK_STR(r->sig->id, "VMF-LARGE-PMD");
	CHECK(strstr(r->fact[VMF_C_LEAF_UNDECIDED].detail, "pud table") != NULL);

	/* 1 GiB aligned; before v4.8 a register in vmalloc space whose pmd_index is the index: a pud */
	text_oops(r, 0xffff880840000ff8ULL, "4.4.0");
	set_reg(r, VMF_REG_RBX, 0xffffc9803fe03000ULL);   /* pmd_index 511, pte_index 3 */
	set_reg(r, VMF_REG_RDI, 0x80000008400001e3ULL);   /* the leaf entry: P, PSE, frame 840000000 */
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK_STR(r->sig->id, "VMF-LARGE-PUD");
	CHECK(strstr(r->fact[VMF_C_LEAF_UNDECIDED].detail, "RBX ffffc9803fe03000") != NULL);
	CHECK(strstr(r->fact[VMF_C_LEAF_UNDECIDED].detail, "RDI 80000008400001e3 holds the leaf entry") != NULL);
	/* ... whose pte_index is the index: a pmd */
	text_oops(r, 0xffff880840000ff8ULL, "4.4.0");
	set_reg(r, VMF_REG_R12, 0xffffc900001ff000ULL);   /* pmd_index 0, pte_index 511 */
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK_STR(r->sig->id, "VMF-LARGE-PMD");
	/* ... but from v4.8 the layout is randomized: the register decides nothing */
	text_oops(r, 0xffff8884c0000ff8ULL, "5.10.0-32-cloud-amd64");
	set_reg(r, VMF_REG_RBX, 0xffffc9803fe03000ULL);
	set_reg(r, VMF_REG_RDI, 0x80000004c00001e3ULL);
	vmf_facts_from_log(r);
	CHECK(r->fact[VMF_C_LEAF_UNDECIDED].state == VMF_TRUE);
	CHECK(strstr(r->fact[VMF_C_LEAF_UNDECIDED].detail, "holds the leaf entry") != NULL);

	/* with a dump, the page tables decide: never undecided */
	seed_facts(r, "4.4.0", VMF_TRUE, 1);
	CHECK(r->fact[VMF_C_LEAF_UNDECIDED].state == VMF_FALSE);
	vmf_evaluate(r);
	CHECK_STR(r->sig->id, "VMF-LARGE-PMD");
	free(r);
}

/* ---- each fix placed against a release (issue 14, 17) ---- */

static enum vmf_tri has(const char *commit, const char *rel, char *why, size_t len)
{
	struct vmf_version v;

	vmf_parse_release(rel, &v);
	return vmf_fix_in_release(vmf_fix_by_commit(commit), &v, why, len);
}

static void test_fix_in_release(void)
{
	char why[200];

	CHECK(has("f4eafd8bcd52", "4.4.2", why, sizeof(why)) == VMF_FALSE);
	CHECK_STR(why, "4.4.2 lacks f4eafd8bcd52: fixed in 4.4.3 (release inferred)");
	CHECK(has("f4eafd8bcd52", "4.4.3", why, sizeof(why)) == VMF_TRUE);
	CHECK(has("f4eafd8bcd52", "4.5.0", why, sizeof(why)) == VMF_TRUE && strstr(why, "mainline v4.5"));
	CHECK(has("18a955219bf7", "4.4.122", why, sizeof(why)) == VMF_FALSE);
	CHECK(has("18a955219bf7", "4.4.123", why, sizeof(why)) == VMF_TRUE);
	CHECK_STR(why, "4.4.123 has 18a955219bf7 (4.4.123)");              /* verified: no basis note */
	CHECK(has("18a955219bf7", "4.12.14", why, sizeof(why)) == VMF_FALSE && strstr(why, "no 4.12.y"));
	/* the vmemmap fix of 2025: 6.1, 6.6, 6.12, 6.16 on both sides */
	CHECK(has("6659d0279980", "6.1.150", why, sizeof(why)) == VMF_FALSE);
	CHECK_STR(why, "6.1.150 lacks 6659d0279980: fixed in 6.1.151");
	CHECK(has("6659d0279980", "6.1.151", why, sizeof(why)) == VMF_TRUE);
	CHECK(has("6659d0279980", "6.6.104", why, sizeof(why)) == VMF_FALSE);
	CHECK(has("6659d0279980", "6.6.105", why, sizeof(why)) == VMF_TRUE && strstr(why, "inferred"));
	CHECK(has("6659d0279980", "6.12.45", why, sizeof(why)) == VMF_FALSE);
	CHECK(has("6659d0279980", "6.16.5", why, sizeof(why)) == VMF_FALSE);
	CHECK(has("6659d0279980", "6.16.6", why, sizeof(why)) == VMF_TRUE);
	CHECK(has("6659d0279980", "6.17.0", why, sizeof(why)) == VMF_TRUE);
	CHECK(has("6659d0279980", "5.10.240", why, sizeof(why)) == VMF_UNKNOWN && strstr(why, "not checked"));
	CHECK(has("6659d0279980", "6.1", why, sizeof(why)) == VMF_UNKNOWN && strstr(why, "patch level"));
	CHECK(has("6659d0279980", "", why, sizeof(why)) == VMF_UNKNOWN);
	CHECK(strstr(why, "v6.17; stable 6.1.151, 6.6.105 (inferred), 6.12.46 (inferred), 6.16.6") != NULL);
	/* the sequence of issue 17, with real titles */
	CHECK_STR(vmf_fix_by_commit("995909a4e22b")->title, "x86/mm/64: Do not dereference non-present PGD entries");
	CHECK_STR(vmf_fix_by_commit("58a18fe95e83")->version, "v5.10");
	/* every fix carries its sources */
	for (int i = 0; i < vmf_fixes_len; i++) {
		CHECK(vmf_fixes[i].source && vmf_fixes[i].source[0] && vmf_fixes[i].version_source &&
		      vmf_fixes[i].version_source[0]);
		for (int j = 0; j < vmf_fixes[i].nstable; j++)
			CHECK(vmf_fixes[i].stable[j].source && vmf_fixes[i].stable[j].source[0]);
	}
}

/* ---- the recommendation and the short fix, per signature, both sides of each fix ---- */

static void stale(struct vmf_report *r, const char *release, int vmemmap)
{
	vmf_report_init(r);
	r->ev.have_log = 1;
	r->ev.oops.found = 1;
	r->ev.oops.kind = VMF_OOPS_PAGE_FAULT;
	r->ev.oops.has_fault_addr = 1;
	r->ev.oops.fault_addr = vmemmap ? 0xffffe7ffffd00608ULL : 0xffffc9803fe03000ULL;
	r->ev.oops.has_rip = 1;
	strcpy(r->ev.oops.rip_sym, vmemmap ? "__init_single_page" : "vmf_touch_ioremap");
	if (!vmemmap)
		strcpy(r->ev.oops.rip_module, "vmf_test");
	strcpy(r->ev.oops.cpu_line.text, "CPU: 0 PID: 92 Comm: insmod Tainted: G           OE      6.1.0-57");
	r->ev.oops.pt_line.line = 4;
	r->ev.oops.pt[VMF_PGD].printed = r->ev.oops.pt[VMF_P4D].printed = 1;
	vmf_parse_release(release, &r->ev.kernel.version);
	r->ev.kernel.has_vmalloc_fault = VMF_FALSE;
	r->ev.have_slot = 1;
	r->ev.slot.mms_total = 6;
	r->ev.slot.mms_lacking = 5;
	vmf_facts_from_log(r);
	vmf_set_fact(r, VMF_C_FAULT_IN_VMALLOC, vmemmap ? VMF_FALSE : VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_FAULT_IN_VMEMMAP, vmemmap ? VMF_TRUE : VMF_FALSE, "test");
	vmf_set_fact(r, VMF_C_FAULT_SLOT_MISSING, VMF_TRUE, "test");
	vmf_set_fact(r, VMF_C_FAULT_IN_DIRECT_MAP, VMF_FALSE, "test");
	vmf_evaluate(r);
}

static void short_fix(const struct vmf_report *r, char *fix, size_t len)
{
	char reason[300];

	vmf_short_fix(r, fix, len, reason, sizeof(reason));
	CHECK(reason[0] != 0);
}

static void test_advice(void)
{
	struct vmf_report *r = calloc(1, sizeof(*r));
	char fix[64];

	/* the large leaf: before and after f4eafd8bcd52 and 18a955219bf7 */
	seed_facts(r, "4.4.2", VMF_TRUE, 0);
	vmf_evaluate(r);
	CHECK(strncmp(r->recommendation, "Apply f4eafd8bcd52", 18) == 0);
	CHECK(strstr(r->recommendation, "4.4.2 lacks f4eafd8bcd52: fixed in 4.4.3") != NULL);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "upgrade to >= 4.4.3");
	seed_facts(r, "4.4.2", VMF_UNKNOWN, 0);
	vmf_evaluate(r);
	CHECK(strstr(r->recommendation, "also 18a955219bf7") != NULL);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "upgrade to >= 4.4.123");
	seed_facts(r, "4.3.6", VMF_TRUE, 0);
	vmf_evaluate(r);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "f4eafd8bcd52");                 /* 4.3.y never got it: the commit itself */
	seed_facts(r, "4.9.0", VMF_FALSE, 1);
	vmf_evaluate(r);
	CHECK_STR(r->sig->id, "VMF-LARGE-HUGETLBFS-N");
	CHECK(strstr(r->recommendation, "4.9.0 has f4eafd8bcd52 by version, yet the oops happened") == r->recommendation);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "upgrade to >= 4.9.89");
	seed_facts(r, "4.12.0", VMF_FALSE, 1);
	vmf_evaluate(r);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "18a955219bf7");
	seed_facts(r, "4.4.123", VMF_FALSE, 0);
	vmf_evaluate(r);
	CHECK(strstr(r->recommendation, "4.4.123 has every fix by version") == r->recommendation);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "nohugeiomap");
	/* x86-64 >= 5.8: the module's own vmalloc_fault */
	seed_facts(r, "5.10.0-32-cloud-amd64", VMF_TRUE, 0);
	strcpy(r->ev.kernel.vmalloc_fault_where, "module vmf_test");
	vmf_facts_from_log(r);
	vmf_evaluate(r);
	CHECK(strncmp(r->recommendation, "Give the vmalloc_fault of module vmf_test", 41) == 0);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "fix module vmf_test");

	/* the stale vmalloc slot: 5.8 lacks the preallocation; 6.1 has every fix (issue 17) */
	stale(r, "5.8.18", 0);
	CHECK_STR(r->sig->id, "VMF-STALE-VMALLOC");
	CHECK(strncmp(r->recommendation, "Apply 6eb82f994026", 18) == 0);
	CHECK(strstr(r->recommendation, "and 995909a4e22b") != NULL);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "6eb82f994026+995909a4e22b");
	stale(r, "6.1.0-57-cloud-amd64", 0);
	CHECK(strncmp(r->recommendation, "6.1.0-57-cloud-amd64 has all of these: 7f0a002b5a21 (mainline v5.8)", 67) == 0);
	CHECK(strstr(r->recommendation, "preallocated at boot (6eb82f994026)") != NULL);
	CHECK(strstr(r->recommendation, "the faulting code is in module vmf_test") != NULL);
	CHECK(strstr(r->recommendation, "tainted O") != NULL);
	CHECK(strstr(r->recommendation, "5 of 6 mms lack the slot") != NULL);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "has every fix: see notes");
	stale(r, "6.6.30", 0);
	CHECK(strstr(r->recommendation, "has all of these") != NULL);
	stale(r, "", 0);
	CHECK(strncmp(r->recommendation, "The kernel release is unknown: 6eb82f994026 is in v5.9", 54) == 0);

	/* the stale vmemmap slot: 6659d0279980 on 6.1, 6.6 and a 2025 stable release, both sides */
	stale(r, "6.1.150", 1);
	CHECK_STR(r->sig->id, "VMF-STALE-VMEMMAP");
	CHECK(strncmp(r->recommendation, "Apply 6659d0279980", 18) == 0);
	CHECK(strstr(r->recommendation, "6.1.150 lacks 6659d0279980: fixed in 6.1.151") != NULL);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "upgrade to >= 6.1.151");
	stale(r, "6.1.0-57-cloud-amd64", 1);           /* release 6.1 with no patch level: unknown */
	CHECK(strncmp(r->recommendation, "Check whether this kernel carries 6659d0279980", 46) == 0);
	stale(r, "6.1.192", 1);
	CHECK(strncmp(r->recommendation, "6.1.192 has all of these: 6659d0279980 (6.1.151)", 48) == 0);
	stale(r, "6.6.104", 1);
	CHECK(strstr(r->recommendation, "fixed in 6.6.105 (release inferred)") != NULL);
	stale(r, "6.6.105", 1);
	CHECK(strstr(r->recommendation, "has all of these") != NULL);
	stale(r, "6.16.5", 1);
	CHECK(strncmp(r->recommendation, "Apply 6659d0279980", 18) == 0);
	stale(r, "6.16.6", 1);
	CHECK(strstr(r->recommendation, "6.16.6 has all of these") == r->recommendation);
	stale(r, "5.15.200", 1);
	CHECK(strstr(r->recommendation, "whether 5.15.y got 6659d0279980 was not checked") != NULL);
	/* before 8d400913c231 (v5.13), which the fix names as the cause, vmemmap population synced */
	stale(r, "5.10.200", 1);
	CHECK(r->verdict == VMF_V_NO_MATCH && r->sig == NULL);
	CHECK_STR(r->fact[VMF_C_VMEMMAP_UNSYNCED].detail,
		  "5.10.200 lacks 8d400913c231 (mainline v5.13; no 5.10.y stable release with it is known)");
	stale(r, "5.13.0", 1);
	CHECK_STR(r->sig->id, "VMF-STALE-VMEMMAP");
	stale(r, "", 1);                  /* no release: left to the dump, as the page tables are */
	CHECK_STR(r->sig->id, "VMF-STALE-VMEMMAP");
	CHECK(r->fact[VMF_C_VMEMMAP_UNSYNCED].state == VMF_UNKNOWN);

	/* nothing matched: no fix */
	seed_facts(r, "4.4.0", VMF_TRUE, 0);
	vmf_set_fact(r, VMF_C_FAULT_PHYS_NOT_RAM, VMF_FALSE, "is RAM");
	vmf_evaluate(r);
	short_fix(r, fix, sizeof(fix));
	CHECK_STR(fix, "-");
	free(r);
}

static void test_writers(void)
{
	struct vmf_report *r = calloc(1, sizeof(*r));
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	seed_facts(r, "4.4.0-21-generic", VMF_TRUE, 0);
	strcpy(r->ev.oops.comm, "quote\" back\\slash \x01");
	r->ev.have_leaf = 1;
	r->ev.leaf.kind = VMF_PUD;
	r->ev.leaf.frame = 0x840000000ULL;
	r->ev.leaf.size = 1ULL << 30;
	vmf_evaluate(r);

	f = open_memstream(&buf, &len);
	vmf_report_text(f, r, 1);
	fclose(f);
	CHECK(strncmp(buf, "VERDICT: MATCH VMF-LARGE-PUD", 28) == 0);
	CHECK(strstr(buf, "fault address: ffff880840000ff8") != NULL);
	CHECK(strstr(buf, "(1G)") != NULL);
	CHECK(strstr(buf, "nohugeiomap") != NULL);
	free(buf);

	f = open_memstream(&buf, &len);
	vmf_report_json(f, r);
	fclose(f);
	CHECK(json_valid(buf));
	CHECK(strstr(buf, "\"verdict\":\"MATCH\"") != NULL);
	CHECK(strstr(buf, "\"fault_addr\":\"0xffff880840000ff8\"") != NULL);
	CHECK(strstr(buf, "\"frame\":\"0x840000000\"") != NULL);
	CHECK(strstr(buf, "\"fault_phys\":null") != NULL);   /* unknown is null, not 0 */
	CHECK(strchr(buf, '\n') == buf + len - 1);            /* one line */
	free(buf);

	/* NO MATCH and INCONCLUSIVE serialize too */
	vmf_report_init(r);
	vmf_evaluate(r);
	f = open_memstream(&buf, &len);
	vmf_report_json(f, r);
	fclose(f);
	CHECK(json_valid(buf));
	free(buf);
	CHECK(!json_valid("{\"a\":}"));
	CHECK(!json_valid("{\"a\":1"));
	free(r);
}

/*
 * Text-only facts of a log whose oops lacks a line: UNKNOWN where the kernel
 * printed it (x86's __die() prints RIP for every oops, show_fault_oops() the
 * page-table line for every page fault), FALSE where it never prints one.
 */
static void text_facts(struct vmf_report *r, const char *text)
{
	vmf_report_init(r);
	r->text_only = 1;
	r->ev.have_log = 1;
	vmf_parse_oops(text, strlen(text), &r->ev.oops);
	vmf_parse_release(r->ev.oops.release, &r->ev.kernel.version);
	vmf_facts_from_log(r);
	vmf_evaluate(r);
}

static void test_missing_lines(void)
{
	struct vmf_report *r = calloc(1, sizeof(*r));
	static const char head[] =
		"[    2.857419] BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		"[    2.857640] #PF: supervisor read access in kernel mode\n"
		"[    2.857752] #PF: error_code(0x0000) - not-present page\n";

	/* cut before the PGD and RIP lines: both unknown, the verdict undecided (issue 16, item 9) */
	text_facts(r, head);
	CHECK(r->fact[VMF_C_RIP_VMALLOC_FAULT].state == VMF_UNKNOWN);
	CHECK(strstr(r->fact[VMF_C_RIP_VMALLOC_FAULT].detail, "ends inside the oops") != NULL);
	CHECK(r->fact[VMF_C_OOPS_TOP_ZERO].state == VMF_UNKNOWN);
	CHECK(r->verdict == VMF_V_INCONCLUSIVE);
	CHECK(strstr(r->missing, "rip_in_vmalloc_fault") != NULL);

	/* the oops ended without them (console log level): still unknown, said so */
	{
		char t[1024];
		snprintf(t, sizeof(t), "%s[    2.858625] ---[ end trace 42c5083ac0355a22 ]---\n", head);
		text_facts(r, t);
		CHECK(r->fact[VMF_C_RIP_VMALLOC_FAULT].state == VMF_UNKNOWN);
		CHECK(strstr(r->fact[VMF_C_RIP_VMALLOC_FAULT].detail, "not in the log") != NULL);
		CHECK(r->verdict == VMF_V_INCONCLUSIVE);
	}

	/* the RIP line present and elsewhere: a decided NO MATCH, as before */
	text_facts(r, "BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
		      "PGD 3201067 P4D 3201067 PUD 0\nRIP: 0010:memcpy_erms+0x6/0x10\n");
	CHECK(r->fact[VMF_C_RIP_VMALLOC_FAULT].state == VMF_FALSE);
	CHECK(r->verdict == VMF_V_NO_MATCH);

	/* a panic without an oops prints neither: FALSE, NO MATCH */
	text_facts(r, "Kernel panic - not syncing: sysrq triggered crash\n"
		      "CPU: 0 PID: 1 Comm: init Not tainted 6.1.0-56-cloud-amd64 #1 Debian 6.1.192-2\n");
	CHECK(r->fact[VMF_C_RIP_VMALLOC_FAULT].state == VMF_FALSE);
	CHECK(r->fact[VMF_C_OOPS_TOP_ZERO].state == VMF_FALSE);
	CHECK(r->verdict == VMF_V_NO_MATCH);

	/* a kernel BUG prints RIP but no page-table line */
	text_facts(r, "kernel BUG at mm/slub.c:3916!\ninvalid opcode: 0000 [#1] SMP\n");
	CHECK(r->fact[VMF_C_RIP_VMALLOC_FAULT].state == VMF_UNKNOWN);
	CHECK(r->fact[VMF_C_OOPS_TOP_ZERO].state == VMF_FALSE);
	CHECK(r->fact[VMF_C_BUG_IN_VMALLOC_FAULT].state == VMF_FALSE);
	/* ... in the fault handler, cut before RIP: whether it was vmalloc_fault's BUG is unknown */
	text_facts(r, "kernel BUG at arch/x86/mm/fault.c:396!\ninvalid opcode: 0000 [#1] SMP\n");
	CHECK(r->fact[VMF_C_BUG_IN_VMALLOC_FAULT].state == VMF_UNKNOWN);
	CHECK(r->verdict == VMF_V_INCONCLUSIVE);
	free(r);
}

int main(void)
{
	test_versions();
	test_verdicts();
	test_leaf_from_text();
	test_fix_in_release();
	test_advice();
	test_writers();
	test_missing_lines();
	return CHECK_DONE();
}
