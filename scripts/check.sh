#!/bin/bash
# The test runner.  Runs every test file in tests/ whose name matches $T
# (a shell glob, default all), prints KTAP and ends with "N passed, N failed".
#
# A test file sets variables and may define functions:
#   DESCRIPTION   one line
#   requires()    optional; prints why and returns 1 if the test cannot run
#   run_test()    a host-side test: prints "# " diagnostics, returns status
#   BUILDS        optional, a host-side test's builds that can be made ahead
#                 (scripts/prebuild.sh: kernel variants, uml)
# or, for a guest test, instead of run_test:
#   KERNEL        base | patched      (built once per run, shared)
#   LAYOUT        a VM layout (scripts/layouts.sh)
#   GUEST         the guest test (guest/tests/NAME.sh)
#   BOOTS, SMP, MEM, APPEND, TIMEOUT
#   CPU           QEMU CPU model (scripts/vm.sh: max without LA57)
#   EXPECT=fail   the guest check must fail on some boot (proves it can)
#   check_boot()  optional; extra host-side check of one boot's logs ($1),
#                 run first, even when the guest died.  With EXPECT=fail it
#                 is what must fail: a reproducer's boot counts only when
#                 check_boot finds what it looks for, and a guest check
#                 failing for any other reason is an error.
# WIP=1 also runs the tests in tests/wip, SOAK=1 (make soak) those in
# tests/soak, which are worth more than their minutes but not part of
# make check; T=name runs one of them by its name.
# BOOTS=n in the environment overrides every test's boot count, KERNEL=base
# every guest test's kernel (to see how often the base kernel fails them;
# those logs go to a directory of their own).
# PREBUILD=0 builds each kernel only when its first test asks for it,
# instead of ahead, in the background at the lowest priority.
# HUNG_TIMEOUT=s sets the guest kernel's hung-task timeout (120 s in the
# debug kernel's config) on every boot, to look for shorter stalls.

. "$(dirname "$0")/common.sh"
set -o pipefail

T=${T:-*}
shopt -s extglob
# Kernel log lines that fail a test: every VM boot's console, and the
# kernel logs of host-side tests (the x86_64 KUnit run) are searched.
SPLAT='WARNING:|BUG:|Oops|general protection|KASAN:|UBSAN|possible (circular|recursive) locking|inconsistent lock state|DEBUG_LOCKS_WARN_ON|suspicious RCU usage|sleeping function called|bad unlock balance|lock held when returning|INFO: task .* blocked|soft lockup|hard LOCKUP|suspected memory leak|unreferenced object 0x|Kernel memory leak detector disabled|Kernel panic|ODEBUG'

# Reports of base-kernel bugs, one extended regular expression a line.
KNOWN_BASE=$TOP/config/known-base-reports
known_base_patterns() { grep -v -e '^#' -e '^$' "$KNOWN_BASE"; }
known_base_reports() { grep -E -f <(known_base_patterns) || true; }
not_known_base_reports() { grep -v -E -f <(known_base_patterns); }

LOGS=$(logs_dir)
declare -A KERNELS

kernel_image() {
	local variant=$1
	if [ -z "${KERNELS[$variant]:-}" ]; then
		KERNELS[$variant]=$("$TOP/scripts/kernel.sh" "$variant" 2>"$LOGS/build-$variant.log") || {
			tail -n 40 "$LOGS/build-$variant.log" | sed 's/^/# /'
			KERNELS[$variant]=failed
		}
	fi
	[ "${KERNELS[$variant]}" != failed ] && printf '%s\n' "${KERNELS[$variant]}"
}

# Print the console lines that follow the first unknown report of a
# console log (its stack trace), so that a failure seen only in CI can be
# read from CI's output.
report_context() {
	local first
	first=$(grep -n -E "$SPLAT" "$1" | not_known_base_reports | head -n 1 | cut -d: -f1)
	[ -n "$first" ] || return 0
	echo "        # the first report, from $1:"
	sed -n "${first},$((first + 40))p" "$1" | sed 's/^/        #   /'
}

# Print one boot's guest KTAP as a subtest.  Returns 0 if every guest test
# passed, 1 if one failed or the kernel log has a report, 2 if the guest
# hung, panicked or died, 3 if check_boot failed.
run_boot() {
	local name=$1 boot=$2 image=$3 dir=$LOGS/$1/boot-$2 rc=0 reports unknown
	local append=${APPEND:-}${HUNG_TIMEOUT:+ sysctl.kernel.hung_task_timeout_secs=$HUNG_TIMEOUT}
	# On the debug kernels a hung-task report comes with every CPU's
	# backtrace: the blocked tasks it names may only be starved by what
	# the CPUs are running.
	case $KERNEL in
	debug*) append+=" sysctl.kernel.hung_task_all_cpu_backtrace=1" ;;
	esac
	rm -rf "$dir"
	MEM=${MEM:-1024} CPU=${CPU:-} "$TOP/scripts/vm.sh" -k "$image" -l "$LAYOUT" -t "$GUEST" \
		-s "${SMP:-2}" -a "$append nvt.boot=$boot" -T "${TIMEOUT:-300}" -o "$dir" \
		> "$dir.ktap" || rc=2
	sed 's/^/        /' "$dir.ktap"
	# a reproducer's report may leave the guest dead or failing
	if declare -F check_boot >/dev/null; then
		check_boot "$dir" | sed 's/^/        /' || return 3
	fi
	[ $rc -eq 0 ] || return $rc
	grep -q '^ok' "$dir.ktap" || return 2
	grep -q '^not ok' "$dir.ktap" && return 1
	# the kernel log is an oracle too: any splat fails the boot, except
	# the base kernel's own, listed in config/known-base-reports (shown,
	# not counted)
	reports=$(grep -E "$SPLAT" "$dir/console.log" || true)
	if [ -n "$reports" ]; then
		printf '%s\n' "$reports" | known_base_reports | head -n 5 |
			sed 's/^/        # base kernel bug, known: /' || true
		unknown=$(printf '%s\n' "$reports" | not_known_base_reports || true)
		if [ -n "$unknown" ]; then
			printf '%s\n' "$unknown" | head -n 5 | sed 's/^/        # splat: /'
			report_context "$dir/console.log"
			return 1
		fi
	fi
	return 0
}

# A VM test passes if every boot passes or, with EXPECT=fail, if every boot
# finished and at least one failed: its guest check or, if the test has a
# check_boot, that check (and no guest check).
run_vm_test() {
	local name=$1 image boots=${BOOTS_OVERRIDE:-${BOOTS:-1}} i rc
	local passed=0 failed=0 died=0 expected=0 reproducer=
	declare -F check_boot >/dev/null && reproducer=1
	image=$(kernel_image "$KERNEL") || { echo "# $KERNEL kernel failed to build"; return 1; }
	echo "    KTAP version 1"
	echo "    1..$boots"
	for i in $(seq 1 "$boots"); do
		rc=0
		run_boot "$name" "$i" "$image" || rc=$?
		case $rc in
		0) echo "    ok $i boot-$i"; passed=$((passed + 1)) ;;
		1) echo "    not ok $i boot-$i"; failed=$((failed + 1))
		   [ -n "$reproducer" ] || expected=$((expected + 1)) ;;
		3) echo "    not ok $i boot-$i"; failed=$((failed + 1))
		   expected=$((expected + 1)) ;;
		*) echo "    not ok $i boot-$i # guest did not finish"; died=$((died + 1)) ;;
		esac
		# a test that must fail has shown it can: spare the other boots
		if [ "${EXPECT:-pass}" = fail ] && [ $expected -gt 0 ] && [ "$i" -lt "$boots" ]; then
			for i in $(seq $((i + 1)) "$boots"); do
				echo "    ok $i boot-$i # SKIP an earlier boot failed as expected"
			done
			break
		fi
	done
	if [ "${EXPECT:-pass}" = fail ]; then
		echo "# expected to fail: $expected of $((passed + failed + died)) boots failed the check"
		[ $died -eq 0 ] && [ $expected -gt 0 ] && [ $expected -eq $failed ]
	else
		[ $failed -eq 0 ] && [ $died -eq 0 ]
	fi
}

run_one() (
	local file=$1 name
	name=$(basename "$file")
	unset -f requires run_test check_boot
	unset EXPECT APPEND TIMEOUT MEM CPU
	# shellcheck source=/dev/null
	. "$file"
	KERNEL=${KERNEL_OVERRIDE:-${KERNEL:-}}
	mkdir -p "$LOGS/$name"
	if declare -F requires >/dev/null && ! why=$(requires); then
		echo "SKIP $why"
		return 0
	fi
	if declare -F run_test >/dev/null; then
		run_test
	else
		run_vm_test "$name"
	fi
)

BOOTS_OVERRIDE=${BOOTS:-}
KERNEL_OVERRIDE=${KERNEL:-}
unset BOOTS KERNEL
mkdir -p "$LOGS"
tests=()
# tests/wip holds tests not yet part of make check; WIP=1 adds them.
# tests/soak holds the ones only make soak runs, or a T= that names one
# (T=debug-nvmet-cycles: its short form, as make broken runs it).
soak=
[ "${SOAK:-0}" = 1 ] && soak=1
[ -f "$TOP/tests/soak/$T" ] && soak=1
for f in "$TOP"/tests/* ${WIP:+"$TOP"/tests/wip/*} ${soak:+"$TOP"/tests/soak/*}; do
	# shellcheck disable=SC2053
	[ -f "$f" ] || continue
	[[ $(basename "$f") == $T ]] && tests+=("$f")
done

# The order of a run: the tests that need no kernel first, then those of
# the kernels every run builds, and the tests whose kernel or build is
# their own last, so that scripts/prebuild.sh has built it, in CPU time
# the earlier tests leave idle, by the time they run.  Within a group,
# tests run in name order; a test no group names runs at the end.
ORDER=('gate-@(applies|checkpatch|cover-letter|kernel-doc|readme-help)' export-roundtrip
	gate-htmldocs 'boot-*' 'nvme-order-*' 'nvme-floor*' 'scsi-*'
	'nvmet-*' numa-scan nvme-fdp 'kunit-*' gate-w1-sparse gate-bisect
	bench-smoke 'blktests-*' 'debug-*')
order_of() {
	local i
	for i in "${!ORDER[@]}"; do
		# shellcheck disable=SC2053
		[[ $1 == ${ORDER[$i]} ]] && { printf '%02d\n' "$i"; return; }
	done
	echo 99
}
mapfile -t tests < <(for f in "${tests[@]}"; do
	printf '%s %s %s\n' "$(order_of "$(basename "$f")")" "$(basename "$f")" "$f"
done | sort -k1,1 -k2,2 | cut -d' ' -f3-)

# What the tests will build, in the order they will ask for it: a guest
# test's KERNEL, a host test's BUILDS (kernel variants, or uml).
builds_of() (
	unset KERNEL BUILDS
	# shellcheck source=/dev/null
	. "$1" >/dev/null 2>&1
	if declare -F run_test >/dev/null; then
		echo "${BUILDS:-}"
	else
		echo "${KERNEL_OVERRIDE:-${KERNEL:-}}"
	fi
)
prebuilds=()
for f in "${tests[@]}"; do
	for b in $(builds_of "$f"); do
		[[ " ${prebuilds[*]} " == *" $b "* ]] || prebuilds+=("$b")
	done
done
# The debug kernel, the longest build, right after the two every run
# needs: the guest tests of those two leave it the most idle time.
[ ${#prebuilds[@]} -eq 0 ] ||
	mapfile -t prebuilds < <(printf '%s\n' "${prebuilds[@]}" | awk '
		{ k = ($0 == "base" || $0 == "patched") ? 0 : ($0 ~ /^debug/) ? 1 : 2
		  print k, NR, $0 }' | sort -k1,1n -k2,2n | cut -d' ' -f3)
prebuilder=
# (under set -e: a prebuild that has ended already is no failure)
stop_prebuild() {
	if [ -n "$prebuilder" ]; then
		kill -TERM -- "-$prebuilder" 2>/dev/null || true
	fi
}
if [ "${PREBUILD:-1}" = 1 ] && [ ${#prebuilds[@]} -gt 0 ]; then
	# the trees first, in the foreground: the prebuild and the tests
	# must not set up the same tree at once
	"$TOP/scripts/tree.sh" base > /dev/null 2>&1 || true
	"$TOP/scripts/tree.sh" series > /dev/null 2>&1 || true
	setsid nice -n 19 "$TOP/scripts/prebuild.sh" "${prebuilds[@]}" \
		> "$LOGS/prebuild.log" 2>&1 &
	prebuilder=$!
	trap stop_prebuild EXIT
fi

echo "KTAP version 1"
echo "1..${#tests[@]}"
passed=0 failed=0 i=0 start=$(date +%s)
for f in "${tests[@]}"; do
	i=$((i + 1))
	name=$(basename "$f")
	t0=$(date +%s)
	out=$LOGS/$name.out
	mkdir -p "$LOGS"
	# Host diagnostics become KTAP diagnostics; subtests keep their indent.
	if run_one "$f" 2>&1 | tee "$out" |
		sed -u -e 's/^SKIP /# skipped: /' -e '/^ \{4\}/!{/^#/!s/^/# /}'; then
		status=ok
	else
		status="not ok"
	fi
	echo "# $name: $(( $(date +%s) - t0 ))s"
	skip=$(sed -n 's/^SKIP //p' "$out")
	if [ -n "$skip" ]; then
		echo "ok $i $name # SKIP $skip"
	else
		echo "$status $i $name"
	fi
	if [ "$status" = ok ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
done
echo "# ran ${#tests[@]} tests in $(( $(date +%s) - start ))s; logs in $LOGS"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
