# SPDX-License-Identifier: GPL-2.0
"""plotdata.py - the data behind each figure, as gnuplot-ready files.

Which figures exist, which experiments they draw and which paper series go
beside them is data ([figure] sections of configs/claims.ini); the systems,
their order (the experiments' config order) and labels come from the run's
catalog.  This module has one function per figure *kind*.  For every figure
that has data it writes <name>.dat (and sometimes more .dat files) plus
<name>.vars.gp (axis ranges, titles, series names, colours) into a data
directory (gpdata.py), and lists the figure in figures.list as
"<name>\t<script>\t<title>\t<caption>\t<report section>".  Bar figures show
one configuration: the smallest core count, frame size and flow count
measured at maximum rate (the report's tables show all).
"""
import math
import os
from collections import namedtuple

import pandas as pd

from . import knee
from .claimsfile import Side
from .fmt import pps, wrap
from .gpdata import Writer
from .ratios import nearest_rate, pair_values, paired
from .stats import bootstrap_ci, spread

Figure = namedtuple("Figure", "name script title caption section")
COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#7f7f7f",
          "#e377c2", "#17becf", "#bcbd22"]
SCRIPTS = {"bars": "bars.gp", "difference": "pass_overhead.gp", "cpu-vs-load": "cpu.gp",
           "latency-bars": "latency.gp", "latency-cdf": "latency_cdf.gp", "cost-vs-load": "load.gp",
           "rr-vs-attack": "rr.gp"}


def _ymax(values, floor=1.0):
    vals = [v for v in values if v is not None and not math.isnan(v)]
    return 1.2 * max(vals) if vals else floor


def _main_config(trials):
    valid = trials[trials["valid"] == 1]
    if valid.empty:
        return None
    at_max = valid[valid["target_pps"] == 0]
    v = at_max if not at_max.empty else valid
    return {k: v[k].min() for k in ("cores", "frame_size", "flows")} | \
        {"target_pps": v["target_pps"].min()}


def _in_config(trials, cfg):
    """The trials of cfg's cores, frame size and flows; with a target_pps in cfg, of
    each experiment's own main target (the experiments of one figure pace at their
    own rates)."""
    m = pd.Series(True, index=trials.index)
    for k, val in cfg.items():
        if k != "target_pps":
            m &= trials[k] == val
    if "target_pps" not in cfg:
        return trials[m]
    for exp, rows in trials[m].groupby("experiment"):
        main = _main_config(rows)
        if main is not None:
            m &= (trials["experiment"] != exp) | (trials["target_pps"] == main["target_pps"])
    return trials[m]


def _rows_of(df, side):
    return df[(df["experiment"] == side.experiment) & (df["system"] == side.system) &
              (df["mode"] == side.mode)]


def figure_sides(res, experiments, df):
    """Sides of the figure's experiments: config order, then any other measured ones."""
    out = []
    for exp in experiments:
        e = res.catalog.experiment(exp)
        listed = e.systems if e is not None else []
        present = df[df["experiment"] == exp][["system", "mode"]].drop_duplicates()
        present = list(present.itertuples(index=False, name=None))
        out += [Side(exp, s, m) for s, m in listed if (s, m) in present]
        out += [Side(exp, s, m) for s, m in present if (s, m) not in listed]
    return out


def _section(experiments, res):
    """The report section a figure goes in: the last of its experiments in run order."""
    order = res.catalog.experiment_order()
    known = [e for e in experiments if e in order]
    return max(known, key=order.index) if known else ""


def _label(res, side, multi=False, width=11):
    text = wrap(res.catalog.label(side.system, side.mode), width)
    return text + (f"\\n({side.experiment})" if multi else "")


def bars(w, fig, res, paper, conf):
    """Absolute Mpps (this run vs paper) and throughput relative to the reference."""
    trials = res.trials[res.trials["experiment"].isin(fig.experiments)]
    cfg = _main_config(trials)
    if cfg is None:
        return None
    trials = _in_config(trials, cfg)
    multi = len(fig.experiments) > 1
    sides = figure_sides(res, fig.experiments, trials)
    for pexp in fig.paper:  # the paper's series whose system did not run here
        sides += [s for s, _ in paper.sides_for(pexp)
                  if s.experiment in fig.experiments and s not in sides]
    ref = fig.reference or (sides[0] if sides else None)
    if ref in sides:
        sides.remove(ref)
    sides.insert(0, ref)
    rows = []
    for side in sides:
        mine = _rows_of(trials, side)
        p = paper.for_side(side, cfg["cores"], "rate")
        if mine.empty and math.isnan(p):
            continue
        # Each experiment against its own run of the reference system, where it has one.
        own = Side(side.experiment, ref.system, ref.mode)
        side_ref = own if not _rows_of(trials, own).empty or \
            not math.isnan(paper.for_side(own, cfg["cores"], "rate")) else ref
        ref_paper = paper.for_side(side_ref, cfg["cores"], "rate")
        here = spread(mine[mine["valid"] == 1]["mpps"])
        pairs, _ = paired(trials, side, side_ref)
        rate, cost = spread(pair_values(pairs, "rate")), spread(pair_values(pairs, "cpu_cost"))
        nv, n = int(mine["valid"].sum()), len(mine)
        label = _label(res, side, multi) + (f"\\n{nv}/{n} valid" if nv < n else "")
        rows.append([len(rows), label, here["median"], here["p25"], here["p75"], p / 1e6,
                     p / ref_paper if ref_paper > 0 else math.nan,
                     rate["median"], rate["p25"], rate["p75"],
                     cost["median"], cost["p25"], cost["p75"], nv, n])
    if not any(not math.isnan(r[2]) for r in rows):
        return None
    w.dat(fig.name + ".dat", ["idx", "label", "mpps", "p25", "p75", "paper_mpps", "paper_rel",
                              "rate_rel", "rate_rel_p25", "rate_rel_p75", "cost_rel",
                              "cost_rel_p25", "cost_rel_p75", "n_valid", "n"], [rows])
    rel = [v for r in rows for v in (r[6], r[9], r[12])]
    ref_label = res.catalog.label(ref.system, ref.mode)
    w.vars(fig.name, {
        "fig_title": f"{fig.title} ({int(cfg['cores'])} core, {int(cfg['frame_size'])}-byte frames)",
        "n_rows": len(rows),
        "y1max": _ymax([r[4] for r in rows]),
        "y2max": _ymax([r[5] for r in rows]),
        "have_paper": int(any(not math.isnan(r[5]) for r in rows)),
        "have_rel": int(any(not math.isnan(v) for v in rel)),
        "relmax": _ymax(rel),
        "ref_label": ref_label,
    })
    return Figure(fig.name, SCRIPTS[fig.kind], fig.title,
                  f"(a) Mpps of this run (bars: median, whiskers: IQR of trials) beside the "
                  f"paper's Mpps (outlined, right axis; its hardware is far faster). (b) The "
                  f"same normalised to {ref_label} (of the same experiment): the paper, "
                  f"this run's Mpps ratio and this "
                  f"run's CPU-cost ratio (ns_per_pkt of the reference / of the system), medians "
                  f"and IQRs of per-trial ratios; for a busy-polling system the CPU cost counts "
                  f"its polling. {fig.note}".rstrip(), _section(fig.experiments, res))


def difference(w, fig, res, paper, conf):
    """ns per packet of the two sides of a difference comparison, and the difference."""
    comp = conf.comparison(fig.comparison)
    exps = sorted({comp.num.experiment, comp.den.experiment})
    t = res.trials[res.trials["experiment"].isin(exps)]
    cfg = _main_config(t)
    if cfg is None:
        return None
    t = _in_config(t, cfg)
    rows, paper_ns = [], []
    for side in (comp.den, comp.num):
        mine = _rows_of(t, side)
        mine = mine[mine["valid"] == 1]
        ns, inv = spread(mine["ns_per_pkt"]), spread(1e9 / mine["rate_pps"])
        p = paper.for_side(side, cfg["cores"], comp.paper_metric)
        paper_ns.append(1e9 / p if p > 0 else math.nan)
        rows.append([len(rows), _label(res, side), ns["median"], ns["p25"], ns["p75"],
                     inv["median"], inv["p25"], inv["p75"], paper_ns[-1]])
    pairs, _ = paired(t, comp.num, comp.den)
    diff = []
    for i, (basis, label) in enumerate((("cpu_ns", "this run:\\nns_per_pkt"),
                                        ("rate_ns", "this run:\\n1/rate"))):
        vals = pair_values(pairs, basis)
        d, (lo, hi) = spread(vals), bootstrap_ci(vals)
        diff.append([i, label, d["median"], d["p25"], d["p75"], lo, hi])
    diff.append([2, "paper:\\n1/rate", paper_ns[1] - paper_ns[0], math.nan, math.nan,
                 math.nan, math.nan])
    if all(math.isnan(r[2]) for r in rows) and all(math.isnan(r[2]) for r in diff[:2]):
        return None
    w.dat(fig.name + ".dat", ["idx", "label", "ns_per_pkt", "p25", "p75", "inv_rate_ns",
                              "p25", "p75", "paper_inv_rate_ns"], [rows])
    w.dat(fig.name + "_diff.dat", ["idx", "label", "ns", "p25", "p75", "ci_low", "ci_high"], [diff])
    vals = [v for r in rows for v in r[2:]]
    dvals = [v for r in diff for v in r[2:] if not math.isnan(v)]
    num_l = res.catalog.label(comp.num.system, comp.num.mode)
    den_l = res.catalog.label(comp.den.system, comp.den.mode)
    w.vars(fig.name, {"fig_title": fig.title, "diff_title": f"(b) {num_l} − {den_l}",
                      "ymax": _ymax(vals), "dmax": 1.4 * _ymax(dvals),  # room for the key
                      "dmin": min(0.0, min(dvals, default=0) * 1.2)})
    return Figure(fig.name, SCRIPTS[fig.kind], fig.title,
                  f"(a) Nanoseconds per packet of {den_l} and {num_l}: this run's DUT CPU time "
                  f"per packet, this run's 1/rate, and the paper's 1/rate. (b) The difference "
                  f"(paper: {paper_ns[1] - paper_ns[0]:.1f} ns): medians of per-trial pairs with "
                  f"their IQR (black) and 95% bootstrap CI (grey). {fig.note}".rstrip(),
                  _section(exps, res))


def cpu_vs_load(w, fig, res, paper, conf):
    t = res.trials[res.trials["experiment"].isin(fig.experiments) & (res.trials["valid"] == 1)]
    if t.empty:
        return None
    blocks, titles, colors, here_max, color_of = [], [], [], 0.0, {}
    for i, side in enumerate(figure_sides(res, fig.experiments, t)):
        mine = _rows_of(t, side)
        rows = []
        for target, g in mine.groupby("target_pps"):
            off, c = spread(g["offered_pps"] / 1e6), spread(g["dut_cpu_pct"])
            rows.append([off["median"], c["median"], c["p25"], c["p75"], target / 1e6])
            here_max = max(here_max, off["median"])
        color_of[side] = COLORS[i % len(COLORS)]
        blocks.append(rows)
        titles.append(f"{res.catalog.label(side.system, side.mode)} (this run)")
        colors.append(color_of[side])
    pblocks, ptitles, pcolors, seen = [], [], [], set()
    extra = len(color_of)
    for pexp in fig.paper:
        for side, ps in paper.sides_for(pexp):
            if ps in seen or side.experiment not in fig.experiments:
                continue
            seen.add(ps)
            p = paper.rows(ps.experiment, ps.series, fig.paper_metric).sort_values("x")
            if p.empty:
                continue
            pblocks.append([[x, v] for x, v in zip(p["x"], p["value"])])
            ptitles.append(f"{ps.series} (paper)")
            if side not in color_of:
                color_of[side] = COLORS[extra % len(COLORS)]
                extra += 1
            pcolors.append(color_of[side])
    w.dat(fig.name + ".dat", ["offered_mpps", "cpu_pct", "p25", "p75", "target_mpps"], blocks)
    w.dat(fig.name + "_paper.dat", ["offered_mpps", "cpu_pct"], pblocks)
    w.vars(fig.name, {"fig_title": fig.title, "n_here": len(blocks), "n_paper": len(pblocks),
                      "xmax": max(here_max * 1.15, 0.01),
                      "paper_xmax": _ymax([r[0] for b in pblocks for r in b]) / 1.2 * 1.05},
           {"here_title": titles, "here_color": colors,
            "paper_title": ptitles, "paper_color": pcolors})
    return Figure(fig.name, SCRIPTS[fig.kind], fig.title,
                  "(a) Busy share of the DUT core against the offered load in this run "
                  "(points: median, whiskers: IQR) with the paper's curves (dashed, same colour "
                  "as the system standing for them) over the same range. (b) The paper's "
                  f"figure for scale. {fig.note}".rstrip(), _section(fig.experiments, res))


def _paper_lat(paper, side, rate, metric, tolerance):
    """Paper value for our system at our rate (matched to the paper's rates)."""
    ps = paper.series_for(side.experiment, side.system, side.mode)
    if ps is None:
        return math.nan
    for want in sorted(set(paper.rows(ps.experiment, ps.series, metric)["x"].dropna())):
        if want > 0 and nearest_rate([rate], want, tolerance) == rate:
            return paper.value(ps.experiment, ps.series, want, metric)
    return math.nan


def _floor_note(res, sides):
    floors = [res.catalog.label(s.system, s.mode) for s in sides if res.catalog.is_floor(s.system)]
    return (f" {', '.join(floors)}: no system, the generator straight into the sink, the floor "
            f"of the method.") if floors else ""


def latency(w, fig, res, paper, conf):
    lat = res.latency
    if lat is None or lat.empty:
        return None
    lat = lat[(lat["valid"] == 1) & lat["experiment"].isin(fig.experiments)]
    rates = sorted(set(lat["target_pps"].dropna()))
    sides = figure_sides(res, fig.experiments, lat)
    tol = conf.rules.rate_tolerance
    rows, idx, groups = [], 0, []
    for rate in rates:
        first = idx
        for side in sides:
            g = _rows_of(lat, side)
            g = g[g["target_pps"] == rate]
            if g.empty:
                continue
            avg, p99 = spread(g["avg_ns"] / 1e3), spread(g["p99_ns"] / 1e3)
            share = spread(g["share_under_10us"] * 100)
            rows.append([idx, _label(res, side, width=8),
                         avg["median"], avg["p25"], avg["p75"], p99["median"],
                         _paper_lat(paper, side, rate, "avg_us", tol),
                         share["median"], share["p25"], share["p75"],
                         _paper_lat(paper, side, rate, "under10us_pct", tol)])
            idx += 1
        if idx > first:
            groups.append((f"at {pps(rate)}", (first + idx - 1) / 2))
        idx += 1  # gap between rate groups
    if not rows:
        return None
    w.dat(fig.name + ".dat", ["idx", "label", "avg_us", "p25", "p75", "p99_us", "paper_avg_us",
                              "under10_pct", "p25", "p75", "paper_under10_pct"], [rows])
    lat_vals = [v for r in rows for v in (r[2], r[4], r[5], r[6]) if v and not math.isnan(v)]
    w.vars(fig.name, {"fig_title": fig.title,
                      "ymin": 10 ** math.floor(math.log10(min(lat_vals))) if lat_vals else 1,
                      "ymax": 10 ** (math.ceil(math.log10(max(lat_vals) * 1.2)) + 1) if lat_vals else 10,
                      "xmax": idx - 2, "have_paper": int(any(not math.isnan(r[6]) for r in rows)),
                      "n_groups": len(groups)},
           {"group_label": [g[0] for g in groups], "group_x": [g[1] for g in groups]})
    return Figure(fig.name, SCRIPTS[fig.kind], fig.title,
                  "(a) Average one-way forwarding latency per system and rate (bars: median of "
                  "trials, whiskers: IQR), the 99th percentile (dots) and the paper's average "
                  "(outlined). (b) Share of frames under 10 µs." + _floor_note(res, sides) +
                  (f" {fig.note}" if fig.note else ""), _section(fig.experiments, res))


def latency_cdf(w, fig, res, paper, conf):
    hist = res.hist
    if hist is None or hist.empty or res.latency is None:
        return None
    if "experiment" in hist.columns:
        hist = hist[hist["experiment"].isin(fig.experiments)]
    else:  # older histograms have no experiment column: they hold one experiment
        hist = hist.assign(experiment=fig.experiments[0])
    rates = sorted(set(hist["target_pps"].dropna()))[:2]
    tol = conf.rules.rate_tolerance
    blocks, titles, colors, panel, prow = [], [], [], [], []
    sides = figure_sides(res, fig.experiments, hist)
    for pi, rate in enumerate(rates):
        for si, side in enumerate(sides):
            g = _rows_of(hist, side)
            g = g[g["target_pps"] == rate]
            if g.empty or g["count"].sum() <= 0:
                continue
            b = g.groupby("bucket_hi_ns")["count"].sum().sort_index()
            cum = b.cumsum() / b.sum() * 100
            blocks.append([[hi / 1e3, c] for hi, c in cum.items() if hi > 0])
            label = res.catalog.label(side.system, side.mode)
            titles.append(label)
            colors.append(COLORS[si % len(COLORS)])
            panel.append(pi + 1)
            v = _paper_lat(paper, side, rate, "under10us_pct", tol)
            if not math.isnan(v):
                prow.append([pi + 1, 10.0, v, f"paper {label}", int(colors[-1][1:], 16)])
    if not blocks:
        return None
    w.dat(fig.name + ".dat", ["latency_us", "cum_pct"], blocks)
    w.dat(fig.name + "_paper.dat", ["panel", "x_us", "under10_pct", "label", "rgb"],
          [prow] if prow else [[[0, math.nan, math.nan, "none", 0]]])
    xs = [r[0] for b in blocks for r in b]
    w.vars(fig.name, {"fig_title": fig.title,
                      "n_series": len(blocks), "n_panels": len(rates),
                      "xmin": 10 ** math.floor(math.log10(min(xs))),
                      "xmax": 10 ** math.ceil(math.log10(max(xs)))},
           {"series_title": titles, "series_color": colors, "series_panel": panel,
            "panel_title": [pps(r) for r in rates]})
    return Figure(fig.name, SCRIPTS[fig.kind], fig.title,
                  "Cumulative share of frames under a latency, from latency_hist.csv (all "
                  "trials pooled), one panel per rate. Markers at 10 µs: the paper's share "
                  "under 10 µs for the systems standing for its series (Table 1)." +
                  (f" {fig.note}" if fig.note else ""), _section(fig.experiments, res))


def cost_vs_load(w, fig, res, paper, conf):
    """ns_per_pkt per trial against the offered load, for the systems counted at fig.counts;
    drawn only when some system's offered rate varies across its trials."""
    t = res.trials[(res.trials["valid"] == 1) & res.trials["ns_per_pkt"].notna() &
                   (res.trials["offered_pps"] > 0)]
    t = t[[res.catalog.counts(s) == fig.counts for s in t["system"]]] if not t.empty else t
    t = t[[not res.catalog.is_latency(e) for e in t["experiment"]]] if not t.empty else t
    if t.empty:
        return None
    cfg = {k: t[k].min() for k in ("cores", "frame_size", "flows")}
    t = _in_config(t, cfg)
    keys = list(dict.fromkeys(zip(t["system"], t["mode"])))
    varies = []
    for system, mode in keys:
        off = t[(t["system"] == system) & (t["mode"] == mode)]["offered_pps"]
        if off.max() >= fig.varying * off.min():
            varies.append((system, mode))
    if not varies:
        return None
    blocks, titles, colors, ys = [], [], [], []
    for i, (system, mode) in enumerate(keys):
        g = t[(t["system"] == system) & (t["mode"] == mode)].sort_values("offered_pps")
        blocks.append([[o / 1e6, ns, e] for o, ns, e in zip(g["offered_pps"], g["ns_per_pkt"],
                                                            g["experiment"])])
        titles.append(res.catalog.label(system, mode))
        colors.append(COLORS[i % len(COLORS)])
        ys += list(g["ns_per_pkt"])
    ys = [y for y in ys if y > 0]
    logy = int(bool(ys) and max(ys) / min(ys) > 20)
    w.dat(fig.name + ".dat", ["offered_mpps", "ns_per_pkt", "experiment"], blocks)
    w.vars(fig.name, {"fig_title": f"{fig.title} ({int(cfg['cores'])} core, "
                                   f"{int(cfg['frame_size'])}-byte frames)",
                      "n_series": len(blocks), "logy": logy,
                      "xmax": 1.1 * max(t["offered_pps"]) / 1e6,
                      "ymin": (10 ** math.floor(math.log10(min(ys)))) if logy else 0,
                      "ymax": (10 ** math.ceil(math.log10(max(ys) * 1.5))) if logy else _ymax(ys)},
           {"series_title": titles, "series_color": colors})
    exps = list(dict.fromkeys(t["experiment"]))
    return Figure(fig.name, SCRIPTS[fig.kind], fig.title,
                  f"DUT CPU time per packet (ns_per_pkt) of every valid trial against its "
                  f"offered load, one series per system whose frames are counted at "
                  f"'{fig.counts}', from the experiments {', '.join(exps)}. Drawn because the "
                  f"offered rate of {', '.join(res.catalog.label(s, m) for s, m in varies)} "
                  f"varies by at least {fig.varying:g}× across trials. At low load ns_per_pkt "
                  f"rests on few 10 ms CPU ticks (see dut_task_ns_per_pkt in summary.csv)."
                  + (f" {fig.note}" if fig.note else ""), _section(exps, res))


def _knee_word(k):
    if k.censored:
        return f"> {k.bound:.3g} Mpps"
    return "undefined" if math.isnan(k.value) else f"{k.value:.3g} Mpps"


def rr_vs_attack(w, fig, res, paper, conf):
    """A metric (e.g. TCP transactions/s) against the attack rate, per system, with the
    paper's curves normalised to their no-attack value, and each curve's knee."""
    pct = conf.rules.knee_pct
    t = res.trials[res.trials["experiment"].isin(fig.experiments)]
    if fig.metric not in t.columns or not (t["valid"] == 1).any() or t[fig.metric].isna().all():
        return None
    blocks, titles, colors, knees, words, color_of = [], [], [], [], [], {}
    for side in figure_sides(res, fig.experiments, t[t[fig.metric].notna()]):
        pts, _ = knee.sweep(t, side, fig.metric)
        pts = [p for p in pts if p.n_valid > 0]
        if not pts:
            continue
        base = pts[0].y if pts[0].target == knee.NO_ATTACK and pts[0].y > 0 else math.nan
        blocks.append([[p.x, p.y, p.ys.min(), p.ys.max(), 100 * p.y / base,
                        100 * p.ys.min() / base, 100 * p.ys.max() / base, p.target / 1e6,
                        p.n_valid, p.n] for p in pts])
        color_of[side] = COLORS[len(color_of) % len(COLORS)]
        label = res.catalog.label(side.system, side.mode)
        k = knee.curve_knee(pts, pct)
        titles.append(f"{label} (this run)")
        colors.append(color_of[side])
        knees.append([k.value, pct, int(color_of[side][1:], 16)])
        words.append(f"{label} {_knee_word(k)}")
    if not blocks:
        return None
    pblocks, ptitles, pcolors, pknees, pwords, seen = [], [], [], [], [], set()
    for pexp in fig.paper:
        for side, ps in paper.sides_for(pexp):
            if ps in seen or side.experiment not in fig.experiments:
                continue
            seen.add(ps)
            pts = knee.paper_points(paper, ps, fig.paper_metric)
            if not pts or pts[0].target != knee.NO_ATTACK or pts[0].y <= 0:
                continue
            pblocks.append([[p.x, p.y, 100 * p.y / pts[0].y] for p in pts])
            if side not in color_of:
                color_of[side] = COLORS[len(color_of) % len(COLORS)]
            k = knee.curve_knee(pts, pct)
            ptitles.append(f"{ps.series} (paper)")
            pcolors.append(color_of[side])
            pknees.append([k.value, pct, int(color_of[side][1:], 16)])
            pwords.append(f"{ps.series} {_knee_word(k)}")
    none = [[math.nan, math.nan, 0]]
    w.dat(fig.name + ".dat", ["attack_mpps", fig.metric, "min", "max", "pct_of_no_attack",
                              "pct_min", "pct_max", "target_mpps", "n_valid", "n"], blocks)
    w.dat(fig.name + "_paper.dat", ["attack_mpps", fig.paper_metric, "pct_of_no_attack"],
          pblocks or [[[math.nan, math.nan, math.nan]]])
    w.dat(fig.name + "_knee.dat", ["knee_mpps", "pct", "rgb"],
          [[r for r in knees if not math.isnan(r[0])] or none,
           [r for r in pknees if not math.isnan(r[0])] or none])
    xs = [r[0] for b in blocks for r in b]
    pxs = [r[0] for b in pblocks for r in b]
    norm = [r[6] for b in blocks for r in b if not math.isnan(r[6])]
    w.vars(fig.name, {"fig_title": fig.title, "n_here": len(blocks), "n_paper": len(pblocks),
                      "xmax": max(max(xs) * 1.15, 0.01),
                      "ymax": _ymax([r[3] for b in blocks for r in b]),
                      "nxmax": max(xs + pxs) * 1.05 if max(xs + pxs) > 0 else 1.0,
                      "nymax": max(_ymax(norm + [100.0]), 130.0),
                      "knee_pct": pct, "metric": fig.metric},
           {"here_title": titles, "here_color": colors,
            "paper_title": ptitles, "paper_color": pcolors})
    knee_text = "; ".join(words + pwords)
    return Figure(fig.name, SCRIPTS[fig.kind], fig.title,
                  f"(a) {fig.metric} of this run against the attack rate actually sent (median "
                  f"offered Mpps of the valid trials at each step; 0 = no attack): points are "
                  f"medians, whiskers the min–max of the trials. (b) The same normalised to each "
                  f"curve's no-attack median (100%), with the paper's curves (dashed, same "
                  f"colour as the system standing for them) on the same axes; the line marks "
                  f"{pct:g}% and the crosses each curve's knee (first fall below it, linearly "
                  f"interpolated): {knee_text}. {fig.note}".rstrip(),
                  _section(fig.experiments, res))


KINDS = {"bars": bars, "difference": difference, "cpu-vs-load": cpu_vs_load,
         "latency-bars": latency, "latency-cdf": latency_cdf, "cost-vs-load": cost_vs_load,
         "rr-vs-attack": rr_vs_attack}


def prepare(res, paper, conf, datadir):
    """Write every figure's data; return the list of figures that have data."""
    w = Writer(datadir)
    figs = [KINDS[f.kind](w, f, res, paper, conf) for f in conf.figures]
    figs = [f for f in figs if f is not None]
    with open(os.path.join(datadir, "figures.list"), "w", encoding="utf-8") as f:
        for fig in figs:
            f.write("\t".join(fig) + "\n")
    return figs


def read_list(datadir):
    """The figures prepare() wrote, in order."""
    with open(os.path.join(datadir, "figures.list"), encoding="utf-8") as f:
        return [Figure(*line.rstrip("\n").split("\t")) for line in f if line.strip()]
