# An nvmet loop target with nvt.ns namespaces (1024, the target's maximum):
# all are named in NSID order on connect; namespaces enabled while
# connected get the next names, in NSID order, from the rescan.

. /tests/nvmet.sh

NEW=8	# namespaces added while connected

test_target_setup() {
	nvmet_setup_target
}

test_connect_names_in_nsid_order() {
	t0=$(cut -d' ' -f1 /proc/uptime)
	nvmet_connect || { diag "nvme connect failed"; return 1; }
	wait_nvme_disks "$NVT_NS" 600 || {
		diag "expected $NVT_NS namespaces, found $(nvme_disks | wc -l)"
		return 1
	}
	msg="$NVT_NS namespaces registered $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime)s after connect"
	diag "$msg"
	progress "$msg"
	check_order "$(nvme_sysfs_nsids)" && check_cli_order
}

test_disconnect() {
	nvmet_disconnect && wait_no_nvme_disks 600 && progress "all disconnected"
}

test_rescan_names_new_namespaces_in_order() {
	first=$((NVT_NS - NEW + 1))
	for i in $(seq "$first" "$NVT_NS"); do
		nvmet_disable_ns "$i"
	done
	nvmet_connect || return 1
	wait_nvme_disks $((NVT_NS - NEW)) 600 || return 1
	for i in $(seq "$first" "$NVT_NS"); do
		nvmet_enable_ns "$i"
	done
	wait_nvme_disks "$NVT_NS" 120 || {
		diag "after enabling $NEW more, found $(nvme_disks | wc -l)"
		return 1
	}
	progress "$NEW enabled while connected: all $NVT_NS registered"
	nvme_sysfs_nsids | awk -v f="$first" '$2 >= f' | sed 's/^/# new: /' | head -n "$NEW"
	check_order "$(nvme_sysfs_nsids)" && check_cli_order
}
