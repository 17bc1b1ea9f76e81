#!/bin/bash
# Build ahead, at the lowest CPU priority, what the tests of a make check
# run will ask for, in the order they ask for it:
#
#   scripts/prebuild.sh base patched uml debug ...
#
# make check starts this in the background.  A build here takes only the
# CPU time its foreground leaves idle (a guest under TCG seldom keeps both
# host CPUs busy), so the kernels of later tests are ready, or nearly,
# when their turn comes.  Each build takes the lock of its output (see
# scripts/kernel.sh): a test that asks for a kernel being built here waits
# for it, then finds it up to date.  A failed build is left to the test
# that needs it, which builds again and shows the error.
#
# What can be built ahead:
#   base, patched, debug, debug-base, test-hooks, bench-base,
#   bench-patched, sequential
#                the variants of scripts/kernel.sh
#   uml          the UML KUnit kernel (scripts/kunit.sh uml-build)

. "$(dirname "$0")/common.sh"

for what in "$@"; do
	case $what in
	uml) "$TOP/scripts/kunit.sh" uml-build ;;
	*) "$TOP/scripts/kernel.sh" "$what" ;;
	esac > /dev/null 2>&1 || log "prebuild: $what failed; its test builds it again"
done
