# SPDX-License-Identifier: GPL-2.0
"""cmpout.py - what `xdplab compare` writes: the table on the terminal, the JSON
file for machines (every number of the table, the method of each row and the
provenance of both sides) and the Markdown snippet a CI job posts on a pull
request.  Files are written only when the comparison is complete, each through
a temporary file renamed into place, so bad input never leaves one behind.
"""
import math

from . import fmt
from .baseline import write_json, write_text
from .cmpdefs import INCONCLUSIVE
from .cmpstats import EXACT_METHOD
from .compare import N_NEEDED_FORMULA, PAIRED

FORMAT, VERSION = "xdplab-compare", 1   # of the --json file
HEADER = ["metric", "base", "new", "change", "95% CI", "threshold", "verdict", "n"]
INCONCLUSIVE_MEANS = ("`inconclusive`: the 95% interval reaches both sides of the threshold, "
                      "so these trials cannot tell a regression from none; more trials narrow "
                      "it (about as 1/sqrt(n)).")


def pct(v):
    if fmt.isnan(v):
        return "n/a"
    if math.isinf(v):
        return "+inf%" if v > 0 else "-inf%"
    return f"{v:+.1f}%" if v == 0 or abs(v) >= 0.1 else f"{v:+.2g}%"


def value(v, unit):
    if fmt.isnan(v):
        return "n/a"
    text = f"{v:.0f}" if float(v).is_integer() and abs(v) >= 1 else fmt.num(v)
    return f"{text} {unit}"


def interval(r):
    if fmt.isnan(r["ci_low_pct"]) or fmt.isnan(r["ci_high_pct"]):
        return "n/a"
    if r["method"] == EXACT_METHOD:
        return "exact"
    return f"{pct(r['ci_low_pct'])} to {pct(r['ci_high_pct'])}"


def count(r):
    if r["n_base"] is not None and r["n_new"] is not None:
        return f"{r['n_base']}/{r['n_new']}"
    return "" if r["n"] is None else str(r["n"])


def cells(r):
    return [r["metric"], value(r["base"], r["unit"]), value(r["new"], r["unit"]),
            pct(r["change_pct"]), interval(r), f"{r['threshold_pct']:g}%", r["verdict"],
            count(r)]


def sides(comp):
    how = (f"paired A/B run, experiment {comp.new.experiment}" if comp.form == PAIRED
           else f"baseline ({comp.base.experiment}) against a new run ({comp.new.experiment})")
    return f"{comp.new.name} against {comp.base.name}: {how}"


def n_legend(comp):
    return ("n = pairs" if comp.form == PAIRED
            else "n = base/new trials") + "; programs.csv metrics are one value per side"


def table(comp):
    """The terminal's text: overall verdict, the table, then why for each row not
    decided."""
    rows = [HEADER] + [cells(r) for r in comp.rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    out = [f"xdplab compare: {comp.overall}  ({sides(comp)})", ""]
    for row in rows:
        out.append("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    out.append("")
    out.append(n_legend(comp))
    for r in comp.rows:
        if r["verdict"] == INCONCLUSIVE:
            out.append(f"{r['metric']}: inconclusive: {r['because']}")
    out += comp.notes
    return "\n".join(out) + "\n"


def markdown(comp):
    lines = [f"**xdplab compare: {comp.overall.upper()}**: {sides(comp)}", "",
             "| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for r in comp.rows:
        c = cells(r)
        c[6] = f"**{c[6]}**" if r["verdict"] != "ok" else c[6]
        lines.append("| " + " | ".join(x.replace("|", "\\|") for x in c) + " |")
    lines += ["", n_legend(comp) + ". " + INCONCLUSIVE_MEANS]
    undecided = [r for r in comp.rows if r["verdict"] == INCONCLUSIVE]
    for r in undecided:
        lines.append(f"- {r['metric']}: {r['because']}")
    lines += [f"- {n}" for n in comp.notes]
    methods = list(dict.fromkeys(r["method"] for r in comp.rows))
    lines += ["", "Method: " + "; ".join(methods) + "."]
    return "\n".join(lines) + "\n"


def _finite(obj):
    """JSON has no NaN or infinity: both become null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def _side(s):
    return {"system": s.system, "mode": s.mode, "experiment": s.experiment,
            "configurations": s.configurations, "program": s.program,
            "provenance": s.provenance}


def to_json(comp, thresholds):
    return _finite({
        "format": FORMAT, "version": VERSION,
        "overall": comp.overall, "exit_code": comp.exit_code, "form": comp.form,
        "metrics": comp.rows, "thresholds_pct": thresholds, "n_needed": N_NEEDED_FORMULA,
        "notes": comp.notes, "base": _side(comp.base), "new": _side(comp.new),
    })


def write(comp, thresholds, json_path=None, md_path=None):
    if json_path:
        write_json(json_path, to_json(comp, thresholds))
    if md_path:
        write_text(md_path, markdown(comp))
