#!/usr/bin/env bash
# Show the diagnosis of the generated seed vmcore in crash, as an engineer would see it.
set -eu
cd "$(dirname "$0")/.."
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
id=${1:-seed-pud-5.10}
line=$(awk -F'\t' -v id="$id" '$1 == id' "$cache/vmcores/index.tsv")
[ -n "$line" ] || { echo "demo: no vmcore $id in $cache/vmcores/index.tsv (make vmcores)"; exit 1; }
vmlinux=$(printf '%s' "$line" | cut -f2); vmcore=$(printf '%s' "$line" | cut -f3)
slot_addr=$(sed -n 's/.*"vmalloc_addr": *"\(0x[0-9a-f]*\)".*/\1/p' "$(printf '%s' "$line" | cut -f4)")
cmd=$(mktemp)
printf 'extend %s\nvmfault\nptwalk %s\nquit\n' "$PWD/build/vmfault.so" "${slot_addr#0x}" > "$cmd"
echo "\$ crash -s $vmlinux $vmcore"
crash -s "$vmlinux" "$vmcore" -i "$cmd" </dev/null
rm -f "$cmd"
