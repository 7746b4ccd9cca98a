#!/usr/bin/env bash
# lib.sh - shared helpers for xdplab's shell tests (sourced, not run).  A test
# case is opened by `t_case NAME` and closed by the next t_case or by t_finish;
# it prints one "PASS NAME (N checks)", "FAIL NAME" or "SKIP NAME: why" line,
# which tests/run_tests.sh counts.  Inside a case, `check` and `expect_exit`
# are its assertions: a failed one prints an indented "  not ok: ..." line
# (with the output of the failed command) and fails the case.  Used outside a
# case, an assertion is a case of its own.  Each script names its own
# namespaces (through xdplab's per-run prefix or its own "xlt" testbed) and
# removes them in an EXIT trap, also when it fails.
# shellcheck disable=SC2034

XDPLAB=${XDPLAB:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/build/xdplab}
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
T_FAILED=0
T_CASE="" T_CASE_FAILED=0 T_CASE_CHECKS=0 T_CASE_SKIP=""

# t_case_end: report the open case, if any.
t_case_end() {
	[ -n "$T_CASE" ] || return 0
	if [ "$T_CASE_FAILED" -ne 0 ]; then
		echo "FAIL $T_CASE"
		T_FAILED=1
	elif [ -n "$T_CASE_SKIP" ]; then
		echo "SKIP $T_CASE: $T_CASE_SKIP"
	elif [ "$T_CASE_CHECKS" -eq 0 ]; then
		echo "FAIL $T_CASE: checked nothing"
		T_FAILED=1
	else
		echo "PASS $T_CASE ($T_CASE_CHECKS checks)"
	fi
	T_CASE=""
}

# t_case NAME: start a test case.
t_case() {
	t_case_end
	T_CASE=$1 T_CASE_FAILED=0 T_CASE_CHECKS=0 T_CASE_SKIP=""
}

# t_skip WHY: the open case is reported skipped (unless a check failed).
t_skip() { T_CASE_SKIP=$1; }

# pass NAME / fail NAME WHY: one assertion's outcome.
pass() {
	if [ -n "$T_CASE" ]; then
		T_CASE_CHECKS=$((T_CASE_CHECKS + 1))
	else
		echo "PASS $1"
	fi
}
fail() {
	if [ -n "$T_CASE" ]; then
		T_CASE_CHECKS=$((T_CASE_CHECKS + 1))
		T_CASE_FAILED=1
		echo "  not ok: $1: $2"
	else
		echo "FAIL $1: $2"
		T_FAILED=1
	fi
}
# skip NAME WHY: a case of its own that cannot run here.
skip() { echo "SKIP $1: $2"; }

# check NAME CMD...: pass if CMD succeeds; on failure its output is shown indented.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name" "command failed: $*"
		[ -z "$out" ] || printf '%s\n' "$out" | sed 's/^/      /' | head -40
	fi
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

# No XDP program attached anywhere we can see, no xdplab namespace left, and no
# cleanup-registry journal of a dead process with entries still to undo.
machine_clean() {
	local ns j pid
	if ip -o link show 2>/dev/null | grep -q " xdp"; then return 1; fi
	for j in /run/xdplab/undo/*.journal; do
		[ -s "$j" ] || continue
		pid=$(basename "$j" .journal)
		kill -0 "$pid" 2>/dev/null || return 1
	done
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

t_finish() {
	t_case_end
	exit "$T_FAILED"
}

# generator_or_skip: skip the open case when no generator runs here (`xdplab gen`'s
# auto: livefr, else the DPDK generator).
generator_or_skip() {
	local why
	if ! why=$("$XDPLAB" gen --probe 2>&1 >/dev/null); then
		t_skip "needs a generator: ${why#xdplab: }"
		return 1
	fi
	return 0
}

