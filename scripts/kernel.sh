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
#   scripts/kernel.sh bench-base, bench-patched
#                               base and patched plus bench/9200-*.patch,
#                               which lets nvmet answer one NSID's Identify
#                               commands late: make bench's first two
#                               kernels (the patch is never part of the
#                               series, and changes only the target)
#   scripts/kernel.sh sequential
#                               bench-patched plus bench/9100-*.patch, which
#                               scans one namespace at a time: make bench's
#                               third kernel, never part of the series
#   scripts/kernel.sh test-hooks
#                               the series plus the test-only patches in
#                               tests/patches, each off unless the command
#                               line asks: async.max_active= shrinks
#                               async_wq (tests/numa-scan), and
#                               nvme_core.report_turns=1 reports how long
#                               namespaces held the turn (tests/nvme-fdp)
#   scripts/kernel.sh blktests-base, blktests-patched
#                               base and series with config/blktests.config
#                               (modules, scsi_debug as one, what the
#                               Debian guest of make blktests needs); the
#                               modules are installed under the output
#                               directory's modroot/
#   TREE=dir scripts/kernel.sh patched
#                               whatever tree dir holds, with the patched
#                               configuration (the bisection gate)
#
# Each variant is built in its own O= directory, a direct child of its source
# tree, from tinyconfig plus config/kernel.config and the variant's own
# fragments.  The build is incremental and goes through ccache.  A build
# holds a lock for its tree and variant, so that make check's builds ahead
# (scripts/prebuild.sh) and a test asking for the same kernel take turns.

. "$(dirname "$0")/common.sh"

variant=${1:?usage: $0 base|patched|debug|debug-base|test-hooks|bench-base|bench-patched|sequential|blktests-base|blktests-patched}

# One build at a time per tree and variant, whoever asks: the lock of a
# variant's output directory.
lock_of() {
	case $1 in
	base | debug-base | blktests-base) echo "$BUILD/locks/$1.lock" ;;
	*) echo "$BUILD/locks/$1-$(basename "$(series_dir)")${TREE:+-$(printf '%s' "$TREE" | sha1sum | cut -c1-12)}.lock" ;;
	esac
}
mkdir -p "$BUILD/locks"
exec 9> "$(lock_of "$variant")"
flock 9

case $variant in
base | debug-base | blktests-base) tree=$("$TOP/scripts/tree.sh" base) ;;
patched | debug | blktests-patched) tree=${TREE:-$("$TOP/scripts/tree.sh" series)} ;;
test-hooks | bench-patched | sequential)
	case $variant in
	test-hooks) extra=("$TOP"/tests/patches/*.patch) ;;
	bench-patched) extra=("$TOP"/bench/9200-*.patch) ;;
	sequential) extra=("$TOP"/bench/9100-*.patch "$TOP"/bench/9200-*.patch) ;;
	esac
	dir=$BUILD/variants/$(basename "$(series_dir)")-$variant
	series_with "$dir" "${extra[@]}"
	tree=$(SERIES=$dir "$TOP/scripts/tree.sh" series)
	;;
bench-base)
	# the base with the benchmark's target patch alone, as a series
	dir=$BUILD/variants/bench-base
	rm -rf "$dir"
	mkdir -p "$dir"
	cp "$TOP"/bench/9200-*.patch "$dir/"
	tree=$(SERIES=$dir "$TOP/scripts/tree.sh" series)
	;;
*) die "unknown kernel variant '$variant'" ;;
esac

out=$tree/out-$variant
fragments=("$TOP/config/kernel.config")
case $variant in
base | patched | test-hooks | bench-* | sequential)
	fragments+=("$TOP/config/net.config" "$TOP/config/trace.config") ;;
debug*) fragments+=("$TOP/config/debug.config") ;;
blktests-*) fragments+=("$TOP/config/net.config" "$TOP/config/blktests.config") ;;
esac
[ "$variant" != debug ] || fragments+=("$TOP/config/debug-kunit.config")

# ccache's depend mode: a miss compiles once, without a preprocessor run
# for a second lookup, which costs about a fifth of a cold build.  What
# depend mode cannot share across configurations (the patched kernel's
# autoconf.h differs from the base's in the series' Kconfig symbol), the
# seed below shares instead.
export CCACHE_DEPEND=1

kmake() {
	make -s -C "$tree" O="$out" ARCH=x86_64 "${KMAKE_VARS[@]}" "$@"
}

# Every option asked for must survive olddefconfig; a silently dropped one
# would make a test pass or fail for the wrong reason.  As in
# merge_config.sh, a later fragment's value of a symbol wins.
check_config() {
	local line sym have bad=0
	declare -A want=()
	while read -r line; do
		case $line in CONFIG_*=*) want[${line%%=*}]=${line#*=} ;; esac
	done < <(cat "${fragments[@]}")
	for sym in "${!want[@]}"; do
		have=$(grep -E "^$sym=" "$out/.config" | cut -d= -f2- || true)
		if [ "${want[$sym]}" != "$have" ]; then
			printf 'config: %s=%s asked, got %s\n' "$sym" "${want[$sym]}" \
				"${have:-unset}" >&2
			bad=1
		fi
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

# source_key: everything a build of this variant depends on, so that a
# kernel built from the same key is not handed to make again (make takes
# about 10 s to find a kernel up to date, and most tests ask for one):
# the tree's commit and its changes, tracked or not (the build
# directories left out), the configuration fragments, this script and
# the make variables, and the compiler.
source_key() {
	{
		echo "$variant"
		git -C "$tree" rev-parse 'HEAD^{tree}'
		git -C "$tree" diff HEAD
		git -C "$tree" ls-files -o --exclude-standard --exclude='/out-*' -z |
			(cd "$tree" && xargs -0r sh -c 'find "$@" -type f -print0' sh) |
			sort -z | (cd "$tree" && xargs -0r sha1sum)
		cat "${fragments[@]}" "$0"
		declare -p KMAKE_VARS
		gcc --version | head -n 1
	} | sha1sum | cut -d' ' -f1
}
key=$(source_key)
if [ -f "$out/arch/x86/boot/bzImage" ] &&
	[ "$(cat "$out/.source-key" 2>/dev/null)" = "$key" ]; then
	printf '%s\n' "$out/arch/x86/boot/bzImage"
	exit 0
fi

# the output directory a variant starts from, if it has none
seed_of() {
	case $variant in
	patched | bench-base) echo "$BASE_TREE/out-base" ;;
	blktests-patched) echo "$BASE_TREE/out-blktests-base" ;;
	test-hooks | bench-patched | sequential)
		echo "$("$TOP/scripts/tree.sh" series)/out-patched" ;;
	esac
}

if [ ! -d "$out" ] && seed=$(seed_of) && [ -n "$seed" ] && [ -d "$seed" ]; then
	# the seed's builder must not be halfway through it
	seed_variant=$(basename "$seed")
	exec 8> "$(TREE='' lock_of "${seed_variant#out-}")"
	flock 8
	if [ -f "$seed/vmlinux" ]; then
		log "starting $out as a copy of $seed"
		seed_out "$seed" "$out" "$tree"
		rm -f "$out/.fragments.sha1" "$out/.source-key"
	fi
	exec 8>&-
fi

configure
log "building $variant kernel ($(git -C "$tree" describe --always --tags 2>/dev/null)) in $out"
start=$(date +%s)
rm -f "$out/.source-key"
kmake -j"$JOBS" bzImage >&2
if grep -q '^CONFIG_MODULES=y' "$out/.config"; then
	kmake -j"$JOBS" modules >&2
	rm -rf "$out/modroot"
	kmake INSTALL_MOD_PATH="$out/modroot" INSTALL_MOD_STRIP=1 \
		modules_install >&2
fi
printf '%s\n' "$key" > "$out/.source-key"
log "$variant kernel built in $(( $(date +%s) - start ))s"
printf '%s\n' "$out/arch/x86/boot/bzImage"
