#!/bin/bash
# check-truth.sh [ID...] - check every generated vmcore's truth.json against
# crash's own view of the dump (crash -s VMLINUX VMCORE in batch mode).
#
# Per dump: crash opens it and its log has the panic; the kernel release; the
# KASLR offset (`help -k`: "KASLR offset: N"); the faulting address in the oops;
# the panic task (bt: PID, CPU, COMMAND); for the module scenarios `vtop` of
# the ioremap address shows the large page and its physical address; the
# top-level entry of the slot in PID 1's page table is 0 exactly when the
# truth says processes lack it; the paging levels (pgdir_shift 39 or 48); the
# ioremap's vm area (kmem -v); the number of user processes (ps -u, 5.10 only).
# Prints PASS:/FAIL: lines and ends with "N passed, M failed".
set -u -o pipefail

CACHE=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
INDEX=$CACHE/vmcores/index.tsv
PASSED=0
FAILED=0

pass() { echo "PASS: $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
check() { # check ID DESCRIPTION COMMAND...: pass when the command succeeds
	local id=$1 what=$2
	shift 2
	if "$@"; then pass "$id: $what"; else fail "$id: $what"; fi
}

# tj KEY: a value of truth.json (written one key per line by generate.sh)
tj() { sed -nE "s/^  \"$1\": \"?([^\",]*)\"?,?$/\1/p" "$TRUTH" | head -1; }

# section NAME: the output of one crash command (each is redirected to its own
# file: crash's own echo is not ordered with the commands' output)
section() { cat "$OUTD/$1" 2>/dev/null; }

check_dump() {
	local id=$1 vmlinux=$2 vmcore=$3
	TRUTH=$4
	OUTD=$(mktemp -d)
	OUTF=$OUTD/crash.out
	local va slot cmd
	va=$(tj vmalloc_addr)
	slot=$(tj top_slot)
	cmd=$(mktemp)
	{
		echo "log > $OUTD/log"
		echo "sys > $OUTD/sys"
		echo "help -k > $OUTD/help-k"
		echo "help -m > $OUTD/help-m"
		echo "bt > $OUTD/bt"
		echo "ps -u > $OUTD/ps"
		if [ "$va" != null ]; then
			echo "vtop $va > $OUTD/vtop"
			echo "kmem -v > $OUTD/kmem-v"
			# PID 1 is the first task on init_task's list; its top-level entry for the slot
			echo "p/x ((struct task_struct *)((char *)init_task.tasks.next - (unsigned long)&((struct task_struct *)0)->tasks))->pid > $OUTD/pid1"
			echo "p/x ((struct task_struct *)((char *)init_task.tasks.next - (unsigned long)&((struct task_struct *)0)->tasks))->mm->pgd[$slot].pgd >> $OUTD/pid1"
		fi
		echo quit
	} >"$cmd"
	timeout 600 crash -s "$vmlinux" "$vmcore" -i "$cmd" >"$OUTF" 2>&1 </dev/null
	rm -f "$cmd"

	# 1. crash opens it and sees the panic (or, with kdump, the oops that led to it);
	#    a live dump has neither, and crash names no panic
	if [ "$(tj capture)" = qemu-live ]; then
		check "$id" "live dump: crash opens it, its log has no panic" \
			bash -c '! grep -qE "Kernel panic - not syncing|Oops: " "$1" && grep -q "RELEASE:" "$2"' _ \
			<(section log) <(section sys)
	else
	check "$id" "crash opens the dump and its log has the panic" \
		grep -qE 'Kernel panic - not syncing|Oops: ' <(section log)
	fi
	if [ "$(tj capture)" != qemu-live ] && ! grep -qE 'Kernel panic - not syncing|Oops: ' <(section log); then
		sed -n 1,20p "$OUTF" | sed 's/^/    crash: /'
		rm -rf "$OUTD"; return
	fi

	# 2. kernel release
	check "$id" "kernel release $(tj kernel_release)" \
		grep -qE "RELEASE: $(tj kernel_release)\$" <(section sys)

	# 3. KASLR offset: crash prints "relocate: ... (KASLR offset: HEX / NMB)" when nonzero
	local off want
	off=$(section help-k | sed -nE 's/.*KASLR offset: ([0-9a-f]+).*/\1/p' | head -1)
	off=$(printf '0x%x' "0x${off:-0}")
	want=$(tj kaslr_offset)
	check "$id" "KASLR offset $want (crash: $off)" [ "$off" = "$want" ]
	if [ "$(tj kaslr)" = true ]; then
		check "$id" "KASLR on: offset is not 0" [ "$off" != 0x0 ]
	else
		check "$id" "KASLR off: offset is 0" [ "$off" = 0x0 ]
	fi

	# 4. page_offset and paging levels (crash's machdep: page_offset, pgdir_shift 39 = 4-level, 48 = 5-level)
	local po shift
	po=$(section help-m | sed -nE 's/^ *page_offset: ([0-9a-f]+)$/\1/p' | head -1)
	check "$id" "page_offset $(tj page_offset) (crash: 0x$po)" [ "0x$po" = "$(tj page_offset)" ]
	shift=$(section help-m | sed -nE 's/^ *pgdir_shift: ([0-9]+)$/\1/p' | head -1)
	case $(tj paging_levels) in
	4) check "$id" "4-level paging (crash pgdir_shift $shift)" [ "$shift" = 39 ] ;;
	5) check "$id" "5-level paging (crash pgdir_shift $shift)" [ "$shift" = 48 ] ;;
	*) fail "$id: paging_levels missing from truth" ;;
	esac

	# 5. the faulting address of the oops
	local fa
	fa=$(tj fault_addr)
	if [ "$fa" != null ]; then
		check "$id" "log: page fault at $fa" \
			grep -qE "address: 0*${fa#0x}\$" <(section log)
	fi
	case $(tj expected_signature) in
	VMF-LARGE-PUD | VMF-LARGE-PMD)
		check "$id" "log: RIP in vmalloc_fault of the module" \
			grep -qE 'RIP: 0010:vmalloc_fault\+0x[0-9a-f]+/0x[0-9a-f]+ \[vmf_test\]' <(section log) ;;
	esac

	# 6. the panic task
	local hdr
	hdr=$(section bt | grep -m1 '^PID:')
	[ "$(tj capture)" = qemu-live ] || check "$id" "panic task pid $(tj panic_pid) cpu $(tj panic_cpu) comm $(tj panic_comm) (crash: $hdr)" \
		grep -qE "^PID: +$(tj panic_pid) +TASK: [0-9a-f]+ +CPU: $(tj panic_cpu) +COMMAND: \"$(tj panic_comm)\"" <<<"$hdr"

	# an oops that did not panic (oops-sysrq): its own task, in the log before the panic
	if [ "$(tj oops_pid)" != null ]; then
		check "$id" "log: the oops of pid $(tj oops_pid) cpu $(tj oops_cpu) comm $(tj oops_comm) came before the panic" \
			grep -qE "CPU: $(tj oops_cpu) PID: $(tj oops_pid) Comm: $(tj oops_comm) " <(section log)
	fi

	# user processes (ps -u): crash 8.0.2's PID table is incomplete on 6.1 (active tasks only)
	local nps
	nps=$(section ps | grep -cE '^[ >] +[0-9]+ ')
	case $(tj kernel_release) in
	5.*) check "$id" "ps -u: $(tj procs_total) user processes (crash: $nps)" [ "$nps" = "$(tj procs_total)" ] ;;
	*) echo "NOTE: $id: ps -u not checked: crash 8.0.2 lists only the active tasks of 6.1 (it shows $nps)" ;;
	esac

	# 7. the large page under the ioremap address, in init_mm
	if [ "$va" != null ]; then
		local size lp phys got unit
		size=$(tj large_size)
		lp=$(tj large_phys)
		phys=$(printf '%x' $((lp + (va & (size - 1)))))
		[ "$size" = 1073741824 ] && unit=1GB || unit=2MB
		got=$(section vtop | awk -v va="${va#0x}" '$1 == va {print $2; exit}')
		check "$id" "vtop $va -> $phys (crash: $got)" [ "$got" = "$phys" ]
		check "$id" "vtop $va is a $unit page at $lp" \
			grep -qE "PAGE: +${lp#0x} +\($unit\)" <(section vtop)
		# the ioremap's vm area (kmem -v: VMAP_AREA VM_STRUCT START - END SIZE)
		local vma
		vma=$(tj vm_area_addr)
		check "$id" "kmem -v: vm area $vma size $(tj vm_area_size)" \
			grep -qE " ${vma#0x} - [0-9a-f]+ +$(tj vm_area_size)\$" <(section kmem-v)
		# 8. the slot in PID 1 (never the faulting task): 0 when processes lack it
		local e
		e=$(section pid1 | sed -nE 's/^\$[0-9]+ = (0x[0-9a-f]+)$/\1/p' | sed -n 2p)
		if [ "$(tj procs_lacking_slot)" -gt 0 ]; then
			check "$id" "PID 1 lacks top-level slot $slot (entry ${e:-?})" [ "$e" = 0x0 ]
		else
			check "$id" "PID 1 has top-level slot $slot (entry ${e:-?})" [ -n "$e" -a "$e" != 0x0 ]
		fi
	fi
	rm -rf "$OUTD"
}

[ -s "$INDEX" ] || { echo "FAIL: no $INDEX: run tests/vmcores/generate.sh"; echo "0 passed, 1 failed"; exit 1; }
while IFS=$'\t' read -r id vmlinux vmcore truth; do
	if [ $# -gt 0 ]; then
		sel=0
		for w in "$@"; do # an exact id if there is one, else a prefix
			if cut -f1 "$INDEX" | grep -qxF -- "$w"; then [ "$id" = "$w" ] && sel=1
			else [[ $id == "$w"-* ]] && sel=1; fi
		done
		[ $sel = 1 ] || continue
	fi
	for f in "$vmlinux" "$vmcore" "$truth"; do
		[ -s "$f" ] || { fail "$id: $f missing"; continue 2; }
	done
	check_dump "$id" "$vmlinux" "$vmcore" "$truth"
done <"$INDEX"
echo "$PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
