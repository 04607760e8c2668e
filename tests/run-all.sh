#!/usr/bin/env bash
# The whole suite, as the README and .ci/run call it: `make test`.
# Each stage prints its own "N passed, M failed"; this sums them, and a stage
# that cannot run at all counts as one failure with its reason.
set -u
cd "$(dirname "$0")/.."
total_pass=0; total_fail=0
stage() {
	local name=$1; shift
	echo "=== $name: $*"
	local log; log=$(mktemp)
	"$@" 2>&1 | tee "$log"
	local rc=${PIPESTATUS[0]}
	local line; line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
	rm -f "$log"
	if [ -z "$line" ]; then
		echo "FAIL: stage $name printed no summary (exit $rc)"
		total_fail=$((total_fail+1)); return
	fi
	local p=${line%% passed*} f=${line#*passed, }; f=${f%% failed*}
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then echo "FAIL: stage $name exit $rc"; f=1; fi
	total_pass=$((total_pass+p)); total_fail=$((total_fail+f))
}
stage unit make -s unit-test
stage direct make -s direct-test
stage docs tests/docs-check.sh
stage apt-sources tests/apt-sources-check.sh
stage sanitize make -s sanitize-test
stage fuzz-smoke env FUZZ_SMOKE=1 tests/fuzz/run.sh
if [ "${VMFAULT_SKIP_VMCORES:-0}" != 1 ]; then
	# the dumps first: the triage stage checks every one of them
	stage vmcores tests/vmcores/generate.sh
	stage truth tests/vmcores/check-truth.sh
	# the direct reader against crash's log and makedumpfile -R on every dump
	stage direct-dumps python3 tests/direct/check_dumps.py
fi
stage triage tests/triage/run.sh
stage hostile tests/hostile/run.sh
if [ "${VMFAULT_SKIP_VMCORES:-0}" != 1 ]; then
	# the kdump scenario laid out as each distribution saves it
	stage layouts tests/layouts/run.sh
fi
stage install tests/install-check.sh
stage deb tests/deb-check.sh
stage shard tests/shard-check.sh
if [ "${VMFAULT_SKIP_VMCORES:-0}" != 1 ]; then
	stage find tests/find-check.sh
	stage debuginfod tests/debuginfod-check.sh
fi
if [ "${VMFAULT_SKIP_VMCORES:-0}" != 1 ]; then
	stage integration tests/integration/run.sh
	stage damaged python3 tests/damaged/run.py
	# direct/'s symbols, types and code against crash and gdb on every dump
	stage direct-syms python3 -u tests/direct/syms-check.py
	# the direct engine's answers against crash's, field by field, tiers 1-3 and fallbacks
	stage direct-equal python3 -u tests/direct/equal.py
fi
echo "=== total"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
