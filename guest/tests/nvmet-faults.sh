# Identify commands that really fail during a rescan: NVMe fault injection
# on a connected controller fails half of its Identify commands (opcode
# 0x06) while namespaces are enabled on the target.  The namespaces that
# make it are named in NSID order, and the scan finishes: once the faults
# stop, a rescan brings in every namespace.

. /tests/nvmet.sh

FIRST=8

# Print the number of namespace disks once it has not changed for 3 s.
settled_disk_count() {
	last=-1 same=0 i=0
	while [ $same -lt 30 ] && [ $i -lt 1800 ]; do
		n=$(nvme_disks | wc -l)
		if [ "$n" -eq "$last" ]; then same=$((same + 1)); else same=0; fi
		last=$n
		sleep 0.1
		i=$((i + 1))
	done
	echo "$last"
}

test_target_setup() {
	nvmet_add_subsys || return 1
	for i in $(seq 1 "$NVT_NS"); do
		if [ "$i" -le $FIRST ]; then
			nvmet_add_ns "$i" 1
		else
			nvmet_add_ns "$i" 0
		fi || return 1
	done
	nvmet_add_loop_port && nvmet_connect && wait_nvme_disks $FIRST 120
}

test_rescan_with_failing_identify() {
	ctrl=$(ls /sys/class/nvme | head -n 1)
	fi=/sys/kernel/debug/$ctrl/fault_inject
	[ -d "$fi" ] || { diag "no $fi"; return 1; }
	echo 0x06 > "$fi/opcode"	# Identify
	echo 0x4002 > "$fi/status"	# Invalid Field, with DNR below
	echo 1 > "$fi/dont_retry"
	echo -1 > "$fi/times"
	echo 0 > "$fi/verbose"
	echo "${NVT_FAIL_PERCENT:-50}" > "$fi/probability"
	for i in $(seq $((FIRST + 1)) "$NVT_NS"); do
		nvmet_enable_ns "$i"
	done
	n=$(settled_disk_count)
	echo 0 > "$fi/probability"
	diag "with ${NVT_FAIL_PERCENT:-50}% of Identify commands failing: $n of $NVT_NS namespaces registered"
	check_order "$(nvme_sysfs_nsids)"
}

test_rescan_after_faults_finds_all() {
	ctrl=$(ls /sys/class/nvme | head -n 1)
	nvme ns-rescan "/dev/$ctrl" || return 1
	wait_nvme_disks "$NVT_NS" 300 || {
		diag "after the faults stopped: $(nvme_disks | wc -l) of $NVT_NS"
		return 1
	}
}
