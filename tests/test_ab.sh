#!/usr/bin/env bash
# test_ab.sh - `xdplab ab`: two user XDP objects, built here with clang from
# labs/lab4/filter.bpf.c (a UDP port filter, its port set by --set rodata.port,
# and the same filter with extra work per packet), benchmarked in one
# invocation.  Checks the results directory: one experiment "ab" with the two systems alternating base,new,new,base, both
# objects' SHA-256 and roles in context.json, the generated config verbatim,
# and that `xdplab compare` reads it.  No timing thresholds: which object is
# faster is the benchmark's business.  Bad input: exit code and nothing left.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

# A user's filter, compiled the way a team would (clang -target bpf, no xdplab
# headers): lab 4's port filter, the new version with extra work per packet.
SRC=$REPO/labs/lab4/filter.bpf.c
t_case "ab: user objects build with clang"
check "ab: base object" clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -c "$SRC" -o "$OUT/base.o"
check "ab: new object" clang -O2 -g -target bpf -I/usr/include/x86_64-linux-gnu -DEXTRA=64 -c "$SRC" -o "$OUT/new.o"
t_case_end

t_case "ab: both objects benchmarked, interleaved, with provenance"
# A fixed rate far under any generator's ceiling: the pairs stay valid, and compare judges them.
"$XDPLAB" ab --base "$OUT/base.o" --new "$OUT/new.o" --prog filter --set rodata.port=5001 \
	--dst-port 5001 --rate 100000 -n 2 -t 0.5 -w 0.2 -r "$OUT/res" -q >"$OUT/ab.out" 2>"$OUT/ab.err"
rc=$?
check "ab: exits 0" test "$rc" -eq 0
[ "$rc" -eq 0 ] || sed 's/^/    /' "$OUT/ab.err"
check "ab: results" /usr/bin/python3 - "$OUT/res/latest" "$OUT/base.o" "$OUT/new.o" <<'PY'
import csv, hashlib, json, os, sys
d, base, new = sys.argv[1:]
rows = list(csv.DictReader(open(os.path.join(d, "results.csv"))))
order = [(r["trial"], r["system"]) for r in rows]
assert order == [("1", "base"), ("1", "new"), ("2", "new"), ("2", "base")], order
assert all(r["experiment"] == "ab" and r["mode"] == "native" for r in rows), rows
assert all(float(r["dut_pps"]) > 0 for r in rows), "each object saw the traffic"
ctx = json.load(open(os.path.join(d, "context.json")))
ab = ctx["ab"]
assert ab["experiment"] == "ab" and ab["base"] == "base:native" and ab["new"] == "new:native", ab
for k, f in (("base", base), ("new", new)):
    assert ab[k + "_sha256"] == hashlib.sha256(open(f, "rb").read()).hexdigest(), k
    assert ab[k + "_obj"] == os.path.realpath(f)
assert "[experiment ab]" in ctx["config_text"] and "obj = " in ctx["config_text"]
assert ctx["catalog"]["base"]["counts"] == "dut"
progs = list(csv.DictReader(open(os.path.join(d, "programs.csv"))))
assert {p["system"] for p in progs} == {"base", "new"}, progs
assert all(p["prog"] == "filter" and int(p["verified_insns"]) > 0 for p in progs), progs
by = {p["system"]: p for p in progs}
assert int(by["new"]["verified_insns"]) > int(by["base"]["verified_insns"]), \
    "the verifier walks the extra loop: the instruction count tells the objects apart"
assert all(p["test_run_retval"] == "1" for p in progs), \
    "the test frame (dst port 5001, rodata.port 5001) is dropped: both settings reached it"
PY
check "ab: points at compare" grep -q "xdplab compare" "$OUT/ab.out"
# compare reads it; the deterministic metric is exact whatever the noise: more
# verifier instructions in the new object is "regressed" (exit 10).
"$XDPLAB" compare "$OUT/res/latest" --json "$OUT/v.json" >"$OUT/v.out" 2>&1
check "ab: compare says regressed (exit 10)" test $? -eq 10
check "ab: compare's verdict on verified_insns" /usr/bin/python3 - "$OUT/v.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
m = {r["metric"]: r for r in v["metrics"]}
assert m["verified_insns"]["verdict"] == "regressed", m["verified_insns"]
assert m["verified_insns"]["new"] > m["verified_insns"]["base"], m["verified_insns"]
PY
check "ab: machine clean" machine_clean
t_case_end

t_case "ab: bad input gives its exit code and leaves nothing"
expect_exit "ab: missing object gives exit 6" 6 "$XDPLAB" ab --base "$OUT/nosuch.o" --new "$OUT/new.o" -r "$OUT/bad" -q
expect_exit "ab: no --new gives exit 2" 2 "$XDPLAB" ab --base "$OUT/base.o" -r "$OUT/bad" -q
expect_exit "ab: bad mode gives exit 2" 2 "$XDPLAB" ab --base "$OUT/base.o" --new "$OUT/new.o" --mode offload -r "$OUT/bad" -q
expect_exit "ab: bad --set gives exit 2" 2 "$XDPLAB" ab --base "$OUT/base.o" --new "$OUT/new.o" --set nokey -r "$OUT/bad" -q
expect_exit "ab: unknown program gives exit 3 (the generated config names it)" 3 "$XDPLAB" ab --base "$OUT/base.o" --new "$OUT/new.o" --prog nosuch -r "$OUT/bad" -q
expect_exit "ab: bad --proto gives exit 2" 2 "$XDPLAB" ab --base "$OUT/base.o" --new "$OUT/new.o" --proto sctp -r "$OUT/bad" -q
expect_exit "ab: missing --pcap gives exit 3 (read with the config)" 3 "$XDPLAB" ab --base "$OUT/base.o" --new "$OUT/new.o" --pcap "$OUT/nosuch.pcap" -r "$OUT/bad" -q
check "ab: no results directory after bad input" test ! -e "$OUT/bad/latest"
check "ab: machine clean after bad input" machine_clean
t_finish
