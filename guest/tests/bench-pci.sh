# make bench, scenario B: the namespaces of the PCI controller the guest
# booted with.  The kernel's own trace times the scan (lib.sh:
# bench_trace_times), from the controller's probe to the last disk added;
# the shell only waits until every disk is there.
#   # benchpci ns=<count> seconds=<s> scan=<s> misplaced=<n>
# where seconds starts at nvme_init_ctrl (the probe) and scan at
# nvme_start_ctrl (the controller is live, its scan queued).

test_measure() {
	bench_trace_ready || return 1
	bench_wait "${NVT_NS:?}" || {
		diag "$(bench_count) of $NVT_NS namespaces"
		return 1
	}
	times=$(bench_trace_settle) || return 1
	# shellcheck disable=SC2086 # three numbers
	set -- $times
	echo "# benchpci ns=$NVT_NS seconds=$1 scan=$2 misplaced=$(nvme_sysfs_nsids | count_misplaced)" >&3
}
