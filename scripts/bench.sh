#!/bin/bash
# make bench, scenario A: namespace scan time over NVMe/TCP with a
# round-trip time set by netem, for three kernels side by side in one run:
#   base        Debian's 7.3, async scan, names in completion order
#   patched     the series: async scan, names in NSID order
#   sequential  the series plus bench/9100-*.patch: one namespace at a time
# Every round boots each kernel once (the order rotates from round to
# round) and measures every cell (RTT x namespace count) in that boot.
#
#   ROUNDS=3  RTTS=0,2,20,100  COUNTS=100,1000  SKIP="100:1000"
#   OUT=bench/results  TAG=name (added to the file names)
#   SMOKE=1 (one small cell, one round, for make check)
#
# SKIP lists rtt:count cells left out (1000 namespaces at 100 ms takes the
# sequential kernel over five minutes per run).  Writes <OUT>/<date>-tcp.tsv
# (every run), <OUT>/<date>-tcp.md (the table) and <OUT>/<date>-tcp.png.

. "$(dirname "$0")/common.sh"

if [ "${SMOKE:-0}" = 1 ]; then
	ROUNDS=1 RTTS=2 COUNTS=16 SKIP= OUT=${OUT:-$BUILD/bench-smoke}
fi
rounds=${ROUNDS:-3}
rtts=${RTTS:-0,2,20,100}
counts=${COUNTS:-100,1000}
skip=${SKIP-100:1000}
out=${OUT:-$TOP/bench/results}
stamp=$(date -u +%Y-%m-%d)
tsv=$out/$stamp-tcp${TAG:+-$TAG}.tsv
work=$BUILD/bench
mkdir -p "$out" "$work"

t_start=$(date +%s)
progress() { log "[$(( $(date +%s) - t_start ))s] $*"; }

bench_kernels

qemu_version=$(qemu-system-x86_64 --version | head -n 1)
printf 'round\tkernel\trtt_ms\tnamespaces\tseconds\tconnect_s\tmisplaced\n' > "$tsv"
for r in $(seq 1 "$rounds"); do
	for i in $(seq 0 $(( ${#kernels[@]} - 1 ))); do
		k=${kernels[$(( (i + r - 1) % ${#kernels[@]} ))]}
		progress "round $r of $rounds: $k kernel (cells: rtt $rtts ms x $counts namespaces)"
		dir=$work/logs/round-$r-$k
		# report each cell as the guest measures it
		mkdir -p "$dir"
		(
			set +e +o pipefail
			seen=0
			while sleep 2; do
				grep -a '^# bench' "$dir/ktap.log" 2>/dev/null | tail -n +$((seen + 1)) |
					sed -n 's/^# bench rtt=\([0-9]*\) ns=\([0-9]*\) seconds=\([0-9.]*\).*/\1 \2 \3/p' |
					while read -r rtt n s; do
						progress "  round $r, $k: rtt $rtt ms, $n namespaces: $s s"
					done
				seen=$(grep -ac '^# bench' "$dir/ktap.log" 2>/dev/null || true)
			done
		) &
		watcher=$!
		SMP=4 MEM=4096 "$TOP/scripts/vm.sh" -k "${BENCH_IMAGE[$k]}" -l none \
			-t bench-tcp -T 7200 -o "$dir" \
			-a "nvt.rtts=$rtts nvt.counts=$counts nvt.skip=$skip" \
			> "$dir.ktap" 2>&1 || {
			kill $watcher 2>/dev/null || true
			tail -n 20 "$dir.ktap" >&2
			die "round $r, $k kernel: the guest did not finish"
		}
		sleep 2.5	# one more poll: cells measured just before the end
		kill $watcher 2>/dev/null || true
		wait $watcher 2>/dev/null || true
		grep -q '^not ok' "$dir.ktap" && {
			grep '^#' "$dir.ktap" | tail -n 10 >&2
			die "round $r, $k kernel: a measurement failed"
		}
		sed -n 's/^# bench rtt=\([0-9]*\) ns=\([0-9]*\) seconds=\([0-9.]*\) connect=\([0-9.]*\) misplaced=\([0-9]*\)$/\1 \2 \3 \4 \5/p' "$dir.ktap" |
			while read -r rtt n s c m; do
				printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$r" "$k" "$rtt" "$n" "$s" "$c" "$m" >> "$tsv"
			done
	done
done

md=${tsv%.tsv}.md
{
	echo "# make bench: NVMe/TCP namespace scan time"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) host CPUs ($(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n 1)), $qemu_version, TCG, guest -smp 4;"
	echo "kernel $(make -s -C "$("$TOP/scripts/tree.sh" base)" kernelversion 2>/dev/null) (base: Debian $(. "$TOP/config/base.conf"; echo "$BASE_PACKAGE $BASE_VERSION")); $rounds runs per cell."
	echo
	"$TOP/scripts/bench-table.awk" "$tsv"
} > "$md"
if command -v gnuplot >/dev/null; then
	"$TOP/scripts/bench-plot.sh" "$tsv" "${tsv%.tsv}.png" || log "no plot: gnuplot failed"
fi
cat "$md"
progress "done: $md"
