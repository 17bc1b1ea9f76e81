#!/bin/bash
# Prepare the kernel trees: download Debian's kernel source (cached outside
# the checkout), make it a git repository with one base commit, and apply a
# series with git am.
#
#   scripts/tree.sh            developer tree build/linux with patches/
#   SERIES=dir scripts/tree.sh tree of its own for that series
#   scripts/tree.sh base       worktree of the unpatched base
#   scripts/tree.sh fetch      only download the package

. "$(dirname "$0")/common.sh"

APT_DIR=$CACHE/apt
DEB_DIR=$CACHE/debs

apt_private() {
	local sources=$APT_DIR/sources.list s
	mkdir -p "$APT_DIR/lists/partial" "$APT_DIR/cache/archives/partial"
	: > "$sources"
	for s in $BASE_SUITES; do
		echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $BASE_MIRROR $s main" >> "$sources"
	done
	"$@" -o Dir::Etc::SourceList="$sources" \
		-o Dir::Etc::SourceParts=/dev/null \
		-o Dir::State::Lists="$APT_DIR/lists" \
		-o Dir::Cache="$APT_DIR/cache" \
		-o Dir::State::Status=/dev/null \
		-o APT::Sandbox::User=root
}

# Print the path of the cached .deb, downloading it first if needed.
fetch_base() {
	local version=$BASE_VERSION deb newest
	mkdir -p "$DEB_DIR"
	deb=$DEB_DIR/${BASE_PACKAGE}_${version}_all.deb
	if [ -s "$deb" ]; then
		printf '%s\n' "$deb"
		return
	fi
	log "updating private package lists ($BASE_SUITES)"
	apt_private apt-get -q update >&2
	if ! apt_private apt-cache madison "$BASE_PACKAGE" |
		awk -F'|' '{gsub(/ /, "", $2); print $2}' |
		grep -qxF "$version"; then
		newest=$(apt_private apt-cache madison "$BASE_PACKAGE" |
			awk -F'|' '{gsub(/ /, "", $2); print $2}' |
			grep "^$BASE_UPSTREAM\." | sort -V | tail -n1)
		[ -n "$newest" ] || die "$BASE_PACKAGE is not in $BASE_SUITES"
		warn "pinned $BASE_PACKAGE $version is gone from the archive; using the newest $BASE_UPSTREAM.y, $newest. Results are not comparable with the pinned version; update config/base.conf."
		version=$newest
		deb=$DEB_DIR/${BASE_PACKAGE}_${version}_all.deb
		[ -s "$deb" ] && { printf '%s\n' "$deb"; return; }
	fi
	log "downloading $BASE_PACKAGE $version (signature checked by apt)"
	(cd "$DEB_DIR" && apt_private apt-get -q download \
		"$BASE_PACKAGE=$version" >&2)
	# apt names the file with the epoch-escaped version
	deb=$(ls -t "$DEB_DIR"/"${BASE_PACKAGE}"_*"${version#*:}"_all.deb | head -n1)
	printf '%s\n' "$deb"
}

git_project() {
	git -c core.autocrlf=false -c gc.auto=0 "$@"
}

# Debian's tree ignores everything at its top level (a rule for its own
# packaging repository), which would hide every file from git.
drop_debian_ignore() {
	sed -i '/^# Debian packaging: ignore everything/,/^!\/debian\/$/d' \
		"$1/.gitignore"
	if grep -qx '/\*' "$1/.gitignore"; then
		die "could not drop the top-level ignore rule in $1/.gitignore"
	fi
}

make_base_repo() {
	local deb tmp version
	deb=$(fetch_base)
	version=$(dpkg-deb -f "$deb" Version)
	tmp=$BUILD/linux.tmp
	rm -rf "$tmp"
	mkdir -p "$tmp"
	log "extracting $(basename "$deb")"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -xO "./usr/src/$BASE_PACKAGE.tar.xz" |
		xz -dc -T0 | tar -x -C "$tmp" --strip-components=1
	drop_debian_ignore "$tmp"
	printf '/out-*/\n' >> "$tmp/.git-info-exclude"
	git_project init -q -b base-tree "$tmp"
	mv "$tmp/.git-info-exclude" "$tmp/.git/info/exclude"
	log "committing the base tree"
	git_project -C "$tmp" add -A
	# A fixed date makes the base commit the same on every machine.
	GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" \
	GIT_COMMITTER_DATE="2000-01-01T00:00:00Z" \
	git_project -C "$tmp" commit -q -F - <<-MSG
	Debian $BASE_PACKAGE $version

	The base of the series: Debian's kernel source package
	$BASE_PACKAGE, version $version, as downloaded from the archive.

	One change from the package: the rule at the end of the top-level
	.gitignore that ignores every top-level path (it belongs to Debian's
	packaging repository) is dropped, so that git sees the tree.
	MSG
	git_project -C "$tmp" tag base
	git_project -C "$tmp" checkout -q -b series
	mv "$tmp" "$DEV_TREE"
}

apply_series() {
	local tree=$1 dir=$2 p
	git_project -C "$tree" am --abort >/dev/null 2>&1 || true
	git_project -C "$tree" reset -q --hard base
	for p in $(series_patches "$dir"); do
		git_project -C "$tree" am -q --whitespace=error-all "$p" ||
			die "$(basename "$p") does not apply to the base"
	done
	mark_applied "$tree" "$dir"
	log "$(basename "$dir"): $(series_patches "$dir" | wc -l) patches applied in $tree"
}

# Bring a tree up to date with its series.  The developer tree is never
# reset over commits or edits that are not in patches/.
sync_tree() {
	local tree=$1 dir=$2 state hash head
	state=$(applied_marker "$tree")
	hash=$(series_hash "$dir")
	if [ -f "$state" ]; then
		read -r old_hash head < "$state"
		[ "$old_hash" = "$hash" ] && return 0
		if [ "$tree" = "$DEV_TREE" ] &&
			{ [ "$(git -C "$tree" rev-parse HEAD)" != "$head" ] ||
			  ! git -C "$tree" diff --quiet HEAD; }; then
			warn "$tree has work that is not in patches/ (run 'make export'); using the tree as it is"
			return 0
		fi
	fi
	apply_series "$tree" "$dir"
}

ensure_dev_repo() {
	[ -d "$DEV_TREE/.git" ] || make_base_repo
}

add_worktree() {
	local tree=$1
	if [ ! -e "$tree/.git" ]; then
		mkdir -p "$(dirname "$tree")"
		git_project -C "$DEV_TREE" worktree prune
		git_project -C "$DEV_TREE" worktree add -q --detach "$tree" base
	fi
}

case ${1:-series} in
fetch)
	fetch_base
	;;
base)
	ensure_dev_repo
	add_worktree "$BASE_TREE"
	printf '%s\n' "$BASE_TREE"
	;;
series)
	ensure_dev_repo
	tree=$(series_tree)
	dir=$(series_dir)
	[ -d "$dir" ] || die "no series directory $dir"
	[ "$tree" = "$DEV_TREE" ] || add_worktree "$tree"
	sync_tree "$tree" "$dir"
	printf '%s\n' "$tree"
	;;
*)
	die "usage: $0 [fetch|base|series]"
	;;
esac
