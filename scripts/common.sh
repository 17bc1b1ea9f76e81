# shellcheck shell=bash
# Settings shared by every script of the harness.  Source, do not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nvme-order}
SERIES=${SERIES:-patches}
JOBS=${JOBS:-$(nproc)}

# shellcheck source=../config/base.conf
. "$TOP/config/base.conf"

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Trees are built with O= as a direct child of the source, so kbuild uses
# "..": paths, and every tree shares the same ccache entries.
export CCACHE_NOHASHDIR=1

# The developer tree is build/linux; the unpatched base has its own worktree;
# any other series gets a tree of its own so build/linux is left alone.
DEV_TREE=$BUILD/linux
BASE_TREE=$BUILD/base/linux

log() { printf '>>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
warn() { printf '\n!!! WARNING: %s\n\n' "$*" >&2; }

series_dir() {
	case $SERIES in
	/*) printf '%s\n' "$SERIES" ;;
	*) printf '%s\n' "$TOP/$SERIES" ;;
	esac
}

# Where make check keeps the logs of the series' runs; runs on another
# kernel ($KERNEL, say base) go to a directory of their own.
logs_dir() {
	printf '%s\n' "$BUILD/logs/$(basename "$(series_dir)")${KERNEL:+-$KERNEL}"
}

# The tree that holds the series named by $SERIES.
series_tree() {
	local dir
	dir=$(series_dir)
	if [ "$(realpath -m "$dir")" = "$(realpath -m "$TOP/patches")" ]; then
		printf '%s\n' "$DEV_TREE"
	else
		printf '%s/series/%s/linux\n' "$BUILD" "$(basename "$dir")"
	fi
}

# The patches of a series, in order, without the cover letter.
series_patches() {
	find "$1" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

# soak_count SHORT FULL: the iteration count a test runs, SHORT in make
# check and FULL under make soak (SOAK=1).
soak_count() {
	if [ "${SOAK:-0}" = 1 ]; then echo "$2"; else echo "$1"; fi
}

# series_with DIR PATCH...: make DIR a series directory holding the patches
# of $SERIES followed by the given extra patches (a broken or bench-only
# variant of the series; it gets its own tree through SERIES=DIR).
series_with() {
	local dir=$1
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	# shellcheck disable=SC2046
	cp $(series_patches "$(series_dir)") "$@" "$dir/"
}

# base_clone DIR: DIR becomes a throwaway clone of the developer tree,
# checked out at the base commit, so that neither the developer's tree nor
# its unexported work plays a part.  An existing clone is reset, which
# keeps its build directories for incremental builds.
base_clone() {
	local dir=$1
	if [ ! -d "$dir/.git" ]; then
		rm -rf "$dir"
		git clone -q --shared --no-checkout "$DEV_TREE" "$dir" || return 1
	else
		git -C "$dir" fetch -q "$DEV_TREE" 'refs/tags/*:refs/tags/*' || return 1
		git -C "$dir" am --abort >/dev/null 2>&1 || true
	fi
	git -C "$dir" checkout -q -f -B series base || return 1
	# --no-checkout left an empty index: fill it, .gitattributes included
	git -C "$dir" reset -q --hard base
}

# The make variables of every kernel build.  A build of single objects in
# a kernel's directory (the gates) must use the same ones: a different
# HOSTCC relinks objtool, on which every object depends, and the next
# build of the kernel compiles everything again.
KMAKE_VARS=(CC="ccache gcc" HOSTCC="ccache gcc" KBUILD_BUILD_USER=nvme-order
	KBUILD_BUILD_HOST=qemu)

# seed_out SEED OUT TREE: start the new output directory OUT of TREE as a
# copy of SEED, a built output directory of another tree of the same base
# (the patched kernel's from the base kernel's, a variant's from the
# patched kernel's), so that make builds only what differs.  Every file
# of the copy takes the time it is made, newer than every source, and the
# files that differ between the two trees are touched, so make rebuilds
# them and what depends on them (fixdep tracks each file's CONFIG_
# symbols, so a new Kconfig symbol rebuilds only its users).  Paths in a build directory
# that is a direct child of its tree are relative ("../"), so the copy
# works from its new place; objtool's are not, and are rewritten.
seed_out() {
	local seed=$1 out=$2 tree=$3 seed_tree files f
	seed_tree=$(dirname "$seed")
	rm -rf "$out.tmp"
	cp -r "$seed" "$out.tmp" || return 1
	# objtool is built by tools/'s own make, whose command lines and
	# dependency files hold absolute paths: point them at this tree, or
	# objtool is relinked and every object it checked is built again
	# (a UML build has no tools/, and a grep that finds nothing is no
	# error)
	if [ -d "$out.tmp/tools" ]; then
		{ grep -rlF --exclude='*.o' --exclude='*.a' "$seed_tree/" "$out.tmp/tools" || [ $? = 1 ]; } |
			xargs -r sed -i -e "s|$seed/|$out/|g" -e "s|$seed_tree/|$tree/|g"
	fi
	# one time for every file of the copy, so that no target is older
	# than a prerequisite that cp happened to copy after it
	find "$out.tmp" -exec touch -h -d "@$(date +%s)" {} +
	mv "$out.tmp" "$out"
	files=$({
		git -C "$tree" diff --name-only "$(git -C "$seed_tree" rev-parse HEAD)" HEAD
		git -C "$tree" diff --name-only HEAD
		git -C "$seed_tree" diff --name-only HEAD
	} | sort -u)
	for f in $files; do
		[ -e "$tree/$f" ] && touch "$tree/$f"
	done
	return 0
}

# bench_kernels: build the three kernels make bench compares and set
# BENCH_IMAGE[kernel] to their images:
#   base        Debian's 7.3, async scan, names in completion order
#   patched     the series: async scan, names in NSID order
#   sequential  the series plus bench/9100-*.patch: one namespace at a time
# Each with bench/9200-*.patch, which changes only the target (nvmet
# answers one NSID's Identify commands late when asked), and with
# config/trace.config (scripts/kernel.sh: bench-base, bench-patched).
# BENCH_KERNELS="base patched" (say) leaves one out, to compare the others.
# "window:N" is the series with its scan window set to N namespaces
# (tests/patches' nvme_core.scan_ahead=, on the test-hooks kernel), to
# measure what the window's size costs.
read -r -a kernels <<< "${BENCH_KERNELS:-base patched sequential}"
declare -A BENCH_IMAGE
declare -A BENCH_VARIANT=([base]=bench-base [patched]=bench-patched
	[sequential]=sequential)
bench_variant() {
	case $1 in
	window:[1-9]*) echo test-hooks ;;
	*) echo "${BENCH_VARIANT[$1]:-}" ;;
	esac
}
# bench_cmdline KERNEL: what a bench guest's kernel command line adds:
# BENCH_APPEND's events, with ITEMS=1 BENCH_ITEMS_APPEND's too, and a
# window:N kernel's window
bench_cmdline() {
	local events=$BENCH_APPEND
	[ "${ITEMS:-0}" = 1 ] && events="$events;$BENCH_ITEMS_APPEND"
	case $1 in
	window:*) echo "$events nvme_core.scan_ahead=${1#window:}" ;;
	*) echo "$events" ;;
	esac
}
bench_kernels() {
	local k v
	for k in "${kernels[@]}"; do
		v=$(bench_variant "$k")
		[ -n "$v" ] || die "BENCH_KERNELS: no kernel '$k'"
		log "building the $k kernel ($v)"
		BENCH_IMAGE[$k]=$("$TOP/scripts/kernel.sh" "$v") ||
			die "the $k kernel did not build"
	done
}

# The kernel command line of a make bench guest: kprobe events that time
# the scan from the guest kernel's trace clock (guest/tests/lib.sh:
# bench_trace_times).  kprobe_event= sets them up at fs_initcall time,
# before the NVMe drivers' device_initcall; ftrace=nop allocates the ring
# buffer at boot.  A return probe records only as many calls at once as
# it has instances (maxactive, by default twice the CPUs, at least 10),
# and an unordered scan adds hundreds of disks at once: 4096, the most
# kernel/trace/trace_kprobe.c accepts.
BENCH_APPEND="ftrace=nop trace_buf_size=4M trace_clock=global kprobe_event=p:nvt/ctrl,nvme_init_ctrl;p:nvt/start,nvme_start_ctrl;r4096:nvt/disk,add_disk_fwnode"

# make bench ITEMS=1: kprobe events on the scan's work items, added to
# BENCH_APPEND, for scripts/bench-items.py.  Each item runs nvme_scan_ns
# on one kworker, so an item's events are those of its task between
# nvt/item and nvt/idone.
#   nvt/item, nvt/idone     nvme_scan_ns entered (with the NSID), returned
#   nvt/wait, nvt/waited    compl_chain_wait entered, returned: the
#                           namespace waits for its turn to be named
#                           (the series only; the base kernel warns
#                           that it has no such function, and goes on)
#   nvt/leave               compl_chain_leave: the turn passes on
#   nvt/upd, nvt/updone     nvme_update_ns_info entered, returned: after
#                           the name, Identify NS again (and the NVM
#                           command set's Identify, where supported),
#                           then the queue limits applied
#   nvt/adding              add_disk_fwnode entered
#   nvt/cmd, nvt/cmddone    __nvme_submit_sync_cmd entered, returned:
#                           admin commands waiting for a tag or in flight
BENCH_ITEMS_APPEND="p:nvt/item,nvme_scan_ns,nsid=\$arg2:u32;r4096:nvt/idone,nvme_scan_ns;p:nvt/wait,compl_chain_wait;r4096:nvt/waited,compl_chain_wait;p:nvt/leave,compl_chain_leave;p:nvt/upd,nvme_update_ns_info;r4096:nvt/updone,nvme_update_ns_info;p:nvt/adding,add_disk_fwnode;p:nvt/cmd,__nvme_submit_sync_cmd;r4096:nvt/cmddone,__nvme_submit_sync_cmd"

# bench_items_keep KERNEL ROUND KTAP LOG: with ITEMS=1, append the traces
# of one boot's log to LOG (gzip), each line prefixed "KERNEL ROUND "
bench_items_keep() {
	[ "${ITEMS:-0}" = 1 ] || return 0
	grep '^# tr ' "$3" | sed "s/^# tr /$1 $2 /" | gzip >> "$4"
}

# bench_items_table SCENARIO LOG MD: with ITEMS=1, the items' table of
# LOG (scripts/bench-items.py) into MD, and shown
bench_items_table() {
	[ "${ITEMS:-0}" = 1 ] || return 0
	{
		bench_header "where the $1 spends its time"
		python3 "$TOP/scripts/bench-items.py" "$2"
	} > "$3"
	cat "$3"
}

# What else used the host's CPUs while a bench guest ran.
# host_load_start, then host_load_end prints "LOAD_BEFORE LOAD_AFTER
# OTHER_PCT STEAL_PCT": the 1-minute load averages, the share of all host
# CPU time that went to processes other than this script and the
# children it waited for (the guest's QEMU among them), and the share
# the hypervisor under this host took (steal; zero on bare metal), in
# per cent.  Call both from the script's main shell, around a command run
# in the foreground.
host_cpu() {
	# busy ticks (steal left out), steal and total ticks of all CPUs, and
	# this shell's own and its reaped children's ticks
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
	sed 's/^.*) //' /proc/$$/stat | awk '{ print $12 + $13 + $14 + $15 }'
}
host_load_start() {
	HOST_LOAD0=$(cut -d' ' -f1 /proc/loadavg)
	HOST_CPU0=$(host_cpu | tr '\n' ' ')
}
host_load_end() {
	local cpu1
	cpu1=$(host_cpu | tr '\n' ' ')
	echo "$HOST_CPU0 $cpu1" | awk -v l0="$HOST_LOAD0" -v l1="$(cut -d' ' -f1 /proc/loadavg)" '{
		busy = $5 - $1; steal = $6 - $2; total = $7 - $3; own = $8 - $4
		other = total > 0 ? 100 * (busy - own) / total : 0
		if (other < 0) other = 0
		stolen = total > 0 ? 100 * steal / total : 0
		printf "%s %s %.1f %.1f\n", l0, l1, other, stolen
	}'
}

# The columns of make bench's result files (scripts/bench-stats.py)
bench_tsv_header() {
	printf 'round\tkernel\trtt_ms\tnamespaces\tslow_nsid\tseconds\tscan_s\tconnect_s\tmisplaced\tload_before\tload_after\tother_cpu_pct\trepeat\tsteal_pct\n'
}

# bench_header SCENARIO: the first lines of a result table
bench_header() {
	echo "# make bench: $1"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) host CPUs ($(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n 1)), $(qemu-system-x86_64 --version | head -n 1), TCG, guest -smp $smp;"
	echo "kernel $(make -s -C "$("$TOP/scripts/tree.sh" base)" kernelversion 2>/dev/null) (base: Debian $(. "$TOP/config/base.conf"; echo "$BASE_PACKAGE $BASE_VERSION")); $rounds rounds, the kernels interleaved."
	echo
}

# Identifies the content of a series (its patches, not the cover letter).
series_hash() {
	cat $(series_patches "$1") 2>/dev/null | sha1sum | cut -d' ' -f1
}

# Identifies what a series says and changes, leaving out what the export
# adds around it (Cc: headers, the [PATCH vN i/M] prefix): the hash that
# config/series-versions records for each version sent.
series_content_hash() {
	local p
	for p in $(series_patches "$1"); do
		sed -e '1{/^From [0-9a-f]\{40\} /d}' -e '/^Cc: /d' \
			-e 's/^Subject: \[[^]]*\] */Subject: /' "$p"
	done | sha1sum | cut -d' ' -f1
}

# The version a series directory's cover letter claims: 1 for "[PATCH",
# N for "[PATCH vN".
series_version() {
	sed -n 's/^Subject: \[PATCH\( v\([0-9]*\)\)\? .*/\2/p' \
		"$1/0000-cover-letter.patch" | sed 's/^$/1/' | head -n 1
}

# The file in which a tree ($1) records the series it holds: its own git
# directory, wherever the script runs from.
applied_marker() {
	printf '%s/nvme-order-applied\n' "$(git -C "$1" rev-parse --absolute-git-dir)"
}

# Record that $1 (a tree) holds the series in directory $2.
mark_applied() {
	printf '%s %s\n' "$(series_hash "$2")" "$(git -C "$1" rev-parse HEAD)" \
		> "$(applied_marker "$1")"
}
