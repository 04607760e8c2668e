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
# every name the confidence lists is a whole condition of the report, and one the text left unknown
$B --json "$L/seed-4.4-pmd.txt" | python3 -c '
import json, re, sys
r = json.load(sys.stdin)["report"]
m = re.fullmatch(r"text-only evidence, left to the dump: (.*)", r["confidence"])
names = m.group(1).split(", ") if m else []
bad = [n for n in names if r["conditions"].get(n, {"state": 0})["state"] is not None]
print(r["confidence"]); sys.exit(1 if not names or bad else 0)' > "$tmp/out"
yes_ $? "14: confidence names whole conditions, not cut at 60 characters: $(cat "$tmp/out")"
mkdir -p "$tmp/m"$'\xc3\xbc'"nchen"
cp "$L/seed-5.10-pud.txt" "$tmp/m"$'\xc3\xbc'"nchen/console.txt"
line=$($B --json "$tmp/m"$'\xc3\xbc'"nchen")
echo "$line" | grep -q "\"path\":\"$tmp/m"$'\xc3\xbc'"nchen/console.txt\""
yes_ $? "15: a UTF-8 path stays UTF-8 in JSON (not \\u00c3\\u00bc), so it still names its file"
echo "$line" | python3 -c 'import json,sys,os; p=json.loads(sys.stdin.read())["path"]; sys.exit(0 if os.path.exists(p) else 1)'
yes_ $? "15: the JSON path, decoded, opens the file"

# ---- 1-3: results lost or corrupted -----------------------------------------------------
valid_lines() { # file -> number of lines that are whole JSON objects, "bad" if any line is not
	python3 - "$1" <<'PY'
import json, sys
n = 0
for line in open(sys.argv[1], "rb").read().split(b"\n"):
    if not line:
        continue
    try:
        json.loads(line.decode())
    except Exception:
        print("bad"); sys.exit()
    n += 1
print(n)
PY
}
two=("$L/seed-4.x-mail.txt" "$L/seed-5.10-pud.txt")
r=$tmp/r.jsonl
$B --json -o "$r" "${two[@]}" >/dev/null
head -c -500 "$r" > "$tmp/t" && mv "$tmp/t" "$r"
$B --json -o "$r" --resume "${two[@]}" > "$tmp/out" 2> "$tmp/err"
ok "$(valid_lines "$r")" 2 "1: --resume after a cut last line: the file is two whole results again"
grep -q "1 line of $r was not a whole result (cut or damaged): its input runs again" "$tmp/err"
yes_ $? "1: --resume says the cut line was not taken: $(head -1 "$tmp/err")"
grep -q "1 of 2 results were current" "$tmp/err"; yes_ $? "1: the whole line is reused"
ok "$(field verdict < "$tmp/out" | tr '\n' ' ')" "MATCH MATCH " "1: both results reported"
printf '{"path":"%s","kind":"text","verdict":"MATCH"}\n' "$L/seed-4.x-mail.txt" > "$r"
$B --json -o "$r" --resume "${two[@]}" > /dev/null 2> "$tmp/err"
grep -q "results were current" "$tmp/err"; ok $? 1 "1: a valid JSON line that is not a whole result (no stamp, no report) is not reused"

$B -o /dev/full "${two[@]}" > /dev/null 2> "$tmp/err"; rc=$?
ok "$rc:$(grep -c 'cannot write /dev/full: No space left on device' "$tmp/err")" 2:1 "2: -o /dev/full: exit 2 and one line on stderr"
$B --json "${two[@]}" > /dev/full 2> "$tmp/err"; rc=$?
ok "$rc:$(grep -c 'cannot write standard output: No space left on device' "$tmp/err")" 2:1 "2: stdout on /dev/full: exit 2 and one line on stderr"
mkdir -p "$tmp/full"
for i in $(seq 1 40); do cp "$L/seed-5.10-pud.txt" "$tmp/full/c$i.txt"; done
# a file system that fills up: a file-size limit of 64 KiB makes the writes past it fail
( ulimit -f 64; $B --json -o "$tmp/full.jsonl" "$tmp/full" > /dev/null 2> "$tmp/err" ); rc=$?
n=$(valid_lines "$tmp/full.jsonl")
ok "$rc:$n" "2:$(grep -o 'holds the [0-9]* whole' "$tmp/err" | grep -o '[0-9]*')" "2: a full disk: exit 2, and the file holds exactly the whole lines it says ($(cat "$tmp/err"))"
[ "$n" != bad ] && [ "$n" -gt 0 ] && [ "$n" -lt 40 ]; yes_ $? "2: a full disk: $n whole lines kept, none cut"
cp "$L/seed-5.10-pud.txt" "$tmp/victim.txt"
$B -o "$tmp/victim.txt" "$tmp/victim.txt" > /dev/null 2> "$tmp/err"; rc=$?
cmp -s "$L/seed-5.10-pud.txt" "$tmp/victim.txt"
ok "$rc:$?" 64:0 "3: -o victim.txt victim.txt is refused and the input is intact: $(cat "$tmp/err")"
mkdir -p "$tmp/tree3"; cp "$L/seed-5.10-pud.txt" "$tmp/tree3/console.txt"
$B --json -o "$tmp/tree3/results.txt" "$tmp/tree3" > /dev/null 2>&1
$B --json -o "$tmp/tree3/results.txt" "$tmp/tree3" > "$tmp/out" 2> "$tmp/err"; rc=$?
ok "$rc:$(wc -l < "$tmp/out")" 1:1 "3: an -o file inside the scanned tree is no input on the next run"
grep -q "skipped 1 results file of -o, first $tmp/tree3/results.txt" "$tmp/err"; yes_ $? "3: ... and is said to be skipped"

# ---- 4-7: inputs dropped or multiplied -----------------------------------------------------
mkdir -p "$tmp/many"
for i in $(seq 1 10000); do printf 'log %d\n' "$i" > "$tmp/many/c$i.txt"; done
$B --json "$tmp/many" > "$tmp/out" 2>/dev/null
ok "$(wc -l < "$tmp/out")" 10000 "4: 10,000 logs give 10,000 lines (no cap at 4,096)"
rm -rf "$tmp/many"
mkdir -p "$tmp/loops/a/b"; cp "$L/seed-5.10-pud.txt" "$tmp/loops/console.txt"
for x in x1 x2 x3; do ln -s . "$tmp/loops/$x"; done
ln -s .. "$tmp/loops/a/y"; ln -s ../.. "$tmp/loops/a/b/z"
$B --json "$tmp/loops" > "$tmp/out" 2> "$tmp/err"
ok "$(wc -l < "$tmp/out")" 1 "5: three 'ln -s . x' loops (and two more): one log gives one result (was 364)"
grep -q "skipped 5 symbolic link loops" "$tmp/err"; yes_ $? "5: the loops are said: $(grep loop "$tmp/err")"
deep=$tmp/deep; d=$deep; for i in $(seq 1 40); do d=$d/d; done; mkdir -p "$d"; cp "$L/seed-5.10-pud.txt" "$d/console.txt"
$B --json "$deep" > "$tmp/out" 2> "$tmp/err"
grep -q "skipped 1 directory deeper than 32 levels, not searched" "$tmp/err"; yes_ $? "5: files below the depth limit are said, not skipped silently"
$B --json "$L/seed-5.10-pud.txt" "$L/seed-5.10-pud.txt" > "$tmp/out" 2> "$tmp/err"
ok "$(wc -l < "$tmp/out")" 1 "6: the same path twice gives one line"
grep -q "skipped 1 path naming a file or directory already taken" "$tmp/err"; yes_ $? "6: ... and says so"
mkdir -p "$tmp/elf"; cp "$L/null-deref-6.1.txt" "$tmp/elf/console.txt"
cp "$root/build/vmfault.so" "$tmp/elf/vmfault.ko"; cp "$root/build/vmfault-triage" "$tmp/elf/vmlinux-5.10"
$B --json "$tmp/elf" > "$tmp/out" 2> "$tmp/err"; rc=$?
ok "$rc:$(wc -l < "$tmp/out")" 0:1 "6: a vmlinux and a .ko in a tree are no ERROR lines and leave the exit status 0"
grep -q "skipped 2 ELF files that are not core dumps" "$tmp/err"; yes_ $? "6: ... they are counted: $(grep ELF "$tmp/err")"
mkdir -p "$tmp/fifo/kd"; mkfifo "$tmp/fifo/given" "$tmp/fifo/tree.log" "$tmp/fifo/kd/vmcore-dmesg.txt"
cp "$L/seed-5.10-pud.txt" "$tmp/fifo/console.txt"; head -c 8192 /dev/zero > "$tmp/fifo/kd/vmcore"
timeout 60 $B --json "$tmp/fifo/given" > "$tmp/out" 2>&1; rc=$?
ok "$rc:$(field error < "$tmp/out")" "2:a FIFO, not a regular file" "7: a FIFO given is an ERROR, not a hang"
timeout 60 $B --json "$tmp/fifo" > "$tmp/out" 2> "$tmp/err"; rc=$?
ok "$rc:$(field verdict < "$tmp/out" | tr '\n' ' ')" "2:MATCH ERROR " "7: FIFOs in a tree and as a kdump directory's vmcore-dmesg.txt: no hang; the log diagnosed, the zero-filled vmcore an ERROR"
grep -q "skipped 3 FIFOs, sockets or devices, not opened" "$tmp/err"; yes_ $? "7: ... and the FIFOs are said: $(grep FIFO "$tmp/err")"

# ---- 8: logs over the read limit ------------------------------------------------------
# sparse files: the oops at the end of 200 MB (read whole) and of 300 MB (head and tail read)
for size in 200M 300M; do
	truncate -s "$size" "$tmp/big-$size.log"; cat "$L/seed-5.10-pud.txt" >> "$tmp/big-$size.log"
done
line=$($B --json "$tmp/big-200M.log"); ok "$(echo "$line" | field verdict)" MATCH "8: a 200 MB log with the oops at its end: MATCH (was 'no oops or panic found')"
line=$($B --json "$tmp/big-300M.log"); ok "$(echo "$line" | field verdict)" MATCH "8: a 300 MB log, over the 256 MiB read limit: its end is read too"
echo "$line" | grep -q '"the log is [0-9]* bytes: only its first and last 128 MiB were read'; yes_ $? "8: ... and the report says the log was cut"
$B "$tmp/big-300M.log" | grep -q '(text-only, log of [0-9]* bytes cut: its first and last 128 MiB read)'; yes_ $? "8: ... and so does the table"
rm -f "$tmp"/big-*.log

# ---- 12, 13: dumps that fall back to their text, or are short --------------------------
# (synthetic x86_64 ELF cores: tests/fakedump.py; crash is the stand-in, never reached here;
# the cases about crash's own behaviour ask for it: --engine crash, the direct engine being the default)
real_path=$PATH
PATH=$root/tests/hostile/fake-crash:$PATH; export PATH
mkdir -p "$tmp/k" "$tmp/kd-empty" "$tmp/kd-cut" "$tmp/kd-garbage"; tests/fakedump.py vmlinux "$tmp/k/vmlinux-5.10.0-fake"
: > "$tmp/kd-empty/vmcore"; head -c 100000 /dev/urandom > "$tmp/kd-garbage/vmcore"
tests/fakedump.py elf-x86_64 "$tmp/kd-cut/vmcore" 5.10.0-fake 300000
tests/fakedump.py elf-x86_64 "$tmp/cut.vmcore" 5.10.0-fake 300000
tests/fakedump.py elf-x86_64 "$tmp/whole.vmcore" 5.10.0-fake
for d in empty cut garbage; do cp "$L/seed-5.10-pud.txt" "$tmp/kd-$d/vmcore-dmesg.txt"; done
for d in empty:'the dump is empty (0 bytes)' cut:'truncated: 300000 bytes, its PT_LOAD segments need 1052672 (72% missing)' \
	 garbage:'not a dump libkdumpfile can read'; do
	line=$($B --json --vmlinux-dir "$tmp/k" "$tmp/kd-${d%%:*}")
	echo "$line" | field fallback | grep -qF "${d#*:}"; yes_ $? "12: a ${d%%:*} dump falls back to vmcore-dmesg.txt, and the JSON says why: $(echo "$line" | field fallback)"
	echo "$line" | grep -q '"notes":\[[^]]*"the dump was not read ('; yes_ $? "12: ... and so does a note of the report (${d%%:*})"
done
$B --vmlinux-dir "$tmp/k" "$tmp/kd-cut" | grep -q "(text-only: vmcore-dmesg.txt, truncated: 300000 bytes"; yes_ $? "12: the table says why a dump was read as text"
line=$($B --json --vmlinux-dir "$tmp/k" "$tmp/cut.vmcore")
ok "$(echo "$line" | field error)" "truncated: 300000 bytes, its PT_LOAD segments need 1052672 (72% missing)" "13: a truncated ELF core is called truncated (was 'crash printed no vmfault result')"
line=$(FAKE_CRASH=truncated $B --engine crash --json --vmlinux-dir "$tmp/k" "$tmp/whole.vmcore")
echo "$line" | field error | grep -q "crash warned: the dump may be truncated or incomplete"; yes_ $? "13: crash's 'may be truncated' warning reaches the error: $(echo "$line" | field error)"
line=$(FAKE_CRASH=broken $B --engine crash --json --vmlinux-dir "$tmp/k" "$tmp/whole.vmcore")
echo "$line" | field error | grep -q "not whole"; yes_ $? "a cut vmfault -j line from crash is an ERROR saying so, not a half-read result"

# -v through crash: the text of vmfault -v, redirected by crash into the run's directory
$B --engine crash -v --vmlinux-dir "$tmp/k" "$tmp/whole.vmcore" > "$tmp/out" 2>&1
grep -q '^VERDICT: NO MATCH (the stand-in crash)' "$tmp/out"; yes_ $? "-v: crash's vmfault -v text follows the table"
$B --engine crash --json -v -o "$tmp/v.jsonl" --vmlinux-dir "$tmp/k" "$tmp/whole.vmcore" "$L/seed-5.10-pud.txt" > /dev/null 2>&1
ok "$(python3 -c 'import json,sys; print(sum("VERDICT:" in json.loads(l).get("explain","") for l in open(sys.argv[1])))' "$tmp/v.jsonl")" 2 \
	"-v --json: each line carries its report's text (explain)"
$B --json -o "$tmp/nv.jsonl" "$L/seed-5.10-pud.txt" > /dev/null 2>&1
$B --json -v -o "$tmp/nv.jsonl" --resume "$L/seed-5.10-pud.txt" > /dev/null 2> "$tmp/err"
grep -q "results were current" "$tmp/err"; ok $? 1 "-v --resume: a line kept without its text is run again"
$B --engine crash -v -o "$tmp/v.jsonl" --resume --vmlinux-dir "$tmp/k" "$tmp/whole.vmcore" "$L/seed-5.10-pud.txt" > "$tmp/out" 2> "$tmp/err"
grep -q "2 of 2 results were current" "$tmp/err" && grep -q '^VERDICT: NO MATCH (the stand-in crash)' "$tmp/out"
yes_ $? "-v --resume: a reused line gives its report's text back"

# ---- 15: the table ---------------------------------------------------------------------------
cp "$L/seed-5.10-pud.txt" "$tmp/bad"$'\n'"name"$'\e'"[31m.txt"
$B "$tmp/bad"$'\n'"name"$'\e'"[31m.txt" > "$tmp/out"
ok "$(grep -c '^MATCH .*/bad\\nname\\x1b\[31m\.txt  (text-only)$' "$tmp/out")" 1 "15: a file name with a newline does not break the table's line"
grep -q 'bad\\nname\\x1b\[31m.txt' "$tmp/out"; yes_ $? "15: its newline and ESC are shown escaped, not sent to the terminal"
! grep -q $'\e' "$tmp/out"; yes_ $? "15: no raw escape character in the table"

# ---- 16: options, signals ---------------------------------------------------------------
mkdir -p "$tmp/o16"; cd "$tmp/o16"
$B -o --vmlinux-dir "$tmp/k" "$L/seed-5.10-pud.txt" > /dev/null 2> "$tmp/err"; rc=$?
ok "$rc:$(ls)" "64:" "16: -o does not swallow --vmlinux-dir (no file named --vmlinux-dir): $(head -1 "$tmp/err")"
cp "$L/seed-5.10-pud.txt" ./-odd.txt
ok "$($B --json -- -odd.txt | field verdict)" MATCH "16: -- ends the options"
cd "$root"
$B --help > "$tmp/out" 2>&1; rc=$?
ok "$rc:$(grep -c -- '^  --vmlinux-dir DIR' "$tmp/out")" 0:1 "16: --help prints the options and exits 0"
$B --vmlinux-dir "$tmp/nonexistent" "$L/seed-5.10-pud.txt" > /dev/null 2> "$tmp/err"; rc=$?
ok "$rc:$(head -1 "$tmp/err")" "64:vmfault-triage: --vmlinux-dir $tmp/nonexistent: No such file or directory" "16: a missing --vmlinux-dir is an error"
mkdir -p "$tmp/emptydir"
line=$($B --engine crash --json --vmlinux-dir "$tmp/emptydir" "$tmp/whole.vmcore")
echo "$line" | field error | grep -q "no vmlinux named for 5.10.0-fake (the dump names no BUILD-ID); searched: $tmp/emptydir (0 kernels in 0 files of 1 MiB or more)"
yes_ $? "16: without the matching build, the error names the --vmlinux-dir searched: $(echo "$line" | field error)"
mkdir -p "$tmp/ext dir"; cp "$root/build/vmfault.so" "$tmp/ext dir/vmfault.so"; rm -f "$tmp/fc.log"
FAKE_CRASH_LOG=$tmp/fc.log $B --engine crash --json --extension "$tmp/ext dir/vmfault.so" --vmlinux-dir "$tmp/k" "$tmp/whole.vmcore" > /dev/null
ok "$(grep -c '^extend [^ ]*$' "$tmp/fc.log"):$(sed -n 's/^extension file: //p' "$tmp/fc.log")" "1:$tmp/ext dir/vmfault.so" \
	"16: --extension with a space reaches crash's extend as one word, a link to the file"
rm -f "$tmp/fc.log"
FAKE_CRASH=sleep FAKE_CRASH_LOG=$tmp/fc.log $B --engine crash -o "$tmp/sig.jsonl" --vmlinux-dir "$tmp/k" "$L/seed-5.10-pud.txt" "$tmp/whole.vmcore" > /dev/null 2> "$tmp/err" & p=$!
for i in $(seq 100); do [ -s "$tmp/fc.log" ] && break; sleep 0.1; done
# the run's temporary files, wherever they are: named after its pid
left() { ls -d "$TMPDIR"/vmfault-triage-*"$1"-* /tmp/vmfault-triage-*"$1"-* 2>/dev/null | wc -l; }
before=$(left "$p")
kill -TERM "$p"; wait "$p"; rc=$?
cpid=$(sed -n 's/^pid \([0-9]*\).*/\1/p' "$tmp/fc.log")
ok "$before:$rc:$(left "$p")" "1:143:0" "16: SIGTERM: the run's temporary directory goes, and triage dies of the signal"
sleep 0.2; ps -p "$cpid" > /dev/null; ok $? 1 "16: SIGTERM: the crash session is killed too"
ok "$(valid_lines "$tmp/sig.jsonl")" 1 "16: SIGTERM: the results file keeps the line decided before"
# a background job starts with SIGINT ignored, which triage keeps: start it with the default
FAKE_CRASH=sleep python3 -c 'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
	"$B" --engine crash --vmlinux-dir "$tmp/k" "$tmp/whole.vmcore" > /dev/null 2>&1 & p=$!
sleep 1; before=$(left "$p"); kill -INT "$p"; wait "$p"; rc=$?
ok "$before:$rc:$(left "$p")" "1:130:0" "16: SIGINT: likewise"

# ---- soak: a batch killed at random points and resumed ------------------------------------
# 2,000 logs; ten runs with --resume, each killed with SIGKILL at a random point
# of a full run's time; then one run to the end.  Exactly one valid line per
# input must remain.
soak=$tmp/soak; mkdir -p "$soak"
logs=("$L"/*.txt)
# each log after 400 lines of boot messages, so that a run lasts long enough to be cut at random
for i in $(seq 1 400); do printf '[    %d.%06d] pci 0000:00:%02x.0: [8086:7000] type 00 class 0x060100\n' $((i / 100)) $((i * 997 % 1000000)) $((i % 32)); done > "$tmp/boot.txt"
for i in $(seq 1 2000); do cat "$tmp/boot.txt" "${logs[$((i % ${#logs[@]}))]}" > "$soak/c$i.txt"; done
res=$tmp/soak.jsonl
t0=$(date +%s%N); $B --json -o "$tmp/calibrate.jsonl" "$soak" > /dev/null 2>&1; t1=$(date +%s%N)
full_ms=$(( (t1 - t0) / 1000000 )); rm -f "$tmp/calibrate.jsonl"
kept=""; mid=0
for k in $(seq 1 10); do
	$B --json -o "$res" --resume "$soak" > /dev/null 2>&1 & p=$!
	# a random point of the first third of a full run: most kills leave work for the next run
	sleep "$(awk -v m="$full_ms" -v s="$RANDOM" 'BEGIN { srand(s); printf "%.3f", rand() * m / 3000 }')"
	kill -0 "$p" 2>/dev/null && mid=$((mid + 1))
	kill -KILL "$p" 2>/dev/null; wait "$p" 2>/dev/null
	kept="$kept $( [ -f "$res" ] && grep -c . "$res" || echo 0)"
done
$B --json -o "$res" --resume "$soak" > "$tmp/out" 2> "$tmp/err"; rc=$?
n=$(valid_lines "$res")
paths=$(python3 -c 'import json,sys; print(len({json.loads(l)["path"] for l in open(sys.argv[1])}))' "$res" 2>/dev/null)
echo "soak: a full run takes $full_ms ms; $mid of 10 kills landed mid-run; lines after each kill:$kept; then $(grep -o '[0-9]* of 2000 results were current' "$tmp/err")"
ok "$rc:$n:$paths" "2:2000:2000" "soak: after 10 SIGKILLs and a last run, exactly one valid line per input (2,000)"
[ ! -e "$tmp/.soak.jsonl.partial" ]; yes_ $? "soak: no temporary file is left beside the results"
ok "$(wc -l < "$tmp/out")" 2000 "soak: the last run reports every input"

# ---- with crash itself, on one factory dump (when the vmcores exist: run under the heavy lock) ----
PATH=$real_path
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
seed=$(grep -P '^seed-pud-5\.10\t' "$cache/vmcores/index.tsv" 2>/dev/null | cut -f3)
if [ -n "$seed" ] && command -v crash > /dev/null; then
	line=$($B --engine crash --json --extension "$tmp/ext dir/vmfault.so" --vmlinux-dir "$cache/kernels" "$seed")
	ok "$(echo "$line" | field verdict)" MATCH "16: crash itself loads an --extension whose path has a space (seed-pud-5.10)"
else
	echo "SKIP: no factory vmcore seed-pud-5.10 or no crash: the real --extension case is not run"
fi

# ---- a direct engine that dies leaves the dump to the text beside it, saying why ----------
mt=$(grep -P '^many-tasks-5\.10\t' "$cache/vmcores/index.tsv" 2>/dev/null | cut -f3)
if [ -n "$mt" ]; then
	mkdir -p "$tmp/killed"
	ln -s "$mt" "$tmp/killed/vmcore"
	cp "$(dirname "$mt")/console.log" "$tmp/killed/vmcore-dmesg.txt"
	killed=""
	# the engine's child lives about 0.3 s on this dump with an empty cache: kill it while it reads
	for _ in 1 2 3 4 5 6 7 8; do
		rm -rf "$tmp/kc"
		$B --json --cache-dir "$tmp/kc" "$tmp/killed" > "$tmp/killed.json" 2>/dev/null &
		parent=$!
		for _ in $(seq 400); do
			child=$(pgrep -P "$parent" | head -1)
			[ -n "$child" ] && { kill -KILL "$child"; break; }
			sleep 0.005
		done
		wait "$parent"
		grep -q "died of signal 9" "$tmp/killed.json" && { killed=1; break; }
	done
	ok "$killed" 1 "the direct engine's child was killed while it read many-tasks-5.10"
	ok "$(jq -r '"\(.engine) \(.tier) \(.verdict)"' "$tmp/killed.json")" "text 4 MATCH" \
		"a killed direct engine: the text beside the dump is read instead"
	ok "$(jq -r .fallback "$tmp/killed.json")" "the direct engine died of signal 9 (Killed) on this dump" \
		"and the result says why"
else
	echo "SKIP: no factory vmcore many-tasks-5.10: the killed direct engine is not checked"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
