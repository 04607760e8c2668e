#!/usr/bin/env python3
"""The direct reader (build/vmf-dumpinfo) on every factory vmcore, against crash
and makedumpfile.  Starts crash: run it under the heavy lock.

  * the kernel log equals crash 8.0.2's `log` on the same dump, line for line
    (crash's output cached per dump in $VMFAULT_CACHE/direct/crash-log, keyed by
    the dump's size and mtime and crash's version);
  * every flattened dump is rearranged to exactly what `makedumpfile -R` writes;
  * the flattened streams the kdump guests wrote (flat.tsv) rearrange to exactly
    the vmcore the factory made of them, and a stream makedumpfile -F makes of a
    kdump-compressed dump reads the same log as that dump;
  * on kdump-compressed dumps (makedumpfile -d 31), physical reads give the
    data crash gives, "page X excluded from the dump (makedumpfile -d)" where the
    dump's own bitmaps say the page existed but was left out, and "physical
    address X not in the dump" beyond its end and in holes; crash's `rd -p`
    classifies each address the same way;
  * an ELF vmcore of a zlib kdump dump's pages (kdump2elf.py, read without
    libkdumpfile) gives the same log and data, holes where pages were left out,
    and a cut or damaged ELF header is refused in one line.
Prints PASS/FAIL lines and "N passed, M failed".
"""
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from vmcore_index import CACHE, flat_streams, index  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.join(ROOT, "build", "vmf-dumpinfo")
DIRECT = os.path.join(CACHE, "direct")
FLAT_CACHE = os.path.join(CACHE, "flat")

passed = 0
failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("PASS: " + what)
    else:
        failed += 1
        print("FAIL: " + what + (": " + detail if detail else ""))
    return ok


def dumpinfo(*args, cache=FLAT_CACHE):
    p = subprocess.run([BIN, "--cache", cache] + list(args), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def crash_version():
    p = subprocess.run(["crash", "--version"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    m = re.search(r"crash (\S+)", p.stdout.decode("utf-8", "replace"))
    return m.group(1) if m else "unknown"


def crash_run(vmlinux, vmcore, commands, timeout=600):
    """crash in batch mode; returns its stdout."""
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write("\n".join(commands + ["quit"]) + "\n")
        name = f.name
    try:
        p = subprocess.run(["crash", "-s", vmlinux, vmcore, "-i", name], stdin=subprocess.DEVNULL,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout)
        return p.stdout.decode("utf-8", "replace")
    finally:
        os.unlink(name)


def crash_log(ident, vmlinux, vmcore, version):
    """crash's `log` of the dump as bytes (redirected to a file inside crash, so
    that its start-up warnings stay out), cached per dump; None if crash fails."""
    st = os.stat(vmcore)
    key = "%s %d %d %s\n" % (vmcore, st.st_size, st.st_mtime_ns, version)
    d = os.path.join(DIRECT, "crash-log")
    os.makedirs(d, exist_ok=True)
    out, keyfile = os.path.join(d, ident + ".log"), os.path.join(d, ident + ".key")
    if os.path.exists(out) and os.path.exists(keyfile) and open(keyfile).read() == key:
        return open(out, "rb").read()
    tmp = out + ".tmp"
    if os.path.exists(tmp):
        os.unlink(tmp)
    crash_run(vmlinux, vmcore, ["log > " + tmp])
    if not os.path.exists(tmp) or os.path.getsize(tmp) == 0:
        return None
    os.rename(tmp, out)
    with open(keyfile, "w") as f:
        f.write(key)
    return open(out, "rb").read()


def first_difference(a, b):
    """'' if equal, else the first differing line, numbered from 1."""
    la, lb = a.split(b"\n"), b.split(b"\n")
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else b"(end)"
        y = lb[i] if i < len(lb) else b"(end)"
        if x != y:
            return "line %d: direct %r, crash %r" % (i + 1, x[:100], y[:100])
    return ""


def direct_log(vmcore, cache=FLAT_CACHE):
    p = subprocess.run([BIN, "--cache", cache, "--log", vmcore], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE)
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace").strip()


def rearranged_path(vmcore, cache=FLAT_CACHE):
    rc, out, err = dumpinfo(vmcore, cache=cache)
    m = re.search(r"^rearranged:  flattened stream, (?:\d+ records into|reused from) (\S+) ", out, re.M)
    return m.group(1) if m else None


def same_as_makedumpfile_R(stream, rearranged, what):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "R.dump")
        with open(stream, "rb") as f:
            p = subprocess.run(["makedumpfile", "-R", out], stdin=f, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        same = p.returncode == 0 and subprocess.run(["cmp", "-s", out, rearranged]).returncode == 0
        check(same, "%s: rearranged byte for byte as makedumpfile -R" % what,
              "makedumpfile exit %d" % p.returncode if p.returncode else "files differ")


def check_logs(rows, version):
    for ident, (vmlinux, vmcore, _truth) in sorted(rows.items()):
        ref = crash_log(ident, vmlinux, vmcore, version)
        if not check(ref is not None, "%s: crash's log" % ident, "crash printed no log"):
            continue
        rc, text, err = direct_log(vmcore)
        check(rc == 0, "%s: log read whole" % ident, err)
        diff = first_difference(text, ref)
        check(not diff, "%s: log equals crash's (%d lines)" % (ident, ref.count(b"\n")), diff)
        with open(vmcore, "rb") as f:
            flat = f.read(12) == b"makedumpfile"
        if flat:
            path = rearranged_path(vmcore)
            if check(path is not None, "%s: rearranged into the cache" % ident):
                same_as_makedumpfile_R(vmcore, path, ident)


def check_kept_streams(rows, version):
    streams = flat_streams()
    check(len(streams) > 0, "the kdump scenario kept its flattened streams (flat.tsv)",
          "none listed: regenerate seed-pud-5.10-kdump")
    for ident, (flat, vmcore) in sorted(streams.items()):
        with tempfile.TemporaryDirectory() as tmp:
            path = rearranged_path(flat, cache=tmp)
            if not check(path is not None, "%s: kept stream rearranged" % ident):
                continue
            same = subprocess.run(["cmp", "-s", path, vmcore]).returncode == 0
            check(same, "%s: kept stream rearranges to the factory's vmcore byte for byte" % ident)
            if ident in rows:
                ref = crash_log(ident, rows[ident][0], vmcore, version)
                rc, text, err = direct_log(flat, cache=tmp)
                check(ref is not None and text == ref, "%s: log of the kept stream equals crash's" % ident,
                      err or first_difference(text, ref or b""))


def check_refiltered_stream(rows, version):
    """makedumpfile -F of a kdump-compressed dump (lzo): same memory, same log."""
    kd = [i for i in sorted(rows) if i.endswith("-kdump-lzo")]
    if not check(kd, "a kdump-compressed lzo dump to flatten"):
        return
    ident = kd[0]
    vmlinux, vmcore, _ = rows[ident]
    with tempfile.TemporaryDirectory() as tmp:
        stream = os.path.join(tmp, "refiltered.flat")
        with open(stream, "wb") as out:
            p = subprocess.run(["makedumpfile", "-F", "-l", "-d", "31", vmcore], stdout=out,
                               stderr=subprocess.DEVNULL)
        if not check(p.returncode == 0, "%s: makedumpfile -F -l made a flattened stream" % ident):
            return
        path = rearranged_path(stream, cache=tmp)
        if check(path is not None, "%s: makedumpfile -F stream rearranged" % ident):
            same_as_makedumpfile_R(stream, path, ident + " (makedumpfile -F)")
        ref = crash_log(ident, vmlinux, vmcore, version)
        rc, text, err = direct_log(stream, cache=tmp)
        check(ref is not None and text == ref, "%s: log of the makedumpfile -F stream equals crash's" % ident,
              err or first_difference(text, ref or b""))


def kdump_bitmaps(vmcore):
    """(max_mapnr, present, dumped) from a kdump-compressed header of x86_64: the
    first bitmap holds the pages that existed, the second the pages written."""
    with open(vmcore, "rb") as f:
        h = f.read(448)
        block, sub, blocks, max_mapnr = struct.unpack_from("<iiII", h, 428)
        length = blocks * block // 2
        f.seek(block * (1 + sub))
        b1 = f.read(length)
        b2 = f.read(length)

    def bit(bm, pfn):
        return (bm[pfn >> 3] >> (pfn & 7)) & 1

    return max_mapnr, (lambda p: bit(b1, p)), (lambda p: bit(b2, p))


def nonzero(vmcore, addr):
    rc, out, _ = dumpinfo("--read-phys", "%x" % addr, vmcore)
    return rc == 0 and out.split()[1:3] != ["0" * 16, "0" * 16]


def pick_pages(vmcore):
    """Physical addresses: one the dump holds (with data other than zeros, so that
    equal reads mean something), one it excluded, one in a hole, one beyond it."""
    max_mapnr, present, dumped = kdump_bitmaps(vmcore)
    pick, tried = {}, 0
    for pfn in range(0x100, max_mapnr):
        if "readable" not in pick and dumped(pfn) and tried < 500:
            tried += 1
            if nonzero(vmcore, pfn * 4096 + 0x10):
                pick["readable"] = pfn
        if "excluded" not in pick and present(pfn) and not dumped(pfn):
            pick["excluded"] = pfn
        if len(pick) == 2:
            break
    for pfn in range(0, max_mapnr):
        if not present(pfn):
            pick["hole"] = pfn
            break
    pick["beyond"] = max_mapnr + 16
    return {k: v * 4096 + 0x10 for k, v in pick.items()}


def crash_rd(vmlinux, vmcore, addrs, virt=()):
    """crash's `rd -p -64 ADDR 2` of each physical address (`rd -64` of each
    virtual one): 'ok WORD WORD', 'excluded' or 'seek'."""
    out = crash_run(vmlinux, vmcore, ["rd -p -64 %x 2" % a for a in addrs] + ["rd -64 %x 2" % a for a in virt])
    seen = {}
    for a in list(addrs) + list(virt):
        m = re.search(r"^\s*0*%x:\s+([0-9a-f]{16}) ([0-9a-f]{16})" % a, out, re.M)
        if m:
            seen[a] = "ok %s %s" % (m.group(1), m.group(2))
        elif re.search(r"page excluded: physical address: 0*%x\b" % a, out):
            seen[a] = "excluded"
        elif re.search(r"seek error: physical address: 0*%x\b" % a, out):
            seen[a] = "seek"
        else:
            seen[a] = "?"
    return seen


def check_reads(rows):
    kd = [i for i in sorted(rows) if "-kdump-" in i]
    check(len(kd) > 0, "kdump-compressed dumps to read from")
    for ident in kd:
        vmlinux, vmcore, truth = rows[ident]
        picks = pick_pages(vmcore)
        check(set(picks) == {"readable", "excluded", "hole", "beyond"}, "%s: bitmaps give all four kinds" % ident,
              str(sorted(picks)))
        rc, out, err = dumpinfo(vmcore)
        m = re.search(r"^  SYMBOL\(init_top_pgt\)=([0-9a-f]+)$", out, re.M)
        top = int(m.group(1), 16) + 0xff0 if m else 0     # the kernel's own mappings: never zero
        seen = crash_rd(vmlinux, vmcore, list(picks.values()), [top] if top else [])
        rc, out, err = dumpinfo("--read", "%x" % top, vmcore)
        words = out.split()[1:3] if rc == 0 else []
        check(top and rc == 0 and seen.get(top) == "ok " + " ".join(words) and words != ["0" * 16] * 2,
              "%s: virtual %x (init_top_pgt's last entries) reads what crash reads" % (ident, top),
              "direct %r, crash %r" % (out or err, seen.get(top)))
        for kind, addr in sorted(picks.items()):
            rc, out, err = dumpinfo("--read-phys", "%x" % addr, vmcore)
            if kind == "readable":
                words = out.split()[1:3] if rc == 0 else []
                check(rc == 0 and seen[addr] == "ok " + " ".join(words),
                      "%s: physical %x reads what crash reads" % (ident, addr), "direct %r, crash %r" % (out or err, seen[addr]))
            elif kind == "excluded":
                want = "page %x excluded from the dump (makedumpfile -d)" % addr
                check(rc == 1 and err.strip().endswith(want) and seen[addr] == "excluded",
                      "%s: physical %x: excluded page, as crash says" % (ident, addr), "direct %r, crash %r" % (err, seen[addr]))
            else:
                want = "physical address %x not in the dump" % addr
                check(rc == 1 and err.strip().endswith(want) and seen[addr] == "seek",
                      "%s: physical %x (%s): not in the dump, as crash says" % (ident, addr, kind),
                      "direct %r, crash %r" % (err, seen[addr]))
        # the same excluded page through the direct map: the physical page is named
        m = re.search(r'"page_offset": "0x([0-9a-f]+)"', open(truth).read())
        if check(m is not None, "%s: truth names page_offset" % ident):
            va = int(m.group(1), 16) + picks["excluded"]
            rc, out, err = dumpinfo("--read", "%x" % va, vmcore)
            want = "page %x excluded from the dump (makedumpfile -d)" % picks["excluded"]
            check(rc == 1 and err.strip().endswith(want), "%s: virtual %x: the excluded physical page named" % (ident, va),
                  err or out)


def check_elf(rows, version):
    kd = [i for i in sorted(rows) if i.endswith("-kdump-zlib")]
    if not check(kd, "a kdump-compressed zlib dump to make an ELF vmcore of"):
        return
    ident = kd[0]
    vmlinux, vmcore, _ = rows[ident]
    with tempfile.TemporaryDirectory() as tmp:
        elf = os.path.join(tmp, "vmcore.elf")
        p = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.abspath(__file__)), "kdump2elf.py"),
                            vmcore, elf])
        if not check(p.returncode == 0, "%s: ELF vmcore written" % ident):
            return
        rc, out, err = dumpinfo(elf)
        check(rc == 0 and re.search(r"^format:      ELF, x86_64$", out, re.M), "%s (ELF): opened as ELF" % ident, err or out)
        ref = crash_log(ident, vmlinux, vmcore, version)
        rc, text, err = direct_log(elf)
        check(ref is not None and rc == 0 and text == ref, "%s (ELF): log equals crash's" % ident,
              err or first_difference(text, ref or b""))
        picks = pick_pages(vmcore)
        rc1, a, _ = dumpinfo("--read-phys", "%x" % picks["readable"], elf)
        rc2, b, _ = dumpinfo("--read-phys", "%x" % picks["readable"], vmcore)
        check(rc1 == 0 and a == b, "%s (ELF): physical %x reads as in the kdump dump" % (ident, picks["readable"]),
              "%r vs %r" % (a, b))
        rc, out, err = dumpinfo("--read-phys", "%x" % picks["excluded"], elf)
        want = "physical address %x not in the dump" % picks["excluded"]
        check(rc == 1 and err.strip().endswith(want), "%s (ELF): a page left out is not in the dump" % ident, err)
        cut = os.path.join(tmp, "cut.elf")
        with open(elf, "rb") as src, open(cut, "wb") as dst:
            dst.write(src.read(os.path.getsize(elf) // 2))
        rc, out, err = dumpinfo(cut)
        check(rc == 2 and "ELF dump truncated: " in err, "%s (ELF cut in half): refused as truncated" % ident, err)
        bad = os.path.join(tmp, "badnote.elf")
        data = bytearray(open(elf, "rb").read(1 << 16))
        phoff = struct.unpack_from("<Q", data, 32)[0]
        struct.pack_into("<Q", data, phoff + 32, 1 << 40)      # the PT_NOTE's p_filesz
        with open(bad, "wb") as dst:
            dst.write(data)
        rc, out, err = dumpinfo(bad)
        check(rc == 2 and "ELF dump's notes damaged: 1099511627776 bytes" in err,
              "%s (ELF, note size 2^40): refused in one line" % ident, err)


def main():
    if not os.access(BIN, os.X_OK):
        print("FAIL: %s not built (make direct)" % BIN)
        print("0 passed, 1 failed")
        return 1
    try:
        rows = index()
    except OSError as e:
        print("FAIL: no vmcore index (%s): make vmcores" % e)
        print("0 passed, 1 failed")
        return 1
    for tool in ("crash", "makedumpfile", "cmp"):
        if not shutil.which(tool):
            print("FAIL: %s not installed" % tool)
            print("0 passed, 1 failed")
            return 1
    version = crash_version()
    check_logs(rows, version)
    check_kept_streams(rows, version)
    check_refiltered_stream(rows, version)
    check_reads(rows)
    check_elf(rows, version)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
