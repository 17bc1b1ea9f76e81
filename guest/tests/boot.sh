# Smoke test: the kernel reaches /init and every namespace of the VM layout
# (nvt.ns=N) shows up, in sysfs and in nvme-cli.

test_reached_init() {
	diag "$(uname -r) on $(grep -c ^processor /proc/cpuinfo) CPUs"
}

test_all_namespaces_appear() {
	wait_nvme_disks "${NVT_NS:?}" 120 || {
		diag "expected $NVT_NS namespaces, found $(nvme_disks | wc -l)"
		return 1
	}
	diag "$NVT_NS namespaces registered"
}

test_nvme_cli_agrees_with_sysfs() {
	nvme_sysfs_nsids > /tmp/sysfs
	nvme_cli_nsids > /tmp/cli
	if ! cmp -s /tmp/sysfs /tmp/cli; then
		diag "nvme list and sysfs disagree:"
		diff /tmp/sysfs /tmp/cli
		return 1
	fi
	[ -s /tmp/cli ]
}
