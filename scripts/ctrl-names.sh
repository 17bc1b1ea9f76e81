#!/bin/bash
# Controller names at boot: how often nvmeX disagrees with PCI address
# order, on the base kernel and the series, BOOTS boots each (default 10),
# with CTRLS PCI controllers of NS namespaces (default 4 and 16).  The two
# kernels alternate boot by boot.  Writes bench/results/<date>-ctrl-names.md.

. "$(dirname "$0")/common.sh"

boots=${BOOTS:-10}
ctrls=${CTRLS:-4}
ns=${NS:-16}
out=$TOP/bench/results/$(date -u +%Y-%m-%d)-ctrl-names.md
work=$BUILD/ctrl-names
mkdir -p "$work" "$(dirname "$out")"
declare -A image total bad
for k in base patched; do
	image[$k]=$("$TOP/scripts/kernel.sh" "$k") || die "the $k kernel did not build"
	total[$k]=0 bad[$k]=0
done

rows=()
for b in $(seq 1 "$boots"); do
	for k in base patched; do
		dir=$work/$k-$b
		SMP=4 "$TOP/scripts/vm.sh" -k "${image[$k]}" -l "nvmectrls:$ctrls:$ns" \
			-t ctrl-names -T 600 -o "$dir" > "$dir.ktap" 2>&1 ||
			die "$k, boot $b: the guest did not finish ($dir)"
		m=$(sed -n 's/^# ctrl-names misplaced=//p' "$dir.ktap")
		map=$(sed -n 's/^# ctrl-names: //p' "$dir.ktap")
		[ -n "$m" ] || die "$k, boot $b: no measurement in $dir.ktap"
		total[$k]=$((total[$k] + 1))
		[ "$m" -eq 0 ] || bad[$k]=$((bad[$k] + 1))
		rows+=("| $b | $k | $m | $map |")
		log "$k, boot $b: $m of $ctrls controllers out of PCI order"
	done
done

{
	echo "# Controller names against PCI address order, $(date -u +%Y-%m-%d)"
	echo
	echo "$ctrls QEMU NVMe controllers on PCI, $ns namespaces each, probed at boot"
	echo "(QEMU TCG, 4 vCPUs); scripts/ctrl-names.sh, kernels alternating."
	echo
	for k in base patched; do
		echo "- $k: ${bad[$k]} of ${total[$k]} boots had a controller named out of PCI order"
	done
	echo
	echo "| boot | kernel | misplaced | names |"
	echo "| --- | --- | --- | --- |"
	printf '%s\n' "${rows[@]}"
} > "$out"
log "wrote $out"
cat "$out" | head -n 8
