#!/bin/bash
# make blktests, inside the Debian guest: started by the root file
# system's /sbin/blktests-init (scripts/blktests-rootfs.sh) from the host's
# share, mounted on /host.  The share holds blktests, built (blktests/),
# the kernel's modules (modules/), its configuration (kconfig), the
# blktests config (config) and the tests to run (tests); the results go
# back to results/ there.  Progress goes to the console, which the host
# prints as it comes.

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root LANG=C.UTF-8

say() { echo "blktests-guest: $*"; }

mkdir -p /run /tmp /dev/pts /dev/shm
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
# what udev or systemd would make: bash's process substitution needs
# /dev/fd
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
mount -t configfs configfs /sys/kernel/config
mount -t debugfs debugfs /sys/kernel/debug
ip link set lo up

# The kernel's modules and configuration, where modprobe and blktests'
# _have_kernel_option look for them
rel=$(uname -r)
rm -rf "/lib/modules/$rel"
mkdir -p /lib/modules /boot
cp -a "/host/modules/lib/modules/$rel" /lib/modules/ ||
	say "no modules for $rel in the share"
cp /host/kconfig "/boot/config-$rel"

/lib/systemd/systemd-udevd --daemon
udevadm trigger --action=add
udevadm settle --timeout=60

# Run from the guest's own disk: blktests keeps the target's backing
# files in its results directory, and loop devices over 9p files would
# test 9p.
cp -a /host/blktests /root/blktests
cd /root/blktests || exit 1
read -r -a args < /host/tests
# One ./check per test, the results copied back after each, so that a run
# cut short by the host's time limit still leaves what it finished.
tests=()
for a in "${args[@]}"; do
	if [ -d "tests/$a" ]; then
		for t in tests/"$a"/[0-9][0-9][0-9]; do
			tests+=("${t#tests/}")
		done
	else
		tests+=("$a")
	fi
done
# each once, in the order first named ("nvme/058 nvme" puts it first)
mapfile -t tests < <(printf '%s\n' "${tests[@]}" | awk '!seen[$0]++')
say "kernel $rel, ${#tests[@]} tests: ${args[*]}"

copy_back() {
	mkdir -p /host/results
	(cd /root/results && find . -path '*/tmpdir*' -prune -o -type f -print0 |
		cpio -0 -pdmu /host/results 2>/dev/null)
	sync
}

rc=0
for t in "${tests[@]}"; do
	# through a pipe: not a terminal, so ./check prints each result
	# once, without colours or cursor movement
	./check -c /host/config -o /root/results "$t" 2>&1 | cat
	[ "${PIPESTATUS[0]}" = 0 ] || rc=1
	copy_back
	# A test with a fallback device that does not run returns before it
	# unloads what its requires() loaded (check:
	# _check_and_call_test_device), so scsi/009, which does not run on
	# bookworm's xfs_io, leaves scsi_debug loaded and every later
	# scsi_debug test would not run ("already loaded").  Each test
	# starts as on a fresh boot.
	udevadm settle --timeout=60
	if [ -d /sys/module/scsi_debug ] && modprobe -r scsi_debug 2>/dev/null; then
		say "scsi_debug was left loaded after $t; unloaded it"
	fi
done
say "check exited with $rc"
echo "$rc" > /host/check-rc
dmesg > /host/dmesg.log
sync
say done
# No init system to ask: power off with reboot(2) itself
# (LINUX_REBOOT_CMD_POWER_OFF), which QEMU ends on
python3 -c 'import ctypes; ctypes.CDLL(None).reboot(0x4321fedc)'
say "power-off failed"
