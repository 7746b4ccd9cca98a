# SPDX-License-Identifier: GPL-2.0
"""paper.py - the paper's published numbers (plots/paper_reference.csv).

The reference file is a copy of the data behind the paper's figures and
tables, one value per row (experiment, series, x_name, x, metric, value,
unit, source).  Nothing here is typed in by hand: every paper value the
analysis quotes is looked up in that file, and claims.ini's [series] says
which of our (experiment, system, mode) stands for which paper series.
"""
import math

import pandas as pd

from . import PAPER_PATH
from .fmt import num, pps, rate


class Paper:
    def __init__(self, series=None, path=PAPER_PATH):
        self.path = path
        self.series = series or {}   # Side (no rate) -> PSeries, from claims.ini
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

    def unit(self, experiment, series, metric=None):
        rows = self.rows(experiment, series, metric)
        return rows["unit"].iloc[0] if not rows.empty else ""

    def x_name(self, experiment, series):
        rows = self.rows(experiment, series)
        return rows["x_name"].iloc[0] if not rows.empty else ""

    def series_for(self, experiment, system, mode):
        """The paper series (PSeries) our system stands for, or None."""
        for side, ps in self.series.items():
            if (side.experiment, side.system, side.mode) == (experiment, system, mode):
                return ps
        return None

    def sides_for(self, paper_experiment):
        """Our sides that stand for a series of one paper experiment, in file order."""
        return [(side, ps) for side, ps in self.series.items() if ps.experiment == paper_experiment]

    def for_side(self, side, x, metric=None):
        """Paper value of the series our side stands for, at x, or NaN."""
        ps = self.series_for(side.experiment, side.system, side.mode)
        return self.value(ps.experiment, ps.series, x, metric) if ps else math.nan

    # --- words ------------------------------------------------------------------------
    def value_text(self, experiment, series, x, metric=None):
        """'23.9 Mpps', '19.6%', '82 µs' for one paper value."""
        v = self.value(experiment, series, x, metric)
        return quantity(v, self.unit(experiment, series, metric))

    def at_text(self, experiment, series, x):
        return at_text(self.x_name(experiment, series), x)


def quantity(v, unit):
    if unit == "pps":
        return rate(v)
    if unit == "percent":
        return f"{num(v)}%"
    if unit == "us":
        return f"{num(v)} µs"
    return f"{num(v)} {unit.replace('_per_', '/').replace('_', ' ')}".rstrip()


def at_text(x_name, x):
    """Where a paper value sits: 'on 1 core', 'at 1 Mpps offered', 'at 100 pps'."""
    if x_name == "cores":
        return f"on {x:g} core" + ("s" if x != 1 else "")
    if x_name == "offered_mpps":
        return f"at {pps(x * 1e6)} offered"
    if x_name == "rate_pps":
        return f"at {pps(x)}"
    if x_name.endswith("_mpps"):
        return f"at {x:g} Mpps of {x_name[:-len('_mpps')].replace('_', ' ')}"
    return f"at {x_name.replace('_', ' ')} {x:g}"
