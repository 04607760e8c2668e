#!/usr/bin/env bash
# vmfault-triage --shard K/N through GNU parallel: the union of N shards' -o files
# is one unsharded run, nothing twice and nothing missing, each shard a real share.
# Inputs: copies of the triage stage's console logs in a tree, broken inputs, and
# the factory's dumps without a vmlinux (their ERROR lines are results too), so no
# crash is started and no lock is needed.
set -u
cd "$(dirname "$0")/.."
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
triage=$PWD/build/vmfault-triage
[ -x "$triage" ] || { echo "FAIL: no $triage (make)"; echo "0 passed, 1 failed"; exit 1; }
command -v parallel >/dev/null || { echo "FAIL: GNU parallel missing (tests/setup-deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
# no server, no extension needed: every input is decided without crash
unset DEBUGINFOD_URLS VMFAULT_SO
export XDG_CACHE_HOME=$tmp/xdg

tree=$tmp/inputs
for host in alpha beta gamma delta epsilon; do
	mkdir -p "$tree/$host"
	cp tests/triage/logs/*.txt "$tree/$host/"
done
mkdir "$tree/broken"
printf 'not a dump\n' >"$tree/broken/vmcore"         # a kdump directory whose vmcore is none: an ERROR line
paths=("$tree")
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
[ -d "$cache/vmcores" ] && paths+=("$cache/vmcores")
n=4

"$triage" --json -o "$tmp/all.jsonl" "${paths[@]}" >/dev/null 2>"$tmp/all.err"
rc=$?; [ $rc -le 2 ]; ok $? 0 "one unsharded run (exit $rc)"
total=$(wc -l <"$tmp/all.jsonl")
[ "$total" -ge 40 ]; ok $? 0 "the unsharded run has $total results (40 logs at least)"

parallel --halt never "$triage" --shard {}/$n --json -o "$tmp/shard-{}.jsonl" "${paths[@]}" \
	'>/dev/null 2>'"$tmp/shard-{}.err" ::: $(seq $n)
for k in $(seq $n); do
	[ -s "$tmp/shard-$k.jsonl" ]; ok $? 0 "shard $k/$n has results ($(wc -l <"$tmp/shard-$k.jsonl" 2>/dev/null || echo 0))"
done

# a result without its timing is the same result
# nor where the dump-alone tier's symbols came from: the first dump of a build locates them in
# the image, the next reads the cache, and which is first depends on the shard
strip() {
	sed -e 's/"elapsed_s":[0-9.]*,//' \
	    -e 's/located in the image\( at [0-9a-f]*\|, cached\)/located in the image/g' \
	    -e "s/dump's BTF, [^\";)]*/dump's BTF/g" "$@" | sort
}
strip "$tmp/all.jsonl" >"$tmp/all.sorted"
cat "$tmp"/shard-*.jsonl | strip >"$tmp/union.sorted"
diff "$tmp/all.sorted" "$tmp/union.sorted" >"$tmp/diff"
rc=$?; [ $rc = 0 ] || head -c 2000 "$tmp/diff"
ok $rc 0 "the union of the $n shards is the unsharded run, line for line"
dups=$(jq -r .path "$tmp"/shard-*.jsonl | sort | uniq -d | wc -l)
ok "$dups" 0 "no path is in two shards"
ok "$(jq -r .path "$tmp"/shard-*.jsonl | sort -u | wc -l)" "$(jq -r .path "$tmp/all.jsonl" | sort -u | wc -l)" \
	"every path of the unsharded run is in a shard"

# the same shard twice is the same share; another N is another split of the same union
"$triage" --shard 2/$n --json -o "$tmp/again.jsonl" "${paths[@]}" >/dev/null 2>&1
ok "$(jq -r .path "$tmp/again.jsonl" | sort | md5sum)" "$(jq -r .path "$tmp/shard-2.jsonl" | sort | md5sum)" \
	"shard 2/$n takes the same inputs when run again"
"$triage" --shard 1/1 --json -o "$tmp/one.jsonl" "${paths[@]}" >/dev/null 2>&1
ok "$(strip "$tmp/one.jsonl" | md5sum)" "$(md5sum <"$tmp/all.sorted")" "--shard 1/1 is the whole batch"

"$triage" --shard 5/4 "$tree" >/dev/null 2>"$tmp/err"
ok $? 64 "--shard 5/4 is a usage error"
ok "$(head -1 "$tmp/err")" "vmfault-triage: --shard 5/4: K/N needs 1 <= K <= N <= 65536" "and says why in one line"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
