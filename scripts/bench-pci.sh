#!/bin/bash
# make bench, scenario B: one QEMU NVMe controller on PCI with NS
# namespaces, scanned at boot, for the three kernels side by side in one
# run (the order rotates from round to round).  The scan time comes from
# the kernel's own timestamps: from the controller's probe ("pci
# function") to the line the guest writes to /dev/kmsg once the last
# namespace block device exists (it polls every 10 ms).
#
#   ROUNDS=3  PCI_NS=256  OUT=bench/results  TAG=name (added to the file names)
#   SMOKE=1 (16 namespaces, one round, for make check)
#
# Writes <OUT>/<date>-pci.tsv (every run) and <OUT>/<date>-pci.md.

. "$(dirname "$0")/common.sh"

if [ "${SMOKE:-0}" = 1 ]; then
	ROUNDS=1 PCI_NS=16 OUT=${OUT:-$BUILD/bench-smoke}
fi
rounds=${ROUNDS:-3}
ns=${PCI_NS:-256}
out=${OUT:-$TOP/bench/results}
stamp=$(date -u +%Y-%m-%d)
tsv=$out/$stamp-pci${TAG:+-$TAG}.tsv
work=$BUILD/bench-pci
mkdir -p "$out" "$work"

t_start=$(date +%s)
progress() { log "[$(( $(date +%s) - t_start ))s] $*"; }

bench_kernels

# kernel_seconds CONSOLE_LOG: seconds from probe to the guest's mark.
kernel_seconds() {
	awk '
		/nvme nvme0: pci function/ && !probe { probe = substr($0, 2, index($0, "]") - 2) + 0 }
		/nvt-bench: all [0-9]+ namespaces registered/ { done = substr($0, 2, index($0, "]") - 2) + 0 }
		END { if (probe && done) printf "%.3f\n", done - probe; else exit 1 }' "$1"
}

printf 'round\tkernel\tnamespaces\tseconds\tmisplaced\n' > "$tsv"
for r in $(seq 1 "$rounds"); do
	for i in $(seq 0 $(( ${#kernels[@]} - 1 ))); do
		k=${kernels[$(( (i + r - 1) % ${#kernels[@]} ))]}
		dir=$work/logs/round-$r-$k
		mkdir -p "$dir"
		SMP=4 MEM=2048 "$TOP/scripts/vm.sh" -k "${BENCH_IMAGE[$k]}" \
			-l "nvme:$ns" -t bench-pci -T 1800 -o "$dir" \
			> "$dir.ktap" 2>&1 || die "round $r, $k kernel: the guest did not finish"
		grep -q '^not ok' "$dir.ktap" && {
			grep '^#' "$dir.ktap" | tail -n 10 >&2
			die "round $r, $k kernel: the measurement failed"
		}
		s=$(kernel_seconds "$dir/console.log") ||
			die "round $r, $k kernel: no probe or no completion line in $dir/console.log"
		m=$(sed -n 's/^# benchpci ns=[0-9]* misplaced=\([0-9]*\)$/\1/p' "$dir.ktap")
		printf '%s\t%s\t%s\t%s\t%s\n' "$r" "$k" "$ns" "$s" "${m:-?}" >> "$tsv"
		progress "round $r of $rounds, $k kernel: $ns namespaces in $s s"
	done
done

md=${tsv%.tsv}.md
{
	echo "# make bench: NVMe on PCI, namespace scan at boot"
	echo
	echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) host CPUs ($(sed -n 's/^model name\t*: //p' /proc/cpuinfo | head -n 1)), $(qemu-system-x86_64 --version | head -n 1), TCG, guest -smp 4;"
	echo "kernel $(make -s -C "$("$TOP/scripts/tree.sh" base)" kernelversion 2>/dev/null) (base: Debian $(. "$TOP/config/base.conf"; echo "$BASE_PACKAGE $BASE_VERSION")); $rounds runs per kernel."
	echo
	echo "Seconds from the controller's probe to the last namespace block device,"
	echo "from kernel timestamps: median (min-max) of the runs.  No round-trip"
	echo "bound applies: QEMU completes each command in microseconds, so the"
	echo "scan is bound by guest CPU time."
	echo
	awk -F'\t' '
		NR > 1 { c[$2]++; v[$2, c[$2]] = $4; mis[$2] += $5; ns = $3 }
		function med(k,    i, j, t, m, a) {
			m = c[k]
			for (i = 1; i <= m; i++) a[i] = v[k, i]
			for (i = 1; i <= m; i++)
				for (j = i + 1; j <= m; j++)
					if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
			lo = a[1]; hi = a[m]
			return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
		}
		# "median (min-max)" of kernel k, "-" if BENCH_KERNELS left it out
		function cell(k) {
			return c[k] ? sprintf("%.2f (%.2f-%.2f)", med(k), lo, hi) : "-"
		}
		function ratio(k1, k2, fmt) {
			return c[k1] && c[k2] ? sprintf(fmt, med(k1) / med(k2)) : "-"
		}
		END {
			print "| namespaces | unordered (base) | ordered (patched) | sequential | ordered / unordered | sequential / ordered | misplaced names, all runs (base, patched) |"
			print "| ---: | ---: | ---: | ---: | ---: | ---: | --- |"
			printf "| %d | %s | %s | %s | %s | %s | %d, %d |\n",
				ns, cell("base"), cell("patched"), cell("sequential"),
				ratio("patched", "base", "%.3f"),
				ratio("sequential", "patched", "%.1f"),
				mis["base"], mis["patched"]
		}' "$tsv"
} > "$md"
cat "$md"
progress "done: $md"
