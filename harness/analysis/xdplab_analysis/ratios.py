# SPDX-License-Identifier: GPL-2.0
"""ratios.py - the paper's comparisons as per-trial-pair values (ratios.csv).

Which comparisons exist is data ([comparison] sections of claims.ini).
Systems of one experiment are measured round-robin, so trial k of system A
and trial k of system B ran next to each other; a comparison is computed per
such pair (same trial number and frame_size/flows/cores/target_pps, both
trials valid; paced pairs also with offered loads within equal_load_pct of
each other, the rest counted in n_unequal_load) and reported as the median and spread of the per-pair values,
their standard deviation and the 95% bootstrap CI of the median (stats.py).
Pairs across experiments or rates are still matched by trial number but
were not interleaved; the `pairing` column says which.  A side written
"@ RATE" uses the measured target rate that stands for the paper's RATE.

Bases (how one pair becomes a number):
  rate       throughput ratio num/den (each system's throughput column)
  cpu_cost   ns_per_pkt den/num: the throughput ratio one saturated core
             would give; fair when the generator caps the measured rate
  cpu_ns     ns_per_pkt num - den (a cost difference, ns)
  rate_ns    1e9/rate num - 1e9/rate den (the paper's method, ns)
  cpu_share  dut_cpu_pct num/den at the same offered load
  avg_latency  avg_ns num/den (latency.csv)
"""
import math

import pandas as pd

from .schema import CONFIG_KEYS
from .stats import SPREAD_FIELDS, ci, spread, stdev

RATIO_COLUMNS = [
    "ratio", "what", "basis", "unit",
    "num_experiment", "num_system", "num_mode", "den_experiment", "den_system", "den_mode",
    "frame_size", "flows", "cores", "num_target_pps", "den_target_pps",
    "pairing", "n_pairs",
] + SPREAD_FIELDS + ["paper", "paper_source", "sd", "ci_low", "ci_high", "ci_method",
                     "n_unequal_load"]

UNITS = {"rate": "x", "cpu_cost": "x", "cpu_ns": "ns", "rate_ns": "ns",
         "cpu_share": "x", "avg_latency": "x"}
INTERLEAVED = "interleaved"
NOT_INTERLEAVED = "by trial number (not interleaved)"


def pair_values(m, basis):
    """One basis for merged pairs (columns suffixed _n and _d), as a Series."""
    def c(col, side):
        return m[f"{col}_{side}"]
    if basis == "rate":
        v = c("rate_pps", "n") / c("rate_pps", "d")
    elif basis == "cpu_cost":
        v = c("ns_per_pkt", "d") / c("ns_per_pkt", "n")
    elif basis == "cpu_ns":
        v = c("ns_per_pkt", "n") - c("ns_per_pkt", "d")
    elif basis == "rate_ns":
        v = 1e9 / c("rate_pps", "n") - 1e9 / c("rate_pps", "d")
    elif basis == "cpu_share":
        v = c("dut_cpu_pct", "n") / c("dut_cpu_pct", "d")
    elif basis == "avg_latency":
        v = c("avg_ns", "n") / c("avg_ns", "d")
    else:
        raise ValueError(basis)
    return pd.Series(v.values, dtype=float)


def nearest_rate(available, want, tolerance):
    """Our measured rate standing in for the paper's `want` pps, or None.
    tolerance: paper rate -> factor (claims.ini rate_tolerance); rates the
    paper file does not list must match exactly."""
    factor = tolerance.get(want, 1.0)
    best = None
    for r in available:
        if r > 0 and max(r / want, want / r) <= factor * (1 + 1e-12):
            if best is None or abs(math.log(r / want)) < abs(math.log(best / want)):
                best = r
    return best


def side_rows(df, side, tolerance):
    """Valid rows of one side; with '@ RATE', only the rate standing for it."""
    m = (df["experiment"] == side.experiment) & (df["system"] == side.system) & \
        (df["mode"] == side.mode) & (df["valid"] == 1)
    rows = df[m]
    if side.rate is not None:
        r = nearest_rate(sorted(set(rows["target_pps"].dropna())), side.rate, tolerance)
        rows = rows[rows["target_pps"] == r] if r is not None else rows.iloc[0:0]
    return rows


def paired(df, num, den, tolerance=None):
    """Valid trials of two sides matched by trial number and configuration."""
    tolerance = tolerance or {}
    keys = [k for k in CONFIG_KEYS if k in df.columns]
    if num.rate is not None or den.rate is not None:
        keys = [k for k in keys if k != "target_pps"]
    a, b = side_rows(df, num, tolerance), side_rows(df, den, tolerance)
    m = a.merge(b, on=keys + ["trial"], suffixes=("_n", "_d"))
    if "target_pps" in keys:  # one column for both sides, as when the rates differ
        m["target_pps_n"] = m["target_pps_d"] = m["target_pps"]
    return m, [k for k in keys if k != "target_pps"]


def paper_value(paper, comp, ident):
    """The paper's number for this comparison where ours was measured."""
    def x(side):
        if comp.paper_x == "cores":
            return ident["cores"]
        if comp.paper_x == "load":
            return ident["num_target_pps"] / 1e6
        return side.rate
    pn = paper.for_side(comp.num, x(comp.num), comp.paper_metric)
    pd_ = paper.for_side(comp.den, x(comp.den), comp.paper_metric)
    if comp.paper_value == "ns_difference":
        return 1e9 / pn - 1e9 / pd_ if pn > 0 and pd_ > 0 else math.nan
    return pn / pd_ if pd_ > 0 else math.nan


def paper_source(paper, comp):
    srcs = set()
    for side in (comp.num, comp.den):
        ps = paper.series_for(side.experiment, side.system, side.mode)
        if ps:
            srcs.add(paper.source(*ps))
    return "; ".join(sorted(srcs - {""}))


def equal_load(merged, pct):
    """Mask of the pairs that may be compared: unpaced pairs (target 0: the run
    did not set the load), paced pairs whose offered loads are within pct%, and
    paced pairs where both systems saturated (each was offered more than it
    took: on veth the generator slows down when the DUT's ring is full), and
    paced pairs where the system offered less is the one that saturated: it
    was above its capacity at either load (the generator, which pays for the
    frames a full ring rejects, fell short beside it), while the other one had
    the load asked for."""
    if "offered_pps_n" not in merged or "offered_pps_d" not in merged:
        return pd.Series(True, index=merged.index)
    on, od = merged["offered_pps_n"], merged["offered_pps_d"]
    paced = (merged["target_pps_n"] > 0) & (merged["target_pps_d"] > 0)
    close = (on - od).abs() <= pct / 100 * pd.concat([on, od], axis=1).max(axis=1)
    both_saturated = lower_saturated = pd.Series(False, index=merged.index)
    if "status_n" in merged and "status_d" in merged:
        sat_n, sat_d = merged["status_n"] == "saturated", merged["status_d"] == "saturated"
        both_saturated = sat_n & sat_d
        lower_saturated = ((on < od) & sat_n) | ((od < on) & sat_d)
    return ~paced | close | both_saturated | lower_saturated


def comparison_rows(res, comp, paper, tolerance, equal_load_pct=2.0):
    df = res.latency if comp.latency else res.trials
    if df is None or df.empty:
        return []
    merged, group_keys = paired(df, comp.num, comp.den, tolerance)
    if merged.empty:
        return []
    keep = equal_load(merged, equal_load_pct)
    unequal = merged[~keep].groupby(group_keys + ["target_pps_n", "target_pps_d"]).size()
    merged = merged[keep]
    if merged.empty:
        return []
    same_rate = comp.num.rate == comp.den.rate
    pairing = INTERLEAVED if comp.num.experiment == comp.den.experiment and same_rate \
        else NOT_INTERLEAVED
    src = paper_source(paper, comp)
    out = []
    for key, g in merged.groupby(group_keys + ["target_pps_n", "target_pps_d"], sort=True):
        key = key if isinstance(key, tuple) else (key,)
        ident = {k: math.nan for k in CONFIG_KEYS if k != "target_pps"}
        ident.update(zip(group_keys, key))
        ident["num_target_pps"], ident["den_target_pps"] = key[-2], key[-1]
        p = paper_value(paper, comp, ident)
        for basis in comp.bases:
            vals = pair_values(g, basis)
            row = dict(ratio=comp.name, what=comp.what or f"{comp.num.system} vs {comp.den.system}",
                       basis=basis, unit=UNITS[basis],
                       num_experiment=comp.num.experiment, num_system=comp.num.system,
                       num_mode=comp.num.mode, den_experiment=comp.den.experiment,
                       den_system=comp.den.system, den_mode=comp.den.mode,
                       pairing=pairing, n_pairs=int(vals.notna().sum()),
                       n_unequal_load=int(unequal.get(key, 0)),
                       paper=p, paper_source=src, sd=stdev(vals))
            row.update(ident)
            row.update(spread(vals))
            row.update(ci(vals))
            out.append(row)
    return out


def compute(res, conf, paper):
    rows = []
    for comp in conf.comparisons.values():
        rows += comparison_rows(res, comp, paper, conf.rules.rate_tolerance,
                                conf.rules.equal_load_pct)
    return pd.DataFrame(rows, columns=RATIO_COLUMNS)


def pick(ratios, name, basis, **config):
    """Rows of one comparison and basis (all configurations), fewest cores first."""
    m = (ratios["ratio"] == name) & (ratios["basis"] == basis)
    for k, v in config.items():
        m &= ratios[k] == v
    rows = ratios[m]
    return rows.sort_values(["cores", "num_target_pps"]) if not rows.empty else rows
