#!/usr/bin/env bash
# The Debian package as a support team meets it: `make deb` (debhelper), lintian,
# then dpkg -i, crash's `extend vmfault.so` by name on a factory dump, the CLI
# from /usr/bin, the man pages through man(1), and dpkg -r.
#
# The machine is left as it was: when a vmfault is already there (a package, or
# `make install PREFIX=/usr`), the install half is skipped rather than overwrite
# it, and after dpkg -r the package database and the files must be as before.
# Starts crash: run it under the heavy lock.
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }

work=$(mktemp -d)    # crash looks in its working directory first: keep build/ out of it
installed_here=0
cleanup() {
	[ $installed_here = 1 ] && dpkg -r vmfault >/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT
unset DEBUGINFOD_URLS
export XDG_CACHE_HOME=$work/xdg    # the triage's vmlinux index, not in the user's cache

version=$(sed -n 's/^#define VMF_VERSION "\([^"]*\)"$/\1/p' src/*.h)
ok "$(wc -w <<<"$version")" 1 "one VMF_VERSION in the engine's headers ($version)"
deb=build/deb/vmfault_${version}_amd64.deb
debian/make-deb.sh build/deb >"$work/make-deb.log" 2>&1
rc=$?; [ $rc = 0 ] || tail -20 "$work/make-deb.log"
ok $rc 0 "make deb (debhelper) builds"
if [ ! -f "$deb" ]; then
	echo "FAIL: no $deb: nothing to install"
	echo "$pass passed, $((fail + 1)) failed"
	exit 1
fi
ok "$(basename "$(tail -1 "$work/make-deb.log")")" "vmfault_${version}_amd64.deb" \
	"the package is named by VMF_VERSION ($version)"
ok "$(dpkg-deb -f "$deb" Version 2>&1)" "$version" "its Version field is VMF_VERSION"

contents=$(dpkg-deb -c "$deb" 2>/dev/null | awk '{ print $6 }')
for f in /usr/lib/crash/extensions/vmfault.so /usr/bin/vmfault-triage /usr/share/man/man8/vmfault.8.gz \
	 /usr/share/man/man1/vmfault-triage.1.gz /usr/share/doc/vmfault/copyright; do
	grep -qxF ".$f" <<<"$contents"; ok $? 0 "the package holds $f"
done

# crash: the release whose defs.h the extension was compiled against, and no later one
depends=$(dpkg-deb -f "$deb" Depends 2>/dev/null)
crash_up=$(dpkg-query -W -f='${Version}' crash | sed -e 's/^[0-9]*://' -e 's/-[^-]*$//')
grep -qF "crash (>= $crash_up), crash (<< " <<<"$depends"
ok $? 0 "Depends holds crash to $crash_up, the release built against ($depends)"
grep -q 'libkdumpfile[0-9]* (>= ' <<<"$depends"; ok $? 0 "Depends has libkdumpfile from \${shlibs:Depends}"

# every tag, informational ones too, is either fixed or overridden with its reason
lintian -I --pedantic "build/deb/vmfault_${version}_amd64.changes" 2>&1 |
	grep -v 'running with root privileges is not recommended' >"$work/lintian"
[ -s "$work/lintian" ] && sed 's/^/  lintian: /' "$work/lintian"
ok "$(wc -l <"$work/lintian")" 0 "lintian -I --pedantic on the .changes (source, binary, buildinfo) says nothing"

# ---- install, use, remove ------------------------------------------------------
skip=""
[ "$(id -u)" = 0 ] || skip="not root"
dpkg-query -W -f='${Status}' vmfault 2>/dev/null | grep -q 'installed' && skip="a vmfault package is installed"
for f in /usr/lib/crash/extensions/vmfault.so /usr/bin/vmfault-triage /usr/share/man/man1/vmfault-triage.1.gz \
	 /usr/share/man/man8/vmfault.8.gz; do
	[ -e "$f" ] && [ -z "$skip" ] && skip="$f exists (make install PREFIX=/usr?)"
done
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
line=$(grep -P '^seed-pud-5\.10\t' "$cache/vmcores/index.tsv" 2>/dev/null | head -1)
[ -z "$line" ] && [ -z "$skip" ] && skip="no seed-pud-5.10 vmcore in $cache (make vmcores)"
if [ -n "$skip" ]; then
	echo "SKIP: dpkg -i / crash / dpkg -r not checked: $skip"
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit
fi
vmlinux=$(cut -f2 <<<"$line"); vmcore=$(cut -f3 <<<"$line")
state() {
	dpkg-query -W -f='${Package} ${Version} ${Status}\n' | sort
	ls -A1 /usr/bin /usr/lib/crash/extensions /usr/share/man/man1 /usr/share/man/man8 /usr/share/doc 2>&1
}
state >"$work/before"

dpkg -i "$deb" >"$work/dpkg-i" 2>&1
rc=$?; [ $rc = 0 ] || sed 's/^/  dpkg -i: /' "$work/dpkg-i"
ok $rc 0 "dpkg -i $(basename "$deb")"
installed_here=1
ok "$(dpkg-query -W -f='${Status} ${Version}' vmfault 2>&1)" "install ok installed $version" "dpkg knows vmfault $version"

# crash by name, from an empty directory and without CRASH_EXTENSIONS: crash's own search path
printf 'extend vmfault.so\nvmfault -j\nquit\n' >"$work/cmds"
(cd "$work" && env -u CRASH_EXTENSIONS crash -s "$vmlinux" "$vmcore" -i cmds </dev/null) >"$work/crash" 2>&1
grep -q '^/usr/lib/crash/extensions/vmfault.so: shared object loaded' "$work/crash"
ok $? 0 "crash> extend vmfault.so loads /usr/lib/crash/extensions/vmfault.so from the package"
ok "$(sed -n 's/.*"verdict":"\([^"]*\)","signature":"\([^"]*\)".*/\1 \2/p' "$work/crash" | head -1)" \
	"MATCH VMF-LARGE-PUD" "the packaged extension diagnoses seed-pud-5.10"

(cd "$work" && env -u VMFAULT_SO -u CRASH_EXTENSIONS vmfault-triage --engine crash --json \
	--vmlinux-dir "$(dirname "$vmlinux")" "$vmcore") >"$work/triage" 2>"$work/triage.err"
ok $? 1 "vmfault-triage from PATH exits 1: the dump matched"
ok "$(command -v vmfault-triage)" /usr/bin/vmfault-triage "the vmfault-triage run is the packaged one"
ok "$(jq -r '"\(.engine) \(.verdict)"' "$work/triage")" "crash MATCH" \
	"packaged vmfault-triage --engine crash diagnoses seed-pud-5.10 with the packaged extension"
(cd "$work" && vmfault-triage --json --vmlinux-dir "$(dirname "$vmlinux")" "$vmcore") >"$work/direct" 2>&1
ok "$(jq -r '"\(.engine) \(.tier) \(.verdict)"' "$work/direct")" "direct 1 MATCH" \
	"packaged vmfault-triage's direct engine (the default) diagnoses it at tier 1"
[ -s "$work/triage.err" ] && sed 's/^/  triage stderr: /' "$work/triage.err"

for page in 1:vmfault-triage 8:vmfault; do
	ok "$(man -w "${page%%:*}" "${page#*:}" 2>&1)" "/usr/share/man/man${page%%:*}/${page#*:}.${page%%:*}.gz" \
		"man -w finds ${page#*:}(${page%%:*})"
	MANWIDTH=80 MAN_KEEP_STDERR=1 man "${page%%:*}" "${page#*:}" >"$work/man" 2>"$work/man.err"
	sed -n '/^NAME$/{n;p;q}' "$work/man" | grep -Eq "^ *${page#*:}( -|,)"
	ok $? 0 "man ${page%%:*} ${page#*:} renders its NAME line"
	ok "$(cat "$work/man.err")" "" "man ${page%%:*} ${page#*:} renders without warnings"
done

dpkg -r vmfault >"$work/dpkg-r" 2>&1
rc=$?; [ $rc = 0 ] || sed 's/^/  dpkg -r: /' "$work/dpkg-r"
ok $rc 0 "dpkg -r vmfault"
installed_here=0
state >"$work/after"
diff "$work/before" "$work/after" >"$work/diff"
rc=$?; [ $rc = 0 ] || sed 's/^/  changed: /' "$work/diff" | head -20
ok $rc 0 "after dpkg -r the package database and the install directories are as before"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
