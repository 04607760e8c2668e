#!/bin/bash
# generate.sh [SCENARIO...] - the vmfault test vmcore factory.
#
# For each scenario of scenarios.txt (all, or the ids/prefixes given), boot a
# Debian cloud kernel under qemu with a busybox initramfs that loads the test
# module (module/vmf_test.c), let the guest panic, take a kdump-compressed dump
# through the qemu monitor (or with kdump inside the guest), and write the
# ground truth the guest printed as truth.json.  Everything generated lives in
# ${VMFAULT_CACHE:-$HOME/.cache/vmfault}; nothing goes into git.
#
# Environment: VMFAULT_CACHE (cache dir), VMFAULT_JOBS (qemus at once, 2),
#              VMFAULT_TIMEOUT (seconds a guest gets to panic, 150),
#              VMFAULT_FORCE=1 (regenerate even if the inputs did not change).
# Exit status: 0 if every requested scenario has a valid dump, 1 otherwise.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${VMFAULT_CACHE:-$HOME/.cache/vmfault}
JOBS=${VMFAULT_JOBS:-2}
TIMEOUT=${VMFAULT_TIMEOUT:-150}
OUT=$CACHE/vmcores
# the host tools the factory needs (Debian package names)
HOST_PKGS="crash qemu-system-x86 makedumpfile kexec-tools busybox-static cpio zstd xz-utils
           socat binutils gcc make kmod libc-bin coreutils"

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }

# ---- host setup --------------------------------------------------------------

# The kernels come from bullseye (5.10) and bookworm (6.1); bullseye is pinned
# low so that nothing on the host is ever upgraded from it.
ensure_host() {
	[ "$(id -u)" = 0 ] || { log "not root: assuming the host tools are installed"; return 0; }
	local changed=0 missing=() p
	# through the archive (mirror, proxy) of the machine's own bookworm source, as setup-deps does
	. "$HERE/../apt-sources.sh"
	apt_add_bullseye / >&2 && changed=1
	for p in $HOST_PKGS; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
	done
	if [ $changed = 1 ] || [ ${#missing[@]} -gt 0 ] ||
	   [ -z "$(apt-cache search --names-only '^linux-image-5\.10\.0-[0-9]+-cloud-amd64-dbg$')" ]; then
		log "apt-get update"
		apt-get update -qq >&2 || log "apt-get update failed (continuing with the cache)"
	fi
	if [ ${#missing[@]} -gt 0 ]; then
		log "installing ${missing[*]}"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2 ||
			log "apt-get install failed"
	fi
}

# ---- kernels -------------------------------------------------------------------

# resolve_abi SERIES -> the newest N for which SERIES.0-N-cloud-amd64 has an
# -unsigned image, a -dbg image and headers in apt (falls back to the cache).
resolve_abi() {
	local series=$1 n best="" names var=VMF_ABI_${1//./_}
	# resolved once per run (main exports it for the parallel scenarios)
	[ -n "${!var:-}" ] && { echo "${!var}"; return 0; }
	names=$(apt-cache search --names-only "^linux-(image|headers)-${series//./\\.}\.0-[0-9]+-cloud-amd64" 2>/dev/null |
		awk '{print $1}')
	for n in $(grep -oE "^linux-image-${series//./\\.}\.0-[0-9]+-cloud-amd64-unsigned$" <<<"$names" |
			sed -E 's/.*\.0-([0-9]+)-cloud.*/\1/' | sort -n); do
		grep -qx "linux-image-$series.0-$n-cloud-amd64-dbg" <<<"$names" &&
		grep -qx "linux-headers-$series.0-$n-cloud-amd64" <<<"$names" && best=$n
	done
	if [ -z "$best" ]; then # offline: whatever the cache holds
		best=$(ls "$CACHE/debs" 2>/dev/null |
			sed -nE "s/^linux-image-${series//./\\.}\.0-([0-9]+)-cloud-amd64-dbg_.*/\1/p" | sort -n | tail -1)
	fi
	[ -n "$best" ] && echo "$best"
}

# deb PACKAGE [VERSION] -> path of its .deb in $CACHE/debs, downloading it if needed
deb() {
	local pkg=$1 ver=${2:-} f
	f=$(ls "$CACHE/debs/${pkg}_${ver:+$ver}"*.deb 2>/dev/null | sort -V | tail -1)
	if [ -z "$f" ]; then
		# (as root apt would warn that its _apt sandbox user cannot write the cache)
		(cd "$CACHE/debs" && apt-get -o APT::Sandbox::User="$(id -un)" download -q "$pkg${ver:+=$ver}" >&2) || return 1
		f=$(ls "$CACHE/debs/${pkg}_"*.deb 2>/dev/null | sort -V | tail -1)
	fi
	[ -n "$f" ] && echo "$f"
}

# prepare_kernel SERIES: extract image, vmlinux and headers into
# $CACHE/kernels/KREL and set KREL KROOT VMLINUX VMLINUZ KHDR.  The headers
# are made usable out of /usr/src: their Makefile includes the -common tree
# by absolute path, which is rewritten to the extracted copy.
prepare_kernel() {
	local series=$1 abi img dbg ver common p
	abi=$(resolve_abi "$series") || { log "no $series cloud kernel found in apt or the cache"; return 1; }
	KREL=$series.0-$abi-cloud-amd64
	KROOT=$CACHE/kernels/$KREL
	VMLINUX=$KROOT/usr/lib/debug/boot/vmlinux-$KREL
	VMLINUZ=$KROOT/boot/vmlinuz-$KREL
	KHDR=$KROOT/usr/src/linux-headers-$KREL
	[ -e "$KROOT/.extracted" ] && return 0
	mkdir -p "$CACHE/debs" "$KROOT"
	img=$(deb "linux-image-$KREL-unsigned") || return 1
	ver=$(dpkg-deb -f "$img" Version)
	dbg=$(deb "linux-image-$KREL-dbg" "$ver") || return 1
	log "extracting $KREL"
	dpkg-deb -x "$img" "$KROOT" || return 1
	# only the vmlinux of the 260 MB debug package: the module debug files are not needed
	dpkg-deb --fsys-tarfile "$dbg" | tar -x -C "$KROOT" "./usr/lib/debug/boot/vmlinux-$KREL" || return 1
	for p in "linux-headers-$KREL" "linux-headers-$series.0-$abi-common" "linux-kbuild-$series"; do
		p=$(deb "$p" "$ver") || return 1
		dpkg-deb -x "$p" "$KROOT" || return 1
	done
	# the relative scripts/tools symlinks already resolve inside $KROOT
	sed -i "s|^include /usr/src/|include $KROOT/usr/src/|" "$KHDR/Makefile"
	touch "$KROOT/.extracted"
}

# build_module BUILD(prefix|fixed) -> path of the .ko for the current kernel.
# Separate module names, so that the vmalloc_fault in a dump is the code that ran.
build_module() {
	local build=$1 name=vmf_test dir
	[ "$build" = fixed ] && name=vmf_test_fixed
	dir=$CACHE/build/$KREL/$build
	local sum
	sum=$(cat "$HERE/module/vmf_test.c" | sha256sum | cut -c1-16)
	if [ ! -e "$dir/$name.ko" ] || [ "$(cat "$dir/.src" 2>/dev/null)" != "$sum" ]; then
		rm -rf "$dir" && mkdir -p "$dir"
		cp "$HERE/module/vmf_test.c" "$dir/$name.c"
		{ echo "obj-m := $name.o"; [ "$build" = fixed ] && echo "ccflags-y := -DVMF_FIXED"; } >"$dir/Kbuild"
		# the Debian headers name gcc-10 for 5.10; bookworm only has gcc 12
		make -s -C "$KHDR" M="$dir" CC=gcc modules >"$dir/build.log" 2>&1 || {
			log "module build failed ($KREL $build): see $dir/build.log"; tail -20 "$dir/build.log" >&2
			return 1; }
		echo "$sum" >"$dir/.src"
	fi
	echo "$dir/$name.ko"
}

# copy_ko NAME DESTDIR: a kernel module of $KREL and its dependencies (modinfo
# reads them from the .ko itself: the image package has no modules.dep), in
# load order, appended to DESTDIR/modules.order.
copy_ko() {
	local name=$1 dest=$2 f dep
	grep -qx "$name.ko" "$dest/modules.order" 2>/dev/null && return 0
	f=$(find "$KROOT/lib/modules/$KREL" -name "$name.ko*" | head -1)
	[ -n "$f" ] || return 0 # built into the kernel: nothing to load
	for dep in $(modinfo -F depends "$f" | tr ',' ' '); do copy_ko "$dep" "$dest"; done
	case $f in
	*.xz) xz -dc "$f" >"$dest/$name.ko" ;;
	*.zst) zstd -qdc "$f" >"$dest/$name.ko" ;;
	*) cp "$f" "$dest/$name.ko" ;;
	esac
	echo "$name.ko" >>"$dest/modules.order"
}

# copy_bin PROG ROOT: a dynamic host binary and the shared libraries it needs
copy_bin() {
	local prog lib
	prog=$(command -v "$1") || return 1
	mkdir -p "$2/bin"
	cp "$prog" "$2/bin/"
	for lib in $(ldd "$prog" | grep -oE '/[^ ]+'); do
		mkdir -p "$2$(dirname "$lib")"
		cp -L "$lib" "$2$lib"
	done
}

# ---- scenarios -------------------------------------------------------------------

# fields of a scenarios.txt line (see the header of that file)
parse_line() {
	IFS='|' read -r S_ID S_KERNEL S_CPU S_SMP S_MEM S_KASLR S_BUILD S_MODE S_PROCS S_TASKSET \
		S_AFTER S_CAPTURE S_VERDICT S_SIG <<<"$1"
	local v
	for v in S_ID S_KERNEL S_CPU S_SMP S_MEM S_KASLR S_BUILD S_MODE S_PROCS S_TASKSET S_AFTER \
		S_CAPTURE S_VERDICT S_SIG; do
		printf -v "$v" '%s' "$(echo ${!v})" # trim
	done
}

# the ids a capture method produces: one per output format for kdump:FORMATS
# and qemu:FORMATS, the line's id for qemu
capture_ids() {
	case $S_CAPTURE in
	kdump:* | qemu:*) local f; for f in ${S_CAPTURE#*:}; do echo "$S_ID-$f"; done ;;
	*) echo "$S_ID" ;;
	esac
}

# capture_kind ID -> truth.json's capture of one output: qemu-dump (kdump-zlib
# from dump-guest-memory -z), qemu-elf (its ELF), qemu-live, kdump-FORMAT
capture_kind() {
	case $S_CAPTURE in
	kdump:*) echo "kdump-${1##*-}" ;;
	qemu:*) [ "${1##*-}" = elf ] && echo qemu-elf || echo qemu-dump ;;
	*) [ "$S_AFTER" = live ] && echo qemu-live || echo qemu-dump ;;
	esac
}

# make_initramfs WORKDIR KO: busybox, /init, /vmf.conf, the modules
make_initramfs() {
	local work=$1 ko=$2 root=$1/root
	rm -rf "$root" && mkdir -p "$root"/{bin,dev,proc,sys,tmp,lib/modules/vmf,boot}
	cp /bin/busybox "$root/bin/busybox"
	cp "$HERE/init.sh" "$root/init" && chmod +x "$root/init"
	copy_ko qemu_fw_cfg "$root/lib/modules/vmf"
	[ -n "$ko" ] && cp "$ko" "$root/lib/modules/vmf/"
	cat >"$root/vmf.conf" <<-EOF
	VMF_ID='$S_ID'
	VMF_MODE='$S_MODE'
	VMF_KO='$(basename "${ko:-none}")'
	VMF_PROCS='$S_PROCS'
	VMF_TASKSET='$S_TASKSET'
	VMF_AFTER='$S_AFTER'
	VMF_CAPTURE='$S_CAPTURE'
	EOF
	if [[ $S_CAPTURE == kdump:* ]]; then
		# the capture kernel boots the same vmlinuz and the same initramfs
		# (the copy inside lacks only itself) and writes to virtio disks
		for m in virtio_pci virtio_blk; do copy_ko $m "$root/lib/modules/vmf"; done
		copy_bin kexec "$root" && copy_bin makedumpfile "$root" || return 1
		cp "$VMLINUZ" "$root/boot/vmlinuz"
		echo "VMF_CAPTURE_CMDLINE='$(guest_cmdline) irqpoll nr_cpus=1 reset_devices'" >>"$root/vmf.conf"
		(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/inner.cpio" || return 1
		mkdir -p "$work/outer/boot"
		cp "$work/inner.cpio" "$work/outer/boot/initrd.img"
		# two concatenated archives: the kernel unpacks both
		{ cat "$work/inner.cpio"; (cd "$work/outer" && find . | cpio -o -H newc --quiet); } >"$work/initramfs.cpio"
	else
		(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/initramfs.cpio" || return 1
	fi
}

guest_cmdline() {
	local c="console=ttyS0 panic_on_oops=1 oops=panic panic=0 loglevel=7 printk.time=1"
	# the oops only kills insmod; the panic comes later, from /init
	[ "$S_AFTER" = oops-sysrq ] && c="console=ttyS0 panic_on_oops=0 panic=0 loglevel=7 printk.time=1"
	[ "$S_KASLR" = nokaslr ] && c="$c nokaslr"
	[[ $S_CPU == *+la57* ]] || c="$c no5lvl"
	echo "$c"
}

# monitor CMD: one human-monitor command over the unix socket, prints the reply
monitor() {
	printf '%s\n' "$1" | socat -t 2 - "UNIX-CONNECT:$WORK/mon.sock" 2>/dev/null | tr -d '\r'
}

# keep_flat DISK OUT: the flattened stream makedumpfile -F wrote on the raw disk,
# its bytes only (header, records, end marker; not the rest of the disk): the
# input of the direct reader's own rearrangement, checked against makedumpfile -R
keep_flat() {
	local end
	end=$(python3 - "$1" <<-'EOF'
	import struct, sys
	f = open(sys.argv[1], "rb")
	if f.read(12) != b"makedumpfile":
	    sys.exit("no flattened header")
	pos = 4096
	while True:
	    f.seek(pos)
	    h = f.read(16)
	    if len(h) < 16:
	        sys.exit("no end marker")
	    off, size = struct.unpack(">qq", h)
	    pos += 16
	    if off == -1 and size == -1:
	        break
	    if off < 0 or size <= 0:
	        sys.exit("damaged record at byte %d" % (pos - 16))
	    pos += size
	print(pos)
	EOF
	) || return 1
	head -c "$end" "$1" >"$2"
}

# run_qemu: boot, wait for the panic, dump. Sets FAIL_STEP on failure.
run_qemu() {
	local con=$WORK/console.log t=0 qpid disks=() f i=0 mem=$S_MEM
	local cmdline
	cmdline=$(guest_cmdline)
	rm -f "$con" "$WORK"/mon.sock "$WORK"/vmcore* "$WORK"/disk*.img
	if [[ $S_CAPTURE == kdump:* ]]; then
		cmdline="$cmdline crashkernel=256M"
		for f in ${S_CAPTURE#kdump:}; do
			truncate -s 1G "$WORK/disk$i.img"
			disks+=(-drive "file=$WORK/disk$i.img,format=raw,if=virtio")
			i=$((i + 1))
		done
	fi
	qemu-system-x86_64 -accel tcg -cpu "$S_CPU" -smp "$S_SMP" -m "$mem" \
		-nodefaults -display none -no-reboot \
		-kernel "$VMLINUZ" -initrd "$WORK/initramfs.cpio" -append "$cmdline" \
		-device vmcoreinfo "${disks[@]}" \
		-serial "file:$con" -monitor "unix:$WORK/mon.sock,server,nowait" \
		>"$WORK/qemu.log" 2>&1 &
	qpid=$!
	# kdump: the guest itself writes the dump and powers off
	if [[ $S_CAPTURE == kdump:* ]]; then
		while kill -0 $qpid 2>/dev/null && [ $t -lt $((TIMEOUT * 2)) ]; do sleep 1; t=$((t + 1)); done
		if kill -0 $qpid 2>/dev/null; then kill $qpid; wait $qpid; FAIL_STEP="no kdump within timeout"; return 1; fi
		grep -q 'Linux version' "$con" 2>/dev/null || { FAIL_STEP=boot; return 1; }
		# panic_on_oops: the oops goes straight to crash_kexec, before any "Kernel panic" line
		grep -aqE 'Kernel panic - not syncing|Oops: ' "$con" || { FAIL_STEP="no panic"; return 1; }
		grep -q 'vmf_truth: kdump_done' "$con" || { FAIL_STEP="dump capture (kdump)"; return 1; }
		i=0
		for f in ${S_CAPTURE#kdump:}; do
			makedumpfile -R "$WORK/vmcore-$f" <"$WORK/disk$i.img" >>"$WORK/capture.log" 2>&1 ||
				{ FAIL_STEP="dump capture (makedumpfile -R $f)"; return 1; }
			keep_flat "$WORK/disk$i.img" "$WORK/vmcore-$f.flat" 2>>"$WORK/capture.log" ||
				{ FAIL_STEP="dump capture (flattened stream $f)"; return 1; }
			rm -f "$WORK/disk$i.img"
			i=$((i + 1))
		done
		return 0
	fi
	# live: no panic; the guest says when it is ready to be dumped running
	local ready='Kernel panic - not syncing'
	[ "$S_AFTER" = live ] && ready='vmf_truth: live_ready'
	while kill -0 $qpid 2>/dev/null && [ $t -lt "$TIMEOUT" ]; do
		grep -q "$ready" "$con" 2>/dev/null && break
		sleep 1; t=$((t + 1))
	done
	if ! kill -0 $qpid 2>/dev/null; then
		wait $qpid
		grep -q 'Linux version' "$con" 2>/dev/null && FAIL_STEP="no panic (guest exited)" || FAIL_STEP=boot
		return 1
	fi
	if ! grep -q "$ready" "$con"; then
		grep -q 'Linux version' "$con" && FAIL_STEP="no panic within ${TIMEOUT}s" || FAIL_STEP=boot
		monitor quit >/dev/null; sleep 1; kill $qpid 2>/dev/null; wait $qpid
		return 1
	fi
	# the panic line comes before the end of its trace: let the console settle
	sleep 2
	local fmt opt out ok=1
	# qemu: one kdump-zlib dump (vmcore); qemu:FORMATS one per format (vmcore-FORMAT)
	for fmt in $([ "$S_CAPTURE" = qemu ] && echo single || echo "${S_CAPTURE#qemu:}"); do
		case $fmt in
		single | zlib) opt=-z ;;
		elf) opt="" ;; # as virsh dump --memory-only writes it (no -p: physical addresses only)
		*) FAIL_STEP="dump capture (qemu format $fmt)"; ok=0; break ;;
		esac
		out=$WORK/vmcore-$fmt
		[ $fmt = single ] && out=$WORK/vmcore
		monitor "dump-guest-memory -d $opt $out" >>"$WORK/capture.log"
		t=0
		while [ $t -lt 300 ]; do
			f=$(monitor "info dump")
			echo "$f" >>"$WORK/capture.log"
			grep -q 'Status: completed' <<<"$f" && break
			grep -q 'Status: failed' <<<"$f" && break
			sleep 1; t=$((t + 1))
		done
		grep -q 'Status: completed' <<<"$f" || { FAIL_STEP="dump capture (dump-guest-memory $fmt)"; ok=0; break; }
	done
	monitor quit >/dev/null
	sleep 1; kill $qpid 2>/dev/null; wait $qpid 2>/dev/null
	[ $ok = 1 ]
}

# fact KEY: the first "vmf_truth: ... KEY=VALUE" printed on the console
fact() {
	grep -a -o "vmf_truth: .*" "$WORK/console.log" | tr ' \r' '\n\n' | sed -n "s/^$1=//p" | head -1
}
# fact_last KEY: the last one (the panic task of oops-sysrq: /init, after insmod's oops)
fact_last() {
	grep -a -o "vmf_truth: .*" "$WORK/console.log" | tr ' \r' '\n\n' | sed -n "s/^$1=//p" | tail -1
}
# oops_fact KEY: the module's fact about the oopsing task, when the panic was another task's
oops_fact() { [ "$S_AFTER" = oops-sysrq ] && fact "$1"; }

# q VALUE: a JSON string, or null for an empty value
q() { if [ -n "$1" ] && [ "$1" != "-" ]; then printf '"%s"' "$1"; else printf null; fi; }
n() { if [ -n "$1" ]; then printf '%s' "$1"; else printf null; fi; }

# write_truth ID VMCORE CAPTURE: truth.json from the console and the vmlinux
write_truth() {
	local id=$1 vmcore=$2 capture=$3 text_rt text_link off fault levels
	text_rt=$(fact text)
	text_link=$(nm "$VMLINUX" | awk '$3 == "_text" {print $1; exit}')
	off=""
	[ -n "$text_rt" ] && off=$(printf '0x%x' $((0x$text_rt - 0x$text_link)))
	# the fault the oops reported (the module predicts it too, checked below)
	fault=$(grep -a -oE '(unable to handle page fault for address|NULL pointer dereference, address): [0-9a-f]+' \
		"$WORK/console.log" | head -1 | sed -E 's/.*: 0*([0-9a-f]+)$/0x\1/')
	levels=$(fact paging_levels)
	[ -n "$levels" ] || levels=$(fact guest_levels)
	cat <<-EOF
	{
	  "id": "$id",
	  "scenario": "$(sed -E 's/-(5\.10|6\.1)(-.*)?$//' <<<"$S_ID")",
	  "kernel_release": "$KREL",
	  "vmlinux": "$VMLINUX",
	  "vmcore": "$vmcore",
	  "capture": "$capture",
	  "paging_levels": $(n "$levels"),
	  "kaslr": $([ "$S_KASLR" = nokaslr ] && echo false || echo true),
	  "kaslr_offset": $(q "$off"),
	  "page_offset": $(q "$(fact page_offset)"),
	  "fault_addr": $(q "$fault"),
	  "vmalloc_addr": $(q "$(fact vmalloc_addr)"),
	  "top_slot": $(n "$(fact top_slot)"),
	  "large_phys": $(q "$(fact large_phys)"),
	  "large_size": $(n "$(fact large_size)"),
	  "leaf_level": $(q "$(fact leaf_level)"),
	  "vm_area_addr": $(q "$(fact vm_area_addr)"),
	  "vm_area_size": $(n "$(fact vm_area_size)"),
	  "procs_total": $(n "$(fact procs_total)"),
	  "procs_lacking_slot": $(n "$(fact procs_lacking_slot)"),
	  "panic_cpu": $(n "$(fact_last panic_cpu)"),
	  "panic_pid": $(n "$(fact_last panic_pid)"),
	  "panic_comm": $(q "$(fact_last panic_comm)"),
	  "oops_cpu": $(n "$(oops_fact panic_cpu)"),
	  "oops_pid": $(n "$(oops_fact panic_pid)"),
	  "oops_comm": $(q "$(oops_fact panic_comm)"),
	  "expected_verdict": $(q "$S_VERDICT"),
	  "expected_signature": $(q "$S_SIG")
	}
	EOF
}

# crash_check VMCORE: does crash open it and see the panic?
crash_check() {
	printf 'log\nquit\n' >"$WORK/crash.cmd"
	timeout 300 crash -s "$VMLINUX" "$1" -i "$WORK/crash.cmd" >"$WORK/crash-check.log" 2>&1 </dev/null
	# a live dump has no panic: crash must still read its log
	if [ "$S_AFTER" = live ]; then grep -q 'Linux version' "$WORK/crash-check.log"; return; fi
	grep -qE 'Kernel panic - not syncing|Oops: ' "$WORK/crash-check.log"
}

# input hash of a scenario: scripts, module source, kernel release, catalog line
inputs_hash() {
	cat "$HERE/generate.sh" "$HERE/init.sh" "$HERE/module/vmf_test.c" |
		{ cat; echo "$KREL"; echo "$1"; } | sha256sum | cut -c1-32
}

# run_scenario LINE: one scenario, end to end; prints "OK id" or "FAIL id: step"
run_scenario() {
	local line=$1 hash ko="" id vmcore t0=$SECONDS all_fresh=1
	parse_line "$line"
	prepare_kernel "$S_KERNEL" || { echo "FAIL $S_ID: kernel fetch/extract"; return 1; }
	hash=$(inputs_hash "$line")
	for id in $(capture_ids); do
		[ "$(cat "$OUT/$id/inputs.sha256" 2>/dev/null)" = "$hash" ] && [ -s "$OUT/$id/truth.json" ] &&
			[ -s "$OUT/$id/vmcore" ] || all_fresh=0
	done
	if [ $all_fresh = 1 ] && [ "${VMFAULT_FORCE:-0}" != 1 ]; then
		echo "OK $S_ID (up to date)"; return 0
	fi
	# out of the index until it is generated again
	for id in $(capture_ids); do rm -f "$OUT/$id/index.line" "$OUT/$id/flat.line"; done
	WORK=$CACHE/work/$S_ID
	rm -rf "$WORK" && mkdir -p "$WORK"
	FAIL_STEP=""
	if [ "$S_BUILD" != - ]; then
		ko=$(build_module "$S_BUILD") || { echo "FAIL $S_ID: module build"; return 1; }
	fi
	make_initramfs "$WORK" "$ko" >"$WORK/initramfs.log" 2>&1 || { echo "FAIL $S_ID: initramfs"; return 1; }
	if ! run_qemu; then
		echo "FAIL $S_ID: $FAIL_STEP (console: $WORK/console.log)"; return 1
	fi
	# a module that failed (and, with sysrq, a panic anyway) is not the scenario
	local rc
	rc=$(fact insmod_rc)
	if [ "$S_AFTER" = oops-sysrq ]; then
		# the oops must have killed insmod (panic_on_oops=0), not panicked
		if [ -z "$rc" ] || [ "$rc" = 0 ] || ! grep -aq 'Oops: ' "$WORK/console.log"; then
			echo "FAIL $S_ID: module run (no oops that insmod died of: exit ${rc:-none}, console: $WORK/console.log)"
			return 1
		fi
	elif [ -n "$rc" ] && [ "$rc" != 0 ]; then
		echo "FAIL $S_ID: module run (insmod exit $rc, console: $WORK/console.log)"; return 1
	fi
	# the seeds oops where the module said the walk would: __va(large frame) + index * 8
	if [[ $S_AFTER == - || $S_AFTER == oops-sysrq ]] && [ -n "$(fact fault_addr_if_walked)" ] &&
	   [ "$S_MODE" != stale-direct ] &&
	   ! grep -aq "unable to handle page fault for address: $(fact fault_addr_if_walked | sed 's/^0x0*//')" \
		"$WORK/console.log"; then
		echo "FAIL $S_ID: truth (the oops is not at $(fact fault_addr_if_walked))"; return 1
	fi
	for id in $(capture_ids); do
		local dir=$OUT/$id capture src=$WORK/vmcore
		capture=$(capture_kind "$id")
		[ "$S_CAPTURE" = qemu ] || src=$WORK/vmcore-${id##*-}
		if ! crash_check "$src"; then
			echo "FAIL $id: dump capture (crash cannot open it: $WORK/crash-check.log)"; return 1
		fi
		rm -rf "$dir" && mkdir -p "$dir"
		mv "$src" "$dir/vmcore"
		cp "$WORK/console.log" "$dir/console.log"
		cp "$WORK/crash-check.log" "$dir/crash-check.log"
		write_truth "$id" "$dir/vmcore" "$capture" >"$dir/truth.json"
		printf '%s\t%s\t%s\t%s\n' "$id" "$VMLINUX" "$dir/vmcore" "$dir/truth.json" >"$dir/index.line"
		# a kdump capture keeps its flattened stream too: flat.tsv lists it beside its vmcore
		if [ -s "$src.flat" ]; then
			mv "$src.flat" "$dir/vmcore.flat"
			printf '%s\t%s\t%s\n' "$id" "$dir/vmcore.flat" "$dir/vmcore" >"$dir/flat.line"
		fi
		echo "$hash" >"$dir/inputs.sha256"
		echo "OK $id ($((SECONDS - t0))s, $(du -h "$dir/vmcore" | cut -f1))"
	done
}

# ---- main ------------------------------------------------------------------------------
main() {
	local lines=() line want sel rc=0 pids=() p kv
	mkdir -p "$CACHE/debs" "$OUT"
	ensure_host
	# an argument is an exact id (of a line, or of one of its outputs such as
	# seed-pud-5.10-kdump-zlib) if there is one, else a prefix (seed-pud, la57)
	local ids=" $(while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		parse_line "$line"; echo "$S_ID"; capture_ids; done <"$HERE/scenarios.txt" | tr '\n' ' ')"
	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		parse_line "$line"
		if [ $# -gt 0 ]; then
			sel=0
			for want in "$@"; do
				if [[ $ids == *" $want "* ]]; then
					[[ " $S_ID $(capture_ids | tr '\n' ' ')" == *" $want "* ]] && sel=1
				else
					[[ $S_ID == "$want"-* ]] && sel=1
				fi
			done
			[ $sel = 1 ] || continue
		fi
		lines+=("$line")
	done <"$HERE/scenarios.txt"
	[ ${#lines[@]} -gt 0 ] || { log "no scenario matches: $*"; return 1; }
	# kernels and module builds once, before the qemus run in parallel
	for kv in $(for line in "${lines[@]}"; do parse_line "$line"; echo "$S_KERNEL"; done | sort -u); do
		prepare_kernel "$kv" || { log "kernel $kv: fetch/extract failed"; rc=1; continue; }
		log "kernel $kv = $KREL"
		export "VMF_ABI_${kv//./_}=$(sed -E 's/^[0-9.]+\.0-([0-9]+)-.*/\1/' <<<"$KREL")"
		build_module prefix >/dev/null; build_module fixed >/dev/null
	done
	mkdir -p "$CACHE/logs"
	: >"$CACHE/logs/results"
	for line in "${lines[@]}"; do
		parse_line "$line"
		while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
		log "start $S_ID"
		( run_scenario "$line" 2>"$CACHE/logs/$S_ID.err" | tee -a "$CACHE/logs/results" >&2 ) &
	done
	wait
	# the index: every generated dump of the catalog
	: >"$OUT/index.tsv"
	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		parse_line "$line"
		for want in $(capture_ids); do
			[ -s "$OUT/$want/index.line" ] && cat "$OUT/$want/index.line" >>"$OUT/index.tsv"
		done
	done <"$HERE/scenarios.txt"
	# the flattened streams kept beside their dumps (id, stream, vmcore): a separate
	# file, so that the readers of index.tsv's four columns are not touched
	: >"$OUT/flat.tsv"
	for want in $(cut -f1 "$OUT/index.tsv"); do
		[ -s "$OUT/$want/flat.line" ] && cat "$OUT/$want/flat.line" >>"$OUT/flat.tsv"
	done
	log "index: $OUT/index.tsv ($(wc -l <"$OUT/index.tsv") dumps, $(wc -l <"$OUT/flat.tsv") flattened streams)"
	if grep -q '^FAIL' "$CACHE/logs/results"; then
		log "failed:"; grep '^FAIL' "$CACHE/logs/results" >&2
		rc=1
	fi
	# the closing line test runners read
	echo "$(grep -c '^OK' "$CACHE/logs/results") passed, $(grep -c '^FAIL' "$CACHE/logs/results") failed"
	return $rc
}

main "$@"
