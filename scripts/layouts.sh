# shellcheck shell=bash
# VM device layouts, by name.  layout_args NAME fills LAYOUT_ARGS with QEMU
# arguments and LAYOUT_APPEND with kernel arguments that describe it (the
# guest reads nvt.ns= to know how many namespaces to expect), and sets
# LAYOUT_QEMU=backports if the machine's QEMU cannot model it.

# nvme_ctrl ID SERIAL NSID...: one PCI NVMe controller, its own subsystem,
# with one zero-filled null namespace per NSID.
nvme_ctrl() {
	local id=$1 serial=$2 nsid
	shift 2
	LAYOUT_ARGS+=(-device "nvme,id=$id,serial=$serial")
	for nsid in "$@"; do
		LAYOUT_ARGS+=(-blockdev "driver=null-co,node-name=$id-ns$nsid,size=1048576,read-zeroes=on"
			-device "nvme-ns,drive=$id-ns$nsid,bus=$id,nsid=$nsid")
	done
}

# scsi_host ID COUNT: a virtio-scsi host with COUNT disks, targets 0..COUNT-1
scsi_host() {
	local id=$1 count=$2 t
	LAYOUT_ARGS+=(-device "virtio-scsi-pci,id=$id")
	for t in $(seq 0 $((count - 1))); do
		LAYOUT_ARGS+=(-blockdev "driver=null-co,node-name=$id-d$t,size=1048576,read-zeroes=on"
			-device "scsi-hd,bus=$id.0,drive=$id-d$t,scsi-id=$t,lun=0")
	done
}

# numa_nodes CPUS...: one NUMA node per argument, holding those CPUs (QEMU's
# cpus= syntax, "1-3"), with the guest's memory ($mem MiB) split evenly.
numa_nodes() {
	local n=$# i=0 cpus size
	for cpus in "$@"; do
		size=$((mem / n))
		[ $i -lt $((n - 1)) ] || size=$((mem - (n - 1) * (mem / n)))
		LAYOUT_ARGS+=(-object "memory-backend-ram,id=numa-m$i,size=${size}M"
			-numa "node,nodeid=$i,cpus=$cpus,memdev=numa-m$i")
		i=$((i + 1))
	done
}

nsid_list() {
	case $1 in
	*,*) tr ',' ' ' <<< "$1" ;;
	*) seq 1 "$1" | tr '\n' ' ' ;;
	esac
}

# layout_args NAME[+NAME...]: the devices of one layout, or of several in
# one VM ("nvme:256+scsi:24,8,2,1"; their kernel arguments are joined).
layout_args() {
	local part args=() append=
	LAYOUT_QEMU=
	if [[ $1 == *+* ]]; then
		for part in ${1//+/ }; do
			one_layout "$part"
			args+=("${LAYOUT_ARGS[@]}")
			append+=${append:+ }$LAYOUT_APPEND
		done
		LAYOUT_ARGS=("${args[@]}")
		LAYOUT_APPEND=$append
	else
		one_layout "$1"
	fi
}

one_layout() {
	local name=$1 a b nsids
	LAYOUT_ARGS=()
	LAYOUT_APPEND=
	case $name in
	none)
		LAYOUT_APPEND="nvt.ns=0"
		;;
	nvme:*)
		nsids=$(nsid_list "${name#nvme:}")
		# shellcheck disable=SC2086
		nvme_ctrl nvme0 nvt-a $nsids
		LAYOUT_APPEND="nvt.ns=$(wc -w <<< "$nsids")"
		;;
	fdp:*)
		# fdp:N is one controller with N namespaces in a subsystem with
		# Flexible Data Placement (8 reclaim unit handles), which the
		# machine's QEMU 7.2 cannot model: the backports' QEMU
		local i
		LAYOUT_QEMU=backports
		LAYOUT_ARGS+=(-device "nvme-subsys,id=fdp-subsys,nqn=nvt-fdp,fdp=on,fdp.runs=96M,fdp.nrg=1,fdp.nruh=8"
			-device "nvme,id=nvme0,serial=nvt-fdp,subsys=fdp-subsys")
		for i in $(seq 1 "${name#fdp:}"); do
			LAYOUT_ARGS+=(-blockdev "driver=null-co,node-name=fdp-ns$i,size=134217728,read-zeroes=on"
				-device "nvme-ns,drive=fdp-ns$i,bus=nvme0,nsid=$i,fdp.ruhs=0;1;2;3;4;5;6;7")
		done
		LAYOUT_APPEND="nvt.ns=${name#fdp:}"
		;;
	nvmectrls:*:*)
		# nvmectrls:C:N is C controllers of N namespaces each
		local c
		IFS=: read -r _ a b <<< "$name"
		for c in $(seq 0 $((a - 1))); do
			# shellcheck disable=SC2046
			nvme_ctrl "nvme$c" "nvt-c$c" $(nsid_list "$b")
		done
		LAYOUT_APPEND="nvt.ns=$((a * b)) nvt.ctrls=$a"
		;;
	nvme2:*:*)
		IFS=: read -r _ a b <<< "$name"
		# shellcheck disable=SC2046
		nvme_ctrl nvme0 nvt-a $(nsid_list "$a")
		# shellcheck disable=SC2046
		nvme_ctrl nvme1 nvt-b $(nsid_list "$b")
		LAYOUT_APPEND="nvt.ns=$(( $(nsid_list "$a" | wc -w) + $(nsid_list "$b" | wc -w) ))"
		;;
	numa:*)
		# numa:0:1-3 is two nodes, CPU 0 and CPUs 1 to 3; no devices
		local nodes
		IFS=: read -r -a nodes <<< "${name#numa:}"
		numa_nodes "${nodes[@]}"
		LAYOUT_APPEND="nvt.ns=0 nvt.nodes=${#nodes[@]}"
		;;
	scsi:*)
		local counts i=0 total=0 c
		IFS=, read -r -a counts <<< "${name#scsi:}"
		for c in "${counts[@]}"; do
			scsi_host "scsi$i" "$c"
			i=$((i + 1))
			total=$((total + c))
		done
		LAYOUT_APPEND="nvt.sd=$total"
		;;
	*)
		die "unknown VM layout '$name'"
		;;
	esac
}
