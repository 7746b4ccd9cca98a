# SPDX-License-Identifier: GPL-2.0
"""claims.py - each of the paper's claims, set against this run, with a verdict.

Which claims exist, what they compare and their thresholds is data
([claim] sections of configs/claims.ini); this module holds the rule of
each claim *type* (one function per type) and reads summary.csv,
ratios.csv, the paper reference and the run's catalog.  Every verdict is
one of VERDICTS, with the reason; rules_text() states the rules in the
report, so a reader can re-derive every verdict from the tables.

Ratios and differences are judged on their 95% confidence interval
(stats.py), never on the median alone: reproduced when the CI lies inside
the accepted region, not reproduced when it lies entirely outside,
inconclusive when it straddles a bound (the reason names the bound and how
far the CI reaches on either side).
"""
import math
from collections import namedtuple

from . import knee
from .fmt import interval, isnan, num, pps
from .paper import at_text
from .ratios import nearest_rate, pick as pick_ratio
from .stats import MIN_N, METHOD, RESAMPLES, SEED, pairs_needed, rank_correlation
from .summary import pick as pick_summary

REPRODUCED = "reproduced"
NOT_REPRODUCED = "not reproduced"
INCONCLUSIVE = "inconclusive"
NOT_IMPLEMENTED = "not implemented"
NOT_MEASURABLE = "not measurable here"
NOT_MEASURED = "not measured in this run"
VERDICTS = [REPRODUCED, NOT_REPRODUCED, INCONCLUSIVE, NOT_IMPLEMENTED, NOT_MEASURABLE,
            NOT_MEASURED]

NOTHING = "nothing measured"
BASIS_NAME = {"rate": "Mpps ratio", "cpu_cost": "CPU-cost ratio", "cpu_share": "CPU-share ratio",
              "avg_latency": "latency ratio", "cpu_ns": "ns_per_pkt difference",
              "rate_ns": "1/rate difference"}

Verdict = namedtuple("Verdict", "id title paper here verdict because type")

# A region of accepted values; *_open: the bound itself is outside.
Region = namedtuple("Region", "lo hi lo_open hi_open lo_name hi_name")


def rules_text(rules):
    f = f"{rules.factor:g}"
    return [
        f"**Confidence intervals**: every ratio and difference is computed per interleaved "
        f"trial pair, and its 95% CI is a {METHOD} over the pairs (the same data always give "
        f"the same interval). With fewer than {MIN_N} pairs there is no CI and the verdict is "
        f"inconclusive.",
        f"**Ratio claims** (throughput, CPU cost, CPU share, latency ratios): the accepted "
        f"region is the paper's side of 1 and within a factor {f} of the paper's ratio. "
        f"**reproduced**: the CI lies entirely inside it; **not reproduced**: entirely "
        f"outside; **inconclusive**: the CI straddles a bound (named, with how far the CI "
        f"reaches on either side). Each claim is judged on the first of its bases that was "
        f"measured; the others are shown beside it.",
        f"**Generator-capped claims** (marked in configs/claims.ini): when both systems lost "
        f"under {rules.capped_loss_pct:g}% of the offered frames the generator set both "
        f"rates, so the run cannot rank them: **not measurable here**.",
        f"**Difference claims** (costs in ns): **reproduced** when the CI lies "
        f"within a factor {f} of the paper's value (and so above 0); **not reproduced** when "
        f"the CI excludes the paper's value; otherwise **inconclusive**, reported as "
        f"\"unresolved here\" with the noise (standard deviation of the per-pair differences) "
        f"and the pairs a CI of ±{rules.halfwidth_ns:g} ns would need "
        f"((1.96 × 1.2533 × noise / {rules.halfwidth_ns:g} ns)², the normal approximation "
        f"for a median). A negative cost is never reported as a number.",
        f"**CPU scales with load**: Spearman rank correlation of the median DUT CPU share with "
        f"the offered load of at least {rules.scales_rho:g} over at least "
        f"{rules.min_loads:g} load levels. **Always busy**: the CI of the CPU share at or "
        f"above {rules.busy_pct:g}% at every load level (below it at one: not reproduced).",
        f"**Latency values**: the CI of the average within a factor {f} of the paper's, and "
        f"the CI of the share of frames under 10 µs on the same side of "
        f"{rules.majority_pct:g}% as the paper's.",
        f"**Knees under attack** (DDoS): a curve's knee is the lowest attack rate (median "
        f"offered Mpps of its valid trials) at which the median of its metric falls below "
        f"{rules.knee_pct:g}% of its no-attack median, linearly interpolated from the point "
        f"before; a curve that never falls that low has only a lower bound, \"> the highest "
        f"attack measured\". The claim is judged like a ratio claim on the ratio of two knees "
        f"against the ratio of the paper's knees (its curves interpolated the same way), with a "
        f"bootstrap CI that resamples the trials of every point ({RESAMPLES} resamples, seed "
        f"{SEED}; fewer than {MIN_N} valid trials at a point: no CI, inconclusive). A lower-bound "
        f"knee counts at its bound for the lower end of the CI and as unbounded for the upper "
        f"end, so the CI stays open there: **not reproduced** only when its closed end already "
        f"lies outside the accepted region, otherwise **inconclusive** (the attack sweep did "
        f"not reach far enough to settle it).",
        "**not implemented**: xdplab has no such experiment. **not measurable here**: this "
        "machine or setup cannot measure it (the reason says why). **not measured in this "
        "run**: the run lacks the experiment or its systems.",
        "Absolute Mpps are never judged: they belong to the hardware (one vCPU per role, "
        "veth, no NIC).",
    ]


def spread_text(row, unit=""):
    return (f"IQR {num(row['p25'])}–{num(row['p75'])}{unit}, 95% CI "
            f"{interval(row['ci_low'], row['ci_high'], unit)}")


def _valid_text(row):
    return f"{int(row['n_valid'])}/{int(row['n'])} valid"


# --- interval judgement ------------------------------------------------------------------
def ratio_region(paper, factor):
    """Same side of 1 as the paper's ratio and within `factor` of it."""
    if paper >= 1:
        lo, hi = paper / factor, paper * factor
        if lo <= 1:
            return Region(1.0, hi, True, False, "1 (the paper's side of it)",
                          f"{num(hi)}× ({factor:g} × the paper's {num(paper)}×)")
        return Region(lo, hi, False, False, f"{num(lo)}× (the paper's {num(paper)}× ÷ {factor:g})",
                      f"{num(hi)}× ({factor:g} × the paper's {num(paper)}×)")
    lo, hi = paper / factor, paper * factor
    if hi >= 1:
        return Region(lo, 1.0, False, True, f"{num(lo)}× (the paper's {num(paper)}× ÷ {factor:g})",
                      "1 (the paper's side of it)")
    return Region(lo, hi, False, False, f"{num(lo)}× (the paper's {num(paper)}× ÷ {factor:g})",
                  f"{num(hi)}× ({factor:g} × the paper's {num(paper)}×)")


def factor_region(paper, factor, unit):
    """Within `factor` of a positive paper value."""
    return Region(paper / factor, paper * factor, False, False,
                  f"{num(paper / factor)}{unit} (the paper's {num(paper)}{unit} ÷ {factor:g})",
                  f"{num(paper * factor)}{unit} ({factor:g} × the paper's {num(paper)}{unit})")


def _above_lo(v, r):
    return v > r.lo if r.lo_open else v >= r.lo


def _below_hi(v, r):
    return v < r.hi if r.hi_open else v <= r.hi


def judge_ci(lo, hi, region, unit="×"):
    """('in' | 'out' | 'straddle', text) for a CI [lo, hi] against a region."""
    ci_txt = f"the 95% CI {interval(lo, hi, unit)}"
    if _above_lo(lo, region) and _below_hi(hi, region):
        return "in", f"{ci_txt} lies inside the accepted region {num(region.lo)}–{num(region.hi)}{unit}"
    if not _above_lo(hi, region):
        return "out", f"{ci_txt} lies entirely below {region.lo_name}"
    if not _below_hi(lo, region):
        return "out", f"{ci_txt} lies entirely above {region.hi_name}"
    parts = []
    if not _above_lo(lo, region):
        parts.append(f"straddles the lower bound {region.lo_name}: it reaches "
                     f"{num(region.lo - lo)}{unit} below it and {num(hi - region.lo)}{unit} above")
    if not _below_hi(hi, region):
        parts.append(f"straddles the upper bound {region.hi_name}: it reaches "
                     f"{num(hi - region.hi)}{unit} above it and {num(region.hi - lo)}{unit} below")
    return "straddle", f"{ci_txt} " + "; and ".join(parts)


def verdict_of(state):
    return {"in": REPRODUCED, "out": NOT_REPRODUCED, "straddle": INCONCLUSIVE}[state]


def _no_ci(row, what="pairs"):
    n = int(row["n_pairs"]) if "n_pairs" in row else int(row["n_valid"])
    return f"{n} {what[:-1] if n == 1 else what}: no confidence interval (needs at least {MIN_N})"


# --- what every claim needs ----------------------------------------------------------------
class Context:
    def __init__(self, summary, ratios, paper, conf, res):
        self.s, self.r, self.p, self.conf, self.res = summary, ratios, paper, conf, res
        self.cat = res.catalog

    def ratio_rows(self, name, basis, **config):
        rows = pick_ratio(self.r, name, basis, **config)
        return rows[rows["n_pairs"] > 0] if not rows.empty else rows

    def metric(self, ratio_row, side, metric):
        """Summary row of the numerator or denominator system of a ratio row."""
        cfg = {k: ratio_row[k] for k in ("frame_size", "flows", "cores")
               if not isnan(ratio_row[k])}
        return pick_summary(self.s, ratio_row[f"{side}_experiment"], ratio_row[f"{side}_system"],
                            ratio_row[f"{side}_mode"], metric,
                            target_pps=ratio_row[f"{side}_target_pps"], **cfg)

    def label(self, system, mode):
        return self.cat.label(system, mode)

    def side_label(self, rr, side):
        return self.label(rr[f"{side}_system"], rr[f"{side}_mode"])

    def loss(self, rr, side):
        m = self.metric(rr, side, "loss_pct")
        return m["median"] if m is not None else math.nan

    def floor_avg(self, target):
        """Median average latency of the floor system(s) at one rate, or NaN."""
        for system in self.cat.systems:
            if not self.cat.is_floor(system):
                continue
            rows = self.s[(self.s["system"] == system) & (self.s["metric"] == "avg_us") &
                          (self.s["target_pps"] == target)]
            if not rows.empty and not isnan(rows.iloc[0]["median"]):
                return float(rows.iloc[0]["median"]), self.label(system, rows.iloc[0]["mode"])
        return math.nan, ""

    def missing(self, sides, cores=None):
        """(verdict, reason) when a claim has nothing to judge.  What the machine cannot
        host comes first: it is the reason whatever else the run lacks."""
        multi = cores is not None and cores > 1
        t = self.res.trials[self.res.trials["experiment"].isin({s.experiment for s in sides})]
        if multi and not (t["cores"] >= cores).any():
            cpus = self.res.cpus_online
            if cpus is not None and cpus < 2 * cores:
                most = cpus // 2
                what = "one DUT core" if most == 1 else f"at most {most} DUT cores"
                return NOT_MEASURABLE, (f"{what}: no scaling curve ({cores:g} DUT cores need "
                                        f"{2 * cores:g} vCPUs, this machine has {cpus})")
        for side in sides:
            if self.cat.experiment(side.experiment) is None:
                return NOT_MEASURED, f"this run has no {side.experiment} experiment"
        for side in sides:
            rows = self.res.trials if not self.cat.is_latency(side.experiment) else self.res.latency
            mine = rows[(rows["experiment"] == side.experiment) & (rows["system"] == side.system) &
                        (rows["mode"] == side.mode)] if rows is not None else None
            if mine is None or mine.empty:
                return NOT_MEASURED, (f"{self.label(side.system, side.mode)} did not run in the "
                                      f"{side.experiment} experiment")
            if not (mine["valid"] == 1).any():
                return NOT_MEASURED, (f"{self.label(side.system, side.mode)} has no valid trial "
                                      f"in the {side.experiment} experiment")
        if multi and not (t["cores"] >= cores).any():
            return NOT_MEASURED, f"no trials with {cores:g} DUT cores in this run"
        return NOT_MEASURED, "no valid trial pairs of both systems in one configuration"


# --- paper text ---------------------------------------------------------------------------
def _div(a, b):
    return a / b if b and not isnan(a) and not isnan(b) else math.nan


def quote_text(p, q):
    if q.kind == "values":
        vals = ", ".join(f"{p.value_text(*q.a, x)} {p.at_text(*q.a, x)}" for x in q.xs)
        return f"{q.a.series}: {vals}"
    a, b = p.rows(*q.a), p.rows(*q.b)
    if q.kind == "ratio":
        x = q.xs[0]
        va, vb = p.value(*q.a, x), p.value(*q.b, x)
        return (f"{q.a.series} {p.value_text(*q.a, x)} vs {q.b.series} {p.value_text(*q.b, x)} "
                f"{p.at_text(*q.a, x)} ({num(_div(va, vb))}×)")
    r = a.set_index("x")["value"] / b.set_index("x")["value"]
    r = r.dropna()
    xs = f"{p.x_name(*q.a).replace('_', ' ')} {r.index.min():g}–{r.index.max():g}"
    return f"{q.a.series} vs {q.b.series}: {num(r.min(), 2)}–{num(r.max(), 2)}× over {xs}"


def paper_text(ctx, c, generated):
    """The paper column: the claim's prose, then its quotes or the generated numbers."""
    body = "; ".join(quote_text(ctx.p, q) for q in c.quotes) if c.quotes else generated
    if c.says and body:
        return f"{c.says}: {body}"
    return c.says or body


def comparison_paper(ctx, comp, x_of):
    """'XDP 23.9 Mpps vs Linux (raw) 5.05 Mpps on 1 core (4.72×)' for a comparison."""
    sides = []
    for side in (comp.num, comp.den):
        ps = ctx.p.series_for(side.experiment, side.system, side.mode)
        if ps is None:
            return ""
        x = x_of(side)
        sides.append((ps, x, ctx.p.value(ps.experiment, ps.series, x, comp.paper_metric)))
    (pn, xn, vn), (pd_, xd, vd) = sides
    tn = f"{pn.series} {ctx.p.value_text(pn.experiment, pn.series, xn, comp.paper_metric)}"
    td = f"{pd_.series} {ctx.p.value_text(pd_.experiment, pd_.series, xd, comp.paper_metric)}"
    if xn == xd:
        body = f"{tn} vs {td} {ctx.p.at_text(pn.experiment, pn.series, xn)}"
    else:
        body = (f"{tn} {ctx.p.at_text(pn.experiment, pn.series, xn)} vs {td} "
                f"{ctx.p.at_text(pd_.experiment, pd_.series, xd)}")
    if comp.paper_value == "ns_difference":
        return (f"{body}: 1/{num(vn / 1e6)} Mpps − 1/{num(vd / 1e6)} Mpps = "
                f"{num(_div(1e9, vn) - _div(1e9, vd))} ns per packet")
    return f"{body} ({num(_div(vn, vd))}×)"


def _x_of(comp, cores, load_pps):
    def x(side):
        if comp.paper_x == "cores":
            return cores
        if comp.paper_x == "load":
            return load_pps / 1e6
        return side.rate
    return x


# --- claim types -----------------------------------------------------------------------------
def _choose_row(rows, prefer_load):
    """One configuration of a comparison: the preferred load, else the highest with a
    paper value, else the highest."""
    if rows.empty:
        return None
    if prefer_load is not None:
        at = rows[rows["num_target_pps"] == prefer_load]
        if not at.empty:
            return at.iloc[0]
    with_paper = rows[rows["paper"].notna()]
    rows = with_paper if not with_paper.empty else rows
    return rows.sort_values("num_target_pps").iloc[-1]


def _side_text(ctx, rr, side, bases):
    label = ctx.side_label(rr, side)
    if "avg_latency" in bases:
        m = ctx.metric(rr, side, "avg_us")
        return f"{label} at {pps(rr[side + '_target_pps'])}" + \
            (f" {num(m['median'])} µs ({_valid_text(m)})" if m is not None else "")
    if "cpu_share" in bases:
        m = ctx.metric(rr, side, "dut_cpu_pct")
        return f"{label} {num(m['median'])}% CPU" if m is not None else label
    m, ns = ctx.metric(rr, side, "mpps"), ctx.metric(rr, side, "ns_per_pkt")
    if m is None:
        return label
    txt = f"{label} {num(m['median'])} Mpps"
    if "cpu_cost" in bases and ns is not None:
        txt += f", {num(ns['median'])} ns/pkt"
    return txt + f" ({_valid_text(m)})"


def _pairs(n):
    n = int(n)
    return f"{n} pair" if n == 1 else f"{n} pairs"


def _basis_text(row):
    return (f"{BASIS_NAME[row['basis']]} {num(row['median'])}× ({spread_text(row)}, "
            f"{_pairs(row['n_pairs'])})")


def claim_ratio(ctx, c):
    comp = ctx.conf.comparison(c.comparison)
    cfg = {} if comp.latency else {"cores": c.cores}
    rows = {b: _choose_row(ctx.ratio_rows(comp.name, b, **cfg), c.prefer_load) for b in c.basis}
    rows = {b: r for b, r in rows.items() if r is not None}
    base = next((rows[b] for b in c.basis if b in rows), None)
    load = base["num_target_pps"] if base is not None else (c.prefer_load or 0)
    ptext = paper_text(ctx, c, comparison_paper(ctx, comp, _x_of(comp, c.cores, load)))
    if base is None:
        v, why = ctx.missing([comp.num, comp.den], None if comp.latency else c.cores)
        return Verdict(c.id, c.title, ptext, NOTHING, v, why, c.type)
    if comp.paper_x == "load" and c.prefer_load is not None and load != c.prefer_load:
        ptext += f"; at {pps(load)} the paper's ratio is {num(base['paper'])}×"
    here = f"{_side_text(ctx, base, 'num', c.basis)} vs {_side_text(ctx, base, 'den', c.basis)}"
    if comp.paper_x == "load":
        here = f"at {pps(load)} offered: " + here
    here += "; " + "; ".join(_basis_text(rows[b]) for b in c.basis if b in rows)
    judged = BASIS_NAME[base["basis"]]
    rate = rows.get("rate")
    ln = ctx.loss(base, "num") if "rate" in comp.bases else math.nan
    ld = ctx.loss(base, "den") if "rate" in comp.bases else math.nan
    capped = max(ln, ld) < c.rules.capped_loss_pct
    if c.capped == "not-measurable" and capped:
        return Verdict(c.id, c.title, ptext, here, NOT_MEASURABLE,
                       f"the generator is the bottleneck: both systems received all offered "
                       f"frames (loss {num(ln)}% and {num(ld)}%), so this run cannot rank them",
                       c.type)
    p = base["paper"]
    if isnan(p):
        return Verdict(c.id, c.title, ptext, here, NOT_MEASURED,
                       "the paper has no value for the configuration measured here", c.type)
    if isnan(base["ci_low"]):
        return Verdict(c.id, c.title, ptext, here, INCONCLUSIVE, f"{judged}: {_no_ci(base)}", c.type)
    state, why = judge_ci(base["ci_low"], base["ci_high"], ratio_region(p, c.rules.factor))
    why = f"{judged}: {why}"
    if state == "in":
        why += f" (median {num(base['median'])}×, paper {num(p)}×)"
    if rate is not None and base["basis"] != "rate":
        if capped:
            why += "; the Mpps ratio says little here: both systems kept up with the generator"
        elif ln < c.rules.capped_loss_pct:
            why += (f"; the Mpps ratio is smaller because the generator caps "
                    f"{ctx.side_label(base, 'num')}: it received all it was offered "
                    f"(loss {num(ln)}%)")
    return Verdict(c.id, c.title, ptext, here, verdict_of(state), why, c.type)


def _ns_range(lo, hi):
    """A CI of a cost in words, without presenting a negative cost as a number."""
    if isnan(lo):
        return "no CI"
    if hi <= 0:
        return "95% CI entirely at or below 0 ns (no cost visible)"
    if lo <= 0:
        return f"95% CI from below 0 up to {num(hi)} ns"
    return f"95% CI {num(lo)}–{num(hi)} ns"


def _difference_text(row):
    name, n = BASIS_NAME[row["basis"]], _pairs(row["n_pairs"])
    rng = _ns_range(row["ci_low"], row["ci_high"])
    if not isnan(row["ci_low"]) and row["ci_low"] > 0:
        return f"{name} {num(row['median'])} ns ({rng}, {n})"
    return f"{name}: {rng} ({n})"


def claim_difference(ctx, c):
    comp = ctx.conf.comparison(c.comparison)
    rows = {b: _choose_row(ctx.ratio_rows(comp.name, b, cores=c.cores), None) for b in c.basis}
    rows = {b: r for b, r in rows.items() if r is not None}
    base = next((rows[b] for b in c.basis if b in rows), None)
    ptext = paper_text(ctx, c, comparison_paper(ctx, comp, _x_of(comp, c.cores, 0)))
    if base is None:
        v, why = ctx.missing([comp.num, comp.den], c.cores)
        return Verdict(c.id, c.title, ptext, NOTHING, v, why, c.type)
    p, lo, hi, sd = base["paper"], base["ci_low"], base["ci_high"], base["sd"]
    judged = BASIS_NAME[base["basis"]]
    here = "; ".join(_difference_text(rows[b]) for b in c.basis if b in rows)
    if isnan(p) or p <= 0:
        return Verdict(c.id, c.title, ptext, here, NOT_MEASURED,
                       "the paper has no positive value for the configuration measured here", c.type)
    needed = pairs_needed(sd, c.rules.halfwidth_ns)
    unresolved = (f"unresolved here: noise {num(sd)} ns per pair, needed {needed} pairs for a "
                  f"95% CI of ±{c.rules.halfwidth_ns:g} ns (this run: {int(base['n_pairs'])})"
                  if not isnan(sd) else
                  f"unresolved here: {_no_ci(base)}, so no noise estimate either")
    if isnan(lo):
        return Verdict(c.id, c.title, ptext, unresolved, INCONCLUSIVE, unresolved, c.type)
    state, why = judge_ci(lo, hi, factor_region(p, c.rules.factor, " ns"), " ns")
    if state == "in":
        return Verdict(c.id, c.title, ptext, here, REPRODUCED,
                       f"{judged}: {why}, within {c.rules.factor:g}× of the paper's "
                       f"{num(p)} ns and above 0 (median {num(base['median'])} ns)", c.type)
    if hi < p or lo > p:
        side = (f"lies entirely below the paper's {num(p)} ns" if hi < p else
                f"lies entirely above the paper's {num(p)} ns")
        return Verdict(c.id, c.title, ptext, here, NOT_REPRODUCED,
                       f"{judged}: the {_ns_range(lo, hi)} excludes {num(p)} ns: it {side}", c.type)
    return Verdict(c.id, c.title, ptext, f"{unresolved}; {here}", INCONCLUSIVE,
                   f"{unresolved}: the {_ns_range(lo, hi)} contains the paper's {num(p)} ns "
                   f"but reaches beyond {c.rules.factor:g}× of it", c.type)


def _cpu_curve(ctx, side):
    rows = ctx.s[(ctx.s["experiment"] == side.experiment) & (ctx.s["system"] == side.system) &
                 (ctx.s["mode"] == side.mode) & (ctx.s["metric"] == "dut_cpu_pct")]
    return rows.dropna(subset=["median"]).sort_values("target_pps")


def _series_values(ctx, sides, x, metric):
    parts = []
    for side in sides:
        ps = ctx.p.series_for(side.experiment, side.system, side.mode)
        if ps is not None:
            parts.append(f"{ps.series} {ctx.p.value_text(ps.experiment, ps.series, x, metric)}")
    first = ctx.p.series_for(*sides[0][:3]) if sides else None
    if not parts or first is None:
        return ", ".join(parts)
    return f"{ctx.p.at_text(first.experiment, first.series, x)}: " + ", ".join(parts)


def claim_scales_with_load(ctx, c):
    r = c.rules
    at = c.paper_at if c.paper_at is not None else 1.0
    ptext = paper_text(ctx, c, "CPU use scales with offered load (" +
                       _series_values(ctx, c.systems, at, c.paper_metric) + ")")
    parts, ok, measured = [], True, 0
    for side in c.systems:
        label = ctx.label(side.system, side.mode)
        curve = _cpu_curve(ctx, side)
        if len(curve) < r.min_loads:
            parts.append(f"{label}: {len(curve)} load level(s), need {r.min_loads:g}")
            continue
        measured += 1
        rho = rank_correlation(curve["target_pps"], curve["median"])
        pts = ", ".join(f"{num(row['median'])}% at {pps(row['target_pps'])}"
                        for _, row in curve.iterrows())
        parts.append(f"{label} ρ = {num(rho, 2)} ({pts})")
        ok &= not isnan(rho) and rho >= r.scales_rho
    here = "; ".join(parts)
    if not measured:
        v, why = ctx.missing(c.systems)
        if v == NOT_MEASURED and why.startswith("no valid trial pairs"):
            why = f"the scaling claim needs at least {r.min_loads:g} load levels per system"
        elif not any(len(_cpu_curve(ctx, side)) for side in c.systems):
            here = NOTHING
        return Verdict(c.id, c.title, ptext, here or NOTHING, v, why, c.type)
    if ok:
        why = f"the CPU share rises with the load (ρ ≥ {r.scales_rho:g})"
        if measured < len(c.systems):
            why += f" for the {measured} system(s) measured"
        return Verdict(c.id, c.title, ptext, here, REPRODUCED, why, c.type)
    return Verdict(c.id, c.title, ptext, here, NOT_REPRODUCED,
                   f"ρ below {r.scales_rho:g}: the CPU share does not follow the load", c.type)


def claim_always_busy(ctx, c):
    r = c.rules
    parts, pnote = [], []
    for side in c.systems:
        ps = ctx.p.series_for(side.experiment, side.system, side.mode)
        if ps is not None:
            vals = ctx.p.rows(ps.experiment, ps.series, c.paper_metric)["value"]
            if not vals.empty:
                pnote.append(f"{ps.series} {num(vals.min())}–{num(vals.max())}% of its core over "
                             f"every load the paper measured" if vals.min() != vals.max() else
                             f"{ps.series} {num(vals.min())}% of its core at every load the paper measured")
    ptext = paper_text(ctx, c, "; ".join(pnote) + " (busy polling)" if pnote else "")
    states = []
    for side in c.systems:
        curve = _cpu_curve(ctx, side)
        label = ctx.label(side.system, side.mode)
        for _, row in curve.iterrows():
            parts.append(f"{label} {num(row['median'])}% at {pps(row['target_pps'])} "
                         f"(95% CI {interval(row['ci_low'], row['ci_high'], '%')})")
            if isnan(row["ci_low"]):
                states.append(("none", row, label))
            elif row["ci_low"] >= r.busy_pct:
                states.append(("in", row, label))
            elif row["ci_high"] < r.busy_pct:
                states.append(("out", row, label))
            else:
                states.append(("straddle", row, label))
    if not states:
        v, why = ctx.missing(c.systems)
        return Verdict(c.id, c.title, ptext, NOTHING, v, why, c.type)
    here = "; ".join(parts)
    out = [(row, label) for s, row, label in states if s == "out"]
    if out:
        row, label = out[0]
        return Verdict(c.id, c.title, ptext, here, NOT_REPRODUCED,
                       f"{label} at {pps(row['target_pps'])}: the 95% CI "
                       f"{interval(row['ci_low'], row['ci_high'], '%')} lies entirely below "
                       f"{r.busy_pct:g}%", c.type)
    open_ = [(s, row, label) for s, row, label in states if s != "in"]
    if open_:
        s, row, label = open_[0]
        why = (f"{label} at {pps(row['target_pps'])}: " +
               (_no_ci(row, "trials") if s == "none" else
                f"the 95% CI {interval(row['ci_low'], row['ci_high'], '%')} straddles "
                f"{r.busy_pct:g}%: it reaches {num(r.busy_pct - row['ci_low'])} points below"))
        return Verdict(c.id, c.title, ptext, here, INCONCLUSIVE, why, c.type)
    return Verdict(c.id, c.title, ptext, here, REPRODUCED,
                   f"the 95% CI of every load level is at or above {r.busy_pct:g}%", c.type)


def claim_latency_value(ctx, c):
    r, side = c.rules, c.system
    ps = ctx.p.series_for(side.experiment, side.system, side.mode)
    label = ctx.label(side.system, side.mode)
    p_avg = ctx.p.value(ps.experiment, ps.series, side.rate, "avg_us") if ps else math.nan
    p_share = ctx.p.value(ps.experiment, ps.series, side.rate, "under10us_pct") if ps else math.nan
    gen = (f"{ps.series} {at_text('rate_pps', side.rate)}: {num(p_avg)} µs average, "
           f"{num(p_share)}% under 10 µs" if ps else "")
    ptext = paper_text(ctx, c, gen)
    lat = ctx.s[(ctx.s["experiment"] == side.experiment)]
    rate = nearest_rate(sorted(set(lat["target_pps"].dropna())), side.rate, r.rate_tolerance)
    avg = pick_summary(ctx.s, side.experiment, side.system, side.mode, "avg_us",
                       target_pps=rate) if rate is not None else None
    share = pick_summary(ctx.s, side.experiment, side.system, side.mode, "under10us_pct",
                         target_pps=rate) if rate is not None else None
    if avg is None or share is None or isnan(avg["median"]):
        v, why = ctx.missing([side])
        if v == NOT_MEASURED and why.startswith("no valid trial pairs"):
            why = f"no latency trials of {label} near {pps(side.rate)}"
        return Verdict(c.id, c.title, ptext, NOTHING, v, why, c.type)
    here = (f"{label} at {pps(rate)}: {num(avg['median'])} µs average ({spread_text(avg, ' µs')}), "
            f"{num(share['median'])}% under 10 µs (95% CI "
            f"{interval(share['ci_low'], share['ci_high'], '%')}; {_valid_text(avg)})")
    floor, floor_label = ctx.floor_avg(rate)
    if not isnan(floor):
        here += (f"; the floor ({floor_label}) is {num(floor)} µs at this rate: "
                 f"{num(avg['median'] - floor)} µs above it")
    if isnan(p_avg) or isnan(p_share):
        return Verdict(c.id, c.title, ptext, here, NOT_MEASURED,
                       "the paper has no value for this system and rate", c.type)
    if isnan(avg["ci_low"]):
        return Verdict(c.id, c.title, ptext, here, INCONCLUSIVE, _no_ci(avg, "trials"), c.type)
    s_avg, t_avg = judge_ci(avg["ci_low"], avg["ci_high"], factor_region(p_avg, r.factor, " µs"), " µs")
    side_name = f"{r.majority_pct:g}% (the paper's side of it: {num(p_share)}%)"
    if p_share >= r.majority_pct:
        share_region = Region(r.majority_pct, 100.0, False, False, side_name, "100%")
    else:
        share_region = Region(0.0, r.majority_pct, False, True, "0%", side_name)
    s_share, t_share = judge_ci(share["ci_low"], share["ci_high"], share_region, "%")
    t_avg, t_share = f"average: {t_avg}", f"share under 10 µs: {t_share}"
    if "out" in (s_avg, s_share):
        why = "; ".join(t for s, t in ((s_avg, t_avg), (s_share, t_share)) if s == "out")
        return Verdict(c.id, c.title, ptext, here, NOT_REPRODUCED, why, c.type)
    if s_avg == s_share == "in":
        return Verdict(c.id, c.title, ptext, here, REPRODUCED, f"{t_avg}; {t_share}", c.type)
    why = "; ".join(t for s, t in ((s_avg, t_avg), (s_share, t_share)) if s == "straddle")
    return Verdict(c.id, c.title, ptext, here, INCONCLUSIVE, why, c.type)


def _knee_text(k, unit=" Mpps"):
    if k.censored:
        return f"> {num(k.bound)}{unit} (never below the threshold up to the highest attack measured)"
    return "undefined" if isnan(k.value) else f"{num(k.value)}{unit}"


def _open_interval(lo, hi, unit):
    """A CI whose ends may be open (0 or inf: a censored knee in some resamples)."""
    if isnan(lo) or isnan(hi):
        return "no CI"
    if math.isinf(lo):
        return "95% CI entirely open (beyond the highest attack measured)"
    if math.isinf(hi):
        return f"95% CI from {num(lo)}{unit}, open above"
    if lo <= 0 and unit == "×":
        return f"95% CI up to {num(hi)}{unit}, open below"
    return f"95% CI {interval(lo, hi, unit)}"


def _ratio_text(value, kind):
    return {"exact": f"{num(value)}×", "at-least": f"at least {num(value)}×",
            "at-most": f"at most {num(value)}×"}.get(kind, "undefined")


def claim_knee(ctx, c):
    """Where each curve falls below knee_pct% of its no-attack value; judged on the
    ratio of the two knees (first system / second) against the paper's curves' ratio."""
    pct, (sn, sd) = c.rules.knee_pct, c.systems
    pk = []
    for side in (sn, sd):
        ps = ctx.p.series_for(side.experiment, side.system, side.mode)
        pk.append((ps, knee.curve_knee(knee.paper_points(ctx.p, ps, c.paper_metric), pct)
                   if ps else knee.Knee(math.nan, False, math.nan, math.nan, math.nan)))
    p_ratio, p_kind = knee.ratio_of(pk[0][1], pk[1][1])
    gen = "; ".join(f"{ps.series} falls below {pct:g}% of its no-attack value at "
                    f"{_knee_text(k)} of attack" for ps, k in pk if ps is not None)
    if p_kind != "unknown":
        gen += f" ({_ratio_text(p_ratio, p_kind)}, knees interpolated as here)"
    quotes = "; ".join(quote_text(ctx.p, q) for q in c.quotes)
    ptext = "; ".join(t for t in (c.says, gen, quotes) if t)
    trials = ctx.res.trials
    (pn, cfg), (pd_, _) = knee.sweep(trials, sn, c.metric), knee.sweep(trials, sd, c.metric)
    kn, kd = knee.curve_knee(pn, pct), knee.curve_knee(pd_, pct)
    defined = [not isnan(k.value) or k.censored for k in (kn, kd)]
    if not all(defined):
        v, why = ctx.missing([sn, sd])
        if v == NOT_MEASURED and why.startswith("no valid trial pairs"):
            side = (sn, sd)[defined.index(False)]
            why = (f"{ctx.label(side.system, side.mode)} has no {c.metric} curve: it needs valid "
                   f"trials without an attack (target 0, {c.metric} above 0) and under one")
        return Verdict(c.id, c.title, ptext, NOTHING, v, why, c.type)
    boot = knee.bootstrap(pn, pd_, pct)
    value, kind = knee.ratio_of(kn, kd)
    parts = []
    for side, k, pts, kci in ((sn, kn, pn, boot.num_ci), (sd, kd, pd_, boot.den_ci)):
        nv, n = sum(p.n_valid for p in pts), sum(p.n for p in pts)
        parts.append(f"{ctx.label(side.system, side.mode)}: knee {_knee_text(k)} "
                     f"({_open_interval(*kci, ' Mpps')}; {c.metric} {num(k.base)} without an "
                     f"attack, threshold {num(k.threshold)}; {len(pts) - 1} attack rates up to "
                     f"{num(max(p.x for p in pts))} Mpps, {nv}/{n} valid trials)")
    lo, hi = boot.ratio_ci
    here = "; ".join(parts) + (f"; ratio of the knees {_ratio_text(value, kind)} "
                               f"({_open_interval(lo, hi, '×')})")
    if isnan(p_ratio) or p_kind != "exact":
        return Verdict(c.id, c.title, ptext, here, NOT_MEASURED,
                       "the paper's curves give no ratio of their knees", c.type)
    if isnan(lo):
        few = min((p.n_valid for p in pn + pd_ if p.n_valid), default=0)
        return Verdict(c.id, c.title, ptext, here, INCONCLUSIVE,
                       f"a point of the sweep has {few} valid trial(s): no confidence interval "
                       f"(needs at least {MIN_N} at every point)", c.type)
    region = ratio_region(p_ratio, c.rules.factor)
    state, why = judge_ci(lo, hi, region)
    open_ = math.isinf(hi) or lo <= 0
    if open_:
        why = f"the {_open_interval(lo, hi, '×')} " + (
            f"lies entirely above {region.hi_name}" if state == "out" and lo > 0 else
            f"lies entirely below {region.lo_name}" if state == "out" else
            f"reaches past the accepted region {num(region.lo)}–{num(region.hi)}×: a knee lies "
            f"beyond the highest attack measured (in the run or in bootstrap resamples), so "
            f"the ratio is open-ended and cannot settle the claim; a wider attack sweep would")
    elif state == "in":
        why += f" (ratio {num(value)}×, paper {num(p_ratio)}×)"
    return Verdict(c.id, c.title, ptext, here, verdict_of(state), why, c.type)


def claim_not_implemented(ctx, c):
    return Verdict(c.id, c.title, paper_text(ctx, c, ""), "no such experiment in xdplab",
                   NOT_IMPLEMENTED, f"xdplab does not implement it yet: it needs {c.missing}",
                   c.type)


CLAIM_TYPES = {
    "ratio": claim_ratio,
    "latency-ratio": claim_ratio,
    "difference": claim_difference,
    "scales-with-load": claim_scales_with_load,
    "always-busy": claim_always_busy,
    "latency-value": claim_latency_value,
    "knee": claim_knee,
    "not-implemented": claim_not_implemented,
}


def evaluate(summary, ratios, paper, conf, res):
    ctx = Context(summary, ratios, paper, conf, res)
    return [CLAIM_TYPES[c.type](ctx, c) for c in conf.claims]
