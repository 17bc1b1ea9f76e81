# Every controller's namespaces are named in NSID order: on a controller
# with NSIDs 1, 2, 5 the names are nvmeXn1, n2, n3, in that order.  Checked
# against both sysfs and nvme-cli's JSON output.

test_all_namespaces_appear() {
	wait_nvme_disks "${NVT_NS:?}" 300 || {
		diag "expected $NVT_NS namespaces, found $(nvme_disks | wc -l)"
		return 1
	}
	diag "$NVT_NS namespaces, multipath=$(cat /sys/module/nvme_core/parameters/multipath 2>/dev/null)"
}

test_names_in_nsid_order_sysfs() {
	check_order "$(nvme_sysfs_nsids)"
}

test_names_in_nsid_order_nvme_cli() {
	check_cli_order
}
