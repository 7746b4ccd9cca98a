#!/usr/bin/env bash
# test_loader.sh - `xdplab load` on a veth pair in a namespace of its own:
# attach and detach in native and generic mode (checked with `ip link`),
# detach on SIGINT, SIGTERM and kill -9, offload's documented error, and the
# documented errors for a missing interface, an unknown program, mode or
# object, and a device that refuses native XDP (MTU too large).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

NS="xltl$$"
TMP=$(mktemp -d)
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$NS"
ip -n "$NS" link add v0 type veth peer name v1
ip -n "$NS" link set v0 up
ip -n "$NS" link set v1 up

xdp_on() { ip -n "$NS" -d link show "$1" | grep -q "$2"; }

# attach_check MODE FLAG: attach for a while, look for the program, wait for detach.
attach_check() {
	local mode=$1 flag=$2 pid
	t_case "load $mode: attach, samples, detach"
	"$XDPLAB" load --ns "$NS" --dev v0 --prog drop --mode "$mode" --duration 2 -q \
		--json "$TMP/$mode.json" --csv "$TMP/$mode.csv" 2>/dev/null &
	pid=$!
	sleep 1
	if xdp_on v0 "$flag"; then pass "load $mode: program attached ($flag)"; else fail "load $mode: program attached" "no $flag on v0"; fi
	wait "$pid"
	check "load $mode: exit 0 after --duration" test $? -eq 0
	if xdp_on v0 "prog/xdp"; then fail "load $mode: detached after exit" "still attached"; else pass "load $mode: detached after exit"; fi
	check "load $mode: JSON samples written" /usr/bin/python3 -c "
import json,sys; d=json.load(open('$TMP/$mode.json'))
assert d['context']['mode']=='$mode' and d['context']['kernel'] and len(d['samples'])>=1"
	check "load $mode: CSV samples written" grep -q '^t_s,interval_s,action,packets,bytes,pps' "$TMP/$mode.csv"
}
attach_check native "xdp "
attach_check generic "xdpgeneric"

# stop_with SIGNAL: the loader detaches on the normal path and exits 0.
stop_with() {
	local sig=$1 pid rc
	t_case "load: detached after SIG$sig"
	"$XDPLAB" load --ns "$NS" --dev v0 --prog pass -q 2>/dev/null &
	pid=$!
	sleep 1
	xdp_on v0 "prog/xdp" || fail "load: attached before $sig" "not attached"
	kill -s "$sig" "$pid"
	wait "$pid" 2>/dev/null
	rc=$?
	if [ "$sig" = KILL ]; then
		# No exit path runs on SIGKILL: the bpf_link dies with the process.
		sleep 0.5
	else
		check "load: exit 0 on SIG$sig" test "$rc" -eq 0
	fi
	if xdp_on v0 "prog/xdp"; then fail "load: detached after SIG$sig" "still attached"; else pass "load: detached after SIG$sig"; fi
}
stop_with INT
stop_with TERM
stop_with KILL

t_case "load offload on veth: documented one-line error"
expect_exit "load offload on veth: exit 5" 5 "$XDPLAB" load --ns "$NS" --dev v0 --prog drop --mode offload --duration 1
err=$("$XDPLAB" load --ns "$NS" --dev v0 --prog drop --mode offload --duration 1 2>&1 >/dev/null)
case $err in *veth*nfp*) pass "load offload: error names the driver and offload drivers" ;;
*) fail "load offload: error names the driver and offload drivers" "$err" ;; esac
check "load offload: error is one line" test "$(printf '%s\n' "$err" | wc -l)" -eq 1
t_case_end

expect_exit "load: missing interface gives exit 4" 4 "$XDPLAB" load --ns "$NS" --dev nosuch0 --prog drop
expect_exit "load: missing namespace gives exit 4" 4 "$XDPLAB" load --ns nosuch-ns --dev v0 --prog drop
expect_exit "load: unknown program gives exit 2" 2 "$XDPLAB" load --ns "$NS" --dev v0 --prog nosuch
expect_exit "load: unknown mode gives exit 2" 2 "$XDPLAB" load --ns "$NS" --dev v0 --prog drop --mode turbo
expect_exit "load: program not in object gives exit 2" 2 "$XDPLAB" load --ns "$NS" --dev v0 --obj "$REPO/build/xdp_bench.bpf.o" --prog nosuch
expect_exit "load: missing object file gives exit 2" 2 "$XDPLAB" load --ns "$NS" --dev v0 --obj "$TMP/none.o" --prog x
expect_exit "load: redirect without egress gives exit 2" 2 "$XDPLAB" load --ns "$NS" --dev v0 --prog redirect

# Any object file and program name: the built object, program by its BPF name.
check "load --obj: any object and program name" "$XDPLAB" load --ns "$NS" --dev v0 --obj "$REPO/build/xdp_bench.bpf.o" --prog xdp_pass --mode generic --duration 0.5 -q

# Native XDP on veth refuses a large MTU with a clear error.
t_case "load native with MTU 9000: refused with the reason"
ip -n "$NS" link set v0 mtu 9000
ip -n "$NS" link set v1 mtu 9000
expect_exit "load native with MTU 9000: exit 5" 5 "$XDPLAB" load --ns "$NS" --dev v0 --prog drop --mode native --duration 1
err=$("$XDPLAB" load --ns "$NS" --dev v0 --prog drop --mode native --duration 1 2>&1 >/dev/null)
case $err in *MTU*generic*) pass "load native MTU: error names MTU and the alternative" ;;
*) fail "load native MTU: error names MTU and the alternative" "$err" ;; esac

t_case "load: unwritable --json path"
expect_exit "load: unwritable --json path gives exit 1" 1 "$XDPLAB" load --ns "$NS" --dev v0 --prog drop --mode generic --duration 0.2 -q --json /nonexistent/dir/x.json
check "load: no half-written file after a failed write" test ! -e /nonexistent/dir/x.json
t_case_end

if ip -n "$NS" -d link show | grep -q "prog/xdp"; then fail "load: nothing left attached" "program attached"; else pass "load: nothing left attached"; fi
t_finish
