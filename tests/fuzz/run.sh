#!/usr/bin/env bash
# make fuzz / make fuzz-smoke: libFuzzer (Debian clang) on the engine's three entry
# points: the oops parser + text diagnosis, the walkers + dump evidence over random
# page tables, the catalog evaluation.  Each runs SECONDS (default 60; FUZZ_SMOKE=1: 10).
# Figures per target on one line each; a crash leaves its input in build/fuzz/artifacts.
set -u
cd "$(dirname "$0")/../.."
secs=${1:-${FUZZ_SECONDS:-60}}
[ "${FUZZ_SMOKE:-0}" = 1 ] && secs=10
out=build/fuzz; mkdir -p "$out/artifacts"
CC=${FUZZ_CC:-clang}
command -v "$CC" >/dev/null || { echo "fuzz: $CC missing (apt-get install clang)"; echo "0 passed, 1 failed"; exit 1; }
pass=0; fail=0
for t in oops walk catalog; do
	bin=$out/fuzz_$t
	if ! "$CC" -std=c99 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-Isrc -Itests/fuzz -o "$bin" "tests/fuzz/fuzz_$t.c" src/*.c 2> "$out/build-$t.log"; then
		echo "FAIL: fuzz_$t does not build:"; head -5 "$out/build-$t.log"; fail=$((fail+1)); continue
	fi
	corpus=$out/corpus-$t; mkdir -p "$corpus"
	# the tracked seeds, and every input that once crashed a target (regressions/), run first
	cp -n tests/fuzz/corpus/$t/* "$corpus"/ 2>/dev/null
	# the oops parser also starts from the unit and triage texts (real oopses, both formats)
	[ $t = oops ] && cp -n tests/unit/data/*.txt tests/triage/logs/*.txt "$corpus"/
	regress=""; [ -d "tests/fuzz/regressions/$t" ] && regress="tests/fuzz/regressions/$t"
	case $t in oops) maxlen=16384 ;; walk) maxlen=$((4096 * 6 + 17)) ;; *) maxlen=64 ;; esac
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -max_len=$maxlen -print_final_stats=1 \
		-artifact_prefix="$out/artifacts/$t-" $corpus $regress > "$out/$t.log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/$t.log")
	cov=$(grep -o 'cov: [0-9]*' "$out/$t.log" | tail -1 | cut -d' ' -f2)
	ncorp=$(ls "$corpus" | wc -l)
	crashes=$(ls "$out/artifacts" | grep -c "^$t-")
	echo "fuzz $t: ${execs:-0} executions in $secs s (${speed:-0}/s), coverage ${cov:-?}, $ncorp corpus entries, crashes $crashes"
	if [ "$rc" -eq 0 ] && [ "$crashes" -eq 0 ]; then pass=$((pass+1)); else
		fail=$((fail+1)); echo "FAIL: fuzz_$t (exit $rc):"; grep -m3 -E 'ERROR|SUMMARY|==[0-9]+==' "$out/$t.log"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
