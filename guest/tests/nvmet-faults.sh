# Identify commands that really fail during a scan: NVMe fault injection
# on a connected controller fails a share of its Identify commands (opcode
# 0x06, with DNR) during a rescan that meets nvt.ns new namespaces, once
# for each probability in nvt.fail_percent.  The scan finishes, and the
# namespaces that make it are named in NSID order (with gaps where a
# namespace failed after it was named).  A failing Identify NS List makes
# the scan fall back to the sequential path, so both paths meet failures
# over a few rescans.  Once the faults stop, a rescan brings in every
# namespace; then all are disabled on the target and a rescan removes
# them, so that the next probability's rescan meets new namespaces again.
#
# The target's namespace-attribute notices are switched off first (Set
# Features, Asynchronous Event Configuration = 0), so that enabling the
# namespaces does not start rescans of its own: exactly one scan runs
# under the faults, and no namespace exists before it (a namespace that
# exists and then fails Identify is removed, and would come back later
# under a new name).

. /tests/nvmet.sh

# nvt.fail_percent lists one or more probabilities, each the share of
# Identify commands failing during one rescan of this boot.
fail_percents() { echo "${NVT_FAIL_PERCENT:-50}" | tr ',' ' '; }

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
	nvmet_setup_target 0 && nvmet_connect || return 1
	ctrl=$(ls /sys/class/nvme | head -n 1)
	[ -n "$ctrl" ] || { diag "no controller after connect"; return 1; }
	nvme set-feature "/dev/$ctrl" --feature-id=0x0b --value=0 >/dev/null
}

set_all_ns() {
	for i in $(seq 1 "$NVT_NS"); do
		"nvmet_${1}_ns" "$i"
	done
}

# faulted_rescan PERCENT: enable every namespace on the target and rescan
# with PERCENT % of Identify commands failing; the scan must settle, some
# namespaces must fail, and the others be named in increasing NSID order.
faulted_rescan() {
	p=$1 ctrl=$(ls /sys/class/nvme | head -n 1)
	fi=/sys/kernel/debug/$ctrl/fault_inject
	[ -d "$fi" ] || { diag "no $fi"; return 1; }
	set_all_ns enable
	sleep 1
	[ -z "$(nvme_disks)" ] || { diag "namespaces appeared without a rescan"; return 1; }
	echo 0x06 > "$fi/opcode"	# Identify
	echo 0x4002 > "$fi/status"	# Invalid Field in Command, DNR
	echo 1 > "$fi/dont_retry"
	echo -1 > "$fi/times"
	echo 0 > "$fi/verbose"
	echo "$p" > "$fi/probability"
	before=$(dmesg | wc -l)
	nvme ns-rescan "/dev/$ctrl" || return 1
	n=$(settled_disk_count)
	echo 0 > "$fi/probability"
	failed=$(dmesg | tail -n +$((before + 1)) | grep -c "$ctrl: Identify")
	dmesg | tail -n +$((before + 1)) | grep -q "Identify NS List failed" &&
		diag "the NS list failed: sequential scan"
	diag "$p% of Identify commands failing: $failed failed, $n of $NVT_NS namespaces registered"
	[ "$n" -lt "$NVT_NS" ] || { diag "no namespace failed: the faults did not hit"; return 1; }
	if [ "$n" -eq 0 ]; then
		# The NS list and then the Identify Controller of the
		# sequential fallback can both fail: the scan gives up.
		diag "no namespace survived"
		dmesg | tail -n +$((before + 1)) | grep -q "Identify NS List failed"
		return
	fi
	nvme_sysfs_nsids | tr '\n' ' ' | sed 's/^/# named: /'; echo
	check_increasing "$(nvme_sysfs_nsids)"
}

# Once the faults stop, a rescan finds every namespace.
rescan_finds_all() {
	nvme ns-rescan "/dev/$ctrl" || return 1
	wait_nvme_disks "$NVT_NS" 300 || {
		diag "after the faults stopped: $(nvme_disks | wc -l) of $NVT_NS"
		return 1
	}
}

# Disable every namespace and rescan: all go, so that the next faulted
# rescan again meets only new namespaces.
remove_all() {
	set_all_ns disable
	nvme ns-rescan "/dev/$ctrl" || return 1
	wait_no_nvme_disks 300 ||
		{ diag "$(nvme_disks | wc -l) disks left after removing all"; return 1; }
}

test_rescans_with_failing_identify() {
	for p in $(fail_percents); do
		faulted_rescan "$p" && rescan_finds_all && remove_all ||
			{ diag "$p%: failed"; return 1; }
	done
}
