# scsi_debug hosts added at run time (booted with scsi_debug.add_host=0 and
# nvt.sd targets per host, each command delayed so that a scan takes time).
# 1. scsi_complete_async_scans(): a rescan of an idle host, which calls it,
#    returns only after the scan of a host added just before has finished.
# 2. Two hosts added back to back scan in parallel: the second registers
#    its devices only after the first, in the order the scans started.

SD=/sys/bus/pseudo/drivers/scsi_debug

add_host() {
	echo 1 > $SD/add_host
	ls /sys/class/scsi_host | sed 's/host//' | sort -n | tail -n 1
}

host_devices() {
	sg_hosts | awk -v h="$1" '$2 == h' | wc -l
}

test_first_host() {
	add_host >/dev/null
	wait_sg_devices "$NVT_SD" 120
}

test_complete_async_scans_waits_for_running_scans() {
	idle=$(ls /sys/class/scsi_host | sed 's/host//' | sort -n | head -n 1)
	busy=$(add_host)
	before=$(host_devices "$busy")
	# sysfs scan -> scsi_scan_host_selected() -> scsi_complete_async_scans()
	echo "- - -" > "/sys/class/scsi_host/host$idle/scan"
	after=$(host_devices "$busy")
	diag "host$busy had $before of $NVT_SD devices when the rescan of host$idle started, $after when it returned"
	[ "$before" -lt "$NVT_SD" ] && [ "$after" -eq "$NVT_SD" ]
}

test_hosts_added_during_scan_register_in_order() {
	total=$(sg_hosts | wc -l)
	first=$(add_host)
	second=$(add_host)
	wait_sg_devices $((total + 2 * NVT_SD)) 120 || return 1
	diag "host$first then host$second"
	sg_hosts | awk '{ print "sg" $1, "host", $2 }' | check_nondecreasing &&
		sg_message_hosts | check_nondecreasing
}
