#!/usr/bin/env bash
# test_rate.sh - the generator holds three targets within 2% over 2 s, for
# every generator backend this build has (the rate-control checks the issues
# ask for; they are the only timing assertions outside benchmarks): 1 kpps,
# 100 kpps and 1 Mpps for live frames; for DPDK, whose AF_XDP generator peaks
# at 0.5-0.6 Mpps through the veth testbed's relay on this VM, the top target is
# 250 kpps so that the check measures pacing rather than the ceiling.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

backends=
if why=$("$XDPLAB" gen --probe --backend livefr 2>&1 >/dev/null); then
	backends=livefr
else
	echo "SKIP rate livefr: ${why#xdplab: }"
fi
[ -x "$REPO/build/xdplab-dpdkgen" ] && backends="$backends dpdk"
for b in $backends; do
	top=1000000
	[ "$b" = dpdk ] && top=250000
	sed -e "s/^\[run\]/[run]\nbackend = $b/" -e "s/^rates = .*/rates = 1000, 100000, $top/" \
		"$REPO/tests/configs/rate.ini" >"$OUT/rate-$b.ini"
	run_config "rate $b" "$OUT/rate-$b.ini" "$OUT/$b"
	PYTHONPATH=$REPO/tests /usr/bin/python3 - "$OUT/$b/latest/results.csv" "$b" "$top" <<'PY' || T_FAILED=1
import csv, sys
from cases import Case
rows = list(csv.DictReader(open(sys.argv[1])))
b = sys.argv[2]
with Case(f"rate {b}: three targets measured") as c:
    targets = sorted(float(r["target_pps"]) for r in rows)
    c.check(targets == [1000.0, 100000.0, float(sys.argv[3])], "targets", targets)
for r in rows:
    t, got = float(r["target_pps"]), float(r["offered_pps"])
    with Case(f"rate {b}: {t:.0f} pps held within 2%") as c:
        c.check(abs(got - t) <= 0.02 * t and r["valid"] == "1", "offered", f"{got:.1f} ({r['invalid_reason']})")
sys.exit(Case.failed)
PY
done
check "rate: machine clean" machine_clean
t_finish
