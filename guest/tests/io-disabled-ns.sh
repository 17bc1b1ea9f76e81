# Read from a namespace that the target disabled while the host is
# connected, and count how often the host fails the read over.  nvmet
# answers a command for a disabled namespace with Internal Path Error;
# the host's multipath code fails the request over to another path, and
# with only one path it resubmits it to the same one at once, again and
# again, on kblockd, for as long as the namespace stays disabled and the
# host has not removed it.  The host removes it when a rescan finds it
# gone; here the namespace notices are turned off on the controller
# (Asynchronous Event Configuration 0), standing in for a rescan that waits
# behind a long scan, as in the disruption loops.  The check: the read is
# failed over fewer than 100 times in 10 s (it should fail, or wait for a
# path, not spin).  Enabling the namespace again ends the read either way.

. /tests/nvmet.sh

NSID=2

test_target_setup() {
	nvmet_setup_target
}

test_read_from_a_disabled_namespace() {
	nvmet_connect || { diag "connect failed"; return 1; }
	wait_nvme_disks "$NVT_NS" 60 || { diag "$(nvme_disks | wc -l) of $NVT_NS namespaces"; return 1; }
	disk=$(nvme_sysfs_nsids | awk -v nsid=$NSID '$2 == nsid { print $1 }')
	# The controller's path to it, as its head links it, and the
	# controller the path belongs to.
	path=$(readlink -f /sys/block/"$disk"/multipath/nvme*c*n*)
	ctrl=$(basename "$(dirname "$path")")
	count=$path/diag/multipath_failover_count
	[ -r "$count" ] || { diag "no $count"; return 1; }

	nvme set-feature "/dev/$ctrl" --feature-id=0x0b --value=0 >/dev/null ||
		{ diag "cannot turn the namespace notices off"; return 1; }
	nvmet_disable_ns $NSID
	dd if="/dev/$disk" of=/dev/null bs=4096 count=1 iflag=direct 2>/dev/null &
	dd_pid=$!
	sleep 2
	before=$(cat "$count")
	sleep 10
	after=$(cat "$count")
	pending=no
	kill -0 $dd_pid 2>/dev/null && pending=yes
	failovers=$((after - before))
	diag "NSID $NSID ($disk) disabled on the target: $failovers failovers in 10 s, read still pending: $pending"
	progress "$failovers failovers in 10 s"

	nvmet_enable_ns $NSID
	wait $dd_pid
	nvmet_disconnect && wait_no_nvme_disks 60 || { diag "disconnect left disks"; return 1; }
	[ "$failovers" -lt 100 ]
}
