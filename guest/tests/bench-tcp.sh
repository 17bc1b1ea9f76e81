# make bench, scenario A: an nvmet target on 127.0.0.1 over TCP, netem
# delay on the loopback device, and the time from "nvme connect" until
# every namespace block device exists.  One subsystem per namespace count
# (nvt.counts, e.g. "100,1000"); every round-trip time in nvt.rtts (ms) is
# measured for each, except the rtt:count pairs in nvt.skip.  Results are diagnostic lines:
#   # bench rtt=<ms> ns=<count> seconds=<s> connect=<s>
# where connect is how long "nvme connect" itself took.

. /tests/nvmet.sh

bench_nqn() { echo "nqn.2026-11.org.example:bench-$1"; }

# bench_add_subsys COUNT: a subsystem with COUNT 1 MiB namespaces
bench_add_subsys() {
	nqn=$(bench_nqn "$1")
	s=$NVMET/subsystems/$nqn
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

now() { cut -d' ' -f1 /proc/uptime; }

test_setup() {
	nvmet_add_tcp_port 2 || return 1
	for n in $(echo "${NVT_COUNTS:-100}" | tr ',' ' '); do
		bench_add_subsys "$n" || { diag "cannot create $n namespaces"; return 1; }
	done
}

test_measure() {
	for rtt in $(echo "${NVT_RTTS:-0}" | tr ',' ' '); do
		bench_set_rtt "$rtt" || { diag "tc netem failed"; return 1; }
		for n in $(echo "${NVT_COUNTS:-100}" | tr ',' ' '); do
			case ",${NVT_SKIP:-}," in *",$rtt:$n,"*) continue ;; esac
			t0=$(now)
			nvme connect -t tcp -a "$NVMET_TCP_ADDR" -s "$NVMET_TCP_PORT" \
				-n "$(bench_nqn "$n")" >/dev/null || {
				diag "rtt $rtt ms, $n namespaces: connect failed"
				return 1
			}
			t1=$(now)
			bench_wait "$n" || {
				diag "rtt $rtt ms: $(nvme_disks | wc -l) of $n namespaces"
				return 1
			}
			t2=$(now)
			bad=$(nvme_sysfs_nsids | count_misplaced)
			# straight to the result channel (fd 3 of /init), so the
			# host sees each cell as soon as it is measured
			echo "# bench rtt=$rtt ns=$n seconds=$(awk -v a="$t0" -v b="$t2" 'BEGIN { printf "%.2f", b - a }') connect=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }') misplaced=$bad" >&3
			nvme disconnect-all >/dev/null
			wait_no_nvme_disks 600 || { diag "disks left after disconnect"; return 1; }
		done
	done
	bench_set_rtt 0
}
