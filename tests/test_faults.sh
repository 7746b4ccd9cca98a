#!/usr/bin/env bash
# test_faults.sh - faults injected into a running `xdplab run` (harness/core/faults.h),
# from outside wherever a test can: a link set down (and up again, or left down), a
# namespace deleted, the sink's XDP link detached, the DPDK generator process
# killed.  A live-frames generator thread cannot be killed from outside, so that
# one uses the test hook XDPLAB_FAULT=gen-exit@T.  Each case checks the faulty
# trial's invalid_reason, the exit code, that the other trials are kept and not
# blamed, and that the run left nothing behind (its namespaces, its cleanup
# journal, XDP programs, kernel.bpf_stats_enabled).  Faults are timed by
# watching results.csv: once trial 1's row is there, trial 2 is set up, warms up
# and measures; the fault lands inside its 4 s measured interval.
# shellcheck disable=SC2317 # fault actions and checks are called indirectly (inject, check)
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d)
PROBE_NS=xlflt$$
trap 'ip netns del "$PROBE_NS" 2>/dev/null; rm -rf "$OUT"' EXIT
STATS_BEFORE=$(cat /proc/sys/kernel/bpf_stats_enabled)

# The live-frames generator needs BPF_PROG_RUN live frames; some sandboxes refuse it
# (EPERM).  The DPDK generator (af_xdp on veth) serves the faults that do not
# depend on the backend.
livefr_works() {
	ip netns add "$PROBE_NS" || return 1
	ip -n "$PROBE_NS" link add name pa type veth peer name pb &&
		ip -n "$PROBE_NS" link set pa up && ip -n "$PROBE_NS" link set pb up &&
		"$XDPLAB" gen --ns "$PROBE_NS" --dev pa --dst-mac 02:00:00:00:00:01 \
			--duration 0.3 >/dev/null 2>&1
	local rc=$?
	ip netns del "$PROBE_NS"
	return $rc
}
LIVEFR=0
livefr_works && LIVEFR=1
DPDK=0
[ -x "$REPO/build/xdplab-dpdkgen" ] && DPDK=1

# config NAME BACKEND SYSTEMS: a 3-trial run, 4 s measured, no calibration.
config() {
	cat >"$OUT/$1.ini" <<EOF
[run]
trials = 3
warmup_s = 0.5
duration_s = 4
backend = $2

[experiment faults]
systems = $3
load = max
EOF
	echo "$OUT/$1.ini"
}

any_backend() { if [ "$LIVEFR" = 1 ]; then echo livefr; else echo dpdk; fi; }

# inject NAME CONFIG DELAY ACTION [ENV=VALUE]: run CONFIG; DELAY s after trial 1's
# row is written, run ACTION (a function called with the run's pid).  Sets RC, PID, DIR.
inject() {
	local name=$1 cfg=$2 delay=$3 action=$4 f
	shift 4
	# Runs never overlap (xdplab's lock): wait for another engineer's to end.
	for _ in $(seq 600); do flock -n /run/xdplab.lock true && break; sleep 0.5; done
	mkdir -p "$OUT/$name"
	env "$@" "$XDPLAB" run "$cfg" --results "$OUT/$name" -q >"$OUT/$name.out" 2>"$OUT/$name.err" &
	PID=$!
	for _ in $(seq 300); do
		f=$(find "$OUT/$name" -name results.csv 2>/dev/null | head -1)
		[ -n "$f" ] && [ "$(wc -l <"$f")" -ge 2 ] && break
		sleep 0.1
	done
	sleep "$delay"
	"$action" "$PID"
	wait "$PID"
	RC=$?
	DIR=$(find "$OUT/$name" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | head -1)
}

# reasons: the invalid_reason of each row, in trial order, "-" for a trial that is not invalid.
reasons() {
	/usr/bin/python3 - "$DIR/results.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(" ".join(r["invalid_reason"] if r["valid"] == "0" else "-" for r in rows))
PY
}

status() { /usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["status"])' "$DIR/context.json"; }

# left_clean PID: the run's namespaces and journal are gone, no XDP program in the
# root namespace, kernel.bpf_stats_enabled as it was.
left_clean() {
	! ip netns list | grep -q "^xl$1-" &&
		[ ! -s "/run/xdplab/undo/$1.journal" ] &&
		! ip -o link show | grep -q " xdp" &&
		[ "$(cat /proc/sys/kernel/bpf_stats_enabled)" = "$STATS_BEFORE" ]
}

show_err() { sed 's/^/    /' "$OUT/$1.err"; }

flap() { ip -n "xl$1-dut" link set dut-in down; sleep 0.5; ip -n "xl$1-dut" link set dut-in up; }
down() { ip -n "xl$1-gen" link set gen0 down; }
del_ns() { ip netns del "xl$1-sink"; }
kill_gen() { kill -9 "$(pgrep -P "$1" -f xdplab-dpdkgen)"; }
nothing() { :; }
detach_sink() {
	local prog link
	prog=$(ip -n "xl$1-sink" -d link show sink0 | grep -o 'prog/xdp id [0-9]*' | awk '{print $3}')
	link=$(bpftool -j link show | /usr/bin/python3 -c \
		'import json,sys; print([l["id"] for l in json.load(sys.stdin) if l.get("prog_id")==int(sys.argv[1])][0])' "$prog")
	bpftool link detach id "$link"
}

B=$(any_backend)
if [ "$LIVEFR" = 0 ] && [ "$DPDK" = 0 ]; then
	skip "faults" "neither generator runs here (live frames refused, no xdplab-dpdkgen)"
	t_finish
fi

t_case "link flaps in trial 2: link-down, the others not blamed, exit 0"
inject flap "$(config flap "$B" xdp-drop:native)" 2.5 flap
check "flap: exit 0" test "$RC" -eq 0
check "flap: trial 2 link-down, 1 and 3 not" test "$(reasons)" = "- link-down -"
check "flap: nothing left behind" left_clean "$PID"
[ "$RC" -eq 0 ] || show_err flap

t_case "link left down in trial 2: link-down, set up again before trial 3"
inject down "$(config down "$B" xdp-drop:native)" 2.5 down
check "down: exit 0" test "$RC" -eq 0
check "down: trial 2 link-down, 1 and 3 not" test "$(reasons)" = "- link-down -"
check "down: the link was set up again, said once" grep -q "gen0 (generator) is down: setting it up" "$OUT/down.err"
check "down: nothing left behind" left_clean "$PID"

t_case "namespace deleted in trial 2: netns-gone, run stops with exit 12, trial 1 kept"
inject ns "$(config ns "$B" xdp-drop:native)" 2.5 del_ns
check "netns: exit 12" test "$RC" -eq 12
check "netns: trial 1 kept, trial 2 netns-gone, no trial 3" test "$(reasons)" = "- netns-gone"
check "netns: context.json says stopped-by-fault" test "$(status)" = stopped-by-fault
check "netns: one error line naming the namespace" grep -q "namespace xl$PID-sink .*run stopped" "$OUT/ns.err"
check "netns: nothing left behind" left_clean "$PID"

t_case "sink's XDP link detached in trial 2: sink-stall"
inject stall "$(config stall "$B" xdp-redirect:native)" 2.5 detach_sink
check "sink: exit 0" test "$RC" -eq 0
check "sink: trial 2 sink-stall, 1 and 3 not" test "$(reasons)" = "- sink-stall -"
check "sink: nothing left behind" left_clean "$PID"

t_case "DPDK generator process killed in trial 2: gen-died"
if [ "$DPDK" = 1 ]; then
	inject dpdkgen "$(config dpdkgen dpdk xdp-drop:native)" 2.5 kill_gen
	check "dpdk gen: exit 0" test "$RC" -eq 0
	check "dpdk gen: trial 2 gen-died, 1 and 3 not" test "$(reasons)" = "- gen-died -"
	check "dpdk gen: nothing left behind" left_clean "$PID"
else
	t_skip "no xdplab-dpdkgen (DPDK plug-in not built)"
fi

t_case "live-frames generator thread dies in trial 2 (XDPLAB_FAULT): gen-died"
if [ "$LIVEFR" = 1 ]; then
	inject hook "$(config hook livefr xdp-drop:native)" 0 nothing XDPLAB_FAULT=gen-exit@2
	check "hook: exit 0" test "$RC" -eq 0
	check "hook: trial 2 gen-died, 1 and 3 not" test "$(reasons)" = "- gen-died -"
	check "hook: the detail names the injected fault" grep -q "fault injected" "$DIR/results.csv"
	check "hook: nothing left behind" left_clean "$PID"
else
	t_skip "BPF_PROG_RUN live frames refused here (xdplab gen fails)"
fi

t_case "generator dies in two trials in a row: run stops with exit 12, completed trials kept"
if [ "$LIVEFR" = 1 ]; then
	# Trial 2 runs the two systems back to back (B, A): both generators die.
	inject twice "$(config twice livefr "xdp-drop:native, xdp-drop:generic")" 0 nothing \
		XDPLAB_FAULT=gen-exit@2
	check "twice: exit 12" test "$RC" -eq 12
	check "twice: trial 1 of both kept, then two gen-died" test "$(reasons)" = "- - gen-died gen-died"
	check "twice: context.json says stopped-by-fault" test "$(status)" = stopped-by-fault
	check "twice: nothing left behind" left_clean "$PID"
else
	# Here the live-frames generator really dies in every trial (BPF_PROG_RUN refused).
	inject refused "$(config refused livefr xdp-drop:native)" 0 nothing
	check "refused: exit 12" test "$RC" -eq 12
	check "refused: two gen-died trials, then the run stopped" test "$(reasons)" = "gen-died gen-died"
	check "refused: context.json says stopped-by-fault" test "$(status)" = stopped-by-fault
	check "refused: one error line naming the failure" grep -q "died in 2 trials in a row (generator thread 0 stopped: BPF_PROG_RUN failed" "$OUT/refused.err"
	check "refused: nothing left behind" left_clean "$PID"
fi

t_finish
