#!/usr/bin/env python3
"""docs/check-json.py SAMPLE: hold docs/json.md against what the JSON writers print.

SAMPLE is build/json-sample's output: one vmfault -j, ptwalk -j and ptaudit -j object
with every optional part present.  Every key the writers print must be documented,
and every documented key printed, in the writers' order.  Prints PASS/FAIL lines
and "N passed, M failed".
"""
import json
import os
import re
import sys

DOC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "json.md")
passed = failed = 0


def check(ok, what):
    global passed, failed
    passed, failed = passed + bool(ok), failed + (not ok)
    print(("PASS: " if ok else "FAIL: ") + what)


def keys_of(obj, path="", out=None):
    """{path: [keys in order]} for every object; a list's items are at path[]."""
    out = {} if out is None else out
    if isinstance(obj, dict):
        out.setdefault(path, list(obj))
        for k, v in obj.items():
            keys_of(v, "%s.%s" % (path, k) if path else k, out)
    elif isinstance(obj, list) and obj:
        keys_of(obj[0], path + "[]", out)
    return out


def names(text):
    """`found, kind, level (PUD/PMD), lacking[]` -> found, kind, level, lacking"""
    text = re.sub(r"\([^)]*\)", "", text)
    return [re.match(r"\s*([A-Za-z_0-9]+)", t).group(1) for t in text.split(",") if t.strip()]


def braces(spec):
    """`{tool, walks: [{label, steps: [{level}]}]}` -> {"": [tool, walks], "walks[]": [...], ...}"""
    out, stack, path, last = {}, [], "", None
    for tok in re.findall(r"[A-Za-z_0-9]+|[{}\[\]:,]", spec):
        if tok == "{":
            out.setdefault(path, [])
            stack.append(path)
        elif tok == "}":
            path = stack.pop()
        elif tok == "[":
            path = (path + "." if path else "") + last + "[]"
        elif tok == "]":
            path = stack[-1] if stack else ""
        elif tok not in ":,":
            out[path].append(tok)
            last = tok
    return out


def vmfault_doc(md):
    section = md.split("## vmfault -j", 1)[1].split("\n## ", 1)[0]
    doc = {"": []}
    for row in re.findall(r"^\| (`[^|]*`) \| ([^|]*) \|$", section, re.M):
        cells = re.findall(r"`([^`]*)`", row[0])
        for c in cells:
            if c.startswith("evidence."):
                doc[""].append("evidence")
                doc[c] = names(re.findall(r"`([^`]*)`", row[1])[0])
            elif c.startswith("conditions."):
                doc[""].append("conditions")
                doc["conditions.*"] = names(re.findall(r"`\{([^`}]*)\}`", row[1])[0])
            elif c == "fixes[]" and "`" in row[1]:
                doc["fixes[]"] = names(re.findall(r"`([^`]*)`", row[1])[0])
                doc[""].append("fixes")
            else:
                doc[""].append(c.rstrip("[]"))
    doc[""] = list(dict.fromkeys(doc[""]))
    return doc


def main():
    lines = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
    md = open(DOC).read()
    by_tool = {o["tool"]: o for o in lines}
    got = keys_of(by_tool["vmfault"])
    doc = vmfault_doc(md)
    check(got[""] == doc[""], "vmfault -j: the top-level keys in json.md are the writer's, in order (%s vs %s)"
          % (got[""], doc[""]))
    conds = [v for k, v in got.items() if k.startswith("conditions.")]
    check(conds and all(c == doc.get("conditions.*") for c in conds),
          "vmfault -j: each condition is {%s}" % ", ".join(doc.get("conditions.*", [])))
    for part in [k for k in got if k.startswith("evidence.") and k.count(".") == 1]:
        check(got[part] == doc.get(part), "vmfault -j: %s in json.md is the writer's (%s vs %s)"
              % (part, got[part], doc.get(part)))
    check(sorted(k for k in doc if k.startswith("evidence.")) ==
          sorted(k for k in got if k.startswith("evidence.") and k.count(".") == 1),
          "vmfault -j: json.md documents exactly the writer's evidence objects")
    check(got.get("fixes[]") == doc.get("fixes[]"), "vmfault -j: fixes[] items (%s vs %s)"
          % (got.get("fixes[]"), doc.get("fixes[]")))
    for tool in ("ptaudit", "ptwalk"):
        spec = re.search(r"## %s -j\n\n`(\{.*\})`" % tool, md)
        want = braces(spec.group(1)) if spec else {}
        have = keys_of(by_tool[tool])
        check(want == have, "%s -j: json.md's {...} is the writer's (%s vs %s)" % (tool, want, have))
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
