#!/usr/bin/env bash
# test_existing.sh - the "existing" testbed, the path real NICs take: the test
# builds the topology itself (here from veths), maps the roles to its ports in
# a config, and checks that xdplab measures on them and leaves them in place.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

P="xlte$$"
OUT=$(mktemp -d)
# shellcheck disable=SC2317  # called by the EXIT trap
cleanup() {
	for n in gen dut sink; do ip netns del "$P-$n" 2>/dev/null; done
	[ -n "${KEEP:-}" ] || rm -rf "$OUT"
}
trap cleanup EXIT

for n in gen dut sink; do ip netns add "$P-$n"; done
ip -n "$P-gen" link add g0 type veth peer name d0 netns "$P-dut"
ip -n "$P-dut" link add d1 type veth peer name s0 netns "$P-sink"
ip -n "$P-gen" link set g0 up
ip -n "$P-dut" link set d0 up
ip -n "$P-dut" link set d1 up
ip -n "$P-sink" link set s0 up
# As a user prepares a testbed: threaded NAPI on the receiving ports, so that
# xdplab can pin the DUT's receive work to the DUT core (without it the work
# runs on the sender's core and the DUT's CPU reads 0).
ip netns exec "$P-dut" sh -c 'echo 1 >/sys/class/net/d0/threaded'
ip netns exec "$P-sink" sh -c 'echo 1 >/sys/class/net/s0/threaded'

cat >"$OUT/existing.ini" <<EOF2
[run]
trials = 1
warmup_s = 0.3
duration_s = 1

[testbed]
type = existing
generator = $P-gen:g0
dut-in = $P-dut:d0
dut-out = $P-dut:d1
sink = $P-sink:s0

[experiment drop]
systems = xdp-drop:native

[experiment redirect]
systems = xdp-redirect:native
EOF2

t_case "existing testbed: XDP systems measured on the user's ports"
run_config existing "$OUT/existing.ini" "$OUT/res"
check "existing: results" /usr/bin/python3 - "$OUT/res/latest" <<'PY'
import csv, json, os, sys
d = sys.argv[1]
rows = {r["system"]: r for r in csv.DictReader(open(os.path.join(d, "results.csv")))}
for s in ("xdp-drop", "xdp-redirect"):
    # valid, or invalid for VM noise only (the generator fell short, host steal, a busy sink core)
    assert s in rows and (rows[s]["valid"] == "1" or rows[s]["invalid_reason"] in ("gen-short", "steal", "sink-drop")) \
        and float(rows[s]["dut_pps"]) > 0, f"{s} measured on the configured ports: {rows.get(s)}"
    assert float(rows[s]["dut_cpu_pct"]) > 0, f"{s}: DUT work counted on the DUT core: {rows[s]}"
assert float(rows["xdp-redirect"]["sink_pps"] or 0) > 0, "redirected frames reach the configured sink"
tb = json.load(open(os.path.join(d, "context.json")))["testbed"]
assert tb["type"] == "existing" and tb["ports"]["dut-in"]["ifname"] == "d0", \
    "context records the configured ports"
PY
check "existing: the user's namespaces are left in place" test -e "/run/netns/$P-dut"
if ip netns exec "$P-dut" ip -d link show d0 | grep -q "prog/xdp"; then
	fail "existing: no program left on the DUT port" "still attached"
else
	pass "existing: no program left on the DUT port"
fi
t_finish
