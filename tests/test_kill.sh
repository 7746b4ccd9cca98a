#!/usr/bin/env bash
# test_kill.sh - kill -9 of a run in the middle leaves namespaces (nothing can
# run on SIGKILL) but no XDP program outside them; `xdplab cleanup` removes
# them, and so does the next run on its own.  The killed run's results are
# kept as results/<timestamp>-killed with their completed trials, marked
# "killed" in context.json and by the INCOMPLETE marker (test_resume.sh
# resumes such runs).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
CFG="$REPO/tests/configs/e2e.ini"

# start_and_kill: start a run, wait until it measures, kill -9 it; echoes its pid.
start_and_kill() {
	local pid
	"$XDPLAB" run "$CFG" --results "$OUT" -q >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		ip netns exec "xl$pid-dut" ip -d link show dut-in 2>/dev/null | grep -q "prog/xdp" && break
		sleep 0.2
	done
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	echo "$pid"
}

t_case "kill -9 mid-run, then xdplab cleanup: machine clean"
pid=$(start_and_kill)
check "kill -9: the run had created its namespaces" test -e "/run/netns/xl$pid-dut"
check "kill -9: a partial results directory is left" test -n "$(find "$OUT" -maxdepth 1 -name ".*partial-$pid")"
check "kill -9: no XDP program in the root namespace" sh -c '! ip -o link show | grep -q " xdp"'
check "cleanup: exits 0" "$XDPLAB" cleanup
check "cleanup: the killed run's namespaces are gone" test ! -e "/run/netns/xl$pid-dut"
check "cleanup: machine clean" machine_clean

t_case "xdplab cleanup: files of dead processes in /run/xdplab go, a live one's stay"
sh -c 'exit 0' &
dead=$!
wait "$dead"
mkdir -p /run/xdplab
: >"/run/xdplab/xdplab-gen-$dead-0.shm"
: >"/run/xdplab/xdplab-sub-$dead.lock"
: >"/run/xdplab/xdplab-gen-$$-0.shm"
check "cleanup of stale files: exits 0" "$XDPLAB" cleanup
check "cleanup: a dead generator's control file is gone" test ! -e "/run/xdplab/xdplab-gen-$dead-0.shm"
check "cleanup: a dead subprocess lock is gone" test ! -e "/run/xdplab/xdplab-sub-$dead.lock"
check "cleanup: a live process's file stays" test -e "/run/xdplab/xdplab-gen-$$-0.shm"
rm -f "/run/xdplab/xdplab-gen-$$-0.shm"

t_case "kill -9 mid-run, then the next run cleans up by itself"
pid=$(start_and_kill)
"$XDPLAB" run "$CFG" --results "$OUT" -q --only drop --duration 0.5 --warmup 0.2 >/dev/null 2>&1
check "next run after kill -9: exits 0" test $? -eq 0
check "next run after kill -9: stale namespaces swept" test ! -e "/run/netns/xl$pid-dut"
check "next run after kill -9: partial results swept" test -z "$(find "$OUT" -maxdepth 1 -name ".*partial*")"
check "next run after kill -9: machine clean" machine_clean

# wait_rows DIR: until a partial results.csv under DIR has a trial row (30 s at most).
wait_rows() {
	local f
	for _ in $(seq 150); do
		f=$(find "$1" -path '*partial*' -name results.csv 2>/dev/null | head -1)
		[ -n "$f" ] && [ "$(wc -l <"$f")" -ge 2 ] && return 0
		sleep 0.2
	done
	return 1
}

t_case "kill -9 after completed trials: cleanup keeps them as a killed run"
"$XDPLAB" run "$CFG" --results "$OUT/kill" -q >/dev/null 2>&1 &
pid=$!
wait_rows "$OUT/kill"
kill -9 "$pid"
wait "$pid" 2>/dev/null
check "kill -9 with trials: cleanup exits 0" "$XDPLAB" cleanup
check "kill -9 with trials: kept as <timestamp>-killed, status killed, rows intact" \
	/usr/bin/python3 - "$OUT/kill" <<'PY'
import csv, glob, json, sys
dirs = glob.glob(sys.argv[1] + "/*-killed")
assert len(dirs) == 1, dirs
ctx = json.load(open(dirs[0] + "/context.json"))
assert ctx["status"] == "killed", ctx.get("status")
assert "experiments" in ctx and "catalog" in ctx, sorted(ctx)
rows = list(csv.DictReader(open(dirs[0] + "/results.csv")))
assert rows and all(r["experiment"] and r["system"] for r in rows), len(rows)
assert not glob.glob(sys.argv[1] + "/.*partial*"), "partial directory left"
assert glob.glob(dirs[0] + "/INCOMPLETE"), "no INCOMPLETE marker"
PY
check "kill -9 with trials: machine clean" machine_clean

# SIGINT: completed trials are kept, the run is marked interrupted, exit 130.
t_case "SIGINT mid-run: completed trials kept, exit 130"
"$XDPLAB" run "$CFG" --results "$OUT/int" -q >/dev/null 2>&1 &
pid=$!
# Interrupt once a trial has been written (the partial results.csv has a row).
for _ in $(seq 150); do
	f=$(find "$OUT/int" -path '*partial*' -name results.csv 2>/dev/null | head -1)
	[ -n "$f" ] && [ "$(wc -l <"$f")" -ge 2 ] && break
	sleep 0.2
done
sleep 1
kill -INT "$pid"
wait "$pid"
check "SIGINT: exit 130" test $? -eq 130
check "SIGINT: results kept and marked interrupted" /usr/bin/python3 -c "
import json, csv, os
assert json.load(open('$OUT/int/latest/context.json'))['status'] == 'interrupted'
assert os.path.exists('$OUT/int/latest/INCOMPLETE')
assert len(list(csv.DictReader(open('$OUT/int/latest/results.csv')))) >= 1"
check "SIGINT: machine clean" machine_clean
t_finish
