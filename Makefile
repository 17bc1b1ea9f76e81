# Ordered asynchronous NVMe namespace scanning: the kernel series in
# patches/ and the harness that builds, boots and tests it.
#
# The two commands: make demo, make check.  make help lists the rest.

SHELL := /bin/bash
SERIES ?= patches
export SERIES T BOOTS NS SMP JOBS DISRUPT DISRUPT_LOOPS HUNG_TIMEOUT PREBUILD
export ROUNDS CELLS SEQ_SKIP SLOW_MS TAG PCI_NS REPEAT ITEMS

.PHONY: help demo check tree export release kernels kunit mutants broken bench blktests soak deps clean

help:
	@echo 'Targets:'
	@echo '  make demo      base and patched kernel, one boot each: nvme list and misplaced names'
	@echo '  make check     the test suite (T=glob selects some); ends with "N passed, N failed"'
	@echo '  make tree      build/linux: the base as a git repository, patches/ applied'
	@echo '  make export    write build/linux'"'"'s commits back to patches/'
	@echo '  make release   record the exported series as the version its cover letter names'
	@echo '  make kernels   build the base and the patched kernel'
	@echo '  make kunit     the KUnit suite: UML, and x86_64 with lockdep and KASAN'
	@echo '  make mutants   show the KUnit suite fails on broken helpers'
	@echo '  make broken    show the tests fail on broken series'
	@echo '  make bench     scan time of the base, patched and sequential kernels'
	@echo '  make blktests  blktests'"'"' nvme (loop, tcp) and scsi groups, base and series (hours)'
	@echo '  make soak      the long tests, and the debug tests at full counts (hours)'
	@echo '  make clean     remove build/ (the download and the ccache stay)'
	@echo '  make help      this list'
	@echo
	@echo 'Variables:'
	@echo '  T=glob         make check, make soak: only the tests whose name matches'
	@echo '  BOOTS=n        boots of every VM test; boots per kernel in the demo'
	@echo '  KERNEL=base    the guest tests on the base kernel (debug-base: the debug tests)'
	@echo '  SERIES=dir     test another series, in a tree of its own (default patches)'
	@echo '  NS=n, SMP=n    the demo'"'"'s namespaces and guest CPUs (64, 4; make bench: 2)'
	@echo '  JOBS=n         build parallelism (default nproc)'
	@echo '  PREBUILD=0     make check: build each kernel when a test first needs it'
	@echo '  HUNG_TIMEOUT=s the guest kernel'"'"'s hung-task timeout on every boot'
	@echo '  SOAK=1         make check with the soak counts (make soak sets it)'
	@echo '  DISRUPT=a,b, DISRUPT_LOOPS=A-B'
	@echo '                 make soak: only these disruption actions, only these loops'
	@echo '  ROUNDS, CELLS, SEQ_SKIP, SLOW_MS, TAG, PCI_NS, REPEAT, ITEMS'
	@echo '                 make bench: rounds (10), TCP cells RTT:COUNT[:SLOW_NSID],'
	@echo '                 cells the sequential kernel skips, the slow NSID'"'"'s delay,'
	@echo '                 a name for the result files, PCI namespaces (256),'
	@echo '                 connects per TCP cell and boot (1), ITEMS=1 traces'
	@echo '                 the scan'"'"'s work items; SMP=n: its guest CPUs (2)'
	@echo '  BLKTESTS=dir, KERNELS, TESTS, NVMET_TRTYPES, GUEST_TIMEOUT'
	@echo '                 make blktests: a blktests tree instead of the pinned'
	@echo '                 tarball, the kernels (base patched), ./check'"'"'s tests'
	@echo '                 (nvme/058 scsi nvme), the transports (loop tcp), the seconds'
	@echo '                 one kernel'"'"'s guest may take (21600)'

deps:
	@scripts/deps.sh

demo: deps
	@scripts/demo.sh

check: deps
	@scripts/check.sh

tree: deps
	@scripts/tree.sh >/dev/null

export:
	@scripts/export.sh

release:
	@scripts/release.sh

kernels: deps
	@scripts/kernel.sh base >/dev/null
	@scripts/kernel.sh patched >/dev/null

kunit: deps
	@scripts/kunit.sh uml
	@scripts/kunit.sh x86_64

mutants: deps
	@scripts/mutants.sh

broken: deps
	@scripts/broken.sh

bench: deps
	@scripts/bench.sh
	@scripts/bench-pci.sh

blktests: deps
	@scripts/blktests.sh

soak: deps
	@scripts/soak.sh

clean:
	rm -rf build
