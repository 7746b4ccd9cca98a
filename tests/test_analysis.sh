#!/usr/bin/env bash
# test_analysis.sh - the analysis, figures and report (tools/report.sh) on the
# checked-in fixtures: tests/fixtures/results-small/ (context.json with schema,
# catalog and experiments), tests/fixtures/results-old/ (the same numbers as
# a directory written before those keys existed) and tests/fixtures/results-apps/
# (a DDoS sweep and a load-balancer run: Fig. 7 and Table 2).  Summaries, ratios and their
# confidence intervals equal the values worked out by hand (see the fixture's
# README), every figure is drawn as PNG and SVG without a gnuplot message, the
# report has a verdict line for every paper claim, the old directory gets the
# same comparisons and verdicts, absent inputs degrade to "not measured in this
# run", and bad input (results or configs/claims.ini) gives the documented exit
# code and leaves no file behind.  The rules themselves are unit-tested in
# harness/analysis/tests (tests/test_analysis_units.sh).
# No network namespaces: safe to run next to measurements.
# shellcheck source=tests/lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
REPORT=$REPO/tools/report.sh
FIXTURE=$REPO/tests/fixtures/results-small
OLD_FIXTURE=$REPO/tests/fixtures/results-old
APPS_FIXTURE=$REPO/tests/fixtures/results-apps
FIGURES="drop pass_overhead cpu forward latency latency_cdf load"
VERDICTS="reproduced|not reproduced|inconclusive|not implemented|not measurable here|not measured in this run"
CLAIMS="drop-linux drop-conntrack drop-dpdk pass cpu-scales cpu-xdp-linux cpu-dpdk
	fwd-tx-redirect fwd-dpdk fwd-cores fwd-linux lat-xdp-1M lat-dpdk-1M lat-xdp-100
	lat-dpdk-100 lat-shape lat-dpdk routing routing-full ddos lb"

tmp=$(mktemp -d /tmp/xlt-analysis.XXXXXX)
trap 'rm -rf -- "$tmp"' EXIT

# listing DIR: every entry, hidden ones included, one per line.
listing() { (cd "$1" && find . -mindepth 1 | sort); }

# run_report NAME DIR: run report.sh, keep exit code and stderr in $tmp/NAME.*
run_report() {
	"$REPORT" "$2" >"$tmp/$1.out" 2>"$tmp/$1.err"
	echo $? >"$tmp/$1.rc"
}

# ran_clean NAME LABEL: the run_report NAME exited 0 with nothing on stderr.
ran_clean() {
	if [ "$(cat "$tmp/$1.rc")" = 0 ] && [ ! -s "$tmp/$1.err" ]; then
		pass "$2: exit 0, no warnings"
	else
		fail "$2: exit 0, no warnings" "exit $(cat "$tmp/$1.rc"): $(head -3 "$tmp/$1.err")"
	fi
}

# --- the fixture, complete ---------------------------------------------------
cp -r "$FIXTURE" "$tmp/full"
run_report full "$tmp/full"
if [ "$(cat "$tmp/full.rc")" = 0 ]; then pass "report.sh on the fixture exits 0"; else
	fail "report.sh on the fixture exits 0" "exit $(cat "$tmp/full.rc"): $(head -3 "$tmp/full.err")"
fi
if [ ! -s "$tmp/full.err" ]; then pass "no error or gnuplot warning on stderr"; else
	fail "no error or gnuplot warning on stderr" "$(head -3 "$tmp/full.err")"
fi
for f in summary.csv ratios.csv claims.csv report.md report.html; do
	check "writes $f" test -s "$tmp/full/$f"
done
check "claims.csv: one row per claim of the report, same verdicts" "$PY" - "$tmp/full" <<'PY'
import csv, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(d + "/claims.csv")))
lines = [l for l in open(d + "/report.md") if l.startswith("- **[")]
assert len(rows) == len(lines) == 21, (len(rows), len(lines))
assert list(rows[0]) == ["id", "title", "paper", "here", "verdict", "because", "type"], list(rows[0])
for r, l in zip(rows, lines):
    assert l.startswith("- **[%s]" % r["id"]) and ("**%s**" % r["verdict"]) in l, (r["id"], r["verdict"])
PY
if listing "$tmp/full" | grep -q -e '/\.report\.' -e '/\.plots\.old'; then
	fail "no staging directory left" "$(listing "$tmp/full" | grep -e '/\.report\.' -e '/\.plots\.old')"
else
	pass "no staging directory left"
fi

for fig in $FIGURES; do
	png=$tmp/full/plots/$fig.png svg=$tmp/full/plots/$fig.svg
	if [ -s "$png" ] && [ "$(head -c 4 "$png" | tail -c 3)" = PNG ]; then pass "figure $fig.png"; else
		fail "figure $fig.png" "missing, empty or not a PNG"
	fi
	if [ -s "$svg" ] && grep -q '<svg' "$svg"; then pass "figure $fig.svg"; else
		fail "figure $fig.svg" "missing, empty or not an SVG"
	fi
	check "report shows $fig" grep -q "(plots/$fig.png)" "$tmp/full/report.md"
done

# Known values: worked out by hand from the fixture (tests/fixtures/results-small/README.md).
"$PY" - "$tmp/full" >"$tmp/values.out" 2>&1 <<'EOF'
import sys
import pandas as pd

d = sys.argv[1]
s = pd.read_csv(f"{d}/summary.csv")
r = pd.read_csv(f"{d}/ratios.csv")


def near(got, want, tol=1e-6):
    return abs(got - want) <= tol * max(1.0, abs(want))


def srow(exp, system, mode, metric, target=0):
    m = s[(s.experiment == exp) & (s.system == system) & (s["mode"] == mode) &
          (s.metric == metric) & (s.target_pps == target)]
    return m.iloc[0] if len(m) == 1 else None


def rrow(name, basis, target=0):
    m = r[(r.ratio == name) & (r.basis == basis) & (r.num_target_pps == target)]
    return m.iloc[0] if len(m) == 1 else None


def expect(name, row, **want):
    if row is None:
        print(f"not-ok {name}: no unique row")
        return
    bad = [f"{k}={row[k]!r} (want {v!r})" for k, v in want.items()
           if not (row[k] == v if isinstance(v, str) else near(float(row[k]), v))]
    print(f"not-ok {name}: {', '.join(bad)}" if bad else f"ok {name}")


expect("summary: XDP drop Mpps median, IQR, min, max", srow("drop", "xdp-drop", "native", "mpps"),
       n=3, n_valid=3, median=2.9, p25=2.875, p75=2.925, min=2.85, max=2.95)
expect("summary: invalid trial excluded (linux-raw Mpps 2/3)", srow("drop", "linux-raw", "stack", "mpps"),
       n=3, n_valid=2, median=2.1, p25=2.05, p75=2.15, min=2.0, max=2.2)
expect("summary: invalid trial excluded (linux-raw ns/pkt)", srow("drop", "linux-raw", "stack", "ns_per_pkt"),
       median=472, min=450, max=494)
expect("summary: linux-raw DUT CPU %", srow("drop", "linux-raw", "stack", "dut_cpu_pct"), median=98.9)
expect("summary: RX ring drops from the added column", srow("drop", "linux-raw", "stack", "rx_ring_drop_pct"),
       median=(700 / 29 + 850 / 28.5) / 2)
expect("summary: XDP_PASS ns/pkt quartiles", srow("pass_overhead", "linux-raw+xdp-pass", "native", "ns_per_pkt"),
       median=470, p25=466, p75=470.5)
expect("summary: forwarding Mpps counted at the sink", srow("redirect", "xdp-redirect", "native", "mpps"),
       median=2.0, min=1.9, max=2.1)
expect("summary: DUT Mpps kept beside it", srow("redirect", "xdp-redirect", "native", "dut_mpps"), median=2.6)
expect("summary: CPU share at 1 Mpps", srow("cpu", "xdp-drop", "native", "dut_cpu_pct", 1e6),
       median=9.0, p25=8.9, p75=9.1)
expect("summary: latency avg in us", srow("latency", "xdp-redirect", "native", "avg_us", 1e6), median=9.0)
expect("summary: latency share under 10 us in %", srow("latency", "xdp-redirect", "native", "under10us_pct", 1e6),
       median=80.0)
expect("summary: latency loss %", srow("latency", "linux-fwd", "stack", "lost_pct", 1e6), median=20.0)
expect("summary: CI of a median over 3 trials = their range", srow("drop", "xdp-drop", "native", "ns_per_pkt"),
       median=92, ci_low=90, ci_high=95)
expect("summary: exact DUT thread time from the added column", srow("drop", "xdp-drop", "native", "task_ns_per_pkt"),
       median=88.3)
no_sink = s[(s.experiment == "drop") & (s.metric == "sink_mpps")]
print("ok summary: no sink metric for drop" if no_sink.empty else "not-ok summary: no sink metric for drop")

expect("ratio: XDP/Linux drop Mpps, invalid pair dropped", rrow("drop_xdp_vs_linux", "rate"),
       n_pairs=2, median=(2.9 / 2.2 + 2.85 / 2.0) / 2, min=2.9 / 2.2, max=1.425,
       pairing="interleaved")
expect("ratio: XDP/Linux drop CPU cost, CI of 2 pairs = their range", rrow("drop_xdp_vs_linux", "cpu_cost"),
       median=5.1, p25=5.05, p75=5.15, min=5.0, max=5.2, paper=23863471 / 5051787,
       ci_low=5.0, ci_high=5.2,
       ci_method="percentile bootstrap of the median, 10000 resamples, seed 20181204, 95%")
expect("ratio: XDP/conntrack CPU cost", rrow("drop_xdp_vs_conntrack", "cpu_cost"),
       n_pairs=3, median=1100 / 90)
expect("ratio: DPDK/XDP drop Mpps", rrow("drop_dpdk_vs_xdp", "rate"), median=1.0, paper=43503636 / 23863471)
expect("ratio: XDP_PASS cost from ns/pkt, with sd and CI", rrow("pass_overhead", "cpu_ns"),
       median=12.0, p25=11.5, p75=13.5, min=11.0, max=15.0, sd=(13 / 3) ** 0.5, ci_low=11.0, ci_high=15.0)
expect("ratio: XDP_PASS cost from 1/rate", rrow("pass_overhead", "rate_ns"),
       median=1e9 / 2.14e6 - 1e9 / 2.2e6, paper=1e9 / 4545188 - 1e9 / 4837269)
expect("ratio: XDP_TX/XDP_REDIRECT Mpps", rrow("fwd_tx_vs_redirect", "rate"),
       median=1.4, min=2.82 / 2.1, max=2.78 / 1.9, pairing="interleaved")
expect("ratio: XDP_TX/XDP_REDIRECT CPU cost", rrow("fwd_tx_vs_redirect", "cpu_cost"),
       median=250 / 143, paper=16900699 / 8641197)
expect("ratio: CPU share XDP/Linux at 1 Mpps", rrow("cpu_xdp_vs_linux", "cpu_share", 1e6),
       median=0.225, paper=19.6 / 42.6)
expect("ratio: XDP latency 100 pps / 1 Mpps", rrow("lat_xdp_low_vs_high", "avg_latency", 100),
       median=25000 / 9000, paper=82 / 7)
expect("ratio: DPDK/XDP latency at 1 Mpps", rrow("lat_dpdk_vs_xdp_1000000pps", "avg_latency", 1e6),
       median=7000 / 9000, paper=3 / 7)
EOF
py_rc=$?
if [ $py_rc -ne 0 ] || ! grep -q '^ok ' "$tmp/values.out"; then
	fail "known values check ran" "python exit $py_rc: $(tail -3 "$tmp/values.out")"
fi
while read -r status name; do
	case $status in
	ok) pass "$name" ;;
	not-ok) fail "${name%%: *}" "${name#*: }" ;;
	esac
done <"$tmp/values.out"

# Every claim has a line "paper: ... — here: ... — <verdict>, because ...".
for id in $CLAIMS; do
	if grep -E -q "^- \*\*\[$id\] .* — paper: .* — here: .* — \*\*($VERDICTS)\*\*, because " \
		"$tmp/full/report.md"; then pass "report: claim line $id"; else
		fail "report: claim line $id" "no verdict line"
	fi
done
# Verdicts that follow from the fixture's numbers and the stated rule.
claim_is() {
	if grep -q "^- \*\*\[$1\] .* — \*\*$2\*\*, because" "$3/report.md"; then pass "verdict $1: $2"; else
		fail "verdict $1: $2" "$(grep "^- \*\*\[$1\]" "$3/report.md" | grep -o '— \*\*[a-z ]*\*\*, because.*' | head -c 200)"
	fi
}
claim_is drop-linux reproduced "$tmp/full"
claim_is pass reproduced "$tmp/full"
claim_is drop-dpdk "not measurable here" "$tmp/full"
claim_is cpu-xdp-linux "not reproduced" "$tmp/full"
claim_is lat-shape "not reproduced" "$tmp/full"
claim_is fwd-cores "not measurable here" "$tmp/full"
claim_is fwd-dpdk "inconclusive" "$tmp/full"
# The fixture predates the routing, DDoS and LB experiments: their claims are not
# measured, not missing (tests/fixtures/results-apps has the last two, below).
for id in routing routing-full ddos lb; do claim_is "$id" "not measured in this run" "$tmp/full"; done
check "report: rule stated" grep -q "within a factor 2 of the paper" "$tmp/full/report.md"
check "report: CI method stated" grep -q "percentile bootstrap of the median, 10000 resamples" "$tmp/full/report.md"
check "report: multi-core claim says why it cannot run here" \
	grep -q "one DUT core: no scaling curve" "$tmp/full/report.md"
check "report: latency rows with the floor and minus the floor" \
	grep -q "| xdp-redirect | native | 1 Mpps | 3/3 | 3.60 | 9.00 \[8.75–9.25\] | 22.5 | 72.0 | 80.0 \[79.0–81.0\] | 0 | 3.00 | 6.00 |" \
	"$tmp/full/report.md"
if grep -q -i "not applicable" "$tmp/full/report.md" "$tmp/full/claims.csv"; then
	fail "no 'not applicable' verdict or text" "$(grep -i -m1 "not applicable" "$tmp/full/report.md" "$tmp/full/claims.csv")"
else
	pass "no 'not applicable' verdict or text"
fi
check "report: context block" grep -q "| kernel | 6.1.0-27-amd64 |" "$tmp/full/report.md"
check "report: invalid trial listed" grep -q "| drop | linux-raw | stack | max | 2 | steal 14.0% above the 5% limit |" "$tmp/full/report.md"
check "report: n_valid/n shown" grep -q "| linux-raw | stack | max | 1 | 64 | 2/3 |" "$tmp/full/report.md"
check "report.html: claims rendered" grep -q "<strong>\[drop-linux\]" "$tmp/full/report.html"

# Running again replaces the outputs and still leaves nothing behind.
before=$(listing "$tmp/full")
run_report again "$tmp/full"
if [ "$(cat "$tmp/again.rc")" = 0 ] && [ "$before" = "$(listing "$tmp/full")" ]; then
	pass "second run replaces the same files"
else
	fail "second run replaces the same files" "exit $(cat "$tmp/again.rc") or the file list changed"
fi

# --- an old directory: no schema, catalog or experiments in context.json, ----
# --- no dut_task_ns_per_pkt: the fallbacks give the same comparisons ----------
cp -r "$OLD_FIXTURE" "$tmp/old"
run_report old "$tmp/old"
ran_clean old "old results directory"
check "old results directory: same ratios.csv as with a catalog" \
	"$PY" -c 'import sys, pandas as p; a, b = (p.read_csv(f) for f in sys.argv[1:]); sys.exit(not a.fillna(-1).equals(b.fillna(-1)))' \
	"$tmp/old/ratios.csv" "$tmp/full/ratios.csv"
check "old results directory: same verdicts" \
	"$PY" -c 'import sys, csv; v = [[r["id"], r["verdict"]] for f in sys.argv[1:] for r in csv.DictReader(open(f))]; n = len(v) // 2; sys.exit(v[:n] != v[n:] or n != 21)' \
	"$tmp/old/claims.csv" "$tmp/full/claims.csv"
for fig in $FIGURES; do
	check "old results directory: figure $fig.png" test -s "$tmp/old/plots/$fig.png"
done
check "old results directory: report says where the columns came from" \
	grep -q "built-in (context.json has no schema)" "$tmp/old/report.md"

# --- the applications: a DDoS sweep (kind rr) and a load-balancer run ---------
# Known values (tests/fixtures/results-apps/README.md): knees 1.80 and 0.333 Mpps,
# ratio 5.40x against the paper's 6.31x; LB CPU-cost ratio 5.83x against 4.17x.
cp -r "$APPS_FIXTURE" "$tmp/apps"
run_report apps "$tmp/apps"
ran_clean apps "apps fixture"
for fig in ddos lb; do
	png=$tmp/apps/plots/$fig.png svg=$tmp/apps/plots/$fig.svg
	if [ -s "$png" ] && [ "$(head -c 4 "$png" | tail -c 3)" = PNG ] && grep -q '<svg' "$svg"; then
		pass "apps fixture: figure $fig (PNG and SVG)"
	else
		fail "apps fixture: figure $fig (PNG and SVG)" "missing, empty or not an image"
	fi
	check "apps fixture: report shows $fig" grep -q "(plots/$fig.png)" "$tmp/apps/report.md"
done
claim_is ddos reproduced "$tmp/apps"
claim_is lb reproduced "$tmp/apps"
check "apps fixture: each curve's knee and their ratio in the report" \
	grep -q "knee 1.80 Mpps .*knee 0.333 Mpps .*ratio of the knees 5.40×" "$tmp/apps/report.md"
check "apps fixture: the load-balancer check table" \
	grep -q "^| xdp-lb | native | max | 3/3 | 1000 | 100 | 3 | 10 | 19 | 0 | 0 |" "$tmp/apps/report.md"
check "apps fixture: the LB ratio with its spread" \
	grep -q "CPU-cost ratio 5.83× (IQR 5.83–5.84, 95% CI 5.82–5.85, 3 pairs)" "$tmp/apps/report.md"

# --- absent inputs: no DPDK, no latency files, no XDP reference in drop, -----
# --- and a column a later runner added at the end ------------------------------
mkdir "$tmp/partial"
cp "$FIXTURE/context.json" "$tmp/partial/"
grep -v -e ',dpdk,' -e '^drop,xdp-drop,native,' "$FIXTURE/results.csv" |
	sed '1s/$/,future_column/; 2,$s/$/,7/' >"$tmp/partial/results.csv"
run_report partial "$tmp/partial"
if [ "$(cat "$tmp/partial.rc")" = 0 ] && [ ! -s "$tmp/partial.err" ]; then
	pass "partial results: exit 0, no warnings"
else
	fail "partial results: exit 0, no warnings" "exit $(cat "$tmp/partial.rc"): $(head -3 "$tmp/partial.err")"
fi
for id in drop-dpdk drop-linux lat-xdp-1M lat-dpdk-100 cpu-dpdk; do
	claim_is "$id" "not measured in this run" "$tmp/partial"
done
check "partial: drop figure drawn without its reference system" test -s "$tmp/partial/plots/drop.png"
if [ ! -e "$tmp/partial/plots/latency.png" ] && [ ! -e "$tmp/partial/plots/latency_cdf.png" ]; then
	pass "partial: no latency figure without latency data"
else
	fail "partial: no latency figure without latency data" "a latency figure was drawn"
fi

# Header only: a run that recorded nothing still gets a report.
mkdir "$tmp/empty"
head -1 "$FIXTURE/results.csv" >"$tmp/empty/results.csv"
run_report empty "$tmp/empty"
if [ "$(cat "$tmp/empty.rc")" = 0 ] && grep -q "not measured in this run" "$tmp/empty/report.md"; then
	pass "header-only results.csv: report of what is missing"
else
	fail "header-only results.csv: report of what is missing" "exit $(cat "$tmp/empty.rc"): $(head -3 "$tmp/empty.err")"
fi

# --- bad input: exit code, one line "xdplab: ...", nothing written ----------------
# bad_input NAME CODE DIR [ENV=VAL]: DIR's listing must not change.
bad_input() {
	local name=$1 want=$2 dir=$3 before rc err
	before=$(listing "$dir" 2>/dev/null)
	err=$(env "${@:4}" "$REPORT" "$dir" 2>&1 >/dev/null)
	rc=$?
	if [ $rc -ne "$want" ]; then
		fail "$name" "exit $rc, expected $want ($err)"
	elif [ "$(printf '%s\n' "$err" | wc -l)" -ne 1 ] || [ "${err#xdplab: }" = "$err" ]; then
		fail "$name" "expected one line 'xdplab: ...', got: $err"
	elif [ "$before" != "$(listing "$dir" 2>/dev/null)" ]; then
		fail "$name" "files were left in $dir"
	else
		pass "$name"
	fi
}
expect_exit "no argument: usage, exit 2" 2 "$REPORT"
expect_exit "two arguments: usage, exit 2" 2 "$REPORT" "$tmp/full" extra
bad_input "missing directory: exit 3" 3 "$tmp/does-not-exist"
check "missing directory: not created" test ! -e "$tmp/does-not-exist"
mkdir "$tmp/nocsv"
bad_input "directory without results.csv: exit 3" 3 "$tmp/nocsv"
mkdir "$tmp/badcol"
cut -d, -f1-21 "$FIXTURE/results.csv" >"$tmp/badcol/results.csv"
bad_input "results.csv without a column: exit 3" 3 "$tmp/badcol"
mkdir "$tmp/badschema"
cp "$FIXTURE/context.json" "$tmp/badschema/"
cut -d, -f1-23 "$FIXTURE/results.csv" >"$tmp/badschema/results.csv"
bad_input "results.csv without a column its schema declares: exit 3" 3 "$tmp/badschema"
cp -r "$FIXTURE" "$tmp/badcatalog"
sed -i 's/"counts": "back"/"counts": "elsewhere"/' "$tmp/badcatalog/context.json"
bad_input "catalog with an unknown counts: exit 3" 3 "$tmp/badcatalog"
printf '[rules]\nfactor = 2\n' >"$tmp/claims-broken.ini"
cp -r "$FIXTURE" "$tmp/badclaims"
bad_input "broken claims.ini: exit 1" 1 "$tmp/badclaims" XL_CLAIMS="$tmp/claims-broken.ini"
mkdir "$tmp/badnum"
sed '2s/,2900000,/,lots,/' "$FIXTURE/results.csv" >"$tmp/badnum/results.csv"
bad_input "results.csv with a non-number: exit 3" 3 "$tmp/badnum"
cp -r "$FIXTURE" "$tmp/fails"
bad_input "failure half-way: exit 1, staging removed" 1 "$tmp/fails" XL_PYTHON=/bin/false

t_finish
