#!/bin/bash
# make bench, scenario B: one QEMU NVMe controller on PCI with PCI_NS
# namespaces, scanned at boot, for the three kernels side by side in one
# run (the order rotates from round to round).  The times are the guest
# kernel's own (guest/tests/bench-pci.sh); scripts/bench-stats.py makes
# the table.
#
#   ROUNDS=10  PCI_NS=256  SMP=2  OUT=bench/results  TAG=name
#   REPEAT=1   scans per boot: the boot's own, then the controller unbound
#              from nvme and bound again; a round's time is their median
#   ITEMS=1    trace the scan's work items, as scripts/bench.sh does
#   SMOKE=1    16 namespaces, one round, two scans, traced (make check)
#
# Writes <OUT>/<date>-pci.tsv (every scan) and <OUT>/<date>-pci.md
# (<date>-pci-items.md and the traces, compressed, with ITEMS=1).

. "$(dirname "$0")/common.sh"

if [ "${SMOKE:-0}" = 1 ]; then
	ROUNDS=1 PCI_NS=16 REPEAT=2 ITEMS=1 OUT=${OUT:-$BUILD/bench-smoke}
fi
rounds=${ROUNDS:-10}
ns=${PCI_NS:-256}
smp=${SMP:-2}
repeat=${REPEAT:-1}
items=${ITEMS:=0}
out=${OUT:-$TOP/bench/results}
stamp=$(date -u +%Y-%m-%d)
tsv=$out/$stamp-pci${TAG:+-$TAG}.tsv
work=$BUILD/bench-pci
mkdir -p "$out" "$work"

t_start=$(date +%s)
progress() { log "[$(( $(date +%s) - t_start ))s] $*"; }

bench_kernels

bench_tsv_header > "$tsv"
items_log=${tsv%.tsv}-items.trace.gz
rm -f "$items_log"
for r in $(seq 1 "$rounds"); do
	for i in $(seq 0 $(( ${#kernels[@]} - 1 ))); do
		k=${kernels[$(( (i + r - 1) % ${#kernels[@]} ))]}
		dir=$work/logs/round-$r-$k
		rm -rf "$dir"
		mkdir -p "$dir"
		host_load_start
		SMP=$smp MEM=2048 "$TOP/scripts/vm.sh" -k "${BENCH_IMAGE[$k]}" \
			-l "nvme:$ns" -t bench-pci -T 1800 -o "$dir" \
			-a "nvt.repeat=$repeat nvt.items=$items $(bench_cmdline "$k")" \
			> "$dir.ktap" 2>&1 || die "round $r, $k kernel: the guest did not finish"
		read -r load0 load1 other steal <<< "$(host_load_end)"
		grep -q '^not ok' "$dir.ktap" && {
			grep '^#' "$dir.ktap" | tail -n 10 >&2
			die "round $r, $k kernel: the measurement failed"
		}
		sed -n 's/^# benchpci ns=[0-9]* rep=\([0-9]*\) seconds=\([0-9.]*\) scan=\([0-9.]*\) misplaced=\([0-9]*\)$/\1 \2 \3 \4/p' "$dir.ktap" |
			while read -r i s scan m; do
				printf '%s\t' "$r" "$k" pci "$ns" 0 "$s" "$scan" - "$m" "$load0" "$load1" "$other" "$i"
				printf '%s\n' "$steal"
				progress "round $r of $rounds, $k kernel, scan $i: $ns namespaces in $s s (scan $scan s)"
			done >> "$tsv"
		[ "$(awk -F'\t' -v r="$r" -v k="$k" '$1 == r && $2 == k' "$tsv" | wc -l)" = "$repeat" ] ||
			die "round $r, $k kernel: not every scan was measured (see $dir.ktap)"
		bench_items_keep "$k" "$r" "$dir.ktap" "$items_log"
	done
done

md=${tsv%.tsv}.md
{
	bench_header "NVMe on PCI, namespace scan at boot"
	python3 "$TOP/scripts/bench-stats.py" "$tsv"
} > "$md"
cat "$md"
bench_items_table "NVMe PCI namespace scan" "$items_log" "${tsv%.tsv}-items.md"
progress "done: $md"
