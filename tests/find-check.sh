#!/usr/bin/env bash
# What vmfault-triage finds before it starts crash (issue 15): a dump's vmlinux by
# build-id in a tree of any layout (unpacked -dbg packages one level deeper than
# the old fixed patterns), the index cached and the places searched named when
# nothing fits; the extension beside the binary, or one line before any crash
# starts when it is nowhere.  One crash run (seed-pud-5.10): under the heavy lock.
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
triage=$PWD/build/vmfault-triage
unset DEBUGINFOD_URLS VMFAULT_SO CRASH_EXTENSIONS
export XDG_CACHE_HOME=$tmp/xdg
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
line=$(grep -P '^seed-pud-5\.10\t' "$cache/vmcores/index.tsv" 2>/dev/null | head -1)
line61=$(grep -P '^seed-pud-6\.1\t' "$cache/vmcores/index.tsv" 2>/dev/null | head -1)
if [ ! -x "$triage" ] || [ ! -f build/vmfault.so ] || [ -z "$line" ] || [ -z "$line61" ]; then
	echo "FAIL: needs make and the factory's seed-pud-5.10 and seed-pud-6.1 (make vmcores)"
	echo "0 passed, 1 failed"; exit 1
fi
vmlinux=$(cut -f2 <<<"$line"); vmcore=$(cut -f3 <<<"$line"); vmlinux61=$(cut -f2 <<<"$line61")
rel=$(basename "$vmlinux" | sed 's/^vmlinux-//'); rel61=$(basename "$vmlinux61" | sed 's/^vmlinux-//')

# unpacked -dbg packages as DIR/<release>/root/usr/lib/debug/boot/vmlinux-<release>, a symlink loop
for r in "$rel:$vmlinux" "$rel61:$vmlinux61"; do
	d=$tmp/dbg/${r%%:*}/root/usr/lib/debug/boot
	mkdir -p "$d"
	ln -s "${r#*:}" "$d/vmlinux-${r%%:*}"
done
ln -s .. "$tmp/dbg/$rel/root/up"
mkdir "$tmp/run"
(cd "$tmp/run" && "$triage" --json --vmlinux-dir "$tmp/dbg" "$vmcore") >"$tmp/out" 2>"$tmp/err"
ok $? 1 "build/vmfault-triage without VMFAULT_SO or --extension: exit 1, the dump matched"
ok "$(jq -r .vmlinux "$tmp/out")" "$tmp/dbg/$rel/root/usr/lib/debug/boot/vmlinux-$rel" \
	"the vmlinux found by build-id in an unpacked -dbg tree one level deeper than the old patterns"
ok "$(jq -r '.mode + " " + .verdict' "$tmp/out")" "dump MATCH" "diagnosed from the dump with build/vmfault.so, beside the binary"
[ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"
bid=$(jq -r .build_id "$tmp/out")
index=$XDG_CACHE_HOME/vmfault/vmlinux-index
grep -q "^K	[0-9]*	[0-9]*	$bid	$tmp/dbg/$rel/root/usr/lib/debug/boot/vmlinux-$rel\$" "$index"
ok $? 0 "the index is cached in \$XDG_CACHE_HOME/vmfault/vmlinux-index with the kernel's build-id"
ok "$(grep -c '^K' "$index")" 2 "the cache holds the two kernels once each, the loop not followed twice"

# nothing fits: every place searched, with what each tree held; no crash; --cache-dir
mkdir -p "$tmp/only61"
ln -s "$vmlinux61" "$tmp/only61/vmlinux-$rel61"
# (a --vmlinux-dir that is not there is a usage error, issue 16: tests/hostile)
"$triage" --json --cache-dir "$tmp/cachedir" --vmlinux-dir "$tmp/only61" "$vmcore" >"$tmp/none" 2>/dev/null
ok $? 2 "no vmlinux of the dump's build: exit 2"
want="no vmlinux for $rel with the dump's BUILD-ID ${bid:0:12}...; searched: $tmp/only61 (1 kernel in 1 file of 1 MiB or more); beside the dump; /usr/lib/debug; no debuginfod server (give --debuginfod URL or set DEBUGINFOD_URLS)"
ok "$(jq -r .error "$tmp/none")" "$want" "the error names every place searched"
[ -s "$tmp/cachedir/vmlinux-index" ]; ok $? 0 "--cache-dir DIR holds the index"

# the extension nowhere: one line, before any crash starts (a crash in PATH that leaves a mark)
if [ -e /usr/lib64/crash/extensions/vmfault.so ] || [ -e /usr/lib/crash/extensions/vmfault.so ]; then
	echo "SKIP: vmfault.so is installed on this machine: the missing-extension case is not checked"
else
	mkdir -p "$tmp/bin" "$tmp/fake"
	cp "$triage" "$tmp/bin/"
	printf '#!/bin/sh\ntouch %s/crash-ran\n' "$tmp" >"$tmp/fake/crash"; chmod +x "$tmp/fake/crash"
	(cd "$tmp/run" && PATH=$tmp/fake:$PATH "$tmp/bin/vmfault-triage" --json --vmlinux-dir "$tmp/dbg" "$vmcore") \
		>"$tmp/noext" 2>"$tmp/noext.err"
	ok $? 2 "no extension anywhere: exit 2"
	ok "$(cat "$tmp/noext.err")" "vmfault-triage: vmfault.so not found beside vmfault-triage nor where crash looks ($tmp/bin, ., /usr/lib64/crash/extensions, /usr/lib/crash/extensions, ./extensions): make install, or give --extension PATH" \
		"one line naming every place looked"
	[ -e "$tmp/crash-ran" ]; ok $? 1 "and no crash was started"
	log=$PWD/tests/triage/logs/seed-5.10-pud.txt
	(cd "$tmp/run" && PATH=$tmp/fake:$PATH "$tmp/bin/vmfault-triage" --json "$log") >/dev/null 2>&1
	ok $? 1 "a batch of console logs needs no extension"
fi
"$triage" --json --extension "$tmp/none.so" --vmlinux-dir "$tmp/dbg" "$vmcore" >/dev/null 2>"$tmp/given.err"
ok $? 2 "--extension naming a missing file: exit 2"
ok "$(cat "$tmp/given.err")" "vmfault-triage: $tmp/none.so: No such file or directory" "and says so in one line"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
