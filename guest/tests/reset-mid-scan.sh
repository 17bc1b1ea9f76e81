# Reset the controller in the middle of a namespace scan, several times a
# connection, and nothing else: the reproducer of the base kernel's races
# between a reset and the scan (tests/wip/base-reset-mid-scan over nvmet
# loop, tests/wip/base-reset-mid-scan-tcp over TCP, nvt.transport=tcp).
# No ordering check, so it runs on any kernel; the host looks for the
# reports in the kernel log.
#
# A reset does not remove the namespaces already registered, and the scan
# goes on after it, so each connection is reset again and again (at most
# 20 times) for as long as its scan runs.

. /tests/nvmet.sh

test_target_setup() {
	nvmet_setup_target || return 1
	[ "${NVT_TRANSPORT:-loop}" = loop ] ||
		{ nvmet_add_tcp_port 2 && nvmet_port_add_subsys 2 "$NQN"; }
}

# reset_during_scan LOOP: connect, reset while the scan runs, wait for
# every namespace and disconnect
reset_during_scan() {
	nvmet_connect "${NVT_TRANSPORT:-loop}" || { diag "loop $1: connect failed"; return 1; }
	ctrl=$(ls /sys/class/nvme | head -n 1)
	resets=0
	while [ "$(bench_count)" -lt "$NVT_NS" ] && [ $resets -lt 20 ]; do
		seen="$seen $(bench_count)"
		# a failed reset is an outcome too: the host reads the log
		nvme reset "/dev/$ctrl" || { diag "loop $1: reset failed"; return 2; }
		resets=$((resets + 1))
	done
	wait_nvme_disks "$NVT_NS" 600 ||
		{ diag "loop $1: $(nvme_disks | wc -l) of $NVT_NS after the resets"; return 1; }
	nvmet_disconnect && wait_no_nvme_disks 300 ||
		{ diag "loop $1: disconnect left disks"; return 1; }
}

test_resets_mid_scan() {
	for l in $(seq 1 "${NVT_LOOPS:-10}"); do
		seen= rc=0
		reset_during_scan "$l" || rc=$?
		[ $rc -ne 2 ] || return 0
		[ $rc -eq 0 ] || return 1
		diag "loop $l: resets with$seen of $NVT_NS registered"
		if dmesg | grep -q -e 'at blk_mq_unquiesce_queue' -e 'kernel BUG at' \
			-e 'BUG: kernel NULL pointer' -e 'general protection fault'; then
			diag "loop $l: the kernel reported a bug"
			return 0
		fi
	done
}
