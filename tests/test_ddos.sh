#!/usr/bin/env bash
# test_ddos.sh - the DDoS experiment (Fig. 7, kind = rr) at a small scale on
# the veth testbed: TCP request/response transactions between the generator's
# namespace and a server on the DUT, without a flood and under a 100 kpps UDP
# flood, with the XDP filter and with no filter.  Checks counts, not timings:
# transactions complete without a flood, the flood is aimed at the DUT and
# reaches it, the XDP filter drops the flood by its rule and passes the TCP
# segments, and nothing is left behind.  Bad rr configs give exit 3.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

cat >"$TMP/d.ini" <<'EOF2'
[run]
trials = 1
warmup_s = 0.5
duration_s = 1

[experiment ddos]
kind = rr
systems = xdp-ddos:native, linux-nofilter
rates = 0, 15%
EOF2

t_case "ddos: request/response beside a flood, with and without the XDP filter"
if run_config "ddos" "$TMP/d.ini" "$TMP/res"; then
	check "ddos: transactions, flood at the DUT, filter verdicts" \
		/usr/bin/python3 - "$TMP/res/latest" <<'PY'
import csv, json, sys
rows = list(csv.DictReader(open(f"{sys.argv[1]}/results.csv")))
bad = []
# 15% of the generator's paced ceiling, as measured at the start of the run.
pps = json.load(open(f"{sys.argv[1]}/context.json"))["load"]["ddos"].get("rates_pps", [])
ceiling = [float(r["offered_pps"]) for r in csv.DictReader(open(f"{sys.argv[1]}/calibration.csv"))
           if r["experiment"] == "ceiling"]
flood = pps[1] if len(pps) == 2 else -1
if not ceiling or abs(flood - round(0.15 * ceiling[0])) > 1:
    bad.append(f"rates_pps {pps}, ceiling {ceiling}")
def row(system, rate):
    for r in rows:
        if r["system"] == system and float(r["target_pps"]) == (flood if rate else 0):
            return r
    bad.append(f"{system} @ {rate}: no row")
    return None
for s in ("xdp-ddos", "linux-nofilter"):
    r = row(s, 0)
    if r and not (r["valid"] == "1" and float(r["rr_tps"] or 0) > 0):
        bad.append(f"{s} without flood: valid {r['valid']}, rr_tps {r['rr_tps']!r}")
    if r and int(r["offered_pkts"] or 0) != 0:
        bad.append(f"{s} without flood: the generator sent {r['offered_pkts']}")
    f = row(s, 1)
    if f and not (r and f["rr_tps"] != "" and float(f["dut_pps"] or 0) > 0):
        bad.append(f"{s} under flood: rr_tps {f['rr_tps']!r}, dut_pps {f['dut_pps']!r}")
f = row("xdp-ddos", 1)
if f:
    drop, passed = int(f["xdp_drop"] or 0), int(f["xdp_pass"] or 0)
    offered = int(f["offered_pkts"] or 0)
    # The rule drops the flood (UDP port 9); the TCP segments pass to the server.
    if drop < 0.9 * offered or passed <= 0:
        bad.append(f"xdp-ddos: {drop} dropped, {passed} passed of {offered} offered")
for r in rows:
    if r["rr_tps"] == "" or r["lb_flows"] != "":
        bad.append(f"{r['system']}: rr/lb columns {r['rr_tps']!r}/{r['lb_flows']!r}")
print("; ".join(bad) or "ok")
sys.exit(1 if bad else 0)
PY
fi
check "ddos: machine clean" machine_clean
t_case_end

t_case "ddos: bad rr and filter configs exit 3 and leave nothing behind"
printf '[experiment d]\nkind = rr\nsystems = xdp-redirect:native\nrates = 0\n' >"$TMP/b1.ini"
expect_exit "rr with a forwarding system" 3 "$XDPLAB" run "$TMP/b1.ini" --results "$TMP/bad"
printf '[system f]\nkind = xdp\nobj = %s/build/xdp_ddos.bpf.o\nprog = xdp_ddos\ncounts = dut\nddos.rule = udp:0\n[experiment d]\nkind = rr\nsystems = f\n' \
	"$REPO" >"$TMP/b2.ini"
expect_exit "a filter rule that cannot match" 3 "$XDPLAB" run "$TMP/b2.ini" --results "$TMP/bad"
printf '[experiment d]\nkind = rr\nsystems = xdp-ddos\nrates = 0, 150%%\n' >"$TMP/b5.ini"
expect_exit "a flood above 100% of the ceiling" 3 "$XDPLAB" run "$TMP/b5.ini" --results "$TMP/bad"
printf '[experiment l]\nsystems = xdp-lb:native\nlb_vips = 2\nlb_reals = 10\n' >"$TMP/b3.ini"
expect_exit "a load-balancer plan without clients" 3 "$XDPLAB" run "$TMP/b3.ini" --results "$TMP/bad"
printf '[experiment l]\nsystems = xdp-lb:native\n' >"$TMP/b4.ini"
expect_exit "lb = plan without a plan" 3 "$XDPLAB" run "$TMP/b4.ini" --results "$TMP/bad"
check "bad configs: no results directory" sh -c "[ ! -e '$TMP/bad' ] || [ -z \"\$(ls -A '$TMP/bad')\" ]"
check "bad configs: machine clean" machine_clean
t_case_end

t_finish
