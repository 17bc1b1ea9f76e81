# Helpers for tests against an NVMe target inside the guest (nvmet over the
# loop transport, or TCP on the loopback interface), with file-backed
# namespaces on tmpfs.

NVMET=/sys/kernel/config/nvmet
NQN=nqn.2026-11.org.example:nvt-target
NVMET_TCP_ADDR=127.0.0.1
NVMET_TCP_PORT=4420

nvmet_add_subsys() {
	mkdir -p "$NVMET/subsystems/$NQN" &&
	echo 1 > "$NVMET/subsystems/$NQN/attr_allow_any_host"
}

# nvmet_add_ns NSID [enable]: a 1 MiB file-backed namespace
nvmet_add_ns() {
	d=$NVMET/subsystems/$NQN/namespaces/$1
	mkdir -p /tmp/ns "$d" || return 1
	[ -f "/tmp/ns/$1" ] || truncate -s 1M "/tmp/ns/$1"
	echo "/tmp/ns/$1" > "$d/device_path"
	echo 1 > "$d/buffered_io"
	[ "${2:-1}" = 1 ] && echo 1 > "$d/enable"
	return 0
}

# nvmet_setup_target [enable]: a subsystem of nvt.ns namespaces (enabled
# unless enable is 0) on a loop port
nvmet_setup_target() {
	nvmet_add_subsys || return 1
	for i in $(seq 1 "$NVT_NS"); do
		nvmet_add_ns "$i" "${1:-1}" || { diag "cannot add namespace $i"; return 1; }
	done
	nvmet_add_loop_port
}

nvmet_enable_ns() { echo 1 > "$NVMET/subsystems/$NQN/namespaces/$1/enable"; }
nvmet_disable_ns() { echo 0 > "$NVMET/subsystems/$NQN/namespaces/$1/enable"; }

# Take a namespace out of the subsystem.  Commands for it then fail with
# Invalid Namespace and Do Not Retry.  A disabled namespace answers
# Internal Path Error instead, which the host's multipath code retries at
# once on the same path for as long as it has not removed the namespace
# (tests/wip/base-io-disabled-ns).  nvmet_add_ns puts it back.
nvmet_remove_ns() { rmdir "$NVMET/subsystems/$NQN/namespaces/$1"; }

# nvmet_port_add_subsys ID NQN: offer subsystem NQN on port ID
nvmet_port_add_subsys() {
	ln -s "$NVMET/subsystems/$2" "$NVMET/ports/$1/subsystems/$2"
}

nvmet_add_loop_port() {
	mkdir -p "$NVMET/ports/1" &&
	echo loop > "$NVMET/ports/1/addr_trtype" &&
	nvmet_port_add_subsys 1 "$NQN"
}

# nvmet_add_tcp_port ID: port ID listens on $NVMET_TCP_ADDR:$NVMET_TCP_PORT
# (offering no subsystem yet)
nvmet_add_tcp_port() {
	p=$NVMET/ports/$1
	ip link set lo up &&
	mkdir -p "$p" &&
	echo tcp > "$p/addr_trtype" &&
	echo ipv4 > "$p/addr_adrfam" &&
	echo "$NVMET_TCP_ADDR" > "$p/addr_traddr" &&
	echo "$NVMET_TCP_PORT" > "$p/addr_trsvcid"
}

# With a keep-alive timeout of 15 s, not the default 5 (nvt.kato=SECONDS
# sets another).  The host skips its keep-alive while it sees completions
# (traffic-based keep-alive), so it may send nothing for two keep-alive
# periods, and on the debug kernel under TCG its keep-alive work also
# waits seconds for a worker while a rescan of 1024 namespaces runs.
# Traced (tests/wip/debug-nvmet-remove-trace), the base kernel's host
# sent nothing for 5.4 s in one remove loop, its keep-alive work queued
# for up to 2.6 s; the target's 5 s timer then tears the controller down
# in some runs, base and patched alike.
#
# nvmet_connect [loop|tcp]: connect to $NQN over loop (the default) or over
# TCP, through a port of nvmet_add_tcp_port that offers it
nvmet_connect() {
	case ${1:-loop} in
	loop) set -- -t loop ;;
	tcp) set -- -t tcp -a "$NVMET_TCP_ADDR" -s "$NVMET_TCP_PORT" ;;
	*) diag "nvmet_connect: unknown transport '$1'"; return 1 ;;
	esac
	nvme connect "$@" -n "$NQN" --keep-alive-tmo="${NVT_KATO:-15}" >/dev/null
}

nvmet_disconnect() {
	nvme disconnect -n "$NQN" >/dev/null
}
