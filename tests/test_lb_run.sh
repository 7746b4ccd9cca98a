#!/usr/bin/env bash
# test_lb_run.sh - the load-balancer experiment (Table 2) at a small scale on
# the veth testbed: 2 VIPs x 10 reals, 100 clients, the XDP balancer (Maglev,
# IPIP, redirected out of dut-out) and the Linux stack's balancer (IPVS, or the
# nftables DNAT stand-in where the kernel has no IPVS), each checked at the sink
# by xdp_lb_check.  Checks counts, not timings: every flow seen, every real of
# the plan hit, no flow moved between reals, no malformed frame, the XDP side
# encapsulates and the DNAT side does not, and nothing is left behind.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cat >"$TMP/l.ini" <<'EOF2'
[run]
trials = 1
warmup_s = 0.5
duration_s = 1

[experiment lb]
systems = xdp-lb:native, linux-lb
rates = 30000
lb_vips = 2
lb_reals = 10
src_addrs = 100
EOF2

t_case "lb: XDP and Linux balancers, every flow on one real"
if run_config "lb" "$TMP/l.ini" "$TMP/res"; then
	check "lb: the sink's checks" /usr/bin/python3 - "$TMP/res/latest" <<'PY'
import csv, json, sys
res = sys.argv[1]
rows = {r["system"]: r for r in csv.DictReader(open(f"{res}/results.csv"))}
bad = []
for s in ("xdp-lb", "linux-lb"):
    r = rows.get(s)
    if r is None:
        bad.append(f"{s}: no row")
        continue
    n = lambda k: int(float(r[k] or -1))
    if n("lb_flows") != 100 or n("lb_reals_hit") != 20:
        bad.append(f"{s}: {r['lb_flows']} flows on {r['lb_reals_hit']} reals, want 100 on 20")
    if n("lb_moved") != 0 or n("lb_malformed") != 0:
        bad.append(f"{s}: moved {r['lb_moved']}, malformed {r['lb_malformed']}")
    # The check's counters are read next to the interval's edges, not at them: frames in
    # flight between the two reads (30 per ms here) may differ, nothing more.
    if n("sink_pkts") <= 0 or abs(n("lb_ipip") + n("lb_plain") - n("sink_pkts")) > 0.01 * n("sink_pkts"):
        bad.append(f"{s}: ipip {r['lb_ipip']} + plain {r['lb_plain']} != sink {r['sink_pkts']}")
x, l = rows.get("xdp-lb", {}), rows.get("linux-lb", {})
if x and int(x["lb_plain"] or 0):
    bad.append("xdp-lb delivered unencapsulated frames")
if l and int(l["lb_ipip"] or 0) and "IPVS" not in open(f"{res}/context.json").read():
    bad.append("the nftables balancer delivered IPIP frames")
fx = json.load(open(f"{res}/context.json"))["load"]["lb"].get("fixture", {})
if fx.get("lb_vips") != 2 or fx.get("src_addrs") != 100:
    bad.append(f"fixture note: {fx}")
print("; ".join(bad) or "ok")
sys.exit(1 if bad else 0)
PY
fi
check "lb: no route of xdplab's protocol left" sh -c '! ip route show proto 249 | grep -q .'
check "lb: machine clean" machine_clean
t_case_end

t_finish
