#!/usr/bin/env bash
# lib.sh - shared helpers for xdplab's shell tests (sourced, not run).  Checks
# print "PASS name" / "FAIL name: why" lines that tests/run_tests.sh counts; a
# test script exits non-zero if any check failed.  Each script names its own
# namespaces (through xdplab's per-run prefix or its own "xlt" testbed) and
# removes them in an EXIT trap, also when it fails.
# shellcheck disable=SC2034

XDPLAB=${XDPLAB:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/xdplab}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_FAILED=0

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; T_FAILED=1; }
skip() { echo "SKIP $1: $2"; }

# check NAME CMD...: pass if CMD succeeds.
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name" "command failed: $*"; fi
}

# expect_exit NAME CODE CMD...: pass if CMD exits with CODE and prints one line on stderr.
expect_exit() {
	local name=$1 want=$2 rc err
	shift 2
	err=$("$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want (stderr: $err)"
	elif [ -z "$err" ]; then
		fail "$name" "exit $rc but no error message"
	else
		pass "$name"
	fi
}

# No XDP program attached anywhere we can see, and no xdplab namespace left.
machine_clean() {
	local ns
	if ip -o link show 2>/dev/null | grep -q " xdp"; then return 1; fi
	for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
		# the names xdplab itself creates: xl<pid>-* (runs) and xlt-* (manual testbed)
		case $ns in xl[0-9]*-* | xlt-*) return 1 ;; esac
	done
	return 0
}

# run_config NAME CONFIG RESULTS: `xdplab run` quietly, check it exits 0 (showing its
# errors if not); the summary table goes to RESULTS.stdout.  Returns the exit code.
run_config() {
	local name=$1 cfg=$2 res=$3 rc
	mkdir -p "$res"
	"$XDPLAB" run "$cfg" --results "$res" -q >"$res.stdout" 2>"$res.stderr"
	rc=$?
	check "$name: run exits 0" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$res.stderr"
	return "$rc"
}

t_finish() { exit "$T_FAILED"; }
