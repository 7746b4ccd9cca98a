# SPDX-License-Identifier: GPL-2.0
"""knee.py - where a workload's rate collapses under a rising attack (Fig. 7).

An attack sweep measures a metric (e.g. rr_tps, TCP transactions/s) of one
system at stepped attack rates; target_pps 0 is the point without an attack.
Each point's x is the median measured offered rate of its valid trials in
Mpps (the generator may fall short of the target), y the median of the
metric; the no-attack point sits at x = 0.  The knee is the lowest attack
rate at which y falls below `pct` percent of the no-attack y, linearly
interpolated between that point and the one before it (points in the order
of their target rates).  A curve that never falls below the threshold has a
censored knee: a lower bound "> the highest attack measured".

Confidence intervals are bootstraps over the trials (stats.py's RESAMPLES
and SEED): each resample draws every point's valid trials with replacement
(x and y of one trial stay together), takes the medians and computes the
knee.  A point with fewer than stats.MIN_N valid trials gives no interval.
A censored knee is only bounded below, so every resample contributes its
smallest possible value to the lower end of an interval and its largest to
the upper end: a censored knee counts as its bound below and +inf above;
the ratio of two knees (num / den) counts, when num is censored, as
bound/den below and +inf above, when den is censored as 0 below and
num/bound above, when both are (or a knee is undefined) as 0 and +inf.  The
interval is the lower LEVEL tail of the low values and the upper tail of the
high ones, so an end that stays open shows as 0 or inf.
"""
import math
from collections import namedtuple

import numpy as np

from .stats import LEVEL, MIN_N, RESAMPLES, SEED

NO_ATTACK = 0.0          # target_pps of the point without an attack (contract of kind rr)
X_COLUMN = "offered_pps"  # the attack rate actually sent
HUGE = 1e300              # stands for +inf inside np.percentile

Point = namedtuple("Point", "target x y n_valid n xs ys")
Knee = namedtuple("Knee", "value censored bound base threshold")  # value NaN if undefined


def side_points(rows, metric):
    """The points of one system's sweep: [Point] in target order, the no-attack first.
    rows: results rows of one (experiment, system, mode) and configuration, all trials."""
    out = []
    if metric not in rows.columns:
        return out
    for target, g in rows.groupby("target_pps", sort=True):
        v = g[(g["valid"] == 1) & g[metric].notna()]
        xs = np.zeros(len(v)) if target == NO_ATTACK else v[X_COLUMN].to_numpy(float) / 1e6
        ys = v[metric].to_numpy(float)
        x = float(np.median(xs)) if len(v) else math.nan
        y = float(np.median(ys)) if len(v) else math.nan
        out.append(Point(float(target), x, y, len(v), len(g), xs, ys))
    return out


def sweep(trials, side, metric):
    """(points, config) of one side: its rows of one configuration (the smallest
    cores, frame size and flow count with a valid trial), as side_points()."""
    rows = trials[(trials["experiment"] == side.experiment) & (trials["system"] == side.system) &
                  (trials["mode"] == side.mode)]
    valid = rows[rows["valid"] == 1]
    if valid.empty:
        return [], {}
    cfg = {k: valid[k].min() for k in ("cores", "frame_size", "flows")}
    for k, v in cfg.items():
        rows = rows[rows[k] == v]
    return side_points(rows, metric), cfg


def paper_points(paper, ps, metric):
    """A paper curve (PSeries) as points: x = its attack rate, y = the metric."""
    rows = paper.rows(ps.experiment, ps.series, metric).sort_values("x")
    return [Point(float(x) * 1e6, float(x), float(y), 1, 1, np.array([x]), np.array([y]))
            for x, y in zip(rows["x"], rows["value"])]


def knee_of(xs, ys, pct):
    """Knee of one curve: xs, ys in sweep order with the no-attack point first (x 0)."""
    if len(xs) < 2 or math.isnan(ys[0]) or ys[0] <= 0:
        return Knee(math.nan, False, math.nan, ys[0] if len(ys) else math.nan, math.nan)
    base = ys[0]
    t = pct / 100.0 * base
    for i in range(1, len(xs)):
        if ys[i] < t:
            x0, y0, x1, y1 = xs[i - 1], ys[i - 1], xs[i], ys[i]
            return Knee(x0 + (x1 - x0) * (y0 - t) / (y0 - y1), False, math.nan, base, t)
    return Knee(math.nan, True, max(xs[1:]), base, t)


def curve_knee(points, pct):
    """The knee of the medians; NaN if there is no no-attack point or no attack point."""
    pts = [p for p in points if p.n_valid > 0]
    if not pts or pts[0].target != NO_ATTACK:
        return Knee(math.nan, False, math.nan, math.nan, math.nan)
    return knee_of([p.x for p in pts], [p.y for p in pts], pct)


def _resample_knees(points, pct, rng, resamples):
    """(knees, bounds, censored) arrays of one curve over the bootstrap resamples, or
    None when a point has fewer than MIN_N valid trials."""
    pts = [p for p in points if p.n_valid > 0]
    if len(pts) < 2 or pts[0].target != NO_ATTACK or min(p.n_valid for p in pts) < MIN_N:
        return None
    mx = np.empty((resamples, len(pts)))
    my = np.empty((resamples, len(pts)))
    for j, p in enumerate(pts):
        idx = rng.integers(0, p.n_valid, size=(resamples, p.n_valid))
        mx[:, j] = np.median(p.xs[idx], axis=1)
        my[:, j] = np.median(p.ys[idx], axis=1)
    out = np.full((3, resamples), np.nan)
    for r in range(resamples):
        k = knee_of(mx[r], my[r], pct)
        out[:, r] = k.value, k.bound, k.censored
    return out[0], out[1], out[2] == 1


def _interval(low, high):
    """(lo, hi): the lower tail of `low`, the upper tail of `high`; inf = open."""
    tail = (1.0 - LEVEL) / 2 * 100
    lo = float(np.percentile(np.minimum(low, HUGE), tail))
    hi = float(np.percentile(np.minimum(high, HUGE), 100 - tail))
    return (math.inf if lo >= HUGE / 10 else lo), (math.inf if hi >= HUGE / 10 else hi)


Bootstrap = namedtuple("Bootstrap", "num_ci den_ci ratio_ci")  # (lo, hi) each; hi inf = open


def bootstrap(num_points, den_points, pct, resamples=RESAMPLES, seed=SEED):
    """95% CIs of both knees and of their ratio (NaN pairs where there is none).
    A censored knee counts as its bound for the lower end and as +inf for the upper
    end; the ratio per resample likewise takes its smallest possible value for the
    lower end (num censored: bound / den knee; den censored or both: 0) and its
    largest for the upper end (den censored: num knee / bound; num censored: inf)."""
    nan = (math.nan, math.nan)
    rng = np.random.default_rng(seed)
    a = _resample_knees(num_points, pct, rng, resamples)
    b = _resample_knees(den_points, pct, rng, resamples)

    def knee_ci(kbc):
        if kbc is None:
            return nan
        k, bound, cens = kbc
        return _interval(np.where(cens, bound, np.where(np.isnan(k), 0.0, k)),
                         np.where(cens | np.isnan(k), np.inf, k))
    if a is None or b is None:
        return Bootstrap(knee_ci(a), knee_ci(b), nan)
    (kn, bn, cn), (kd, bd, cd) = a, b
    en, ed = ~cn & ~np.isnan(kn), ~cd & ~np.isnan(kd)   # exact knees
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(en & ed, kn / kd, np.where(cn & ed, bn / kd, 0.0))
        high = np.where(en & ed, kn / kd, np.where(en & cd, kn / bd, np.inf))
    return Bootstrap(knee_ci(a), knee_ci(b), _interval(np.nan_to_num(low, nan=0.0),
                                                       np.nan_to_num(high, nan=np.inf)))


def ratio_of(kn, kd):
    """(value, kind) of num / den knees: kind exact, at-least, at-most or unknown."""
    if math.isnan(kn.value) and not kn.censored or math.isnan(kd.value) and not kd.censored:
        return math.nan, "unknown"
    if kn.censored and kd.censored or not kd.censored and kd.value <= 0:
        return math.nan, "unknown"
    if kn.censored:
        return kn.bound / kd.value, "at-least"
    if kd.censored:
        return kn.value / kd.bound, "at-most"
    return kn.value / kd.value, "exact"
