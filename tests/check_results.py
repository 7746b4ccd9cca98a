#!/usr/bin/python3
"""check_results.py - assertions on a results directory for the end-to-end test.

Prints PASS/FAIL lines (counted by tests/run_tests.sh); exits 1 on any failure.
Usage: check_results.py RESULTS_DIR EXPECTED_ROWS
"""
import csv
import json
import math
import os
import sys

failed = False


def check(ok, name, detail=""):
    global failed
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail))
    failed |= not ok


def num(row, col):
    v = row[col]
    return float(v) if v != "" else math.nan


def main():
    d, expected = sys.argv[1], int(sys.argv[2])
    with open(os.path.join(d, "results.csv")) as f:
        rows = list(csv.DictReader(f))
    cols = rows[0].keys() if rows else []
    for c in ("experiment", "system", "mode", "frame_size", "flows", "trial", "valid",
              "offered_pps", "dut_pps", "sink_pps", "loss_pct", "dut_cpu_pct", "ns_per_pkt"):
        check(c in cols, f"results.csv has column {c}")
    check(len(rows) == expected, "one row per trial per system", f"{len(rows)} rows, expected {expected}")
    for r in rows:
        tag = f"{r['experiment']}/{r['system']}/{r['mode']}"
        offered, dut, sink = int(r["offered_pkts"]), int(r["dut_pkts"]), r["sink_pkts"]
        ring = int(r["dut_rx_dropped"])
        check(r["valid"] == "1", f"{tag}: trial valid", r["invalid_reason"])
        check(num(r, "offered_pps") > 0 and num(r, "dut_pps") > 0, f"{tag}: rates > 0")
        check(0 < num(r, "dut_cpu_pct") <= 100.5, f"{tag}: DUT CPU share in (0, 100]", r["dut_cpu_pct"])
        check(num(r, "ns_per_pkt") > 0, f"{tag}: ns per packet measured", r["ns_per_pkt"])
        # The DUT's NAPI threads (and testpmd) were found and their run time read.
        check(num(r, "dut_task_ns_per_pkt") > 0, f"{tag}: DUT thread run time per packet measured",
              r.get("dut_task_ns_per_pkt", "missing"))
        # Every offered frame was processed by the DUT or dropped at its RX ring
        # (up to the frames in flight at the two edges of the interval).
        slack = max(2048, offered // 200)
        check(abs(offered - dut - ring) <= slack, f"{tag}: offered = DUT received + RX ring drops",
              f"offered {offered}, dut {dut}, ring drops {ring}")
        if sink != "":
            sink = int(sink)
            check(0 < sink <= dut + 2048, f"{tag}: 0 < delivered <= DUT received", f"sink {sink}, dut {dut}")
            loss = 100.0 * (offered - sink) / offered
            check(abs(loss - num(r, "loss_pct")) < 0.01, f"{tag}: loss_pct = offered - delivered")
        else:
            check(r["system"].startswith(("xdp-drop", "linux-raw", "linux-conntrack", "dpdk-rxonly")),
                  f"{tag}: no sink only for drop systems")
        tgt = num(r, "target_pps")
        if tgt > 0:
            check(abs(num(r, "offered_pps") - tgt) <= tgt * 0.02, f"{tag}: paced rate within 2% of target",
                  r["offered_pps"])
    with open(os.path.join(d, "context.json")) as f:
        ctx = json.load(f)
    for k in ("kernel", "cpu_model", "cpus_online", "git_commit", "command", "config", "testbed",
              "versions", "status"):
        check(k in ctx, f"context.json has {k}")
    check(ctx.get("status") == "complete", "context.json: run complete")
    check(ctx.get("bpf_stats_enabled") == "0", "bpf_stats was off during throughput trials")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
