# Reset the controller in the middle of a namespace scan, nvt.loops times,
# and nothing else: the reproducer of a base-kernel race (see
# config/known-base-reports).  No ordering check, so it runs on any
# kernel; the host looks for the warning in the kernel log.

. /tests/nvmet.sh

test_target_setup() {
	nvmet_setup_target
}

test_resets_mid_scan() {
	loops=${NVT_LOOPS:-10}
	for l in $(seq 1 "$loops"); do
		nvmet_connect || { diag "loop $l: connect failed"; return 1; }
		wait_nvme_disks $(( (l * 37) % (NVT_NS / 2) + 1 )) 120 >/dev/null
		seen=$(nvme_disks | wc -l)
		ctrl=$(ls /sys/class/nvme | head -n 1)
		nvme reset "/dev/$ctrl" || { diag "loop $l: reset failed"; return 1; }
		wait_nvme_disks "$NVT_NS" 600 ||
			{ diag "loop $l: $(nvme_disks | wc -l) of $NVT_NS after the reset"; return 1; }
		nvmet_disconnect && wait_no_nvme_disks 300 ||
			{ diag "loop $l: disconnect left disks"; return 1; }
		diag "loop $l: reset with $seen of $NVT_NS registered"
		if dmesg | grep -q 'at blk_mq_unquiesce_queue'; then
			diag "loop $l: blk_mq_unquiesce_queue warned"
			return 0
		fi
	done
}
