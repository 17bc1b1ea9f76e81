#!/bin/bash
# Build the Debian bookworm root file system that make blktests boots, and
# print its image's path.  The image is cached outside the checkout, keyed
# by this script's text (which holds the package list), and made only once.
#
# debootstrap runs as root, from the archive the machine's apt uses
# (MIRROR= to choose another); the file system image is written with
# mke2fs -d, so nothing is mounted.  The image is sparse: 8 GiB for
# blktests' backing files, about 0.5 GiB on the host.

. "$(dirname "$0")/common.sh"

# What blktests' README lists, what the nvme and scsi groups ask for with
# _have_program, and what the guest's init uses.
packages=(
	bash coreutils gawk util-linux fio nvme-cli udev kmod procps psmisc
	e2fsprogs xfsprogs btrfs-progs f2fs-tools iproute2 ethtool
	sg3-utils dmsetup keyutils expect python3 liburing2 blktrace
	uuid-runtime systemd cpio bsdextrautils
)

MIRROR=${MIRROR:-$(awk '/^URIs:/ { print $2; exit }
	/^deb / { print $2; exit }' /etc/apt/sources.list.d/*.sources \
	/etc/apt/sources.list 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

key=$(sha256sum "$0" | cut -c1-12)
dir=$CACHE/blktests
img=$dir/bookworm-$key.img

if [ -s "$img" ]; then
	printf '%s\n' "$img"
	exit 0
fi

{ [ -x /usr/sbin/debootstrap ] || command -v debootstrap >/dev/null; } ||
	die "debootstrap is missing: run scripts/deps.sh (make deps)"
# debootstrap, and reading what it installs, need root: sudo if not root,
# as scripts/deps.sh does
as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

mkdir -p "$dir"
root=$dir/root-$key
as_root rm -rf "$root"
log "debootstrap bookworm from $MIRROR into $root"
as_root debootstrap --variant=minbase --include="$(IFS=,; echo "${packages[*]}")" \
	bookworm "$root" "$MIRROR" >&2 ||
	die "debootstrap failed; its log is $root/debootstrap/debootstrap.log"

# No network in the guest: apt's lists are not needed.
as_root sh -c 'rm -rf "$1"/var/cache/apt/archives/*.deb "$1"/var/lib/apt/lists/*' sh "$root"
echo blktests | as_root tee "$root/etc/hostname" >/dev/null

# The guest's init: mount the host's share and run what it holds
# (guest/blktests-run.sh), so that the harness can change without a new
# image.
as_root tee "$root/sbin/blktests-init" >/dev/null <<'EOF'
#!/bin/sh
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mkdir -p /host
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host /host &&
	exec /bin/bash /host/run.sh
echo "blktests-init: the host's share did not mount"
echo o > /proc/sysrq-trigger
EOF
as_root chmod 755 "$root/sbin/blktests-init"

log "writing $img"
as_root mke2fs -q -t ext4 -L blktests -d "$root" "$img.tmp" 8G >&2
as_root chown "$(id -u):$(id -g)" "$img.tmp"
mv "$img.tmp" "$img"
as_root rm -rf "$root"
# images of earlier package lists
find "$dir" -maxdepth 1 -name 'bookworm-*.img' ! -name "${img##*/}" -delete
printf '%s\n' "$img"
