#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""report.py - report.md and report.html for one results directory.

Built from the files the analysis wrote (summary.csv, ratios.csv, the list of
drawn figures) plus context.json and the trials themselves (for the list of
invalid trials).  Layout: run context, the verdict on every paper claim with
the rule used, then per experiment a table, its comparisons and its figure.
"""
import math
import os

from claims import NOT_APPLICABLE, NOT_MEASURED, NOT_REPRODUCED, REPRODUCED, RULES
from fmt import num, pps
from doc import Doc, to_html, to_markdown
from resultsdir import GROUP_KEYS

EXPERIMENT_ORDER = ["drop", "pass_overhead", "cpu", "tx", "redirect", "latency"]
EXPERIMENT_TEXT = {
    "drop": "Drop rate (paper Fig. 3): frames dropped at the DUT, one core.",
    "pass_overhead": "An XDP program that returns XDP_PASS in front of iptables raw drop "
                     "(the paper's 13.3 ns).",
    "cpu": "CPU share of the DUT core at fixed offered loads (paper Fig. 4).",
    "tx": "Forwarding back out of the receiving interface (XDP_TX; paper Fig. 5, 'same NIC').",
    "redirect": "Forwarding to another interface (XDP_REDIRECT through a devmap, Linux "
                "ip_forward; paper Fig. 5, 'different NIC').",
    "latency": "Forwarding latency at a low and a high rate (paper Table 1).",
}
FIGURE_SECTION = {"drop": "drop", "pass_overhead": "pass_overhead", "cpu": "cpu",
                  "forward": "redirect", "latency": "latency", "latency_cdf": "latency"}
CONTEXT_FIRST = ["started_utc", "hostname", "kernel", "kernel_version", "cpu_model",
                 "cpus_online", "cpu_governor", "git_commit", "xdplab_version", "command", "cwd"]


def _cell(row, digits=3):
    if row is None or math.isnan(row["median"]):
        return "—"
    return f"{num(row['median'], digits)} [{num(row['p25'], digits)}–{num(row['p75'], digits)}]"


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
    _flatten("", res.context, flat)
    keys = [k for k in CONTEXT_FIRST if k in flat] + sorted(k for k in flat if k not in CONTEXT_FIRST)
    doc.table(["key", "value"], [[k, f"`{flat[k]}`" if k == "command" else flat[k]] for k in keys])


def claims_section(doc, verdicts):
    doc.h(2, "The paper's claims, here")
    doc.p("Each line: what the paper reports — what this run measured (median of trials or of "
          "per-trial ratios, with spread) — the verdict and why. Rules:")
    doc.ul(RULES)
    tally = {v: sum(1 for c in verdicts if c.verdict == v)
             for v in (REPRODUCED, NOT_REPRODUCED, NOT_APPLICABLE, NOT_MEASURED)}
    doc.p("Tally: " + ", ".join(f"{n} {v}" for v, n in tally.items()) + ".")
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


def trial_table(doc, summary, experiment):
    rows = []
    for k, m in _groups(summary, experiment):
        first = next(iter(m.values()))
        rows.append([k["system"], k["mode"], _load(k["target_pps"]), int(k["cores"]),
                     int(k["frame_size"]), f"{int(first['n_valid'])}/{int(first['n'])}",
                     _cell(m.get("mpps")), _cell(m.get("ns_per_pkt")),
                     _cell(m.get("dut_cpu_pct")), _cell(m.get("loss_pct")),
                     _cell(m.get("rx_ring_drop_pct")),
                     _cell(m.get("offered_mpps")), _cell(m.get("gen_cpu_pct")),
                     _cell(m.get("steal_pct"))])
    doc.table(["system", "mode", "load", "cores", "frame", "valid", "Mpps", "ns/pkt",
               "DUT CPU %", "loss %", "RX ring drop %", "offered Mpps", "gen CPU %", "steal %"], rows)
    doc.p("Cells: median [p25–p75] over valid trials.")


def latency_table(doc, summary):
    rows = []
    for k, m in _groups(summary, "latency"):
        first = next(iter(m.values()))
        rows.append([k["system"], k["mode"], pps(k["target_pps"]),
                     f"{int(first['n_valid'])}/{int(first['n'])}",
                     _cell(m.get("avg_us")), _cell(m.get("p50_us")), _cell(m.get("p99_us")),
                     _cell(m.get("p999_us")), _cell(m.get("max_us")),
                     _cell(m.get("under10us_pct")), _cell(m.get("lost_pct"))])
    doc.table(["system", "mode", "rate", "valid", "avg µs", "p50 µs", "p99 µs", "p99.9 µs",
               "max µs", "< 10 µs %", "lost %"], rows)
    doc.p("Cells: median [p25–p75] of the per-trial values.")


def ratio_table(doc, ratios, experiment):
    r = ratios[ratios["num_experiment"] == experiment]
    rows = []
    for x in r.itertuples():
        load = _load(x.num_target_pps) if x.num_target_pps == x.den_target_pps else \
            f"{pps(x.num_target_pps)} / {pps(x.den_target_pps)}"
        unit = " ns" if x.unit == "ns" else "×"
        rows.append([f"{x.num_system} {x.num_mode} / {x.den_system} {x.den_mode}", x.basis, load,
                     f"{num(x.median)}{unit} [{num(x.p25)}–{num(x.p75)}]",
                     f"{num(x.min)}–{num(x.max)}", x.n_pairs,
                     "—" if math.isnan(x.paper) else f"{num(x.paper)}{unit}", x.pairing])
    if rows:
        doc.p("Comparisons (per-trial pairs; see ratios.csv):")
    doc.table(["comparison", "basis", "load", "median [IQR]", "min–max", "pairs", "paper",
               "pairing"], rows)


def figures(doc, figs, section):
    for f in figs:
        if FIGURE_SECTION.get(f.name, f.name) == section:
            doc.img(f"plots/{f.name}.png", f.title)
            doc.p(f"**Figure {f.name}** ({f.title}; also plots/{f.name}.svg): {f.caption}")


def build(res, summary, ratios, verdicts, figs):
    doc = Doc(f"xdplab report: {res.name}")
    doc.p("Generated by `tools/report.sh` from this directory's results.csv"
          + (", latency.csv" if res.latency is not None else "")
          + (", latency_hist.csv" if res.hist is not None else "")
          + " and context.json. The paper's numbers come from plots/paper_reference.csv "
          "(the data behind the figures of Høiland-Jørgensen et al., CoNEXT 2018). Absolute "
          "numbers belong to each machine; compare ratios and shapes.")
    context_section(doc, res)
    claims_section(doc, verdicts)
    trials_section(doc, res)
    present = set(summary["experiment"])
    order = [e for e in EXPERIMENT_ORDER if e in present] + \
        sorted(e for e in present if e not in EXPERIMENT_ORDER)
    for exp in order:
        doc.h(2, f"Experiment: {exp}")
        if exp in EXPERIMENT_TEXT:
            doc.p(EXPERIMENT_TEXT[exp])
        if exp == "latency":
            latency_table(doc, summary)
        else:
            trial_table(doc, summary, exp)
        ratio_table(doc, ratios, exp)
        figures(doc, figs, exp)
    drawn = {f.name for f in figs}
    orphans = [f for f in figs if FIGURE_SECTION.get(f.name) not in present]
    if orphans:
        doc.h(2, "Other figures")
        for f in orphans:
            figures(doc, [f], FIGURE_SECTION.get(f.name, f.name))
    missing = sorted(set(FIGURE_SECTION) - drawn)
    doc.h(2, "Files")
    doc.ul(["`summary.csv`: per-configuration median, IQR, min, max, n_valid/n of every metric "
            "(docs/results-format.md)",
            "`ratios.csv`: every comparison as per-trial ratios or differences, with the paper's value",
            "`plots/*.png`, `plots/*.svg`: the figures; `plots/data/`: the numbers behind them "
            "(redraw with gnuplot, see plots/README.md)"]
           + ([f"figures without data in this run: {', '.join(missing)}"] if missing else []))
    return doc


def write(outdir, doc):
    with open(os.path.join(outdir, "report.md"), "w", encoding="utf-8") as f:
        f.write(to_markdown(doc))
    with open(os.path.join(outdir, "report.html"), "w", encoding="utf-8") as f:
        f.write(to_html(doc))
