# Helpers for guest tests.  A test is /tests/NAME.sh defining test_NAME
# functions; each prints diagnostics as "# ..." lines and returns non-zero on
# failure.  ktap_run runs them in order and prints one KTAP line each.

diag() { echo "# $*"; }

# A progress line on the result channel (fd 3), which the host sees as the
# guest runs (make soak prints it); diag output only shows when a test ends.
progress() { echo "# progress: $*" >&3; }

# Names of the namespace block devices of the form nvmeXnY, sorted.
nvme_disks() {
	for d in /sys/block/nvme*; do
		[ -e "$d" ] || continue
		d=${d##*/}
		case $d in nvme*c*) continue ;; esac
		echo "$d"
	done | sort -V
}

# Wait until $1 namespace block devices exist (and no more appear for a
# moment), at most $2 seconds.
wait_nvme_disks() {
	want=$1 limit=${2:-120} n=0 waited=0
	while [ "$waited" -lt "$((limit * 10))" ]; do
		n=$(nvme_disks | wc -l)
		[ "$n" -ge "$want" ] && break
		sleep 0.1
		waited=$((waited + 1))
	done
	[ "$n" -eq "$want" ]
}

# Wait until no namespace block device is left, at most $1 seconds.
wait_no_nvme_disks() {
	i=0
	while [ -n "$(nvme_disks)" ] && [ $i -lt $(( ${1:-60} * 10 )) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -z "$(nvme_disks)" ]
}

# Cheaper than nvme_disks, so that polling disturbs a measured scan less.
bench_count() { ls /sys/block | grep -c '^nvme[0-9]*n[0-9]*$'; }

# bench_wait COUNT: wait until COUNT namespace disks exist (at most an
# hour).  The time measured comes from the kernel's trace (bench_trace_*),
# so the poll can be slow, and leave the guest's CPUs to the scan.
bench_wait() {
	i=0
	while [ "$(bench_count)" -lt "$1" ]; do
		i=$((i + 1))
		[ $i -gt 14400 ] && return 1
		sleep 0.25
	done
}

# make bench's clock: kprobe events the kernel command line sets up
# (scripts/bench.sh), so that every time is a timestamp of the guest
# kernel's trace clock:
#   nvt/ctrl    nvme_init_ctrl entered: a controller is created (the PCI
#               probe, or "nvme connect" over TCP)
#   nvt/start   nvme_start_ctrl entered: the controller is live and its
#               namespace scan is about to be queued
#   nvt/disk    add_disk_fwnode returned: a namespace's disk was added
TRACE=/sys/kernel/tracing

bench_trace_ready() {
	[ -d "$TRACE/events" ] || mount -t tracefs nodev "$TRACE" 2>/dev/null
	[ -d "$TRACE/events/nvt/ctrl" ] && [ -d "$TRACE/events/nvt/start" ] &&
		[ -d "$TRACE/events/nvt/disk" ] && return 0
	diag "no nvt/ trace events: the kernel needs config/trace.config and the kprobe_event= of scripts/common.sh (BENCH_APPEND)"
	return 1
}

# bench_cpu_ticks: "BUSY IDLE CTXT" of the guest since boot: CPU ticks
# busy (user, nice, system, irq, softirq) and idle (idle, iowait) over
# all CPUs, and context switches
bench_cpu_ticks() {
	awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8; idle = $5 + $6 }
		/^ctxt / { print busy, idle, $2 }' /proc/stat
}

# bench_cpu_delta BUSY0 IDLE0 CTXT0 BUSY1 IDLE1 CTXT1
bench_cpu_delta() {
	echo "busy=$(($4 - $1)) idle=$(($5 - $2)) ctxt=$(($6 - $3))"
}

bench_trace_clear() { : > "$TRACE/trace"; }

# bench_trace_dump PREFIX: with nvt.items=1, the trace since it was last
# cleared to the result channel, every line prefixed "# tr PREFIX ", for
# scripts/bench-items.py
bench_trace_dump() {
	[ "${NVT_ITEMS:-0}" = 1 ] || return 0
	grep -v '^#' "$TRACE/trace" | sed "s/^/# tr $1 /" >&3
}

# bench_trace_settle: wait until the trace holds a return of
# add_disk_fwnode for every nvme disk in /sys/block, the hidden disks of
# multipath's paths included (a disk's sysfs entry appears inside
# add_disk_fwnode, before the return the trace records), then print
# bench_trace_times' line.
bench_trace_settle() {
	want=$(ls /sys/block | grep -c '^nvme')
	i=0
	while :; do
		times=$(bench_trace_times) && [ "${times##* }" -ge "$want" ] && break
		i=$((i + 1))
		[ $i -gt 300 ] && {
			echo "# after 30 s the trace shows ${times##* } disks added, /sys/block $want; missed probe hits: $(awk '$1 == "nvt/disk" { print $3 }' "$TRACE/kprobe_profile")" >&2
			return 1
		}
		sleep 0.1
	done
	echo "$times"
}

# bench_trace_times: "SECONDS SCAN DISKS" from the trace since it was last
# cleared: seconds from the first controller's creation to the last disk
# added after it, seconds from that controller's start to the same disk,
# and the number of disks added.  Fails if an event is missing.
bench_trace_times() {
	awk '
		{
			for (i = 1; i < NF; i++)
				if ($i ~ /^[0-9]+\.[0-9]+:$/)
					break
			if (i >= NF)
				next
			t = substr($i, 1, length($i) - 1) + 0
			e = $(i + 1)
		}
		e == "ctrl:" && !ctrl { ctrl = t }
		e == "start:" && ctrl && !start { start = t }
		e == "disk:" && start { disk = t; n++ }
		END {
			if (!n)
				exit 1
			printf "%.4f %.4f %d\n", disk - ctrl, disk - start, n
		}' "$TRACE/trace"
}

# Print "name nsid" for every namespace block device, from sysfs.
nvme_sysfs_nsids() {
	for d in $(nvme_disks); do
		# a disk may go away between the listing and the read; read is
		# a builtin (a fork a disk took 30 s for 256 disks on the debug
		# kernel under TCG)
		read -r nsid 2>/dev/null < "/sys/block/$d/nsid" && echo "$d $nsid"
	done
}

# Print "name nsid" for every namespace, as nvme-cli's JSON output has it.
nvme_cli_nsids() {
	nvme list -o json 2>/dev/null |
		jq -r '.Devices[] | "\(.DevicePath | ltrimstr("/dev/")) \(.NameSpace)"' |
		sort -V
}

# ktap_run NAME[+NAME...]: run the test functions of /tests/NAME.sh, of
# several guest tests one after the other in one boot if asked ("kunit+order"),
# as one KTAP plan.  Each file is sourced just before its functions run, so
# two files may define functions of the same name.
ktap_run() {
	names=$(echo "$1" | tr '+' ' ')
	total=0
	for name in $names; do
		[ -f "/tests/$name.sh" ] || {
			echo "1..1"
			echo "not ok 1 $name # no such guest test"
			return
		}
		total=$((total + $(test_functions "$name" | wc -w)))
	done
	echo "1..$total"
	i=0
	for name in $names; do
		. "/tests/$name.sh"
		for t in $(test_functions "$name"); do
			i=$((i + 1))
			t0=$(cut -d' ' -f1 /proc/uptime)
			if out=$($t 2>&1); then
				status=ok
			else
				status="not ok"
			fi
			[ -n "$out" ] && printf '%s\n' "$out" | sed '/^#/!s/^/# /'
			awk -v t0="$t0" '{ printf "# %.1fs\n", $1 - t0 }' /proc/uptime
			echo "$status $i ${t#test_}"
		done
	done
}

test_functions() {
	sed -n 's/^\(test_[a-zA-Z0-9_]*\)() *{.*/\1/p' "/tests/$1.sh"
}

# Read "name nsid" lines, print "controller nsid index name" sorted by
# controller, then NSID (index is the Y of nvmeXnY).
by_controller_and_nsid() {
	awk '{
		ctrl = $1; sub(/n[0-9]+$/, "", ctrl)
		idx = $1; sub(/^nvme[0-9]+n/, "", idx)
		print ctrl, $2 + 0, idx + 0, $1
	}' | sort -k1,1 -k2,2n
}

# Print the disks whose name index Y (nvmeXnY) is not the rank of their
# NSID on their controller: on a controller with NSIDs 1, 2, 5 the names
# must be n1, n2, n3 in that order.  Reads "name nsid" lines on stdin.
list_misplaced() {
	by_controller_and_nsid | awk '
		$1 != ctrl { ctrl = $1; rank = 0 }
		{ rank++; if ($3 != rank) print $4 " is NSID " $2 ", expected name index " rank }'
}

# check_order "LINES": fail, listing the first misplaced names, unless
# every "name nsid" line is in order.
check_order() {
	[ -n "$1" ] || { diag "no namespaces"; return 1; }
	bad=$(printf '%s\n' "$1" | count_misplaced)
	total=$(printf '%s\n' "$1" | wc -l)
	diag "misplaced: $bad of $total"
	printf '%s\n' "$1" | list_misplaced | head -n 10 | sed 's/^/# /'
	[ "$bad" -eq 0 ]
}

# check_cli_order: nvme-cli's JSON lists exactly the namespaces sysfs has,
# with the same names and NSIDs, and they are in order.
check_cli_order() {
	cli=$(nvme_cli_nsids)
	sysfs=$(nvme_sysfs_nsids)
	if [ "$cli" != "$sysfs" ]; then
		diag "nvme list shows $(printf '%s\n' "$cli" | grep -c .) namespaces, sysfs $(printf '%s\n' "$sysfs" | grep -c .)"
		printf '%s\n' "$sysfs" | grep -vxF -e "$cli" | head -n 5 | sed 's/^/# not in nvme list: /'
		return 1
	fi
	check_order "$cli"
}

# SCSI: "N H" (sg number, host number) for every sg device, in sg order.
sg_hosts() {
	for d in /sys/class/scsi_generic/sg*; do
		[ -e "$d" ] || continue
		hctl=$(basename "$(readlink "$d/device")")
		echo "${d##*/sg} ${hctl%%:*}"
	done | sort -n
}

# Host numbers in the order the "Attached scsi generic" messages came.
sg_message_hosts() {
	dmesg | sed -n 's/.* \([0-9]*\):[0-9]*:[0-9]*:[0-9]*: Attached scsi generic sg[0-9]*.*/\1/p'
}

# Wait until $1 sg devices exist, at most $2 seconds.
wait_sg_devices() {
	want=$1 limit=${2:-120} i=0
	while [ "$(sg_hosts | wc -l)" -lt "$want" ] && [ $i -lt $((limit * 10)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(sg_hosts | wc -l)" -eq "$want" ]
}

# Succeed if the numbers on stdin never decrease; print where they do.
check_nondecreasing() {
	awk 'NR > 1 && $NF < prev { print "# " $0 " after host " prev; bad = 1 }
	     { prev = $NF } END { exit bad }'
}

# check_increasing "LINES": on each controller, name indices go up with
# the NSID.  Gaps are allowed: what one scan guarantees when some of its
# namespaces fail after they were named.
check_increasing() {
	[ -n "$1" ] || { diag "no namespaces"; return 1; }
	bad=$(printf '%s\n' "$1" | by_controller_and_nsid | awk '
		$1 == ctrl && $3 <= last { print $4 " is NSID " $2 ", named below the NSID before it" }
		{ ctrl = $1; last = $3 }')
	[ -z "$bad" ] && return 0
	diag "names not increasing with NSID: $(printf '%s\n' "$bad" | wc -l)"
	printf '%s\n' "$bad" | head -n 10 | sed 's/^/# /'
	return 1
}

count_misplaced() {
	list_misplaced | wc -l
}
