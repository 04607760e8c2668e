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
# the panic task copied the slot before it faulted; PID 1 (init) is one of the mms that lack
# it: its walk first, then the diagnosis, which ends the screen
printf 'extend %s\nptwalk -c 1 %s\nvmfault -v\nquit\n' "$PWD/build/vmfault.so" "${slot_addr#0x}" > "$cmd"
echo "\$ crash -s $vmlinux $vmcore"
echo "# crash> extend vmfault.so; ptwalk -c 1 ${slot_addr#0x}; vmfault -v"
crash -s "$vmlinux" "$vmcore" -i "$cmd" </dev/null
rm -f "$cmd"
