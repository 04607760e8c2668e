#!/usr/bin/env python3
"""Rewrite the transcripts in README.md from the factory's vmcores (make samples).

A block is marked in the README as
    <!-- transcript ID: CMD; CMD -->
    ```
    ...
    ```
    <!-- /transcript -->
and becomes `crash> extend vmfault.so` (when CMD is vmfault*), then each command and what
crash printed for it on vmcore ID, with the current build/vmfault.so.
"""
import os
import re
import subprocess
import sys
import tempfile

from vmcore_index import index

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
SO = os.path.join(ROOT, "build", "vmfault.so")
BLOCK = re.compile(r"(<!-- transcript (\S+): (.*?) -->\n)```\n.*?```\n(<!-- /transcript -->)", re.S)
MARK = 0x7e5d1a9c   # a value no command here prints


def run(vmlinux, vmcore, cmds):
    """What crash printed for each command, split at gdb prints between them.

    crash's own echo writes around its output buffer, so a gdb print of a marker
    value is what keeps its place in the output.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".crash", delete=False) as f:
        f.write("extend %s\n" % SO)
        for c in cmds:
            f.write("p %#x\n%s\n" % (MARK, c))
        f.write("p %#x\nquit\n" % MARK)
    try:
        out = subprocess.run(["crash", "-s", vmlinux, vmcore, "-i", f.name], stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600).stdout
    finally:
        os.unlink(f.name)
    parts = re.split(r"^\$\d+ = %d\n" % MARK, out.decode("utf-8", "replace"), flags=re.M)
    if len(parts) != len(cmds) + 2:
        sys.exit("readme-transcripts: crash's output does not split into %d commands" % len(cmds))
    return [p.rstrip("\n") for p in parts[1:-1]]


def main():
    path = os.path.join(ROOT, "README.md")
    text = open(path).read()
    rows = index()

    def block(m):
        sid, cmds = m.group(2), [c.strip() for c in m.group(3).split(";")]
        if sid not in rows:
            sys.exit("readme-transcripts: no vmcore %s (make vmcores)" % sid)
        outs = run(rows[sid][0], rows[sid][1], cmds)
        body = ["crash> extend vmfault.so"] if cmds[0].startswith("vmfault") else []
        for c, o in zip(cmds, outs):
            body.append("crash> " + c)
            body.append(o)
        return m.group(1) + "```\n" + "\n".join(body).rstrip("\n") + "\n```\n" + m.group(4)

    new, n = BLOCK.subn(block, text)
    if not n:
        sys.exit("readme-transcripts: no transcript blocks in README.md")
    open(path, "w").write(new)
    print("README.md: %d transcripts rewritten" % n)


if __name__ == "__main__":
    main()
