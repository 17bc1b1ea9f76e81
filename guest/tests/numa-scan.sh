# Several controllers scanning at once on a guest with two NUMA nodes: every
# scan finishes, and each controller's names follow its NSID order.
#
# nvt.ctrls (default 4) nvmet loop subsystems of nvt.per_ctrl (default 128)
# namespaces each are connected at the same time, each connect from another
# CPU, so that the scan workers, and the async work items they queue, start
# on both nodes.  Run with async.max_active=N (the test-only patch
# tests/patches/9300-*) and workqueue.default_affinity_scope=cpu, async_wq
# has N active work items per node and one pool workqueue per CPU, whose
# pending work it activates round robin: when the work items that wait for
# a turn fill a node's active slots while the item that has the turn is
# still queued, the scan never finishes.

. /tests/nvmet.sh

CTRLS=${NVT_CTRLS:-4}
PER_CTRL=${NVT_PER_CTRL:-128}
WAIT=${NVT_WAIT:-180}

nqn_of() { echo "$NQN-$1"; }

test_two_nodes() {
	online=$(cat /sys/devices/system/node/online)
	diag "NUMA nodes online: $online"
	for n in /sys/devices/system/node/node[0-9]*; do
		diag "${n##*/}: CPUs $(cat "$n/cpulist")"
	done
	[ "$online" = "0-$(( ${NVT_NODES:-2} - 1 ))" ] ||
		{ diag "expected ${NVT_NODES:-2} nodes"; return 1; }
	for f in /sys/module/async/parameters/max_active \
		 /sys/module/workqueue/parameters/default_affinity_scope; do
		[ -r "$f" ] && diag "$f: $(cat "$f")"
	done
	return 0
}

test_target_setup() {
	mkdir -p "$NVMET/ports/1" /tmp/ns &&
	echo loop > "$NVMET/ports/1/addr_trtype" || return 1
	for c in $(seq 1 "$CTRLS"); do
		s=$NVMET/subsystems/$(nqn_of "$c")
		mkdir "$s" && echo 1 > "$s/attr_allow_any_host" || return 1
		for i in $(seq 1 "$PER_CTRL"); do
			f=/tmp/ns/$c-$i
			truncate -s 1M "$f" && mkdir "$s/namespaces/$i" &&
			echo "$f" > "$s/namespaces/$i/device_path" &&
			echo 1 > "$s/namespaces/$i/enable" || return 1
		done
		ln -s "$s" "$NVMET/ports/1/subsystems/$(nqn_of "$c")" || return 1
	done
}

test_concurrent_scans_finish() {
	cpus=$(grep -c ^processor /proc/cpuinfo)
	want=$((CTRLS * PER_CTRL))
	t0=$(cut -d' ' -f1 /proc/uptime)
	pids=
	for c in $(seq 1 "$CTRLS"); do
		taskset -c $(( (c - 1) % cpus )) \
			nvme connect -t loop -n "$(nqn_of "$c")" >/dev/null 2>&1 &
		pids="$pids $!"
	done
	# no "wait": a connect can block behind a stalled scan too (and so
	# its output goes nowhere: the test's output must reach its end)
	if ! wait_nvme_disks "$want" "$WAIT"; then
		diag "stalled: $(nvme_disks | wc -l) of $want namespaces after ${WAIT}s"
		for c in /sys/class/nvme/nvme*; do
			[ -e "$c" ] || continue
			diag "${c##*/}: $(ls -d /sys/block/"${c##*/}"n* 2>/dev/null | wc -l) disks"
		done
		for p in $pids; do
			kill -0 "$p" 2>/dev/null && diag "nvme connect (pid $p) has not returned"
		done
		return 1
	fi
	diag "$want namespaces on $CTRLS controllers registered $(awk -v t0="$t0" '{ printf "%.1f", $1 - t0 }' /proc/uptime)s after the connects began"
	check_order "$(nvme_sysfs_nsids)"
}
