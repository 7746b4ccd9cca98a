#!/usr/bin/env bash
# test_shellcheck.sh - every shell script of the project is ShellCheck-clean.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$REPO" || exit 1
for f in run.sh .ci/run tools/*.sh tests/*.sh; do
	[ -f "$f" ] || continue
	if out=$(shellcheck -x "$f" 2>&1); then pass "shellcheck $f"; else fail "shellcheck $f" "$(echo "$out" | head -3 | tr '\n' ' ')"; fi
done
t_finish
