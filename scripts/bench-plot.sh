#!/bin/bash
# Plot a make bench TSV: median scan time against round-trip time, one
# line per kernel and namespace count.  Usage: bench-plot.sh TSV PNG

. "$(dirname "$0")/common.sh"

tsv=${1:?tsv} png=${2:?png}
dat=$(mktemp -d)
trap 'rm -rf "$dat"' EXIT
# one file per kernel and count: "rtt median"
awk -F'\t' 'NR > 1 { print $2, $4, $3, $5 }' "$tsv" | sort -k1,1 -k2,2n -k3,3n -k4,4n |
	awk -v dir="$dat" '
	function flush() {
		if (m == 0) return
		med = m % 2 ? x[(m + 1) / 2] : (x[m / 2] + x[m / 2 + 1]) / 2
		print r, med >> (dir "/" k "-" c)
		m = 0
	}
	$1 != k || $2 != c || $3 != r { flush(); k = $1; c = $2; r = $3 }
	{ x[++m] = $4 }
	END { flush() }'
plots=()
for f in "$dat"/*; do
	plots+=("'$f' using 1:2 with linespoints title '$(basename "$f" | sed 's/-/, /') namespaces'")
done
gnuplot <<-GP
	set terminal png size 900,600 noenhanced
	set output '$png'
	set title 'NVMe/TCP namespace scan: connect until all namespaces exist'
	set xlabel 'round-trip time (ms)'
	set ylabel 'seconds (median)'
	set logscale y
	set key top left
	set grid
	plot $(IFS=,; echo "${plots[*]}")
GP
