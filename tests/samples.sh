#!/usr/bin/env bash
# make samples: regenerate samples/transcripts/ from the factory's vmcores, so the
# transcripts in the docs are what the current code prints.
set -eu
cd "$(dirname "$0")/.."
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
mkdir -p samples/transcripts
while IFS=$'\t' read -r id vmlinux vmcore truth; do
	va=$(sed -n 's/.*"vmalloc_addr": *"0x\([0-9a-f]*\)".*/\1/p' "$truth")
	cmd=$(mktemp)
	{
		echo "extend $PWD/build/vmfault.so"
		echo "vmfault -v"
		[ -n "$va" ] && echo "ptwalk -c 1 $va" && echo "vtop -c 1 $va"
		echo "ptaudit"
		echo "quit"
	} > "$cmd"
	{
		echo "# $id: crash -s vmlinux vmcore, then:"
		grep -v '^quit' "$cmd" | sed 's|^extend .*|extend vmfault.so|; s/^/# crash> /'
		echo
		crash -s "$vmlinux" "$vmcore" -i "$cmd" </dev/null 2>&1 | grep -v 'shared object loaded'
	} > "samples/transcripts/$id.txt"
	rm -f "$cmd"
	echo "samples/transcripts/$id.txt"
done < "$cache/vmcores/index.tsv"
python3 tests/readme-transcripts.py
