#!/bin/bash
# Show that the compl_chain KUnit suite catches a broken helper: apply each
# mutation in tests/mutants/ to lib/compl_chain.c in a scratch tree, run the
# suite (UML, the suite alone, 2 CPUs) and expect it to fail.  Prints KTAP:
# a mutant is "ok" when the suite failed, with the test cases that caught it.

. "$(dirname "$0")/common.sh"

src=$("$TOP/scripts/tree.sh" series)
tree=$BUILD/mutants/linux
git -C "$DEV_TREE" worktree prune
if [ ! -e "$tree/.git" ]; then
	mkdir -p "$(dirname "$tree")"
	git -C "$DEV_TREE" worktree add -q --detach "$tree" "$(git -C "$src" rev-parse HEAD)"
fi
git -C "$tree" checkout -q --detach "$(git -C "$src" rev-parse HEAD)"
git -C "$tree" checkout -q -- .

mutants=("$TOP"/tests/mutants/*.patch)
echo "KTAP version 1"
echo "1..${#mutants[@]}"
i=0 caught=0
for m in "${mutants[@]}"; do
	i=$((i + 1))
	name=$(basename "$m" .patch)
	git -C "$tree" checkout -q -- lib/compl_chain.c
	git -C "$tree" apply "$m" || die "$name does not apply"
	log=$BUILD/mutants/$name.log
	if (cd "$tree" && ./tools/testing/kunit/kunit.py run \
		--kunitconfig=lib/tests/compl_chain.kunitconfig \
		--build_dir=out-kunit-mutants \
		--jobs "$JOBS" --make_options "CC=ccache gcc" \
		--timeout 300) > "$log" 2>&1; then
		echo "not ok $i $name # the suite passed with this mutation"
	else
		by=$(grep -oE '\[FAILED\] [a-z_]+' "$log" | awk '{print $2}' | sort -u | tr '\n' ' ' || true)
		echo "# $name caught by: ${by:-a crash or timeout (see $log)}"
		echo "ok $i $name"
		caught=$((caught + 1))
	fi
done
git -C "$tree" checkout -q -- lib/compl_chain.c
echo "$caught passed, $((i - caught)) failed"
[ "$caught" -eq "$i" ]
