#!/usr/bin/env bash
# test_resume.sh - nothing completed is ever lost.  A run is killed with
# SIGKILL at three points (during set-up, mid-trial, and after its last trial
# while it writes its final files); then `xdplab cleanup` must leave the
# machine as it found it (no namespace of the run, no DPDK process of it,
# nr_hugepages and bpf_stats_enabled as before), the killed directory must
# keep its completed trials (marked INCOMPLETE, status "killed"), and
# `xdplab run --resume` must complete it: exactly the config's trials in
# results.csv, none twice, the completed ones untouched.  Also the refusals
# of --resume (not a results directory, complete, another build or kernel,
# another config, a run of `ab`, a running directory, extra options).
# The config (tests/configs/resume.ini) uses the DPDK generator (AF_PACKET),
# so every trial also reserves hugepages and starts a DPDK process.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d /tmp/xl-resume-test.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
CFG="$REPO/tests/configs/resume.ini"
BUSY="holds /run/xdplab.lock"

# xrun OUTFILE ARGS...: xdplab ARGS, tried again while another engineer's run holds the
# measurement lock (runs must not overlap); returns xdplab's exit code.
xrun() {
	local out=$1 rc
	shift
	for _ in $(seq 60); do
		"$XDPLAB" "$@" >"$out" 2>&1
		rc=$?
		grep -q "$BUSY" "$out" || return "$rc"
		sleep 5
	done
	return "$rc"
}

# rows FILE: data rows of a CSV file (0 when it is missing).
rows() { if [ -f "$1" ]; then echo $(($(wc -l <"$1") - 1)); else echo 0; fi; }

# start_kill RES WHEN: start a run into RES, kill -9 it at WHEN (setup | trial | final);
# sets PID, and PROCS (the DPDK processes its journal recorded, "pid:start").
start_kill() {
	local res=$1 when=$2 f
	mkdir -p "$res"
	PID="" PROCS=""
	for _ in $(seq 60); do
		"$XDPLAB" run "$CFG" --results "$res" -q >"$res.log" 2>&1 &
		PID=$!
		sleep 0.3
		if kill -0 "$PID" 2>/dev/null || ! grep -q "$BUSY" "$res.log"; then break; fi
		wait "$PID"
		sleep 5
	done
	for _ in $(seq 600); do
		kill -0 "$PID" 2>/dev/null || break
		f=$(find "$res" -maxdepth 2 -path '*partial*' -name results.csv 2>/dev/null | head -1)
		case $when in
		# Namespaces made, results directory open, no trial done yet (the ceiling runs).
		setup) [ -n "$f" ] && [ "$(rows "$f")" -eq 0 ] && [ -e "/run/netns/xl$PID-dut" ] && break ;;
		trial)
			# One trial done and the next one running (its DPDK generator started).
			if [ -n "$f" ] && [ "$(rows "$f")" -ge 1 ] &&
				grep -q "	proc	" "/run/xdplab/undo/$PID.journal" 2>/dev/null; then
				sleep 0.5
				break
			fi
			;;
		final) [ -n "$f" ] && [ "$(rows "$f")" -ge 7 ] && break ;;
		esac
		sleep 0.05
	done
	PROCS=$(awk -F'\t' '$1 == "+" && $3 == "proc" { print $4 ":" $5 }' \
		"/run/xdplab/undo/$PID.journal" 2>/dev/null)
	kill -9 "$PID" 2>/dev/null
	wait "$PID" 2>/dev/null
}

# procs_gone: none of the recorded DPDK processes is still the process started then.
# shellcheck disable=SC2317  # called through check
procs_gone() {
	local p pid start
	for p in $PROCS; do
		pid=${p%%:*} start=${p#*:}
		[ -r "/proc/$pid/stat" ] || continue
		[ "$(awk '{ print $22 }' "/proc/$pid/stat" 2>/dev/null)" = "$start" ] && return 1
	done
	return 0
}

# run_clean PREFIX: nothing of the run with namespace prefix PREFIX (xl<pid>) is left:
# no namespace, no journal with entries, no XDP program in the root namespace.
# (machine_clean would also see the live runs of other engineers.)
# others_huge: another live xdplab process holds a hugepage reservation right now (the
# machine is shared: then nr_hugepages is not ours to compare).
others_huge() {
	local j pid
	for j in /run/xdplab/undo/*.journal; do
		pid=$(basename "$j" .journal)
		[ "$pid" != "$PID" ] && kill -0 "$pid" 2>/dev/null && grep -q "	sub	" "$j" && return 0
	done
	return 1
}

# huge_check NAME BEFORE: nr_hugepages is BEFORE again (unless others hold some).
huge_check() {
	if others_huge || [ -n "$HUGE_BUSY" ]; then
		# Our own reservation was given back: the run's journal has no entry left (run_clean).
		check "$1 (shared: the run's reservation was replayed)" test ! -s "/run/xdplab/undo/$PID.journal"
	else
		check "$1 ($2)" test "$(cat /proc/sys/vm/nr_hugepages)" = "$2"
	fi
}

# shellcheck disable=SC2317  # called through check
run_clean() {
	local n
	for n in /run/netns/"$1"-*; do [ ! -e "$n" ] || return 1; done
	[ ! -s "/run/xdplab/undo/${1#xl}.journal" ] || return 1
	! ip -o link show 2>/dev/null | grep -q " xdp"
}

# prefix DIR: the testbed prefix of the resumed run of DIR.
prefix() {
	/usr/bin/python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["resumed"][-1]["testbed_prefix"])' "$1/context.json"
}

# complete_ok DIR: the run in DIR is complete with exactly the config's trials, once each.
# shellcheck disable=SC2317  # called through check
complete_ok() {
	/usr/bin/python3 - "$1" <<'PY'
import csv, json, os, sys
d = sys.argv[1]
ctx = json.load(open(d + "/context.json"))
assert ctx["status"] == "complete", ctx["status"]
assert not os.path.exists(d + "/INCOMPLETE"), "marker left"
assert len(ctx.get("resumed", [])) == 1, ctx.get("resumed")
rows = list(csv.DictReader(open(d + "/results.csv")))
ids = [(r["experiment"], r["system"], r["mode"], r["target_pps"], r["trial"]) for r in rows]
assert len(ids) == len(set(ids)), "duplicate trials: %s" % ids
rate = "%.0f" % ctx["load"]["drop"]["common_pps"]
want = {("drop", "xdp-drop", m, rate, t) for m in ("native", "generic") for t in "12"}
want |= {("paced", "xdp-drop", "native", "50000", t) for t in "12"}
want |= {("lat", "no-dut", "none", "1000", "1")}
assert set(ids) == want, "trials %s, expected %s" % (sorted(ids), sorted(want))
cal = list(csv.DictReader(open(d + "/calibration.csv")))
cids = [(r["experiment"], r["system"], r["mode"], r["target_pps"]) for r in cal]
assert len(cids) == len(set(cids)), "calibration measured twice: %s" % cids
lat = list(csv.DictReader(open(d + "/latency.csv")))
assert len(lat) == 1, "latency rows: %d" % len(lat)
PY
}

if [ ! -x "$REPO/build/xdplab-dpdkgen" ]; then
	skip "resume" "no DPDK generator built (build/xdplab-dpdkgen): the test config needs it"
	t_finish
fi

STATS_BEFORE=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)

for when in setup trial final; do
	t_case "kill -9 during $when: cleanup restores the machine, --resume completes the run"
	res="$OUT/$when"
	huge=$(cat /proc/sys/vm/nr_hugepages)
	HUGE_BUSY=""
	others_huge && HUGE_BUSY=1
	start_kill "$res" "$when"
	check "$when: the run had started (pid $PID)" test -n "$PID"
	if [ "$when" = final ] && [ -z "$(find "$res" -maxdepth 1 -name '.*partial*')" ]; then
		# The run finished before the kill landed: nothing to resume, and it says so.
		check "$when: the run completed before the kill" test -e "$res/latest/context.json"
		expect_exit "$when: --resume of a complete run refused" 2 \
			"$XDPLAB" run --resume "$res/latest"
		continue
	fi
	partial=$(find "$res" -maxdepth 1 -name ".*partial-$PID")
	before=$(rows "$partial/results.csv")
	head -n $((before + 1)) "$partial/results.csv" >"$res.rows" 2>/dev/null
	check "$when: cleanup exits 0" "$XDPLAB" cleanup
	check "$when: nothing of the run left" run_clean "xl$PID"
	check "$when: its DPDK processes are gone" procs_gone
	huge_check "$when: nr_hugepages restored" "$huge"
	check "$when: bpf_stats_enabled restored" \
		test "$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)" = "$STATS_BEFORE"
	killed=$(find "$res" -maxdepth 1 -name '*-killed' | head -1)
	check "$when: kept as <timestamp>-killed" test -n "$killed"
	check "$when: marked INCOMPLETE" test -e "$killed/INCOMPLETE"
	check "$when: status killed" grep -q '"status":"killed"' "$killed/context.json"
	check "$when: its $before completed trials survived" \
		cmp "$res.rows" "$killed/results.csv"
	[ "$when" != trial ] || check "$when: a trial had completed" test "$before" -ge 1
	xrun "$res.resume" run --resume "$killed" -q
	rc=$?
	check "$when: --resume exits 0" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$res.resume" | head -5
	final=${killed%-killed}
	check "$when: resumed run has its first name" test -d "$final"
	check "$when: exactly the config's trials, none twice" complete_ok "$final"
	check "$when: the completed trials are untouched" \
		cmp "$res.rows" <(head -n $((before + 1)) "$final/results.csv")
	expect_exit "$when: --resume of the complete run refused" 2 "$XDPLAB" run --resume "$final"
	check "$when: nothing of the resumed run left" run_clean "$(prefix "$final")"
	huge_check "$when: nr_hugepages as before, after the resume" "$huge"
done

# A complete run to make refused variants of (any of the above).
src=$(find "$OUT" -mindepth 2 -maxdepth 2 -type d -name '20*' ! -name '*-killed' | head -1)

# fake NAME KEY VALUE: a copy of the complete run, status killed, with context KEY set.
fake() {
	local d="$OUT/fake/$1"
	mkdir -p "$OUT/fake"
	cp -r "$src" "$d"
	/usr/bin/python3 - "$d/context.json" "$2" "$3" <<'PY'
import json, sys
p, k, v = sys.argv[1:]
c = json.load(open(p))
c["status"] = "killed"
if k:
	c[k] = json.loads(v)
json.dump(c, open(p, "w"))
PY
	echo "$d"
}

t_case "--resume refuses what it cannot finish, with one line and its exit code"
if [ -z "$src" ]; then
	t_skip "no complete run to derive the cases from (the runs above failed)"
else
	mkdir -p "$OUT/empty"
	expect_exit "not a results directory: exit 2" 2 "$XDPLAB" run --resume "$OUT/empty"
	expect_exit "missing directory: exit 2" 2 "$XDPLAB" run --resume "$OUT/nonexistent"
	expect_exit "another commit: exit 7" 7 "$XDPLAB" run --resume "$(fake commit git_commit '"0123456789ab"')"
	expect_exit "another kernel: exit 7" 7 "$XDPLAB" run --resume "$(fake kernel kernel '"1.0.0"')"
	expect_exit "a run of ab: exit 2" 2 "$XDPLAB" run --resume "$(fake ab command '["ab", "--base", "x.o"]')"
	d=$(fake cfg "" "")
	expect_exit "another CONFIG: exit 3" 3 "$XDPLAB" run "$REPO/tests/configs/e2e.ini" --resume "$d"
	expect_exit "options besides --resume: exit 2" 2 "$XDPLAB" run --resume "$d" --trials 3
	mkdir -p "$OUT/fake/.20990101-000000.partial-999999"
	expect_exit "a directory being written: exit 2" 2 \
		"$XDPLAB" run --resume "$OUT/fake/.20990101-000000.partial-999999"
	check "refusals leave the directory as it was" grep -q '"status": *"killed"' "$d/context.json"
fi

t_case "--resume of a killed run whose trials are all there measures nothing"
if [ -z "$src" ]; then
	t_skip "no complete run to derive the case from"
else
	d=$(fake all "" "")
	cp "$d/results.csv" "$OUT/all.rows"
	xrun "$OUT/all.out" run --resume "$d" -q
	check "all recorded: --resume exits 0" test $? -eq 0
	check "all recorded: results.csv unchanged" cmp "$OUT/all.rows" "$d/results.csv"
	check "all recorded: complete now" grep -q '"status":"complete"' "$d/context.json"
	check "all recorded: nothing of the resumed run left" run_clean "$(prefix "$d")"
fi
t_finish
