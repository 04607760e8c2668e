#!/usr/bin/env bash
# vmfault-triage on the factory's kdump scenario laid out as each distribution's
# kdump saves it: kexec-tools (vmcore, vmcore.flat, vmcore-incomplete beside
# vmcore-dmesg.txt), kdump-tools (dump.<STAMP> flattened or rearranged, whole-stream
# gzip/bzip2/lz4/xz and zstd, dump-incomplete[.gz], FTP's side-by-side crashes),
# SUSE (vmcore with dmesg, README.txt and the kernel copied beside it).  Each crash
# directory must give one result with the dump's verdict, kind, layout and notes;
# the text beside the dump is saved the way kdump-tools saves it (makedumpfile
# --dump-dmesg).  Layouts are built in a temporary directory, never in the cache.
# Starts crash: run it under the heavy lock when others share the machine.
set -u
cd "$(dirname "$0")/../.."
bin=$PWD/build/vmfault-triage
so=$PWD/build/vmfault.so
pass=0; fail=0
ok() { if [ "$1" = "$2" ]; then pass=$((pass+1)); echo "PASS: $3"; else fail=$((fail+1)); echo "FAIL: $3: got '$1', expected '$2'"; fi; }
cache=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
id=seed-pud-5.10-kdump-zlib
row=$(grep "^$id	" "$cache/vmcores/index.tsv" 2>/dev/null)
if [ -z "$row" ] || [ ! -x "$bin" ]; then
	echo "FAIL: needs build/vmfault-triage and the factory's $id (make all; tests/vmcores/generate.sh)"
	echo "0 passed, 1 failed"
	exit 1
fi
vmlinux=$(cut -f2 <<<"$row"); kd=$(cut -f3 <<<"$row"); truth=$(cut -f4 <<<"$row")
rel=$(basename "$vmlinux" | sed 's/^vmlinux-//')
exp_v=$(sed -n 's/.*"expected_verdict": *"\([^"]*\)".*/\1/p' "$truth")
exp_s=$(sed -n 's/.*"expected_signature": *"\([^"]*\)".*/\1/p' "$truth")
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cdir=$tmp/cache; ucache=$cdir/unpacked

# the flattened stream: the one the guest's makedumpfile -F wrote when the factory kept it,
# else made again from the dump by makedumpfile -F
flat=$(grep "^$id	" "$cache/vmcores/flat.tsv" 2>/dev/null | cut -f2)
if [ -z "$flat" ] || [ ! -f "$flat" ]; then
	flat=$tmp/src.flat
	makedumpfile -F -c -d 31 "$kd" > "$flat" 2>"$tmp/mkflat.log" || { cat "$tmp/mkflat.log"; exit 1; }
fi
head -c 12 "$flat" | grep -q makedumpfile; ok $? 0 "the flattened stream is one ($flat)"
makedumpfile --dump-dmesg "$kd" "$tmp/src.dmesg" >/dev/null 2>&1
grep -q 'BUG: unable to handle page fault' "$tmp/src.dmesg"; ok $? 0 "makedumpfile --dump-dmesg saved the oops, as kdump-tools does"
# what the text alone gives (text-only results cannot tell a pud from a pmd): the text-only rows' verdict
tv=$("$bin" --json "$tmp/src.dmesg" | jq -r '"\(.verdict) \(.signature)"')
ok "${tv%% *}" "$exp_v" "the saved text alone gives the dump's verdict ($tv)"
cut_at() { head -c $(($(stat -c %s "$1") * $2 / 100)) "$1"; }

L=$tmp/layouts; S=202611300105
mk() { mkdir -p "$L/$1"; }
# kexec-tools
mk fedora/127.0.0.1-2026-11-30-01:05:00
cp "$kd" "$L/fedora/127.0.0.1-2026-11-30-01:05:00/vmcore"
cp "$tmp/src.dmesg" "$L/fedora/127.0.0.1-2026-11-30-01:05:00/vmcore-dmesg.txt"
echo "[    0.000000] Linux version of the capture kernel" > "$L/fedora/127.0.0.1-2026-11-30-01:05:00/kexec-dmesg.log"
mk fedora-ssh/10.0.0.7-2026-11-30-01:05:00
cp "$flat" "$L/fedora-ssh/10.0.0.7-2026-11-30-01:05:00/vmcore.flat"
cp "$tmp/src.dmesg" "$L/fedora-ssh/10.0.0.7-2026-11-30-01:05:00/vmcore-dmesg.txt"
mk fedora-incomplete/127.0.0.1-2026-11-30-01:05:00
cp "$kd" "$L/fedora-incomplete/127.0.0.1-2026-11-30-01:05:00/vmcore-incomplete"
cp "$tmp/src.dmesg" "$L/fedora-incomplete/127.0.0.1-2026-11-30-01:05:00/vmcore-dmesg.txt"
# kdump-tools: flattened, rearranged, each KDUMP_COMPRESSION and zstd
mk debian-flat/$S; cp "$flat" "$L/debian-flat/$S/dump.$S"
mk debian-rearranged/$S; cp "$kd" "$L/debian-rearranged/$S/dump.$S"
for c in gzip:gz bzip2:bz2 lz4:lz4 xz:xz zstd:zst; do
	tool=${c%%:*}; ext=${c#*:}
	mk debian-$tool/$S
	$tool -c < "$flat" > "$L/debian-$tool/$S/dump.$S.$ext" 2>/dev/null
done
mk debian-incomplete/$S; cut_at "$flat" 60 > "$L/debian-incomplete/$S/dump-incomplete"
mk debian-incomplete-gz/$S; gzip -c < "$flat" > "$tmp/full.gz"; cut_at "$tmp/full.gz" 60 > "$L/debian-incomplete-gz/$S/dump-incomplete.gz"
mk debian-incomplete-notext/$S; cut_at "$flat" 60 > "$L/debian-incomplete-notext/$S/dump-incomplete"
for d in debian-flat debian-rearranged debian-gzip debian-bzip2 debian-lz4 debian-xz debian-zstd debian-incomplete debian-incomplete-gz; do
	cp "$tmp/src.dmesg" "$L/$d/$S/dmesg.$S"
done
# the saved text of another oops than the dump's: the fault address one page on
mk debian-disagree/$S; cp "$kd" "$L/debian-disagree/$S/dump.$S"
fa=$(sed -n 's/.*"fault_addr": *"0x\([0-9a-f]*\)".*/\1/p' "$truth")
other=$(printf '%x' $((0x$fa + 0x1000)))
sed "s/$fa/$other/g" "$tmp/src.dmesg" > "$L/debian-disagree/$S/dmesg.$S"
# kdump-tools over FTP: crashes side by side, and a text whose dump was never saved
mk ftp; cp "$kd" "$L/ftp/10.0.0.7-dump.$S"; cp "$tmp/src.dmesg" "$L/ftp/10.0.0.7-dmesg.$S"
cp "$tmp/src.dmesg" "$L/ftp/10.0.0.9-dmesg.202611300212"
# SUSE: README.txt as kdump-save leaves it, and as it is while the dump is being saved
mk suse-incomplete/2026-11-30-01:05; cut_at "$flat" 60 > "$L/suse-incomplete/2026-11-30-01:05/vmcore"
cp "$tmp/src.dmesg" "$L/suse-incomplete/2026-11-30-01:05/dmesg"
printf 'This file will be overwritten when the dump is finished.\nIf you see this text the crash dump is likely incomplete.\n' \
	> "$L/suse-incomplete/2026-11-30-01:05/README.txt"

# (copies, never links: discovery takes a file met twice once)
# one batch for all of them but SUSE's kernel beside the dump, by each engine: the direct
# engine (the default) and crash must give the same results
# a key of the result itself, never one of its report's ("kind" is in both)
field() { jq -r --arg k "$1" '.[$k] // ""'; }
lit() { jq -r --arg k "$1" '.[$k]'; }
V="$exp_v $exp_s"
for eng in direct crash; do
E="[$eng] "
all=$tmp/all-$eng.json
VMFAULT_SO=$so "$bin" --json -j 2 --engine $eng --cache-dir "$cdir" --vmlinux-dir "$cache/kernels" "$L" > "$all" 2>"$tmp/all-$eng.err"
line() { grep "\"path\":\"$L/$1\"" "$all"; }
check() { # dir-relative-path label verdict mode layout compression incomplete
	local j want; j=$(line "$1")
	ok "$(grep -c "\"path\":\"$L/${1%%/*}/" "$all")" 1 "$E$2: one result for the crash directory"
	ok "$(field verdict <<<"$j") $(field signature <<<"$j")" "$3" "$E$2: verdict"
	ok "$(field kind <<<"$j")/$(field mode <<<"$j")/$(field kdump_layout <<<"$j")" "kdump-dir/$4/$5" "$E$2: kind, mode, kdump_layout"
	ok "$(field compression <<<"$j")/$(lit incomplete <<<"$j")" "$6/$7" "$E$2: compression, incomplete"
	# the engine that answered: the one asked for (the direct engine at tier 1), or the text's
	want="text/4"; [ "$4" = dump ] && { want="$eng/"; [ $eng = direct ] && want=direct/1; }
	ok "$(field engine <<<"$j")/$(field tier <<<"$j")" "$want" "$E$2: engine, tier"
}
check fedora/127.0.0.1-2026-11-30-01:05:00 "kexec-tools vmcore" "$V" dump kexec-tools "" false
check fedora-ssh/10.0.0.7-2026-11-30-01:05:00 "kexec-tools vmcore.flat" "$V" dump kexec-tools "" false
check fedora-incomplete/127.0.0.1-2026-11-30-01:05:00 "kexec-tools vmcore-incomplete, whole" "$V" dump kexec-tools "" true
line fedora-incomplete/127.0.0.1-2026-11-30-01:05:00 | grep -q 'whole by its own headers'; ok $? 0 "${E}vmcore-incomplete, whole: the note says the engine read it whole"
check debian-flat/$S "kdump-tools flattened" "$V" dump kdump-tools "" false
check debian-rearranged/$S "kdump-tools rearranged" "$V" dump kdump-tools "" false
for c in gzip bzip2 lz4 xz zstd; do
	check debian-$c/$S "kdump-tools $c" "$V" dump kdump-tools $c false
	line debian-$c/$S | grep -q "$c-compressed as a whole: read through a [0-9.]* MiB decompressed copy"; ok $? 0 "${E}kdump-tools $c: the note names the decompressed copy"
done
check debian-incomplete/$S "kdump-tools dump-incomplete, cut" "$tv" text-only kdump-tools "" true
line debian-incomplete/$S | field fallback | grep -q '^truncated: '; ok $? 0 "${E}dump-incomplete, cut: the verdict is the text's, and the fallback says why"
line debian-incomplete/$S | grep -q "diagnosed from its dmesg.$S"; ok $? 0 "${E}dump-incomplete, cut: the report names the text it was diagnosed from"
check debian-incomplete-gz/$S "kdump-tools dump-incomplete.gz, cut" "$tv" text-only kdump-tools gzip true
line debian-incomplete-gz/$S | field fallback | grep -q '^the gzip stream ends early'; ok $? 0 "${E}dump-incomplete.gz, cut: the fallback says the stream ends early"
j=$(line debian-incomplete-notext/$S)
ok "$(field verdict <<<"$j")/$(lit incomplete <<<"$j")" "ERROR/true" "${E}dump-incomplete without a text: an ERROR, marked incomplete"
field error <<<"$j" | grep -q "save did not finish and what it holds cannot be read (truncated: .*); no text was saved"; ok $? 0 "${E}dump-incomplete without a text: the error explains ($(field error <<<"$j"))"
check debian-disagree/$S "kdump-tools, the text of another oops" "$V" dump kdump-tools "" false
line debian-disagree/$S | grep -q "the dump's log and dmesg.$S disagree: fault address 0x$fa in the dump's log, 0x$other in the text"; ok $? 0 "${E}dump and text disagree: the note names the fault addresses"
! line debian-flat/$S | grep -q "the dump's log and dmesg.$S disagree"; ok $? 0 "${E}dump and its own text agree: no disagreement note"
j=$(grep "\"path\":\"$L/ftp/10.0.0.7-dump.$S\"" "$all")
ok "$(field verdict <<<"$j")/$(field mode <<<"$j")/$(field text <<<"$j")" "$exp_v/dump/$L/ftp/10.0.0.7-dmesg.$S" "${E}FTP: the dump with its own host's text, under the dump's path"
j=$(grep "\"path\":\"$L/ftp/10.0.0.9-dmesg.202611300212\"" "$all")
ok "$(field kind <<<"$j")/$(field verdict <<<"$j") $(field signature <<<"$j")" "text/$tv" "${E}FTP: a text whose dump was never saved is its own input"
ok "$(grep -c "\"path\":\"$L/ftp/" "$all")" 2 "${E}FTP: two inputs, no third for the claimed text"
check suse-incomplete/2026-11-30-01:05 "SUSE, README says incomplete" "$tv" text-only suse-kdump "" true
line suse-incomplete/2026-11-30-01:05 | grep -q 'README.txt: \\"If you see this text the crash dump is likely incomplete'; ok $? 0 "${E}SUSE incomplete: the note quotes README.txt"
! grep -q 'kexec-dmesg.log' "$all"; ok $? 0 "${E}kexec-dmesg.log (the capture kernel's log) is no input"
ok "$(ls -A "$ucache" 2>/dev/null | wc -l)" 0 "${E}no decompressed copy is left in the cache after the batch"
ok "$(grep -c . "$all")" 17 "${E}17 results: 16 crashes and a lone text"

done

# the table marks compressed and incomplete dumps
VMFAULT_SO=$so "$bin" --cache-dir "$cdir" --vmlinux-dir "$cache/kernels" "$L/debian-incomplete-gz" > "$tmp/table" 2>&1
grep -q "$L/debian-incomplete-gz/$S  (text-only: dmesg.$S, the gzip stream ends early.*)  (gzip)  (incomplete)" "$tmp/table"; ok $? 0 "table: (text-only: dmesg.$S, why) (gzip) (incomplete)"

# SUSE with the kernel kdump copied beside the dump, and no --vmlinux-dir
sd=$L/suse-kernel/2026-11-30-01:05
mkdir -p "$sd"; cp "$flat" "$sd/vmcore"; cp "$tmp/src.dmesg" "$sd/dmesg.txt"; : > "$sd/System.map-$rel"
printf 'Kernel crashdump\n----------------\ndmesg status: saved successfully\nvmcore status: saved successfully\n' > "$sd/README.txt"
gzip -1 -c "$vmlinux" > "$sd/vmlinux-$rel.gz"
for eng in direct crash; do
E="[$eng] "
j=$(VMFAULT_SO=$so "$bin" --json --engine $eng --cache-dir "$cdir" "$L/suse-kernel")
ok "$(grep -c . <<<"$j")" 1 "${E}SUSE with its kernel: one result"
ok "$(field verdict <<<"$j") $(field signature <<<"$j")/$(field mode <<<"$j")/$(field kdump_layout <<<"$j")" "$V/dump/suse-kdump" "${E}SUSE with its kernel: the dump's verdict, without --vmlinux-dir"
ok "$(field vmlinux <<<"$j")" "$sd/vmlinux-$rel.gz" "${E}SUSE: the vmlinux-<release>.gz beside the dump, checked by build-id"
who=crash; [ $eng = direct ] && who="the direct engine"
grep -q "the vmlinux is gzip-compressed: $who read its decompressed copy" <<<"$j"; ok $? 0 "${E}SUSE: $who read the vmlinux's decompressed copy"
want="crash/"; [ $eng = direct ] && want=direct/1
ok "$(field engine <<<"$j")/$(field tier <<<"$j")" "$want" "${E}SUSE: the kernel beside the dump is the engine's vmlinux (tier 1 for the direct engine)"
ok "$(ls -A "$ucache" | wc -l)" 0 "${E}SUSE: the vmlinux copy is removed after the job"
done

# --ptaudit (the direct engine's human report) reads a compressed dump through its copy too
VMFAULT_SO=$so "$bin" --ptaudit --cache-dir "$cdir" --vmlinux-dir "$cache/kernels" "$L/debian-gzip/$S/dump.$S.gz" > "$tmp/ptaudit" 2>&1
grep -q '^MMS: ' "$tmp/ptaudit"; ok $? 0 "--ptaudit on a gzip-compressed dump: the audit ($(head -c 80 "$tmp/ptaudit" | tr '\n' ' '))"
ok "$(ls -A "$ucache" | wc -l)" 0 "--ptaudit: the copy is removed after the report"

# bounded disk use: a size the container declares that does not fit is refused before writing;
# one it does not declare stops the copy at the limit
big=$((1 << 30))
mk space-xz; cp "$L/debian-xz/$S/dump.$S.xz" "$L/space-xz/dump.$S.xz"
j=$(VMFAULT_SO=$so "$bin" --json --cache-dir "$cdir" --keep-free $big --vmlinux-dir "$cache/kernels" "$L/space-xz")
field error <<<"$j" | grep -q "^decompressing needs [0-9.]* MiB (the xz index says) in $ucache: [0-9.]* MiB available, $big.0 MiB kept free"; ok $? 0 "xz: refused before writing, with the size needed ($(field error <<<"$j"))"
mk space-gz; cp "$L/debian-gzip/$S/dump.$S.gz" "$L/space-gz/dump.$S.gz"
j=$(VMFAULT_SO=$so "$bin" --json --cache-dir "$cdir" --keep-free $big --vmlinux-dir "$cache/kernels" "$L/space-gz")
field error <<<"$j" | grep -q "^decompressing needs at least [0-9.]* MiB (gzip's ISIZE, the size modulo 4 GiB)"; ok $? 0 "gzip: refused by its ISIZE, a lower bound ($(field error <<<"$j"))"
mk space-bz2; cp "$L/debian-bzip2/$S/dump.$S.bz2" "$L/space-bz2/dump.$S.bz2"
j=$(VMFAULT_SO=$so "$bin" --json --cache-dir "$cdir" --keep-free $big --vmlinux-dir "$cache/kernels" "$L/space-bz2")
field error <<<"$j" | grep -q "^decompressing stopped after 0.0 MiB: $ucache has [0-9.]* MiB available and keeps $big.0 MiB free (--keep-free); the bzip2 container does not say how much it needs"; ok $? 0 "bzip2: stopped at the limit ($(field error <<<"$j"))"
ok "$(ls -A "$ucache" | wc -l)" 0 "a refused or stopped copy leaves nothing behind"

# --resume: a current result is reused without decompressing; a copy a killed batch finished is reused
args=(--json --cache-dir "$cdir" -o "$tmp/res.jsonl" --vmlinux-dir "$cache/kernels")
VMFAULT_SO=$so "$bin" "${args[@]}" --resume "$L/debian-xz" >/dev/null 2>&1
VMFAULT_SO=$so "$bin" "${args[@]}" --resume "$L/debian-xz" > "$tmp/r2" 2>"$tmp/r2.err"
grep -q "1 of 1 results were current" "$tmp/r2.err"; ok $? 0 "--resume reuses the xz dump's result"
ok "$(ls -A "$ucache" | wc -l)/$(field verdict < "$tmp/r2")" "0/$exp_v" "--resume: nothing decompressed for a current result"
rm -f "$tmp/res.jsonl"
# (crash reads it long enough to be caught; the direct engine reads the same copy)
VMFAULT_SO=$so "$bin" "${args[@]}" --engine crash "$L/debian-zstd" >/dev/null 2>&1 &
tp=$!
for _ in $(seq 600); do ls "$ucache" 2>/dev/null | grep -q "dump.$S.zst$" && pgrep -P $tp -x crash >/dev/null && break; sleep 0.1; done
cp_=$(pgrep -P $tp -x crash)
kill -9 $tp; [ -n "$cp_" ] && kill -9 -- -"$cp_" 2>/dev/null; wait $tp 2>/dev/null
ok "$(ls "$ucache" | grep -c "dump.$S.zst$")" 1 "a killed batch leaves its finished copy"
j=$(VMFAULT_SO=$so "$bin" "${args[@]}" --resume "$L/debian-zstd" 2>/dev/null)
grep -q 'zstd-compressed as a whole: reused the [0-9.]* MiB decompressed copy' <<<"$j"; ok $? 0 "--resume reuses the finished copy instead of decompressing again"
ok "$(field verdict <<<"$j")/$(ls -A "$ucache" | wc -l)" "$exp_v/0" "--resume: the verdict, and the copy removed after its job"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
