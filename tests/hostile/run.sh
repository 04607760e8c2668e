#!/usr/bin/env bash
# vmfault-triage under hostile batches (issue 16): each case is one of the
# issue's reproductions, and asserts that no result is lost, bent or dropped
# without a word.  Cases that need crash use a stand-in `crash` on PATH
# (tests/hostile/fake-crash) except where crash's own behaviour is the point;
# those run on one factory dump when the vmcores exist.
set -u
cd "$(dirname "$0")/../.."
root=$PWD
B=${TRIAGE:-$root/build/vmfault-triage}
L=$root/tests/triage/logs
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }
yes_() { ok "$1" 0 "$2"; }   # yes_ $? "what held"
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export TMPDIR=$tmp/tmpdir; mkdir -p "$TMPDIR"     # the run's own temporary files, to check they go

# ---- 14, 15: what the engine's writers print -------------------------------------------
conf=$($B --json "$L/seed-4.x-mail.txt" | grep -o '"confidence":"[^"]*"')
ok "$conf" '"confidence":"text-only evidence: page tables not checked (fault_in_direct_map, fault_phys_not_ram, large_pud_frame, large_slot_unsynced)"' \
	"14: confidence names every unchecked condition, not cut at 60 characters"
mkdir -p "$tmp/m"$'\xc3\xbc'"nchen"
cp "$L/seed-5.10-pud.txt" "$tmp/m"$'\xc3\xbc'"nchen/console.txt"
line=$($B --json "$tmp/m"$'\xc3\xbc'"nchen")
echo "$line" | grep -q "\"path\":\"$tmp/m"$'\xc3\xbc'"nchen/console.txt\""
yes_ $? "15: a UTF-8 path stays UTF-8 in JSON (not \\u00c3\\u00bc), so it still names its file"
echo "$line" | python3 -c 'import json,sys,os; p=json.loads(sys.stdin.read())["path"]; sys.exit(0 if os.path.exists(p) else 1)'
yes_ $? "15: the JSON path, decoded, opens the file"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
