#!/bin/bash
# Run the compl_chain KUnit suite in the series tree with kunit.py.
#
#   scripts/kunit.sh uml       the literal "kunit.py run compl_chain" (UML,
#                              default config: every test allowed)
#   scripts/kunit.sh x86_64    the suite alone on QEMU x86_64 with several
#                              CPUs, lockdep, KASAN and DEBUG_ATOMIC_SLEEP
#   scripts/kunit.sh x86_64-kcsan
#                              the same with KCSAN, the data race detector,
#                              instead (KCSAN and KASAN exclude each other)
#
# Build directories are direct children of the tree (out-kunit-*), so they
# are incremental and share ccache entries across trees.

. "$(dirname "$0")/common.sh"

mode=${1:?usage: $0 uml|x86_64}
tree=${TREE:-$("$TOP/scripts/tree.sh" series)}
cd "$tree"
[ -f lib/tests/compl_chain_kunit.c ] || die "the series in $tree has no compl_chain suite"

common=(--jobs "$JOBS" --make_options "CC=ccache gcc"
	--make_options "HOSTCC=ccache gcc" --timeout 900)
# No other build uses the x86_64 configurations: ccache's depend mode for
# them, as for the debug kernel (scripts/kernel.sh).  The UML build shares
# its objects with the bisection gate's and keeps the default mode.
case $mode in
uml)
	exec ./tools/testing/kunit/kunit.py run compl_chain \
		--build_dir=out-kunit-uml "${common[@]}"
	;;
x86_64)
	export CCACHE_DEPEND=1
	PATH=$TOP/scripts/tcg:$PATH exec ./tools/testing/kunit/kunit.py run \
		--arch=x86_64 --build_dir=out-kunit-x86_64 \
		--kunitconfig=lib/tests/compl_chain.kunitconfig \
		--kconfig_add CONFIG_DEBUG_KERNEL=y \
		--kconfig_add CONFIG_PROVE_LOCKING=y \
		--kconfig_add CONFIG_DEBUG_ATOMIC_SLEEP=y \
		--kconfig_add CONFIG_KASAN=y \
		--kconfig_add CONFIG_KASAN_GENERIC=y \
		--kconfig_add CONFIG_ACPI=y \
		--kconfig_add CONFIG_NR_CPUS=8 \
		--qemu_args "-smp 4 -m 2048" "${common[@]}" compl_chain
	;;
x86_64-kcsan)
	export CCACHE_DEPEND=1
	PATH=$TOP/scripts/tcg:$PATH exec ./tools/testing/kunit/kunit.py run \
		--arch=x86_64 --build_dir=out-kunit-x86_64-kcsan \
		--kunitconfig=lib/tests/compl_chain.kunitconfig \
		--kconfig_add CONFIG_DEBUG_KERNEL=y \
		--kconfig_add CONFIG_KCSAN=y \
		--kconfig_add CONFIG_KCSAN_STRICT=y \
		--kconfig_add CONFIG_ACPI=y \
		--kconfig_add CONFIG_NR_CPUS=8 \
		--qemu_args "-smp 4 -m 2048" "${common[@]}" compl_chain
	;;
*)
	die "unknown kunit mode '$mode'"
	;;
esac
