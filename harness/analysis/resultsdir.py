#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""resultsdir.py - read one xdplab results directory into DataFrames.

The runner's files are a contract (docs/results-format.md): results.csv with
named columns (never read by position; columns added later are carried along),
context.json, and the optional latency.csv and latency_hist.csv.  This module
checks that contract once, turns it into typed frames and adds the derived
columns every later step uses: `rate_pps` (the experiment's throughput: frames
the DUT processed for drop experiments, frames delivered at the sink for
forwarding ones) and `mpps`.  Anything wrong with the input raises
ResultsError, which the command line maps to exit code 3.
"""
import json
import math
import os

import pandas as pd

RESULT_COLUMNS = [
    "experiment", "system", "mode", "frame_size", "flows", "cores", "trial",
    "valid", "invalid_reason", "target_pps", "offered_pps", "dut_pps",
    "sink_pps", "loss_pct", "dut_cpu_pct", "ns_per_pkt", "gen_cpu_pct",
    "steal_pct", "duration_s", "offered_pkts", "dut_pkts", "sink_pkts",
]
STRING_COLUMNS = ["experiment", "system", "mode", "invalid_reason"]

LATENCY_COLUMNS = [
    "experiment", "system", "mode", "target_pps", "trial", "count", "min_ns",
    "avg_ns", "p50_ns", "p90_ns", "p99_ns", "p999_ns", "max_ns",
    "share_under_10us", "sent", "received", "lost", "reordered",
]
HIST_COLUMNS = ["system", "mode", "target_pps", "trial", "bucket_lo_ns",
                "bucket_hi_ns", "count"]

# Which counter is an experiment's throughput.  Experiments not listed use the
# sink when they have one and the DUT otherwise.
RATE_COLUMN = {
    "drop": "dut_pps",
    "pass_overhead": "dut_pps",
    "cpu": "dut_pps",
    "tx": "sink_pps",
    "redirect": "sink_pps",
}

# Columns that identify one measured configuration of one system.
CONFIG_KEYS = ["frame_size", "flows", "cores", "target_pps"]
GROUP_KEYS = ["experiment", "system", "mode"] + CONFIG_KEYS


class ResultsError(Exception):
    """The results directory does not hold what the contract promises."""


class Results:
    """Everything the analysis knows about one run."""

    def __init__(self, path, trials, context, latency, hist):
        self.path = path
        self.trials = trials      # results.csv + rate_pps, mpps
        self.context = context    # dict from context.json ({} if absent)
        self.latency = latency    # latency.csv or None
        self.hist = hist          # latency_hist.csv or None

    @property
    def name(self):
        return os.path.basename(os.path.normpath(self.path))


def _read_csv(path, required, what):
    try:
        df = pd.read_csv(path, keep_default_na=True,
                         dtype={c: str for c in STRING_COLUMNS})
    except pd.errors.EmptyDataError:
        raise ResultsError(f"{what} is empty (no header): {path}")
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as e:
        raise ResultsError(f"cannot parse {path}: {str(e).splitlines()[0]}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise ResultsError(f"{what} lacks column(s) {', '.join(missing)}: {path}")
    return df


def _numeric(df, columns, path):
    for c in columns:
        conv = pd.to_numeric(df[c], errors="coerce")
        bad = conv.isna() & df[c].notna()
        if bad.any():
            row = int(bad.idxmax()) + 2  # header is line 1
            raise ResultsError(f"{path}:{row}: column {c} is not a number: {df[c][bad].iloc[0]!r}")
        df[c] = conv.astype(float)


def rate_column(experiment, rows):
    col = RATE_COLUMN.get(experiment)
    if col:
        return col
    return "sink_pps" if rows["sink_pps"].notna().any() else "dut_pps"


def load_trials(path):
    csv = os.path.join(path, "results.csv")
    df = _read_csv(csv, RESULT_COLUMNS, "results.csv")
    for c in STRING_COLUMNS:
        df[c] = df[c].fillna("")
    numeric = [c for c in RESULT_COLUMNS if c not in STRING_COLUMNS]
    _numeric(df, numeric, csv)
    if df[["experiment", "system", "trial", "valid"]].isna().any().any() or \
            (df["experiment"] == "").any() or (df["system"] == "").any():
        raise ResultsError(f"{csv}: a row lacks experiment, system, trial or valid")
    if not df["valid"].isin([0, 1]).all():
        raise ResultsError(f"{csv}: column valid must be 0 or 1")
    df["valid"] = df["valid"].astype(int)
    df["trial"] = df["trial"].astype(int)
    # Group keys must not be NaN or groupby drops the rows.
    for c in CONFIG_KEYS:
        df[c] = df[c].fillna(0.0)
    df["rate_pps"] = math.nan
    for exp, rows in df.groupby("experiment"):
        df.loc[rows.index, "rate_pps"] = rows[rate_column(exp, rows)]
    df["mpps"] = df["rate_pps"] / 1e6
    return df


def load_latency(path):
    lat_path = os.path.join(path, "latency.csv")
    hist_path = os.path.join(path, "latency_hist.csv")
    lat = hist = None
    if os.path.exists(lat_path):
        lat = _read_csv(lat_path, LATENCY_COLUMNS, "latency.csv")
        for c in ["experiment", "system", "mode"]:
            lat[c] = lat[c].fillna("")
        _numeric(lat, LATENCY_COLUMNS[3:], lat_path)
        if "valid" in lat.columns:  # not in the contract yet; honour it if it appears
            _numeric(lat, ["valid"], lat_path)
        else:
            lat["valid"] = 1
        lat["valid"] = lat["valid"].fillna(1).astype(int)
    if os.path.exists(hist_path):
        hist = _read_csv(hist_path, HIST_COLUMNS, "latency_hist.csv")
        for c in ["system", "mode"]:
            hist[c] = hist[c].fillna("")
        _numeric(hist, HIST_COLUMNS[2:], hist_path)
    return lat, hist


def load_context(path):
    ctx_path = os.path.join(path, "context.json")
    if not os.path.exists(ctx_path):
        return {}
    try:
        with open(ctx_path, encoding="utf-8") as f:
            ctx = json.load(f)
    except (OSError, ValueError) as e:
        raise ResultsError(f"cannot read {ctx_path}: {e}")
    if not isinstance(ctx, dict):
        raise ResultsError(f"{ctx_path}: expected a JSON object")
    return ctx


def load(path):
    if not os.path.isdir(path):
        raise ResultsError(f"not a directory: {path}")
    if not os.path.isfile(os.path.join(path, "results.csv")):
        raise ResultsError(f"no results.csv in {path}")
    trials = load_trials(path)
    lat, hist = load_latency(path)
    return Results(path, trials, load_context(path), lat, hist)
