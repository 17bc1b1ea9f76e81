#!/bin/bash
# Boot a kernel in QEMU (TCG) with a named device layout, run one guest test
# and print its KTAP.  Exit status: 0 if the guest finished its test and
# powered off, 1 if it hung, panicked or died (its console log's tail is
# printed).  The logs stay in the log directory.
#
#   vm.sh -k bzImage -l LAYOUT -t TEST [-s SMP] [-a "ARGS"] [-T TIMEOUT] -o DIR
#
# Layouts (more in scripts/layouts.sh):
#   none                 no NVMe device, for nvmet inside the guest
#   nvme:N               one PCI NVMe controller with NSIDs 1..N
#   nvme:1,2,5,9         one controller with exactly these NSIDs
#   nvme2:N:M            two controllers, separate subsystems
#   scsi:A,B,C           virtio-scsi hosts with A, B, C disks

. "$(dirname "$0")/common.sh"
. "$TOP/scripts/layouts.sh"

smp=${SMP:-2}
mem=${MEM:-1024}
# QEMU's "max" CPU without 5-level paging.  With LA57, the base kernel's
# KASAN reports a false wild-memory-access for an interrupt taken while
# the boot CPU is identified: identify_cpu() clears boot_cpu_data's
# feature bits and reads CPUID again with interrupts on, before the
# alternatives are patched, so pgtable_l5_enabled() reads false for a
# moment and KASAN's shadow start moves above the 5-level direct map
# (1 of 19 boots of the debug kernel;
# tests/wip/base-kasan-la57-identify-cpu).  Paging depth is not what the
# series changes.  CPU= in the environment picks another model.
cpu=${CPU:-max,la57=off}
timeout=${TIMEOUT:-300}
append=
while getopts k:l:t:s:a:T:o: opt; do
	case $opt in
	k) kernel=$OPTARG ;;
	l) layout=$OPTARG ;;
	t) test=$OPTARG ;;
	s) smp=$OPTARG ;;
	a) append=$OPTARG ;;
	T) timeout=$OPTARG ;;
	o) logdir=$OPTARG ;;
	*) die "usage: see $0" ;;
	esac
done
: "${kernel:?-k}" "${layout:?-l}" "${test:?-t}" "${logdir:?-o}"

initrd=$("$TOP/scripts/initramfs.sh")
mkdir -p "$logdir"
console=$logdir/console.log
results=$logdir/ktap.log
: > "$console"
: > "$results"

layout_args "$layout"
qemu=(qemu-system-x86_64)
if [ "${LAYOUT_QEMU:-}" = backports ]; then
	bin=$("$TOP/scripts/qemu-bpo.sh") || die "no QEMU from bookworm-backports"
	qemu=("$bin" -L "$(dirname "$bin")/../share/qemu")
fi
cmdline="console=ttyS0 panic=-1 rdinit=/init nvt.test=$test"
cmdline+=" scsi_debug.add_host=0 null_blk.nr_devices=0"
cmdline+=" ${LAYOUT_APPEND:-} $append"

printf '%s\n' "$cmdline" > "$logdir/cmdline"
rc=0
timeout --foreground -k 10 "$timeout" "${qemu[@]}" \
	-machine q35 -accel tcg -cpu "$cpu" -smp "$smp" -m "$mem" \
	-nodefaults -display none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" -append "$cmdline" \
	-serial "file:$console" -serial "file:$results" \
	"${LAYOUT_ARGS[@]}" < /dev/null > "$logdir/qemu.log" 2>&1 || rc=$?

tr -d "\r" < "$results" > "$results.txt"
mv "$results.txt" "$results"
sed "/^# nvt: done$/d" "$results"
if [ "$rc" -eq 0 ] && grep -qx '# nvt: done' "$results"; then
	exit 0
fi
if [ "$rc" -eq 124 ]; then
	echo "# guest did not finish within ${timeout}s"
else
	echo "# guest died before finishing its test (qemu exit $rc)"
fi
cat "$logdir/qemu.log" | sed 's/^/# qemu: /'
echo "# console tail ($console):"
tail -n 30 "$console" | sed 's/^/#   /'
exit 1
