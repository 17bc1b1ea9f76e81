# Print the guest's nvme list and how many namespace names are out of NSID
# order.  Reports, does not judge: used by make demo on every kernel.

test_all_namespaces_appear() {
	wait_nvme_disks "${NVT_NS:?}" 300 || {
		diag "expected $NVT_NS namespaces, found $(nvme_disks | wc -l)"
		return 1
	}
}

test_report() {
	nvme list
	misplaced=$(nvme_sysfs_nsids | count_misplaced)
	diag "misplaced: $misplaced of $(nvme_disks | wc -l)"
}
