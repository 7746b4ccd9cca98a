#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""claims.py - each of the paper's claims, set against this run, with a verdict.

A claim is a function that reads summary.csv, ratios.csv and the paper
reference and returns one Verdict: what the paper says, what this run
measured (value and spread), and one of the VERDICTS with the reason.  The
rules are the constants below and are printed in the report (RULES), so a
reader can re-derive every verdict from the tables.
"""
import math
from collections import namedtuple

from fmt import num, pps
from ratios import LAT_HIGH, LAT_LOW, nearest_rate, pick as pick_ratio
from stats import rank_correlation
from summary import pick as pick_summary

FACTOR = 2.0          # magnitude: within this factor of the paper's value
CAPPED_LOSS_PCT = 1.0  # both systems below this loss: the generator set the rate
SCALES_RHO = 0.8      # rank correlation of CPU share with offered load
MIN_LOADS = 3
BUSY_PCT = 95.0       # "always 100%"
MAJORITY_PCT = 50.0   # latency: most vs few frames under 10 us

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
NOT_APPLICABLE = "not applicable here"
NOT_MEASURED = "not measured in this run"
VERDICTS = [REPRODUCED, NOT_REPRODUCED, NOT_APPLICABLE, NOT_MEASURED]

RULES = [
    f"**Ratio claims** (throughput, CPU cost, CPU share, latency ratios): reproduced when "
    f"the median of the per-trial ratios is within a factor {FACTOR:g} of the paper's ratio "
    f"and the whole IQR of the per-trial ratios lies on the paper's side of 1 (same direction).",
    "**Throughput ratios between XDP and the Linux stack** are judged on the CPU-cost ratio "
    "(ns_per_pkt of the slower system / ns_per_pkt of the faster), which equals the paper's "
    "one-core throughput ratio when the DUT core is saturated and stays meaningful when the "
    "generator caps the rate. The Mpps ratio is shown beside it.",
    f"**Comparisons with DPDK** use the Mpps ratio, because DPDK busy-polls (its ns_per_pkt "
    f"counts idle polling). When both systems lost under {CAPPED_LOSS_PCT:g}% of the offered "
    f"frames the generator set both rates and the claim is not applicable here.",
    f"**The XDP_PASS cost** (a difference in ns) is reproduced when the median difference of "
    f"ns_per_pkt is within a factor {FACTOR:g} of the paper's and the IQR lies above 0.",
    f"**CPU scales with load**: Spearman rank correlation of the median DUT CPU share with the "
    f"offered load of at least {SCALES_RHO:g} over at least {MIN_LOADS} load levels. "
    f"**Always 100%**: median CPU share of at least {BUSY_PCT:g}% at every load level.",
    f"**Latency values**: average within a factor {FACTOR:g} of the paper's, and the share of "
    f"frames under 10 µs on the same side of {MAJORITY_PCT:g}% as the paper's.",
    "Absolute Mpps are never judged: they belong to the hardware (one vCPU per role, veth, "
    "no NIC).",
]

NOTHING = "nothing measured"

Verdict = namedtuple("Verdict", "id title paper here verdict because")


def spread_text(row, unit=""):
    return f"IQR {num(row['p25'])}–{num(row['p75'])}{unit}, min–max {num(row['min'])}–" \
           f"{num(row['max'])}{unit}"


def _valid_text(row):
    return f"{int(row['n_valid'])}/{int(row['n'])} valid"


class Context:
    """What every claim needs: the two tables and the paper reference."""

    def __init__(self, summary, ratios, paper):
        self.s, self.r, self.p = summary, ratios, paper

    def ratio(self, name, basis, **config):
        rows = pick_ratio(self.r, name, basis, **config)
        rows = rows[rows["n_pairs"] > 0] if not rows.empty else rows
        return None if rows.empty else rows.iloc[0]

    def metric(self, ratio_row, side, metric):
        """Summary row of the numerator or denominator system of a ratio row."""
        cfg = {k: ratio_row[k] for k in ("frame_size", "flows", "cores")
               if not math.isnan(ratio_row[k])}
        return pick_summary(self.s, ratio_row[f"{side}_experiment"], ratio_row[f"{side}_system"],
                            ratio_row[f"{side}_mode"], metric,
                            target_pps=ratio_row[f"{side}_target_pps"], **cfg)

    def rate_text(self, rr, side):
        m = self.metric(rr, side, "mpps")
        if m is None:
            return "n/a"
        return f"{rr[side + '_system']} {rr[side + '_mode']} {num(m['median'])} Mpps " \
               f"({_valid_text(m)})"

    def loss(self, rr, side):
        m = self.metric(rr, side, "loss_pct")
        return m["median"] if m is not None else math.nan


def judge_ratio(here_row, paper, what="ratio"):
    """(verdict, reason) for a median-of-ratios row against the paper's ratio."""
    here, lo, hi = here_row["median"], here_row["p25"], here_row["p75"]
    if math.isnan(here):
        return NOT_MEASURED, "no valid trial pairs"
    if math.isnan(paper):
        return NOT_APPLICABLE, "the paper has no value for this configuration"
    off = max(here / paper, paper / here) if here > 0 else math.inf
    same_side = (lo > 1 and hi > 1) if paper > 1 else (lo < 1 and hi < 1)
    if not same_side:
        return NOT_REPRODUCED, (f"the {what}'s IQR {num(lo)}–{num(hi)} is not entirely on the "
                                f"paper's side of 1 (paper {num(paper)}×)")
    if off > FACTOR:
        return NOT_REPRODUCED, (f"direction matches, but {num(here)}× is {num(off)}× away "
                                f"from the paper's {num(paper)}× (rule: within {FACTOR:g}×)")
    return REPRODUCED, (f"{num(here)}× is within {FACTOR:g}× of the paper's {num(paper)}× "
                        f"(off by {num(off)}×) and the IQR is on the same side of 1")


def _throughput_claim(ctx, cid, title, name, paper_text, cores=1.0):
    """XDP vs Linux stack comparisons: judged on the CPU-cost ratio."""
    rate = ctx.ratio(name, "rate", cores=cores)
    cost = ctx.ratio(name, "cpu_cost", cores=cores)
    if rate is None and cost is None:
        return Verdict(cid, title, paper_text, NOTHING, NOT_MEASURED,
                       "one or both systems have no valid trials")
    base = cost if cost is not None else rate
    here = f"{ctx.rate_text(base, 'num')} vs {ctx.rate_text(base, 'den')}"
    if rate is not None:
        here += f"; Mpps ratio {num(rate['median'])}× ({spread_text(rate)}, {rate['n_pairs']} pairs)"
    if cost is not None:
        here += f"; CPU-cost ratio {num(cost['median'])}× ({spread_text(cost)})"
    verdict, why = judge_ratio(base, base["paper"],
                               "CPU-cost ratio" if cost is not None else "Mpps ratio")
    if rate is not None and cost is not None:
        if max(ctx.loss(rate, "num"), ctx.loss(rate, "den")) < CAPPED_LOSS_PCT:
            why += "; the Mpps ratio says little here: both systems kept up with the generator"
        elif ctx.loss(rate, "num") < CAPPED_LOSS_PCT:
            why += (f"; the Mpps ratio is smaller because the generator caps {rate['num_system']}: "
                    f"it received all it was offered (loss {num(ctx.loss(rate, 'num'))}%)")
    return Verdict(cid, title, paper_text, here, verdict, why)


def _dpdk_claim(ctx, cid, title, name, paper_text, cores=1.0):
    rate = ctx.ratio(name, "rate", cores=cores)
    if rate is None:
        return Verdict(cid, title, paper_text, NOTHING, NOT_MEASURED,
                       "no DPDK trials (or no XDP trials) in this run")
    here = f"{ctx.rate_text(rate, 'num')} vs {ctx.rate_text(rate, 'den')}; Mpps ratio " \
           f"{num(rate['median'])}× ({spread_text(rate)}, {rate['n_pairs']} pairs)"
    ln, ld = ctx.loss(rate, "num"), ctx.loss(rate, "den")
    if max(ln, ld) < CAPPED_LOSS_PCT:
        return Verdict(cid, title, paper_text, here, NOT_APPLICABLE,
                       f"the generator is the bottleneck: both systems received all offered "
                       f"frames (loss {num(ln)}% and {num(ld)}%), so this run cannot rank them, "
                       f"and DPDK's ns_per_pkt counts busy polling")
    verdict, why = judge_ratio(rate, rate["paper"], "Mpps ratio")
    return Verdict(cid, title, paper_text, here, verdict, why)


def _paper_rate(ctx, exp, series, cores=1):
    return ctx.p.value(exp, series, cores, "rate") / 1e6


def claim_drop_linux(ctx):
    x, l = _paper_rate(ctx, "fig3_drop", "XDP"), _paper_rate(ctx, "fig3_drop", "Linux (raw)")
    return _throughput_claim(ctx, "drop-linux", "Drop: XDP vs iptables raw", "drop_xdp_vs_linux",
                             f"XDP_DROP {num(x)} Mpps vs iptables raw drop {num(l)} Mpps on one "
                             f"core ({num(x / l)}×)")


def claim_drop_conntrack(ctx):
    x, c = _paper_rate(ctx, "fig3_drop", "XDP"), _paper_rate(ctx, "fig3_drop", "Linux (conntrack)")
    return _throughput_claim(ctx, "drop-conntrack", "Drop: XDP vs iptables with conntrack",
                             "drop_xdp_vs_conntrack",
                             f"XDP_DROP {num(x)} Mpps vs drop with conntrack {num(c)} Mpps "
                             f"({num(x / c)}×)")


def claim_drop_dpdk(ctx):
    x, d = _paper_rate(ctx, "fig3_drop", "XDP"), _paper_rate(ctx, "fig3_drop", "DPDK")
    return _dpdk_claim(ctx, "drop-dpdk", "Drop: DPDK vs XDP", "drop_dpdk_vs_xdp",
                       f"DPDK rxonly {num(d)} Mpps vs XDP_DROP {num(x)} Mpps ({num(d / x)}×)")


def claim_pass_overhead(ctx):
    with_p = _paper_rate(ctx, "xdp_pass_overhead", "Linux raw drop + XDP_PASS")
    without = _paper_rate(ctx, "xdp_pass_overhead", "Linux raw drop")
    paper_ns = 1e3 / with_p - 1e3 / without
    paper_text = (f"an XDP_PASS program costs {num(paper_ns)} ns per packet "
                  f"(1/{num(with_p)} Mpps − 1/{num(without)} Mpps)")
    cpu, rate = ctx.ratio("pass_overhead", "cpu_ns"), ctx.ratio("pass_overhead", "rate_ns")
    title = "XDP_PASS overhead"
    if cpu is None and rate is None:
        return Verdict("pass", title, paper_text, NOTHING, NOT_MEASURED,
                       "no pass_overhead trials with both systems valid")
    base = cpu if cpu is not None else rate
    parts = []
    if cpu is not None:
        parts.append(f"ns_per_pkt difference {num(cpu['median'])} ns ({spread_text(cpu, ' ns')}, "
                     f"{cpu['n_pairs']} pairs)")
    if rate is not None:
        parts.append(f"1/rate difference {num(rate['median'])} ns ({spread_text(rate, ' ns')})")
    here = "; ".join(parts)
    d, lo = base["median"], base["p25"]
    if lo <= 0:
        v, why = NOT_REPRODUCED, f"the IQR reaches down to {num(lo)} ns: no cost distinguishable from 0"
    elif max(d / paper_ns, paper_ns / d) > FACTOR:
        v, why = NOT_REPRODUCED, (f"the program costs something, but {num(d)} ns is "
                                  f"{num(max(d / paper_ns, paper_ns / d))}× away from "
                                  f"{num(paper_ns)} ns (rule: within {FACTOR:g}×)")
    else:
        v, why = REPRODUCED, f"{num(d)} ns is within {FACTOR:g}× of {num(paper_ns)} ns and the IQR is above 0"
    if cpu is None:
        why += " (judged on 1/rate: ns_per_pkt missing)"
    return Verdict("pass", title, paper_text, here, v, why)


def _cpu_curve(ctx, system, mode):
    rows = ctx.s[(ctx.s["experiment"] == "cpu") & (ctx.s["system"] == system) &
                 (ctx.s["mode"] == mode) & (ctx.s["metric"] == "dut_cpu_pct")]
    return rows.dropna(subset=["median"]).sort_values("target_pps")


def claim_cpu_scales(ctx):
    px1 = ctx.p.value("fig4_cpu", "XDP", 1, "cpu")
    pl1 = ctx.p.value("fig4_cpu", "Linux", 1, "cpu")
    paper_text = (f"CPU use scales with offered load for XDP and Linux "
                  f"(at 1 Mpps: XDP {num(px1)}%, Linux {num(pl1)}%)")
    parts, ok, measured = [], True, 0
    for label, system, mode in (("XDP", "xdp-drop", "native"), ("Linux", "linux-raw", "stack")):
        c = _cpu_curve(ctx, system, mode)
        if len(c) < MIN_LOADS:
            parts.append(f"{label}: {len(c)} load level(s), need {MIN_LOADS}")
            continue
        measured += 1
        rho = rank_correlation(c["target_pps"], c["median"])
        pts = ", ".join(f"{num(r['median'])}% at {pps(r['target_pps'])}"
                        for _, r in c.iterrows())
        parts.append(f"{label} ρ = {num(rho, 2)} ({pts})")
        ok &= not math.isnan(rho) and rho >= SCALES_RHO
    here = "; ".join(parts)
    if not measured:
        return Verdict("cpu-scales", "CPU vs load", paper_text, here, NOT_MEASURED,
                       f"the cpu experiment needs at least {MIN_LOADS} load levels per system")
    if ok:
        why = f"the CPU share rises with the load (ρ ≥ {SCALES_RHO:g})"
        if measured < 2:
            why += " for the one system measured"
        return Verdict("cpu-scales", "CPU vs load", paper_text, here, REPRODUCED, why)
    return Verdict("cpu-scales", "CPU vs load", paper_text, here, NOT_REPRODUCED,
                   f"ρ below {SCALES_RHO:g}: the CPU share does not follow the load")


def claim_cpu_xdp_linux(ctx):
    rows = pick_ratio(ctx.r, "cpu_xdp_vs_linux", "cpu_share")
    rows = rows[rows["paper"].notna() & (rows["n_pairs"] > 0)] if not rows.empty else rows
    px, pl = ctx.p.value("fig4_cpu", "XDP", 1, "cpu"), ctx.p.value("fig4_cpu", "Linux", 1, "cpu")
    paper_text = f"at 1 Mpps XDP uses {num(px)}% of a core, Linux {num(pl)}% ({num(px / pl)}×)"
    title = "CPU share: XDP vs Linux at the same load"
    if rows.empty:
        return Verdict("cpu-xdp-linux", title, paper_text, NOTHING, NOT_MEASURED,
                       "no cpu trials of both systems at a load the paper also measured")
    # Prefer 1 Mpps (the paper's quoted point); otherwise the highest common load.
    at1 = rows[rows["num_target_pps"] == 1e6]
    rr = at1.iloc[0] if not at1.empty else rows.sort_values("num_target_pps").iloc[-1]
    load = rr["num_target_pps"] / 1e6
    xs, ls = ctx.metric(rr, "num", "dut_cpu_pct"), ctx.metric(rr, "den", "dut_cpu_pct")
    here = (f"at {pps(load * 1e6)} XDP {num(xs['median'])}%, Linux {num(ls['median'])}%; ratio "
            f"{num(rr['median'])}× ({spread_text(rr)}, {rr['n_pairs']} pairs)")
    if load != 1:
        paper_text += f"; at {pps(load * 1e6)} the paper's ratio is {num(rr['paper'])}×"
    v, why = judge_ratio(rr, rr["paper"], "CPU-share ratio")
    return Verdict("cpu-xdp-linux", title, paper_text, here, v, why)


def claim_cpu_dpdk(ctx):
    paper_text = "DPDK uses 100% of its core at every load (busy polling)"
    c = _cpu_curve(ctx, "dpdk-rxonly", "dpdk")
    if c.empty:
        return Verdict("cpu-dpdk", "CPU: DPDK always busy", paper_text, NOTHING, NOT_MEASURED,
                       "no DPDK trials in the cpu experiment")
    here = "; ".join(f"{num(r['median'])}% at {pps(r['target_pps'])}"
                     for _, r in c.iterrows())
    low = c["median"].min()
    if low >= BUSY_PCT:
        return Verdict("cpu-dpdk", "CPU: DPDK always busy", paper_text, here, REPRODUCED,
                       f"every load level is at or above {BUSY_PCT:g}%")
    return Verdict("cpu-dpdk", "CPU: DPDK always busy", paper_text, here, NOT_REPRODUCED,
                   f"the lowest median CPU share is {num(low)}% (< {BUSY_PCT:g}%)")


def claim_fwd_tx_redirect(ctx):
    t = _paper_rate(ctx, "fig5_forward", "XDP (same NIC)")
    r = _paper_rate(ctx, "fig5_forward", "XDP (different NIC)")
    return _throughput_claim(ctx, "fwd-tx-redirect", "Forwarding: XDP_TX vs XDP_REDIRECT",
                             "fwd_tx_vs_redirect",
                             f"XDP_TX {num(t)} Mpps vs XDP_REDIRECT {num(r)} Mpps on one core "
                             f"({num(t / r)}×)")


def claim_fwd_dpdk(ctx):
    t = _paper_rate(ctx, "fig5_forward", "XDP (same NIC)")
    d = _paper_rate(ctx, "fig5_forward", "DPDK (different NIC)")
    return _dpdk_claim(ctx, "fwd-dpdk", "Forwarding: DPDK vs XDP_TX", "fwd_dpdk_vs_xdp_tx",
                       f"DPDK {num(d)} Mpps vs XDP_TX {num(t)} Mpps on one core ({num(d / t)}×)")


def claim_fwd_multicore(ctx):
    t = _paper_rate(ctx, "fig5_forward", "XDP (same NIC)", 2)
    d = _paper_rate(ctx, "fig5_forward", "DPDK (different NIC)", 2)
    paper_text = f"XDP_TX overtakes DPDK from 2 cores ({num(t)} vs {num(d)} Mpps)"
    rr = ctx.ratio("fwd_dpdk_vs_xdp_tx", "rate", cores=2.0)
    if rr is None:
        return Verdict("fwd-cores", "Forwarding: scaling with cores", paper_text,
                       "only one DUT core measured", NOT_APPLICABLE,
                       "a 2-vCPU VM has one core for the generator and one for the DUT")
    v = _dpdk_claim(ctx, "fwd-cores", "Forwarding: scaling with cores", "fwd_dpdk_vs_xdp_tx",
                    paper_text, cores=2.0)
    return v


def claim_fwd_linux(ctx):
    r = _paper_rate(ctx, "fig5_forward", "XDP (different NIC)")
    l = _paper_rate(ctx, "fig5_forward", "Linux (ip_forward)")
    return _throughput_claim(ctx, "fwd-linux", "Forwarding: XDP_REDIRECT vs Linux ip_forward",
                             "fwd_xdp_redirect_vs_linux",
                             f"XDP_REDIRECT {num(r)} Mpps vs Linux forwarding {num(l)} Mpps "
                             f"({num(r / l)}×; Linux from the routing benchmark)")


def _latency_claim(ctx, cid, label, system, mode, want):
    series = "XDP" if system == "xdp-redirect" else "DPDK"
    p_avg = ctx.p.value("table1_latency", series, want, "avg_us")
    p_share = ctx.p.value("table1_latency", series, want, "under10us_pct")
    rate_txt = "1 Mpps" if want == LAT_HIGH else f"{int(want)} pps"
    title = f"Latency: {label} at {rate_txt}"
    paper_text = f"{label} at {rate_txt}: {num(p_avg)} µs average, {num(p_share)}% under 10 µs"
    lat = ctx.s[(ctx.s["experiment"] == "latency")]
    rate = nearest_rate(sorted(set(lat["target_pps"].dropna())), want)
    avg = pick_summary(ctx.s, "latency", system, mode, "avg_us", target_pps=rate) \
        if rate is not None else None
    share = pick_summary(ctx.s, "latency", system, mode, "under10us_pct", target_pps=rate) \
        if rate is not None else None
    if avg is None or share is None or math.isnan(avg["median"]):
        return Verdict(cid, title, paper_text, NOTHING, NOT_MEASURED,
                       f"no latency trials of {system} {mode} near {rate_txt}")
    here = (f"{system} {mode} at {pps(rate)}: {num(avg['median'])} µs average "
            f"({spread_text(avg, ' µs')}), {num(share['median'])}% under 10 µs "
            f"({_valid_text(avg)})")
    off = max(avg["median"] / p_avg, p_avg / avg["median"])
    same = (share["median"] >= MAJORITY_PCT) == (p_share >= MAJORITY_PCT)
    if off <= FACTOR and same:
        return Verdict(cid, title, paper_text, here, REPRODUCED,
                       f"the average is {num(off)}× off (within {FACTOR:g}×) and the share "
                       f"under 10 µs is on the same side of {MAJORITY_PCT:g}%")
    why = []
    if off > FACTOR:
        why.append(f"the average is {num(off)}× away from the paper's (rule: within {FACTOR:g}×)")
    if not same:
        why.append(f"the share under 10 µs is on the other side of {MAJORITY_PCT:g}%")
    return Verdict(cid, title, paper_text, here, NOT_REPRODUCED, "; ".join(why))


def claim_lat_shape(ctx):
    pl = ctx.p.value("table1_latency", "XDP", LAT_LOW, "avg_us")
    ph = ctx.p.value("table1_latency", "XDP", LAT_HIGH, "avg_us")
    paper_text = (f"XDP is slower at a low rate: {num(pl)} µs at 100 pps vs {num(ph)} µs at "
                  f"1 Mpps ({num(pl / ph)}×: interrupt moderation, wake-ups)")
    rr = ctx.ratio("lat_xdp_low_vs_high", "avg_latency")
    if rr is None:
        return Verdict("lat-shape", "Latency: low vs high rate", paper_text, NOTHING, NOT_MEASURED,
                       "it needs xdp-redirect native latency at both a low and a high rate")
    here = (f"XDP_REDIRECT native at {pps(rr['num_target_pps'])} vs {pps(rr['den_target_pps'])}: "
            f"{num(rr['median'])}× ({spread_text(rr)})")
    v, why = judge_ratio(rr, rr["paper"], "latency ratio")
    return Verdict("lat-shape", "Latency: low vs high rate", paper_text, here, v, why)


def claim_lat_dpdk_xdp(ctx):
    pd_, px = (ctx.p.value("table1_latency", s, LAT_HIGH, "avg_us") for s in ("DPDK", "XDP"))
    paper_text = f"DPDK has lower latency than XDP at 1 Mpps ({num(pd_)} vs {num(px)} µs, {num(pd_ / px)}×)"
    rr = ctx.ratio(f"lat_dpdk_vs_xdp_{int(LAT_HIGH)}pps", "avg_latency")
    if rr is None:
        return Verdict("lat-dpdk", "Latency: DPDK vs XDP", paper_text, NOTHING, NOT_MEASURED,
                       "the run has no latency trials of both dpdk-macswap and xdp-redirect native near 1 Mpps")
    here = f"{num(rr['median'])}× ({spread_text(rr)}, {rr['n_pairs']} pairs)"
    v, why = judge_ratio(rr, rr["paper"], "latency ratio")
    return Verdict("lat-dpdk", "Latency: DPDK vs XDP", paper_text, here, v, why)


def _no_experiment(cid, title, paper_text, what):
    return lambda ctx: Verdict(cid, title, paper_text, "no such experiment in xdplab",
                               NOT_APPLICABLE, f"xdplab has no {what} experiment yet")


def _routing_text(p):
    single = p.value("fig6_routing", "XDP (single route)", 1, "rate") / \
        p.value("fig6_routing", "Linux (single route)", 1, "rate")
    full = p.value("fig6_routing", "XDP (full table)", 1, "rate") / \
        p.value("fig6_routing", "Linux (full table)", 1, "rate")
    return f"XDP routing (bpf_fib_lookup) vs Linux: {num(single)}× with one route, {num(full)}× with a full BGP table"


def _lb_text(p):
    k, i = p.rows("table2_lb", "XDP (Katran)"), p.rows("table2_lb", "Linux (IPVS)")
    r = k.set_index("x")["value"] / i.set_index("x")["value"]
    return f"Katran vs IPVS: {num(r.min(), 2)}–{num(r.max(), 2)}× at 1–{int(r.index.max())} cores"


def _ddos_text(p):
    xdp, none = p.rows("fig7_ddos", "XDP"), p.rows("fig7_ddos", "No XDP")
    base = xdp[xdp["x"] == 0]["value"].iloc[0]
    held = xdp[xdp["value"] >= 0.75 * base]["x"].max()
    dead = none[none["value"] == 0]["x"].min()
    return (f"under a UDP flood, TCP_RR without XDP stops at {num(dead)} Mpps of attack; with an "
            f"XDP filter it keeps ≥75% of its {num(base / 1e3)} k transactions/s up to "
            f"{num(held)} Mpps")


def evaluate(summary, ratios, paper):
    ctx = Context(summary, ratios, paper)
    claims = [claim_drop_linux, claim_drop_conntrack, claim_drop_dpdk, claim_pass_overhead,
              claim_cpu_scales, claim_cpu_xdp_linux, claim_cpu_dpdk, claim_fwd_tx_redirect,
              claim_fwd_dpdk, claim_fwd_multicore, claim_fwd_linux,
              lambda c: _latency_claim(c, "lat-xdp-1M", "XDP", "xdp-redirect", "native", LAT_HIGH),
              lambda c: _latency_claim(c, "lat-dpdk-1M", "DPDK", "dpdk-macswap", "dpdk", LAT_HIGH),
              lambda c: _latency_claim(c, "lat-xdp-100", "XDP", "xdp-redirect", "native", LAT_LOW),
              lambda c: _latency_claim(c, "lat-dpdk-100", "DPDK", "dpdk-macswap", "dpdk", LAT_LOW),
              claim_lat_shape, claim_lat_dpdk_xdp,
              _no_experiment("routing", "Routing", _routing_text(paper), "routing"),
              _no_experiment("ddos", "DDoS protection", _ddos_text(paper), "DDoS"),
              _no_experiment("lb", "Load balancer", _lb_text(paper), "load-balancer")]
    return [c(ctx) for c in claims]
