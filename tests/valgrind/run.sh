#!/usr/bin/env bash
# make memcheck: crash with the extension under valgrind memcheck, on one factory dump;
# then the direct engine of vmfault-triage on the same dump.
# crash and its embedded gdb have their own findings; only those whose stack passes
# through vmfault.so count (--keep-debuginfo: frames of the extension stay named after
# extend -u unloads it).  Slow (crash starts ~50x slower): not part of make test.
set -u
cd "$(dirname "$0")/../.."
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
id=${1:-seed-pud-5.10}
line=$(awk -F'\t' -v id="$id" '$1 == id' "$cache/vmcores/index.tsv" 2>/dev/null)
[ -n "$line" ] || { echo "memcheck: no vmcore $id (make vmcores)"; echo "0 passed, 1 failed"; exit 1; }
command -v valgrind >/dev/null || { echo "memcheck: valgrind missing (apt-get install valgrind)"; echo "0 passed, 1 failed"; exit 1; }
vmlinux=$(cut -f2 <<<"$line"); vmcore=$(cut -f3 <<<"$line"); truth=$(cut -f4 <<<"$line")
va=$(sed -n 's/.*"vmalloc_addr": *"0x\([0-9a-f]*\)".*/\1/p' "$truth")
out=build/memcheck; mkdir -p "$out"
so=$PWD/build/vmfault.so
{
	echo "extend $so"
	for i in 1 2 3; do echo "vmfault"; echo "vmfault -j"; echo "vmfault -v"; echo "ptaudit -v"; echo "ptaudit -j"; echo "ptwalk $va"; echo "ptwalk -j $va"; done
	echo "vmfault -c 999999"; echo "ptwalk nothex"; echo "vmfault -a zz"; echo "help vmfault"
	echo "extend -u $so"
	echo quit
} > "$out/cmds"
start=$(date +%s)
valgrind --tool=memcheck --keep-debuginfo=yes --leak-check=full --show-leak-kinds=definite,indirect --num-callers=30 \
	--log-file="$out/valgrind.log" crash -s "$vmlinux" "$vmcore" -i "$out/cmds" </dev/null >"$out/crash.out" 2>&1
secs=$(( $(date +%s) - start ))
# one valgrind record: from its "==PID== <headline>" to the blank "==PID== " line
awk '
	/^==[0-9]+== $/ { if (rec != "" && rec ~ /vmfault\.so|vmf_|cmd_vmfault|cmd_ptwalk|cmd_ptaudit/) { n++; print rec "\n" }
	                  rec = ""; next }
	/^==[0-9]+== / { rec = rec $0 "\n" }
	END { print "records attributed to vmfault: " n+0 > "/dev/stderr" }
' "$out/valgrind.log" > "$out/vmfault-records.txt" 2> "$out/summary"
ours=$(grep -o '[0-9]*$' "$out/summary")
total_err=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$out/valgrind.log" | tail -1)
definitely=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$out/valgrind.log" | tail -1)
verdicts=$(grep -c '^VERDICT: ' "$out/crash.out")
echo "memcheck on $id: ${secs} s; valgrind errors in the whole process: ${total_err:-?}; definitely lost: ${definitely:-?} bytes"
echo "memcheck: $verdicts vmfault verdicts printed; records with a vmfault frame: $ours (details: $out/vmfault-records.txt)"
pass=0; fail=0
if [ "$verdicts" -ge 6 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: crash under valgrind did not run every vmfault command"; fi
if [ "${ours:-1}" -eq 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: valgrind records attributed to vmfault"; head -40 "$out/vmfault-records.txt"; fi
# the direct engine (vmfault-triage, in-process: -v, --ptaudit -v, --ptwalk, every tier; and a
# batch line, whose child is followed) under valgrind: no error and no leak of ours.  libkdumpfile
# 0.5.1's own use-after-free in kdump_free() is suppressed (tests/valgrind/libkdumpfile.supp).
dc=$out/direct-cache; rm -rf "$dc"
direct_check() { # name args...
	local name=$1; shift
	valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--trace-children=yes --suppressions=tests/valgrind/libkdumpfile.supp --error-exitcode=99 \
		--log-file="$out/direct-$name.log" build/vmfault-triage --cache-dir "$dc" "$@" >"$out/direct-$name.out" 2>&1
	local rc=$? errs
	errs=$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$out/direct-$name.log" | sort -n | tail -1)
	if [ "$rc" -ne 99 ] && [ "${errs:-1}" -eq 0 ]; then pass=$((pass+1)); echo "memcheck direct $name: 0 errors, no leaks"
	else fail=$((fail+1)); echo "FAIL: memcheck direct $name: exit $rc, ${errs:-?} errors ($out/direct-$name.log)"; fi
}
direct_check tier1-v --vmlinux-dir "$cache/kernels" -v "$vmcore"
direct_check tier2-v --no-vmlinux -v "$vmcore"
direct_check tier3-v --no-symbols -v "$vmcore"
direct_check ptaudit --no-vmlinux --ptaudit -v "$vmcore"
direct_check ptwalk --no-vmlinux --ptwalk "$va" "$vmcore"
direct_check batch --engine direct --json --vmlinux-dir "$cache/kernels" "$vmcore"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
