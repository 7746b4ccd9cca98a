# SPDX-License-Identifier: GPL-2.0
"""compare.py - `xdplab compare`: the verdict of a change of an XDP program, per
metric and overall, for a CI gate.

Two forms.  Paired: one A/B run holds both systems in one experiment, their
trials interleaved (A,B,B,A); trial k of base and trial k of new, both valid,
at the same configuration, form a pair (paced pairs whose offered loads differ
by more than 2% are left out, as in ratios.csv).  context.json's "ab" object
({"experiment", "base", "new"}, written by `xdplab ab`) gives the defaults.
Unpaired: a stored baseline (baseline.py) against one system of a new run,
at the baseline's configurations.  The statistics are cmpstats.py's; each
metric is judged against its threshold; the overall verdict is the worst of
them (regressed > inconclusive > ok), and decides the exit code.
"""
import math

import numpy as np

from . import baseline, cmpstats, ratios
from .claimsfile import Side as RatioSide
from .cmpdefs import (EQUAL_LOAD_PCT, EXIT_INCONCLUSIVE, EXIT_OK, EXIT_REGRESSED, IMPROVED,
                      INCONCLUSIVE, OK, PROGRAM_METRICS, REGRESSED, TRIAL_METRICS, InputError,
                      OVERLOAD_LOSS_PCT, UsageError, default_thresholds, split_spec)

PAIRED, UNPAIRED = "paired", "unpaired"
N_NEEDED_FORMULA = ("n_needed = ceil(n * (h / margin)^2); margin = distance of the estimate "
                    "from the threshold its CI straddles, h = distance of the estimate to the "
                    "CI end beyond that threshold")


class Comparison:
    def __init__(self, form, base, new, rows, notes):
        self.form, self.base, self.new, self.rows, self.notes = form, base, new, rows, notes
        verdicts = {r["verdict"] for r in rows}
        if REGRESSED in verdicts:
            self.overall, self.exit_code = REGRESSED, EXIT_REGRESSED
        elif INCONCLUSIVE in verdicts:
            self.overall, self.exit_code = INCONCLUSIVE, EXIT_INCONCLUSIVE
        else:
            self.overall, self.exit_code = OK, EXIT_OK

    @property
    def unit_of_n(self):
        return "pairs" if self.form == PAIRED else "trials per side"


def _because(verdict, change, metric, threshold, needed, unit_of_n):
    side = "higher" if metric.better == "higher" else "lower"
    worse = "lower" if side == "higher" else "higher"
    t = f"{threshold:g}%"
    if verdict == REGRESSED:
        return f"the whole interval is more than {t} {worse} (worse)"
    if verdict == IMPROVED:
        return f"the whole interval is more than {t} {side} (better)"
    if verdict == OK:
        return f"no part of the interval is more than {t} {worse} (worse)"
    if change.why:
        return change.why
    if change.method == cmpstats.RANGE_METHOD:
        return (f"the calls' min-max ranges span the threshold ({t} {worse}); rerun, or set "
                f"--threshold {metric.name}=PCT")
    if needed is None:
        return f"the estimate sits on the {t} threshold: no number of trials decides"
    return (f"the interval spans the threshold ({t} {worse}); about {needed} {unit_of_n} "
            f"would decide (have {change.n})")


def metric_row(metric, change, base_value, new_value, threshold, unit_of_n):
    v = cmpstats.verdict(change, metric.better, threshold)
    needed = cmpstats.n_needed(change, metric.better, threshold) if v == INCONCLUSIVE else None
    return {
        "metric": metric.name, "unit": metric.unit, "better": metric.better,
        "base": base_value, "new": new_value,
        "change_pct": change.est, "ci_low_pct": change.lo, "ci_high_pct": change.hi,
        "threshold_pct": threshold, "verdict": v,
        "because": _because(v, change, metric, threshold, needed, unit_of_n),
        "n": change.n, "n_base": change.n_base, "n_new": change.n_new,
        "n_needed": needed, "method": change.method,
    }


def _median(a):
    return float(np.median(a)) if len(a) else math.nan


def _value(prog, col):
    v = prog.get(col) if prog else None
    return math.nan if v is None else float(v)


def program_rows(base, new, thresholds):
    """Rows of the programs.csv metrics; none if neither side has a program row."""
    if base.program is None and new.program is None:
        return [], ["no programs.csv row on either side (not an XDP system, or an older run)"]
    rows = []
    for m in PROGRAM_METRICS:
        bv, nv = _value(base.program, m.column), _value(new.program, m.column)
        if m.name == "test_run_ns":
            ch = cmpstats.fastest_change(bv, nv)
        else:
            ch = cmpstats.exact_change(bv, nv)
        if base.program is None or new.program is None:
            ch.why = f"no programs.csv row for {'base' if base.program is None else 'new'}"
        rows.append(metric_row(m, ch, bv, nv, thresholds[m.name], "runs"))
    return rows, []


def ab_defaults(ctx):
    """context.json's "ab" object, checked ({} if absent)."""
    ab = ctx.get("ab")
    if ab is None:
        return {}
    if not isinstance(ab, dict) or not all(isinstance(ab.get(k), str) and ab[k]
                                           for k in ("experiment", "base", "new")):
        raise InputError('context.json: "ab" must be {"experiment": E, "base": "SYS:MODE", '
                         '"new": "SYS:MODE"}')
    return ab


# Runs written before context.json had load.EXP.ceiling_bound say it in load.EXP.bound.
CEILING_BOUND = "the generator's ceiling"


def _ceiling_bound(context, experiment):
    """Was the experiment's common rate the generator's ceiling (experiments.c)?"""
    load = (context or {}).get("load", {}).get(experiment, {})
    if not isinstance(load, dict):
        return False
    return bool(load.get("ceiling_bound", load.get("bound") == CEILING_BOUND))


def paired(res, base_spec=None, new_spec=None, experiment=None, thresholds=None):
    """Base against new within one run, pair by pair."""
    thresholds = thresholds or default_thresholds()
    ab = ab_defaults(res.context)
    base_spec, new_spec = base_spec or ab.get("base"), new_spec or ab.get("new")
    experiment = experiment or ab.get("experiment")
    if not base_spec or not new_spec:
        raise UsageError("name both sides: --base SYS[:MODE] --new SYS[:MODE] "
                         '(context.json has no "ab" object to take them from)')
    systems = [split_spec(base_spec)[0], split_spec(new_spec)[0]]
    experiment = baseline.pick_experiment(res, systems, experiment)
    base = baseline.from_run(res, base_spec, experiment)
    new = baseline.from_run(res, new_spec, experiment)
    if base.name == new.name:
        raise UsageError(f"base and new are both {base.name}")
    merged, _ = ratios.paired(res.trials, RatioSide(experiment, new.system, new.mode),
                              RatioSide(experiment, base.system, base.mode))
    notes, overloaded = [], False
    if not merged.empty:
        keep = ratios.equal_load(merged, EQUAL_LOAD_PCT)
        if (~keep).any():
            notes.append(f"{int((~keep).sum())} pair(s) left out: offered loads more than "
                         f"{EQUAL_LOAD_PCT:g}% apart")
            merged = merged[keep]
        if "loss_pct_n" in merged and "loss_pct_d" in merged:
            deep = (merged["loss_pct_n"].fillna(0) > OVERLOAD_LOSS_PCT) | \
                (merged["loss_pct_d"].fillna(0) > OVERLOAD_LOSS_PCT)
            if deep.any():
                notes.append(f"{int(deep.sum())} pair(s) left out: a side lost more than "
                             f"{OVERLOAD_LOSS_PCT:g}% of what it was offered (deep overload: "
                             f"the machine slowed down after the calibration)")
                merged, overloaded = merged[~deep], True
    if merged.empty and not overloaded:
        raise InputError(f"{res.path}: no valid pairs of {base.name} and {new.name} in "
                         f"{experiment} (same trial number and configuration, both valid)")
    rows = []
    # Paced at the generator's ceiling, both programs took what it sent: their Mpps then
    # follows the generator and the veth ring, not the programs (measured: the slower
    # program "gained" 7.6% Mpps, CI +5.9..+17.8%, because the generator reached more).
    ceiling = _ceiling_bound(res.context, experiment)
    if ceiling:
        notes.append("mpps left out: the common rate was the generator's ceiling, so "
                     "both programs were offered what the generator could send")
    for m in TRIAL_METRICS:
        if ceiling and m.name == "mpps":
            continue
        b = merged[f"{m.column}_d"].to_numpy(dtype=float)
        n = merged[f"{m.column}_n"].to_numpy(dtype=float)
        ok = np.isfinite(b) & np.isfinite(n) & (b > 0) & (n > 0)
        ch = cmpstats.paired_change(b[ok], n[ok])
        rows.append(metric_row(m, ch, _median(b[ok]), _median(n[ok]), thresholds[m.name],
                               "pairs"))
    prog_rows, prog_notes = program_rows(base, new, thresholds)
    return Comparison(PAIRED, base, new, rows + prog_rows, notes + prog_notes)


# What must match between a baseline and a run before a regression can be called:
# the same machine model and kernel, the same program, the same offered load.
CONTEXT_KEYS = ("kernel", "cpu_model")


def context_mismatch(base, new):
    """Lines naming what differs between the baseline's context and the run's."""
    out = []
    for k in CONTEXT_KEYS:
        b, n = base.provenance.get(k), new.provenance.get(k)
        if b is not None and n is not None and b != n:
            out.append(f"{k}: baseline {b!r}, this run {n!r}")
    bo, no = base.provenance.get("offered_pps"), new.provenance.get("offered_pps")
    if bo and no and abs(bo - no) > EQUAL_LOAD_PCT / 100 * max(bo, no):
        out.append(f"offered load: baseline {bo:.0f} pps, this run {no:.0f} pps (more than "
                   f"{EQUAL_LOAD_PCT:g}% apart: fix the rate with --rate or rates = for "
                   f"baseline comparisons)")
    return out


def unpaired(base, res, new_spec=None, experiment=None, thresholds=None, allow_mismatch=False):
    """A stored baseline (a Side from baseline.load) against one system of a run.
    On a context that differs (another kernel, CPU model or offered load), a
    `regressed` becomes `inconclusive` unless allow_mismatch: the difference
    may be the machine's."""
    thresholds = thresholds or default_thresholds()
    if new_spec is None:
        new_spec = f"{base.system}:{base.mode}"
    system = split_spec(new_spec)[0]
    baseline.check_system(res, system)
    if experiment is None and base.experiment in baseline.experiments_of(res, system):
        experiment = base.experiment
    new = baseline.from_run(res, new_spec, experiment, base.configurations)
    rows = []
    for m in TRIAL_METRICS:
        bv, nv = base.values[m.name], new.values[m.name]
        ch = cmpstats.unpaired_change(bv, nv)
        rows.append(metric_row(m, ch, _median(cmpstats.positive(bv)), _median(cmpstats.positive(nv)),
                               thresholds[m.name], "trials per side"))
    prog_rows, notes = program_rows(base, new, thresholds)
    rows += prog_rows
    mismatch = context_mismatch(base, new)
    for line in mismatch:
        notes.append(f"context differs: {line}")
    if mismatch and not allow_mismatch:
        for r in rows:
            if r["verdict"] == REGRESSED and r["metric"] not in ("verified_insns", "jited_bytes"):
                r["verdict"] = INCONCLUSIVE
                r["because"] = ("would be regressed, but the baseline's context differs (see "
                                "above); --allow-mismatch to judge anyway")
    return Comparison(UNPAIRED, base, new, rows, notes)
