#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""paper.py - the paper's published numbers (plots/paper_reference.csv).

The reference file is a copy of the data behind the paper's figures and
tables, one value per row (experiment, series, x_name, x, metric, value,
unit, source).  Nothing here is typed in by hand: every paper value the
analysis quotes is looked up in that file, and SERIES maps xdplab's
(system, mode) pairs to the paper's series names.
"""
import math
import os

import pandas as pd

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
DEFAULT_PATH = os.path.join(REPO, "plots", "paper_reference.csv")

# (experiment here, system, mode) -> (paper experiment, paper series)
SERIES = {
    ("drop", "xdp-drop", "native"): ("fig3_drop", "XDP"),
    ("drop", "linux-raw", "stack"): ("fig3_drop", "Linux (raw)"),
    ("drop", "linux-conntrack", "stack"): ("fig3_drop", "Linux (conntrack)"),
    ("drop", "dpdk-rxonly", "dpdk"): ("fig3_drop", "DPDK"),
    ("pass_overhead", "linux-raw", "stack"): ("xdp_pass_overhead", "Linux raw drop"),
    ("pass_overhead", "linux-raw+xdp-pass", "native"):
        ("xdp_pass_overhead", "Linux raw drop + XDP_PASS"),
    ("cpu", "xdp-drop", "native"): ("fig4_cpu", "XDP"),
    ("cpu", "linux-raw", "stack"): ("fig4_cpu", "Linux"),
    ("cpu", "dpdk-rxonly", "dpdk"): ("fig4_cpu", "DPDK"),
    ("tx", "xdp-tx", "native"): ("fig5_forward", "XDP (same NIC)"),
    ("tx", "dpdk-macswap", "dpdk"): ("fig5_forward", "DPDK (different NIC)"),
    ("redirect", "xdp-redirect", "native"): ("fig5_forward", "XDP (different NIC)"),
    ("redirect", "linux-fwd", "stack"): ("fig5_forward", "Linux (ip_forward)"),
    ("redirect", "dpdk-mac", "dpdk"): ("fig5_forward", "DPDK (different NIC)"),
    ("latency", "xdp-redirect", "native"): ("table1_latency", "XDP"),
    ("latency", "dpdk-macswap", "dpdk"): ("table1_latency", "DPDK"),
}


class Paper:
    def __init__(self, path=DEFAULT_PATH):
        self.path = path
        self.df = pd.read_csv(path)
        self.df["x"] = pd.to_numeric(self.df["x"], errors="coerce")
        self.df["value"] = pd.to_numeric(self.df["value"], errors="coerce")

    def rows(self, experiment, series=None, metric=None):
        m = self.df["experiment"] == experiment
        if series is not None:
            m &= self.df["series"] == series
        if metric is not None:
            m &= self.df["metric"] == metric
        return self.df[m]

    def value(self, experiment, series, x, metric=None):
        rows = self.rows(experiment, series, metric)
        rows = rows[(rows["x"] - x).abs() <= 1e-9 * max(1.0, abs(x))]
        return float(rows["value"].iloc[0]) if not rows.empty else math.nan

    def source(self, experiment, series):
        rows = self.rows(experiment, series)
        return rows["source"].iloc[0] if not rows.empty else ""

    def series_for(self, experiment, system, mode):
        return SERIES.get((experiment, system, mode))

    def for_system(self, experiment, system, mode, x, metric=None):
        """Paper value of the series matching one of our systems, or NaN."""
        s = self.series_for(experiment, system, mode)
        return self.value(s[0], s[1], x, metric) if s else math.nan
