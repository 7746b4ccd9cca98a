#!/usr/bin/env bash
# test_traffic.sh - a user's program measured on the test traffic it needs:
# a TCP port filter (tests/fixtures/tcp_filter.c, compiled here with clang)
# run by config alone on the veth testbed with proto = tcp (every frame
# dropped), with xdplab's UDP frames (every frame passed), and on frames
# replayed from a pcap file (two TCP frames to the port, one UDP frame: two
# thirds dropped, in turn; by the livefr generator, or the DPDK one where the
# kernel refuses live frames).  The verdicts come from the driver's counters, so
# these are counts, not timings.  Also the provenance of a replay in
# context.json (path, SHA-256, frames) and its rows (mean frame size, frames).
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

inc=$(find /usr/include -maxdepth 2 -path '*-linux-gnu/asm' -type d | head -1)
t_case "traffic: user TCP filter builds with clang"
check "traffic: tcp_filter.o" clang -O2 -g -target bpf -I"${inc%/asm}" \
	-c "$REPO/tests/fixtures/tcp_filter.c" -o "$TMP/tcp_filter.o"
t_case_end

# Two TCP segments to port 5001 and one UDP datagram to it, written as a pcap.
/usr/bin/python3 "$REPO/tests/fixtures/three_frames_pcap.py" "$TMP/three.pcap"

cat >"$TMP/t.ini" <<EOF
[run]
trials = 1
warmup_s = 0.3
duration_s = 1

[system tcpf]
kind = xdp
what = a user's TCP port filter
obj = $TMP/tcp_filter.o
modes = native
counts = dut

[experiment tcp]
systems = tcpf
rates = 50000
proto = tcp
dst_port = 5001

[experiment udp]
systems = tcpf
rates = 50000
dst_port = 5001

[experiment replay]
systems = tcpf
rates = 60000
pcap = $TMP/three.pcap
EOF

t_case "traffic: TCP, UDP and replayed frames reach the user's program"
if run_config "traffic" "$TMP/t.ini" "$TMP/res"; then
	check "traffic: verdicts per protocol, replay in turn, provenance" \
		/usr/bin/python3 - "$TMP/res/latest" "$TMP/three.pcap" <<'PY'
import csv, hashlib, json, sys
res, pcap = sys.argv[1], sys.argv[2]
rows = {r["experiment"]: r for r in csv.DictReader(open(f"{res}/results.csv"))}
bad = []
def n(r, k):
    return int(float(r[k] or 0))
for exp, want in (("tcp", "xdp_drop"), ("udp", "xdp_pass")):
    r = rows[exp]
    total = sum(n(r, k) for k in ("xdp_aborted", "xdp_drop", "xdp_pass", "xdp_tx", "xdp_redirect"))
    if total <= 0 or n(r, want) != total:
        bad.append(f"{exp}: {want} {n(r, want)} of {total} verdicts")
    if r["actions_from"] != "driver":
        bad.append(f"{exp}: actions from {r['actions_from']}, not the driver")
ctx = json.load(open(f"{res}/context.json"))
exps = ctx["experiments"]
r = rows["replay"]
# Sent frame after frame as recorded: never through the relay's copies.
if r["gen_copies"] not in ("", "1"):
    bad.append(f"replay: {r['gen_copies']} copies of each frame")
drop, pss = n(r, "xdp_drop"), n(r, "xdp_pass")
if drop + pss < 1000 or abs(drop / (drop + pss) - 2 / 3) > 0.01:
    bad.append(f"replay: {drop} dropped, {pss} passed (want two thirds dropped)")
lens = [14 + 20 + 20 + 30 + 4, 14 + 20 + 8 + 100 + 4, 14 + 20 + 20 + 400 + 4]  # on-wire
if int(r["flows"]) != 3 or int(r["frame_size"]) != round(sum(lens) / 3):
    bad.append(f"replay: frame_size {r['frame_size']} flows {r['flows']}")
p = exps["replay"].get("pcap", {})
if p.get("sha256") != hashlib.sha256(open(pcap, "rb").read()).hexdigest() or p.get("frames") != 3:
    bad.append(f"replay provenance: {p}")
if exps["tcp"].get("proto") != "tcp" or exps["udp"].get("proto") != "udp":
    bad.append("proto not recorded per experiment")
print("; ".join(bad) or "ok")
sys.exit(1 if bad else 0)
PY
fi
check "traffic: machine clean" machine_clean
t_case_end
t_finish
