#!/usr/bin/env python3
"""direct/'s symbols, types and code on the factory's real dumps, against crash and gdb.

For every dump of the index:
  * tier 1 (build/direct-probe -k vmlinux: .symtab + KERNELOFFSET, .BTF) and
    tier 2 (no vmlinux: kallsyms from VMCOREINFO or located in the image, the
    dump's BTF) give the same address for every symbol the engine needs and the
    same member offsets and sizes;
  * the locator finds the tables on 6.1 too, where VMCOREINFO would have given them;
  * the offsets equal gdb's on the DWARF vmlinux (ground truth, once per kernel);
  * vmalloc_fault's address and module, the module's start and size equal crash's
    (`sym vmalloc_fault`, `mod`), and the code check's result and note equal the
    crash path's (`vmfault -j`), for tier 1 and tier 2;
  * a second run reads the BTF (and a located table's place) from the build-id cache.
crash and gdb are CPU-heavy: run this stage under the shared lock
(flock /tmp/vmfault-heavy.lock make direct-syms-test).  Prints "N passed, M failed".
"""
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

PROBE = os.path.join(ROOT, "build", "direct-probe")
SO = os.path.join(ROOT, "build", "vmfault.so")
passed = failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL " + what)
    return ok


def probe(vmcore, cache, *args):
    p = subprocess.run([PROBE, "-c", cache] + list(args) + [vmcore], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=300)
    out = p.stdout.decode("utf-8", "replace")
    res = {"sym": {}, "off": {}, "size": {}, "at": {}, "text": out}
    for line in out.splitlines():
        w = line.split(" ", 2)
        if w[0] == "at":
            res["at"][w[1]] = w[2]
        elif w[0] == "sym":
            res["sym"][w[1]] = w[2].split()[0]
        elif w[0] in ("off", "size"):
            res[w[0]][w[1]] = int(w[2])
        else:
            res[w[0]] = line[len(w[0]) + 1:]
    return res


GDB_TYPES = {"mod_kallsyms": "struct mod_kallsyms"}


def gdb_truth(vmlinux, offs, sizes):
    """Offsets and sizes from the DWARF vmlinux: gdb prints one number a line."""
    cmds = []
    keys = []
    for k in offs:
        t, m = k.split(".", 1)
        cmds += ["-ex", "p/d (long)&((struct %s *)0)->%s" % (t, m)]
        keys.append(("off", k))
    for t in sizes:
        cmds += ["-ex", "p/d sizeof(struct %s)" % t]
        keys.append(("size", t))
    p = subprocess.run(["gdb", "-nx", "-batch"] + cmds + [vmlinux], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=1200)
    vals = re.findall(r"^\$\d+ = (-?\d+)$", p.stdout.decode("utf-8", "replace"), re.M)
    if len(vals) != len(keys):
        return None
    return {k: int(v) for k, v in zip(keys, vals)}


def crash_facts(vmlinux, vmcore):
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write("extend %s\nsym vmalloc_fault\nmod\nvmfault -j\nquit\n" % SO)
        name = f.name
    try:
        p = subprocess.run(["crash", "-s", vmlinux, vmcore, "-i", name], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=900)
    finally:
        os.unlink(name)
    out = p.stdout.decode("utf-8", "replace")
    facts = {"mods": {}}
    m = re.search(r"^([0-9a-f]+) \((\w)\) vmalloc_fault(?: \[(\S+)\])?", out, re.M)
    if m:
        facts["addr"], facts["module"] = m.group(1), m.group(3)
    for m in re.finditer(r"^[0-9a-f]+\s+(\S+)\s+([0-9a-f]+)\s+(\d+)\s", out, re.M):
        facts["mods"][m.group(1)] = (int(m.group(2), 16), int(m.group(3)))
    for line in out.splitlines():
        if line.startswith("{") and '"code_large_check"' in line:
            facts["kernel"] = find_key(json.loads(line), "code_large_check")
    return facts


def find_key(obj, key):
    """The dict that holds key, anywhere in obj."""
    if isinstance(obj, dict):
        if key in obj:
            return obj
        for v in obj.values():
            r = find_key(v, key)
            if r is not None:
                return r
    elif isinstance(obj, list):
        for v in obj:
            r = find_key(v, key)
            if r is not None:
                return r
    return None


TRI = {"true": True, "false": False, "unknown": None}


def code_of(res):
    """(result, note) of a probe's code line, or None."""
    m = re.match(r"(\w+) fault_off (-?\d+) note (.*)$", res.get("code", ""))
    return (TRI.get(m.group(1)), m.group(3)) if m else None


def compare_tiers(sid, t1, t2, label):
    check("symbols" in t1, "%s: tier 1 loads the vmlinux's symbols: %s" % (sid, t1.get("symbols-failed")))
    check("symbols" in t2, "%s: %s loads symbols: %s" % (sid, label, t2.get("symbols-failed")))
    for name, addr in t1["sym"].items():
        check(t2["sym"].get(name) == addr,
              "%s: %s %s at %s, vmlinux+KERNELOFFSET says %s" % (sid, label, name, t2["sym"].get(name), addr))
    for where, name in t1["at"].items():   # crash's "name+offset" form, whichever table
        check(t2["at"].get(where) == name, "%s: %s names %s %s, the vmlinux %s" % (sid, label, where, t2["at"].get(where), name))
    for kind in ("off", "size"):
        check(t1[kind] and t2[kind] == t1[kind], "%s: %s %s differ from the vmlinux's .BTF: %s"
              % (sid, label, kind, {k: (v, t1[kind].get(k)) for k, v in t2[kind].items() if t1[kind].get(k) != v}))


def check_against_crash(sid, res, label, facts):
    k = facts.get("kernel") or {}
    if not facts.get("addr"):
        check(res.get("vmalloc_fault") == "-", "%s: crash has no vmalloc_fault, %s has %s" % (sid, label, res.get("vmalloc_fault")))
        return
    w = res.get("vmalloc_fault", "").split()
    check(w[:3] == [facts["addr"], "module", facts["module"]] if facts["module"] else w[:2] == [facts["addr"], "kernel"],
          "%s: %s vmalloc_fault %s, crash: %s [%s]" % (sid, label, w[:3], facts["addr"], facts["module"]))
    if facts["module"]:
        m = re.match(r"(\S+) start ([0-9a-f]+) size ([0-9a-f]+)", res.get("vmalloc_fault-module", ""))
        want = facts["mods"].get(facts["module"])
        check(m and want and (int(m.group(2), 16), int(m.group(3), 16)) == want,
              "%s: %s module start/size %s, crash's mod: %s" % (sid, label, res.get("vmalloc_fault-module"), want))
        check(k.get("vmalloc_fault_where") == "module " + facts["module"],
              "%s: crash path says %s" % (sid, k.get("vmalloc_fault_where")))
    c = code_of(res)
    check(c is not None and c == (k.get("code_large_check"), k.get("code_note")),
          "%s: %s code check %s, crash path %s" % (sid, label, c, (k.get("code_large_check"), k.get("code_note"))))


def main():
    if not os.access(PROBE, os.X_OK) or not os.path.exists(SO):
        print("syms-check: build/direct-probe and build/vmfault.so needed (make all build/direct-probe)")
        print("0 passed, 1 failed")
        return 1
    rows = vmcore_index.index()
    only = sys.argv[1:]
    truth = {}
    cache = tempfile.mkdtemp(prefix="vmf-syms-")
    try:
        for sid, (vmlinux, vmcore, _truth) in sorted(rows.items()):
            if only and sid not in only:
                continue
            t1 = probe(vmcore, cache, "-k", vmlinux)
            t2 = probe(vmcore, cache)
            compare_tiers(sid, t1, t2, "tier 2 (%s)" % t2.get("symbols", "?"))
            if "VMCOREINFO" in t2.get("symbols", ""):
                loc = probe(vmcore, cache, "-m", "locate")
                check("located in the image" in loc.get("symbols", ""), "%s: locate mode says %s" % (sid, loc.get("symbols")))
                compare_tiers(sid, t1, loc, "located kallsyms")
            again = probe(vmcore, cache)
            check("(cache)" in again.get("btf", ""), "%s: second run's BTF not from the cache: %s" % (sid, again.get("btf")))
            if "located" in t2.get("symbols", ""):
                check("cached" in again.get("symbols", ""), "%s: second run did not use the cached location: %s"
                      % (sid, again.get("symbols")))
            compare_tiers(sid, t1, again, "cached tier 2")
            build = t1.get("vmlinux-build-id", vmlinux)
            if build not in truth:
                truth[build] = gdb_truth(vmlinux, list(t1["off"]), list(t1["size"]))
                check(truth[build] is not None, "%s: gdb gave no offsets for %s" % (sid, vmlinux))
            for kind in ("off", "size"):
                for key, val in t1[kind].items():
                    g = (truth[build] or {}).get((kind, key))
                    check(g == val or (val == -1 and g is None), "%s: %s %s: BTF %s, gdb %s" % (sid, kind, key, val, g))
            facts = crash_facts(vmlinux, vmcore)
            check_against_crash(sid, t1, "tier 1", facts)
            check_against_crash(sid, t2, "tier 2", facts)
            print("%s: %s; %s" % (sid, t2.get("symbols", "-"), t2.get("code", t2.get("vmalloc_fault", "-"))))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
