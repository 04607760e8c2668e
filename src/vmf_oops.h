/*
 * vmf_oops.h - parse a kernel oops out of log text.
 *
 * Accepts what engineers paste or what crash's `log` prints: 4.x
 * "IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300" and 5.x+
 * "RIP: 0010:vmalloc_fault+0x1be/0x300 [mod]", with the prefixes of
 * vmf_logline.h (timestamps of every dmesg format, printk caller ids, syslog and
 * journal prefixes, mail quoting), CRLF line ends, NUL fill and UTF-8.  Other
 * CPUs' reports interleaved into the oops are skipped (oops.c).
 */
#ifndef VMF_OOPS_H
#define VMF_OOPS_H

#include <stddef.h>
#include <stdint.h>
#include "vmf_pt.h"    /* enum vmf_level indexes pt[] */

enum vmf_oops_kind {
	VMF_OOPS_NONE = 0,
	VMF_OOPS_PAGING_REQUEST,   /* "BUG: unable to handle kernel paging request at X" (4.x) */
	VMF_OOPS_PAGE_FAULT,       /* "BUG: unable to handle page fault for address: X" (5.x+) */
	VMF_OOPS_NULL_DEREF,       /* "... NULL pointer dereference at/, address: X" */
	VMF_OOPS_KERNEL_BUG,       /* "kernel BUG at file:line!" */
	VMF_OOPS_OTHER,            /* "Oops:", "general protection fault", sysrq crash, ... */
};

/* One line of evidence: where in the text a value came from. */
struct vmf_src_line {
	int line;                  /* 1-based line number in the text; 0 = not found */
	char text[200];            /* the line, prefixes stripped, truncated */
};

/*
 * The registers of the oops' register dump (x86's __show_regs()), as printed.
 * 64-bit kernels print "RAX: %016lx RBX: %016lx RCX: %016lx" lines, 4.x and
 * 5.x+ alike (arch/x86/kernel/process_64.c); RSP carries its segment
 * ("RSP: 0018:ffffc90000187d78"), which is dropped.  32-bit kernels print
 * "EAX: %08lx EBX: %08lx ECX: %08lx EDX: %08lx" (process_32.c).
 */
enum vmf_reg {
	VMF_REG_RAX, VMF_REG_RBX, VMF_REG_RCX, VMF_REG_RDX, VMF_REG_RSI, VMF_REG_RDI,
	VMF_REG_RBP, VMF_REG_RSP, VMF_REG_R08, VMF_REG_R09, VMF_REG_R10, VMF_REG_R11,
	VMF_REG_R12, VMF_REG_R13, VMF_REG_R14, VMF_REG_R15,
	VMF_REG_EFLAGS, VMF_REG_CR0, VMF_REG_CR2, VMF_REG_CR3, VMF_REG_CR4,
	VMF_REG_EAX, VMF_REG_EBX, VMF_REG_ECX, VMF_REG_EDX, VMF_REG_ESI, VMF_REG_EDI,
	VMF_REG_EBP, VMF_REG_ESP,
	VMF_NREGS
};

struct vmf_reg_value {
	int line;                  /* 1-based line in the text it was read from; 0 = not printed */
	uint64_t value;
};

struct vmf_pt_value {
	int printed;               /* the level appeared in the oops' page-table line */
	uint64_t value;
};

struct vmf_oops {
	int found;                 /* an oops (or panic) was recognised */
	int count;                 /* oopses in the text; the first is described */
	enum vmf_oops_kind kind;
	struct vmf_src_line bug;   /* the "BUG:" / "kernel BUG at" line */
	/*
	 * Printed by x86's die(): __die() -> show_regs() prints RIP (and the
	 * registers) for every one of these, so a RIP line missing from the text was
	 * cut off or filtered out, never absent.  0 for a panic without an oops
	 * (panic() shows only a call trace) and sysrq's crash line.
	 */
	int from_die;
	int ended;                 /* the first oops' block ended in the text ("---[ end trace",
				      a panic, a later oops); 0: the text stops inside it */

	int has_fault_addr;
	uint64_t fault_addr;
	int fault_addr_digits;     /* hex digits printed: %p is pointer-wide, 8 on a 32-bit kernel */

	int has_error_code;
	unsigned long error_code;  /* "#PF: error_code(0x0000)" or "Oops: 0000 [#1]" */
	char pf_access[80];        /* "supervisor read access in kernel mode" */
	char pf_reason[80];        /* "not-present page" */
	struct vmf_src_line oops_line;   /* "Oops: 0000 [#1] SMP ..." */

	int has_rip;
	int rip_has_addr;
	uint64_t rip_addr;         /* 4.x IP: [<addr>], or 5.x "RIP: 0010:[<addr>]" when printed */
	char rip_sym[128];
	uint64_t rip_off, rip_len;
	char rip_module[64];       /* "" for the kernel proper */
	struct vmf_src_line rip;

	/* "PGD c7f03a067 PUD 0", "PGD 0 P4D 0", "PGD 1a067 P4D 1a067 PUD 0": by level */
	struct vmf_pt_value pt[5]; /* indexed by enum vmf_level: PGD, P4D, PUD, PMD, PTE */
	struct vmf_src_line pt_line;

	int has_cpu;
	int cpu;
	int has_pid;
	int pid;
	char comm[32];
	char release[80];          /* "5.10.0-30-cloud-amd64" from the "CPU: 1 PID: ..." line */
	struct vmf_src_line cpu_line;

	char panic_msg[160];       /* "Kernel panic - not syncing: Fatal exception" */
	int sysrq_after_line;      /* "sysrq: Trigger a crash" after the first oops: someone forced the
				      panic later, the oops itself did not panic (panic_on_oops=0) */
	struct vmf_src_line panic_line;

	int ncalls;
	char calls[24][64];        /* call trace function names, in order, '?' entries skipped */

	/*
	 * The first oops' register dump only: the lines after its RIP line, up to its
	 * call trace.  Registers printed later (the user-mode registers at the bottom
	 * of a 5.x trace, a later oops, another CPU's backtrace) are not taken.
	 */
	struct vmf_reg_value reg[VMF_NREGS];   /* indexed by enum vmf_reg */
};

/* Returns 0 when an oops or panic was found, -1 when not (out->found = 0). Never fails otherwise. */
int vmf_parse_oops(const char *text, size_t len, struct vmf_oops *out);
const char *vmf_oops_kind_name(enum vmf_oops_kind k);

/* "RAX", "R08", "EFLAGS", "CR2", "EAX": the name the kernel prints; "?" out of range. */
const char *vmf_reg_name(enum vmf_reg r);
/*
 * The first oops' register r: returns the line it was printed on (0 = not in the
 * text; *value is then left alone) and stores its value in *value.
 */
int vmf_oops_reg(const struct vmf_oops *o, enum vmf_reg r, uint64_t *value);

#endif
