#!/usr/bin/env bash
# vmfault-triage fetches a dump's vmlinux from a debuginfod server by build-id.
# The test starts Debian's debuginfod (-U: it indexes .deb files) over the
# factory's downloaded linux-image-5.10 -dbg package, asks it through
# http://127.0.0.1:PORT for the seed-pud-5.10 dump, which has no vmlinux beside
# it, and stops the server.  The client's cache is a temporary directory.
# Indexing the 250 MB package and crash: run it under the heavy lock.
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }
tmp=$(mktemp -d)
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
triage=$PWD/build/vmfault-triage
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
line=$(grep -P '^seed-pud-5\.10\t' "$cache/vmcores/index.tsv" 2>/dev/null | head -1)
deb=$(ls "$cache"/debs/linux-image-5.10.*-cloud-amd64-dbg_*_amd64.deb 2>/dev/null | head -1)
skip=""
[ -x "$triage" ] || skip="no $triage (make)"
command -v debuginfod >/dev/null || skip="no debuginfod server (tests/setup-deps.sh)"
command -v bsdtar >/dev/null || skip="no bsdtar, which debuginfod -U runs (libarchive-tools)"
[ -n "$line" ] && [ -n "$deb" ] || skip="no seed-pud-5.10 vmcore or no 5.10 -dbg package in $cache (make vmcores)"
if [ -n "$skip" ]; then
	echo "FAIL: $skip"
	echo "0 passed, 1 failed"
	exit 1
fi
vmcore=$(cut -f3 <<<"$line")
export XDG_CACHE_HOME=$tmp/xdg DEBUGINFOD_CACHE_PATH=$tmp/client DEBUGINFOD_TIMEOUT=120
unset DEBUGINFOD_URLS DEBUGINFOD_PROGRESS VMFAULT_SO

# without a server the dump has no vmlinux: nothing local stands in for debuginfod below
"$triage" --json "$vmcore" >"$tmp/none" 2>&1
ok "$(jq -r .verdict "$tmp/none" 2>/dev/null | head -1)" ERROR "seed-pud-5.10 alone: no vmlinux here ($(jq -r .error "$tmp/none" 2>/dev/null | head -1))"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
debuginfod -p "$port" -d "$tmp/db.sqlite" -t 0 -g 0 -c 1 --disable-source-scan -U "$deb" >"$tmp/server.log" 2>&1 &
server=$!
url=http://127.0.0.1:$port
# indexed when the one archive is scanned and the scanner is idle (its /metrics)
metric() { curl -s "$url/metrics" | grep -F -- "$1 " | awk '{ print $NF }'; }
for _ in $(seq 1 200); do
	sleep 3
	kill -0 "$server" 2>/dev/null || break
	[ "$(metric 'scanned_files_total{source=".deb archive"}')" = 1 ] &&
		[ "$(metric 'thread_busy{role="scan"}')" = 0 ] && break
done
ok "$(metric 'scanned_files_total{source=".deb archive"}')" 1 "debuginfod on $url indexed $(basename "$deb")"

"$triage" --json --debuginfod "$url" "$vmcore" >"$tmp/out" 2>"$tmp/err"
ok $? 1 "vmfault-triage --debuginfod $url exits 1: the dump matched"
bid=$(jq -r .build_id "$tmp/out")
ok "$(jq -r .vmlinux "$tmp/out")" "$tmp/client/$bid/debuginfo" "the vmlinux is the one fetched into libdebuginfod's cache"
ok "$(jq -r '.mode + " " + .verdict + " " + .signature' "$tmp/out")" "dump MATCH VMF-LARGE-PUD" \
	"seed-pud-5.10 diagnosed from the dump with the fetched vmlinux"
[ -s "$tmp/err" ] && sed 's/^/  stderr: /' "$tmp/err"

# DEBUGINFOD_URLS does the same; the file now comes from the cache
DEBUGINFOD_URLS=$url "$triage" --json "$vmcore" >"$tmp/out2" 2>/dev/null
ok "$(jq -r .verdict "$tmp/out2")" MATCH "DEBUGINFOD_URLS=$url instead of --debuginfod"
grep -c "GET /buildid/$bid/debuginfo 200" "$tmp/server.log" >"$tmp/gets"
ok "$(cat "$tmp/gets")" 1 "the server sent the vmlinux once: the second run used the client's cache"

kill "$server"; wait "$server" 2>/dev/null; server=""
rm -rf "$tmp/client"
"$triage" --json --debuginfod "$url" "$vmcore" >"$tmp/down" 2>/dev/null
ok "$(jq -r .verdict "$tmp/down")" ERROR "server stopped, cache empty: ERROR"
jq -r .error "$tmp/down" | grep -q "debuginfod ($url): "
ok $? 0 "the error names the server and its failure: $(jq -r .error "$tmp/down")"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
