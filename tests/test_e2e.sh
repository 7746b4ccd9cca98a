#!/usr/bin/env bash
# test_e2e.sh - a short `xdplab run` of every experiment (2 s per system):
# rates > 0, counters consistent, paced rates on target, results.csv and
# context.json complete (tests/check_results.py), results/latest updated, and
# the machine clean afterwards.
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/lib.sh"

OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

t_case "e2e: every experiment runs and writes its results"
run_config e2e "$REPO/tests/configs/e2e.ini" "$OUT/res"
check "e2e: results/latest points at the run" test -f "$OUT/res/latest/results.csv"
check "e2e: summary table printed" grep -q "xdp-drop" "$OUT/res.stdout"
# 4 drop + 2 pass + 2 tx + 3 redirect + 2 paced systems, one trial each
t_case_end
/usr/bin/python3 "$REPO/tests/check_results.py" "$OUT/res/latest" 13 || T_FAILED=1
t_case "e2e: nothing left behind"
check "e2e: no partial results directory left" test -z "$(find "$OUT/res" -maxdepth 1 -name '.*partial*')"
check "e2e: machine clean (no XDP program, no xdplab namespace)" machine_clean
t_finish
