#!/bin/bash
# Write the series in a tree back to a series directory, with a cover letter.
#
#   scripts/export.sh [OUTDIR]   (default: the series directory, patches/)
#
# The cover letter's subject, subject prefix (PATCH, PATCH v2, ...) and text
# are taken from the existing 0000-cover-letter.patch; its shortlog and
# diffstat are regenerated.  Output is stable: exporting an untouched tree
# reproduces the directory byte for byte.

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

mkdir -p "$out"
find "$out" -maxdepth 1 -name '[0-9][0-9][0-9][0-9]-*.patch' -delete
cp "$tmp"/*.patch "$out/"
if [ "$(realpath "$out")" = "$(realpath "$dir")" ]; then
	mark_applied "$tree" "$dir"
fi
log "exported $count patches and a cover letter to $out"
