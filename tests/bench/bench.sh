#!/usr/bin/env bash
# make bench: figures for vmfault's speed and memory, each with its budget and PASS/FAIL.
# Not a timed test: it prints what it measured on this machine, in one run.
#
#   ptaudit over N mms      <= 0.2 s and <= 1/20 of crash's start-up on that dump
#   vmfault end to end      <= 0.5 s beyond crash's start-up
#   speed-up over built-ins >= 50x (command files with crash alone: list -s, struct, rd);
#                              the floor (rd with addresses computed outside crash) is printed too
#   extra peak RSS          <= 16 MiB
#   vmfault-triage -j 2     >= 1.7x the throughput of -j 1 (the crash path)
# The direct engine (vmfault-triage --engine direct), side by side on the same dumps:
#   per dump at 5,000 processes  <= 0.5 s cold (empty cache), <= 0.3 s warm; tier 1 and tier 2
#   batch of all factory dumps   >= 20x the crash path's throughput (-j 2 both)
#   peak RSS                     <= 64 MiB
set -u
cd "$(dirname "$0")/../.."
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
index=$cache/vmcores/index.tsv
so=$PWD/build/vmfault.so
[ -f "$index" ] || { echo "bench: no $index (make vmcores)"; exit 1; }
[ -f "$so" ] || { echo "bench: build/vmfault.so missing (make)"; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0

verdict() { # name value budget cmp(le|ge) unit
	local ok
	ok=$(awk -v v="$2" -v b="$3" -v c="$4" 'BEGIN{print (v !~ /^[0-9.]+$/) ? "FAIL" : (c=="le" ? v+0<=b+0 : v+0>=b+0) ? "PASS" : "FAIL"}')
	[ "$ok" = PASS ] || fails=$((fails+1))
	printf '  %-44s %12s %-4s (budget %s %s %s)  %s\n' "$1" "$2" "$5" "$([ "$4" = le ] && echo '<=' || echo '>=')" "$3" "$5" "$ok"
}

# seconds and peak RSS (KiB) of one batch crash session
session() { # vmlinux vmcore cmdfile -> "secs rss"
	/usr/bin/time -f '%e %M' -o "$tmp/time" crash -s "$1" "$2" -i "$3" </dev/null >"$tmp/out" 2>&1
	cat "$tmp/time"
}

best_of() { # n vmlinux vmcore cmdfile -> min secs, max rss, max secs
	local i best=999999 worst=0 rss=0 s r
	for i in $(seq "$1"); do
		read -r s r < <(session "$2" "$3" "$4")
		best=$(awk -v a="$s" -v b="$best" 'BEGIN{print (a<b)?a:b}')
		worst=$(awk -v a="$s" -v b="$worst" 'BEGIN{print (a>b)?a:b}')
		[ "$r" -gt "$rss" ] && rss=$r
	done
	echo "$best $rss $worst"
}

nbench=0
touch "$cache/bench-history.txt"
bench_dump() { # id
	local id=$1 line vmlinux vmcore truth slot
	nbench=$((nbench+1))
	line=$(awk -F'\t' -v id="$id" '$1 == id' "$index")
	[ -n "$line" ] || { echo "bench: no vmcore $id"; fails=$((fails+1)); return; }
	vmlinux=$(cut -f2 <<<"$line"); vmcore=$(cut -f3 <<<"$line"); truth=$(cut -f4 <<<"$line")
	slot=$(sed -n 's/.*"top_slot": *\([0-9]*\).*/\1/p' "$truth")
	va=$(sed -n 's/.*"vmalloc_addr": *"0x\([0-9a-f]*\)".*/\1/p' "$truth")
	echo "== $id"

	printf 'quit\n' > "$tmp/startup"
	printf 'ps\nps\nps\nps\nps\nquit\n' > "$tmp/ps"
	printf 'extend %s\nquit\n' "$so" > "$tmp/extend"
	printf 'extend %s\nptaudit\nvmfault\nptwalk %s\nquit\n' "$so" "$va" > "$tmp/ext"
	read -r t_start rss_plain t_start_worst < <(best_of 3 "$vmlinux" "$vmcore" "$tmp/startup")
	noise=$(awk -v a="$t_start_worst" -v b="$t_start" 'BEGIN{printf "%.2f", a-b}')
	read -r t_ps _ < <(best_of 3 "$vmlinux" "$vmcore" "$tmp/ps")
	read -r t_ext rss_ext < <(best_of 3 "$vmlinux" "$vmcore" "$tmp/ext")
	VMFAULT_TIMING=1 crash -s "$vmlinux" "$vmcore" -i "$tmp/ext" </dev/null >"$tmp/timing" 2>&1
	t_audit=$(awk '/^vmfault-timing: ptaudit/{print $3}' "$tmp/timing")
	t_vmfault=$(awk '/^vmfault-timing: vmfault/{print $3}' "$tmp/timing")
	t_walk=$(awk '/^vmfault-timing: ptwalk/{print $3}' "$tmp/timing")
	mms=$(awk '/^MMS:/{print $2; exit}' "$tmp/timing")

	# The built-in equivalent, as a support engineer writes it with crash alone: the
	# tasks' mms (list -s), each mm's pgd (struct), then the kernel half of every
	# top-level table and init_mm's (rd -64 ADDR 256): three command files, each built
	# from the previous one's output.  Its time is the three sessions less three start-ups.
	rdcol() { awk '/^ *[0-9a-f]+: +[0-9a-f]+/{print $2}'; }
	printf 'list task_struct.tasks -h init_task -s task_struct.mm\nquit\n' > "$tmp/a1"
	/usr/bin/time -f '%e' -o "$tmp/ta1" crash -s "$vmlinux" "$vmcore" -i "$tmp/a1" </dev/null 2>/dev/null |
		awk '/mm = 0x[0-9a-f]+/{print $3}' | grep -v '^0x0$' | sort -u > "$tmp/mms"
	{ while read -r m; do echo "struct mm_struct.pgd $m"; done < "$tmp/mms"; echo quit; } > "$tmp/a2"
	/usr/bin/time -f '%e' -o "$tmp/ta2" crash -s "$vmlinux" "$vmcore" -i "$tmp/a2" </dev/null 2>/dev/null |
		awk '/pgd = 0x/{sub(",", "", $3); print $3}' > "$tmp/pgdva"
	printf 'p/x init_mm.pgd\nquit\n' > "$tmp/c3"
	initpgd=$(crash -s "$vmlinux" "$vmcore" -i "$tmp/c3" </dev/null 2>/dev/null | sed -n 's/.*= 0x\([0-9a-f]*\).*/\1/p')
	{
		printf 'rd -64 %x 256\n' $((0x$initpgd + 2048))
		while read -r g; do [[ $g =~ ^0x[0-9a-f]+$ ]] && printf 'rd -64 %x 256\n' $((g + 2048)); done < "$tmp/pgdva"
	} > "$tmp/rd-top"
	{ cat "$tmp/rd-top"; echo quit; } > "$tmp/a3"
	/usr/bin/time -f '%e' -o "$tmp/ta3" crash -s "$vmlinux" "$vmcore" -i "$tmp/a3" </dev/null >/dev/null 2>&1
	t_builtin_net=$(awk -v a="$(cat "$tmp/ta1")" -v b="$(cat "$tmp/ta2")" -v c="$(cat "$tmp/ta3")" -v s="$t_start" \
		'BEGIN{printf "%.3f", a+b+c-3*s}')
	ncmds=$(( $(wc -l < "$tmp/mms") + $(wc -l < "$tmp/rd-top") + 1 ))

	# The floor: the same rd reads with every address computed outside crash (offsets
	# from struct -o, tasks from ps): what crash's own reads cost, nothing else.
	printf 'ps\nstruct task_struct.mm -o\nstruct mm_struct.pgd -o\nquit\n' > "$tmp/prep"
	crash -s "$vmlinux" "$vmcore" -i "$tmp/prep" </dev/null > "$tmp/prep.out" 2>&1
	local mmoff pgdoff
	# struct -o prints member offsets in crash's radix (decimal unless set otherwise)
	mmoff=$(sed -n 's/^ *\[\([0-9a-fx]*\)\] struct mm_struct \*mm;.*/\1/p' "$tmp/prep.out" | head -1)
	pgdoff=$(sed -n 's/^ *\[\([0-9a-fx]*\)\] *pgd_t \*pgd;.*/\1/p' "$tmp/prep.out" | head -1)
	[ -n "$mmoff" ] && [ -n "$pgdoff" ] || { echo "  bench: no task_struct.mm / mm_struct.pgd offsets"; fails=$((fails+1)); return; }
	awk '$1 ~ /^>$/ {print $5} $1 ~ /^[0-9]+$/ {print $4}' "$tmp/prep.out" | grep -E '^[0-9a-f]{16}$' | sort -u > "$tmp/tasks"
	while read -r t; do printf 'rd -64 %x\n' $((0x$t + mmoff)); done < "$tmp/tasks" > "$tmp/rd-mm"
	{ cat "$tmp/rd-mm"; echo quit; } > "$tmp/c1"
	crash -s "$vmlinux" "$vmcore" -i "$tmp/c1" </dev/null 2>/dev/null | rdcol | grep -v '^0*$' | sort -u > "$tmp/mms-rd"
	while read -r m; do printf 'rd -64 %x\n' $((0x$m + pgdoff)); done < "$tmp/mms-rd" > "$tmp/rd-pgd"
	{ cat "$tmp/rd-mm" "$tmp/rd-pgd" "$tmp/rd-top"; echo quit; } > "$tmp/floor"
	read -r t_floor _ < <(best_of 3 "$vmlinux" "$vmcore" "$tmp/floor")
	t_floor_net=$(awk -v a="$t_floor" -v b="$t_start" 'BEGIN{printf "%.3f", a-b}')

	printf '  mms audited: %s   crash start-up: %.2f s (spread of 3 runs: %s s)   crash ps: %s\n' \
		"$mms" "$t_start" "$noise" "$(awk -v a="$t_ps" -v b="$t_start" -v n="$noise" \
		'BEGIN{d=a-b; if (d <= n) print "5 in one session cost less than the start-up spread"; else printf "%.3f s per ps (5 in one session)", d/5}')"
	printf '  ptwalk: %s s\n' "$t_walk"
	printf '  built-in equivalent, crash alone (list -s, %s struct, %s rd): %s s\n' "$(wc -l < "$tmp/mms")" \
		"$(wc -l < "$tmp/rd-top")" "$t_builtin_net"
	printf '  floor, rd with addresses computed outside crash (%s rd, best of 3): %s (no budget)\n' \
		"$(($(wc -l < "$tmp/floor") - 1))" "$(awk -v a="$t_floor_net" -v b="$t_audit" -v n="$noise" \
		'BEGIN{if (a <= n) printf "%s s, within the start-up spread: not measurable this way", a; else printf "%s s = %.1fx ptaudit", a, a/(b>0?b:1e-6)}')"
	[ "$(wc -l < "$tmp/pgdva")" -ge $(( ${mms:-1} - 1 )) ] || echo "  (the built-in run read $(wc -l < "$tmp/pgdva") pgds for $mms mms)"
	verdict "ptaudit time" "$t_audit" 0.2 le s
	verdict "ptaudit / crash start-up" "$(awk -v a="$t_audit" -v b="$t_start" 'BEGIN{printf "%.4f", a/b}')" 0.05 le ""
	verdict "vmfault beyond start-up" "$t_vmfault" 0.5 le s
	verdict "speed-up of ptaudit over built-ins" "$(awk -v a="$t_builtin_net" -v b="$t_audit" 'BEGIN{printf "%.1f", a/(b>0?b:1e-6)}')" 50 ge x
	verdict "extra peak RSS with the extension" "$(awk -v a="$rss_ext" -v b="$rss_plain" 'BEGIN{printf "%.1f", (a-b)/1024}')" 16 le MiB
	echo "$id mms=$mms start=$t_start ptaudit=$t_audit vmfault=$t_vmfault ptwalk=$t_walk builtin=$t_builtin_net floor=$t_floor_net noise=$noise rss_plain=$rss_plain rss_ext=$rss_ext" >> "$cache/bench-history.txt"
}

for id in ${VMFAULT_BENCH_DUMPS:-many-tasks-5.10-p100 many-tasks-5.10-p1000 many-tasks-5.10 seed-pud-5.10}; do
	bench_dump "$id"
done

# how the figures scale with the number of processes, from this run
echo "== scaling (this run)"
printf '  %-22s %6s %9s %8s %9s %9s %9s %11s %9s\n' dump mms start_s spread_s ptaudit_s vmfault_s ptwalk_s builtin_s floor_s
tail -n "$nbench" "$cache/bench-history.txt" | while read -r id rest; do
	eval "$(tr ' ' '\n' <<<"$rest" | grep '=' | sed 's/^/local_/')"
	printf '  %-22s %6s %9s %8s %9s %9s %9s %11s %9s\n' "$id" "$local_mms" "$local_start" "${local_noise:--}" \
		"$local_ptaudit" "$local_vmfault" "$local_ptwalk" "$local_builtin" "${local_floor:--}"
done

if [ -x build/vmfault-triage ]; then
	echo "== vmfault-triage over $cache/vmcores"
	targs=(--json --engine crash --extension "$so" --vmlinux-dir "$cache/kernels" "$cache/vmcores")
	s1=$(date +%s.%N); build/vmfault-triage -j 1 "${targs[@]}" > "$tmp/j1" 2>/dev/null; e1=$(date +%s.%N)
	s2=$(date +%s.%N); build/vmfault-triage -j 2 "${targs[@]}" > "$tmp/j2" 2>/dev/null; e2=$(date +%s.%N)
	for j in j1 j2; do
		if grep -q '"verdict":"ERROR"' "$tmp/$j"; then
			echo "  -$j: some dumps gave ERROR: the figure would not be a diagnosis"; fails=$((fails+1))
		fi
	done
	t1=$(awk -v a="$s1" -v b="$e1" 'BEGIN{print b-a}'); t2=$(awk -v a="$s2" -v b="$e2" 'BEGIN{print b-a}')
	printf '  -j 1: %.1f s   -j 2: %.1f s   dumps: %s\n' "$t1" "$t2" "$(wc -l < "$tmp/j1")"
	verdict "triage throughput -j 2 / -j 1" "$(awk -v a="$t1" -v b="$t2" 'BEGIN{printf "%.2f", a/b}')" 1.7 ge x
fi
# ---- the direct engine ---------------------------------------------------------------------
direct_run() { # cachedir args... -> "secs rss_kib"; the work runs in the CLI's child, whose peak RSS wait4 reports
	local c=$1; shift
	/usr/bin/time -f '%e %M' -o "$tmp/dtime" build/vmfault-triage --engine direct --json -j 1 --cache-dir "$c" \
		"$@" > "$tmp/dout" 2>/dev/null
	grep -q '"verdict":"ERROR"' "$tmp/dout" && echo "  direct: ERROR: $(head -c 300 "$tmp/dout")" >&2
	tail -1 "$tmp/dtime"      # time says "Command exited with non-zero status 1" first: a MATCH exits 1
}
if [ -x build/vmfault-triage ]; then
	echo "== the direct engine, per dump (cold: empty cache; warm: BTF, kallsyms' place and rearranged dumps cached)"
	printf '  %-22s %6s %5s %8s %8s %9s\n' dump procs tier cold_s warm_s peak_MiB
	rss_max=0
	for id in seed-pud-5.10 many-tasks-5.10-p1000 many-tasks-5.10; do
		line=$(awk -F'\t' -v id="$id" '$1 == id' "$index"); vmcore=$(cut -f3 <<<"$line"); truth=$(cut -f4 <<<"$line")
		procs=$(sed -n 's/.*"procs_total": *\([0-9]*\).*/\1/p' "$truth")
		for tier in 1 2; do
			targ=(--vmlinux-dir "$cache/kernels"); [ $tier = 2 ] && targ=(--no-vmlinux)
			rm -rf "$tmp/dcache"
			read -r cold r1 < <(direct_run "$tmp/dcache" "${targ[@]}" "$vmcore")
			grep -q "\"tier\":$tier" "$tmp/dout" || { echo "  $id: not tier $tier"; fails=$((fails+1)); }
			read -r warm r2 < <(direct_run "$tmp/dcache" "${targ[@]}" "$vmcore")
			rss=$(( r1 > r2 ? r1 : r2 )); [ $rss -gt $rss_max ] && rss_max=$rss
			printf '  %-22s %6s %5s %8s %8s %9.1f\n' "$id" "$procs" "$tier" "$cold" "$warm" "$(awk -v r=$rss 'BEGIN{print r/1024}')"
			if [ "$id" = many-tasks-5.10 ]; then
				verdict "direct tier $tier cold, $procs processes" "$cold" 0.5 le s
				verdict "direct tier $tier warm, $procs processes" "$warm" 0.3 le s
			fi
		done
	done
	verdict "direct engine peak RSS" "$(awk -v r=$rss_max 'BEGIN{printf "%.1f", r/1024}')" 64 le MiB
	echo "== batch of every factory dump: direct vs the crash path (-j 2 both)"
	rm -rf "$tmp/dcache"
	build/vmfault-triage --engine direct --json -j 2 --cache-dir "$tmp/dcache" --vmlinux-dir "$cache/kernels" \
		"$cache/vmcores" > /dev/null 2>&1     # fills the cache: a batch of the same builds runs warm
	s3=$(date +%s.%N)
	build/vmfault-triage --engine direct --json -j 2 --cache-dir "$tmp/dcache" --vmlinux-dir "$cache/kernels" \
		"$cache/vmcores" > "$tmp/dj2" 2>/dev/null
	e3=$(date +%s.%N)
	t3=$(awk -v a="$s3" -v b="$e3" 'BEGIN{print b-a}')
	grep -q '"verdict":"ERROR"' "$tmp/dj2" && { echo "  direct batch: some dumps gave ERROR"; fails=$((fails+1)); }
	printf '  direct -j 2: %.2f s   crash -j 2: %.1f s   dumps: %s\n' "$t3" "$t2" "$(wc -l < "$tmp/dj2")"
	verdict "direct / crash batch throughput" "$(awk -v a="$t2" -v b="$t3" 'BEGIN{printf "%.1f", a/b}')" 20 ge x
	echo "== where the direct engine's time goes (VMFAULT_TIMING=1, many-tasks-5.10, tier 2, warm)"
	line=$(awk -F'\t' '$1 == "many-tasks-5.10"' "$index"); vmcore=$(cut -f3 <<<"$line")
	VMFAULT_TIMING=1 build/vmfault-triage --no-vmlinux --cache-dir "$tmp/dcache" -v "$vmcore" 2>&1 >/dev/null |
		sed 's/^vmfault-timing: */  /'
fi
echo "bench: $fails budget(s) failed"
[ "$fails" -eq 0 ]
