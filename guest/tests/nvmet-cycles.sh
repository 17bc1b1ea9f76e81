# Connect and disconnect an nvmet loop subsystem of nvt.ns namespaces
# nvt.cycles times: every connect names all of them in NSID order, every
# disconnect takes every disk and the controller away, and after the last
# one nothing of NVMe is left (the host checks the kernel log, and
# guest/init has kmemleak look for leaked objects).

. /tests/nvmet.sh

test_target_setup() {
	nvmet_setup_target
}

test_connect_disconnect_cycles() {
	cycles=${NVT_CYCLES:-5}
	for c in $(seq 1 "$cycles"); do
		nvmet_connect || { diag "cycle $c: connect failed"; return 1; }
		wait_nvme_disks "$NVT_NS" 300 ||
			{ diag "cycle $c: $(nvme_disks | wc -l) of $NVT_NS namespaces"; return 1; }
		check_order "$(nvme_sysfs_nsids)" > /tmp/order ||
			{ cat /tmp/order; diag "cycle $c: names out of order"; return 1; }
		nvmet_disconnect || { diag "cycle $c: disconnect failed"; return 1; }
		wait_no_nvme_disks 120 ||
			{ diag "cycle $c: $(nvme_disks | wc -l) disks left"; return 1; }
		[ $((c % 10)) -eq 0 ] || [ "$c" -eq "$cycles" ] &&
			progress "cycle $c of $cycles"
	done
	diag "$cycles cycles of $NVT_NS namespaces, all in order"
}

test_nothing_left() {
	sleep 1
	left=$(ls /sys/class/nvme 2>/dev/null; ls /sys/class/nvme-subsystem 2>/dev/null; nvme_disks)
	[ -z "$left" ] || { diag "left behind: $left"; return 1; }
}
