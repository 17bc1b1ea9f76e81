# shellcheck shell=bash
# VM device layouts, by name.  layout_args NAME fills LAYOUT_ARGS with QEMU
# arguments and LAYOUT_APPEND with kernel arguments that describe it (the
# guest reads nvt.ns= to know how many namespaces to expect).

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

nsid_list() {
	case $1 in
	*,*) tr ',' ' ' <<< "$1" ;;
	*) seq 1 "$1" | tr '\n' ' ' ;;
	esac
}

layout_args() {
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
	nvme2:*:*)
		IFS=: read -r _ a b <<< "$name"
		# shellcheck disable=SC2046
		nvme_ctrl nvme0 nvt-a $(nsid_list "$a")
		# shellcheck disable=SC2046
		nvme_ctrl nvme1 nvt-b $(nsid_list "$b")
		LAYOUT_APPEND="nvt.ns=$(( $(nsid_list "$a" | wc -w) + $(nsid_list "$b" | wc -w) ))"
		;;
	*)
		die "unknown VM layout '$name'"
		;;
	esac
}
