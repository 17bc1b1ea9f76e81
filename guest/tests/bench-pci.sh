# make bench, scenario B: the namespaces of the PCI controller the guest
# booted with.  The moment the last one exists goes into the kernel log
# (/dev/kmsg), so the host reads the scan time off the kernel's own
# timestamps: from "pci function" (the controller's probe) to this line.

test_measure() {
	bench_wait "${NVT_NS:?}" || {
		diag "$(bench_count) of $NVT_NS namespaces"
		return 1
	}
	echo "nvt-bench: all $NVT_NS namespaces registered" > /dev/kmsg
	echo "# benchpci ns=$NVT_NS misplaced=$(nvme_sysfs_nsids | count_misplaced)" >&3
}
