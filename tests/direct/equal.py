#!/usr/bin/env python3
"""The direct engine gives the crash path's answers, on every factory dump.

For every dump of the index, vmfault-triage --json runs
  * --engine crash (crash + vmfault.so: the reference; its JSON is cached per
    dump, vmlinux and extension in $EQUAL_CACHE so a rerun of this
    stage need not start crash again),
  * --engine direct with the vmlinux (tier 1),
  * --engine direct --no-vmlinux (tier 2: kallsyms and BTF from the dump),
  * --engine direct --no-symbols (tier 3: VMCOREINFO alone),
and compares the reports field by field: the verdict, the signature, every
condition (state and detail), every evidence value, the notes and the
recommendation.  Tiers 1 and 2 must equal crash's but for ALLOWED below, each
with its reason; tier 3 must never contradict tier 1 (a MATCH may become
INCONCLUSIVE, never NO MATCH nor another signature) and must name what it
could not decide.  Each result line must name the engine and tier that
answered.  Then the fallbacks: a dump whose BTF is damaged, whose BTF pages
are unreadable, whose kallsyms table is corrupt falls to the next tier with
its reason and never gives a wrong verdict.

crash is CPU-heavy: run this stage under the shared lock
(flock /tmp/vmfault-heavy.lock python3 tests/direct/equal.py [ID...]).
Prints "N passed, M failed".
"""
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.dirname(HERE))
import vmcore_index  # noqa: E402

TRIAGE = os.path.join(ROOT, "build", "vmfault-triage")
SO = os.path.join(ROOT, "build", "vmfault.so")
KERNELS = os.path.join(vmcore_index.CACHE, "kernels")
EQUAL_CACHE = os.environ.get("EQUAL_CACHE", os.path.join(ROOT, "build", "equal-cache"))

# Fields the direct engine may give otherwise than crash, each with its reason.
# Paths are dotted keys of the vmfault -j object; "*" stands for any one key.
ALLOWED = {
}

# Text the two engines may word otherwise inside any string field, each with its reason;
# both sides are rewritten to the same placeholder before the comparison.
ALLOWED_TEXT = [
    # The log's source: crash's `log` command vs the printk buffer read from the dump
    # (direct/vmf_log.c, whose text is crash's line for line: tests/direct/check_dumps.py).
    # It shows where the report names the log, e.g. INCONCLUSIVE's "missing" on a dump
    # without an oops: "an oops or panic message: crash log (22712 bytes) holds none".
    (re.compile(r"\b(crash|dump) log \("), "LOG ("),
]

passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)
    return ok


def file_key(*paths):
    """The dump and vmlinux by path, size and mtime; the extension by its bytes."""
    h = hashlib.sha256()
    for p in paths:
        if p == SO:
            with open(p, "rb") as f:
                h.update(f.read())
            continue
        st = os.stat(p)
        h.update(("%s:%d:%d;" % (p, st.st_size, st.st_mtime_ns)).encode())
    return h.hexdigest()[:24]


def triage(args, env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([TRIAGE, "--json"] + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=1200, env=e)
    lines = [l for l in p.stdout.decode("utf-8", "replace").splitlines() if l.startswith("{")]
    if len(lines) != 1:
        return {"error": "no result line (exit %d): %s" % (p.returncode, p.stderr.decode()[-300:])}
    return json.loads(lines[0])


# crash's help -m: the layout it set up (x86_64.c), named as the direct engine's layout is
MACHDEP = {"page_offset": "page_offset", "vmalloc_start_addr": "vmalloc_start", "vmalloc_end": "vmalloc_end",
           "vmemmap_vaddr": "vmemmap_start", "vmemmap_end": "vmemmap_end"}


def parse_crash(out):
    """vmfault -j's object and help -m's layout from one crash session's output."""
    res = {"machdep": {}}
    for line in out.splitlines():
        if line.startswith('{"tool":"vmfault"'):
            res["report"] = json.loads(line)
        w = line.split()
        if len(w) >= 2 and w[0].rstrip(":") in MACHDEP and w[0].endswith(":"):
            res["machdep"][MACHDEP[w[0][:-1]]] = "0x%x" % int(w[1], 16)
        elif len(w) == 2 and w[0] == "max_physmem_bits:":
            res["machdep"]["max_physmem_bits"] = int(w[1])
        elif line.strip().startswith("flags:") and "paging_levels" not in res["machdep"]:
            res["machdep"]["paging_levels"] = 5 if "VM_5LEVEL" in line else 4
    return res


def crash_result(ident, vmlinux, vmcore):
    """crash's vmfault -j and help -m, from the cache while the dump, vmlinux and extension are unchanged."""
    os.makedirs(EQUAL_CACHE, exist_ok=True)
    path = os.path.join(EQUAL_CACHE, "%s-%s.json" % (ident, file_key(vmcore, vmlinux, SO)))
    if os.path.exists(path):
        with open(path) as f:
            res = json.load(f)
        if res.get("report") and res.get("machdep"):
            return res
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write("extend %s\nvmfault -j\nhelp -m\nquit\n" % SO)
        cmds = f.name
    try:
        p = subprocess.run(["crash", "-s", vmlinux, vmcore, "-i", cmds], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=1200)
    finally:
        os.unlink(cmds)
    res = parse_crash(p.stdout.decode("utf-8", "replace"))
    if res.get("report"):
        with open(path, "w") as f:
            json.dump(res, f)
    else:
        res["error"] = "crash printed no vmfault -j line (exit %d)" % p.returncode
    return res


def same_layout(ident, what, machdep, layout):
    """The direct engine's layout is crash's (help -m), field by field."""
    diffs = ["%s: crash %r, direct %r" % (k, v, (layout or {}).get(k)) for k, v in sorted(machdep.items())
             if (layout or {}).get(k) != v]
    check(len(machdep) >= 6 and not diffs, "%s %s: layout as crash's help -m (%d fields): %s" % (
        ident, what, len(machdep), "; ".join(diffs)))


def flatten(obj, prefix="", out=None):
    out = {} if out is None else out
    if isinstance(obj, dict):
        for k, v in obj.items():
            flatten(v, prefix + k + ".", out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            flatten(v, prefix + "%d." % i, out)
        if not obj:
            out[prefix[:-1]] = []
    else:
        out[prefix[:-1]] = obj
    return out


def allowed(key):
    parts = key.split(".")
    for pat in ALLOWED:
        pp = pat.split(".")
        if len(pp) == len(parts) and all(a == "*" or a == b for a, b in zip(pp, parts)):
            return pat
    return None


def normalized(flat):
    out = {}
    for k, v in flat.items():
        if isinstance(v, str):
            for pat, repl in ALLOWED_TEXT:
                v = pat.sub(repl, v)
        out[k] = v
    return out


def compare(ident, what, ref, got):
    """Every field of the two reports, but the allowed ones."""
    a, b = normalized(flatten(ref)), normalized(flatten(got))
    diffs = []
    for k in sorted(set(a) | set(b)):
        if a.get(k, "<absent>") != b.get(k, "<absent>") and not allowed(k):
            diffs.append("%s: crash %r, direct %r" % (k, a.get(k, "<absent>"), b.get(k, "<absent>")))
    check(not diffs, "%s %s: %d field(s) differ from crash's:\n    %s" % (ident, what, len(diffs),
                                                                       "\n    ".join(diffs[:20])))


def names_engine(ident, what, res, tier):
    check(res.get("engine") == "direct" and res.get("tier") == tier and res.get("tier_what"),
          "%s %s: the line names engine direct and tier %d (%r, %r, %r)" % (
              ident, what, tier, res.get("engine"), res.get("tier"), res.get("tier_what")))


def never_contradicts(ident, ref, got):
    """Tier 3: a verdict tier 1 would not contradict, and what it could not decide named."""
    rv, gv = ref["verdict"], got["verdict"]
    ok = gv == rv or (gv == "INCONCLUSIVE" and rv in ("MATCH", "RELATED", "INCONCLUSIVE"))
    check(ok, "%s tier 3: verdict %s does not contradict tier 1's %s" % (ident, gv, rv))
    if gv == "INCONCLUSIVE" and got.get("signature") and ref.get("signature"):
        check(got["signature"] == ref["signature"],
              "%s tier 3: nearest signature %s is tier 1's %s" % (ident, got["signature"], ref["signature"]))
    if gv == "INCONCLUSIVE":
        check(bool(got.get("missing")), "%s tier 3: INCONCLUSIVE names what is missing" % ident)


def one_dump(ident, vmlinux, vmcore):
    """Compares the tiers with crash; returns crash's report (None without one)."""
    ref = crash_result(ident, vmlinux, vmcore)
    if not check(bool(ref.get("report")), "%s: crash gave a report (%s)" % (ident, ref.get("error"))):
        return None
    t1 = triage(["--engine", "direct", "--vmlinux-dir", KERNELS, vmcore])
    if check(bool(t1.get("report")), "%s tier 1: a report (%s)" % (ident, t1.get("error"))):
        names_engine(ident, "tier 1", t1, 1)
        compare(ident, "tier 1", ref["report"], t1["report"])
        same_layout(ident, "tier 1", ref["machdep"], t1.get("layout"))
    t2 = triage(["--engine", "direct", "--no-vmlinux", vmcore])
    if check(bool(t2.get("report")), "%s tier 2: a report (%s)" % (ident, t2.get("error"))):
        names_engine(ident, "tier 2", t2, 2)
        compare(ident, "tier 2", ref["report"], t2["report"])
        same_layout(ident, "tier 2", ref["machdep"], t2.get("layout"))
    t3 = triage(["--engine", "direct", "--no-symbols", vmcore])
    if check(bool(t3.get("report")), "%s tier 3: a report (%s)" % (ident, t3.get("error"))):
        names_engine(ident, "tier 3", t3, 3)
        never_contradicts(ident, ref["report"], t3["report"])
    return ref["report"]


# ---- fallbacks: damaged copies of a kdump-compressed dump (tests/damaged/damage.py) ----------

FALLBACK_BASE = "seed-pud-5.10-kdump-zlib"
DAMAGE = os.path.join(ROOT, "tests", "damaged", "damage.py")
DUMPINFO = os.path.join(ROOT, "build", "vmf-dumpinfo")
PAGE = 4096


def vmcoreinfo(vmcore):
    out = subprocess.run([DUMPINFO, "--vmcoreinfo", vmcore], stdout=subprocess.PIPE).stdout.decode()
    return dict(l.split("=", 1) for l in out.splitlines() if "=" in l)


def link_symbols(vmlinux, names):
    """Link-time addresses from the vmlinux's symbol table (nm reads no DWARF)."""
    out = subprocess.run(["nm", vmlinux], stdout=subprocess.PIPE).stdout.decode()
    found = {}
    for line in out.splitlines():
        w = line.split()
        if len(w) == 3 and w[2] in names:
            found[w[2]] = int(w[0], 16)
    return found


def image_phys(va_link, vi):
    """__pa_symbol() of a kernel-image symbol: moved by KERNELOFFSET, then phys_base."""
    return va_link + int(vi["KERNELOFFSET"], 16) - 0xffffffff80000000 + int(vi["NUMBER(phys_base)"])


def fallback_cases(vmlinux, vmcore):
    vi = vmcoreinfo(vmcore)
    sym = link_symbols(vmlinux, {"__start_BTF", "__stop_BTF", "kallsyms_token_table"})
    btf = image_phys(sym["__start_BTF"], vi)
    btf_end = image_phys(sym["__stop_BTF"], vi)
    tokens = image_phys(sym["kallsyms_token_table"], vi)
    btf_pages = range(btf & ~(PAGE - 1), btf_end, PAGE)
    return [
        # a kernel whose BTF cannot be parsed: as one built without it, the dump gives no types
        ("btf-magic", ["put64:%#x:%#x" % (btf, 0x180001dead)], "BTF"),
        # makedumpfile -d can drop pages of the image's read-only data in a damaged capture
        ("btf-excluded", ["exclude:%#x" % a for a in btf_pages], "BTF"),
        # a corrupt kallsyms: its token table random bytes, so no table decodes _stext
        ("kallsyms-corrupt", ["random:%#x:5" % tokens, "random:%#x:6" % (tokens + PAGE)], "kallsyms"),
    ]


def fallbacks(ref_by_id):
    idx = vmcore_index.index()
    if FALLBACK_BASE not in idx or FALLBACK_BASE not in ref_by_id:
        check(False, "fallbacks: no crash reference for %s" % FALLBACK_BASE)
        return
    vmlinux, vmcore, _truth = idx[FALLBACK_BASE]
    ref = ref_by_id[FALLBACK_BASE]
    work = os.path.join(ROOT, "build", "equal-damaged")
    os.makedirs(work, exist_ok=True)
    for name, ops, reason in fallback_cases(vmlinux, vmcore):
        dump = os.path.join(work, name + ".vmcore")
        subprocess.run([sys.executable, DAMAGE, vmcore, dump] + ops, check=True)
        cache = tempfile.mkdtemp(prefix="equal-cache-")   # no BTF or kallsyms' place from an earlier run
        try:
            res = triage(["--engine", "direct", "--no-vmlinux", "--cache-dir", cache, dump])
        finally:
            shutil.rmtree(cache, ignore_errors=True)
            os.unlink(dump)
        rep = res.get("report")
        if not check(bool(rep), "fallback %s: a report (%s)" % (name, res.get("error"))):
            continue
        falls = res.get("tier_falls") or ""
        check(res.get("tier") == 3 and re.search(r"tier 2: .*%s" % reason, falls),
              "fallback %s: tier 3, saying why tier 2 failed (%s) (tier %r: %s)" % (name, reason, res.get("tier"), falls))
        never_contradicts("fallback " + name, ref, rep)


def crash_engine(idx, refs):
    """vmfault-triage --engine crash gives crash's own report, and names its engine."""
    ident = "seed-pud-5.10" if "seed-pud-5.10" in refs else next(iter(refs), None)
    if not ident or not refs[ident]:
        return
    vmlinux, vmcore, _truth = idx[ident]
    res = triage(["--engine", "crash", "--extension", SO, "--vmlinux-dir", KERNELS, vmcore])
    check(res.get("engine") == "crash" and res.get("tier") is None and res.get("report") == refs[ident],
          "%s: --engine crash gives crash's report and names engine crash (%r, %r)" % (
              ident, res.get("engine"), res.get("error")))


def main():
    idx = vmcore_index.index()
    want = sys.argv[1:] or sorted(idx)
    refs = {}
    for ident in want:
        if ident not in idx:
            check(False, "%s: not in the vmcore index" % ident)
            continue
        vmlinux, vmcore, _truth = idx[ident]
        refs[ident] = one_dump(ident, vmlinux, vmcore)
    crash_engine(idx, refs)
    if not sys.argv[1:] or FALLBACK_BASE in want:
        fallbacks(refs)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
