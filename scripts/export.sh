#!/bin/bash
# Write the series in a tree back to a series directory, with a cover letter.
#
#   scripts/export.sh [OUTDIR]   (default: the series directory, patches/)
#
# The cover letter's subject, subject prefix (PATCH, PATCH v2, ...) and text
# are taken from the existing 0000-cover-letter.patch; its shortlog and
# diffstat are regenerated.  Output is stable: exporting an untouched tree
# reproduces the directory byte for byte.
#
# Every patch gets Cc: headers for what scripts/get_maintainer.pl names for
# it (maintainers, reviewers and lists, no git history); the cover letter
# gets all of them.  git send-email reads these headers.

. "$(dirname "$0")/common.sh"

dir=$(series_dir)
out=${1:-$dir}
tree=${TREE:-$(series_tree)}
[ -d "$tree/.git" ] || [ -f "$tree/.git" ] || die "no tree at $tree (make tree)"
cover=$dir/0000-cover-letter.patch
[ -f "$cover" ] || die "$cover is missing; the cover letter's text lives there"

# Unfolded Subject: header of the cover letter.
subject_line=$(awk '
	/^Subject: / { s = $0; on = 1; next }
	on && /^[ \t]/ { sub(/^[ \t]+/, " "); s = s $0; next }
	on { print s; exit }' "$cover")
prefix=$(sed -n 's/^Subject: \[\(.*\) [0-9]*\/[0-9]*\].*/\1/p' <<< "$subject_line")
subject=$(sed 's/^Subject: \[[^]]*\] *//' <<< "$subject_line")
[ -n "$prefix" ] || prefix=PATCH

# The text between the headers and the shortlog ("Name (N):").
blurb() {
	awk '
		!body && /^$/ { body = 1; next }
		body { line[++n] = $0; if ($0 ~ /^[^ ].* \([0-9]+\):$/) last = n }
		END {
			end = last ? last - 1 : n
			while (end > 0 && line[end] == "") end--
			for (i = 1; i <= end; i++) print line[i]
		}' "$cover"
}

count=$(git -C "$tree" rev-list --count base..HEAD)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ "$count" -eq 0 ]; then
	# Nothing to format yet: the cover letter stands alone.
	cp "$cover" "$tmp/0000-cover-letter.patch"
else
	branch=nvme-order-export
	git -C "$tree" config "branch.$branch.description" \
		"$(printf '%s\n\n%s\n' "$subject" "$(blurb)")"
	git -C "$tree" branch -f "$branch" HEAD
	git -C "$tree" -c core.abbrev=12 -c diff.renames=true \
		-c core.attributesFile="$TOP/config/gitattributes" \
		-c format.signOff=false -c format.coverLetter=false \
		format-patch -q --zero-commit --no-signature \
		--subject-prefix="$prefix" --cover-letter \
		--cover-from-description=subject --stat=80 --summary \
		-o "$tmp" "base..$branch"
	# format-patch dates the cover letter "now"; use the newest patch's
	# author date so that an unchanged series exports unchanged.
	date=$(git -C "$tree" log -1 --format=%aD "base..$branch")
	sed -i "0,/^Date: .*/s//Date: $date/" "$tmp/0000-cover-letter.patch"
	git -C "$tree" branch -D -q "$branch"
	git -C "$tree" config --unset "branch.$branch.description" || true
fi

# get_maintainer PATCH...: the addresses for these patches, in the order
# get_maintainer.pl gives them, each once.
get_maintainer() {
	local p
	for p in "$@"; do
		(cd "$tree" && perl scripts/get_maintainer.pl --no-rolestats \
			--no-git --no-git-fallback --no-multiline "$p") ||
			die "get_maintainer.pl failed on $(basename "$p")"
	done | tr ',' '\n' | sed 's/^ *//' | grep . | awk '!seen[$0]++'
}

# add_cc FILE ADDRESS...: a Cc: header per address, after the Date: header.
add_cc() {
	local file=$1 cc
	shift
	cc=$(printf 'Cc: %s\n' "$@")
	awk -v cc="$cc" '!done && /^Date: / { print; print cc; done = 1; next } { print }' \
		"$file" > "$file.cc" && mv "$file.cc" "$file"
}

if [ "$count" -gt 0 ]; then
	patches=$(series_patches "$tmp")
	for p in $patches; do
		mapfile -t addrs < <(get_maintainer "$p")
		[ ${#addrs[@]} -eq 0 ] || add_cc "$p" "${addrs[@]}"
	done
	# shellcheck disable=SC2086
	mapfile -t addrs < <(get_maintainer $patches)
	[ ${#addrs[@]} -eq 0 ] || add_cc "$tmp/0000-cover-letter.patch" "${addrs[@]}"
fi

mkdir -p "$out"
find "$out" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
cp "$tmp"/*.patch "$out/"
if [ "$(realpath "$out")" = "$(realpath "$dir")" ]; then
	mark_applied "$tree" "$dir"
fi
log "exported $count patches and a cover letter to $out"
