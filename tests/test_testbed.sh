#!/usr/bin/env bash
# test_testbed.sh - the manual testbed of the labs (`xdplab testbed up|down`):
# namespaces and ports as documented, GRO and pinned NAPI threads on dut-in,
# traffic from `xdplab gen` reaching the Linux stack there, and `down`
# removing everything.  It uses the fixed "xlt" names, so it first refuses to
# run over a manual testbed someone left up.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

if [ -e /run/netns/xlt-dut ]; then
	fail "testbed: no manual testbed up before the test" "xlt-dut exists (xdplab testbed down)"
	t_finish
fi
trap '"$XDPLAB" testbed down >/dev/null 2>&1' EXIT

t_case "testbed up: ports, GRO and pinned NAPI as documented"
check "testbed up: exits 0" "$XDPLAB" testbed up
for p in "xlt-gen gen0 02:58:4c:00:00:01" "xlt-dut dut-in 02:58:4c:00:00:02" \
	"xlt-dut dut-out 02:58:4c:00:00:03" "xlt-sink sink0 02:58:4c:00:00:04"; do
	read -r ns dev mac <<<"$p"
	check "testbed up: $dev in $ns with MAC $mac" sh -c "ip -n $ns link show $dev | grep -q 'link/ether $mac'"
done
check "testbed up: GRO on dut-in" sh -c "ip netns exec xlt-dut ethtool -k dut-in | grep -q 'generic-receive-offload: on'"
pid=$(pgrep '^napi/dut-in' | head -1)
check "testbed up: dut-in has a NAPI thread" test -n "$pid"
[ -n "$pid" ] && check "testbed up: dut-in's NAPI thread pinned to CPU 1" \
	sh -c "taskset -pc $pid | grep -q 'list: 1$'"

t_case "testbed: generated traffic reaches the stack on dut-in"
ip netns exec xlt-dut iptables -t raw -I PREROUTING -p udp --dport 9 -j DROP
"$XDPLAB" gen --ns xlt-gen --dev gen0 --dst-mac 02:58:4c:00:00:02 --rate 100000 --duration 1 >/dev/null 2>&1
dropped=$(ip netns exec xlt-dut iptables-save -c -t raw | sed -n 's/^\[\([0-9]*\):.*--dport 9 -j DROP/\1/p')
check "testbed: 100 kpps for 1 s reach the stack on dut-in" test "${dropped:-0}" -ge 90000

t_case "testbed down: everything removed"
check "testbed down: exits 0" "$XDPLAB" testbed down
check "testbed down: namespaces removed" sh -c '! ls /run/netns/xlt-* >/dev/null 2>&1'
check "testbed: machine clean" machine_clean
t_finish
