#!/usr/bin/env bash
# The documents that ship must say what the code does: the man page is generated
# from the help texts crash prints, and both man pages must render cleanly; the
# catalog page is generated from the catalog, the JSON page checked against the writers.
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0
ok() { if [ "$1" = 0 ]; then pass=$((pass+1)); echo "PASS: $2"; else fail=$((fail+1)); echo "FAIL: $2"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

docs/gen-man.sh "$tmp/vmfault.8" >/dev/null
diff -u docs/vmfault.8 "$tmp/vmfault.8" > "$tmp/diff"; rc=$?
[ $rc = 0 ] || head -20 "$tmp/diff"
ok $rc "docs/vmfault.8 is what docs/gen-man.sh makes of the help texts (help vmfault = man vmfault)"
for page in docs/vmfault.8 docs/vmfault-triage.1; do
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	[ -z "$warn" ] || echo "$warn" | head -5
	[ -z "$warn" ]; ok $? "$page renders without groff warnings"
done
# docs/catalog.md's generated part is what the catalog data prints (sources beside each fact)
make -s build/gen-catalog >/dev/null && docs/splice-catalog.sh build/gen-catalog docs/catalog.md > "$tmp/catalog.md"
diff -u docs/catalog.md "$tmp/catalog.md" > "$tmp/cdiff"; rc=$?
[ $rc = 0 ] || head -20 "$tmp/cdiff"
ok $rc "docs/catalog.md's generated part is what docs/gen-catalog prints of src/catalog.c (make docs)"
# docs/json.md names every key the JSON writers print, and no other
if make -s build/json-sample > "$tmp/build" 2>&1 && build/json-sample > "$tmp/sample"; then
	python3 docs/check-json.py "$tmp/sample" > "$tmp/json"
	grep '^FAIL' "$tmp/json"
	line=$(tail -1 "$tmp/json"); p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	pass=$((pass+p)); fail=$((fail+f))
else
	head -5 "$tmp/build"; ok 1 "build/json-sample builds and runs"
fi
# every option in the triage CLI's option table is in its man page and in docs/workflow.md
opts=$(grep -o '^[[:space:]]*{ "-[-a-z]*"' cli/options.c | grep -o '"-[-a-z]*"' | tr -d '"' | sort -u)
[ "$(echo "$opts" | grep -c .)" -ge 8 ]; ok $? "cli/options.c's option table read ($(echo $opts))"
for opt in $opts; do
	grep -q -- "${opt//-/\\\\-}\|$opt" docs/vmfault-triage.1; ok $? "vmfault-triage(1) documents $opt"
	grep -q -- "\`$opt" docs/workflow.md; ok $? "docs/workflow.md documents $opt"
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
