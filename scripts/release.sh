#!/bin/bash
# make release: record the exported series as the version its cover letter
# names, once it has been sent.  From then on any change to the patches
# needs the next version number and a changelog (tests/gate-cover-letter).

. "$(dirname "$0")/common.sh"

dir=$(series_dir)
versions=$TOP/config/series-versions
hash=$(series_content_hash "$dir")
version=$(series_version "$dir")
last=$(awk '!/^#/ && NF { v = $1; h = $2 } END { print v " " h }' "$versions")
[ "${last#* }" != "$hash" ] || die "this series is already recorded as v${last% *}"
[ "$version" = $(( ${last% *} + 1 )) ] ||
	die "the cover letter says v$version; the next version is v$(( ${last% *} + 1 ))"
echo "$version $hash" >> "$versions"
log "recorded v$version ($hash) in config/series-versions; commit it"
