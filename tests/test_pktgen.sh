#!/usr/bin/env bash
# test_pktgen.sh - the pktgen-dpdk generator backend.  Always: its config and
# command-line errors (no pktgen path, a path that is not there, no namespace,
# what pktgen cannot send) exit with their documented codes in one line and
# leave no results directory, DPDK runtime directory or log behind.  With a
# pktgen-dpdk binary ($PKTGEN, else `pktgen` in PATH; xdplab does not ship
# one, docs/dpdk.md says how to build it): a counted run puts exactly its
# frames on the wire, a runner trial of 4 flows (pktgen's range mode) through
# xdp-redirect is valid and the sink counts every frame the DUT forwarded (so
# the frames carry xdplab's magic), and a SIGKILLed
# xdplab takes its pktgen with it.  Without one, those cases print SKIP.
# Own namespaces: xlpg<pid>-a/-b, removed on exit.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

NSA=xlpg$$-a
NSB=xlpg$$-b
TMP=$(mktemp -d)

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup EXIT

# No pktgen in our namespace, and no runtime directory or log of a dead xdplab's pktgen.
# shellcheck disable=SC2317  # called through check
pktgen_clean() {
	local d pid
	for d in /var/run/dpdk/xdplab-pktgen-* /run/xdplab/xdplab-pktgen-*; do
		[ -e "$d" ] || continue
		pid=${d##*/xdplab-pktgen-}
		kill -0 "${pid%%-*}" 2>/dev/null || return 1
	done
	! ip netns pids "$NSA" 2>/dev/null | grep -q .
}

# config NAME PKTGEN_LINE [SYSTEM RATE]: a one-experiment run config in $TMP/NAME.ini.
config() {
	local f=$TMP/$1.ini
	{
		printf '[run]\ntrials = 1\nwarmup_s = 0.5\nduration_s = 2\nflows = 4\nbackend = pktgen\n'
		[ -z "$2" ] || printf '%s\n' "$2"
		printf '[testbed]\ntype = veth\ngen_cpus = 0\ndut_cpus = %s\n' "$(($(nproc) > 1 ? 1 : 0))"
		printf '[experiment pg]\nsystems = %s\nrates = %s\n' "${3:-xdp-drop:native}" "${4:-20000}"
	} >"$f"
	echo "$f"
}

# No results directory was made.
# shellcheck disable=SC2317  # called through check
no_results() { [ ! -e "$1" ] || [ -z "$(ls -A "$1")" ]; }

if [ "$(id -u)" -ne 0 ]; then skip pktgen "needs root"; t_finish; fi
if ! "$XDPLAB" gen --help 2>&1 | grep -q pktgen; then
	skip pktgen "built without the DPDK plug-in (libdpdk)"
	t_finish
fi

ip netns add "$NSA"
ip netns add "$NSB"
ip link add pg0 netns "$NSA" type veth peer name pg1 netns "$NSB"
ip -n "$NSA" link set lo up
ip -n "$NSA" link set pg0 up
ip -n "$NSB" link set pg1 up
PEER_MAC=$(ip netns exec "$NSB" cat /sys/class/net/pg1/address)

# shellcheck disable=SC2317  # called through check and expect_exit
gen() { "$XDPLAB" gen --backend pktgen --ns "$NSA" --dev pg0 --dst-mac "$PEER_MAC" "$@"; }

t_case config_errors
cfg=$(config no_path "")
expect_exit "no pktgen = line: exit 3" 3 "$XDPLAB" run "$cfg" -r "$TMP/res1" -q
check "no pktgen = line: no results" no_results "$TMP/res1"
cfg=$(config bad_path "pktgen = $TMP/nosuch/pktgen")
expect_exit "absent pktgen: exit 3" 3 "$XDPLAB" run "$cfg" -r "$TMP/res2" -q
check "absent pktgen: no results" no_results "$TMP/res2"
err=$("$XDPLAB" run "$cfg" -r "$TMP/res2" -q 2>&1 >/dev/null)
if [ "$(printf '%s\n' "$err" | wc -l)" -eq 1 ] && [[ $err == *"$TMP/nosuch/pktgen"* ]]; then
	pass "absent pktgen: one line naming the path"
else
	fail "absent pktgen: one line naming the path" "$err"
fi
cfg=$(config rel_path "pktgen = bin/pktgen")
expect_exit "relative pktgen path: exit 3" 3 "$XDPLAB" run "$cfg" -r "$TMP/res3" -q
check "config errors leave nothing" pktgen_clean

t_case gen_errors
expect_exit "gen without pktgen=: exit 7" 7 gen --count 10
expect_exit "gen with absent pktgen: exit 7" 7 gen --count 10 --opts "pktgen=$TMP/nosuch"
# /bin/true stands in for pktgen: these are refused before anything starts.
expect_exit "gen outside a namespace: exit 2" 2 "$XDPLAB" gen --backend pktgen \
	--opts pktgen=/bin/true --dev pg0 --dst-mac "$PEER_MAC" --count 10
expect_exit "gen with time stamps: exit 2" 2 gen --opts pktgen=/bin/true --timestamp --count 10
expect_exit "gen with an unknown DPDK option: exit 8" 8 gen --opts pktgen=/bin/true,colour=blue
check "gen errors leave nothing" pktgen_clean

t_case_end
PKTGEN_BIN=${PKTGEN:-$(command -v pktgen 2>/dev/null)}
if [ -z "$PKTGEN_BIN" ] || [ ! -x "$PKTGEN_BIN" ]; then
	why="no pktgen-dpdk binary (set PKTGEN=/path/to/pktgen or put pktgen in PATH; docs/dpdk.md)"
	skip pktgen_counted "$why"
	skip pktgen_runner "$why"
	skip pktgen_sigkill "$why"
	t_finish
fi

t_case pktgen_counted
rx0=$(ip netns exec "$NSB" cat /sys/class/net/pg1/statistics/rx_packets)
check "30000 frames at 30000 pps" gen --opts "pktgen=$PKTGEN_BIN,log=$TMP/pg.log" \
	--rate 30000 --count 30000 --duration 10
rx1=$(ip netns exec "$NSB" cat /sys/class/net/pg1/statistics/rx_packets)
# IPv6 neighbour discovery may add a few frames of its own.
if [ $((rx1 - rx0)) -ge 30000 ] && [ $((rx1 - rx0)) -lt 30020 ]; then
	pass "the peer received the 30000 frames"
else
	fail "the peer received the 30000 frames" "it received $((rx1 - rx0))"
fi
# (pktgen's own screen has a "PCI" column: look for EAL's probe lines only)
if grep -q -E "EAL: Probe PCI|PCI device [0-9a-f]" "$TMP/pg.log" 2>/dev/null; then
	fail "EAL probed no PCI device" "$(grep -m1 -E "EAL: Probe PCI|PCI device" "$TMP/pg.log")"
else
	pass "EAL probed no PCI device"
fi
check "a counted run leaves nothing" pktgen_clean

t_case pktgen_runner
cfg=$(config runner "pktgen = $PKTGEN_BIN" xdp-redirect:native 20000)
# Measurements never overlap: wait for another run's lock for up to 5 minutes.
for _ in $(seq 60); do
	"$XDPLAB" run "$cfg" -r "$TMP/res" -q >"$TMP/run.out" 2>&1
	rc=$?
	grep -q "another xdplab run holds" "$TMP/run.out" || break
	sleep 5
done
if grep -q "another xdplab run holds" "$TMP/run.out"; then
	t_skip "another xdplab run held the measurement lock for 5 minutes"
else
	check "run exits 0" test "$rc" -eq 0
	[ "$rc" -eq 0 ] || sed 's/^/    /' "$TMP/run.out" | tail -5
	csv=$TMP/res/latest/results.csv
	row=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["experiment"] == "pg" { print $col["valid"], $col["offered_pkts"], $col["dut_pkts"],
			$col["sink_pkts"], $col["invalid_reason"] }' "$csv" 2>/dev/null)
	read -r valid offered dut sink reason <<<"$row"
	if [ "${valid:-0}" = 1 ]; then pass "the trial is valid"; else fail "the trial is valid" "invalid: ${reason:-no row}"; fi
	check "the generator sent frames" test "${offered:-0}" -gt 0
	# The sink counts only frames with xdplab's magic at offset 42: all the DUT forwarded.
	check "every forwarded frame counted at the sink as an xdplab frame" test "${sink:--1}" = "${dut:-0}"
	check "context.json records pktgen's version" grep -qE '"generator_details": ?"Pktgen [0-9]+\.' \
		"$TMP/res/latest/context.json"
fi
check "a run leaves nothing" pktgen_clean

t_case pktgen_sigkill
"$XDPLAB" gen --backend pktgen --ns "$NSA" --dev pg0 --dst-mac "$PEER_MAC" \
	--opts "pktgen=$PKTGEN_BIN" --rate 10000 --duration 60 >/dev/null 2>&1 &
xl=$!
for _ in $(seq 100); do
	ip netns pids "$NSA" 2>/dev/null | grep -q . && break
	sleep 0.1
done
pg=$(ip netns pids "$NSA" | head -1)
check "pktgen started" test -n "$pg"
sleep 1
kill -KILL "$xl"
{ wait "$xl"; } 2>/dev/null
gone=no
for _ in $(seq 50); do
	if ! ip netns pids "$NSA" | grep -q .; then
		gone=yes
		break
	fi
	sleep 0.1
done
check "pktgen ended with xdplab" test "$gone" = yes
# The cleanup registry of the dead xdplab holds its runtime directory and log.
check "xdplab cleanup exits 0" "$XDPLAB" cleanup
check "cleanup leaves nothing of it" pktgen_clean

t_finish
