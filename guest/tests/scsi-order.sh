# SCSI hosts add their devices in the order their scans started (host
# order here), whichever finishes scanning first: sg numbers, handed out
# as devices register, and the "Attached scsi generic" messages both follow
# host order.

test_all_devices_appear() {
	wait_sg_devices "${NVT_SD:?}" 300 || {
		diag "expected $NVT_SD sg devices, found $(sg_hosts | wc -l)"
		return 1
	}
	diag "$NVT_SD devices on $(ls /sys/class/scsi_host | wc -l) hosts, scan=$(cat /sys/module/scsi_mod/parameters/scan)"
}

test_sg_numbers_follow_host_order() {
	sg_hosts | awk '{ print "sg" $1, "host", $2 }' | check_nondecreasing
}

test_messages_follow_host_order() {
	[ "$(sg_message_hosts | wc -l)" -eq "$NVT_SD" ] || {
		diag "found $(sg_message_hosts | wc -l) messages"
		return 1
	}
	sg_message_hosts | check_nondecreasing
}
