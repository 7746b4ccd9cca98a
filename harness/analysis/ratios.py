#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""ratios.py - the paper's headline comparisons as per-trial ratios (ratios.csv).

Systems of one experiment are measured round-robin, so trial k of system A and
trial k of system B ran next to each other; a comparison is computed per such
pair (same trial number and frame_size/flows/cores/target_pps, both trials
valid) and reported as the median and spread of the per-pair values.  Pairs
across experiments (XDP_TX vs XDP_REDIRECT) or rates are still matched by
trial number but were not interleaved; the `pairing` column says which.

Bases (how one pair becomes a number):
  rate       throughput ratio num/den (Mpps as defined in resultsdir.py)
  cpu_cost   ns_per_pkt den/num: the throughput ratio one saturated core
             would give; fair when the generator caps the measured rate
  cpu_ns     ns_per_pkt num - den (a cost difference, ns)
  rate_ns    1e9/rate num - 1e9/rate den (the paper's method, ns)
  cpu_share  dut_cpu_pct num/den at the same offered load
  avg_latency  avg_ns num/den (latency.csv)
Paper values come from plots/paper_reference.csv through paper.SERIES.
"""
import math
from collections import namedtuple

import pandas as pd

from resultsdir import CONFIG_KEYS
from stats import SPREAD_FIELDS, spread

Side = namedtuple("Side", "experiment system mode")
RatioDef = namedtuple("RatioDef", "name what num den bases paper_x")

XDP_DROP = Side("drop", "xdp-drop", "native")

RATIOS = [
    RatioDef("drop_xdp_vs_linux", "XDP_DROP vs iptables raw drop", XDP_DROP,
             Side("drop", "linux-raw", "stack"), ["rate", "cpu_cost"], "cores"),
    RatioDef("drop_xdp_vs_conntrack", "XDP_DROP vs iptables drop with conntrack", XDP_DROP,
             Side("drop", "linux-conntrack", "stack"), ["rate", "cpu_cost"], "cores"),
    RatioDef("drop_dpdk_vs_xdp", "DPDK rxonly vs XDP_DROP", Side("drop", "dpdk-rxonly", "dpdk"),
             XDP_DROP, ["rate", "cpu_cost"], "cores"),
    RatioDef("drop_native_vs_generic", "XDP_DROP native vs generic (skb) mode", XDP_DROP,
             Side("drop", "xdp-drop", "generic"), ["rate", "cpu_cost"], "cores"),
    RatioDef("pass_overhead", "cost of an XDP_PASS program in front of the stack",
             Side("pass_overhead", "linux-raw+xdp-pass", "native"),
             Side("pass_overhead", "linux-raw", "stack"), ["cpu_ns", "rate_ns"], "cores"),
    RatioDef("cpu_xdp_vs_linux", "DUT CPU share, XDP_DROP vs iptables raw, same load",
             Side("cpu", "xdp-drop", "native"), Side("cpu", "linux-raw", "stack"),
             ["cpu_share"], "offered_mpps"),
    RatioDef("cpu_dpdk_vs_xdp", "DUT CPU share, DPDK vs XDP_DROP, same load",
             Side("cpu", "dpdk-rxonly", "dpdk"), Side("cpu", "xdp-drop", "native"),
             ["cpu_share"], "offered_mpps"),
    RatioDef("fwd_tx_vs_redirect", "XDP_TX vs XDP_REDIRECT", Side("tx", "xdp-tx", "native"),
             Side("redirect", "xdp-redirect", "native"), ["rate", "cpu_cost"], "cores"),
    RatioDef("fwd_dpdk_vs_xdp_tx", "DPDK macswap vs XDP_TX", Side("tx", "dpdk-macswap", "dpdk"),
             Side("tx", "xdp-tx", "native"), ["rate", "cpu_cost"], "cores"),
    RatioDef("fwd_dpdk_vs_xdp_redirect", "DPDK mac forwarding vs XDP_REDIRECT",
             Side("redirect", "dpdk-mac", "dpdk"), Side("redirect", "xdp-redirect", "native"),
             ["rate", "cpu_cost"], "cores"),
    RatioDef("fwd_xdp_redirect_vs_linux", "XDP_REDIRECT vs Linux ip_forward",
             Side("redirect", "xdp-redirect", "native"), Side("redirect", "linux-fwd", "stack"),
             ["rate", "cpu_cost"], "cores"),
]

# Paper latency table rates; ours are matched to the nearest measured rate
# within these factors (a VM may not be configured with exactly these).
LAT_LOW, LAT_HIGH = 100.0, 1e6
LAT_TOLERANCE = {LAT_LOW: 10.0, LAT_HIGH: 2.0}
LAT_XDP = Side("latency", "xdp-redirect", "native")
LAT_DPDK = Side("latency", "dpdk-macswap", "dpdk")

RATIO_COLUMNS = [
    "ratio", "what", "basis", "unit",
    "num_experiment", "num_system", "num_mode", "den_experiment", "den_system", "den_mode",
    "frame_size", "flows", "cores", "num_target_pps", "den_target_pps",
    "pairing", "n_pairs",
] + SPREAD_FIELDS + ["paper", "paper_source"]

UNITS = {"rate": "x", "cpu_cost": "x", "cpu_ns": "ns", "rate_ns": "ns",
         "cpu_share": "x", "avg_latency": "x"}


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


def _paper_value(paper, basis, num, den, x):
    """The paper's number for this comparison at x (cores or offered Mpps)."""
    metric = "cpu" if basis == "cpu_share" else None
    pn = paper.for_system(num.experiment, num.system, num.mode, x, metric)
    pd_ = paper.for_system(den.experiment, den.system, den.mode, x, metric)
    if basis in ("cpu_ns", "rate_ns"):
        return 1e9 / pn - 1e9 / pd_ if pn > 0 and pd_ > 0 else math.nan
    return pn / pd_ if pd_ > 0 else math.nan


def _paper_source(paper, side):
    s = paper.series_for(*side)
    return paper.source(*s) if s else ""


def _side_rows(df, side):
    m = (df["experiment"] == side.experiment) & (df["system"] == side.system) & \
        (df["mode"] == side.mode) & (df["valid"] == 1)
    return df[m]


def paired(trials, num, den):
    """Valid trials of two systems matched by trial number and configuration."""
    return _side_rows(trials, num).merge(_side_rows(trials, den), on=CONFIG_KEYS + ["trial"],
                                         suffixes=("_n", "_d"))


def _row(name, what, basis, side_n, side_d, ident, pairing, values, paper, paper_src):
    row = dict(ratio=name, what=what, basis=basis, unit=UNITS[basis],
               num_experiment=side_n.experiment, num_system=side_n.system,
               num_mode=side_n.mode, den_experiment=side_d.experiment,
               den_system=side_d.system, den_mode=side_d.mode,
               pairing=pairing, n_pairs=int(values.notna().sum()),
               paper=paper, paper_source=paper_src)
    row.update(ident)
    row.update(spread(values))
    return row


def trial_ratios(trials, paper):
    out = []
    for rdef in RATIOS:
        merged = paired(trials, rdef.num, rdef.den)
        pairing = "interleaved" if rdef.num.experiment == rdef.den.experiment \
            else "by trial number (not interleaved)"
        src = "; ".join(sorted({_paper_source(paper, rdef.num), _paper_source(paper, rdef.den)} - {""}))
        for key, g in merged.groupby(CONFIG_KEYS, sort=True):
            ident = dict(zip(CONFIG_KEYS, key))
            ident["num_target_pps"] = ident["den_target_pps"] = ident.pop("target_pps")
            x = ident["cores"] if rdef.paper_x == "cores" else ident["num_target_pps"] / 1e6
            for basis in rdef.bases:
                vals = pair_values(g, basis)
                out.append(_row(rdef.name, rdef.what, basis, rdef.num, rdef.den, ident, pairing, vals,
                                _paper_value(paper, basis, rdef.num, rdef.den, x), src))
    return out


def nearest_rate(available, want):
    """Our measured rate standing in for the paper's `want` pps, or None."""
    best = None
    for r in available:
        if r > 0 and max(r / want, want / r) <= LAT_TOLERANCE[want]:
            if best is None or abs(math.log(r / want)) < abs(math.log(best / want)):
                best = r
    return best


def _lat_pairs(lat, side_n, rate_n, side_d, rate_d):
    a = _side_rows(lat, side_n)
    b = _side_rows(lat, side_d)
    a, b = a[a["target_pps"] == rate_n], b[b["target_pps"] == rate_d]
    return pair_values(a.merge(b, on="trial", suffixes=("_n", "_d")), "avg_latency")


def latency_ratios(lat, paper):
    if lat is None or lat.empty:
        return []
    out = []
    ident = dict(frame_size=math.nan, flows=math.nan, cores=math.nan)

    def add(name, what, side_n, rate_n, want_n, side_d, rate_d, want_d, pairing):
        vals = _lat_pairs(lat, side_n, rate_n, side_d, rate_d)
        if vals.empty:
            return
        pn = paper.for_system(*side_n, want_n, "avg_us")
        pd_ = paper.for_system(*side_d, want_d, "avg_us")
        src = _paper_source(paper, side_n)
        out.append(_row(name, what, "avg_latency", side_n, side_d,
                        dict(ident, num_target_pps=rate_n, den_target_pps=rate_d),
                        pairing, vals, pn / pd_ if pd_ > 0 else math.nan, src))

    rates = sorted(set(lat["target_pps"].dropna()))
    low, high = nearest_rate(rates, LAT_LOW), nearest_rate(rates, LAT_HIGH)
    if low is not None and high is not None:
        add("lat_xdp_low_vs_high", "XDP_REDIRECT avg latency, low rate vs 1 Mpps",
            LAT_XDP, low, LAT_LOW, LAT_XDP, high, LAT_HIGH, "by trial number (not interleaved)")
    for rate, want in ((high, LAT_HIGH), (low, LAT_LOW)):
        if rate is not None:
            add(f"lat_dpdk_vs_xdp_{int(want)}pps", "DPDK vs XDP_REDIRECT avg latency",
                LAT_DPDK, rate, want, LAT_XDP, rate, want, "interleaved")
    return out


def compute(res, paper):
    rows = trial_ratios(res.trials, paper) + latency_ratios(res.latency, paper)
    return pd.DataFrame(rows, columns=RATIO_COLUMNS)


def pick(ratios, name, basis, **config):
    """Rows of one comparison and basis (all configurations), cores=1 first."""
    m = (ratios["ratio"] == name) & (ratios["basis"] == basis)
    for k, v in config.items():
        m &= ratios[k] == v
    rows = ratios[m]
    return rows.sort_values(["cores", "num_target_pps"]) if not rows.empty else rows
