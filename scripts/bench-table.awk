#!/usr/bin/awk -f
# The make bench table from its TSV (round kernel rtt_ms namespaces seconds
# connect_s misplaced): median and range per cell and kernel, the ratios
# the series is judged by, and the lower bound that round trips force.
#
# Lower bound of the scan (after "nvme connect" returns): one Identify NS
# List per 1024 namespaces, then K round trips per namespace, at most 30
# commands in flight (NVME_AQ_MQ_TAG_DEPTH, the admin tags left after the
# AEN and the reserved tag), and never fewer than K round trips in a row.
# K is what one namespace costs when nothing overlaps: the sequential
# kernel's scan time divided by namespaces x RTT, in the same cell (3, the
# Identify commands every namespace needs, when there is no such cell).
# The table also shows the ratio of the scan times alone, without the
# connect time that all kernels share.

BEGIN { FS = "\t"; QD = 30 }
NR == 1 { next }
{
	key = $3 SUBSEP $4
	if (!(key in seen)) { seen[key] = 1; keys[++nkeys] = key }
	n[key, $2]++
	v[key, $2, n[key, $2]] = $5
	scan[key, $2, n[key, $2]] = $5 - $6
	mis[key, $2] += $7
}

function median(k, kern, arr,    i, j, t, m, a) {
	m = n[k, kern]
	for (i = 1; i <= m; i++) a[i] = arr[k, kern, i]
	for (i = 1; i <= m; i++)
		for (j = i + 1; j <= m; j++)
			if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	lo = a[1]; hi = a[m]
	return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}

function cell(k, kern,    med) {
	if (!n[k, kern]) return "-"
	med = median(k, kern, v)
	return sprintf("%.2f (%.2f-%.2f)", med, lo, hi)
}

function ceil(x) { return x == int(x) ? x : int(x) + 1 }

END {
	print "Seconds from `nvme connect` until every namespace block device exists:"
	print "median (min-max) of the runs. \"Same, scan only\", the bound and the"
	print "ordered/bound ratio leave out the time \"nvme connect\" itself took,"
	print "which is the same for every kernel."
	print ""
	print "| RTT | namespaces | unordered (base) | ordered (patched) | sequential | ordered / unordered | sequential / ordered | same, scan only | RTTs per namespace (K) | scan bound | ordered scan / bound | misplaced names, all runs (base, patched) |"
	print "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
	# sort the cells by rtt, then count
	for (i = 1; i <= nkeys; i++)
		for (j = i + 1; j <= nkeys; j++) {
			split(keys[i], a, SUBSEP); split(keys[j], b, SUBSEP)
			if (b[1] + 0 < a[1] + 0 || (b[1] + 0 == a[1] + 0 && b[2] + 0 < a[2] + 0)) {
				t = keys[i]; keys[i] = keys[j]; keys[j] = t
			}
		}
	for (i = 1; i <= nkeys; i++) {
		k = keys[i]; split(k, a, SUBSEP); rtt = a[1]; ns = a[2]
		mb = n[k, "base"] ? median(k, "base", v) : 0
		mp = n[k, "patched"] ? median(k, "patched", v) : 0
		ms = n[k, "sequential"] ? median(k, "sequential", v) : 0
		r1 = (mb > 0 && mp > 0) ? sprintf("%.3f", mp / mb) : "-"
		r2 = (mp > 0 && ms > 0) ? sprintf("%.1f", ms / mp) : "-"
		sp = n[k, "patched"] ? median(k, "patched", scan) : 0
		ss = n[k, "sequential"] ? median(k, "sequential", scan) : 0
		r3 = (sp > 0 && ss > 0) ? sprintf("%.1f", ss / sp) : "-"
		K = (rtt > 0 && ss > 0) ? int(ss / (ns * rtt / 1000) + 0.5) : 3
		if (K < 1) K = 1
		per = ceil(ns * K / QD); if (per < K) per = K
		bound = rtt / 1000 * (ceil(ns / 1024) + per)
		close_ = (bound > 0 && sp > 0) ? sprintf("%.2f", sp / bound) : "-"
		printf "| %d ms | %d | %s | %s | %s | %s | %s | %s | %d | %.2f | %s | %d, %d |\n",
			rtt, ns, cell(k, "base"), cell(k, "patched"), cell(k, "sequential"),
			r1, r2, r3, K, bound, close_, mis[k, "base"], mis[k, "patched"]
	}
}
