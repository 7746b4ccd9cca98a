# SPDX-License-Identifier: GPL-2.0
"""appcheck.py - the load-balancer check of an experiment, from its lb_* columns.

A load-balancer experiment's checking sink writes lb_* columns into
results.csv (docs/results-format.md): the flows it saw, how many reals they
landed on and how evenly, frames that moved to another real, malformed
encapsulations, and the frame kinds.  This module shows them per system:
the median of each over the valid trials.  It knows no system or
experiment: an experiment gets the table when its rows have any lb_* value,
and the columns and their meanings come from the run's schema (older
results directories have no such columns and get nothing).
"""
from .fmt import isnan, num
from .schema import GROUP_KEYS

PREFIX = "lb_"


def columns(res, rows):
    """The lb_* columns with a value in these rows, in results.csv's order."""
    return [c for c in res.trials.columns
            if c.startswith(PREFIX) and rows[c].notna().any()]


def meanings(res):
    defs = res.context.get("schema", {}).get("results.csv", []) \
        if isinstance(res.context.get("schema"), dict) else []
    return {d["name"]: d.get("meaning", "") for d in defs
            if isinstance(d, dict) and str(d.get("name", "")).startswith(PREFIX)}


def section(doc, res, experiment):
    t = res.trials[res.trials["experiment"] == experiment]
    cols = columns(res, t) if not t.empty else []
    if not cols:
        return
    keys = [k for k in GROUP_KEYS if k != "experiment"]
    rows = []
    for key, g in t.groupby(keys, sort=False):
        ident = dict(zip(keys, key))
        v = g[g["valid"] == 1]
        cells = []
        for c in cols:
            m = v[c].median() if not v.empty else float("nan")
            cells.append("—" if isnan(m) else str(int(m)) if m == int(m) else num(m, 4))
        rows.append([ident["system"], ident["mode"],
                     "max" if ident["target_pps"] == 0 else f"{ident['target_pps']:g} pps",
                     f"{len(v)}/{len(g)}"] + cells)
    doc.h(3, f"Load-balancer check ({experiment})")
    doc.table(["system", "mode", "load", "valid"] + cols, rows)
    mean = meanings(res)
    doc.p("Medians over the valid trials of the checking sink's counts: "
          + "; ".join(f"`{c}`: {mean[c]}" if mean.get(c) else f"`{c}`" for c in cols) + ".")
