#!/usr/bin/env bash
# `make install` into a staging DESTDIR: the files land where they should, and
# the installed extension is the one crash loads by name (`extend vmfault.so`),
# both at the prompt and through the installed vmfault-triage.  crash searches
# CRASH_EXTENSIONS before /usr/lib/crash/extensions, which points it at the
# staged copy without touching the machine's own.
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }

stage=$(mktemp -d)
work=$(mktemp -d)    # crash looks in its working directory first: keep build/ out of it
trap 'rm -rf "$stage" "$work"' EXIT
unset DEBUGINFOD_URLS
export XDG_CACHE_HOME=$work/xdg    # the triage's vmlinux index, not in the user's cache

make -s install DESTDIR="$stage" PREFIX=/usr/local >"$work/install.log" 2>&1
rc=$?; [ $rc -eq 0 ] || cat "$work/install.log"
ok $rc 0 "make install DESTDIR=... PREFIX=/usr/local"
ext=$stage/usr/lib/crash/extensions
mode() { stat -c %a "$1" 2>/dev/null || echo missing; }
ok "$(mode "$ext/vmfault.so")" 755 "vmfault.so in /usr/lib/crash/extensions, a directory crash searches by name"
ok "$(mode "$stage/usr/local/bin/vmfault-triage")" 755 "vmfault-triage in PREFIX/bin"
ok "$(mode "$stage/usr/local/share/man/man8/vmfault.8")" 644 "vmfault(8) in PREFIX/share/man/man8"
ok "$(mode "$stage/usr/local/share/man/man1/vmfault-triage.1")" 644 "vmfault-triage(1) in PREFIX/share/man/man1"
strings /usr/bin/crash | grep -qx '/usr/lib/crash/extensions/'
ok $? 0 "this crash binary searches /usr/lib/crash/extensions"
cmp -s "$ext/vmfault.so" build/vmfault.so; ok $? 0 "the installed extension is the one just built"

"$stage/usr/local/bin/vmfault-triage" >/dev/null 2>&1
ok $? 64 "the installed vmfault-triage runs (usage error exits 64)"

cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
line=$(grep -P '^seed-pud-5\.10\t' "$cache/vmcores/index.tsv" 2>/dev/null | head -1)
if [ -z "$line" ]; then
	echo "SKIP: no seed-pud-5.10 vmcore in $cache (make vmcores): crash loading not checked"
else
	vmlinux=$(echo "$line" | cut -f2); vmcore=$(echo "$line" | cut -f3)
	printf 'extend vmfault.so\nvmfault -j\nhelp vmfault\nquit\n' >"$work/cmds"
	(cd "$work" && CRASH_EXTENSIONS=$ext crash -s "$vmlinux" "$vmcore" -i cmds </dev/null) >"$work/out" 2>&1
	grep -q "^$ext/vmfault.so: shared object loaded" "$work/out"
	ok $? 0 "crash> extend vmfault.so loads the installed file by name"
	ok "$(sed -n 's/.*"verdict":"\([^"]*\)","signature":"\([^"]*\)".*/\1 \2/p' "$work/out" | head -1)" \
		"MATCH VMF-LARGE-PUD" "the installed extension diagnoses the seed vmcore"
	grep -q '^  vmfault - diagnose' "$work/out"; ok $? 0 "help vmfault works from the installed extension"

	# no VMFAULT_SO, no --extension: the installed triage finds vmfault.so where crash would
	(cd "$work" && env -u VMFAULT_SO CRASH_EXTENSIONS=$ext \
		"$stage/usr/local/bin/vmfault-triage" --engine crash --json --vmlinux-dir "$(dirname "$vmlinux")" \
		"$vmcore") >"$work/triage" 2>"$work/triage.err"
	ok $? 1 "installed vmfault-triage --engine crash exits 1: a dump matched"
	ok "$(jq -r '"\(.engine) \(.verdict)"' "$work/triage")" "crash MATCH" \
		"installed vmfault-triage finds the installed extension by name"
	# and its default, the direct engine, with the vmlinux: tier 1
	"$stage/usr/local/bin/vmfault-triage" --json --vmlinux-dir "$(dirname "$vmlinux")" "$vmcore" >"$work/direct" 2>&1
	ok "$(jq -r '"\(.engine) \(.tier) \(.verdict)"' "$work/direct")" "direct 1 MATCH" \
		"installed vmfault-triage's direct engine diagnoses it at tier 1"
	[ -s "$work/triage.err" ] && sed 's/^/  triage stderr: /' "$work/triage.err"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
