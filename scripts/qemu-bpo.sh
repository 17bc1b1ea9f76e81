#!/bin/bash
# Print the path of a newer QEMU, from Debian's bookworm-backports, for the
# tests that need a device model the machine's QEMU 7.2 lacks (Flexible
# Data Placement, QEMU 8.0 and later).  The packages are downloaded into the
# cache and unpacked there, not installed: every other test keeps the
# machine's QEMU.  Its firmware comes from the machine's seabios package,
# which qemu-system-x86 (scripts/deps.sh) pulls in.

. "$(dirname "$0")/common.sh"

dir=$CACHE/qemu-bpo
bin=$dir/root/usr/bin/qemu-system-x86_64
if [ -x "$bin" ]; then
	printf '%s\n' "$bin"
	exit 0
fi
apt=$dir/apt
mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" "$dir/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $BASE_MIRROR bookworm-backports main" \
	> "$apt/sources.list"
opts=(-o Dir::Etc::SourceList="$apt/sources.list" -o Dir::Etc::SourceParts=/dev/null
	-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
	-o Dir::State::Status=/dev/null -o APT::Sandbox::User=root)
log "downloading QEMU from bookworm-backports into $dir"
apt-get "${opts[@]}" -q update >&2 || die "cannot read bookworm-backports"
(cd "$dir/debs" && apt-get "${opts[@]}" -q download \
	qemu-system-x86 qemu-system-common qemu-system-data >&2) ||
	die "cannot download QEMU from bookworm-backports"
rm -rf "$dir/root.tmp"
for deb in "$dir"/debs/*.deb; do
	dpkg-deb -x "$deb" "$dir/root.tmp" || die "cannot unpack $deb"
done
mv "$dir/root.tmp" "$dir/root"
"$bin" --version | head -n 1 | sed 's/^/>>> /' >&2
printf '%s\n' "$bin"
