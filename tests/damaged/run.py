#!/usr/bin/env python3
"""Damaged dumps: vmfault on vmcores broken on purpose, from the factory's real kdump.

Each case damages a copy of the base dump (damage.py) or swaps its vmlinux, runs crash in
batch mode with the extension (vmfault, vmfault -j, ptaudit, ptwalk), then commands that
prove the session still works.  The same dump then goes through the direct engine, in the
ASan+UBSan build of the CLI (build/asan/vmfault-triage: --json, -v, --ptaudit -v, --ptwalk):
its outcome must be of a class the case allows for crash (crash's refusal is the direct
engine's ERROR line, or its fall to tier 2 from a vmlinux that does not fit), with no
sanitizer report, no signal, no hang and no leak (LeakSanitizer, in-process reports).  A case passes when
  - crash itself refuses the dump with a one-line error, where the case allows that, or
  - every vmfault command either prints a verdict the case allows (INCONCLUSIVE must name
    what is missing) or fails with one `vmfault: ...` line, and
  - the session survives (later `sys` and `p jiffies` answer), and
  - crash's shared-buffer accounting is balanced after every command that returned.
The outcome table goes to build/damaged/outcomes.md (docs/reliability.md quotes it).

    tests/damaged/run.py [CASE...]
"""
import json
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from fakedump import arm64_core  # noqa: E402
from vmcore_index import CACHE, index  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SO = os.path.join(ROOT, "build", "vmfault.so")
WORK = os.path.join(ROOT, "build", "damaged")
BASE_ID = "seed-pud-5.10-kdump-zlib"
DAMAGE = os.path.join(ROOT, "tests", "damaged", "damage.py")
PAGE = 4096
PHYS_MASK = 0x000FFFFFFFFFF000


def crash(vmlinux, vmcore, cmds, env=None, timeout=600):
    path = os.path.join(WORK, "cmds")
    with open(path, "w") as f:
        f.write("\n".join(cmds) + "\nquit\n")
    e = dict(os.environ)
    e.update(env or {})
    t0 = time.time()
    try:
        p = subprocess.run(["crash", "-s", vmlinux, vmcore, "-i", path], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=e, timeout=timeout)
        out, rc = p.stdout.decode("utf-8", "replace"), p.returncode
    except subprocess.TimeoutExpired as ex:
        out, rc = (ex.stdout or b"").decode("utf-8", "replace") + "\n<timeout>", -9
    return rc, out, time.time() - t0


def hexval(pattern, text, what):
    m = re.search(pattern, text, re.M)
    if not m:
        sys.exit("damaged: cannot locate %s in crash's output" % what)
    return int(m.group(1), 16)


def locate(vmlinux, vmcore, truth):
    """Physical addresses of what the cases damage, found with crash's own commands."""
    pid = truth["panic_pid"]
    rc, out, _ = crash(vmlinux, vmcore, [
        "p/x init_mm.pgd", "ps %d" % pid, "p/x log_buf", "p log_buf_len", "p/x pgd_list.next",
        "p/x init_task.tasks.next", "p/x prb->desc_ring.descs", "p prb->desc_ring.count_bits",
        "p/x prb->desc_ring.infos", "p sizeof(struct prb_desc)", "p sizeof(struct printk_info)"])
    vals = [int(v, 0) for v in re.findall(r"^(?:\w+ = )?\$\d+ = (0x[0-9a-f]+|\d+)", out, re.M)]
    if len(vals) != 10:
        sys.exit("damaged: locate: expected 10 values from crash, got %d:\n%s" % (len(vals), out))
    init_pgd_va, log_va, log_len, pgd_list_next, tasks_next, descs_va, count_bits, infos_va, dsz, isz = vals
    task = hexval(r"^>?\s+%d\s+\d+\s+\d+\s+([0-9a-f]+)" % pid, out, "the panic task")
    rc, out, _ = crash(vmlinux, vmcore, [
        "struct task_struct.mm %x" % task, "vtop %x" % init_pgd_va, "vtop %x" % log_va,
        "vtop %x" % pgd_list_next, "vtop %x" % descs_va, "vtop %x" % infos_va])
    mm = hexval(r"mm = (0x[0-9a-f]+)", out, "the task's mm")
    # vtop's first line after its header: "VIRTUAL PHYSICAL"
    phys = [int(m.group(2), 16) for m in re.finditer(r"^([0-9a-f]{8,16})\s+([0-9a-f]+)\s*$", out, re.M)]
    if len(phys) < 5:
        sys.exit("damaged: locate: vtop gave %d addresses:\n%s" % (len(phys), out))
    init_pgd, log_pa, pgd_list_pa, descs_pa, infos_pa = phys[:5]
    rc, out, _ = crash(vmlinux, vmcore, ["struct mm_struct.pgd %x" % mm,
                                         "rd -p -64 %x" % (init_pgd + 8 * truth["top_slot"])])
    task_pgd = hexval(r"pgd = (0x[0-9a-f]+)", out, "the task's pgd") - int(truth["page_offset"], 16)
    slot_entry = hexval(r"^\s*[0-9a-f]+:\s+([0-9a-f]+)", out, "init_mm's slot entry")
    pud_table = slot_entry & PHYS_MASK
    va = int(truth["vmalloc_addr"], 16)   # inside the large page, whatever the area's alignment
    pud_entry_pa = pud_table + 8 * ((va >> 30) & 511)
    rc, out, _ = crash(vmlinux, vmcore, ["rd -p -64 %x" % pud_entry_pa])
    pud_entry = hexval(r"^\s*[0-9a-f]+:\s+([0-9a-f]+)", out, "the large pud")
    if not (pud_entry & 0x80) or (pud_entry & PHYS_MASK) != int(truth["large_phys"], 16):
        sys.exit("damaged: locate: the pud at %x is %x, not the large page of truth.json" % (pud_entry_pa, pud_entry))
    # the first iomem resource's sibling pointer, and the first vmap area's list.next
    rc, out, _ = crash(vmlinux, vmcore, ["p/x iomem_resource.child", "p/x &iomem_resource.child->sibling",
                                         "p/x vmap_area_list.next"])
    res_va, sib_va, area_va = [int(v, 16) for v in re.findall(r"^\$\d+ = (0x[0-9a-f]+)", out, re.M)][:3]
    rc, out, _ = crash(vmlinux, vmcore, ["vtop %x" % sib_va, "vtop %x" % area_va])
    sib_pa, area_pa = [int(m.group(2), 16) for m in re.finditer(r"^([0-9a-f]{8,16})\s+([0-9a-f]+)\s*$", out, re.M)][:2]
    return {
        "init_pgd": init_pgd, "task_pgd": task_pgd, "slot_entry_pa": init_pgd + 8 * truth["top_slot"],
        "pud_table": pud_table, "pud_entry_pa": pud_entry_pa,
        "log_pa": log_pa, "log_len": log_len, "descs_pa": descs_pa, "descs_len": (1 << count_bits) * dsz,
        "infos_pa": infos_pa, "infos_len": (1 << count_bits) * isz,
        "pgd_list_pa": pgd_list_pa, "pgd_list_va": pgd_list_next,
        "tasks_pa": tasks_next - int(truth["page_offset"], 16), "tasks_va": tasks_next,
        "iomem_sibling_pa": sib_pa, "iomem_first_va": res_va, "vmap_next_pa": area_pa, "vmap_first_va": area_va,
    }


def pages(start, length):
    return ["zero:%#x" % a for a in range(start & ~(PAGE - 1), start + length, PAGE)]


# Outcome classes a case allows.
REFUSED = "crash refused the dump"        # crash's own one-line error, no session
ERROR = "one-line vmfault error"
INCONCLUSIVE = "INCONCLUSIVE"
SAME = "verdict unchanged"                # damage off the evidence path


def cases(L, truth, vmlinux):
    size = os.path.getsize(index()[BASE_ID][1])
    bad_table = 0x7FFFFF000 | 0x63        # a table pointer beyond the guest's RAM
    log_all = pages(L["log_pa"], L["log_len"]) + pages(L["descs_pa"], L["descs_len"]) + \
        pages(L["infos_pa"], L["infos_len"])
    return [
        ("truncated-half", ["truncate:%d" % (size // 2)], None, {INCONCLUSIVE, ERROR, SAME, REFUSED},
         "the second half of the file is gone"),
        ("truncated-headers", ["truncate:%d" % (64 * PAGE)], None, {REFUSED, ERROR, INCONCLUSIVE},
         "only the headers and bitmaps remain"),
        ("zero-init-pgd", ["zero:%#x" % L["init_pgd"]], None, {ERROR, INCONCLUSIVE, REFUSED},
         "init_mm's pgd page is zeros"),
        ("random-init-pgd", ["random:%#x:7" % L["init_pgd"]], None, {ERROR, INCONCLUSIVE, REFUSED},
         "init_mm's pgd page is random bytes"),
        ("zero-pud", ["zero:%#x" % L["pud_table"]], None, {INCONCLUSIVE},
         "the pud table holding the large pud is zeros"),
        ("random-pud", ["random:%#x:11" % L["pud_table"]], None, {INCONCLUSIVE},
         "the pud table holding the large pud is random bytes"),
        ("zero-task-pgd", ["zero:%#x" % L["task_pgd"]], None, {INCONCLUSIVE, SAME},
         "the faulting task's pgd page is zeros"),
        ("random-task-pgd", ["random:%#x:13" % L["task_pgd"]], None, {INCONCLUSIVE, SAME},
         "the faulting task's pgd page is random bytes"),
        ("pud-outside-memory", ["put64:%#x:%#x" % (L["pud_entry_pa"], bad_table)], None, {INCONCLUSIVE},
         "the large pud becomes a table pointer beyond RAM"),
        ("pud-self", ["put64:%#x:%#x" % (L["pud_entry_pa"], L["pud_table"] | 0x63)], None, {INCONCLUSIVE},
         "the large pud points back at its own table"),
        ("pgd-outside-memory", ["put64:%#x:%#x" % (L["slot_entry_pa"], bad_table)], None, {INCONCLUSIVE},
         "init_mm's top-level entry points beyond RAM"),
        ("excluded-pud", ["exclude:%#x" % L["pud_table"]], None, {INCONCLUSIVE},
         "the pud table is excluded from the dump (as by makedumpfile)"),
        ("excluded-task-pgd", ["exclude:%#x" % L["task_pgd"]], None, {INCONCLUSIVE, SAME},
         "the task's pgd page is excluded"),
        ("excluded-init-pgd", ["exclude:%#x" % L["init_pgd"]], None, {ERROR, INCONCLUSIVE, REFUSED},
         "init_mm's pgd page is excluded"),
        ("log-random", ["random:%#x:%d" % (a, i) for i, a in
                        enumerate(range(L["log_pa"] & ~(PAGE - 1), L["log_pa"] + L["log_len"], PAGE))],
         None, {INCONCLUSIVE, ERROR}, "the printk text buffer is random bytes"),
        ("log-empty", log_all, None, {INCONCLUSIVE, ERROR}, "the printk ring (text, descriptors, infos) is zeros"),
        ("pgd_list-cycle", ["put64:%#x:%#x" % (L["pgd_list_pa"], L["pgd_list_va"])], None, {SAME, INCONCLUSIVE},
         "the first pgd on pgd_list links to itself"),
        ("tasks-cycle", ["put64:%#x:%#x" % (L["tasks_pa"], L["tasks_va"])], None, {SAME, INCONCLUSIVE},
         "the first task on init_task.tasks links to itself"),
        ("iomem-loop", ["put64:%#x:%#x" % (L["iomem_sibling_pa"], L["iomem_first_va"])], None, {INCONCLUSIVE},
         "the first iomem resource is its own sibling: whether the fault's page is RAM is unknown"),
        ("vmap_area_list-loop", ["put64:%#x:%#x" % (L["vmap_next_pa"], L["vmap_first_va"])], None, {SAME},
         "the first vmap area links to itself: only the area's name is lost"),
        ("no-pgd_list-symbol", [], "strip:pgd_list", {SAME, INCONCLUSIVE},
         "vmlinux without the pgd_list symbol"),
        # init_mm.pgd is init_top_pgt (kview.c): the engine finds init_mm's table by that name
        ("no-init_mm-symbol", [], "strip:init_mm", {SAME, ERROR, REFUSED, INCONCLUSIVE},
         "vmlinux without the init_mm symbol: its table found by init_top_pgt"),
        ("wrong-vmlinux", [], "other", {REFUSED}, "a 6.1 vmlinux for the 5.10 dump"),
        ("other-architecture", [], "arm64-core", {REFUSED}, "an arm64 ELF core file"),
    ]


def make_vmlinux(how, vmlinux):
    if how is None:
        return vmlinux
    if how == "other":
        for vid, (vml, _, _) in index().items():
            if "6.1" in vml:
                return vml
        sys.exit("damaged: no 6.1 vmlinux in the cache")
    if how.startswith("strip:"):
        sym = how[6:]
        out = os.path.join(CACHE, "damaged", "vmlinux-no-" + sym)
        if not os.path.exists(out) or os.path.getmtime(out) < os.path.getmtime(vmlinux):
            os.makedirs(os.path.dirname(out), exist_ok=True)
            # renamed, not stripped: objcopy keeps symbols named in relocations
            subprocess.run(["objcopy", "--redefine-sym", "%s=%s_gone" % (sym, sym), vmlinux, out + ".tmp"], check=True)
            os.rename(out + ".tmp", out)
        return out
    return vmlinux


VERDICT = re.compile(r"^VERDICT: (MATCH|RELATED|NO MATCH|INCONCLUSIVE)\b(.*)$", re.M)


def judge(name, rc, out, allowed, base_verdict, must_say=None):
    """(ok, outcome, detail) for one case's crash output."""
    if "vmfault.so: shared object loaded" not in out:
        first = next((l for l in out.splitlines() if l.strip()), "(no output)")
        errs = [l for l in out.splitlines() if l.startswith("crash:") or "not a supported" in l
                or "do not match" in l or "cannot" in l.lower()]
        detail = errs[0] if errs else first
        return REFUSED in allowed, REFUSED, detail[:160]
    problems = []
    if "<timeout>" in out:
        problems.append("timed out")
    for m in re.finditer(r"^vmfault-bufs: (\S+) (\S+)", out, re.M):
        if m.group(2) != "balanced":
            problems.append("buffers %s after %s" % (m.group(2), m.group(1)))
    if not re.search(r"^\s+RELEASE: ", out, re.M):
        problems.append("the session did not survive (no sys output after vmfault)")
    if not re.search(r"^jiffies = \$\d+ = \d+", out, re.M):
        problems.append("p jiffies gave no answer after vmfault")
    if re.search(r"Segmentation|Aborted|core dumped|double free|AddressSanitizer", out):
        problems.append("crash died")
    verdicts = VERDICT.findall(out)
    json_lines = [l for l in out.splitlines() if l.startswith('{"tool":"vmfault"')]
    for l in json_lines:
        try:
            json.loads(l)
        except ValueError:
            problems.append("vmfault -j printed invalid JSON")
    errors = [l for l in out.splitlines() if re.match(r"^(vmfault|ptaudit|ptwalk): ", l)]
    multi = [l for l in errors if len(l) > 300]
    if multi:
        problems.append("an error line longer than 300 characters")
    if verdicts:
        v, title = verdicts[0]
        if v == "INCONCLUSIVE":
            outcome = INCONCLUSIVE
            detail = "INCONCLUSIVE " + title.strip()
            if "missing:" not in title:
                problems.append("INCONCLUSIVE without naming what is missing")
        elif v == base_verdict:
            outcome, detail = SAME, v + title
        else:
            outcome, detail = "verdict changed to " + v, v + title
        if len(json_lines) == 0:
            problems.append("vmfault -j printed nothing")
    elif errors:
        outcome, detail = ERROR, errors[0]
    else:
        outcome, detail = "no verdict and no error", ""
    if name.endswith("-cycle") and "loops without returning to its head" not in out:
        problems.append("the loop in the list was not reported")
    if must_say and must_say not in out:
        problems.append("the report does not say '%s'" % must_say)
    ok = not problems and outcome in allowed
    if problems:
        detail = "; ".join(problems) + " | " + detail
    return ok, outcome, detail[:200]


ASAN_TRIAGE = os.path.join(ROOT, "build", "asan", "vmfault-triage")
LSAN_SUPP = os.path.join(ROOT, "tests", "damaged", "lsan.supp")   # libkdumpfile's own leak
SANITIZER = re.compile(r"ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:|Segmentation|Aborted")


def direct_vmlinux_dir(vml, release):
    """A --vmlinux-dir holding vml as vmlinux-RELEASE (the CLI checks its build-id itself)."""
    d = os.path.join(WORK, "vmlinux-dir")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    os.symlink(vml, os.path.join(d, "vmlinux-" + release))
    return d


def run_asan(args, timeout=300):
    try:
        p = subprocess.run([ASAN_TRIAGE] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout,
                           env=dict(os.environ, ASAN_OPTIONS="detect_leaks=1",
                                                    LSAN_OPTIONS="suppressions=" + LSAN_SUPP))
        return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        return -9, "", "<timeout>"


def judge_direct(name, dump, vml, truth, allowed, base_verdict):
    """(ok, outcome, detail) of the direct engine on the case's dump, ASan+UBSan build."""
    cache = os.path.join(WORK, "direct-cache")
    shutil.rmtree(cache, ignore_errors=True)
    vdir = direct_vmlinux_dir(vml, truth["kernel_release"])
    common = ["--engine", "direct", "--cache-dir", cache, "--vmlinux-dir", vdir]
    problems = []
    rc, out, err = run_asan(common + ["--json", dump])
    try:
        res = json.loads(out.splitlines()[0])
    except (ValueError, IndexError):
        res = {}
    for args in (["-v"], ["--ptaudit", "-v"], ["--ptwalk", truth["vmalloc_addr"][2:]]):
        r2, o2, e2 = run_asan(common + args + [dump])
        if SANITIZER.search(e2) or e2 == "<timeout>" or r2 < 0:
            problems.append("%s: %s" % (" ".join(args), (SANITIZER.search(e2) or [e2[:80] or "signal %d" % -r2])[0]))
    if SANITIZER.search(err) or err == "<timeout>" or rc < 0:
        problems.append("--json: " + (err.strip().splitlines() or ["signal"])[-1][:120])
    # an engine that died is a problem whether the result is its ERROR or the text beside the dump
    error = res.get("error") or res.get("fallback") or ""
    if "died of signal" in error or "killed after" in error or "printed no" in error:
        problems.append(error[:120])
    verdict = res.get("verdict")
    if verdict in (None, "ERROR"):
        outcome, detail = ERROR, error or "no result line"
    elif verdict == "INCONCLUSIVE":
        outcome, detail = INCONCLUSIVE, "INCONCLUSIVE (missing: %s)" % (res.get("report") or {}).get("missing")
    elif verdict == base_verdict:
        outcome, detail = SAME, verdict
    else:
        outcome, detail = "verdict changed to " + verdict, verdict
    # crash's refusal is the direct engine's ERROR; a vmlinux that does not fit is left for tier 2
    ok_classes = set(allowed) | ({ERROR} if REFUSED in allowed else set()) | \
        ({SAME} if name in ("wrong-vmlinux",) else set())
    detail = "tier %s: %s" % (res.get("tier"), detail)
    if problems:
        detail = "; ".join(problems) + " | " + detail
    return not problems and outcome in ok_classes, outcome, detail[:200]


def main():
    only = set(sys.argv[1:])
    rows = index()
    if BASE_ID not in rows:
        sys.exit("damaged: no %s in %s (make vmcores)" % (BASE_ID, CACHE))
    if not os.access(ASAN_TRIAGE, os.X_OK):
        sys.exit("damaged: %s missing (make build/asan/vmfault-triage)" % ASAN_TRIAGE)
    vmlinux, vmcore, truth_path = rows[BASE_ID]
    truth = json.load(open(truth_path))
    os.makedirs(WORK, exist_ok=True)
    L = locate(vmlinux, vmcore, truth)
    session = ["extend " + SO, "vmfault", "vmfault -j", "ptaudit", "ptaudit -v", "ptwalk %s" % truth["vmalloc_addr"][2:],
               "vmfault -v", "sys", "p jiffies"]
    env = {"VMFAULT_CHECK_BUFS": "1"}
    rc, out, _ = crash(vmlinux, vmcore, session, env)
    base = VERDICT.findall(out)
    if not base:
        sys.exit("damaged: the undamaged base dump gives no verdict:\n" + out[-2000:])
    base_verdict = base[0][0]
    passed = failed = 0
    # what the reports must say where the damage is on a path they read
    must_say = {"iomem-loop": "iomem resource list loops", "vmap_area_list-loop": "vmap_area_list loops",
                "excluded-task-pgd": "unreadable: page %x excluded from the dump" % L["task_pgd"]}
    table = ["| case | damage | outcome | what vmfault said |", "|---|---|---|---|"]
    for name, ops, vml_how, allowed, what in cases(L, truth, vmlinux):
        if only and name not in only:
            continue
        dump = os.path.join(WORK, name + ".vmcore")
        if vml_how == "arm64-core":
            arm64_core(dump)
        elif ops:
            subprocess.run([sys.executable, DAMAGE, vmcore, dump] + ops, check=True)
        else:
            dump = vmcore
        vml = make_vmlinux(vml_how, vmlinux)
        rc, out, secs = crash(vml, dump, session, env)
        with open(os.path.join(WORK, name + ".out"), "w") as f:
            f.write(out)
        ok, outcome, detail = judge(name, rc, out, allowed, base_verdict, must_say.get(name))
        if outcome == REFUSED and vml_how in (None, "arm64-core"):
            # what a batch user of the crash path sees: vmfault-triage --engine crash must name the
            # problem even where crash is silent (the direct engine is judged below, on its own)
            t = subprocess.run([os.path.join(ROOT, "build", "vmfault-triage"), "--engine", "crash", "--json",
                                "--extension", SO,
                                "--vmlinux-dir", os.path.join(CACHE, "kernels"), dump],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            try:
                err = json.loads(t.stdout.decode().splitlines()[0])["error"] or ""
            except (ValueError, IndexError, KeyError):
                err = ""
            detail = "crash: %s; vmfault-triage: %s" % (detail, err or "(no error line)")
            if not err or err.startswith("crash printed no vmfault result"):
                ok = False
                detail += " <- triage gave no reason"
        print("%s: %s: %s (%.1f s): %s" % ("PASS" if ok else "FAIL", name, outcome, secs, detail))
        passed += ok
        failed += not ok
        dok, doutcome, ddetail = judge_direct(name, dump, vml, truth, allowed, base_verdict)
        print("%s: %s (direct, ASan): %s: %s" % ("PASS" if dok else "FAIL", name, doutcome, ddetail))
        passed += dok
        failed += not dok
        table.append("| %s | %s | %s; direct: %s | %s; direct: %s |" % (name, what, outcome, doutcome,
                                                                     detail.replace("|", "/"), ddetail.replace("|", "/")))
        if dump != vmcore and os.path.exists(dump):
            os.unlink(dump)
    with open(os.path.join(WORK, "outcomes.md"), "w") as f:
        f.write("\n".join(table) + "\n")
    print("%d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
