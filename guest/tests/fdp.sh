# A controller with Flexible Data Placement: allocating each namespace's
# head queries its FDP configuration (Get Features, Get Log Page, an I/O
# Management Receive) while the namespace has the turn.  The names must
# still follow NSID order, FDP must really be in use (write streams on
# the disks), and the test-hooks kernel's report (nvme_core.report_turns=1)
# gives how long each namespace held the turn.

test_fdp_names_in_nsid_order() {
	wait_nvme_disks "$NVT_NS" 300 ||
		{ diag "expected $NVT_NS namespaces, found $(nvme_disks | wc -l)"; return 1; }
	d=$(nvme_disks | head -n 1)
	streams=$(cat "/sys/block/$d/queue/max_write_streams" 2>/dev/null)
	diag "$d: max_write_streams ${streams:-missing}"
	[ "${streams:-0}" -gt 0 ] || { diag "FDP is not in use"; return 1; }
	check_order "$(nvme_sysfs_nsids)" && check_cli_order
}

test_turn_hold_time() {
	dmesg | sed -n 's/.*scan: turn held for \([0-9]*\) us$/\1/p' | sort -n > /tmp/turns
	n=$(wc -l < /tmp/turns)
	[ "$n" -ge "$NVT_NS" ] ||
		{ diag "$n turn reports for $NVT_NS namespaces (report_turns not set?)"; return 1; }
	awk '{ s += $1; v[NR] = $1 } END {
		printf "# fdp: %d turns held: median %d us, mean %d us, max %d us\n",
			NR, v[int((NR + 1) / 2)], s / NR, v[NR] }' /tmp/turns
}
