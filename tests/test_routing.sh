#!/usr/bin/env bash
# test_routing.sh - the routing experiment (Fig. 6) at a small scale on the
# veth testbed: a synthetic table of 2,000 routes in the DUT's namespace, 500
# destinations it covers, the XDP router and Linux ip_forward through it.
# Checks counts, not timings: both forward what they take to the sink (the
# XDP router by redirect, not by passing to the stack), the generator wrote
# many destinations, the table's load is recorded, and nothing is left behind
# (no namespace, no route of xdplab's protocol, no XDP program).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cat >"$TMP/r.ini" <<'EOF'
[run]
trials = 1
warmup_s = 0.3
duration_s = 1

[experiment routing]
systems = xdp-router:native, linux-fwd
rates = 100000
routes = 2000
dst_addrs = 500
EOF

t_case "routing: XDP router and ip_forward through a 2,000-route table"
if run_config "routing" "$TMP/r.ini" "$TMP/res"; then
	check "routing: forwarded, by redirect, with the table recorded" \
		/usr/bin/python3 - "$TMP/res/latest" <<'PY'
import csv, json, sys
res = sys.argv[1]
rows = {r["system"]: r for r in csv.DictReader(open(f"{res}/results.csv"))}
bad = []
for sysname in ("xdp-router", "linux-fwd"):
    r = rows.get(sysname)
    if r is None:
        bad.append(f"{sysname}: no row")
        continue
    sink, offered = float(r["sink_pps"] or 0), float(r["offered_pps"] or 0)
    # Counts: the sink got (nearly) all that was offered at a rate both can take.
    if offered <= 0 or sink < 0.95 * offered:
        bad.append(f"{sysname}: sink {sink:.0f} of {offered:.0f} pps")
r = rows.get("xdp-router", {})
redirect, passed = int(float(r.get("xdp_redirect") or 0)), int(float(r.get("xdp_pass") or 0))
# The first frame to each destination may miss the neighbour; the rest are redirected.
if redirect <= 0 or passed > 0.01 * (redirect + passed):
    bad.append(f"xdp-router: {redirect} redirected, {passed} passed to the stack")
fx = json.load(open(f"{res}/context.json"))["load"]["routing"].get("fixture", {})
if fx.get("routes") != 2000 or fx.get("dst_addrs") != 500 or not fx.get("load_s", 0) > 0:
    bad.append(f"fixture note: {fx}")
print("; ".join(bad) or "ok")
sys.exit(1 if bad else 0)
PY
fi
check "routing: no route of xdplab's protocol left" \
	sh -c '! ip route show proto 249 | grep -q .'
check "routing: machine clean" machine_clean
t_case_end

t_finish
