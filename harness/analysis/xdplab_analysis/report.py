# SPDX-License-Identifier: GPL-2.0
"""report.py - report.md and report.html for one results directory.

Built from the files the analysis wrote (summary.csv, ratios.csv, the list of
drawn figures), the verdicts, context.json and the trials themselves (for
the list of invalid trials).  Layout: run context, the verdict on every
paper claim with the rules used, the invalid trials, then per experiment
(in the run's order) what it measured, a table, its comparisons and its
figures.  Experiments are described from the run's catalog, not from text
kept here.
"""
import os

from . import appcheck, crosscheck
from .claims import VERDICTS, rules_text
from .doc import Doc, to_html, to_markdown
from .fmt import interval, isnan, num, pps
from .schema import GROUP_KEYS
from .stats import METHOD

CONTEXT_FIRST = ["started_utc", "hostname", "kernel", "kernel_version", "cpu_model",
                 "cpus_online", "cpu_governor", "git_commit", "xdplab_version", "command", "cwd"]
# Bulky machine-readable blocks: summarised in one line each, not flattened.
CONTEXT_SUMMARISED = ("schema", "catalog", "experiments")


def _cell(row, digits=3):
    if row is None or isnan(row["median"]):
        return "—"
    return f"{num(row['median'], digits)} [{num(row['p25'], digits)}–{num(row['p75'], digits)}]"


def _med(row, digits=3):
    return "—" if row is None or isnan(row["median"]) else num(row["median"], digits)


def _flatten(prefix, v, out):
    if isinstance(v, dict):
        for k, sub in v.items():
            _flatten(f"{prefix}.{k}" if prefix else k, sub, out)
    elif isinstance(v, list):
        out[prefix] = " ".join(str(x) for x in v)
    else:
        out[prefix] = str(v)


def context_section(doc, res):
    doc.h(2, "Run context")
    if not res.context:
        doc.p("No context.json in this results directory: provenance unknown.")
        return
    flat = {}
    _flatten("", {k: v for k, v in res.context.items() if k not in CONTEXT_SUMMARISED}, flat)
    ctx = res.context
    if "schema" in ctx and isinstance(ctx["schema"], dict):
        flat["schema"] = "; ".join(f"{f}: {len(c)} columns" for f, c in ctx["schema"].items()
                                   if isinstance(c, list))
    if "catalog" in ctx and isinstance(ctx["catalog"], dict):
        flat["catalog"] = f"{len(ctx['catalog'])} systems: " + " ".join(ctx["catalog"])
    if "experiments" in ctx and isinstance(ctx["experiments"], dict):
        flat["experiments"] = " ".join(ctx["experiments"])
    flat["columns read from"] = res.schema_source
    keys = [k for k in CONTEXT_FIRST if k in flat] + sorted(k for k in flat if k not in CONTEXT_FIRST)
    doc.table(["key", "value"], [[k, f"`{flat[k]}`" if k == "command" else flat[k]] for k in keys])


def claims_section(doc, verdicts, rules):
    doc.h(2, "The paper's claims, here")
    doc.p("Each line: what the paper reports — what this run measured (median of trials or of "
          "per-trial ratios, with spread and 95% confidence interval) — the verdict and why. "
          "The claims, their comparisons and thresholds are in configs/claims.ini. Rules:")
    doc.ul(rules_text(rules))
    tally = {v: sum(1 for c in verdicts if c.verdict == v) for v in VERDICTS}
    doc.p("Tally: " + ", ".join(f"{n} {v}" for v, n in tally.items() if n) + ".")
    doc.ul(f"**[{c.id}] {c.title}** — paper: {c.paper} — here: {c.here} — "
           f"**{c.verdict}**, because {c.because}." for c in verdicts)


def trials_section(doc, res):
    t = res.trials
    doc.h(2, "Trials")
    doc.p(f"{len(t)} measured trials in results.csv, {int(t['valid'].sum())} valid "
          f"(warm-up trials are not recorded). Invalid trials are excluded from every median "
          f"and ratio and counted in the n_valid/n columns.")
    bad = t[t["valid"] == 0]
    doc.table(["experiment", "system", "mode", "load", "trial", "reason"],
              [[r.experiment, r.system, r.mode, _load(r.target_pps), r.trial,
                r.invalid_reason or "(none given)"] for r in bad.itertuples()])


def _load(target):
    return "max" if target == 0 else pps(target)


def _groups(summary, experiment):
    s = summary[summary["experiment"] == experiment]
    keys = [k for k in GROUP_KEYS if k != "experiment"]
    for key, g in s.groupby(keys, sort=False, dropna=False):
        yield dict(zip(keys, key)), {r["metric"]: r for _, r in g.iterrows()}


def describe(doc, res, paper, experiment):
    """What the experiment measured, from the catalog and the experiments."""
    cat = res.catalog
    e = cat.experiment(experiment)
    if e is None:
        return
    parts = []
    for system, mode in e.systems:
        s = cat.system(system)
        what = f": {s.what}" if s.what else ""
        ps = paper.series_for(experiment, system, mode)
        link = f" — paper: {ps.experiment} / {ps.series}" if ps else ""
        parts.append(f"`{system}` {mode}, {cat.label(system, mode)}{what}{link}")
    rates = ", ".join(_load(r) for r in e.rates) if e.rates else "as recorded"
    doc.p(f"Kind {e.kind}; rates: {rates}" + (f"; {e.trials} trials" if e.trials else "") +
          ". Systems:")
    doc.ul(parts)


def trial_table(doc, res, summary, experiment):
    rows = []
    rr = any("rr_tps" in m for _, m in _groups(summary, experiment))
    for k, m in _groups(summary, experiment):
        first = next(iter(m.values()))
        rows.append([k["system"], k["mode"], _load(k["target_pps"]),
                     int(k["cores"]), int(k["frame_size"]),
                     f"{int(first['n_valid'])}/{int(first['n'])}",
                     _cell(m.get("mpps")), _cell(m.get("ns_per_pkt")),
                     _cell(m.get("task_ns_per_pkt")),
                     _cell(m.get("dut_cpu_pct")), _cell(m.get("loss_pct")),
                     _cell(m.get("rx_ring_drop_pct")),
                     _cell(m.get("offered_mpps")), _cell(m.get("gen_cpu_pct")),
                     _cell(m.get("steal_pct"))] + ([_cell(m.get("rr_tps"), 4)] if rr else []))
    doc.table(["system", "mode", "load", "cores", "frame", "valid", "Mpps", "ns/pkt", "task ns/pkt",
               "DUT CPU %", "loss %", "RX ring drop %", "offered Mpps", "gen CPU %", "steal %"]
              + (["TCP_RR trans/s"] if rr else []), rows)
    if rows:
        doc.p("Cells: median [p25–p75] over valid trials. Mpps is each system's throughput: "
              "frames counted where its catalog entry says (DUT or sink).")


def latency_table(doc, res, summary, experiment):
    floors = {}
    for k, m in _groups(summary, experiment):
        if res.catalog.is_floor(k["system"]) and m.get("avg_us") is not None:
            floors.setdefault(k["target_pps"], (m["avg_us"]["median"],
                                                res.catalog.label(k["system"], k["mode"])))
    rows = []
    for k, m in _groups(summary, experiment):
        first = next(iter(m.values()))
        floor = floors.get(k["target_pps"])
        is_floor = res.catalog.is_floor(k["system"])
        avg = m.get("avg_us")
        above = "—" if is_floor or floor is None or avg is None or isnan(avg["median"]) else \
            num(avg["median"] - floor[0])
        rows.append([k["system"], k["mode"], pps(k["target_pps"]),
                     f"{int(first['n_valid'])}/{int(first['n'])}",
                     _med(m.get("min_us")), _cell(avg), _med(m.get("p99_us")),
                     _med(m.get("max_us")), _cell(m.get("under10us_pct")),
                     _med(m.get("lost_pct")),
                     "(the floor)" if is_floor else ("—" if floor is None else num(floor[0])),
                     above])
    doc.table(["system", "mode", "rate", "valid", "min µs", "avg µs", "p99 µs", "max µs", "< 10 µs %",
               "lost %", "floor avg µs", "avg − floor µs"], rows)
    if rows:
        names = sorted({f[1] for f in floors.values()})
        doc.p("Cells: median (with [p25–p75]) of the per-trial values; DUT latency is shown raw "
              "and minus the floor: its median average minus the median average of "
              + (", ".join(names) if names else "the floor system (none ran)")
              + " (no system: the generator straight into the sink) at the same rate. The "
              "paper's numbers include its own measurement floor, so claims are judged raw.")


def ratio_table(doc, res, ratios, experiment):
    r = ratios[ratios["num_experiment"] == experiment]
    rows = []
    for x in r.itertuples():
        load = _load(x.num_target_pps) if x.num_target_pps == x.den_target_pps else \
            f"{pps(x.num_target_pps)} / {pps(x.den_target_pps)}"
        unit = " ns" if x.unit == "ns" else "×"
        rows.append([f"{x.num_system} {x.num_mode} / {x.den_system} {x.den_mode}", x.basis, load,
                     f"{num(x.median)}{unit} [{num(x.p25)}–{num(x.p75)}]",
                     interval(x.ci_low, x.ci_high, unit),
                     f"{num(x.min)}–{num(x.max)}", x.n_pairs,
                     "—" if isnan(x.paper) else f"{num(x.paper)}{unit}", x.pairing])
    if rows:
        doc.p(f"Comparisons (per-trial pairs; see ratios.csv). 95% CI: {METHOD}.")
    doc.table(["comparison", "basis", "load", "median [IQR]", "95% CI", "min–max", "pairs",
               "paper", "pairing"], rows)


def figures(doc, figs):
    for f in figs:
        doc.img(f"plots/{f.name}.png", f.title)
        doc.p(f"**Figure {f.name}** ({f.title}; also plots/{f.name}.svg): {f.caption}")


def build(res, summary, ratios, verdicts, figs, conf, paper):
    doc = Doc(f"xdplab report: {res.name}")
    doc.p("Generated by `tools/report.sh` from this directory's results.csv"
          + (", latency.csv" if res.latency is not None else "")
          + (", latency_hist.csv" if res.hist is not None else "")
          + " and context.json. The paper's numbers come from plots/paper_reference.csv "
          "(the data behind the figures of Høiland-Jørgensen et al., CoNEXT 2018), the claims "
          "from configs/claims.ini. Absolute numbers belong to each machine; compare ratios "
          "and shapes.")
    context_section(doc, res)
    claims_section(doc, verdicts, conf.rules)
    trials_section(doc, res)
    present = set(summary["experiment"])
    order = [e for e in res.catalog.experiment_order() if e in present] + \
        sorted(e for e in present if e not in res.catalog.experiment_order())
    shown = set()
    for exp in order:
        doc.h(2, f"Experiment: {exp}")
        describe(doc, res, paper, exp)
        if res.catalog.is_latency(exp):
            latency_table(doc, res, summary, exp)
        else:
            trial_table(doc, res, summary, exp)
        ratio_table(doc, res, ratios, exp)
        appcheck.section(doc, res, exp)
        crosscheck.profile_section(doc, res, exp)
        mine = [f for f in figs if f.section == exp]
        figures(doc, mine)
        shown |= {f.name for f in mine}
    crosscheck.programs_section(doc, res)
    others = [f for f in figs if f.name not in shown]
    if others:
        doc.h(2, "Other figures")
        figures(doc, others)
    drawn = {f.name for f in figs}
    missing = [f.name for f in conf.figures if f.name not in drawn]
    doc.h(2, "Files")
    doc.ul(["`summary.csv`: per-configuration median, IQR, min, max, 95% CI, n_valid/n of "
            "every metric (docs/results-format.md)",
            "`ratios.csv`: every comparison as per-trial ratios or differences, with its 95% CI "
            "and the paper's value",
            "`claims.csv`: the verdicts above",
            "`plots/*.png`, `plots/*.svg`: the figures; `plots/data/`: the numbers behind them "
            "(redraw with gnuplot, see plots/README.md)"]
           + ([f"figures without data in this run: {', '.join(missing)}"] if missing else []))
    return doc


def write(outdir, doc):
    with open(os.path.join(outdir, "report.md"), "w", encoding="utf-8") as f:
        f.write(to_markdown(doc))
    with open(os.path.join(outdir, "report.html"), "w", encoding="utf-8") as f:
        f.write(to_html(doc))

