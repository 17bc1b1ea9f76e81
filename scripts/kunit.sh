#!/bin/bash
# Run the compl_chain KUnit suite in the series tree with kunit.py.
#
#   scripts/kunit.sh uml       the suite alone under UML, as its
#                              kunitconfig asks (lib/tests/
#                              compl_chain.kunitconfig), with the few
#                              options the second run below needs
#   scripts/kunit.sh uml-twice the same build, run twice in one boot: at
#                              boot and again through debugfs
#   scripts/kunit.sh uml-build only build that UML kernel; in a tree
#                              without the suite (the bisection gate before
#                              patch 2), the same kernel without it
#   scripts/kunit.sh uml-all   the literal "kunit.py run compl_chain" (UML,
#                              default config: every test allowed; make soak)
#   scripts/kunit.sh x86_64    the suite alone on QEMU x86_64 with several
#                              CPUs, lockdep, KASAN and DEBUG_ATOMIC_SLEEP
#   scripts/kunit.sh x86_64-kcsan
#                              the same with KCSAN, the data race detector,
#                              instead (KCSAN and KASAN exclude each other)
#
# Build directories are direct children of the tree (out-kunit-*), so they
# are incremental and share ccache entries across trees.

. "$(dirname "$0")/common.sh"

mode=${1:?usage: $0 uml|uml-twice|uml-build|uml-all|x86_64|x86_64-kcsan}
tree=${TREE:-$("$TOP/scripts/tree.sh" series)}
cd "$tree"
build_opts=(--jobs "$JOBS" --make_options "CC=ccache gcc"
	--make_options "HOSTCC=ccache gcc")
common=("${build_opts[@]}" --timeout 900)

# The UML kernel of uml, uml-twice and the bisection gate: one build,
# whose .config is the suite's kunitconfig plus what the second run needs
# (debugfs to start it, hostfs for its init script).  In a tree without
# the suite it is built from the extra options alone, which include the
# suite's CONFIG_SMP, so that the bisection gate's steps before and after
# the suite differ only in the suite's objects.
UML_DIR=out-kunit-uml
uml_config=(--kconfig_add CONFIG_SMP=y
	--kconfig_add CONFIG_KUNIT=y --kconfig_add CONFIG_KUNIT_DEBUGFS=y
	--kconfig_add CONFIG_DEBUG_FS=y --kconfig_add CONFIG_HOSTFS=y
	--kconfig_add CONFIG_BINFMT_ELF=y --kconfig_add CONFIG_BINFMT_SCRIPT=y
	--kconfig_add CONFIG_PROC_FS=y --kconfig_add CONFIG_SYSFS=y)
if [ -f lib/tests/compl_chain.kunitconfig ]; then
	uml_config=(--kunitconfig=lib/tests/compl_chain.kunitconfig "${uml_config[@]}")
else
	uml_config=(--kunitconfig=/dev/null "${uml_config[@]}")
fi

# uml_build: build the UML kernel.  Another tree (TREE=, the bisection
# gate's clone) starts its build directory as a copy of the series tree's
# (scripts/common.sh: seed_out), so that only what differs is built.
uml_build() {
	local seed
	seed=$(cd "$TOP" && "$TOP/scripts/tree.sh" series)/$UML_DIR
	if [ ! -d "$UML_DIR" ] && [ "$seed" != "$tree/$UML_DIR" ] && [ -d "$seed" ]; then
		exec 8> "$seed.lock"
		flock 8
		if [ -x "$seed/linux" ]; then
			seed_out "$seed" "$tree/$UML_DIR" "$tree" ||
				die "cannot start $tree/$UML_DIR as a copy of $seed"
		fi
		exec 8>&-
	fi
	./tools/testing/kunit/kunit.py build --build_dir="$UML_DIR" \
		"${uml_config[@]}" "${build_opts[@]}" 2>&1
}

[ "$mode" = uml-build ] || [ -f lib/tests/compl_chain_kunit.c ] ||
	die "the series in $tree has no compl_chain suite"

# No other build uses the x86_64 configurations: ccache's depend mode for
# them, as for the debug kernel (scripts/kernel.sh).  The UML build shares
# its objects with the bisection gate's and keeps the default mode.
case $mode in
uml-build)
	exec 9> "$UML_DIR.lock"
	flock 9
	uml_build
	;;
uml)
	exec 9> "$UML_DIR.lock"
	flock 9
	exec ./tools/testing/kunit/kunit.py run --build_dir="$UML_DIR" \
		"${uml_config[@]}" "${common[@]}"
	;;
uml-all)
	exec ./tools/testing/kunit/kunit.py run compl_chain \
		--build_dir=out-kunit-uml-all "${common[@]}"
	;;
uml-twice)
	# A suite must pass when it runs again in the same boot: state kept
	# across runs (a WARN_ONCE() flag, a static chain left dirty) fails
	# the second run.  kunit.py halts the kernel after the boot run, so
	# the kernel is started here, with an init script from the host's
	# root file system (hostfs, read-only) that runs the suite again.
	exec 9> "$UML_DIR.lock"
	flock 9
	uml_build >/dev/null || die "the UML kernel for the second run did not build"
	log=$UML_DIR/console-twice.log
	timeout 900 "./$UML_DIR/linux" mem=512M console=tty \
		root=/dev/root rootfstype=hostfs rootflags=/ ro \
		init="$TOP/scripts/kunit-twice-init" </dev/null >"$log" 2>&1 || true
	# the kernel log's lines, without timestamps
	sed -e 's/^\[ *[0-9.]*\] //' "$log" > "$log.ktap"
	runs=$(grep -cE '^# compl_chain: pass:[0-9]+ fail:0 ' "$log.ktap" || true)
	failed=$(grep -cE '^ *not ok ' "$log.ktap" || true)
	grep -E '^# compl_chain: |^ *not ok |compl_chain-twice' "$log.ktap"
	grep -q 'compl_chain-twice: done' "$log.ktap" ||
		die "the second run did not finish (console: $tree/$log)"
	[ "$runs" -eq 2 ] && [ "$failed" -eq 0 ] ||
		die "expected two clean runs of compl_chain, got $runs, with $failed failed cases (console: $tree/$log)"
	echo "compl_chain passed twice in one boot"
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
