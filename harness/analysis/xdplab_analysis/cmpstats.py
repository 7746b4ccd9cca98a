# SPDX-License-Identifier: GPL-2.0
"""cmpstats.py - the statistics of `xdplab compare`: the change of a metric
from base to new, in percent of base, with a 95% confidence interval, and the
verdict of that interval against a threshold.

Paired (one A/B run, trials interleaved): the change is the median of the
per-pair ratios new/base, minus 1; its CI is the percentile bootstrap of that
median (stats.bootstrap_ci: fixed seed, 10000 resamples), the analysis' one
interval.  Pairing removes the noise both sides of a pair saw.

Unpaired (a stored baseline against a new run): the Hodges-Lehmann estimate
of the shift of log values, with the distribution-free 95% CI of the
Mann-Whitney test.  With d_ij = ln(new_j) - ln(base_i) over all n*m pairs,
sorted, the estimate is their median and the CI is [d_(k), d_(nm+1-k)], k the
largest integer with P(U <= k-1) <= 2.5% under the null distribution of the
Mann-Whitney U (exact when both samples have fewer than 50 values, else the
normal approximation k = floor(nm/2 - 1.96 sqrt(nm(n+m+1)/12))); change =
exp(shift) - 1.  Chosen over a bootstrap of the ratio of medians because it
is deterministic (no seed), needs no assumption on the distribution of
either side (only that the change is a shift of ln values: a factor), has
an exact coverage that does not shrink with small samples, and can be
checked by hand.  Its price: with 3 values against 3 no 95% interval exists
(P(U = 0) = 1/20 > 2.5%); 4 against 4 is the smallest that gives one (the
full range of the d_ij, 97.1%).  Ties (equal values on both sides) make the
interval slightly conservative.

Deterministic metrics are one value per side: the change is exact, its
interval a point.  test_run_ns compares the fastest calls of the two sides
(interference on a shared machine only adds time), and its interval is the
new reading +- 1 ns, the kernel's resolution: (new_min -+ 1) / base_min - 1.
"""
import math

import numpy as np

from . import stats
from .cmpdefs import HIGHER, IMPROVED, INCONCLUSIVE, MIN_N, OK, REGRESSED

LEVEL = stats.LEVEL
EXACT_BELOW = 50   # exact Mann-Whitney distribution when both n and m are smaller
Z = stats.Z

PAIRED_METHOD = ("paired: median of per-pair ratios new/base - 1, " + stats.METHOD)
UNPAIRED_METHOD = ("unpaired: Hodges-Lehmann shift of ln values, distribution-free "
                   "Mann-Whitney 95% CI")
EXACT_METHOD = "deterministic: one value per side"
RANGE_METHOD = ("fastest of the BPF_PROG_TEST_RUN calls; interval: the new one +- 1 ns "
                "(whole ns per run)")


def _pct(ratio):
    return (ratio - 1.0) * 100.0


def positive(values):
    """Finite, positive values (a percentage change needs a positive base)."""
    v = np.asarray([x for x in values if x is not None], dtype=float)
    return v[np.isfinite(v) & (v > 0)]


class Change:
    """A change in percent of base, its interval, and how it was obtained."""

    def __init__(self, est, lo, hi, method, n=None, n_base=None, n_new=None, why=""):
        self.est, self.lo, self.hi = est, lo, hi
        self.method, self.n, self.n_base, self.n_new = method, n, n_base, n_new
        self.why = why  # set when there is no interval

    @property
    def has_ci(self):
        return not (math.isnan(self.lo) or math.isnan(self.hi))


def paired_change(base, new):
    """Change of paired values (base[i], new[i] from one pair)."""
    b, n = np.asarray(base, dtype=float), np.asarray(new, dtype=float)
    keep = np.isfinite(b) & np.isfinite(n) & (b > 0) & (n > 0)
    r = n[keep] / b[keep]
    k = len(r)
    if k == 0:
        return Change(math.nan, math.nan, math.nan, PAIRED_METHOD, n=0, why="no pairs")
    est = _pct(float(np.median(r)))
    if k < MIN_N:
        return Change(est, math.nan, math.nan, PAIRED_METHOD, n=k,
                      why=f"only {k} pair(s), {MIN_N} needed")
    lo, hi = stats.bootstrap_ci(r)
    return Change(est, _pct(lo), _pct(hi), PAIRED_METHOD, n=k)


def mann_whitney_counts(n, m):
    """Number of arrangements giving each U = 0..n*m (two samples of n and m, no
    ties): the coefficients of the Gaussian binomial [n+m choose n] in q, built
    as prod_{i=1..n} (1 - q^(m+i)) / (1 - q^i); every partial product is itself
    a polynomial, so each division is exact (integers throughout)."""
    size = n * m + 1
    poly = [1] + [0] * (size - 1)
    for i in range(1, n + 1):
        a = m + i
        for u in range(size - 1, a - 1, -1):  # times (1 - q^a)
            poly[u] -= poly[u - a]
        for u in range(i, size):               # divided by (1 - q^i)
            poly[u] += poly[u - i]
    return poly


def mw_rank(n, m, level=LEVEL):
    """k of the CI [d_(k), d_(nm+1-k)] (1-based), 0 if no such interval exists,
    and the interval's achieved confidence."""
    tail = (1.0 - level) / 2
    if n < EXACT_BELOW and m < EXACT_BELOW:
        counts = mann_whitney_counts(n, m)
        total = sum(counts)
        k, cum = 0, 0
        while k < len(counts) and (cum + counts[k]) / total <= tail:
            cum += counts[k]
            k += 1
        return k, (1.0 - 2.0 * cum / total) if k else math.nan
    nm = n * m
    k = max(0, math.floor(nm / 2 - Z * math.sqrt(nm * (n + m + 1) / 12.0)))
    return k, (level if k else math.nan)


def hodges_lehmann(x, y, level=LEVEL):
    """(estimate, low, high, achieved confidence) of the shift y - x: the median of
    all differences y_j - x_i and their order statistics k and nm+1-k."""
    d = np.sort(np.subtract.outer(np.asarray(y, dtype=float), np.asarray(x, dtype=float)).ravel())
    est = float(np.median(d))
    k, conf = mw_rank(len(x), len(y), level)
    if k == 0:
        return est, math.nan, math.nan, math.nan
    return est, float(d[k - 1]), float(d[len(d) - k]), conf


def unpaired_change(base, new):
    """Change of two independent samples: Hodges-Lehmann on ln values."""
    b, n = positive(base), positive(new)
    if len(b) == 0 or len(n) == 0:
        return Change(math.nan, math.nan, math.nan, UNPAIRED_METHOD, n_base=len(b),
                      n_new=len(n), why="no values on a side")
    est, lo, hi, _ = hodges_lehmann(np.log(b), np.log(n))
    c = Change(_pct(math.exp(est)), math.nan, math.nan, UNPAIRED_METHOD,
               n=min(len(b), len(n)), n_base=len(b), n_new=len(n))
    if min(len(b), len(n)) < MIN_N:
        c.why = f"only {len(b)} base and {len(n)} new value(s), {MIN_N} per side needed"
    elif math.isnan(lo):
        c.why = (f"{len(b)} against {len(n)} values give no distribution-free 95% "
                 f"interval (4 against 4 is the least)")
    else:
        c.lo, c.hi = _pct(math.exp(lo)), _pct(math.exp(hi))
    return c


def exact_change(base, new):
    """Change of one deterministic value per side; the interval is the point."""
    if base is None or new is None or math.isnan(base) or math.isnan(new):
        return Change(math.nan, math.nan, math.nan, EXACT_METHOD, n=1, why="no value on a side")
    if base == new:
        est = 0.0
    elif base <= 0:
        est = math.inf if new > base else -math.inf
    else:
        est = _pct(new / base)
    return Change(est, est, est, EXACT_METHOD, n=1)


def fastest_change(base, new, quantum=1.0):
    """Change of the fastest BPF_PROG_TEST_RUN call (ns per run) of each side;
    the interval is the new side's reading +- one quantum (the kernel reports
    whole ns per run)."""
    if any(v is None or not math.isfinite(v) or v <= 0 for v in (base, new)):
        return Change(math.nan, math.nan, math.nan, RANGE_METHOD, n=1,
                      why="no positive test-run time on a side")
    return Change(_pct(new / base), _pct(max(new - quantum, 0) / base),
                  _pct((new + quantum) / base), RANGE_METHOD, n=1)


def badness(change, better):
    """(estimate, low, high) turned so that positive = worse."""
    if better == HIGHER:
        return -change.est, -change.hi, -change.lo
    return change.est, change.lo, change.hi


def verdict(change, better, threshold):
    """The verdict of one metric, with b = the change turned so that positive is
    worse and [bl, bh] its CI:
      regressed     bl > T       (the whole CI beyond T on the bad side)
      improved      bh < -T      (the whole CI beyond T on the good side)
      ok            bh <= T      otherwise (no regression beyond T is possible;
                                 an improvement beyond T may be, not shown)
      inconclusive  bl <= T < bh (or no CI)."""
    if not change.has_ci:
        return INCONCLUSIVE
    _, bl, bh = badness(change, better)
    if bl > threshold:
        return REGRESSED
    if bh < -threshold:
        return IMPROVED
    if bh <= threshold:
        return OK
    return INCONCLUSIVE


def n_needed(change, better, threshold):
    """Trials (pairs, or values per side) for a CI that decides, from the observed
    spread: n_needed = ceil(n * (h / margin)^2), margin = |b - T|, the distance of
    the estimate from the threshold its CI straddles, h = the distance of the
    estimate to the CI's end on the far side of T (a CI's width shrinks as
    1/sqrt(n)).  None when there is no CI, no n, or the estimate is on T."""
    if not change.has_ci or not change.n or change.method in (EXACT_METHOD, RANGE_METHOD):
        return None
    b, bl, bh = badness(change, better)
    h, margin = (bh - b, threshold - b) if b <= threshold else (b - bl, b - threshold)
    if margin <= 0 or not math.isfinite(h):
        return None
    return max(change.n + 1, math.ceil(change.n * (h / margin) ** 2))
