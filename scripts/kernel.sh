#!/bin/bash
# Build one kernel variant and print the path of its bzImage.
#
#   scripts/kernel.sh base      the unpatched base tree
#   scripts/kernel.sh patched   the series named by $SERIES
#   scripts/kernel.sh debug     the same series with config/debug.config:
#                               lockdep, KASAN, debug objects, kmemleak,
#                               hung-task and soft-lockup detectors; no
#                               networking (config/net.config); and the
#                               KUnit suite (config/debug-kunit.config)
#   scripts/kernel.sh debug-base
#                               the base tree with config/debug.config, to
#                               tell whether a report of a debug test is
#                               the series' (KERNEL=debug-base make check)
#   scripts/kernel.sh test-hooks
#                               the series plus the test-only patches in
#                               tests/patches, each off unless the command
#                               line asks: async.max_active= shrinks
#                               async_wq (tests/numa-scan), and
#                               nvme_core.report_turns=1 reports how long
#                               namespaces held the turn (tests/nvme-fdp)
#   TREE=dir scripts/kernel.sh patched
#                               whatever tree dir holds, with the patched
#                               configuration (the bisection gate)
#
# Each variant is built in its own O= directory, a direct child of its source
# tree, from tinyconfig plus config/kernel.config and the variant's own
# fragments.  The build is incremental and goes through ccache.

. "$(dirname "$0")/common.sh"

variant=${1:?usage: $0 base|patched|debug|debug-base|test-hooks}
case $variant in
base | debug-base) tree=$("$TOP/scripts/tree.sh" base) ;;
patched | debug) tree=${TREE:-$("$TOP/scripts/tree.sh" series)} ;;
test-hooks)
	hooked=$BUILD/variants/$(basename "$(series_dir)")-test-hooks
	series_with "$hooked" "$TOP"/tests/patches/*.patch
	tree=$(SERIES=$hooked "$TOP/scripts/tree.sh" series)
	;;
*) die "unknown kernel variant '$variant'" ;;
esac

out=$tree/out-$variant
fragments=("$TOP/config/kernel.config")
case $variant in
base | patched | test-hooks) fragments+=("$TOP/config/net.config") ;;
debug*) fragments+=("$TOP/config/debug.config") ;;
esac
[ "$variant" != debug ] || fragments+=("$TOP/config/debug-kunit.config")

# No other build shares the debug variant's objects (its configuration is
# its own), so ccache's depend mode: a cache miss does not run the
# preprocessor for a second lookup, about a tenth of each compile.  base
# and patched keep the default mode, whose preprocessed lookup is what
# lets the patched build reuse the base build's objects although the
# series adds a Kconfig symbol, which changes every file's included
# autoconf.h.
case $variant in debug*) export CCACHE_DEPEND=1 ;; esac

kmake() {
	make -s -C "$tree" O="$out" ARCH=x86_64 CC="ccache gcc" \
		HOSTCC="ccache gcc" KBUILD_BUILD_USER=nvme-order \
		KBUILD_BUILD_HOST=qemu "$@"
}

# Every option asked for must survive olddefconfig; a silently dropped one
# would make a test pass or fail for the wrong reason.
check_config() {
	local f line sym want have bad=0
	for f in "${fragments[@]}"; do
		while read -r line; do
			case $line in CONFIG_*=*) ;; *) continue ;; esac
			sym=${line%%=*}
			want=${line#*=}
			have=$(grep -E "^$sym=" "$out/.config" | cut -d= -f2- || true)
			if [ "$want" != "$have" ]; then
				printf 'config: %s=%s asked, got %s\n' "$sym" "$want" \
					"${have:-unset}" >&2
				bad=1
			fi
		done < "$f"
	done
	return $bad
}

configure() {
	local stamp=$out/.fragments.sha1 sum
	sum=$(cat "${fragments[@]}" | sha1sum)
	if [ -f "$out/.config" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$sum" ]; then
		return
	fi
	log "configuring $variant in $out"
	mkdir -p "$out"
	kmake tinyconfig >/dev/null
	"$tree/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" \
		"${fragments[@]}" >/dev/null
	kmake olddefconfig >/dev/null
	check_config || die "kernel config for $variant is not what config/ asks for"
	printf '%s\n' "$sum" > "$stamp"
}

configure
log "building $variant kernel ($(git -C "$tree" describe --always --tags 2>/dev/null)) in $out"
start=$(date +%s)
kmake -j"$JOBS" bzImage >&2
log "$variant kernel built in $(( $(date +%s) - start ))s"
printf '%s\n' "$out/arch/x86/boot/bzImage"
