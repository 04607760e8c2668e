#!/usr/bin/env python3
"""Integration tests: vmfault.so inside crash on every generated vmcore.

For each scenario in $VMFAULT_CACHE/vmcores/index.tsv:
  * `vmfault -j`: the verdict, the signature and every evidence value equal the
    scenario's ground truth (truth.json, written from what the guest reported);
  * `ptaudit -j`: the count of mms lacking the slot equals the ground truth;
  * `ptwalk -j` agrees with crash's own `vtop` on >= 1,000 sampled kernel
    addresses (direct map, vmalloc, ioremap, kernel text, modules, vmemmap);
  * the session survives: a command after ours still answers.
Prints PASS/FAIL lines and "N passed, M failed".
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vmcore_index import CACHE, index  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SO = os.environ.get("VMFAULT_SO", os.path.join(ROOT, "build", "vmfault.so"))
SAMPLES = int(os.environ.get("VMFAULT_VTOP_SAMPLES", "1000"))

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
        print("PASS: " + what)
    else:
        failed += 1
        print("FAIL: " + what)
    return ok


def crash(vmlinux, vmcore, commands, timeout=600):
    """Run crash in batch mode with a command file; return its stdout."""
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write("extend %s\n" % SO)
        for c in commands:
            f.write(c + "\n")
        f.write("quit\n")
        name = f.name
    try:
        p = subprocess.run(["crash", "-s", vmlinux, vmcore, "-i", name],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=timeout)
        return p.stdout.decode("utf-8", "replace")
    finally:
        os.unlink(name)


def json_lines(text, key):
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{") and ('"%s"' % key) in line:
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def dig(obj, path):
    for part in path.split("."):
        if not isinstance(obj, dict) or part not in obj:
            return None
        obj = obj[part]
    return obj


def as_int(v):
    if v is None:
        return None
    if isinstance(v, int):
        return v
    try:
        return int(str(v), 0)
    except ValueError:
        return None


def check_report(sid, truth, rep):
    exp_v = truth.get("expected_verdict")
    check(rep.get("verdict") == exp_v,
          "%s: verdict %s (expected %s)" % (sid, rep.get("verdict"), exp_v))
    exp_sig = truth.get("expected_signature")
    if exp_sig:
        check(rep.get("signature") == exp_sig,
              "%s: signature %s (expected %s)" % (sid, rep.get("signature"), exp_sig))
    ev = rep.get("evidence", {})
    if truth.get("fault_addr"):
        check(as_int(dig(ev, "oops.fault_addr")) == as_int(truth["fault_addr"]),
              "%s: fault address %s = truth %s" % (sid, dig(ev, "oops.fault_addr"), truth["fault_addr"]))
    # the oops is the panic's, except where it did not panic (oops_*: a later sysrq panicked)
    who = "oops" if truth.get("oops_pid") is not None else "panic"
    if truth.get(who + "_cpu") is not None and dig(ev, "oops.cpu") is not None:
        check(as_int(dig(ev, "oops.cpu")) == as_int(truth[who + "_cpu"]),
              "%s: %s cpu %s = truth %s" % (sid, who, dig(ev, "oops.cpu"), truth[who + "_cpu"]))
    if truth.get("panic_pid") is not None and dig(ev, "task.pid") is not None:
        check(as_int(dig(ev, "task.pid")) == as_int(truth["panic_pid"]),
              "%s: panic pid %s = truth %s" % (sid, dig(ev, "task.pid"), truth["panic_pid"]))
    if who == "oops":
        # the oops killed its task: the evidence falls back to the panic task, and says so
        check(any("PID %s) is not in the dump's task list" % truth["oops_pid"] in n for n in rep.get("notes", [])),
              "%s: a note says the oops' task (PID %s) is gone" % (sid, truth["oops_pid"]))
    lacking = dig(ev, "slot.lacking") or []
    if lacking:
        unnamed = [n for n in lacking if not re.match(r"^[1-9]\d* \S", n)]
        check(not unnamed, "%s: every mm lacking the slot is named by a live process (%d named%s)"
              % (sid, len(lacking), ", unnamed: %s" % unnamed[:3] if unnamed else ""))
    if truth.get(who + "_comm") and dig(ev, "oops.comm") is not None:
        check(dig(ev, "oops.comm") == truth[who + "_comm"],
              "%s: the oops' command %r = truth %r" % (sid, dig(ev, "oops.comm"), truth[who + "_comm"]))
    check(as_int(dig(ev, "kernel.paging_levels")) == as_int(truth.get("paging_levels")),
          "%s: paging levels %s = truth %s" % (sid, dig(ev, "kernel.paging_levels"), truth.get("paging_levels")))
    if truth.get("kaslr_offset") is not None:
        check(as_int(dig(ev, "kernel.kaslr_offset")) == as_int(truth["kaslr_offset"]),
              "%s: KASLR offset %s = truth %s" % (sid, dig(ev, "kernel.kaslr_offset"), truth["kaslr_offset"]))
    if exp_v == "MATCH":
        check(as_int(dig(ev, "leaf.frame")) == as_int(truth.get("large_phys")),
              "%s: large leaf frame %s = truth %s" % (sid, dig(ev, "leaf.frame"), truth.get("large_phys")))
        check(as_int(dig(ev, "leaf.size")) == as_int(truth.get("large_size")),
              "%s: large leaf size %s = truth %s" % (sid, dig(ev, "leaf.size"), truth.get("large_size")))
        lo, hi = as_int(dig(ev, "leaf.va_start")), as_int(dig(ev, "leaf.va_end"))
        va = as_int(truth.get("vmalloc_addr"))
        check(lo is not None and va is not None and lo <= va <= hi,
              "%s: vmalloc address %s inside the leaf %s-%s" % (sid, truth.get("vmalloc_addr"), lo and hex(lo), hi and hex(hi)))
        check(as_int(dig(ev, "vmap.addr")) == as_int(truth.get("vm_area_addr")),
              "%s: vmap area %s = truth %s" % (sid, dig(ev, "vmap.addr"), truth.get("vm_area_addr")))
        check(as_int(dig(ev, "phys.fault_phys")) is not None and
              (as_int(dig(ev, "phys.fault_phys")) & ~0xfff) == as_int(truth.get("large_phys")),
              "%s: __pa(fault) %s lies in the large page %s" % (sid, dig(ev, "phys.fault_phys"), truth.get("large_phys")))
        check(dig(ev, "phys.is_ram") is False,
              "%s: the fault's physical page is not System RAM (%s)" % (sid, dig(ev, "phys.is_ram")))
    if truth.get("capture") == "qemu-live":
        check("an oops or panic message" in (rep.get("missing") or ""),
              "%s: live dump: INCONCLUSIVE names the missing oops (%s)" % (sid, rep.get("missing")))
        check(any("no panic task" in n for n in rep.get("notes", [])),
              "%s: live dump: a note says there is no panic task" % sid)
    if truth.get("top_slot") is not None and exp_v in ("MATCH", "RELATED"):
        check(as_int(dig(ev, "slot.slot")) == as_int(truth["top_slot"]),
              "%s: top-level slot %s = truth %s" % (sid, dig(ev, "slot.slot"), truth["top_slot"]))
        check(as_int(dig(ev, "slot.mms_lacking")) == as_int(truth.get("procs_lacking_slot")),
              "%s: mms lacking the slot %s = truth %s" % (sid, dig(ev, "slot.mms_lacking"), truth.get("procs_lacking_slot")))
    if sid.startswith("stale-direct-6.1"):
        # issue 17: a 6.1 kernel has every fix of the stale-slot signature: said first, then the evidence
        rec = rep.get("recommendation") or ""
        check(re.match(r"^\S+ has all of these: 7f0a002b5a21 \(mainline v5\.8\), 6eb82f994026 \(mainline v5\.9\), "
                       r"995909a4e22b \(mainline v5\.9\), 58a18fe95e83 \(mainline v5\.10\)\. ", rec) is not None,
              "%s: the recommendation first says the kernel has every fix: %s" % (sid, rec[:150]))
        check("preallocated at boot (6eb82f994026)" in rec and "not the bug they fixed" in rec,
              "%s: ... then why a missing slot is not the old race" % sid)
        check("the faulting code is in module " in rec and "mms lack the slot" in rec,
              "%s: ... and what in the dump points elsewhere (module, slot tallies)" % sid)
        titles = {f.get("commit"): f.get("title") for f in rep.get("fixes") or []}
        check(titles.get("995909a4e22b") == "x86/mm/64: Do not dereference non-present PGD entries",
              "%s: 995909a4e22b carries its real title (%s)" % (sid, titles.get("995909a4e22b")))
    if sid.startswith("fixed"):
        notes = " ".join(rep.get("notes") or [])
        check("missing from" in notes,
              "%s: NO MATCH still reports the stale slot as an observation" % sid)


def check_audit_verbose(sid, truth, out):
    """ptaudit -v: the table first, then one line per mm lacking the slot."""
    if truth.get("top_slot") is None or truth.get("procs_lacking_slot") is None:
        return
    start = out.find("\nMMS: ")
    dev = out.find("\nDEVIATING MMS:", start)
    if not check(start >= 0 and dev > start, "%s: ptaudit -v prints its table, then DEVIATING MMS" % sid):
        return
    section = out[dev:]
    lacking = re.findall(r"^  PID\s+-?\d+\s+.*slot %d: missing " % int(truth["top_slot"]), section, re.M)
    check(len(lacking) == int(truth["procs_lacking_slot"]),
          "%s: ptaudit -v names %d mms lacking slot %s = truth %s" % (sid, len(lacking), truth["top_slot"],
                                                                    truth["procs_lacking_slot"]))


def check_audit(sid, truth, audit):
    if truth.get("top_slot") is None or truth.get("procs_lacking_slot") is None:
        return
    slot = int(truth["top_slot"])
    got = None
    for s in audit.get("slots", []):
        if as_int(s.get("slot")) == slot:
            got = as_int(s.get("missing"))
    if got is None:
        got = 0
    check(got == int(truth["procs_lacking_slot"]),
          "%s: ptaudit slot %d missing from %s mms = truth %s" % (sid, slot, got, truth["procs_lacking_slot"]))


VTOP_RE = re.compile(r"^([0-9a-f]{16})\s+([0-9a-f]+|\(not mapped\)|\(not accessible\))", re.M)


def sample_addresses(vmlinux, vmcore, truth):
    """Deterministic samples of kernel addresses from the dump's own layout."""
    out = crash(vmlinux, vmcore, ["help -m", "kmem -v", "mod", "sym _stext", "sym _etext"])
    rnd = random.Random(int(truth.get("kaslr_offset", "0x0"), 16) ^ 0x5eed)
    def field(name):
        m = re.search(r"^\s*%s:\s*([0-9a-f]+)" % name, out, re.M)
        return int(m.group(1), 16) if m else None
    page_offset = field("page_offset")
    vmemmap = field("vmemmap_vaddr")
    samples = []
    # direct map: the first 256 MiB of RAM, present in every guest here
    if page_offset:
        samples += [page_offset + rnd.randrange(0, 256 << 20) for _ in range(250)]
    # vmemmap: struct pages of that RAM
    if vmemmap:
        samples += [vmemmap + rnd.randrange(0, (256 << 20) // 4096 * 64) for _ in range(150)]
    # vmalloc areas, including the ioremaps
    areas = []
    for m in re.finditer(r"^\s*[0-9a-f]{16}\s+[0-9a-f]{16}\s+([0-9a-f]{16})\s+-\s+([0-9a-f]{16})\s+(\d+)", out, re.M):
        areas.append((int(m.group(1), 16), int(m.group(2), 16)))
    for _ in range(300 if truth.get("vmalloc_addr") else 350):
        if areas:
            lo, hi = rnd.choice(areas)
            samples.append(lo + rnd.randrange(0, max(hi - lo - 4096, 1)))
    if truth.get("vmalloc_addr"):
        va = int(truth["vmalloc_addr"], 16)
        samples += [va + rnd.randrange(0, 1 << 30) for _ in range(50)]
    # kernel text
    t0, t1 = None, None
    m = re.search(r"^([0-9a-f]{16}) \(T\) _stext", out, re.M)
    n = re.search(r"^([0-9a-f]{16}) \(.\) _etext", out, re.M)
    if m and n:
        t0, t1 = int(m.group(1), 16), int(n.group(1), 16)
        samples += [t0 + rnd.randrange(0, t1 - t0) for _ in range(150)]
    # modules may be few or none: make up with kernel text
    if t0 is not None and not re.search(r"^[0-9a-f]{16}\s+\S+\s+[0-9a-f]{16}\s+\d+", out, re.M):
        samples += [t0 + rnd.randrange(0, t1 - t0) for _ in range(100)]
    # modules
    mods = [int(x, 16) for x in re.findall(r"^[0-9a-f]{16}\s+\S+\s+([0-9a-f]{16})\s+\d+", out, re.M)]
    for _ in range(100):
        if mods:
            samples.append(rnd.choice(mods) + rnd.randrange(0, 4096))
    return samples


def check_vtop(sid, vmlinux, vmcore, truth):
    samples = sample_addresses(vmlinux, vmcore, truth)
    if not check(len(samples) >= SAMPLES, "%s: %d kernel addresses sampled (>= %d)" % (sid, len(samples), SAMPLES)):
        return
    cmds = []
    for a in samples:
        cmds.append("vtop %x" % a)
        cmds.append("ptwalk -j %x" % a)
    out = crash(vmlinux, vmcore, cmds, timeout=1200)
    # pair each vtop answer with the ptwalk JSON that follows it
    lines = out.splitlines()
    vtops = []
    for i, l in enumerate(lines[:-1]):
        if l.startswith("VIRTUAL") and "PHYSICAL" in l:
            m = VTOP_RE.match(lines[i + 1])
            if m:
                vtops.append(m.groups())
    walks = json_lines(out, "walks")
    agree = 0
    disagree = []
    for (va_s, pa_s), w in zip(vtops, walks):
        init = [x for x in w["walks"] if x.get("label") == "init_mm"][0]
        mine = as_int(init.get("paddr")) if init.get("result") == "MAPPED" else None
        theirs = int(pa_s, 16) if re.match(r"^[0-9a-f]+$", pa_s) else None
        if mine == theirs:
            agree += 1
        else:
            disagree.append("%s: vtop %s ptwalk %s" % (va_s, pa_s, init.get("paddr")))
    n = min(len(vtops), len(walks))
    check(n == len(samples) and agree == n,
          "%s: ptwalk agrees with crash vtop on %d of %d addresses (%d vtop, %d ptwalk answers)%s"
          % (sid, agree, len(samples), len(vtops), len(walks),
             "; first disagreements: " + "; ".join(disagree[:3]) if disagree else ""))


# An address that does not fit in 64 bits is an error of one line, never ffffffffffffffff
# (issue 16, item 17: strtoull saturated it, and "-1" became its negation).
BAD_ADDRESSES = [
    ("vmfault -a ffffffffffffffffffffffff", "vmfault: -a takes a hexadecimal address, not \"ffffffffffffffffffffffff\": it does not fit in 64 bits"),
    ("vmfault -a -1", "vmfault: -a takes a hexadecimal address, not \"-1\""),
    ("ptwalk 1ffffffffffffffff", "ptwalk: \"1ffffffffffffffff\" is not a hexadecimal address: it does not fit in 64 bits"),
]


def check_bad_addresses(sid, vmlinux, vmcore):
    for cmd, want in BAD_ADDRESSES:
        out = crash(vmlinux, vmcore, [cmd])
        got = [l for l in out.splitlines() if l.strip() and "shared object loaded" not in l]
        check(got == [want], "%s: `%s` says one line: %s (got %s)" % (sid, cmd, want, got[:3]))


def main():
    index_path = os.path.join(CACHE, "vmcores", "index.tsv")
    if not check(os.path.exists(index_path), "vmcore index %s exists (run make vmcores)" % index_path):
        print("%d passed, %d failed" % (passed, failed))
        return 1
    check(os.path.exists(SO), "extension %s built" % SO)
    only = sys.argv[1:]
    checked_addresses = False
    for sid, (vmlinux, vmcore, truth_path) in index().items():
        if only and sid not in only:
            continue
        truth = json.load(open(truth_path))
        out = crash(vmlinux, vmcore, ["vmfault -j", "ptaudit -j", "vmfault", "ptaudit -v", "sys | grep RELEASE"])
        reports = json_lines(out, "verdict")
        audits = json_lines(out, "slots")
        if not check(len(reports) == 1, "%s: vmfault -j printed one JSON object" % sid):
            print(out[-2000:])
            continue
        check_report(sid, truth, reports[0])
        if check(len(audits) == 1, "%s: ptaudit -j printed one JSON object" % sid):
            check_audit(sid, truth, audits[0])
        check(re.search(r"^VERDICT: ", out, re.M) is not None, "%s: text report starts with VERDICT:" % sid)
        check_audit_verbose(sid, truth, out)
        check("RELEASE:" in out, "%s: the crash session survives the commands" % sid)
        if os.environ.get("VMFAULT_SKIP_VTOP") != "1":
            check_vtop(sid, vmlinux, vmcore, truth)
        if not checked_addresses:
            check_bad_addresses(sid, vmlinux, vmcore)
            checked_addresses = True
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
