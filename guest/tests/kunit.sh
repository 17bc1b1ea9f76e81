# The compl_chain KUnit suite, built into the debug kernel and run at boot
# (kunit.enable=1 on the command line; the debug variant leaves KUnit off
# by default so that its other boots do not run it).  KUnit keeps each
# suite's KTAP in debugfs.

kunit_results=/sys/kernel/debug/kunit/compl_chain/results

test_suite_ran() {
	[ -r "$kunit_results" ] || {
		diag "no $kunit_results: suite not built in, or kunit.enable=0"
		return 1
	}
	# KUnit's own count of the cases, parameters included
	diag "$(grep -m 1 '# compl_chain: pass:' "$kunit_results" | sed 's/^ *# //')"
}

test_every_case_passed() {
	[ -r "$kunit_results" ] || return 1
	grep '^ *not ok' "$kunit_results" | sed 's/^ */# /'
	grep '^ *# .*\(Expected\|ASSERTION\|EXPECTATION\)' "$kunit_results" |
		head -n 10 | sed 's/^ */# /'
	! grep -q '^ *not ok' "$kunit_results" &&
		grep -q '^ok [0-9]* compl_chain' "$kunit_results"
}
