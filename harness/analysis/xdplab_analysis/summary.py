# SPDX-License-Identifier: GPL-2.0
"""summary.py - per-configuration summaries of the trials (summary.csv).

One row per (experiment, system, mode, frame_size, flows, cores, target_pps,
metric): how many trials there were (n), how many were valid (n_valid), and
median, p25, p75, min and max over the valid trials only, with the 95%
bootstrap CI of the median (stats.py).  Invalid trials are counted, never
averaged in.  Latency rows come from latency.csv (one row per trial there);
their frame_size/flows/cores are empty.
"""
import math

import pandas as pd

from .schema import GROUP_KEYS
from .stats import CI_FIELDS, SPREAD_FIELDS, bootstrap_ci, spread

# metric name -> (source column, scale, unit)
TRIAL_METRICS = {
    "mpps": ("rate_pps", 1e-6, "Mpps"),
    "offered_mpps": ("offered_pps", 1e-6, "Mpps"),
    "dut_mpps": ("dut_pps", 1e-6, "Mpps"),
    "sink_mpps": ("sink_pps", 1e-6, "Mpps"),
    "ns_per_pkt": ("ns_per_pkt", 1.0, "ns"),
    # Columns added after the first contract; skipped when absent.
    "task_ns_per_pkt": ("dut_task_ns_per_pkt", 1.0, "ns"),
    "dut_cpu_pct": ("dut_cpu_pct", 1.0, "%"),
    "loss_pct": ("loss_pct", 1.0, "%"),
    "gen_cpu_pct": ("gen_cpu_pct", 1.0, "%"),
    "steal_pct": ("steal_pct", 1.0, "%"),
    "rx_ring_drop_pct": ("rx_ring_drop_pct", 1.0, "%"),
    "rr_tps": ("rr_tps", 1.0, "1/s"),
}

LATENCY_METRICS = {
    "avg_us": ("avg_ns", 1e-3, "us"),
    "min_us": ("min_ns", 1e-3, "us"),
    "p50_us": ("p50_ns", 1e-3, "us"),
    "p90_us": ("p90_ns", 1e-3, "us"),
    "p99_us": ("p99_ns", 1e-3, "us"),
    "p999_us": ("p999_ns", 1e-3, "us"),
    "max_us": ("max_ns", 1e-3, "us"),
    "under10us_pct": ("share_under_10us", 100.0, "%"),
    "lost_pct": ("lost_pct", 1.0, "%"),
    "reordered": ("reordered", 1.0, "frames"),
}

SUMMARY_COLUMNS = GROUP_KEYS + ["metric", "unit", "n", "n_valid"] + SPREAD_FIELDS + CI_FIELDS


def _rows(groups, keys, metrics):
    out = []
    for key, g in groups:
        ident = dict(zip(keys, key if isinstance(key, tuple) else (key,)))
        valid = g[g["valid"] == 1]
        for metric, (col, scale, unit) in metrics.items():
            if col not in g.columns or g[col].isna().all():
                continue  # e.g. sink_mpps where nothing is delivered to a sink
            row = dict(ident, metric=metric, unit=unit, n=len(g), n_valid=len(valid))
            row.update(spread(valid[col] * scale))
            row["ci_low"], row["ci_high"] = bootstrap_ci(valid[col] * scale)
            out.append(row)
    return out


def trial_summary(trials):
    trials = trials.copy()
    trials["rx_ring_drop_pct"] = math.nan
    if "dut_rx_dropped" in trials.columns:
        offered = trials["offered_pkts"].where(trials["offered_pkts"] > 0)
        trials["rx_ring_drop_pct"] = 100.0 * pd.to_numeric(trials["dut_rx_dropped"],
                                                           errors="coerce") / offered
    return _rows(trials.groupby(GROUP_KEYS, sort=False), GROUP_KEYS, TRIAL_METRICS)


def latency_summary(lat):
    lat = lat.copy()
    lat["lost_pct"] = 100.0 * lat["lost"] / lat["sent"].where(lat["sent"] > 0)
    keys = ["experiment", "system", "mode", "target_pps"]
    rows = _rows(lat.groupby(keys, sort=False), keys, LATENCY_METRICS)
    for r in rows:
        r.update(frame_size=math.nan, flows=math.nan, cores=math.nan)
    return rows


def summarize(res):
    rows = trial_summary(res.trials)
    if res.latency is not None:
        rows += latency_summary(res.latency)
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def pick(summary, experiment, system, mode, metric, **config):
    """The summary row for one system and metric (first match), or None."""
    m = (summary["experiment"] == experiment) & (summary["system"] == system) & \
        (summary["mode"] == mode) & (summary["metric"] == metric)
    for k, v in config.items():
        m &= summary[k] == v
    rows = summary[m]
    return None if rows.empty else rows.iloc[0]
