#!/bin/bash
# make demo: boot the base and the patched kernel, each with one NVMe
# controller with $NS namespaces, and show what the guest's nvme list says
# and how many names are out of NSID order.

. "$(dirname "$0")/common.sh"

NS=${NS:-64}
SMP=${SMP:-4}
BOOTS=${BOOTS:-1}
logs=$BUILD/logs/demo

declare -A image summary
for k in base patched; do
	image[$k]=$("$TOP/scripts/kernel.sh" "$k")
done

for k in base patched; do
	for b in $(seq 1 "$BOOTS"); do
		dir=$logs/$k-$b
		rm -rf "$dir"
		mkdir -p "$logs"
		echo
		echo "=== $k kernel, boot $b: nvme list in the guest ($NS namespaces, $SMP CPUs)"
		if ! "$TOP/scripts/vm.sh" -k "${image[$k]}" -l "nvme:$NS" -t names \
			-s "$SMP" -o "$dir" > "$dir.ktap"; then
			cat "$dir.ktap"
			die "the $k kernel did not finish booting; see $dir"
		fi
		# nvme-cli sorts its table by name as a string; show it by
		# name index so that nvme0nY reads top to bottom
		sed -n '/^ok 1 /,/^ok 2 report/p' "$dir.ktap" |
			sed -e '/^ok /d' -e 's/^# \{0,1\}//' | grep -v '^misplaced' |
			awk 'NR <= 2 { print; next } { print | "sort -V" }'
		line=$(sed -n 's/^# misplaced: //p' "$dir.ktap")
		echo "$k: $line block devices have a name index that differs from their NSID"
		summary[$k]+="${line%% *} "
	done
done

echo
echo "=== summary: misplaced names per boot"
for k in base patched; do
	printf '%-8s %s\n' "$k" "${summary[$k]}"
done
