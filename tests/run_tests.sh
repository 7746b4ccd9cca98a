#!/usr/bin/env bash
# run_tests.sh - run every test (build/tests/test_* binaries, then tests/test_*.sh),
# count their test cases - one PASS/FAIL/SKIP line each, unindented; the indented
# "  not ok" lines under a FAIL are its failed checks - and print the closing
# "N passed, N failed, N skipped" line.  A test program that exits non-zero
# without printing a FAIL line counts as one failed case.
# Usage: tests/run_tests.sh [PATTERN]   (only tests whose name contains PATTERN)
set -u
cd "$(dirname "$0")/.." || exit 1
pattern=${1:-}
passed=0 failed=0 skipped=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

for t in build/tests/test_* tests/test_*.sh; do
	[ -e "$t" ] || continue
	case $t in *"$pattern"*) ;; *) continue ;; esac
	echo "== $t"
	start=$(date +%s)
	"./$t" 2>&1 | tee "$log"
	rc=${PIPESTATUS[0]}
	p=$(grep -c '^PASS ' "$log")
	f=$(grep -c '^FAIL ' "$log")
	s=$(grep -c '^SKIP ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL $t: exited $rc"
		f=1
	fi
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	echo "-- $t: $p passed, $f failed, $s skipped test cases ($(($(date +%s) - start))s)"
done
echo
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
