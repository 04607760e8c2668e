#!/usr/bin/env bash
# Run unit-test binaries; each prints "N passed, M failed" last. Sum them.
set -u
pass=0; fail=0
for t in "$@"; do
	out=$("$t" 2>&1); rc=$?
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	printf '%s\n' "$out" | grep -E '^(FAIL|ERROR)' | head -20
	if [ -z "$line" ]; then
		echo "FAIL: $t printed no summary (exit $rc)"; fail=$((fail+1)); continue
	fi
	p=${line%% passed*}; f=${line#*passed, }; f=${f%% failed*}
	[ "$rc" -ne 0 ] && [ "$f" -eq 0 ] && { echo "FAIL: $t exit $rc"; f=1; }
	echo "$(basename "$t"): $line"
	pass=$((pass+p)); fail=$((fail+f))
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
