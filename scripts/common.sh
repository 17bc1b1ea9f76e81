# shellcheck shell=bash
# Settings shared by every script of the harness.  Source, do not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$TOP/build}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nvme-order}
SERIES=${SERIES:-patches}
JOBS=${JOBS:-$(nproc)}

# shellcheck source=../config/base.conf
. "$TOP/config/base.conf"

export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-8G}
# Trees are built with O= as a direct child of the source, so kbuild uses
# "..": paths, and every tree shares the same ccache entries.
export CCACHE_NOHASHDIR=1

# The developer tree is build/linux; the unpatched base has its own worktree;
# any other series gets a tree of its own so build/linux is left alone.
DEV_TREE=$BUILD/linux
BASE_TREE=$BUILD/base/linux

log() { printf '>>> %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
warn() { printf '\n!!! WARNING: %s\n\n' "$*" >&2; }

series_dir() {
	case $SERIES in
	/*) printf '%s\n' "$SERIES" ;;
	*) printf '%s\n' "$TOP/$SERIES" ;;
	esac
}

# The tree that holds the series named by $SERIES.
series_tree() {
	local dir
	dir=$(series_dir)
	if [ "$(realpath -m "$dir")" = "$(realpath -m "$TOP/patches")" ]; then
		printf '%s\n' "$DEV_TREE"
	else
		printf '%s/series/%s/linux\n' "$BUILD" "$(basename "$dir")"
	fi
}

# The patches of a series, in order, without the cover letter.
series_patches() {
	find "$1" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' \
		! -name '0000-*' | sort
}

# series_with DIR PATCH...: make DIR a series directory holding the patches
# of $SERIES followed by the given extra patches (a broken or bench-only
# variant of the series; it gets its own tree through SERIES=DIR).
series_with() {
	local dir=$1
	shift
	rm -rf "$dir"
	mkdir -p "$dir"
	# shellcheck disable=SC2046
	cp $(series_patches "$(series_dir)") "$@" "$dir/"
}

# Identifies the content of a series (its patches, not the cover letter).
series_hash() {
	cat $(series_patches "$1") 2>/dev/null | sha1sum | cut -d' ' -f1
}

# Record that $1 (a tree) holds the series in directory $2.
mark_applied() {
	printf '%s %s\n' "$(series_hash "$2")" "$(git -C "$1" rev-parse HEAD)" \
		> "$(git -C "$1" rev-parse --git-dir)/nvme-order-applied"
}
