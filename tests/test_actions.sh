#!/usr/bin/env bash
# test_actions.sh - `xdplab load --obj` on a user's object without an xl_stats
# map (tests/fixtures/user_xdp.c, compiled here with and without BTF) shows
# per-action rates from the best source there is: the fexit recorder where the
# kernel allows BPF tracing programs, else the driver's counters (native mode
# on veth), else it says there are none (generic mode without BTF).  Traffic
# is `xdplab gen` with an exact frame count, so the final counts are exact.
# After each run nothing is left: no XDP program on the link, no recorder.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

NS="xltact$$"
TMP=$(mktemp -d)
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	ip netns del "$NS" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

if ! command -v clang >/dev/null; then
	skip "load --obj per-action counts" "clang not installed"
	t_finish
fi
# asm/types.h is in the multiarch include directory (Debian).
inc=$(find /usr/include -maxdepth 2 -path '*-linux-gnu/asm' -type d | head -1)
src="$REPO/tests/fixtures/user_xdp.c"
if ! clang -O2 -g -target bpf -I"${inc%/asm}" -c "$src" -o "$TMP/user.o" ||
	! clang -O2 -target bpf -I"${inc%/asm}" -c "$src" -o "$TMP/user_nobtf.o"; then
	fail "compile tests/fixtures/user_xdp.c" "clang failed"
	t_finish
fi

ip netns add "$NS"
# No IPv6: no neighbour discovery among the frames counted.
ip netns exec "$NS" sysctl -qw net.ipv6.conf.default.disable_ipv6=1 net.ipv6.conf.all.disable_ipv6=1
ip -n "$NS" link add v0 type veth peer name v1
ip -n "$NS" link set v0 up
ip -n "$NS" link set v1 up
# XDP_TX frames from v0 are taken by v1 only with GRO (or XDP) on v1.
ip netns exec "$NS" ethtool -K v1 gro on >/dev/null
MAC0=$(ip netns exec "$NS" cat /sys/class/net/v0/address)

# No recorder and no XDP program left over.
nothing_left() {
	if ip -n "$NS" -d link show v0 | grep -q "prog/xdp"; then
		fail "$1: detached" "XDP program still on v0"
	else
		pass "$1: detached"
	fi
	if bpftool prog show name xl_act_fexit 2>/dev/null | grep -q .; then
		fail "$1: no recorder left" "$(bpftool prog show name xl_act_fexit | head -1)"
	else
		pass "$1: no recorder left"
	fi
}

# load_with NAME OBJ PROG MODE FRAMES FLOWS: run `xdplab load` for a few seconds,
# send FRAMES frames over FLOWS flows once it counts, leave its output in $TMP/NAME.*
load_with() {
	local name=$1 obj=$2 prog=$3 mode=$4 frames=$5 flows=$6 pid
	"$XDPLAB" load --ns "$NS" --dev v0 --obj "$obj" --prog "$prog" --mode "$mode" \
		--duration 4 --interval 0.5 --json "$TMP/$name.json" \
		>"$TMP/$name.out" 2>"$TMP/$name.err" &
	pid=$!
	# Send only once it counts (the fexit recorder times itself first).
	for _ in $(seq 50); do
		grep -qs "counters\|counting actions" "$TMP/$name.err" && break
		sleep 0.1
	done
	"$XDPLAB" gen --ns "$NS" --dev v1 --dst-mac "$MAC0" --count "$frames" --flows "$flows" \
		--rate 10000 --duration 3 >/dev/null 2>&1
	wait "$pid"
	check "$name: exit 0" test $? -eq 0
}

# json_count NAME ACTION: the last sample's packet count for ACTION.
json_count() {
	/usr/bin/python3 -c "import json; print(json.load(open('$TMP/$1.json'))['samples'][-1].get('$2_packets', -1))"
}
json_ctx() {
	/usr/bin/python3 -c "import json; print(json.load(open('$TMP/$1.json'))['context'].get('$2', ''))"
}

t_case "load --obj native: per-action rates of a program without xl_stats"
if generator_or_skip; then
load_with verdicts "$TMP/user.o" xdp_verdicts native 20000 2
src=$(json_ctx verdicts counters)
case $src in
fexit)
	check "verdicts: says it counts with fexit and what it costs" \
		grep -q "counting actions with an fexit program: costs ~[0-9]* ns per packet" "$TMP/verdicts.err"
	check "verdicts: cost recorded in the JSON context" test -n "$(json_ctx verdicts fexit_cost_ns)"
	;;
driver)
	check "verdicts: says why no fexit and that it uses veth's counters" \
		grep -q "no fexit recorder (.*): counting actions with the veth driver's XDP counters" "$TMP/verdicts.err"
	;;
*) fail "verdicts: counter source" "'$src', expected fexit or driver" ;;
esac
check "verdicts: drop rate lines" grep -q "drop [0-9.]* Mpps" "$TMP/verdicts.out"
check "verdicts: tx rate lines" grep -q "tx [0-9.]* Mpps" "$TMP/verdicts.out"
check "verdicts: even flows dropped, exactly" test "$(json_count verdicts drop)" -eq 10000
check "verdicts: odd flows sent back, exactly" test "$(json_count verdicts tx)" -eq 10000
check "verdicts: nothing passed" test "$(json_count verdicts pass)" -eq 0
nothing_left verdicts
fi

t_case "load --obj native, program without BTF: driver counters"
if generator_or_skip; then
load_with nobtf "$TMP/user_nobtf.o" xdp_drop9 native 1500 1
check "nobtf: says the program has no BTF, uses veth's counters" \
	grep -q "no fexit recorder (the program has no BTF\|no fexit recorder (this kernel" "$TMP/nobtf.err"
check "nobtf: counter source is the driver" test "$(json_ctx nobtf counters)" = driver
check "nobtf: all frames dropped, exactly" test "$(json_count nobtf drop)" -eq 1500
nothing_left nobtf
fi

t_case "load --obj generic, program without BTF: says there are no counters"
load_with generic "$TMP/user_nobtf.o" xdp_drop9 generic 500 1
check "generic: one warning line" grep -q "no per-action counters: no fexit recorder (.*), and driver counters need native mode" "$TMP/generic.err"
check "generic: samples say so" grep -q "no per-action counters" "$TMP/generic.out"
check "generic: counter source none" test "$(json_ctx generic counters)" = none
nothing_left generic
t_finish
