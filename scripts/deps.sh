#!/bin/bash
# Install the Debian packages the harness needs, if any is missing.  Only
# the machine's own (bookworm) archive is used; the kernel source is not
# installed but downloaded by scripts/tree.sh.

. "$(dirname "$0")/common.sh"

packages=(
	build-essential bc bison flex libelf-dev libssl-dev cpio xz-utils
	ccache python3 python3-ply git sparse
	qemu-system-x86 busybox-static nvme-cli jq iproute2
	python3-sphinx python3-sphinx-rtd-theme python3-yaml
	kmod debootstrap e2fsprogs g++ liburing-dev
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

log "installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo apt-get update -q >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q \
	--no-install-recommends "${missing[@]}" >&2
