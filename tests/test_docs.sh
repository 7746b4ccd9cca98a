#!/usr/bin/env bash
# test_docs.sh - the documents that restate a definition of the code say what the
# code says: the column tables of docs/results-format.md are the runner's schema
# (`xdplab schema --markdown`), README's exit-code table is the binary's, and
# docs/config.md lists every config key the parser accepts.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

cd "$REPO" || exit 1
t_case "docs: results-format.md column tables are the runner's schema"
sed -n '/<!-- schema:begin/,/<!-- schema:end/p' docs/results-format.md | sed '1d;$d' | grep -v '^$' >"${TMPDIR:-/tmp}/docs-schema.$$"
"$XDPLAB" schema --markdown | grep -v '^$' >"${TMPDIR:-/tmp}/code-schema.$$"
check "tables match xdplab schema --markdown" diff -u "${TMPDIR:-/tmp}/code-schema.$$" "${TMPDIR:-/tmp}/docs-schema.$$"
rm -f "${TMPDIR:-/tmp}/docs-schema.$$" "${TMPDIR:-/tmp}/code-schema.$$"

t_case "docs: README lists every exit code the binary has"
while read -r code name _; do
	check "README has exit code $code ($name)" grep -q "^| $code | $name |" README.md
done < <("$XDPLAB" --help 2>&1 | sed -n '/^Exit codes:/,$p' | sed 1d)
t_case "docs: config.md lists every key the config parser accepts"
# The key tables of harness/core/config.c (RUN_*/EXP_* entries), the keys it
# parses by hand, and the catalog's keys.
keys=$(grep -oE '(RUN|EXP)_(INT|DBL|STR)\("[a-z_-]+"' harness/core/config.c | sed 's/.*("//;s/"//')
keys="$keys systems rates kind load"
for k in $keys; do
	check "config.md has key $k" grep -q "^| \`$k\` |" docs/config.md
done
t_finish
