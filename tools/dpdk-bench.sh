#!/usr/bin/env bash
# dpdk-bench.sh - the DPDK numbers of docs/dpdk.md, on namespaces of its own
# (xldb<pid>-gen/-dut, removed on exit): the maximum rate of the live-frames
# and the DPDK generator (64-byte frames, CPU 0) as counted by the xdplab sink
# on the peer (its NAPI thread on CPU 1), then testpmd rxonly and mac at the
# offered rates given (default: 2 Mpps and the maximum) through
# build/tests/test_dpdk_systems.  Usage: tools/dpdk-bench.sh [RATE_PPS...]
set -euo pipefail
cd "$(dirname "$0")/.."
X=build/xdplab
P=xldb$$
TMP=$(mktemp -d)

# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	ip netns del "$P-gen" 2>/dev/null || true
	ip netns del "$P-dut" 2>/dev/null || true
	rm -rf "$TMP"
}
trap cleanup EXIT

ip netns add "$P-gen"
ip netns add "$P-dut"
ip -n "$P-gen" link add gen0 address 02:58:4c:00:00:01 type veth peer name dut-in \
	netns "$P-dut" address 02:58:4c:00:00:02
ip -n "$P-gen" link set gen0 up
ip -n "$P-dut" link set dut-in up

for backend in livefr dpdk; do
	"$X" load --ns "$P-dut" --dev dut-in --prog sink --mode native --duration 9 -q \
		--json "$TMP/$backend.json" 2>/dev/null &
	sink=$!
	sleep 1
	ip netns exec "$P-dut" sh -c 'echo 1 > /sys/class/net/dut-in/threaded'
	for t in /proc/[0-9]*; do
		if grep -q '^napi/dut-in-' "$t/comm" 2>/dev/null; then taskset -pc 1 "${t#/proc/}" >/dev/null; fi
	done
	"$X" gen --backend "$backend" --ns "$P-gen" --dev gen0 --dst-mac 02:58:4c:00:00:02 \
		--size 64 --cpus 0 --duration 6 >/dev/null
	wait "$sink"
	python3 - "$backend" "$TMP/$backend.json" <<'PY'
import json, sys
rates = sorted(s['drop_pps'] for s in json.load(open(sys.argv[2]))['samples'][2:7])
print('%-7s generator max: %.3f Mpps at the sink (median of %d one-second samples)'
      % (sys.argv[1], rates[len(rates) // 2] / 1e6, len(rates)))
PY
done

rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(2000000 0)
for r in "${rates[@]}"; do
	XL_BENCH_RATE=$r XL_BENCH_SECONDS=5 build/tests/test_dpdk_systems 2>/dev/null |
		grep '^# dpdk-.*offered' || true
done
