# Ordered asynchronous NVMe namespace scanning: the kernel series in
# patches/ and the harness that builds, boots and tests it.
#
# The two commands: make demo, make check.  make help lists the rest.

SHELL := /bin/bash
SERIES ?= patches
export SERIES T BOOTS NS SMP JOBS DISRUPT DISRUPT_LOOPS HUNG_TIMEOUT

.PHONY: help demo check tree export release kernels kunit mutants broken bench soak deps clean

help:
	@echo 'make demo            boot base and patched kernels with 64 NVMe namespaces,'
	@echo '                     show the guest'"'"'s nvme list and misplaced names'
	@echo 'make check           run every test (T=glob selects some)'
	@echo 'make tree            prepare build/linux: Debian base + the series'
	@echo 'make export          write build/linux'"'"'s commits back to $$(SERIES)'
	@echo 'make kernels         build the base and patched kernels'
	@echo 'make kunit           run the compl_chain KUnit suite (UML and x86_64)'
	@echo 'make mutants         show the KUnit suite fails on broken helpers'
	@echo 'make bench           scan time, base vs patched vs sequential, over NVMe/TCP'
	@echo '                     and on PCI at boot (bench/results)'
	@echo 'make broken          show the tests fail on broken series (tests/broken)'
	@echo 'make soak            debug-kernel and disruption runs at full counts (hours)'
	@echo 'make release         record the exported series as the version it names'
	@echo 'make clean           remove build/ (the download and ccache stay cached)'
	@echo
	@echo 'Variables: SERIES=dir (default patches), T=glob, BOOTS=n (every test),'
	@echo '           NS=n and SMP=n (demo), JOBS=n (build parallelism),'
	@echo '           DISRUPT=action[,action] (soak: some of debug-nvmet-disrupt'"'"'s'
	@echo '           disconnect, reset, remove), DISRUPT_LOOPS=A-B (soak: only'
	@echo '           loops A to B of them)'

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

soak: deps
	@scripts/soak.sh

clean:
	rm -rf build
