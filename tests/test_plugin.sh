#!/usr/bin/env bash
# test_plugin.sh - DPDK is a plug-in: a copy of the tree without harness/dpdk/
# builds and runs, and then knows no DPDK system or backend; nothing outside the
# plug-in includes its headers or tests for it with the preprocessor.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cd "$REPO" || exit 1

t_case "plug-in: nothing above harness/dpdk knows DPDK"
check "no XL_HAVE_DPDK anywhere" sh -c '! git grep -q XL_HAVE_DPDK -- "*.c" "*.h" Makefile'
check "no dpdk/ header included outside the plug-in and its tests" \
	sh -c '! git grep -l "#include \"dpdk/" -- "*.c" "*.h" | grep -v "^harness/dpdk/\|^tests/dpdk/"'

t_case "plug-in: the tree without harness/dpdk builds and runs"
git ls-files -z --cached --others --exclude-standard | grep -zv '^harness/dpdk/' | xargs -0 cp --parents -t "$TMP" 2>/dev/null
check "harness/dpdk absent in the copy" test ! -e "$TMP/harness/dpdk"
check "builds without the plug-in" make -s -C "$TMP" -j2 binaries
"$TMP/build/xdplab" run --help >"$TMP/help" 2>&1
check "its xdplab still lists the XDP and stack systems" grep -q linux-raw "$TMP/help"
check "its xdplab lists no DPDK system" sh -c "! grep -q dpdk- '$TMP/help'"
printf '[experiment e]\nsystems = dpdk-rxonly\n' >"$TMP/c.ini"
expect_exit "a DPDK system is a config error there" 3 "$TMP/build/xdplab" run "$TMP/c.ini" -r "$TMP/res"
printf '[run]\nbackend = dpdk\n[experiment e]\nsystems = xdp-drop\n' >"$TMP/b.ini"
expect_exit "the dpdk backend is unknown there" 3 "$TMP/build/xdplab" run "$TMP/b.ini" -r "$TMP/res"
t_finish
