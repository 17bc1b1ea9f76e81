# Disconnect while the scan of nvt.ns namespaces is still running, nvt.loops
# times in a row: the disconnect never hangs, every disk goes away, and the
# kernel log (checked by the host) shows no WARN, BUG or hung task.

. /tests/nvmet.sh

test_target_setup() {
	nvmet_add_subsys || return 1
	for i in $(seq 1 "$NVT_NS"); do
		nvmet_add_ns "$i" || return 1
	done
	nvmet_add_loop_port
}

test_disconnect_mid_scan() {
	loops=${NVT_LOOPS:-20}
	for l in $(seq 1 "$loops"); do
		nvmet_connect || { diag "loop $l: connect failed"; return 1; }
		# let the scan get going: wait for a varying number of disks
		want=$(( (l * 37) % (NVT_NS / 2) + 1 ))
		wait_nvme_disks "$want" 60 >/dev/null
		seen=$(nvme_disks | wc -l)
		nvmet_disconnect || { diag "loop $l: disconnect failed"; return 1; }
		wait_no_nvme_disks 120 || {
			diag "loop $l: $(nvme_disks | wc -l) disks left after disconnect"
			return 1
		}
		sleep 0.2
		[ -z "$(ls /sys/class/nvme 2>/dev/null)" ] || {
			diag "loop $l: controller still present"
			return 1
		}
		diag "loop $l: disconnected with $seen of $NVT_NS namespaces registered"
	done
}
