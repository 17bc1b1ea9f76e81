#!/bin/bash
# Build the guest initramfs: busybox-static, Debian's nvme-cli, jq and tc with
# the shared libraries they need, the guest's /init and its tests.  Prints
# the path of the image.  Rebuilt only when one of its inputs changed.

. "$(dirname "$0")/common.sh"

out=$BUILD/guest
img=$out/initramfs.cpio.gz
bins=(/usr/sbin/nvme /usr/bin/jq /usr/sbin/tc)

inputs() {
	ls -l --time-style=+%s /bin/busybox "${bins[@]}"
	find "$TOP/guest" -type f -exec sha1sum {} + | sort
	sha1sum "$0"
}

mkdir -p "$out"
stamp=$(inputs | sha1sum | cut -d' ' -f1)
if [ -f "$img" ] && [ "$(cat "$out/stamp" 2>/dev/null)" = "$stamp" ]; then
	printf '%s\n' "$img"
	exit 0
fi

tree=$("$TOP/scripts/tree.sh" base)
gen=$out/gen_init_cpio
[ -x "$gen" ] || gcc -O2 -o "$gen" "$tree/usr/gen_init_cpio.c"

list=$out/initramfs.list
{
	echo "dir /dev 0755 0 0"
	echo "nod /dev/console 0600 0 0 c 5 1"
	echo "nod /dev/ttyS1 0600 0 0 c 4 65"
	for d in bin sbin usr usr/bin usr/sbin lib lib64 proc sys tmp etc \
		etc/nvme tests; do
		echo "dir /$d 0755 0 0"
	done
	echo "file /bin/busybox /bin/busybox 0755 0 0"
	for app in $(/bin/busybox --list-full); do
		[ "$app" = bin/busybox ] && continue
		[ "$app" = sbin/init ] && continue
		echo "slink /$app /bin/busybox 0777 0 0"
	done
	for b in "${bins[@]}"; do
		echo "file $b $b 0755 0 0"
	done
	# the libraries the binaries need, at the paths the loader looks at
	for b in "${bins[@]}"; do ldd "$b"; done | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\/.*[^:]$/ { print $1 }' |
		sort -u | while read -r lib; do
		real=$(readlink -f "$lib")
		dir=$(dirname "$lib")
		echo "dir $dir 0755 0 0"
		echo "file $lib $real 0755 0 0"
	done | awk '!seen[$0]++'
	echo "file /init $TOP/guest/init 0755 0 0"
	for f in "$TOP"/guest/tests/*; do
		echo "file /tests/$(basename "$f") $f 0644 0 0"
	done
	echo "file /etc/nvme/hostnqn $TOP/guest/hostnqn 0644 0 0"
	echo "file /etc/nvme/hostid $TOP/guest/hostid 0644 0 0"
} > "$list"

"$gen" "$list" | gzip -1 > "$img.tmp"
mv "$img.tmp" "$img"
printf '%s\n' "$stamp" > "$out/stamp"
log "initramfs: $(du -h "$img" | cut -f1) in $img"
printf '%s\n' "$img"
