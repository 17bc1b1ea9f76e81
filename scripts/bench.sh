#!/bin/bash
# make bench, scenario A: namespace scan time over NVMe/TCP with a
# round-trip time set by netem, for three kernels side by side in one run
# (scripts/common.sh: bench_kernels): base, patched and sequential.
# Every round boots each kernel once (the order rotates from round to
# round) and measures every cell in that boot.  The times are the guest
# kernel's own (guest/tests/bench-tcp.sh); scripts/bench-stats.py makes
# the table, with bootstrap confidence intervals.
#
#   ROUNDS=10        rounds (boots of each kernel)
#   CELLS=RTT:COUNT[:SLOW],...
#                    round trip in ms, namespaces, and optionally an NSID
#                    whose Identify commands the target answers SLOW_MS
#                    late (default below)
#   SEQ_SKIP=cells   cells the sequential kernel leaves out (20 ms with
#                    1000 namespaces takes it minutes a run)
#   SLOW_MS=20       how late the slow NSID's Identify commands are answered
#   REPEAT=1         connects per cell in every boot, the cells taking
#                    turns; a round's time is their median
#   ITEMS=1          also trace the scan's work items (scripts/common.sh:
#                    BENCH_ITEMS_APPEND) and add scripts/bench-items.py's
#                    tables: where each kernel's scan spends its time.
#                    The probes cost time: a separate run from the one
#                    whose ratios are reported.
#   SMP=2            guest CPUs: no more than the host has (docs/bench-history.md)
#   OUT=bench/results  TAG=name (added to the file names)
#   SMOKE=1          two small cells, one round, two connects each,
#                    traced (make check)
#
# Writes <OUT>/<date>-tcp.tsv (every measurement) and <OUT>/<date>-tcp.md
# (<date>-tcp-items.md and the traces, compressed, with ITEMS=1).

. "$(dirname "$0")/common.sh"

if [ "${SMOKE:-0}" = 1 ]; then
	ROUNDS=1 CELLS=2:16,2:16:8 SEQ_SKIP='' REPEAT=2 ITEMS=1
	OUT=${OUT:-$BUILD/bench-smoke}
fi
rounds=${ROUNDS:-10}
cells=${CELLS:-0:100,0.2:100,2:100,20:100,150:100,2:1000,20:1000,2:100:50,2:1000:500}
seq_skip=${SEQ_SKIP-20:1000}
slow_ms=${SLOW_MS:-20}
repeat=${REPEAT:-1}
items=${ITEMS:=0}
smp=${SMP:-2}
out=${OUT:-$TOP/bench/results}
stamp=$(date -u +%Y-%m-%d)
tsv=$out/$stamp-tcp${TAG:+-$TAG}.tsv
work=$BUILD/bench
mkdir -p "$out" "$work"
[ "$smp" -le "$(nproc)" ] ||
	warn "SMP=$smp guest CPUs on $(nproc) host CPUs: the vCPUs will fight for them"

t_start=$(date +%s)
progress() { log "[$(( $(date +%s) - t_start ))s] $*"; }

bench_kernels

# cells_of KERNEL: the cells it measures
cells_of() {
	local c
	[ "$1" = sequential ] || { echo "$cells"; return; }
	for c in ${cells//,/ }; do
		case ",$seq_skip," in *",$c,"*) continue ;; esac
		printf '%s,' "$c"
	done | sed 's/,$//'
}

bench_tsv_header > "$tsv"
items_log=${tsv%.tsv}-items.trace.gz
rm -f "$items_log"
for r in $(seq 1 "$rounds"); do
	for i in $(seq 0 $(( ${#kernels[@]} - 1 ))); do
		k=${kernels[$(( (i + r - 1) % ${#kernels[@]} ))]}
		kcells=$(cells_of "$k")
		progress "round $r of $rounds: $k kernel (cells $kcells)"
		dir=$work/logs/round-$r-$k
		rm -rf "$dir"
		mkdir -p "$dir"
		host_load_start
		SMP=$smp MEM=4096 "$TOP/scripts/vm.sh" -k "${BENCH_IMAGE[$k]}" -l none \
			-t bench-tcp -T 7200 -o "$dir" \
			-a "nvt.cells=$kcells nvt.slow_ms=$slow_ms nvt.repeat=$repeat nvt.items=$items $(bench_cmdline "$k")" \
			> "$dir.ktap" 2>&1 || {
			tail -n 20 "$dir.ktap" >&2
			die "round $r, $k kernel: the guest did not finish"
		}
		read -r load0 load1 other steal <<< "$(host_load_end)"
		grep -q '^not ok' "$dir.ktap" && {
			grep '^#' "$dir.ktap" | tail -n 10 >&2
			die "round $r, $k kernel: a measurement failed"
		}
		sed -n 's/^# bench rtt=\([0-9.]*\) ns=\([0-9]*\) slow=\([0-9]*\) rep=\([0-9]*\) seconds=\([0-9.]*\) scan=\([0-9.]*\) connect=\([0-9.-]*\) misplaced=\([0-9]*\)$/\1 \2 \3 \4 \5 \6 \7 \8/p' "$dir.ktap" |
			while read -r rtt n slow i s scan c m; do
				progress "  round $r, $k: rtt $rtt ms, $n namespaces$([ "$slow" = 0 ] || echo ", NSID $slow slow")$([ "$repeat" = 1 ] || echo ", connect $i"): $s s"
				printf '%s\t' "$r" "$k" "$rtt" "$n" "$slow" "$s" "$scan" "$c" "$m" "$load0" "$load1" "$other" "$i"
				printf '%s\n' "$steal"
			done >> "$tsv"
		bench_items_keep "$k" "$r" "$dir.ktap" "$items_log"
		[ "$(awk -F'\t' -v r="$r" -v k="$k" '$1 == r && $2 == k' "$tsv" | wc -l)" = "$(( repeat * $(echo "$kcells" | tr ',' '\n' | grep -c .) ))" ] ||
			die "round $r, $k kernel: not every cell was measured (see $dir.ktap)"
	done
done

md=${tsv%.tsv}.md
{
	bench_header "NVMe/TCP namespace scan time"
	python3 "$TOP/scripts/bench-stats.py" "$tsv"
} > "$md"
cat "$md"
bench_items_table "NVMe/TCP namespace scan" "$items_log" "${tsv%.tsv}-items.md"
progress "done: $md"
