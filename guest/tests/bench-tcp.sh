# make bench, scenario A: an nvmet target on 127.0.0.1 over TCP, netem
# delay on the loopback device, one subsystem per namespace count.  The
# cells are nvt.cells=RTT:COUNT[:SLOW],... (RTT in ms; SLOW an NSID whose
# Identify commands the target answers nvt.slow_ms late, through
# bench/9200-*.patch).  Each cell connects, waits for every disk, and
# reads its times off the kernel's trace (lib.sh: bench_trace_times):
#   # bench rtt=<ms> ns=<count> slow=<nsid|0> rep=<i> seconds=<s> scan=<s> connect=<s> misplaced=<n>
# Every cell is measured nvt.repeat times (default 1), the cells taking
# turns.  With nvt.items=1 the trace of each measurement follows its
# result line, every line prefixed "# tr rtt=<ms> ns=<count> slow=<nsid>
# rep=<i> ", for scripts/bench-items.py (the kprobe events it reads are
# scripts/common.sh's BENCH_ITEMS_APPEND).
# After it, "# cpu ... busy=<ticks> idle=<ticks> ctxt=<n>": the guest's CPU
# time (USER_HZ ticks, all CPUs) busy and idle, and its context switches,
# from before the connect until the trace had every disk (lib.sh:
# bench_cpu_ticks); the logs keep it, the tables do not use it.
# seconds runs from nvme_init_ctrl ("nvme connect" creating the
# controller) to the last disk added, scan from nvme_start_ctrl to the
# same disk, and connect = seconds - scan.

. /tests/nvmet.sh

SLOW_PARAM=/sys/module/nvmet/parameters

bench_nqn() { echo "nqn.2026-11.org.example:bench-$1"; }

# bench_add_subsys COUNT: a subsystem with COUNT 1 MiB namespaces
bench_add_subsys() {
	nqn=$(bench_nqn "$1")
	s=$NVMET/subsystems/$nqn
	[ -d "$s" ] && return 0
	mkdir -p "$s" /tmp/ns/"$1" || return 1
	echo 1 > "$s/attr_allow_any_host"
	for i in $(seq 1 "$1"); do
		mkdir "$s/namespaces/$i" || return 1
		truncate -s 1M "/tmp/ns/$1/$i"
		echo "/tmp/ns/$1/$i" > "$s/namespaces/$i/device_path"
		echo 1 > "$s/namespaces/$i/buffered_io"
		echo 1 > "$s/namespaces/$i/enable"
	done
	nvmet_port_add_subsys 2 "$nqn"
}

# netem on lo delays every packet once, so each direction gets half the RTT
bench_set_rtt() {
	/usr/sbin/tc qdisc del dev lo root 2>/dev/null
	[ "$1" = 0 ] && return 0
	/usr/sbin/tc qdisc add dev lo root netem delay "$(awk -v r="$1" 'BEGIN { printf "%gms", r / 2 }')" limit 100000
}

bench_cells() { echo "${NVT_CELLS:?}" | tr ',' ' '; }

test_setup() {
	bench_trace_ready || return 1
	# a slow NSID needs bench/9200-*.patch on the target; cells without
	# one run on any kernel (make bench's window:N kernels)
	if bench_cells | tr ' ' '\n' | grep -q '^[^:]*:[^:]*:'; then
		[ -w "$SLOW_PARAM/slow_identify_nsid" ] || {
			diag "nvmet has no slow_identify_nsid: the kernel needs bench/9200-*.patch"
			return 1
		}
		echo "${NVT_SLOW_MS:-20}" > "$SLOW_PARAM/slow_identify_ms"
	fi
	nvmet_add_tcp_port 2 || return 1
	for cell in $(bench_cells); do
		n=$(echo "$cell" | cut -d: -f2)
		bench_add_subsys "$n" || { diag "cannot create $n namespaces"; return 1; }
	done
}

# bench_cell RTT COUNT SLOW REP: measure one cell, print its result line
# (unless REP is "warmup")
bench_cell() {
	rtt=$1 n=$2 slow=${3:-0} rep=$4
	bench_set_rtt "$rtt" || { diag "tc netem failed"; return 1; }
	[ "$slow" = 0 ] || echo "$slow" > "$SLOW_PARAM/slow_identify_nsid"
	bench_trace_clear
	cpu0=$(bench_cpu_ticks)
	nvme connect -t tcp -a "$NVMET_TCP_ADDR" -s "$NVMET_TCP_PORT" \
		-n "$(bench_nqn "$n")" >/dev/null || {
		diag "rtt $rtt ms, $n namespaces: connect failed"
		return 1
	}
	bench_wait "$n" || {
		diag "rtt $rtt ms: $(nvme_disks | wc -l) of $n namespaces"
		return 1
	}
	times=$(bench_trace_settle) || return 1
	cpu1=$(bench_cpu_ticks)
	# shellcheck disable=SC2086 # three numbers
	set -- $times
	bad=$(nvme_sysfs_nsids | count_misplaced)
	# straight to the result channel (fd 3 of /init), so the host sees
	# each cell as soon as it is measured; not the warm-up's
	if [ "$rep" != warmup ]; then
		echo "# bench rtt=$rtt ns=$n slow=$slow rep=$rep seconds=$1 scan=$2 connect=$(awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", a - b }') misplaced=$bad" >&3
		# shellcheck disable=SC2086 # three numbers each
		echo "# cpu rtt=$rtt ns=$n slow=$slow rep=$rep $(bench_cpu_delta $cpu0 $cpu1)" >&3
		bench_trace_dump "rtt=$rtt ns=$n slow=$slow rep=$rep"
	fi
	[ "$slow" = 0 ] || echo 0 > "$SLOW_PARAM/slow_identify_nsid"
	bench_set_rtt 0
	nvme disconnect-all >/dev/null
	wait_no_nvme_disks 600 || { diag "disks left after disconnect"; return 1; }
}

test_measure() {
	# The first connect of a boot is slower (in a 1-vCPU guest, about
	# 0.1 s more for 16 namespaces at 2 ms): a warm-up connect to the
	# first cell's subsystem, not reported, so that every cell is
	# measured alike.
	cell=$(bench_cells | cut -d' ' -f1)
	bench_cell 0 "$(echo "$cell" | cut -d: -f2)" 0 warmup || return 1
	for rep in $(seq 1 "${NVT_REPEAT:-1}"); do
		for cell in $(bench_cells); do
			bench_cell "$(echo "$cell" | cut -d: -f1)" \
				"$(echo "$cell" | cut -d: -f2)" \
				"$(echo "$cell" | cut -d: -f3)" "$rep" || return 1
		done
	done
}
