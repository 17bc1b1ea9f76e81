#!/bin/bash
# make soak: the debug-kernel runs (the mid-scan disruptions among them) and
# the KCSAN KUnit run at their full counts (SOAK=1: see soak_count in the
# test files; make check runs the same tests in a short form), with progress
# printed while they run: which test, elapsed time, and the guests'
# "# progress:" lines as they come.  Ends with make check's summary line.
#
#   T=glob   only some of the soak tests (default: all of them)
#   DISRUPT=action[,action]
#            only these actions of debug-nvmet-disrupt (disconnect, reset,
#            remove): each takes one to two hours at the full count
#   DISRUPT_LOOPS=A-B
#            only loops A to B of each of those actions (of 20)
#   KERNEL=debug-base
#            the same runs on the base kernel with the debug options, to
#            see whether a report is the series' (the base kernel fails
#            the order checks, which the disruption loops count and go on)

. "$(dirname "$0")/common.sh"

# An unknown action would otherwise only show after a debug boot and the
# target's setup.  The actions are the guest test's disrupt_* functions.
DISRUPT=${DISRUPT:-}
actions=$(sed -n 's/^disrupt_\([a-z]*\)().*/\1/p' "$TOP/guest/tests/nvmet-disrupt.sh")
for action in ${DISRUPT//,/ }; do
	grep -qx "$action" <<< "$actions" ||
		die "DISRUPT: unknown action '$action' (one of: $(paste -sd ' ' <<< "$actions"))"
done

DISRUPT_LOOPS=${DISRUPT_LOOPS:-}
[[ -z $DISRUPT_LOOPS || $DISRUPT_LOOPS =~ ^([0-9]+)-([0-9]+)$ &&
	${BASH_REMATCH[1]} -ge 1 && ${BASH_REMATCH[1]} -le ${BASH_REMATCH[2]} ]] ||
	die "DISRUPT_LOOPS: '$DISRUPT_LOOPS' is not a range A-B with 1 <= A <= B"

export SOAK=1
T=${T:-@(debug-*|nvmet-faults|kunit-x86_64-kcsan|kunit-uml-all)}
logs=$(logs_dir)
start=$(date +%s)
mkdir -p "$logs"
touch "$logs/.soak-start"

# Live progress: new "# progress:" lines of any guest's result channel
# (boot-N/ktap.log, which QEMU writes as the guest runs) since the soak
# started.
(
	declare -A seen
	while sleep 5; do
		for f in $(find "$logs" -path '*/boot-*/ktap.log' -newer "$logs/.soak-start" 2>/dev/null); do
			n=$(grep -c '^# progress:' "$f" || true)
			if [ "$n" -gt "${seen[$f]:-0}" ]; then
				grep '^# progress:' "$f" | tr -d '\r' | tail -n +$(( ${seen[$f]:-0} + 1 )) |
					sed "s|^# progress:|>>> [$(( $(date +%s) - start ))s] $(basename "$(dirname "$(dirname "$f")")"):|" >&2
				seen[$f]=$n
			fi
		done
	done
) &
watcher=$!
trap 'kill $watcher 2>/dev/null' EXIT

T=$T "$TOP/scripts/check.sh"
