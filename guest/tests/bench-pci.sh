# make bench, scenario B: the namespaces of the PCI controller the guest
# booted with.  The kernel's own trace times the scan (lib.sh:
# bench_trace_times), from the controller's probe to the last disk added;
# the shell only waits until every disk is there.
#   # benchpci ns=<count> rep=<i> seconds=<s> scan=<s> misplaced=<n>
# where seconds starts at nvme_init_ctrl (the probe) and scan at
# nvme_start_ctrl (the controller is live, its scan queued).  The first
# measurement is the boot's own probe; with nvt.repeat=N the controller
# is unbound from nvme and bound again N - 1 times, each bind a new probe
# and scan.  With nvt.items=1 each measurement's trace follows its line,
# as in bench-tcp.sh, with rtt=pci.

PCI_DRIVER=/sys/bus/pci/drivers/nvme

test_measure() {
	bench_trace_ready || return 1
	bench_wait "${NVT_NS:?}" || {
		diag "$(bench_count) of $NVT_NS namespaces"
		return 1
	}
	bdf=$(basename "$(readlink -f /sys/class/nvme/nvme0/device)")
	for rep in $(seq 1 "${NVT_REPEAT:-1}"); do
		if [ "$rep" -gt 1 ]; then
			echo "$bdf" > "$PCI_DRIVER/unbind" || {
				diag "cannot unbind $bdf from nvme"
				return 1
			}
			wait_no_nvme_disks 600 || { diag "disks left after unbind"; return 1; }
			bench_trace_clear
			echo "$bdf" > "$PCI_DRIVER/bind" || {
				diag "cannot bind $bdf to nvme again"
				return 1
			}
			bench_wait "$NVT_NS" || {
				diag "rebind $rep: $(bench_count) of $NVT_NS namespaces"
				return 1
			}
		fi
		times=$(bench_trace_settle) || return 1
		# shellcheck disable=SC2086 # three numbers
		set -- $times
		echo "# benchpci ns=$NVT_NS rep=$rep seconds=$1 scan=$2 misplaced=$(nvme_sysfs_nsids | count_misplaced)" >&3
		bench_trace_dump "rtt=pci ns=$NVT_NS slow=0 rep=$rep"
	done
}
