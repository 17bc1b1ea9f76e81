#!/bin/bash
# Show that tests catch a broken series: for each tests/broken/*.patch (or
# the ones given), build the series plus that patch and run the test named
# on the patch's "Test:" line.  Prints KTAP: a broken patch is "ok" when
# its test failed.
#
# An entry may also be a directory of patches, which join the series'
# patches in file-name order: 0001-x-*.patch goes between the series'
# 0001 and 0002, 9999-*.patch last.  That is how a patch that breaks the
# build midway and a later one that repairs it are placed.
#
# Each broken series is its own tree (build/series/<patch>/linux) and
# kernel build; ccache makes all but the first cheap.

. "$(dirname "$0")/common.sh"

patches=("$@")
[ ${#patches[@]} -gt 0 ] || patches=("$TOP"/tests/broken/*)
echo "KTAP version 1"
echo "1..${#patches[@]}"
i=0 caught=0
for p in "${patches[@]}"; do
	i=$((i + 1))
	name=$(basename "$p" .patch)
	extra=("$p")
	[ -d "$p" ] && extra=("$p"/*.patch)
	test=$(sed -n 's/^Test: *//p' "${extra[@]}" | head -n 1)
	[ -n "$test" ] || die "$p has no Test: line"
	dir=$BUILD/broken/$name
	series_with "$dir" "${extra[@]}"
	log=$BUILD/broken/$name.log
	if SERIES=$dir T=$test "$TOP/scripts/check.sh" > "$log" 2>&1; then
		echo "not ok $i $name # $test passed on the broken series"
	else
		grep -E '^ *not ok|# ' "$log" | grep -vE '^ *# [0-9.]+s$' | head -n 8
		echo "ok $i $name # $test failed, as it must"
		caught=$((caught + 1))
	fi
done
echo "$caught passed, $((i - caught)) failed"
[ "$caught" -eq "$i" ]
