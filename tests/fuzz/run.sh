#!/usr/bin/env bash
# tests/fuzz/run.sh [SECONDS]: make fuzz / make fuzz-smoke.
#
# libFuzzer (Debian clang 14, ASan + UBSan) on the engine's entry points:
#   oops     console text -> vmf_diagnose, text only -> both writers
#   walk     page tables made of the input -> walker, range walker, top-level
#            comparison and audit, large-leaf search; vmf_diagnose over a
#            synthetic kernel around them -> verdict -> both writers
#   catalog  evidence fields made of the input -> vmf_evaluate -> both writers
# Each target is built into build/fuzz/ from src/*.c and its tests/fuzz/fuzz_<t>.c,
# replays tests/fuzz/regressions/<t>/ (inputs that once crashed it), then fuzzes
# for SECONDS (default 60; FUZZ_SMOKE=1: 10) from a scratch copy of the tracked
# seeds in tests/fuzz/corpus/<t>/ (the tracked seeds are never written).
# Crash inputs go to build/fuzz/artifacts/<t>-crash-*.  One line per target,
# then "N passed, M failed"; the exit status is non-zero if any target crashed.
#
# Environment: FUZZ_CC (default clang), FUZZ_TARGETS (default "oops walk catalog"),
# FUZZ_SRC (the engine sources to build, default src: a patched copy elsewhere can be
# fuzzed without touching src/).
set -u
cd "$(dirname "$0")/../.."
secs=${1:-${FUZZ_SECONDS:-60}}
[ "${FUZZ_SMOKE:-0}" = 1 ] && secs=10
case $secs in ''|*[!0-9]*) echo "usage: $0 [SECONDS]"; echo "0 passed, 1 failed"; exit 2 ;; esac
out=build/fuzz
src=${FUZZ_SRC:-src}
CC=${FUZZ_CC:-clang}
targets=${FUZZ_TARGETS:-oops walk catalog}
mkdir -p "$out/artifacts"
if ! command -v "$CC" >/dev/null; then
	echo "fuzz: $CC missing (apt-get install clang)"
	echo "0 passed, $(echo $targets | wc -w) failed"; exit 1
fi
CFLAGS="-std=c99 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all"

# libFuzzer's last status line (DONE, or the last pulse before a crash): "<key>: N"
last_stat() { grep -E '^#[0-9]+' "$2" | tail -1 | grep -o "$1: [0-9]*" | cut -d' ' -f2; }

pass=0; fail=0
for t in $targets; do
	bin=$out/fuzz_$t
	log=$out/$t.log
	if ! "$CC" $CFLAGS -I"$src" -Itests/fuzz -o "$bin" "tests/fuzz/fuzz_$t.c" "$src"/*.c \
		2> "$out/build-$t.log"; then
		echo "fuzz $t: does not build:"; head -5 "$out/build-$t.log"
		fail=$((fail+1)); continue
	fi
	case $t in
	oops)    maxlen=16384 ;;              # a whole oops with its call trace and modules
	walk)    maxlen=$((32 + 8 * 4096)) ;; # the header and 8 pages of tables
	*)       maxlen=4096 ;;
	esac
	stamp=$out/.stamp-$t; : > "$stamp"
	bad=0

	# 1. every input that once crashed this target must not crash it any more
	regress=tests/fuzz/regressions/$t
	if [ -d "$regress" ] && [ -n "$(ls -A "$regress" 2>/dev/null)" ]; then
		if ! "$bin" -rss_limit_mb=2048 -timeout=30 "$regress"/* > "$out/$t-regressions.log" 2>&1; then
			echo "fuzz $t: a regression input crashes again ($out/$t-regressions.log):"
			grep -m3 -E 'ERROR|SUMMARY|invariant failed|Running: ' "$out/$t-regressions.log"
			bad=1
		fi
	fi

	# 2. fuzz from a scratch corpus: the tracked seeds plus what earlier runs found
	corpus=$out/corpus-$t
	mkdir -p "$corpus"
	cp -n tests/fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
	t0=$(date +%s)
	dict=""; [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
	"$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=30 -max_len=$maxlen $dict \
		-print_final_stats=1 -artifact_prefix="$out/artifacts/$t-" "$corpus" > "$log" 2>&1
	rc=$?
	t1=$(date +%s)
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
	cov=$(last_stat cov "$log")
	ncorp=$(last_stat corp "$log")
	[ -n "$ncorp" ] || ncorp=$(ls "$corpus" | wc -l)
	# crash-, leak-, timeout- and oom- inputs written by this run (slow-unit- ones are not failures)
	crashes=$(find "$out/artifacts" -maxdepth 1 -type f -newer "$stamp" \
		\( -name "$t-crash-*" -o -name "$t-leak-*" -o -name "$t-timeout-*" -o -name "$t-oom-*" \) | wc -l)
	[ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	echo "fuzz $t: ${execs:-0} executions in ${took:-$((t1 - t0))} s, $ncorp corpus entries, coverage ${cov:-0}, crashes $crashes"
	if [ "$crashes" -ne 0 ]; then
		bad=1
		echo "FAIL: fuzz_$t (exit $rc), see $log:"
		grep -m4 -E 'ERROR: |SUMMARY: |invariant failed|Test unit written' "$log"
	fi
	if [ "$bad" -eq 0 ]; then pass=$((pass+1)); else fail=$((fail+1)); fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
