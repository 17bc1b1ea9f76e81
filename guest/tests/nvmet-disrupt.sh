# Disrupt the scan of nvt.ns namespaces while it is still running,
# nvt.loops times for each action in nvt.actions (comma-separated), or only
# loops A to B of them with nvt.loop_range=A-B:
#   disconnect  nvme disconnect: never hangs, every disk and the
#               controller go away
#   reset       nvme reset: the scan starts over and ends with every
#               namespace, named in NSID order
#   remove      the target removes 8 namespaces: their disks go (or never
#               come), the others are all there, names increasing with NSID
# Each loop disrupts at a different point of the scan.  The kernel log,
# checked by the host, must show no WARN, BUG, hung task or leak.
# A loop whose namespaces are all there but misnamed cleans up and fails
# the test after the other loops have run: the base kernel fails every
# loop that way, and its later loops still show whether it hangs or
# reports (KERNEL=debug-base).  Any other failure stops at once.

# disrupt_* return this when only the order check failed and the host and
# target are back to where the loop started
ORDER_FAILED=2

. /tests/nvmet.sh

test_target_setup() {
	nvmet_setup_target
}

# Connect and wait until about $1 namespaces are registered; prints how
# many were.
connect_until() {
	nvmet_connect || return 1
	wait_nvme_disks "$1" 120 >/dev/null
	nvme_disks | wc -l
}

disconnect_all_gone() {
	nvmet_disconnect || { diag "disconnect failed"; return 1; }
	wait_no_nvme_disks 300 || { diag "$(nvme_disks | wc -l) disks left after disconnect"; return 1; }
	sleep 0.2
	[ -z "$(ls /sys/class/nvme 2>/dev/null)" ] || { diag "controller still present"; return 1; }
}

disrupt_disconnect() {
	seen=$(connect_until "$1") || { diag "connect failed"; return 1; }
	disconnect_all_gone || return 1
	echo "disconnected with $seen of $NVT_NS namespaces registered"
}

disrupt_reset() {
	seen=$(connect_until "$1") || { diag "connect failed"; return 1; }
	ctrl=$(ls /sys/class/nvme | head -n 1)
	nvme reset "/dev/$ctrl" || { diag "reset failed"; return 1; }
	wait_nvme_disks "$NVT_NS" 900 ||
		{ diag "after the reset: $(nvme_disks | wc -l) of $NVT_NS"; return 1; }
	order_status=0
	check_order "$(nvme_sysfs_nsids)" > /tmp/order || { cat /tmp/order; order_status=$ORDER_FAILED; }
	disconnect_all_gone || return 1
	echo "reset with $seen of $NVT_NS namespaces registered"
	return $order_status
}

disrupt_remove() {
	first=$(( ($2 * 97) % (NVT_NS - 8) + 1 ))
	seen=$(connect_until "$1") || { diag "connect failed"; return 1; }
	for i in $(seq "$first" $((first + 7))); do
		nvmet_remove_ns "$i"
	done
	# The scan may still be adding others while the notice's rescan
	# takes the removed ones away: wait for both.
	i=0
	while :; do
		nsids=$(nvme_sysfs_nsids)
		n=$(printf '%s\n' "$nsids" | grep -c .)
		left=$(printf '%s\n' "$nsids" | awk -v a="$first" -v b=$((first + 7)) \
			'$2 >= a && $2 <= b { print $1 }')
		[ "$n" -eq $((NVT_NS - 8)) ] && [ -z "$left" ] && break
		i=$((i + 1))
		# so that make soak shows a stalled scan from a slow one
		[ $((i % 300)) -ne 0 ] ||
			progress "remove $2: waiting, $n of $((NVT_NS - 8)) registered"
		[ $i -lt 9000 ] || {
			diag "after removing 8: $n of $((NVT_NS - 8)), still there: ${left:-none}"
			return 1
		}
		sleep 0.1
	done
	order_status=0
	check_increasing "$nsids" || order_status=$ORDER_FAILED
	disconnect_all_gone || return 1
	for i in $(seq "$first" $((first + 7))); do
		nvmet_add_ns "$i"
	done
	echo "removed NSIDs $first-$((first + 7)) with $seen of $NVT_NS namespaces registered"
	return $order_status
}

test_disrupt_mid_scan() {
	loops=${NVT_LOOPS:-20}
	range=${NVT_LOOP_RANGE:-1-$loops}
	first=${range%-*}
	last=${range#*-}
	# [ fails on a non-number too
	{ [ "$first" -ge 1 ] && [ "$first" -le "$last" ] && [ "$last" -le "$loops" ]; } 2>/dev/null || {
		diag "nvt.loop_range=$range: not a range within 1-$loops"
		return 1
	}
	misordered=0
	for action in $(echo "${NVT_ACTIONS:-disconnect}" | tr ',' ' '); do
		for l in $(seq "$first" "$last"); do
			# a varying point of the scan
			want=$(( (l * 37) % (NVT_NS / 2) + 1 ))
			rc=0
			msg=$("disrupt_$action" "$want" "$l") || rc=$?
			case $rc in
			0) ;;
			"$ORDER_FAILED")
				printf '%s\n' "$msg"
				diag "$action, loop $l of $loops: namespaces misnamed"
				progress "$action $l of $loops: namespaces misnamed"
				misordered=$((misordered + 1))
				continue ;;
			*)
				printf '%s\n' "$msg"
				diag "$action, loop $l of $loops failed"
				return 1 ;;
			esac
			diag "$action $l: $msg"
			progress "$action $l of $loops: $msg"
		done
	done
	[ $misordered -eq 0 ] || { diag "$misordered loops misnamed namespaces"; return 1; }
}
