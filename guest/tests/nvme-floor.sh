# The instance floor: within one scan, a new namespace is never named below
# a namespace with a lower NSID, even where lowest-free allocation would
# fill a gap.  Gaps are made by removing namespaces; the scans are started
# by hand (asynchronous event notices are off on every controller), so
# each step meets exactly the namespaces it names.
#
#   existing head   a second controller of the subsystem scans NSIDs whose
#                   heads the first one named, then a new one
#   existing ns     a rescan meets namespaces it already has, then a new one
#   failed head     the head of a zoned namespace fails after it took its
#                   instance (its Commands Supported and Effects log read
#                   fails, injected); the next NSID does not take that
#                   instance, and a later rescan gives it back in order

. /tests/nvmet.sh

SECOND_HOSTID=6d3c5e0a-9b1f-4c2e-8a47-2f0b9d1e7c35
SECOND_HOSTNQN=nqn.2014-08.org.nvmexpress:uuid:$SECOND_HOSTID
ZNS_NSID=6
LAST_NSID=7

ctrls() { ls /sys/class/nvme; }

# Switch a controller's namespace-attribute notices off, so that changes
# on the target start no scan of their own.
quiet() { nvme set-feature "/dev/$1" --feature-id=0x0b --value=0 >/dev/null; }

rescan() { nvme ns-rescan "/dev/$1"; }

# The instance (Y of nvmeXnY) of the namespace with NSID $1, or nothing.
instance_of() {
	nvme_sysfs_nsids | awk -v n="$1" '$2 == n { sub(/^nvme[0-9]+n/, "", $1); print $1 }'
}

# wait_nsids "N N ...": wait until exactly these NSIDs have disks.
wait_nsids() {
	want=$(echo "$1" | tr ' ' '\n' | sort -n | tr '\n' ' ')
	i=0
	while [ $i -lt 300 ]; do
		have=$(nvme_sysfs_nsids | awk '{ print $2 }' | sort -n | tr '\n' ' ')
		[ "$have" = "$want" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	diag "expected NSIDs $want, have $have"
	return 1
}

show() { nvme_sysfs_nsids | sed "s/^/# $1: /"; }

# A zoned null_blk device for the zoned namespace.
add_zoned_nullb() {
	d=/sys/kernel/config/nullb/nullb_zns
	mkdir "$d" &&
	echo 64 > "$d/size" &&
	echo 1 > "$d/zoned" &&
	echo 4 > "$d/zone_size" &&
	echo 1 > "$d/power" &&
	[ -b /dev/nullb_zns ]
}

test_target_setup() {
	nvmet_add_subsys || return 1
	for i in 1 2 3; do
		nvmet_add_ns "$i" || return 1
	done
	for i in 4 5 $LAST_NSID; do
		nvmet_add_ns "$i" 0 || return 1
	done
	add_zoned_nullb || { diag "no zoned null_blk device"; return 1; }
	d=$NVMET/subsystems/$NQN/namespaces/$ZNS_NSID
	mkdir "$d" && echo /dev/nullb_zns > "$d/device_path" || return 1
	nvmet_add_loop_port &&
	nvmet_connect && wait_nsids "1 2 3" || return 1
	A=$(ctrls)
	quiet "$A" && show connected
}

# NSID 2 goes, leaving instance 2 free below NSID 3's; NSID 4 appears on
# the target, and a second controller, connecting, is the first to see it.
test_existing_head_raises_floor() {
	A=$(ctrls)
	nvmet_remove_ns 2 && rescan "$A" && wait_nsids "1 3" || return 1
	nvmet_enable_ns 4 &&
	# through the kernel's interface: nvme-cli 2.3 says "already
	# connected" to a second loop connect of the subsystem, even with -D
	printf 'transport=loop,nqn=%s,hostnqn=%s,hostid=%s,duplicate_connect\n' \
		"$NQN" "$SECOND_HOSTNQN" "$SECOND_HOSTID" > /dev/nvme-fabrics ||
		{ diag "second connect failed"; return 1; }
	B=$(ctrls | grep -vx "$A")
	[ -n "$B" ] || { diag "no second controller"; return 1; }
	quiet "$B" && wait_nsids "1 3 4" || return 1
	show "after $B's scan"
	check_increasing "$(nvme_sysfs_nsids)"
}

# NSIDs 1 and 3 go on both controllers, leaving name 1 free below NSID 4's;
# NSID 5 appears, and a rescan of one controller meets NSID 4, which it
# has, before NSID 5.
test_existing_ns_raises_floor() {
	nvmet_remove_ns 1 && nvmet_remove_ns 3 || return 1
	for c in $(ctrls); do rescan "$c" || return 1; done
	wait_nsids "4" && nvmet_enable_ns 5 || return 1
	A=$(ctrls | head -n 1)
	rescan "$A" && wait_nsids "4 5" || return 1
	show "after $A's rescan"
	check_increasing "$(nvme_sysfs_nsids)" || return 1
	for c in $(ctrls); do rescan "$c" || return 1; done
}

test_failed_head_leaves_gap() {
	A=$(ctrls | head -n 1)
	fi=/sys/kernel/debug/$A/fault_inject
	[ -d "$fi" ] || { diag "no $fi"; return 1; }
	echo 0x02 > "$fi/opcode"	# Get Log Page
	echo 0x4002 > "$fi/status"	# Invalid Field in Command, DNR
	echo 1 > "$fi/dont_retry"
	echo 0 > "$fi/verbose"
	echo 1 > "$fi/times"
	echo 100 > "$fi/probability"
	before=$(dmesg | wc -l)
	echo 1 > "$NVMET/subsystems/$NQN/namespaces/$ZNS_NSID/enable" &&
	nvmet_enable_ns $LAST_NSID || { echo 0 > "$fi/probability"; return 1; }
	rescan "$A"
	wait_nsids "4 5 $LAST_NSID"; ok=$?
	echo 0 > "$fi/probability"
	show "the zoned namespace's head failed"
	dmesg | tail -n +$((before + 1)) | grep -i "nsid\|fault\|effects" | head -n 5 | sed 's/^/# dmesg: /'
	[ $ok -eq 0 ] || { diag "the injected failure did not hit the zoned namespace alone"; return 1; }
	check_increasing "$(nvme_sysfs_nsids)" || return 1

	rescan "$A" && wait_nsids "4 5 $ZNS_NSID $LAST_NSID" || return 1
	show "after a rescan without faults"
	check_increasing "$(nvme_sysfs_nsids)"
}
