#!/usr/bin/env bash
# test_format.sh - every C file of the project is formatted by the repository's
# .clang-format (kernel style); `make format` fixes what this reports.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$REPO" || exit 1
if ! command -v clang-format >/dev/null 2>&1; then
	fail "clang-format present" "not installed (tools/install-deps.sh installs it)"
	t_finish
fi
while IFS= read -r f; do
	if out=$(clang-format --dry-run -Werror "$f" 2>&1); then
		pass "format $f"
	else
		fail "format $f" "$(echo "$out" | head -1)"
	fi
done < <(git ls-files '*.c' '*.h' 2>/dev/null || find progs loaders harness lib tests labs -name '*.[ch]')
t_finish
