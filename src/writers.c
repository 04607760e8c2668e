/*
 * writers.c - crash-style text and one-line JSON.  Hex follows crash (no 0x in
 * tables, every number labelled); JSON addresses are "0x..." strings; what is
 * unknown prints as "unknown" or null, never as 0.
 */
#include <stdio.h>
#include <string.h>
#include "vmf_writers.h"
#include "vmf_fixwindow.h"

typedef unsigned long long ull;

/* Bytes of the well-formed UTF-8 sequence at s (RFC 3629: no overlong forms, no surrogates), 0 if none. */
static size_t utf8_seq_len(const unsigned char *s)
{
	size_t n, i;
	unsigned long cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;       /* also stops at the string's NUL */
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/*
 * UTF-8 stays UTF-8, so a path or a comm reads as it was written; control
 * characters (C0, DEL, C1) are escaped; a byte that is not part of well-formed
 * UTF-8 becomes U+FFFD, since a JSON string cannot hold it.
 */
void vmf_json_str(FILE *fp, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;

	fputc('"', fp);
	while (s && *s) {
		if (*s == '"' || *s == '\\')
			fprintf(fp, "\\%c", *s);
		else if (*s == '\n')
			fputs("\\n", fp);
		else if (*s < 0x20 || *s == 0x7f)
			fprintf(fp, "\\u%04x", *s);
		else if (*s < 0x80)
			fputc(*s, fp);
		else if ((n = utf8_seq_len(s)) == 2 && s[0] == 0xc2 && s[1] < 0xa0) {
			fprintf(fp, "\\u%04x", s[1]);         /* C1 control, U+0080-U+009F */
			s += 2;
			continue;
		} else if (n) {
			fwrite(s, 1, n, fp);
			s += n;
			continue;
		} else
			fputs("\\ufffd", fp);
		s++;
	}
	fputc('"', fp);
}

static void jhex(FILE *fp, const char *key, ull v, int known)
{
	fprintf(fp, "\"%s\":", key);
	if (known)
		fprintf(fp, "\"0x%llx\"", v);
	else
		fputs("null", fp);
}

static void jstr(FILE *fp, const char *key, const char *s)
{
	fprintf(fp, "\"%s\":", key);
	if (s && *s)
		vmf_json_str(fp, s);
	else
		fputs("null", fp);
}

static const char *tri_json(enum vmf_tri t)
{
	return t == VMF_TRUE ? "true" : t == VMF_FALSE ? "false" : "null";
}

static const char *tri_text(enum vmf_tri t)
{
	return t == VMF_TRUE ? "held" : t == VMF_FALSE ? "failed" : "unknown";
}

/* ---- text report --------------------------------------------------------- */

static void text_oops(FILE *fp, const struct vmf_report *r)
{
	const struct vmf_oops *o = &r->ev.oops;
	int i;

	fprintf(fp, "  1. OOPS (%s)\n", r->ev.log_source[0] ? r->ev.log_source : "log");
	if (!r->ev.have_log || !o->found) {
		fprintf(fp, "     no oops found in the log\n");
		return;
	}
	fprintf(fp, "     %s (line %d): %s\n", vmf_oops_kind_name(o->kind), o->bug.line, o->bug.text);
	if (o->has_fault_addr)
		fprintf(fp, "     fault address: %016llx\n", (ull)o->fault_addr);
	if (o->has_error_code)
		fprintf(fp, "     error code: %04lx%s%s%s%s\n", o->error_code, o->pf_access[0] ? "  " : "",
			o->pf_access, o->pf_reason[0] ? ", " : "", o->pf_reason);
	if (o->has_rip && !o->rip_sym[0])
		fprintf(fp, "     RIP (line %d): %016llx (no symbol)\n", o->rip.line, (ull)o->rip_addr);
	else if (o->has_rip)
		fprintf(fp, "     RIP (line %d): %s+0x%llx/0x%llx%s%s%s\n", o->rip.line, o->rip_sym,
			(ull)o->rip_off, (ull)o->rip_len, o->rip_module[0] ? " [" : "", o->rip_module,
			o->rip_module[0] ? "]" : "");
	if (o->pt_line.line) {
		fprintf(fp, "     page tables (line %d):", o->pt_line.line);
		for (i = 0; i < 5; i++)
			if (o->pt[i].printed)
				fprintf(fp, " %s %llx", vmf_level_name((enum vmf_level)i), (ull)o->pt[i].value);
		fprintf(fp, "\n");
	}
	if (o->has_cpu)
		fprintf(fp, "     CPU %d  PID %d  COMMAND \"%s\"  release %s\n", o->cpu, o->pid, o->comm,
			o->release[0] ? o->release : "unknown");
	if (o->panic_msg[0])
		fprintf(fp, "     %s\n", o->panic_msg);
	if (o->count > 1)
		fprintf(fp, "     (%d oopses in the log; the first is described)\n", o->count);
}

/* 4: the fault's top-level slot in init_mm, the task read and the mms */
static void text_slot(FILE *fp, const struct vmf_report *r, int verbose)
{
	const struct vmf_evidence *e = &r->ev;
	int i;

	fprintf(fp, "  4. TOP-LEVEL SLOT\n");
	if (e->have_slot) {
		fprintf(fp, "     %s slot %u (%016llx-%016llx): init_mm %llx\n", e->slot.top_name,
			e->slot.slot, (ull)e->slot.start, (ull)e->slot.end, (ull)e->slot.init_entry);
		if (e->have_task && e->oops.has_pid && e->task.pid != e->oops.pid)
			fprintf(fp, "     PID %d %s (not the oops' task, PID %d): %llx (%s)\n", e->task.pid,
				e->task.comm, e->oops.pid, (ull)e->slot.task_entry, vmf_slot_cmp_name(e->slot.task_cmp));
		else if (e->slot.task_cmp == VMF_SLOT_UNREADABLE)
			fprintf(fp, "     faulting task: unknown (page table unreadable or not found)\n");
		else
			fprintf(fp, "     faulting task: %llx (%s)\n", (ull)e->slot.task_entry,
				e->slot.task_cmp == VMF_SLOT_SAME ? "synced" : vmf_slot_cmp_name(e->slot.task_cmp));
		if (e->slot.mms_unknown[0])
			fprintf(fp, "     mms lacking it: unknown: no process list (%s)\n", e->slot.mms_unknown);
		else
			fprintf(fp, "     mms lacking it: %lu of %lu (different: %lu, unreadable: %lu) from %s\n",
				e->slot.mms_lacking, e->slot.mms_total, e->slot.mms_differ, e->slot.mms_unreadable,
				e->slot.mms_source);
		if (verbose)
			for (i = 0; i < e->slot.nlacking_names; i++)
				fprintf(fp, "       lacking: PID %s\n", e->slot.lacking_names[i]);
	} else {
		fprintf(fp, "     no slot of interest (no large leaf, fault outside vmalloc/vmemmap)\n");
	}
}

static void text_chain(FILE *fp, const struct vmf_report *r, int verbose)
{
	const struct vmf_evidence *e = &r->ev;
	const struct vmf_kernel_facts *k = &e->kernel;

	fprintf(fp, "EVIDENCE\n");
	text_oops(fp, r);
	if (e->have_task && !e->task.task)
		fprintf(fp, "     task (%s): top-level table phys %llx\n", e->task.source, (ull)e->task.pgd_pa);
	else if (e->have_task)
		fprintf(fp, "     task (%s): PID %d \"%s\" task %llx mm %llx pgd %llx (phys %llx) cpu %d\n",
			e->task.source, e->task.pid, e->task.comm, (ull)e->task.task, (ull)e->task.mm,
			(ull)e->task.pgd_va, (ull)e->task.pgd_pa, e->task.cpu);

	fprintf(fp, "  2. DIRECT MAP\n");
	if (e->have_phys)
		fprintf(fp, "     %016llx - page_offset %016llx = physical %llx: %s System RAM (%s)\n",
			(ull)e->oops.fault_addr, (ull)k->regions.page_offset, (ull)e->fault_phys,
			e->phys_is_ram == VMF_TRUE ? "is" : e->phys_is_ram == VMF_FALSE ? "is not" : "unknown whether",
			e->ram_source);
	else
		fprintf(fp, "     %s\n", r->fact[VMF_C_FAULT_IN_DIRECT_MAP].detail[0]
				? r->fact[VMF_C_FAULT_IN_DIRECT_MAP].detail : "no direct-map fault address");

	fprintf(fp, "  3. LARGE LEAF IN init_mm\n");
	if (e->have_leaf) {
		fprintf(fp, "     %s: %llx => %llx  (%s)  maps %016llx-%016llx to %llx\n",
			vmf_level_name(e->leaf.kind), (ull)e->leaf.entry_paddr, (ull)e->leaf.entry,
			vmf_size_name(e->leaf.size), (ull)e->leaf.va_start, (ull)e->leaf.va_end,
			(ull)e->leaf.frame);
		fprintf(fp, "     leaves with frame %llx: %u (%u in slots some mm lacks)\n",
			(ull)e->leaf.frame, (unsigned)e->search.found, e->search.unsynced);
		fprintf(fp, "     the faulting read was entry %llu of that frame: vmalloc_fault's address "
			"lay in %016llx-%016llx\n", (ull)((e->oops.fault_addr & 0xfff) / 8),
			(ull)e->target_lo, (ull)e->target_hi);
		if (e->have_vmap)
			fprintf(fp, "     vmap area %llx size %llx phys %llx caller %s\n", (ull)e->vmap.addr,
				(ull)e->vmap.size, (ull)e->vmap.phys, e->vmap.caller[0] ? e->vmap.caller : "unknown");
	} else {
		fprintf(fp, "     %s\n", r->fact[VMF_C_LARGE_PUD_FRAME].detail[0]
				? r->fact[VMF_C_LARGE_PUD_FRAME].detail : "not searched");
	}

	text_slot(fp, r, verbose);

	fprintf(fp, "  5. KERNEL\n");
	fprintf(fp, "     release %s, %d-level paging%s, KASLR offset %llx\n",
		k->version.release[0] ? k->version.release : "unknown", k->paging_levels,
		k->p4d_folded ? " (p4d folded)" : "", (ull)k->kaslr_offset);
	fprintf(fp, "     fix window: %s: %s\n", vmf_fix_state_name(e->window.state), e->window.why);
	fprintf(fp, "     CONFIG_HUGETLBFS: %s (%s)\n",
		k->hugetlbfs == VMF_TRUE ? "y" : k->hugetlbfs == VMF_FALSE ? "n" : "unknown",
		k->hugetlbfs_source[0] ? k->hugetlbfs_source : "not checked");
	if (k->has_vmalloc_fault == VMF_TRUE)
		fprintf(fp, "     vmalloc_fault: %llx in %s; code: %s\n", (ull)k->vmalloc_fault_addr,
			k->vmalloc_fault_where, k->code_note);
	else
		fprintf(fp, "     vmalloc_fault: %s\n", k->has_vmalloc_fault == VMF_FALSE ? "not present" : "not checked");
}

void vmf_report_text(FILE *fp, const struct vmf_report *r, int verbose)
{
	const struct vmf_signature *s = r->sig;
	int i;

	switch (r->verdict) {
	case VMF_V_MATCH:
	case VMF_V_RELATED:
		fprintf(fp, "VERDICT: %s %s  %s\n", vmf_verdict_name(r->verdict), s->id, s->title);
		break;
	case VMF_V_INCONCLUSIVE:
		fprintf(fp, "VERDICT: INCONCLUSIVE (missing: %s)%s%s\n", r->missing, s ? "  nearest: " : "",
			s ? s->id : "");
		break;
	default:
		fprintf(fp, "VERDICT: NO MATCH\n");
	}
	fprintf(fp, "CONFIDENCE: %s\n\n", r->confidence);
	text_chain(fp, r, verbose);

	if (s) {
		fprintf(fp, "\nCONDITIONS (%s)\n", s->id);
		for (i = 0; i < s->nrequire; i++)
			fprintf(fp, "  %-8s %-22s %s\n", tri_text(r->fact[s->require[i]].state),
				vmf_conds[s->require[i]].name, r->fact[s->require[i]].detail);
		for (i = 0; i < s->nforbid; i++)
			fprintf(fp, "  %-8s not %-18s %s\n",
				r->fact[s->forbid[i]].state == VMF_FALSE ? "held" :
				r->fact[s->forbid[i]].state == VMF_TRUE ? "failed" : "unknown",
				vmf_conds[s->forbid[i]].name, r->fact[s->forbid[i]].detail);
	} else if (verbose) {
		fprintf(fp, "\nCONDITIONS\n");
		for (i = 0; i < VMF_NCONDS; i++)
			fprintf(fp, "  %-8s %-22s %s\n", tri_text(r->fact[i].state), vmf_conds[i].name,
				r->fact[i].detail);
	}
	if (r->nnotes) {
		fprintf(fp, "\nNOTES\n");
		for (i = 0; i < r->nnotes; i++)
			fprintf(fp, "  - %s\n", r->notes[i]);
	}
	if (s && (r->verdict == VMF_V_MATCH || r->verdict == VMF_V_RELATED)) {
		fprintf(fp, "\nWHY\n  %s\n", s->explanation);
		fprintf(fp, "\nFIX\n  %s\n", r->recommendation);
		fprintf(fp, "\nWORKAROUND\n  %s\n", s->workaround);
		fprintf(fp, "\nREFERENCES\n");
		for (i = 0; i < s->nrefs; i++)
			fprintf(fp, "  %s\n", s->refs[i]);
	}
}

/* ---- JSON report --------------------------------------------------------- */

static void json_conditions(FILE *fp, const struct vmf_report *r)
{
	int i;

	fputs(",\"conditions\":{", fp);
	for (i = 0; i < VMF_NCONDS; i++) {
		fprintf(fp, "%s\"%s\":{\"state\":%s,", i ? "," : "", vmf_conds[i].name, tri_json(r->fact[i].state));
		jstr(fp, "detail", r->fact[i].detail);
		fputc('}', fp);
	}
	fputc('}', fp);
}

static void json_oops(FILE *fp, const struct vmf_evidence *e)
{
	const struct vmf_oops *o = &e->oops;
	int have_oops = e->have_log && o->found;

	fputs("\"oops\":{", fp);
	fprintf(fp, "\"found\":%s,", have_oops ? "true" : "false");
	jstr(fp, "kind", have_oops ? vmf_oops_kind_name(o->kind) : NULL);
	fputc(',', fp);
	jhex(fp, "fault_addr", o->fault_addr, have_oops && o->has_fault_addr);
	fputc(',', fp);
	jhex(fp, "error_code", o->error_code, have_oops && o->has_error_code);
	fputc(',', fp);
	jstr(fp, "rip_sym", have_oops && o->has_rip ? o->rip_sym : NULL);
	fputc(',', fp);
	jhex(fp, "rip_off", o->rip_off, have_oops && o->has_rip);
	fputc(',', fp);
	jstr(fp, "rip_module", o->rip_module);
	fputc(',', fp);
	jstr(fp, "pt_line", o->pt_line.text);
	fputs(",\"cpu\":", fp);
	if (have_oops && o->has_cpu)
		fprintf(fp, "%d,\"pid\":%d,", o->cpu, o->pid);
	else
		fputs("null,\"pid\":null,", fp);
	jstr(fp, "comm", o->comm);
	fputc(',', fp);
	jstr(fp, "bug_line", o->bug.text);
	fputc(',', fp);
	jstr(fp, "panic", o->panic_msg);
	fprintf(fp, ",\"count\":%d}", o->count);
}

static void json_task(FILE *fp, const struct vmf_evidence *e)
{
	fputs("\"task\":{", fp);
	if (e->have_task) {
		fprintf(fp, "\"pid\":%d,", e->task.pid);
		jstr(fp, "comm", e->task.comm);
		fputc(',', fp);
		jhex(fp, "task", e->task.task, e->task.task != 0);
		fputc(',', fp);
		jhex(fp, "mm", e->task.mm, e->task.mm != 0);
		fputc(',', fp);
		jhex(fp, "pgd_phys", e->task.pgd_pa, e->task.pgd_pa != 0);
		fprintf(fp, ",\"cpu\":%d,", e->task.cpu);
		jstr(fp, "source", e->task.source);
	} else {
		fputs("\"pid\":null", fp);
	}
	fputc('}', fp);
}

static void json_phys_leaf(FILE *fp, const struct vmf_evidence *e)
{
	fputs("\"phys\":{", fp);
	jhex(fp, "fault_phys", e->fault_phys, e->have_phys);
	fprintf(fp, ",\"is_ram\":%s,", e->have_phys ? tri_json(e->phys_is_ram) : "null");
	jstr(fp, "source", e->ram_source);
	fputs("},\"leaf\":{", fp);
	jstr(fp, "level", e->have_leaf ? vmf_level_name(e->leaf.kind) : NULL);
	fputc(',', fp);
	jhex(fp, "va_start", e->leaf.va_start, e->have_leaf);
	fputc(',', fp);
	jhex(fp, "va_end", e->leaf.va_end, e->have_leaf);
	fputc(',', fp);
	jhex(fp, "entry", e->leaf.entry, e->have_leaf);
	fputc(',', fp);
	jhex(fp, "entry_paddr", e->leaf.entry_paddr, e->have_leaf);
	fputc(',', fp);
	jhex(fp, "frame", e->leaf.frame, e->have_leaf);
	fputs(",\"size\":", fp);
	if (e->have_leaf)
		fprintf(fp, "%llu,\"candidates\":%u,\"candidates_unsynced\":%u,", (ull)e->leaf.size,
			(unsigned)e->search.found, e->search.unsynced);
	else
		fputs("null,\"candidates\":null,\"candidates_unsynced\":null,", fp);
	jhex(fp, "target_lo", e->target_lo, e->have_leaf);
	fputc(',', fp);
	jhex(fp, "target_hi", e->target_hi, e->have_leaf);
	fputs("},\"vmap\":{", fp);
	jhex(fp, "addr", e->vmap.addr, e->have_vmap);
	fputs(",\"size\":", fp);
	if (e->have_vmap)
		fprintf(fp, "%llu,", (ull)e->vmap.size);
	else
		fputs("null,", fp);
	jhex(fp, "phys", e->vmap.phys, e->have_vmap);
	fputc(',', fp);
	jstr(fp, "caller", e->have_vmap ? e->vmap.caller : NULL);
	fputc('}', fp);
}

static void json_slot(FILE *fp, const struct vmf_evidence *e)
{
	const struct vmf_slot_evidence *se = &e->slot;
	int i;

	fputs("\"slot\":{", fp);
	if (!e->have_slot) {
		fputs("\"slot\":null}", fp);
		return;
	}
	fprintf(fp, "\"slot\":%u,\"level\":\"%s\",", se->slot, se->top_name);
	jhex(fp, "va_start", se->start, 1);
	fputc(',', fp);
	jhex(fp, "va_end", se->end, 1);
	fputc(',', fp);
	jhex(fp, "init_entry", se->init_entry, 1);
	fputc(',', fp);
	jstr(fp, "task_state", se->task_cmp == VMF_SLOT_SAME ? "synced" : vmf_slot_cmp_name(se->task_cmp));
	fputc(',', fp);
	jhex(fp, "task_entry", se->task_entry, se->task_cmp != VMF_SLOT_UNREADABLE);
	if (se->mms_unknown[0])
		fputs(",\"mms_total\":null,\"mms_lacking\":null,\"mms_differ\":null,\"mms_unreadable\":null,", fp);
	else
		fprintf(fp, ",\"mms_total\":%lu,\"mms_lacking\":%lu,\"mms_differ\":%lu,\"mms_unreadable\":%lu,",
			se->mms_total, se->mms_lacking, se->mms_differ, se->mms_unreadable);
	jstr(fp, "source", se->mms_unknown[0] ? se->mms_unknown : se->mms_source);
	fputs(",\"lacking\":[", fp);
	for (i = 0; i < se->nlacking_names; i++) {
		if (i)
			fputc(',', fp);
		vmf_json_str(fp, se->lacking_names[i]);
	}
	fputs("]}", fp);
}

static void json_kernel(FILE *fp, const struct vmf_evidence *e)
{
	const struct vmf_kernel_facts *k = &e->kernel;

	fputs("\"kernel\":{", fp);
	jstr(fp, "release", k->version.release);
	fprintf(fp, ",\"paging_levels\":%d,\"p4d_folded\":%s,", k->paging_levels, k->p4d_folded ? "true" : "false");
	jhex(fp, "kaslr_offset", k->kaslr_offset, k->paging_levels != 0);
	fputc(',', fp);
	jhex(fp, "page_offset", k->regions.page_offset, k->regions.page_offset != 0);
	fprintf(fp, ",\"hugetlbfs\":%s,\"has_vmalloc_fault\":%s,", tri_json(k->hugetlbfs),
		tri_json(k->has_vmalloc_fault));
	jstr(fp, "vmalloc_fault_where", k->vmalloc_fault_where);
	fprintf(fp, ",\"code_large_check\":%s,", tri_json(k->code_large_check));
	jstr(fp, "code_note", k->code_note);
	fputs("},\"window\":{", fp);
	fprintf(fp, "\"state\":\"%s\",\"has_f4eafd8bcd52\":%s,\"has_18a955219bf7\":%s,",
		vmf_fix_state_name(e->window.state), tri_json(e->window.has_fix1), tri_json(e->window.has_fix2));
	jstr(fp, "why", e->window.why);
	fputc('}', fp);
}

static void json_advice(FILE *fp, const struct vmf_report *r)
{
	const struct vmf_signature *s = r->sig;
	char releases[200];
	int i;

	fputs("\"notes\":[", fp);
	for (i = 0; i < r->nnotes; i++) {
		if (i)
			fputc(',', fp);
		vmf_json_str(fp, r->notes[i]);
	}
	fputs("],", fp);
	jstr(fp, "recommendation", r->recommendation);
	fputs(",\"fixes\":[", fp);
	for (i = 0; s && i < s->nfix; i++) {
		fprintf(fp, "%s{", i ? "," : "");
		jstr(fp, "commit", s->fix[i]->commit);
		fputc(',', fp);
		jstr(fp, "title", s->fix[i]->title);
		fputc(',', fp);
		jstr(fp, "version", s->fix[i]->version);
		vmf_fix_releases(s->fix[i], releases, sizeof(releases));
		fputc(',', fp);
		jstr(fp, "stable", releases);
		fputc('}', fp);
	}
	fputs("],", fp);
	jstr(fp, "workaround", s ? s->workaround : NULL);
	fputs(",\"short_fix\":{", fp);
	jstr(fp, "fix", r->fix_short);
	fputc(',', fp);
	jstr(fp, "reason", r->fix_reason);
	fputc('}', fp);
}

void vmf_report_json(FILE *fp, const struct vmf_report *r)
{
	const struct vmf_signature *s = r->sig;

	fprintf(fp, "{\"tool\":\"vmfault\",\"version\":\"%s\",\"verdict\":\"%s\",", VMF_VERSION,
		vmf_verdict_name(r->verdict));
	jstr(fp, "signature", s ? s->id : NULL);
	fputc(',', fp);
	jstr(fp, "title", s ? s->title : NULL);
	fputc(',', fp);
	jstr(fp, "confidence", r->confidence);
	fprintf(fp, ",\"text_only\":%s,", r->text_only ? "true" : "false");
	jstr(fp, "missing", r->missing);
	json_conditions(fp, r);
	fputs(",\"evidence\":{", fp);
	json_oops(fp, &r->ev);
	fputc(',', fp);
	json_task(fp, &r->ev);
	fputc(',', fp);
	json_phys_leaf(fp, &r->ev);
	fputc(',', fp);
	json_slot(fp, &r->ev);
	fputc(',', fp);
	json_kernel(fp, &r->ev);
	fputs("},", fp);
	json_advice(fp, r);
	fputs("}\n", fp);
}

/* ---- ptwalk --------------------------------------------------------------- */

static int steps_differ(const struct vmf_step *a, const struct vmf_step *b)
{
	if (!a || !b)
		return 1;
	if (a->state != b->state)
		return 1;
	if (a->state == VMF_ENTRY_UNREADABLE)
		return 0;
	return ((a->entry ^ b->entry) & ~(VMF_E_A | VMF_E_D)) != 0;
}

static void print_step(FILE *fp, const struct vmf_step *s, int mark)
{
	char flags[64];

	fprintf(fp, "%s %s: %llx => ", mark ? "*" : " ", vmf_level_name(s->kind), (ull)s->entry_paddr);
	if (s->state == VMF_ENTRY_UNREADABLE) {
		fprintf(fp, "unreadable (%s)  [table %llx index %u]\n", s->why, (ull)s->table, s->index);
		return;
	}
	fprintf(fp, "%llx  [table %llx index %u] ", (ull)s->entry, (ull)s->table, s->index);
	if (s->state == VMF_ENTRY_NOT_PRESENT) {
		fprintf(fp, "not present\n");
		return;
	}
	fprintf(fp, "%s", vmf_flags_short(s->entry, flags, sizeof(flags)));
	if (s->leaf)
		fprintf(fp, "  %s page %llx", vmf_size_name(s->page_size), (ull)s->frame);
	if (s->why[0])
		fprintf(fp, "  BAD: %s", s->why);
	fprintf(fp, "\n");
}

/* One walk's levels, then its result; 'other' (may be NULL) marks the levels that differ. */
static void print_walk_steps(FILE *fp, const struct vmf_walk *w, const struct vmf_walk *other)
{
	int i;

	for (i = 0; i < w->nsteps; i++)
		print_step(fp, &w->step[i],
			   other && steps_differ(&w->step[i], i < other->nsteps ? &other->step[i] : NULL));
	if (w->result == VMF_WALK_MAPPED)
		fprintf(fp, "  PHYSICAL: %llx  (%s page %llx)\n", (ull)w->paddr, vmf_size_name(w->page_size),
			(ull)(w->paddr & ~(w->page_size - 1)));
	else
		fprintf(fp, "  %s\n", vmf_walk_result_name(w->result));
}

void vmf_print_walk(FILE *fp, const struct vmf_paging *p, const char *label, const struct vmf_walk *w)
{
	fprintf(fp, "%s\n", label);
	fprintf(fp, "%s DIRECTORY: %llx  (%s)\n", p->p4d_folded ? "P4D" : "PGD", (ull)w->root, p->name);
	print_walk_steps(fp, w, NULL);
}

void vmf_print_walk_pair(FILE *fp, const struct vmf_paging *p, const char *label_a,
			 const struct vmf_walk *a, const char *label_b, const struct vmf_walk *b)
{
	int i, n = a->nsteps > b->nsteps ? a->nsteps : b->nsteps, ndiff = 0;
	char summary[64];

	if (a->result != b->result || (a->result == VMF_WALK_MAPPED && a->paddr != b->paddr))
		snprintf(summary, sizeof(summary), "translations differ");
	else if (a->result == VMF_WALK_MAPPED)
		snprintf(summary, sizeof(summary), "same translation in both");
	else
		snprintf(summary, sizeof(summary), "%s in both", vmf_walk_result_name(a->result));
	fprintf(fp, "VIRTUAL           %s\n%016llx  %s\n\n", p->name, (ull)a->vaddr, summary);
	if (a->result == VMF_WALK_NONCANONICAL && b->result == VMF_WALK_NONCANONICAL) {
		fprintf(fp, "not a canonical address under %s: no table translates it\n", p->name);
		return;
	}
	if (vmf_index(p, 0, a->vaddr) < vmf_top_kernel_first(p))
		fprintf(fp, "a user address: init_mm maps no user space, so only the first walk means anything\n\n");
	for (i = 0; i < n; i++)
		ndiff += steps_differ(i < a->nsteps ? &a->step[i] : NULL, i < b->nsteps ? &b->step[i] : NULL);
	fprintf(fp, "%s  (top-level table phys %llx)\n", label_a, (ull)a->root);
	print_walk_steps(fp, a, b);
	fprintf(fp, "\n%s  (top-level table phys %llx)\n", label_b, (ull)b->root);
	print_walk_steps(fp, b, a);
	fprintf(fp, "\n%s\n", ndiff ? "* marks the levels where the two walks differ (accessed/dirty bits ignored)"
				    : "the two walks agree at every level");
}

static void walk_json_one(FILE *fp, const struct vmf_paging *p, const char *label, const struct vmf_walk *w)
{
	int i;
	char flags[64];

	fputc('{', fp);
	jstr(fp, "label", label);
	fputc(',', fp);
	jhex(fp, "root", w->root, 1);
	fprintf(fp, ",\"result\":\"%s\",", vmf_walk_result_name(w->result));
	jhex(fp, "paddr", w->paddr, w->result == VMF_WALK_MAPPED);
	fputs(",\"page_size\":", fp);
	if (w->result == VMF_WALK_MAPPED)
		fprintf(fp, "%llu", (ull)w->page_size);
	else
		fputs("null", fp);
	fputs(",\"steps\":[", fp);
	for (i = 0; i < w->nsteps; i++) {
		const struct vmf_step *s = &w->step[i];
		fprintf(fp, "%s{\"level\":\"%s\",\"index\":%u,", i ? "," : "", vmf_level_name(s->kind), s->index);
		jhex(fp, "table", s->table, 1);
		fputc(',', fp);
		jhex(fp, "entry_paddr", s->entry_paddr, 1);
		fputc(',', fp);
		jhex(fp, "entry", s->entry, s->state != VMF_ENTRY_UNREADABLE);
		fprintf(fp, ",\"state\":\"%s\",",
			s->state == VMF_ENTRY_PRESENT ? "present" : s->state == VMF_ENTRY_NOT_PRESENT ? "not present" : "unreadable");
		jstr(fp, "flags", s->state == VMF_ENTRY_PRESENT ? vmf_flags_short(s->entry, flags, sizeof(flags)) : NULL);
		fprintf(fp, ",\"leaf\":%s,", s->leaf ? "true" : "false");
		jstr(fp, "why", s->why);
		fputc('}', fp);
	}
	fputs("]}", fp);
	(void)p;
}

void vmf_walk_json(FILE *fp, const struct vmf_paging *p, const char *label_a,
		   const struct vmf_walk *a, const char *label_b, const struct vmf_walk *b)
{
	fputs("{\"tool\":\"ptwalk\",", fp);
	jhex(fp, "vaddr", a->vaddr, 1);
	fprintf(fp, ",\"paging\":\"%s\",\"walks\":[", p->name);
	walk_json_one(fp, p, label_a, a);
	fputc(',', fp);
	walk_json_one(fp, p, label_b, b);
	fputs("]}\n", fp);
}

/* ---- ptaudit -------------------------------------------------------------- */

void vmf_print_audit(FILE *fp, const struct vmf_audit *a, int verbose)
{
	unsigned s, shown = 0;

	fprintf(fp, "%s: %lu mms compared with init_mm (top-level phys %llx), %lu unreadable; slots %u-%u\n",
		a->p->name, a->mms, (ull)a->ref.root, a->unreadable_mms, a->first_slot, a->last_slot);
	fprintf(fp, "%-5s %-35s %-16s %7s %7s %7s\n", "SLOT", "VIRTUAL RANGE", "INIT_MM ENTRY", "MISSING",
		"DIFFER", "EXTRA");
	for (s = a->first_slot; s <= a->last_slot; s++) {
		int deviates = a->missing[s] || a->different[s] || a->extra[s];
		if (!deviates && !(verbose && (a->ref.entry[s] & VMF_E_P)))
			continue;
		fprintf(fp, "%-5u %016llx-%016llx %-16llx %7lu %7lu %7lu\n", s,
			(ull)vmf_top_slot_start(a->p, s), (ull)vmf_top_slot_end(a->p, s), (ull)a->ref.entry[s],
			a->missing[s], a->different[s], a->extra[s]);
		shown++;
	}
	if (!shown)
		fprintf(fp, "(every mm's kernel-half top-level entries equal init_mm's)\n");
}

void vmf_audit_json(FILE *fp, const struct vmf_audit *a)
{
	unsigned s;
	int first = 1;

	fprintf(fp, "{\"tool\":\"ptaudit\",\"paging\":\"%s\",\"mms\":%lu,\"unreadable_mms\":%lu,", a->p->name,
		a->mms, a->unreadable_mms);
	jhex(fp, "init_root", a->ref.root, 1);
	fputs(",\"slots\":[", fp);
	for (s = a->first_slot; s <= a->last_slot; s++) {
		if (!a->missing[s] && !a->different[s] && !a->extra[s])
			continue;
		fprintf(fp, "%s{\"slot\":%u,", first ? "" : ",", s);
		jhex(fp, "va_start", vmf_top_slot_start(a->p, s), 1);
		fputc(',', fp);
		jhex(fp, "init_entry", a->ref.entry[s], 1);
		fprintf(fp, ",\"missing\":%lu,\"different\":%lu,\"extra\":%lu}", a->missing[s], a->different[s],
			a->extra[s]);
		first = 0;
	}
	fputs("]}\n", fp);
}

void vmf_print_deviations(FILE *fp, const struct vmf_audit *a, const struct vmf_mm_ref *mms,
			  const struct vmf_deviations *dv)
{
	size_t i;

	fprintf(fp, "\nDEVIATING MMS: %lu slot entries\n", (unsigned long)dv->n + dv->not_kept);
	for (i = 0; i < dv->n; i++) {
		const struct vmf_deviation *d = &dv->d[i];
		const struct vmf_mm_ref *m = &mms[d->mm];

		if (d->cmp == VMF_SLOT_UNREADABLE)
			fprintf(fp, "  PID %-7d %-16s pgd %llx  unreadable: %s\n", m->pid, m->comm,
				(ull)m->pgd_pa, dv->why[d->entry]);
		else
			fprintf(fp, "  PID %-7d %-16s pgd %llx  slot %u: %s (%llx vs %llx)\n", m->pid, m->comm,
				(ull)m->pgd_pa, d->slot, vmf_slot_cmp_name((enum vmf_slot_cmp)d->cmp),
				(ull)d->entry, (ull)a->ref.entry[d->slot]);
	}
	if (dv->not_kept)
		fprintf(fp, "  (%lu more not listed%s)\n", dv->not_kept,
			dv->out_of_memory ? ": out of memory" : "");
}
