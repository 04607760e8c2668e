#!/usr/bin/env bash
# Median time of each step of build/direct-probe (its -t lines) over N runs, and
# its peak RSS: the figures of direct/'s symbol, type and code readers, tier 1
# (vmlinux) and tier 2 (the dump alone), without and with the build-id cache.
# A measurement, not a test (make bench is where speed is judged).
#   tests/direct/measure.sh [runs] [dump-id ...]
set -eu
cd "$(dirname "$0")/../.."
runs=${1:-11}; shift || true
ids=${*:-seed-pud-5.10 seed-pud-6.1}
probe=build/direct-probe
idx=${VMFAULT_CACHE:-$HOME/.cache/vmfault}/vmcores/index.tsv
work=$(mktemp -d /tmp/vmf-measure-XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR ? a[int((NR+1)/2)] : "-")}'; }

# one configuration: runs of the probe, the median of each step
measure() {
	local label=$1; shift
	local out="$work/runs"
	: > "$out"
	for _ in $(seq "$runs"); do
		[ -n "${FRESH:-}" ] && rm -rf "$work/sym" && mkdir -p "$work/sym"
		"$probe" -t "$@" >> "$out"
	done
	printf '%-34s' "$label"
	for step in open symbols btf modules code; do
		printf ' %s %6.1f ms' "$step" "$(awk -v s="$step" '$1=="time" && $2==s {print $3*1000}' "$out" | median)"
	done
	printf '  rss %s MiB\n' "$(awk '$1=="maxrss-kb" {print $2/1024}' "$out" | median)"
}

for id in $ids; do
	line=$(awk -v id="$id" '$1==id' "$idx")
	vmlinux=$(echo "$line" | cut -f2); vmcore=$(echo "$line" | cut -f3)
	mkdir -p "$work/dump" "$work/sym"
	"$probe" -c "$work/dump" -s '' "$vmcore" > /dev/null   # the flattened dump rearranged once
	echo "== $id: $("$probe" -c "$work/dump" -s '' "$vmcore" | sed -n 's/^symbols //p')"
	measure "tier 1 (vmlinux .symtab, .BTF)" -k "$vmlinux" -c "$work/dump" -s '' "$vmcore"
	FRESH=1 measure "tier 2, no cache" -c "$work/dump" -s "$work/sym" "$vmcore"
	"$probe" -c "$work/dump" -s "$work/sym" "$vmcore" > /dev/null
	measure "tier 2, build-id cache" -c "$work/dump" -s "$work/sym" "$vmcore"
	if "$probe" -c "$work/dump" -s '' "$vmcore" | grep -q 'symbols.*VMCOREINFO'; then
		FRESH=1 measure "tier 2, located (no cache)" -m locate -c "$work/dump" -s "$work/sym" "$vmcore"
	fi
	rm -rf "$work/dump" "$work/sym"
done
