#!/bin/busybox sh
# /init of the vmcore factory's guests (busybox, no userland otherwise).
# /vmf.conf (written by generate.sh) says what to do.  Every fact the host
# needs for truth.json is printed as "vmf_truth: key=value" on the console.
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
. /vmf.conf

truth() { echo "vmf_truth: $*" >/dev/kmsg; }

load_modules() { # the .ko files of /lib/modules/vmf in dependency order
	for m in $(cat /lib/modules/vmf/modules.order 2>/dev/null); do insmod /lib/modules/vmf/$m; done
}

# ---- the kdump capture kernel: write the dump, power off ----------------------
if [ -e /proc/vmcore ]; then
	load_modules
	sleep 1
	i=0
	for f in ${VMF_CAPTURE#kdump:}; do
		# elf: makedumpfile -E, as a core_collector writing ELF does
		case $f in zlib) opt=-c ;; lzo) opt=-l ;; snappy) opt=-p ;; zstd) opt=-z ;; elf) opt=-E ;; esac
		dev=/dev/vd$(echo abcdefgh | cut -c$((i + 1)))
		# -F: flattened format to a raw disk; the host turns it back with makedumpfile -R
		makedumpfile -F $opt -d 31 /proc/vmcore >$dev
		echo "vmf_capture: $f rc=$? to $dev" >/dev/kmsg
		i=$((i + 1))
	done
	sync
	truth kdump_done=1
	poweroff -f
fi

# ---- the panicking kernel --------------------------------------------------------
echo 1 >/proc/sys/kernel/sysrq
load_modules # qemu_fw_cfg: the kernel then writes its vmcoreinfo for -device vmcoreinfo
truth kernel_release=$(uname -r)
truth text=$(grep ' _text$' /proc/kallsyms | cut -d' ' -f1)
# the kernel clears the la57 flag when it does not use 5-level paging (no5lvl)
if grep -qw la57 /proc/cpuinfo; then truth guest_levels=5; else truth guest_levels=4; fi

if [ "$VMF_CAPTURE" != "${VMF_CAPTURE#kdump:}" ]; then
	kexec -p /boot/vmlinuz --initrd=/boot/initrd.img --append="$VMF_CAPTURE_CMDLINE" ||
		echo "vmf_error: kexec -p failed" >/dev/kmsg
	truth kexec_loaded=$(cat /sys/kernel/kexec_crash_loaded)
fi

# user processes alive at the panic (each its own mm)
i=0
while [ $i -lt "$VMF_PROCS" ]; do
	sleep 1000000 &
	i=$((i + 1))
done
truth spawned=$VMF_PROCS

if [ "$VMF_KO" != none ]; then
	if [ "$VMF_TASKSET" != - ]; then
		taskset -c "$VMF_TASKSET" insmod /lib/modules/vmf/$VMF_KO mode=$VMF_MODE
	else
		insmod /lib/modules/vmf/$VMF_KO mode=$VMF_MODE
	fi
	truth insmod_rc=$?
fi

# oops-sysrq: the oops (panic_on_oops=0) killed insmod; the panic comes later
if [ "$VMF_AFTER" = sysrq ] || [ "$VMF_AFTER" = oops-sysrq ]; then
	# an unrelated panic, from this shell (builtins only from here: a new
	# process would get the vmalloc slot back from init_mm)
	# no slot was removed: /init and its sleeps, all complete
	case $VMF_MODE in info | -) truth procs_total=$((VMF_PROCS + 1)) procs_lacking_slot=0 ;; esac
	# sysrq-c crashes on this shell's CPU: pin it to CPU 0, the one truth names (a
	# taskset that has exited by the panic is no process at the panic)
	taskset -p -c 0 $$ >/dev/null 2>&1
	truth panic_pid=$$ panic_comm=init panic_cpu=0
	echo c >/proc/sysrq-trigger
fi
if [ "$VMF_AFTER" = live ]; then
	# no panic at all: the host dumps the running guest, as `virsh dump --live` does
	# with a hung customer VM; crash then has no panic task
	case $VMF_MODE in info | -) truth procs_total=$((VMF_PROCS + 1)) procs_lacking_slot=0 ;; esac
	truth live_ready=1
	# the shell's own wait on the sleeps: no new process appears before the dump
	while :; do wait; done
fi
echo "vmf_error: the guest did not panic" >/dev/kmsg
poweroff -f
