# SPDX-License-Identifier: GPL-2.0
"""stats.py - the one definition of "median and spread", and of the confidence
interval, used everywhere.

Quantiles are numpy's default (linear interpolation between order
statistics), so with three trials a<b<c the IQR is [(a+b)/2, (b+c)/2].
NaN values are ignored; an empty input gives NaN for every statistic.

Confidence intervals are percentile bootstraps of the median: the n values
(per-trial-pair ratios or differences, or per-trial values) are resampled
with replacement RESAMPLES times, the median of each resample is taken, and
the CI is the central LEVEL share of those medians.  The random generator is
seeded with SEED for every interval, so the same data always give the same
interval and a report can be regenerated exactly.  The bootstrap never
reaches beyond the observed values: with 3 pairs the 95% CI of the median is
their min-max range, which is honest about how little 3 pairs say.  Fewer
than MIN_N values give no interval.
"""
import math

import numpy as np
import pandas as pd

SPREAD_FIELDS = ["median", "p25", "p75", "min", "max"]
CI_FIELDS = ["ci_low", "ci_high"]

LEVEL = 0.95
RESAMPLES = 10000
SEED = 20181204        # the paper's conference date; any fixed value would do
MIN_N = 2
METHOD = (f"percentile bootstrap of the median, {RESAMPLES} resamples, seed {SEED}, "
          f"{LEVEL:.0%}")
NO_CI = f"none (fewer than {MIN_N} values)"
Z = 1.959964           # two-sided 95% normal quantile
MEDIAN_SE = math.sqrt(math.pi / 2)  # SE(median) / SE(mean) for normal data


def _clean(values):
    return pd.Series(values, dtype=float).dropna()


def spread(values):
    s = _clean(values)
    if s.empty:
        return {k: math.nan for k in SPREAD_FIELDS}
    return {
        "median": float(s.median()),
        "p25": float(s.quantile(0.25)),
        "p75": float(s.quantile(0.75)),
        "min": float(s.min()),
        "max": float(s.max()),
    }


def bootstrap_ci(values, level=LEVEL, resamples=RESAMPLES, seed=SEED):
    """(low, high) of the percentile-bootstrap CI of the median, NaN if < MIN_N values."""
    v = _clean(values).to_numpy()
    if len(v) < MIN_N:
        return math.nan, math.nan
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(v), size=(resamples, len(v)))
    medians = np.median(v[idx], axis=1)
    tail = (1.0 - level) / 2 * 100
    lo, hi = np.percentile(medians, [tail, 100 - tail])
    return float(lo), float(hi)


def ci(values):
    """{ci_low, ci_high, ci_method} for a table row."""
    lo, hi = bootstrap_ci(values)
    return {"ci_low": lo, "ci_high": hi, "ci_method": NO_CI if math.isnan(lo) else METHOD}


def stdev(values):
    """Sample standard deviation (n-1), NaN below two values."""
    s = _clean(values)
    return float(s.std(ddof=1)) if len(s) >= 2 else math.nan


def pairs_needed(sd, halfwidth):
    """Pairs for a 95% CI of the median of about +-halfwidth, given the per-pair
    standard deviation (normal approximation: SE(median) = 1.2533 sd / sqrt(n))."""
    if math.isnan(sd) or halfwidth <= 0:
        return math.nan
    return max(MIN_N, math.ceil((Z * MEDIAN_SE * sd / halfwidth) ** 2))


def rank_correlation(x, y):
    """Spearman's rank correlation (average ranks for ties); NaN if undefined."""
    df = pd.DataFrame({"x": x, "y": y}).dropna()
    if len(df) < 2:
        return math.nan
    rx, ry = df["x"].rank(), df["y"].rank()
    if rx.std() == 0 or ry.std() == 0:
        return math.nan
    return float(rx.corr(ry))
