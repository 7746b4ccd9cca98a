#!/usr/bin/env bash
# test_faults.sh - faults injected into a running `xdplab run` (harness/core/faults.h),
# from outside wherever a test can: a link set down (and up again, or left down, on
# xdplab's veth testbed and on a hand-made existing one), a namespace deleted, the sink's XDP link detached, the DPDK generator process
# killed (once, and in two trials in a row: the run stops with exit 12).  A
# live-frames generator thread cannot be killed from outside, so with livefr
# those use the test hook XDPLAB_FAULT=gen-exit@T.  Each case checks the faulty
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
P=xltf$$ # the hand-made "existing" testbed
cleanup() {
	ip netns del "$PROBE_NS" 2>/dev/null
	for n in gen dut sink; do ip netns del "$P-$n" 2>/dev/null; done
	rm -rf "$OUT"
}
trap cleanup EXIT
STATS_BEFORE=$(cat /proc/sys/kernel/bpf_stats_enabled)

# The live-frames generator needs BPF_PROG_RUN live frames; some sandboxes refuse it
# (EPERM).  The DPDK generator (af_xdp on veth) serves the faults that do not
# depend on the backend.
livefr_works() {
	ip netns add "$PROBE_NS" || return 1
	ip -n "$PROBE_NS" link add name pa type veth peer name pb &&
		ip -n "$PROBE_NS" link set pa up && ip -n "$PROBE_NS" link set pb up &&
		"$XDPLAB" gen --backend livefr --ns "$PROBE_NS" --dev pa --dst-mac 02:00:00:00:00:01 \
			--duration 0.3 >/dev/null 2>&1
	local rc=$?
	ip netns del "$PROBE_NS"
	return $rc
}
LIVEFR=0
livefr_works && LIVEFR=1
DPDK=0
[ -x "$REPO/build/xdplab-dpdkgen" ] && DPDK=1

# config NAME BACKEND SYSTEMS: a 3-trial run, 4 s measured, no calibration (plus $EXTRA).
EXTRA=""
config() {
	cat >"$OUT/$1.ini" <<EOF
$EXTRA
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

# The faults that do not depend on the generator use the DPDK one where it is built: on
# this kind of VM the kernel sometimes refuses live frames (EPERM), and then the run's
# preflight refuses the live-frames generator before any trial.
any_backend() { if [ "$DPDK" = 1 ]; then echo dpdk; else echo livefr; fi; }

# refused NAME: the run was refused by its preflight (live frames refused): skip the case.
refused() {
	[ "$RC" -eq 7 ] && grep -q "refuses BPF_PROG_RUN in live-frames mode" "$OUT/$1.err" &&
		t_skip "the kernel refused live frames at the run's preflight"
}

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
# The instrument's noise on a busy 2-vCPU VM (the generator short of its target, the
# sink's ring overflowing at full rate, host steal) is no fault: it reads as "-".
noise = {"gen-short", "sink-drop", "steal"}
print(" ".join(r["invalid_reason"] if r["valid"] == "0" and r["invalid_reason"] not in noise
               else "-" for r in rows))
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
down_existing() { ip -n "$P-dut" link set d0 down; }
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

# fault_run NAME BACKEND SYSTEMS DELAY ACTION RC REASONS [ENV=VALUE]: inject, then check
# the exit code, each trial's reason, the status of a stopped run, and that nothing is left.
fault_run() {
	local name=$1 backend=$2 systems=$3 delay=$4 action=$5 rc=$6 want=$7
	shift 7
	inject "$name" "$(config "$name" "$backend" "$systems")" "$delay" "$action" "$@"
	! refused "$name" || return 1
	check "$name: exit $rc" test "$RC" -eq "$rc"
	check "$name: reasons per trial are '$want'" test "$(reasons)" = "$want"
	[ "$rc" -ne 12 ] || check "$name: context.json says stopped-by-fault" test "$(status)" = stopped-by-fault
	check "$name: nothing left behind" left_clean "$PID"
	[ "$RC" -eq "$rc" ] || show_err "$name"
}

t_case "link flaps in trial 2: link-down, the others not blamed, exit 0"
fault_run flap "$B" xdp-drop:native 2.5 flap 0 "- link-down -"

t_case "link left down in trial 2: link-down, set up again before trial 3"
fault_run down "$B" xdp-drop:native 2.5 down 0 "- link-down -"
check "down: the link was set up again, said once" grep -q "gen0 (generator) is down: setting it up" "$OUT/down.err"

t_case "namespace deleted in trial 2: netns-gone, run stops with exit 12, trial 1 kept"
fault_run netns "$B" xdp-drop:native 2.5 del_ns 12 "- netns-gone"
check "netns: one error line naming the namespace" grep -q "namespace xl$PID-sink .*run stopped" "$OUT/netns.err"

t_case "sink's XDP link detached in trial 2: sink-stall"
fault_run stall "$B" xdp-redirect:native 2.5 detach_sink 0 "- sink-stall -"

t_case "existing testbed, link left down in trial 2: link-down, 5 s wait, exit 12"
for n in gen dut sink; do ip netns add "$P-$n"; done
ip -n "$P-gen" link add g0 type veth peer name d0 netns "$P-dut"
ip -n "$P-dut" link add d1 type veth peer name s0 netns "$P-sink"
for l in gen:g0 dut:d0 dut:d1 sink:s0; do ip -n "$P-${l%%:*}" link set "${l#*:}" up; done
EXTRA="[testbed]
type = existing
generator = $P-gen:g0
dut-in = $P-dut:d0
dut-out = $P-dut:d1
sink = $P-sink:s0"
fault_run existing "$B" xdp-drop:native 2.5 down_existing 12 "- link-down"
EXTRA=""
check "existing: one error line with the fix" grep -q "d0 (dut-in) stays down.*fix: ip -n $P-dut link set d0 up" "$OUT/existing.err"
check "existing: the user's namespaces are left in place" test -e "/run/netns/$P-dut"
check "existing: and the link as the fault left it (down)" sh -c "! ip -n $P-dut link show d0 | grep -q 'state UP'"

t_case "DPDK generator process killed in trial 2: gen-died"
if [ "$DPDK" = 1 ]; then
	fault_run dpdkgen dpdk xdp-drop:native 2.5 kill_gen 0 "- gen-died -"
else
	t_skip "no xdplab-dpdkgen (DPDK plug-in not built)"
fi

t_case "live-frames generator thread dies in trial 2 (XDPLAB_FAULT): gen-died"
if [ "$LIVEFR" = 1 ]; then
	fault_run hook livefr xdp-drop:native 0 nothing 0 "- gen-died -" XDPLAB_FAULT=gen-exit@2 &&
		check "hook: the detail names the injected fault" grep -q "fault injected" "$DIR/results.csv"
else
	t_skip "BPF_PROG_RUN live frames refused here (xdplab gen fails)"
fi

# kill_gen_twice PID: once trial 1 of both systems is recorded, kill the DPDK
# generator inside the next trial's interval, then the one of the trial after it.
kill_gen_twice() {
	local f old new
	for _ in $(seq 300); do
		f=$(find "$OUT/twice" -name results.csv 2>/dev/null | head -1)
		[ -n "$f" ] && [ "$(wc -l <"$f")" -ge 3 ] && break
		sleep 0.1
	done
	sleep 2.5
	old=$(pgrep -P "$1" -f xdplab-dpdkgen)
	kill -9 "$old"
	for _ in $(seq 200); do
		new=$(pgrep -P "$1" -f xdplab-dpdkgen)
		[ -n "$new" ] && [ "$new" != "$old" ] && break
		sleep 0.05
	done
	sleep 2.5
	kill -9 "$new"
}

t_case "generator dies in two trials in a row: run stops with exit 12, completed trials kept"
# Trial 2 runs the two systems back to back (B, A): both generators die.
if [ "$LIVEFR" = 1 ]; then
	fault_run twice livefr "xdp-drop:native, xdp-drop:generic" 0 nothing 12 \
		"- - gen-died gen-died" XDPLAB_FAULT=gen-exit@2
elif [ "$DPDK" = 1 ]; then
	fault_run twice dpdk "xdp-drop:native, xdp-drop:generic" 0 kill_gen_twice 12 \
		"- - gen-died gen-died"
else
	t_skip "no generator here (live frames refused, no xdplab-dpdkgen)"
fi

t_finish
