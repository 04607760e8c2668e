#!/usr/bin/env bash
# vmfault-triage on console logs of each catalog signature (4.x and 5.x+ formats),
# on broken inputs, and, when the factory's vmcores exist, on all of them: the
# verdict of every dump must equal its ground truth.
set -u
cd "$(dirname "$0")/../.."
bin=build/vmfault-triage
logs=tests/triage/logs
# no debuginfod server from the environment; the vmlinux index is cached in a directory of this run's
unset DEBUGINFOD_URLS
export XDG_CACHE_HOME; XDG_CACHE_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_CACHE_HOME"' EXIT
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }
field() { sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p"; }

one() { # file -> "verdict signature"
	local j; j=$($bin --json "$logs/$1")
	echo "$(echo "$j" | field verdict) $(echo "$j" | sed -n 's/.*"signature":"\([^"]*\)".*/\1/p')"
}
# pud or pmd from the text (issue 14): the fault's frame modulo 1 GiB, the registers, the walk
ok "$(one seed-4.x-mail.txt)" "MATCH VMF-LARGE-LEAF" "2016 report as mailed (4.x IP: format): a 1 GiB aligned frame and nothing else: both named"
ok "$(one seed-5.10-pud.txt)" "MATCH VMF-LARGE-LEAF" "5.10 guest oops (RIP: format): the entry in a register confirms a large leaf, not its level"
$bin --json "$logs/seed-5.10-pud.txt" | grep -q 'RDI 80000004c00001e3 holds the leaf entry itself'; ok $? 0 "5.10: names the register holding the leaf entry"
ok "$(one seed-4.4-pmd.txt)" "MATCH VMF-LARGE-PMD" "4.4 oops: the frame is 2 MiB past a 1 GiB boundary: a pmd"
$bin --json "$logs/seed-4.4-pmd.txt" | grep -q '"large_pud_frame":{"state":false,"detail":"text: the frame is 200000 past a 1 GiB boundary'; ok $? 0 "4.4 pmd: says which clue decided"
ok "$(one pmd-4.9-unaligned.txt)" "MATCH VMF-LARGE-PMD" "4.9-rt i915-style oops, frame 3fe00000: a pmd"
ok "$(one pud-4.4-entry-in-reg.txt)" "MATCH VMF-LARGE-PUD" "4.4 pmem oops: RBX holds the vmalloc address whose pmd_index is the fault's index: a pud"
$bin --json "$logs/pud-4.4-entry-in-reg.txt" | grep -q 'RDI 8000000840000193 holds the leaf entry itself'; ok $? 0 "4.4 pud: the entry register is named too"
$bin --json "$logs/pud-4.4-entry-in-reg.txt" | grep -q '"recommendation":"Apply f4eafd8bcd52 .*4.4.1 lacks f4eafd8bcd52: fixed in 4.4.3'; ok $? 0 "4.4.1: apply f4eafd8bcd52, fixed in 4.4.3"
ok "$(one hugetlbfs-n-4.9.txt)" "MATCH VMF-LARGE-LEAF" "4.9 oops: the signature holds; CONFIG_HUGETLBFS unknown from text"
$bin --json "$logs/hugetlbfs-n-4.9.txt" | grep -q 'has f4eafd8bcd52 by version, yet the oops happened.*apply 18a955219bf7'; ok $? 0 "4.9: recommends 18a955219bf7, not the fix it already has"
ok "$(one stale-5.9-vmalloc.txt)" "RELATED VMF-STALE-VMALLOC" "5.9 PGD 0 P4D 0 in a vmalloc address (text-only)"
ok "$(one xen-3.8.txt)" "RELATED VMF-XEN-LAZY-MMU" "3.8 Xen kernel BUG in vmalloc_fault"
ok "$(one null-deref-6.1.txt)" "NO MATCH " "unrelated NULL dereference"
ok "$(one garbage.txt)" "ERROR " "text without an oops"
# issue 16, items 9-11: text that was misread
# each log below is one of the logs above, changed: it must give that log's verdict
ok "$(one dmesg-T-stale-5.9.txt)" "$(one stale-5.9-vmalloc.txt)" "dmesg -T timestamps ([Fri Nov 29 12:00:01 2024]) are taken off: the verdict of stale-5.9-vmalloc.txt"
ok "$(one caller-id-stale-5.9.txt)" "$(one stale-5.9-vmalloc.txt)" "printk caller ids ([   33.123456][    T1]) are taken off: the verdict of stale-5.9-vmalloc.txt"
j=$($bin --json "$logs/cut-before-rip-5.10.txt"); rc=$?
ok "$(echo "$j" | field verdict)" INCONCLUSIVE "a log cut before the RIP line is INCONCLUSIVE, not NO MATCH"
echo "$j" | grep -q '"missing":"rip_in_vmalloc_fault'; ok $? 0 "... and names rip_in_vmalloc_fault as missing"
echo "$j" | grep -q 'the log ends inside the oops, before its RIP/IP line'; ok $? 0 "... and says the log ends inside the oops"
ok $rc 0 "... exit 0: nothing matched"
ok "$(one nmi-interleaved-5.10.txt)" "$(one seed-5.10-pud.txt)" "an NMI backtrace of another CPU before the RIP line: the verdict of seed-5.10-pud.txt, not NO MATCH"
$bin --json "$logs/nmi-interleaved-5.10.txt" | grep -q '"detail":"log line 29: RIP vmalloc_fault+0x13e/0x1d6 \[vmf_test\]"'
ok $? 0 "... the RIP cited is line 29, after the other CPU's block"
ok "$(one bug-suffix-4.4.txt)" "$(one seed-4.4-pmd.txt)" "a BUG line with text after the address keeps the address: the verdict of seed-4.4-pmd.txt"
$bin --json "$logs/bug-suffix-4.4.txt" | grep -q '"fault_addr":"0xffff880c80200010"'; ok $? 0 "... the address read is ffff880c80200010"
# public oops texts of look-alikes (each file names its source): a kernel engineer's reading
ok "$(one chv-acpi-vmalloc-6.1.txt)" "NO MATCH " "6.1 VM console in the host's journal (tag microvm@vm1[15894]:): a full walk to a PTE with a reserved bit, no missing slot"
$bin --json "$logs/chv-acpi-vmalloc-6.1.txt" | grep -q '"pt_line":"PGD 3400067 P4D 3400067 PUD 35a7067 PMD 35a8067 PTE 800000fffffee163"'
ok $? 0 "... its page-table line is read through the journal header"
ok "$(one zfs-pud0-direct-6.5.txt)" "NO MATCH " "6.5 zfs: PUD 0 at a direct-map address, RIP in the slab allocator, not vmalloc_fault"
ok "$(one omv-pud0-3.18.txt)" "NO MATCH " "3.18 PGD/PUD 0 in remove_vma at a wild pointer"
ok "$(one zfs-pgd0-user-5.15.txt)" "NO MATCH " "5.15 zfs: PGD 0 P4D 0 at a user-space address"
ok "$(one popcorn-rsvd-5.2.txt)" "NO MATCH " "5.2 reserved-bit fault in the direct map (caller ids)"
ok "$(one fedora-listdel-ru-5.13.txt)" "NO MATCH " "5.13 list_del corruption BUG, journal with a Russian month"
ok "$(one bokasan-pgd0-4.19.txt)" "NO MATCH " "4.19 module writing its own unmapped shadow (PGD 0 P4D 0): predates the vmemmap sync gap (8d400913c231, v5.13)"
$bin --json "$logs/bokasan-pgd0-4.19.txt" | grep -q '"vmemmap_populate_unsynced":{"state":false,"detail":"4.19.0-amd64-desktop lacks 8d400913c231'
ok $? 0 "... and says why the stale-vmemmap signature cannot hold"
ok "$(one xen-lazy-mmu-7.0.txt)" "NO MATCH " "7.0 Xen lazy-MMU BUG in xen_leave_lazy_mmu, not in vmalloc_fault (new 'Oops: invalid opcode' and 'CPU: 0 UID: 0 PID:' forms)"
ok "$(one apply-range-bug-4.19.txt)" "NO MATCH " "4.19 kernel BUG in apply_to_page_range (Debian journal)"
# the stale-vmemmap family's own oopses, from its fix's message: no release in them, left to the dump
ok "$(one vmemmap-pmem-commitmsg.txt)" "RELATED VMF-STALE-VMEMMAP" "PGD 0 P4D 0 in __init_single_page under memremap_pages (6659d0279980's message)"
ok "$(one vmemmap-xe-commitmsg.txt)" "RELATED VMF-STALE-VMEMMAP" "PGD 0 P4D 0 in vmemmap_set_pmd ('Oops: Oops:' of 6.x, 6659d0279980's message)"
$bin --json "$logs/vmemmap-pmem-commitmsg.txt" | grep -q '"confidence":"text-only evidence, left to the dump: fault_in_vmemmap, fault_slot_missing, vmemmap_populate_unsynced"'
ok $? 0 "... the release, like the page tables, is left to the dump: named in the confidence"
$bin --json "$logs/seed-4.4-pmd.txt" | grep -q '"confidence":"text-only evidence, left to the dump: fault_in_direct_map, fault_phys_not_ram, large_pmd_frame, large_slot_unsynced"'
ok $? 0 "the confidence names every condition left to the dump whole (was cut to 'la')"
ok "$(one pebs-ip-user-4.13.txt)" "NO MATCH " "4.13 'IP: 0x55925f7d11ac' (no symbol) and a walk to a present PTE: the RIP is in no function, not unknown"
$bin --json "$logs/pebs-ip-user-4.13.txt" | grep -q '"rip_in_vmalloc_fault":{"state":false,"detail":"log line 3: RIP 000055925f7d11ac, which the kernel could not name'
ok $? 0 "... the unnamed RIP is read and said so"
for f in datto-i686-3.16 emgd-i686-3.13 zfs-i686-3.2; do
	ok "$(one $f.txt)" "NO MATCH " "$f: a 32-bit kernel's oops"
	$bin --json "$logs/$f.txt" | grep -q '"fault_in_direct_map":{"state":false,"detail":"[0-9a-f]\{8\} is printed 8 digits wide, by a 32-bit kernel'
	ok $? 0 "... its 8-digit fault address is called a 32-bit kernel's, not a user-space address"
done
ok "$(one gentoo-noncanon-3.4.txt)" "NO MATCH " "3.4 PUD 0 at a user address in next_tgid"
$bin --json "$logs/gentoo-noncanon-3.4.txt" | grep -q '"kernel":"3.4.9-gentoo".*"cpu":1,"pid":2779,"comm":"start-stop-daem"'
ok $? 0 "... the pre-3.10 'Pid: N, comm:' and 'CPU N' lines give release, CPU, PID and command"
ok "$(one xen-3.8.txt | cut -d' ' -f1)" RELATED "3.8 Xen BUG in vmalloc_fault stays RELATED"
$bin --json "$logs/xen-3.8.txt" | grep -q '"recommendation":"Apply 1160c2779b82 .*: 3.8.0 lacks 1160c2779b82'
ok $? 0 "... and its release, from the 'Pid:' line, places it before 1160c2779b82"
ok "$(one grsec-pud0-split-4.x.txt)" "NO MATCH " "4.x PGD and PUD 0 on separate journal lines, in __fput"
ok "$(one optoe-split-pt-4.9.txt)" "NO MATCH " "4.9 page-table line cut by timestamps, a present PTE, in i2c code"
ok "$(one sparc64-bug-4.15.txt)" "NO MATCH " "sparc64 kernel BUG in apply_to_page_range (TPC:, not x86)"
ok "$(one gpf-noncanon-5.15.txt)" "NO MATCH " "5.15 GPF at a non-canonical address in __kmalloc ('Comm: ufep Kdump: loaded')"
ok "$(one gpf-grsec-4.x.txt)" "NO MATCH " "4.x GPF, its first line only"
# the factory's oops-sysrq-6.1 console: the oops did not panic, sysrq did later
ok "$(one oops-then-sysrq-6.1.txt)" "MATCH VMF-LARGE-PMD" "an oops with panic_on_oops=0, then sysrq-c: the oops is diagnosed"
$bin --json "$logs/oops-then-sysrq-6.1.txt" | grep -q '"notes":\["log line 12: sysrq forced a crash after the oops of line 2: that oops did not panic'
ok $? 0 "... and a note says the panic was forced later with sysrq, not the oops'"
for f in chv-acpi-vmalloc-6.1 zfs-pud0-direct-6.5 omv-pud0-3.18 zfs-pgd0-user-5.15 popcorn-rsvd-5.2 \
	 fedora-listdel-ru-5.13 bokasan-pgd0-4.19 xen-lazy-mmu-7.0 apply-range-bug-4.19 vmemmap-pmem-commitmsg \
	 vmemmap-xe-commitmsg pebs-ip-user-4.13 datto-i686-3.16 emgd-i686-3.13 zfs-i686-3.2 gentoo-noncanon-3.4 \
	 grsec-pud0-split-4.x optoe-split-pt-4.9 sparc64-bug-4.15 gpf-noncanon-5.15 gpf-grsec-4.x; do
	grep -q '^# source: http' "$logs/$f.txt"; ok $? 0 "$f.txt names its public source"
	[ "$(one $f.txt)" != "MATCH " ] && ! one $f.txt | grep -q '^MATCH'; ok $? 0 "look-alike $f is never a MATCH"
done
$bin --json "$logs/seed-4.x-mail.txt" | grep -q '"mode":"text-only"'; ok $? 0 "text results say text-only"
$bin --json "$logs/seed-4.x-mail.txt" | grep -q 'text-only evidence'; ok $? 0 "text results carry the lower confidence"
$bin --json "$logs/seed-4.x-mail.txt" >/dev/null; ok $? 1 "exit 1 when something matched"
$bin --json "$logs/null-deref-6.1.txt" >/dev/null; ok $? 0 "exit 0 when nothing matched"
$bin --json "$logs/garbage.txt" >/dev/null; ok $? 2 "exit 2 on an input error"
$bin >/dev/null 2>&1; ok $? 64 "exit 64 on a usage error"
$bin --json /nonexistent/file | grep -q '"error":"cannot open'; ok $? 0 "a missing path is a one-line error"

# issue 14: the table says what to do (FIX, and its reason under the row); -v prints the whole report
table=$($bin "$logs/pud-4.4-entry-in-reg.txt" "$logs/seed-4.4-pmd.txt" "$logs/null-deref-6.1.txt")
ok "$(echo "$table" | head -1 | tr -s ' ')" "VERDICT SIGNATURE KERNEL FIX PATH" "the table has a FIX column"
fixcol() { cut -c64-88 | sed 's/ *$//'; }   # the FIX column: after VERDICT (12), SIGNATURE (22), KERNEL (26)
ok "$(echo "$table" | grep 'pud-4.4-entry-in-reg' | fixcol)" "upgrade to >= 4.4.123" \
	"4.4.1, CONFIG_HUGETLBFS unknown: FIX says the release that has both fixes"
echo "$table" | grep -A1 'pud-4.4-entry-in-reg' | tail -1 | grep -q '^ \{13\}4.4.1 lacks f4eafd8bcd52: fixed in 4.4.3'
ok $? 0 "... and the reason is the line under it: $(echo "$table" | grep -A1 'pud-4.4-entry-in-reg' | tail -1 | cut -c14-90)"
ok "$(echo "$table" | grep 'seed-4.4-pmd' | fixcol)" "f4eafd8bcd52+18a955219bf7" "4.4.0-21-generic (patch level unknown): both commits"
ok "$(echo "$table" | grep -c 'null-deref')" 1 "NO MATCH: '-' and no reason line"
ok "$($bin --json "$logs/seed-4.4-pmd.txt" | python3 -c 'import json,sys; print(json.load(sys.stdin)["report"]["short_fix"]["fix"])')" \
	"f4eafd8bcd52+18a955219bf7" "the JSON report carries short_fix, the FIX column's source"
explain=$($bin -v "$logs/seed-4.4-pmd.txt")
echo "$explain" | grep -q '^=== .*seed-4.4-pmd.txt: MATCH VMF-LARGE-PMD$'; ok $? 0 "-v: each input's report after the table, headed by its path"
diff <(echo "$explain" | sed -n '/^=== /,$p' | tail -n +2) \
	<(python3 - "$bin" "$logs/seed-4.4-pmd.txt" <<'PY'
import json, subprocess, sys
# the text report must be the one --json -v carries for the same input
line = subprocess.run([sys.argv[1], "--json", "-v", sys.argv[2]], stdout=subprocess.PIPE).stdout.decode()
print(json.loads(line)["explain"], end="")
PY
) > /dev/null; ok $? 0 "-v: the table's report text is the JSON line's explain, word for word"
echo "$explain" | grep -q '^CONDITIONS (VMF-LARGE-PMD)'; ok $? 0 "-v: the report is the full one (its conditions)"

cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
if [ -f "$cache/vmcores/index.tsv" ]; then
	tmp=$(mktemp -d)
	head -c 200000 "$(cut -f3 "$cache/vmcores/index.tsv" | head -1)" > "$tmp/truncated.vmcore"
	head -c 100000 /dev/urandom > "$tmp/random.vmcore"
	printf 'KDUMP   ' > "$tmp/header-only.vmcore"
	kd=$(grep "^seed-pud-5.10-kdump-zlib	" "$cache/vmcores/index.tsv" | cut -f3)
	head -c $(($(stat -c %s "$kd") / 2)) "$kd" > "$tmp/half-kdump.vmcore"
	VMFAULT_SO=$PWD/build/vmfault.so $bin --json -j 2 -t 300 --vmlinux-dir "$cache/kernels" "$cache/vmcores" "$tmp" > "$tmp/out.json"
	while IFS=$'\t' read -r id vmlinux vmcore truth; do
		exp=$(sed -n 's/.*"expected_verdict": *"\([^"]*\)".*/\1/p' "$truth")
		got=$(grep "\"path\":\"$cache/vmcores/$id\"" "$tmp/out.json" | field verdict)
		ok "$got" "$exp" "triage of vmcore $id"
	done < "$cache/vmcores/index.tsv"
	for b in truncated random header-only half-kdump; do
		line=$(grep "\"path\":\"$tmp/$b.vmcore\"" "$tmp/out.json")
		ok "$(echo "$line" | field verdict)" ERROR "broken dump $b: $(echo "$line" | field error)"
	done
	# other architectures, by their own headers: an ELF core for EM_AARCH64, and the
	# kdump-compressed and flattened factory dumps with utsname.machine rewritten
	tests/fakedump.py elf-arm64 "$tmp/elf-arm64.vmcore"
	tests/fakedump.py machine "$kd" "$tmp/kdump-s390x.vmcore" s390x
	tests/fakedump.py machine "$(cut -f3 "$cache/vmcores/index.tsv" | head -1)" "$tmp/flat-s390x.vmcore" s390x
	for b in elf-arm64:aarch64 kdump-s390x:s390x flat-s390x:s390x; do
		f=${b%%:*}; arch=${b#*:}
		line=$($bin --json "$tmp/$f.vmcore")
		ok "$(echo "$line" | field error)" "the dump is for $arch: vmfault diagnoses x86_64 dumps only" "$f: the architecture is named from the dump's header"
	done
	for b in truncated half-kdump; do
		grep "\"path\":\"$tmp/$b.vmcore\"" "$tmp/out.json" | field error | grep -q '^truncated: '
		ok $? 0 "a truncated dump ($b) is called truncated, not left to crash's silence"
	done
	! grep -q 'index.tsv' "$tmp/out.json"; ok $? 0 "a file under a directory named vmcores is not taken for a dump"
	grep -q '"build_id":"[0-9a-f]\{40\}"' "$tmp/out.json"; ok $? 0 "VMCOREINFO BUILD-ID read (libkdumpfile, flattened reader)"
	for id in seed-pud-5.10 seed-pud-5.10-kdump-lzo seed-pud-5.10-kdump-zlib; do
		k=$(grep "\"path\":\"$cache/vmcores/$id\"" "$tmp/out.json" | field kernel)
		ok "$k" "$(basename "$(grep "^$id	" "$cache/vmcores/index.tsv" | cut -f2)" | sed 's/^vmlinux-//')" "kernel release of $id from its VMCOREINFO"
	done

	# issue 14 on a dump: FIX from the extension's short_fix; -v runs crash's vmfault -v too
	sp=$(grep "\"path\":\"$cache/vmcores/seed-pud-5.10\"" "$tmp/out.json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["report"]["short_fix"]["fix"])')
	[ -n "$sp" ] && [ "$sp" != "-" ]; ok $? 0 "seed-pud-5.10 (direct engine): short_fix is in its vmfault -j report ($sp)"
	VMFAULT_SO=$PWD/build/vmfault.so $bin -v --vmlinux-dir "$cache/kernels" "$cache/vmcores/seed-pud-5.10" > "$tmp/explain" 2>&1
	ok "$(grep "seed-pud-5.10 *$" "$tmp/explain" | head -1 | fixcol)" "$sp" "the table's FIX for the dump is its short_fix"
	grep -q "^=== $cache/vmcores/seed-pud-5.10: MATCH VMF-LARGE-PUD" "$tmp/explain" && grep -q '^VERDICT: MATCH VMF-LARGE-PUD' "$tmp/explain" &&
		grep -q 'mms lacking it: ' "$tmp/explain"
	ok $? 0 "-v on a dump: the vmfault -v report (with the dump's own evidence: the mms lacking the slot)"
	VMFAULT_SO=$PWD/build/vmfault.so $bin --engine crash -v --vmlinux-dir "$cache/kernels" "$cache/vmcores/seed-pud-5.10" > "$tmp/explain" 2>&1
	grep -q '^VERDICT: MATCH VMF-LARGE-PUD' "$tmp/explain" && grep -q 'mms lacking it: ' "$tmp/explain" && grep -q 'OOPS (crash log' "$tmp/explain"
	ok $? 0 "-v --engine crash on a dump: crash's vmfault -v report"

	# the wrong vmlinux: same release name, another build: refused by BUILD-ID, not handed to crash
	one=$(grep "^seed-pud-5.10	" "$cache/vmcores/index.tsv")
	other=$(grep -v "^seed-pud-5.10	" "$cache/vmcores/index.tsv" | grep 6.1 | head -1 | cut -f2)
	rel=$(basename "$(cut -f2 <<<"$one")" | sed 's/^vmlinux-//')
	mkdir -p "$tmp/wrong" "$tmp/dumps/seed"
	ln -s "$other" "$tmp/wrong/vmlinux-$rel"
	ln -s "$(cut -f3 <<<"$one")" "$tmp/dumps/seed/vmcore"
	line=$($bin --engine crash --json --vmlinux-dir "$tmp/wrong" "$tmp/dumps/seed")
	echo "$line" | field error | grep -q "no vmlinux matches the dump's BUILD-ID"; ok $? 0 "wrong vmlinux refused: $(echo "$line" | field error)"
	# the direct engine reads the dump alone instead (tier 2), and says why
	line=$($bin --json --vmlinux-dir "$tmp/wrong" "$tmp/dumps/seed")
	ok "$(echo "$line" | field verdict):$(echo "$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tier"])')" "MATCH:2" \
		"wrong vmlinux: the direct engine answers at tier 2"
	echo "$line" | python3 -c 'import json,sys; sys.exit("no vmlinux matches the dump" not in json.load(sys.stdin)["tier_falls"])'
	ok $? 0 "... and its tier_falls names the refused vmlinux"

	# --resume: current results are reused, a changed dump is run again, errors are retried
	cp "$(cut -f3 <<<"$one")" "$tmp/dumps/seed/vmcore.copy" && mv -f "$tmp/dumps/seed/vmcore.copy" "$tmp/dumps/seed/vmcore"
	cp "$logs/seed-5.10-pud.txt" "$tmp/dumps/console.txt"
	args=(--json -j 2 --vmlinux-dir "$cache/kernels" -o "$tmp/results.jsonl")
	VMFAULT_SO=$PWD/build/vmfault.so $bin "${args[@]}" "$tmp/dumps" "$tmp/random.vmcore" >/dev/null 2>&1
	ok "$(wc -l < "$tmp/results.jsonl")" 3 "-o writes one line per input"
	VMFAULT_SO=$PWD/build/vmfault.so $bin "${args[@]}" --resume "$tmp/dumps" "$tmp/random.vmcore" >"$tmp/r2" 2>"$tmp/r2.err"
	grep -q "2 of 3 results were current" "$tmp/r2.err"; ok $? 0 "--resume reuses the dump and the log, retries the error: $(cat "$tmp/r2.err")"
	ok "$(field verdict < "$tmp/r2" | sort | tr '\n' ' ')" "ERROR MATCH MATCH " "--resume prints the reused verdicts"
	touch "$tmp/dumps/seed/vmcore"
	VMFAULT_SO=$PWD/build/vmfault.so $bin "${args[@]}" --resume "$tmp/dumps" "$tmp/random.vmcore" >/dev/null 2>"$tmp/r3.err"
	grep -q "1 of 3 results were current" "$tmp/r3.err"; ok $? 0 "--resume runs a changed dump again"
	ok "$(grep -c '"verdict":"MATCH"' "$tmp/results.jsonl")" 2 "the results file holds the rerun result"
	rm -rf "$tmp"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
