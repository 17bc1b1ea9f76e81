#!/bin/bash
# make blktests: blktests' nvme group, over the loop and TCP transports,
# and its scsi group, on the base kernel and on the series, built from the
# same tree and configuration (config/blktests.config), each booted in a
# Debian bookworm guest (scripts/blktests-rootfs.sh).  Prints blktests'
# progress as it goes, then a table of both kernels' results
# (scripts/blktests-table.py), and fails if a test that passes on the base
# fails on the series.
#
#   BLKTESTS=dir       a blktests tree to use; by default the pinned
#                      tarball (config/blktests.conf)
#   KERNELS="base patched"
#   TESTS="nvme/058 scsi nvme"
#                      what ./check runs, one test at a time, each once
#                      in the order first named: groups or tests
#   NVMET_TRTYPES="loop tcp"
#   GUEST_TIMEOUT=21600  seconds one kernel's guest may take
#   PARALLEL=1         the kernels' guests at the same time (0: in turn)
#   OUT=bench/results  TAG=name (added to the file name)
#   SMOKE=1            nvme/058 and scsi/004 on the series only, results
#                      under build/ (make check)
#
# Writes <OUT>/<date>-blktests.md: the table, and the output of every
# test that fails; the full results of each
# kernel stay in build/blktests/<kernel>/results (SMOKE=1:
# build/blktests-smoke/guests/).

. "$(dirname "$0")/common.sh"
. "$TOP/config/blktests.conf"

work=$BUILD/blktests
if [ "${SMOKE:-0}" = 1 ]; then
	KERNELS=patched TESTS="nvme/058 scsi/004"
	OUT=${OUT:-$BUILD/blktests-smoke}
	# its own guests' directories: a make blktests may be running
	work=$BUILD/blktests-smoke/guests
fi
read -r -a kernels <<< "${KERNELS:-base patched}"
tests=${TESTS:-nvme/058 scsi nvme}
trtypes=${NVMET_TRTYPES:-loop tcp}
guest_timeout=${GUEST_TIMEOUT:-21600}
out=${OUT:-$TOP/bench/results}
stamp=$(date -u +%Y-%m-%d)
md=$out/$stamp-blktests${TAG:+-$TAG}.md
mkdir -p "$out" "$work"

t_start=$(date +%s)
progress() { log "[$(( $(date +%s) - t_start ))s] $*"; }

# The blktests tree, built for the guest: the host is Debian bookworm too,
# so its compiler and C library fit.
blktests_tree() {
	local src
	if [ -n "${BLKTESTS:-}" ]; then
		[ -x "$BLKTESTS/check" ] || die "BLKTESTS=$BLKTESTS has no ./check"
		src=$work/src-user
		rm -rf "$src"
		cp -a "$BLKTESTS" "$src"
		log "blktests from $BLKTESTS ($(git -C "$BLKTESTS" describe --always 2>/dev/null || echo 'not a git tree'))"
	elif [ -f "$BLKTESTS_TARBALL" ]; then
		src=$work/src-${BLKTESTS_COMMIT:0:12}
		if [ ! -f "$src/.unpacked" ]; then
			rm -rf "$src"
			mkdir -p "$src"
			tar -xzf "$BLKTESTS_TARBALL" -C "$src" --strip-components=1
			touch "$src/.unpacked"
		fi
		log "blktests ${BLKTESTS_COMMIT:0:12} ($BLKTESTS_DATE) from $BLKTESTS_TARBALL"
	else
		die "blktests is not here.  Get the pinned commit and point BLKTESTS at it:
    git clone $BLKTESTS_REPO
    git -C blktests checkout $BLKTESTS_COMMIT
    make blktests BLKTESTS=\$PWD/blktests
(or put its tarball at $BLKTESTS_TARBALL)"
	fi
	if [ ! -f "$src/.built" ]; then
		make -s -C "$src" -j"$JOBS" >&2 || die "blktests' src/ did not build"
		touch "$src/.built"
	fi
	printf '%s\n' "$src"
}

# run_kernel KERNEL: boot the blktests kernel of KERNEL with the Debian
# guest, run the tests, and leave the results in $work/KERNEL
run_kernel() {
	local k=$1 image kout share rc=0 qpid
	image=$("$TOP/scripts/kernel.sh" "blktests-$k") ||
		die "the blktests-$k kernel did not build"
	kout=${image%/arch/x86/boot/bzImage}
	share=$work/$k
	rm -rf "$share"
	mkdir -p "$share"
	cp -a "$src" "$share/blktests"
	cp -a "$kout/modroot" "$share/modules"
	cp "$kout/.config" "$share/kconfig"
	cp "$TOP/guest/blktests-run.sh" "$share/run.sh"
	echo "$tests" > "$share/tests"
	cat > "$share/config" <<-EOF
	# make blktests: no test devices, only the tests that make their own
	NVMET_TRTYPES="$trtypes"
	EOF

	progress "$k kernel: ./check $tests (NVMET_TRTYPES=\"$trtypes\")"
	timeout --foreground -k 10 "$guest_timeout" qemu-system-x86_64 \
		-machine q35 -accel tcg -cpu max,la57=off -smp "${SMP:-2}" \
		-m "${MEM:-4096}" -nodefaults -display none -no-reboot \
		-kernel "$image" \
		-append "console=ttyS0 root=/dev/vda rw init=/sbin/blktests-init panic=-1" \
		-drive "file=$rootfs,if=virtio,format=raw,snapshot=on" \
		-virtfs "local,path=$share,mount_tag=host,security_model=none,id=host" \
		-serial "file:$share/console.log" \
		< /dev/null > "$share/qemu.log" 2>&1 &
	qpid=$!
	# blktests' own progress lines, as they come; whatever tail says
	# when the guest is gone, the guest's own files tell how it ended
	tail -n +1 -F --pid="$qpid" "$share/console.log" 2>/dev/null |
		tr -d '\r' | grep --line-buffered -E '^([a-z]+/[0-9]+ |blktests-(guest|init):)' |
		while read -r line; do progress "$k: $line"; done || true
	wait "$qpid" || rc=$?
	if [ -f "$share/check-rc" ]; then
		progress "$k kernel: done, ./check exited with $(cat "$share/check-rc")"
		return 0
	fi
	tail -n 30 "$share/console.log" >&2
	if [ "$rc" = 124 ] && [ -d "$share/results" ]; then
		# what it finished is in results/; the table says where it stopped
		echo "$guest_timeout" > "$share/cut-short"
		warn "$k kernel: the guest was stopped after ${guest_timeout}s (GUEST_TIMEOUT); the table has the tests it finished"
		return 0
	fi
	die "$k kernel: the guest did not finish (qemu exit $rc; $share/console.log)"
}

src=$(blktests_tree)
rootfs=$("$TOP/scripts/blktests-rootfs.sh") || die "no guest root file system"
# The kernels' guests run at the same time: most of blktests' time is
# spent waiting (timeouts, udev, sleeps), and the kernels then share the
# host alike, so their times compare.  PARALLEL=0 runs them in turn.
pids=()
for k in "${kernels[@]}"; do
	if [ "${PARALLEL:-1}" = 1 ]; then
		run_kernel "$k" &
		pids+=($!)
	else
		run_kernel "$k"
	fi
done
failed=0
for p in "${pids[@]}"; do
	wait "$p" || failed=1
done
[ "$failed" = 0 ] || die "a guest did not finish; see the lines above"

args=()
for k in "${kernels[@]}"; do
	args+=("$k=$work/$k")
done
rc=0
{
	echo "# make blktests: blktests on the base kernel and the series"
	echo
	echo "blktests ${BLKTESTS:+from $BLKTESTS, }${BLKTESTS:-${BLKTESTS_COMMIT:0:12} ($BLKTESTS_DATE)}; ./check $tests, NVMET_TRTYPES=\"$trtypes\", no test devices; Debian bookworm guest, QEMU TCG, $(nproc) host CPUs, ${SMP:-2} vCPUs; $(date -u '+%Y-%m-%d'), $(( ($(date +%s) - t_start) / 60 )) min."
	echo
	for k in "${kernels[@]}"; do
		[ ! -f "$work/$k/cut-short" ] ||
			echo "**Cut short:** the $k kernel's guest was stopped after $(cat "$work/$k/cut-short") s; tests it did not reach are \"not reached\"."
	done
	echo
	python3 "$TOP/scripts/blktests-table.py" "$TOP/config/blktests-known" \
		"$src" "$tests" "${args[@]}"
} > "$md.tmp" || rc=$?
ls "$work"/*/cut-short >/dev/null 2>&1 && rc=1
mv "$md.tmp" "$md"
cat "$md"
progress "done: $md"
exit $rc
