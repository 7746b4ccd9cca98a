#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""stats.py - the one definition of "median and spread" used everywhere.

Quantiles are numpy's default (linear interpolation between order
statistics), so with three trials a<b<c the IQR is [(a+b)/2, (b+c)/2].
NaN values are ignored; an empty input gives NaN for every statistic.
"""
import math

import pandas as pd

SPREAD_FIELDS = ["median", "p25", "p75", "min", "max"]


def spread(values):
    s = pd.Series(values, dtype=float).dropna()
    if s.empty:
        return {k: math.nan for k in SPREAD_FIELDS}
    return {
        "median": float(s.median()),
        "p25": float(s.quantile(0.25)),
        "p75": float(s.quantile(0.75)),
        "min": float(s.min()),
        "max": float(s.max()),
    }


def rank_correlation(x, y):
    """Spearman's rank correlation (average ranks for ties); NaN if undefined."""
    df = pd.DataFrame({"x": x, "y": y}).dropna()
    if len(df) < 2:
        return math.nan
    rx, ry = df["x"].rank(), df["y"].rank()
    if rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(rx.corr(ry))
