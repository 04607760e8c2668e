#!/usr/bin/env python3
"""Write the seed corpus of the fuzz targets into tests/fuzz/corpus/<target>/.

    tests/fuzz/make_seeds.py        (re)write every seed

The seeds are checked in; this script documents how the binary ones were made
(input layouts: the comments at the top of fuzz_walk.c and fuzz_catalog.c).
"""
import os
import shutil
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
P, RW, US, A, D, PSE, G = 1, 2, 4, 0x20, 0x40, 0x80, 0x100
TABLE = P | RW | A | D           # a kernel table entry, 0x63
LEAF = P | RW | A | D | PSE | G  # a large leaf, 0x1e3


def out(target, name, data):
    d = os.path.join(HERE, 'corpus', target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), 'wb') as f:
        f.write(data.encode() if isinstance(data, str) else data)


# ---- oops: real texts and short snippets in every format the parser knows ----

def oops_seeds():
    os.makedirs(os.path.join(HERE, 'corpus', 'oops'), exist_ok=True)
    seen = set()
    for src in ('tests/unit/data', 'tests/triage/logs'):
        for n in sorted(os.listdir(os.path.join(TOP, src))):
            with open(os.path.join(TOP, src, n), 'rb') as f:
                body = f.read()
            if body in seen:
                continue
            seen.add(body)
            shutil.copyfile(os.path.join(TOP, src, n),
                            os.path.join(HERE, 'corpus', 'oops', os.path.basename(src) + '-' + n))
    out('oops', 'short-4.x',
        "BUG: unable to handle kernel paging request at ffff880840000ff8\n"
        "IP: [<ffffffff8106d6de>] vmalloc_fault+0x1be/0x300\n"
        "PGD c7f03a067 PUD 0\n"
        "Oops: 0000 [#1] SMP\n"
        "CPU: 3 PID: 1 Comm: bash Not tainted 4.4.0 #1\n")
    out('oops', 'short-5.x',
        "[    5.1] BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
        "[    5.1] #PF: supervisor read access in kernel mode\n"
        "[    5.1] #PF: error_code(0x0000) - not-present page\n"
        "[    5.1] PGD 3201067 P4D 3201067 PUD 0\n"
        "[    5.1] Oops: 0000 [#1] SMP NOPTI\n"
        "[    5.1] CPU: 1 PID: 90 Comm: insmod Tainted: G  O  5.10.0-32-cloud-amd64 #1 Debian 5.10.223-1\n"
        "[    5.1] RIP: 0010:vmalloc_fault+0x22c/0x432 [vmf_test]\n")
    out('oops', 'syslog-4.x-trace',
        "Feb  9 10:10:17 host kernel: [  12.345678] BUG: unable to handle kernel paging request at ffff880840000ff8\n"
        "Feb  9 10:10:17 host kernel: [  12.345678] IP: [<ffffffff8106d6de>] vmalloc_fault+0x1be/0x300\n"
        "Feb  9 10:10:17 host kernel: [  12.345678] PGD c7f03a067 \n"
        "Feb  9 10:10:17 host kernel: [  12.345678] PUD 0 \n"
        "Feb  9 10:10:17 host kernel: [  12.345678] Oops: 0000 [#1] SMP \n"
        "Feb  9 10:10:17 host kernel: [  12.345678] CPU: 0 PID: 1234 Comm: fio Tainted: G  O 4.4.0-21-generic #37-Ubuntu\n"
        "Feb  9 10:10:17 host kernel: [  12.345678] Call Trace:\n"
        "Feb  9 10:10:17 host kernel: [  12.345678]  [<ffffffff8106d8e2>] __do_page_fault+0x3b2/0x3f0\n"
        "Feb  9 10:10:17 host kernel: [  12.345678]  [<ffffffff8106d940>] ? do_page_fault+0x20/0x70\n"
        "Feb  9 10:10:17 host kernel: [  12.345678]  [<ffffffff817f13d8>] page_fault+0x28/0x30\n"
        "Feb  9 10:10:17 host kernel: [  12.345678] Code: 48 8b 00 <48> 8b 00\n"
        "Feb  9 10:10:17 host kernel: [  12.345678] Kernel panic - not syncing: Fatal exception\n")
    out('oops', 'mail-quoted-pmd',
        "> > <1>BUG: unable to handle kernel paging request at ffff8800c0200ff8\n"
        "> > <1>IP: [<ffffffff8106d6de>] vmalloc_fault+0x1be/0x300\n"
        "> > <4>PGD 1fc067 PUD 1fd067 PMD 0\n"
        "> > <4>Oops: 0000 [#1] PREEMPT SMP\n"
        "> > <4>CPU: 2 PID: 77 Comm: i915 Not tainted 4.9.87-rt62 #1\n")
    out('oops', 'stale-vmemmap-6.6',
        "BUG: unable to handle page fault for address: ffffe7ffc0000000\n"
        "#PF: supervisor write access in kernel mode\n"
        "#PF: error_code(0x0002) - not-present page\n"
        "PGD 0 P4D 0\n"
        "Oops: 0002 [#1] PREEMPT SMP NOPTI\n"
        "CPU: 7 PID: 3051 Comm: ndctl Not tainted 6.6.0 #1\n"
        "RIP: 0010:__init_single_page+0x15/0x60\n"
        "Call Trace:\n <TASK>\n memmap_init_range+0x9a/0x1a0\n ? move_pfn_range_to_zone+0x7e/0x120\n"
        " move_pfn_range_to_zone+0x7e/0x120\n </TASK>\n")
    out('oops', 'null-gpf-panic',
        "general protection fault: 0000 [#1] SMP\n"
        "CPU: 0 PID: 1 Comm: init Not tainted 4.15.0 #1\n"
        "RIP: 0010:[<ffffffff81234567>]  [<ffffffff81234567>] memcpy_erms+0x6/0x10\n"
        "BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
        "Kernel panic - not syncing: Fatal exception in interrupt\n")
    out('oops', 'pae-3.x',
        "BUG: unable to handle kernel paging request at f8a00ff8\n"
        "IP: [<c1046a7e>] vmalloc_fault+0x11e/0x190\n"
        "*pdpt = 0000000001a2f001 *pde = 0000000000000000 \n"
        "Oops: 0000 [#1] SMP\n"
        "Pid: 1, comm: swapper/0 Not tainted 3.10.0 #1\n")

    # issue 16: the prefixes of other tools, other CPUs interleaved, hostile bytes
    out('oops', 'dmesg-T-caller-crlf',
        "[Fri Nov 29 12:00:01 2024] [  T84] BUG: unable to handle page fault for address: ffff8884c0000ff8\r\n"
        "[Fri Nov 29 12:00:01 2024] [  T84] PGD 3201067 P4D 3201067 PUD 0 \r\n"
        "[Fri Nov 29 12:00:01 2024] [  T84] CPU: 1 PID: 84 Comm: insmod Tainted: G OE 5.10.0-32-cloud-amd64 #1\r\n"
        "[Fri Nov 29 12:00:01 2024] [  T84] RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\r\n")
    out('oops', 'kmsg-dmesg-x-iso',
        "1,812,2857419,-,caller=T84;BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
        "kern  :alert : 2024-11-29T12:00:01,123456+00:00 #PF: error_code(0x0000) - not-present page\n"
        "kern  :warn  : [  +0.000123] RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\n"
        "[  12.345678 <    0.000123>] RAX: ffff8884c0000000 RBX: ffffc9803fe03000 RCX: 000fffffc0000000\n")
    out('oops', 'journal-monotonic-utf8',
        "[   12.345678] host kernel: BUG: kernel NULL pointer dereference, address: 0000000000000008\n"
        "[   12.345678] host kernel: CPU: 0 PID: 7 Comm: pr\u00fcfung\u00a0\u6d4b Not tainted 6.1.0 #1\n"
        "Nov 29 12:00:01 host kernel: [  12.3] RIP: 0010:foo+0x1/0x2\n")
    out('oops', 'nul-fill-latin1',
        b"\0\0\0\0\0\0\0\0Nov 29 12:00:01 host kernel: BUG: unable to handle kernel paging request at "
        b"ffff880840000ff8 (pmem)\n\0\0IP: [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
        b"CPU: 3 PID: 1 Comm: pr\xfcfung\xe6\xb5 Not tainted 4.4.0 #1\n")
    out('oops', 'nmi-interleaved-callers',
        "[    2.857419][   T84] BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
        "[    2.857420][    C0] NMI backtrace for cpu 0\n"
        "[    2.857421][    C0] CPU: 0 PID: 0 Comm: swapper/0 Not tainted 5.10.0 #1\n"
        "[    2.857422][    C0] RIP: 0010:native_safe_halt+0xe/0x20\n"
        "[    2.858470][   T84] CPU: 1 PID: 84 Comm: insmod Not tainted 5.10.0 #1\n"
        "[    2.858471][    C0] Call Trace:\n"
        "[    2.858625][   T84] RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\n"
        "[    2.858626][   T84] RSP: 0018:ffffc90000187d78 EFLAGS: 00000286\n"
        "[    2.858627][   T84] Call Trace:\n")
    out('oops', 'nmi-irq-regs-in-trace',
        "BUG: unable to handle page fault for address: ffff8884c0000ff8\n"
        "CPU: 1 PID: 84 Comm: insmod Not tainted 5.10.0 #1\n"
        "watchdog: BUG: soft lockup - CPU#2 stuck for 22s! [kworker/2:1:311]\n"
        "CPU: 2 PID: 311 Comm: kworker/2:1 Not tainted 5.10.0 #1\n"
        "RIP: 0010:__do_softirq+0x7b/0x2a8\n"
        "Call Trace:\n <IRQ>\n irq_exit_rcu+0x9a/0xd0\n </IRQ>\n asm_sysvec_apic_timer_interrupt+0x12/0x20\n"
        "RIP: 0010:memset_erms+0x9/0x10\nRSP: 0018:ffffc9000047bd00 EFLAGS: 00000246\n"
        " clear_page_erms+0x7/0x10\n"
        "RIP: 0010:vmalloc_fault+0x13e/0x1d6 [vmf_test]\nRAX: ffff8884c0000000 RBX: 0 RCX: 000fffffc0000000\n"
        "Call Trace:\n vmf_test_init+0x4b0/0x1000 [vmf_test]\n---[ end trace 42c5083ac0355a22 ]---\n")
    out('oops', 'regs-4.x-and-32bit',
        "BUG: unable to handle kernel paging request at ffff880840000ff8\n"
        "RIP: 0010:[<ffffffff810664ae>]  [<ffffffff810664ae>] vmalloc_fault+0x1be/0x300\n"
        "RSP: 0018:ffff88003b8bfc18  EFLAGS: 00010046\n"
        "FS:  00007f3b5b1f4700(0000) GS:ffff88007fcc0000(0000) knlGS:0000000000000000\n"
        "EAX: 00000000 EBX: f8a00ff8 ECX: 80000000 EDX: 000001e3\n"
        " DS: 007b ES: 007b FS: 00d8 GS: 00e0 SS: 0068\n"
        "Stack:\n")


# ---- walk: header (see fuzz_walk.c) + pages of tables ----

def page(entries):
    b = bytearray(4096)
    for i, v in entries.items():
        struct.pack_into('<Q', b, 8 * i, v)
    return bytes(b)


def walk_input(mode, init, task, mms, budget, va, fault, other, pages):
    hdr = bytes([mode, init, task] + mms + [budget]) + struct.pack('<QQQ', va, fault, other)
    assert len(hdr) == 32
    return hdr + b''.join(pages)


def walk_seeds():
    # 4-level: init_mm's pgd (page 0) slot 402 (ffffc90000000000, the vmalloc area the
    # harness gives the view) -> pud table (page 1); pud[1] is a 1 GiB leaf at 0xc80000000.
    # The task's pgd (page 2) lacks slot 402, so do two of the four mms.  The oops' fault
    # address is __va(0xc80000ff8): the seed bug, MATCH VMF-LARGE-PUD.
    frame = 0xc80000000
    va = 0xffffc90000000000 + (1 << 30) + 0x123
    fault = 0xffff888000000000 + frame + 0xff8
    pgd = page({402: 0x1000 | TABLE, 273: 0x3000 | TABLE, 511: 0x3000 | TABLE})
    pud = page({1: frame | LEAF})
    task = page({273: 0x3000 | TABLE, 511: 0x3000 | TABLE})
    pud2 = page({0: 0x40000000 | LEAF, 510: 0x4000 | TABLE})     # direct map 1G, kernel text pmd
    pmd = page({8: 0x1000000 | LEAF, 9: 0x5000 | TABLE})           # 2M text, then a pte table
    pte = page({i: (0x1200000 + 4096 * i) | P | RW | A | D | G for i in range(0, 512, 7)})
    # mode 0x14: 4-level, task root known, phys_is_ram says "not RAM"; byte 7 = 63: a
    # budget of 64 tables, max_paddr 1 << 46 as the crash extension sets it
    out('walk', 'large-pud-4level',
        walk_input(0x14, 0, 2, [2, 2, 0, 0xff], 63, va, fault, 0xffffffff81000000,
                   [pgd, pud, task, pud2, pmd, pte]))
    # the same with a vmap area for the leaf (find_vmap), and with no audit handed in
    out('walk', 'large-pud-4level-vmap',
        walk_input(0x54, 0, 2 | 8, [2, 2, 0, 0xff], 63, va, fault, 0xffffffff81000000,
                   [pgd, pud, task, pud2, pmd, pte]))
    # the same, p4d folded (5-level kernel on 4-level hardware), budget 3, no task root
    out('walk', 'large-pud-4level-folded',
        walk_input(0x12, 0, 2, [2, 0, 0, 0], 2, 0xffffffff81012345, fault, va,
                   [pgd, pud, task, pud2, pmd, pte]))

    # 5-level: pgd[416] (ffa0000000000000) -> p4d (page 1), p4d[0] -> pud (page 3),
    # pud[5] -> 1 GiB leaf.  The task (page 2) lacks pgd slot 416.
    va5 = 0xffa0000000000000 + (5 << 30)
    fault5 = 0xff11000000000000 + frame + 0xff8
    out('walk', 'large-pud-5level',
        walk_input(0x15, 0, 2, [2, 0, 2, 0xff], 15, va5, fault5, 0xff11000000001000,
                   [page({416: 0x1000 | TABLE}), page({0: 0x3000 | TABLE}), page({}),
                    page({5: frame | LEAF})]))

    # PAE: pdpt[3] -> pmd table (page 1), pmd[448] (f8000000) -> 2 MiB leaf at 0x20000000;
    # the fault is __va(0x20000ff8) in the 3G/1G direct map.
    out('walk', 'large-pmd-pae',
        walk_input(0x17, 0, 2, [2, 0, 0, 0], 7, 0xf8000123, 0xe0000ff8, 0xc0001000,
                   [page({3: 0x1000 | P}), page({448: 0x20000000 | LEAF, 0: 0x2000 | TABLE}),
                    page({0: P})]))

    # cycles and bad entries: pgd[511] -> itself, pgd[510] -> page 1 whose entries point
    # back at page 0 and at 1, pud[2] has reserved PSE at the pgd... everything must end.
    bad = page({511: 0x0000 | TABLE, 510: 0x1000 | TABLE, 509: 0x7fff000 | TABLE,
                508: 0xfffffffff000 | TABLE, 507: PSE | TABLE, 400: 0x2000 | TABLE})
    loop = page({i: (0x1000 * (i % 3)) | TABLE for i in range(512)})
    out('walk', 'cycles-4level',
        walk_input(0x0c, 0, 1, [1, 2, 0xff, 3], 0xbf, 0xffffff8000000000, 0xffffc80000000ff8,
                   0xffff800000000000, [bad, loop, loop]))
    out('walk', 'cycles-5level',
        walk_input(0x0d, 0, 1, [1, 2, 0xff, 3], 0x7f, 0xff80000000000000, 0xffa0000000000ff8,
                   0xff00000000000000, [bad, loop, loop]))


# ---- catalog: fields in the order fuzz_catalog.c reads them ----

class Enc:
    def __init__(self):
        self.b = bytearray()

    def u8(self, v):
        self.b.append(v & 0xff)
        return self

    def u64(self, v):
        self.b += struct.pack('<Q', v & (2**64 - 1))
        return self

    def s(self, text):
        t = text.encode() if isinstance(text, str) else text
        self.u8(len(t))
        self.b += t
        return self


def catalog_seed(text_only, from_log, release_choice, rip_choice, kind, fault_choice,
                 pt_top_zero, overrides):
    e = Enc()
    e.u8((1 if text_only else 0) | 2 | 4 | (8 if from_log else 0))
    e.s('crash log "quoted"\\')
    # oops
    e.u8(1).u8(0).u8(kind).u8(3).u8(0 if kind == 1 else 1 if kind == 2 else 2)
    e.u8(1).u8(fault_choice)
    e.u8(1).u8(0)
    e.u8(1).s('supervisor read access in kernel mode').s('not-present page').u8(4).s('Oops: 0000 [#1] SMP')
    e.u8(1).u8(1).u64(0xffffffff8106d6de).u8(2).u8(rip_choice).u64(0x1be).u64(0x300)
    e.u8(0)
    e.u8(1).u8(3)
    for lvl in range(5):   # PGD, P4D printed; zero or not
        e.u8((1 if lvl < 2 else 0) | (2 if pt_top_zero else 4))
    e.s('PGD 0 P4D 0' if pt_top_zero else 'PGD c7f03a067 PUD 0')
    e.u8(1).u8(4).u64(1234).u8(5).s('bash\t\x01')
    e.u8(release_choice)
    e.u8(1).u8(9).s('Kernel panic - not syncing: Fatal exception')
    e.u8(3).u8(1).u8(0).u8(6).s(b'\xc2\xa0raw')
    if not text_only:
        e.u8(1).u8(2).s('insmod').u64(0xffff88810abc0000).u8(0).u64(0xffff88810abd0000)
        e.u64(0xffff888102030000).u8(0).u64(0x102030000).u8(2).s('panic task (crash)')
        e.u8(1).u64(0xc80000ff8).u8(2).s('/proc/iomem')
        e.u8(1).u8(1).u64(0xffffc98040000000).u64(0xc800001e3).u64(0x1000008).u8(0).u8(0)
        e.u64(0xffffc98000000000)
        e.u8(1).u64(0xffffc98040000000).u64(1 << 30).u64(0xc80000000).s('pmem_attach+0x1c/0x40')
        e.u8(1).u8(147).u8(1).u64(0xffffc98000000000).u64(0x1000063).u8(1).u64(0)
        e.u8(12).u8(0).u8(5).u8(0).u8(0).s('pgd_list').u8(2).s('1 init').s('77 "bash"')
    # kernel
    e.u8(0).u8(release_choice)
    e.u8(2).u8(1).s('CONFIG_HUGETLBFS=n (IKCONFIG)')
    e.u8(1).u8(0).u64(0xffffffff8106d520).u8(2).u8(1).s('no test of the PSE bit')
    e.u8(0).u8(0).u64(0x1e000000).u8(1)
    # notes
    e.u8(1).s('top-level pgd slot 402 is stale')
    # overrides: (state 1 TRUE, 2 FALSE, 0 UNKNOWN) per condition, or none
    for i in range(14):
        if i in overrides:
            e.u8(1 | (overrides[i] << 1)).s('set by the seed')
        else:
            e.u8(0)
    return bytes(e.b)


def catalog_seeds():
    # the seed bug from a dump: every dump condition TRUE -> MATCH VMF-LARGE-PUD
    dump_pud = {2: 1, 3: 1, 4: 1, 5: 2, 6: 1, 8: 2, 9: 2, 10: 2}
    out('catalog', 'match-large-pud', catalog_seed(False, True, 0, 0, 1, 0, False, dump_pud))
    # text only, 4.4.0: MATCH with dump conditions unknown
    out('catalog', 'text-only-4.4', catalog_seed(True, True, 0, 0, 1, 0, False, {}))
    # 5.10, PGD 0 P4D 0, fault in vmalloc and the slot missing: RELATED VMF-STALE-VMALLOC
    out('catalog', 'related-stale', catalog_seed(False, True, 12, 1, 2, 2, True,
                                                 {2: 2, 3: 2, 4: 2, 5: 2, 6: 2, 8: 1, 9: 2, 10: 1, 13: 1}))
    # the log fits, the page tables do not: INCONCLUSIVE (contradicted by the dump)
    out('catalog', 'contradicted', catalog_seed(False, True, 0, 0, 1, 0, False,
                                                {2: 1, 3: 1, 4: 2, 5: 2, 6: 2, 8: 2, 9: 2, 10: 2}))
    # no log facts at all
    out('catalog', 'no-log-facts', catalog_seed(False, False, 17, 5, 5, 9, False, {}))
    out('catalog', 'zeros', bytes(64))
    out('catalog', 'ones', bytes([0xff]) * 64)
    out('catalog', 'mixed', bytes(range(48)))


if __name__ == '__main__':
    for t in ('oops', 'walk', 'catalog'):
        d = os.path.join(HERE, 'corpus', t)
        if os.path.isdir(d):
            shutil.rmtree(d)
    oops_seeds()
    walk_seeds()
    catalog_seeds()
