# Which controller name (nvmeX) each PCI NVMe controller got this boot.
# nvme-pci probes asynchronously, and a controller takes its number when
# its probe starts.  Prints "# ctrl-names: nvmeX=BDF ..." and the number of
# controllers whose name is not their rank in PCI address order, once all
# nvt.ctrls controllers and their namespaces exist.  A measurement: it
# fails only if the controllers do not all appear.

test_controller_names() {
	nctrl=${NVT_CTRLS:-4}
	wait_nvme_disks "$NVT_NS" 120 ||
		{ diag "expected $NVT_NS namespaces, found $(nvme_disks | wc -l)"; return 1; }
	map=$(for c in /sys/class/nvme/nvme*; do
		echo "${c##*/} $(cat "$c/address")"
	done | sort -V)
	[ "$(printf '%s\n' "$map" | wc -l)" -eq "$nctrl" ] ||
		{ diag "expected $nctrl controllers: $map"; return 1; }
	misplaced=$(printf '%s\n' "$map" | sort -k2 | awk '{ n = $1; sub(/^nvme/, "", n); if (n != NR - 1) m++ } END { print m + 0 }')
	echo "# ctrl-names: $(printf '%s\n' "$map" | tr ' \n' '= ')"
	echo "# ctrl-names misplaced=$misplaced"
}
