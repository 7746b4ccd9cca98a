# SPDX-License-Identifier: GPL-2.0
"""baseline.py - one side of a comparison: one system:mode of one experiment of a
run (its valid trials, its programs.csv row, where it was measured), and the
baseline file, that side stored as JSON for later runs to be compared with
(`xdplab compare --save-baseline`).  The file's format is documented in
docs/ci.md; a team commits it next to its code, so it is versioned
("format": "xdplab-baseline", "version": 1) and read strictly.
"""
import datetime
import json
import math
import os

import numpy as np

from . import crosscheck
from .cmpdefs import PROGRAM_COLUMNS, TRIAL_METRICS, InputError, UsageError, split_spec
from .schema import CONFIG_KEYS

FORMAT, VERSION = "xdplab-baseline", 1
PROVENANCE_KEYS = ["git_commit", "kernel", "cpu_model", "hostname", "xdplab_version"]


class Side:
    """What a comparison knows of one side."""

    def __init__(self, system, mode, experiment, values, program, configurations, provenance,
                 rows=None):
        self.system, self.mode, self.experiment = system, mode, experiment
        self.values = values                  # trial metric -> list of per-trial values
        self.program = program                # PROGRAM_COLUMNS -> value, or None
        self.configurations = configurations  # [{frame_size, flows, cores, target_pps}]
        self.provenance = provenance
        self.rows = rows                      # valid results.csv rows (runs only)

    @property
    def name(self):
        return f"{self.system}:{self.mode}"


def experiments_of(res, system):
    t = res.trials
    return list(dict.fromkeys(t.loc[t["system"] == system, "experiment"]))


def check_system(res, system):
    if system not in set(res.trials["system"]):
        known = ", ".join(sorted(set(res.trials["system"])))
        raise InputError(f"{res.path}: no system {system} in results.csv (it has {known})")


def pick_experiment(res, systems, experiment):
    """The experiment holding every one of `systems`: the one named, or the only one."""
    for s in systems:
        check_system(res, s)
    common = [e for e in experiments_of(res, systems[0])
              if all(e in experiments_of(res, s) for s in systems[1:])]
    if experiment is not None:
        if experiment not in common:
            raise InputError(f"{res.path}: experiment {experiment} has no trials of "
                             f"{' and '.join(systems)}")
        return experiment
    if not common:
        raise InputError(f"{res.path}: no experiment has trials of {' and '.join(systems)}")
    if len(common) > 1:
        raise UsageError(f"{' and '.join(systems)} are in several experiments "
                         f"({', '.join(common)}): choose one with --experiment")
    return common[0]


def pick_mode(res, system, mode, experiment):
    t = res.trials
    modes = list(dict.fromkeys(t.loc[(t["system"] == system) & (t["experiment"] == experiment),
                                     "mode"]))
    if mode is None:
        if len(modes) > 1:
            raise UsageError(f"{system} ran in modes {', '.join(modes)} in {experiment}: "
                             f"say which as {system}:MODE")
        return modes[0]
    if mode not in modes:
        raise InputError(f"{res.path}: {system} has no {mode} trials in {experiment} "
                         f"(modes: {', '.join(modes)})")
    return mode


def _program_row(res, system, mode):
    try:
        df = crosscheck.programs(res)
    except Exception as e:  # a broken programs.csv is bad input like a broken results.csv
        raise InputError(f"{res.path}: programs.csv: {e}")
    if df is None or df.empty:
        return None
    rows = df[(df["system"] == system) & (df["mode"] == mode)]
    if rows.empty:
        return None
    r = rows.iloc[0]
    return {c: (str(r[c]) if c == "prog" else _number_or_none(r[c])) for c in PROGRAM_COLUMNS
            if c in rows.columns}


def _number_or_none(v):
    v = float(v)
    return v if math.isfinite(v) else None


def _configurations(rows):
    cfg = rows[CONFIG_KEYS].drop_duplicates().sort_values(CONFIG_KEYS)
    # Integral numbers as integers: the file is read by people too.
    return [{k: int(v) if float(v).is_integer() else float(v) for k, v in r.items()}
            for _, r in cfg.iterrows()]


def _median(series):
    v = series.dropna()
    return float(v.median()) if not v.empty else None


def provenance(res, rows, system):
    ctx = res.context
    p = {k: ctx.get(k) for k in PROVENANCE_KEYS if ctx.get(k) is not None}
    p["date"] = ctx.get("started_utc")
    p["run"] = os.path.abspath(res.path)
    p["offered_pps"] = _median(rows["offered_pps"])
    p["target_pps"] = sorted({float(x) for x in rows["target_pps"].dropna()})
    entry = res.catalog.system(system)
    p["label"] = entry.label
    cat = ctx.get("catalog", {}).get(system) if isinstance(ctx.get("catalog"), dict) else None
    if isinstance(cat, dict):
        p.update({k: cat[k] for k in ("obj", "prog", "source") if cat.get(k)})
    return p


def from_run(res, spec, experiment=None, configurations=None):
    """The side `spec` (SYS[:MODE]) of a run, its valid trials only; with
    `configurations`, only the trials at one of them (a baseline's)."""
    system, mode = split_spec(spec)
    experiment = pick_experiment(res, [system], experiment)
    mode = pick_mode(res, system, mode, experiment)
    t = res.trials
    rows = t[(t["experiment"] == experiment) & (t["system"] == system) & (t["mode"] == mode) &
             (t["valid"] == 1)]
    if configurations is not None and not rows.empty:
        # Frame size, flows and cores must match; the rate is not a configuration here:
        # equal-load runs pick it from what they measure, and compare checks the
        # offered loads against each other instead (compare.context_mismatch).
        keys = [k for k in CONFIG_KEYS if k != "target_pps"]
        want = {tuple(c[k] for k in keys) for c in configurations}
        rows = rows[[tuple(r) in want for r in rows[keys].itertuples(index=False)]]
    if rows.empty:
        at = " at the baseline's configuration" if configurations is not None else ""
        raise InputError(f"{res.path}: no valid trials of {system}:{mode} in {experiment}{at}")
    values = {m.name: [float(v) for v in rows[m.column].dropna()] for m in TRIAL_METRICS}
    return Side(system, mode, experiment, values, _program_row(res, system, mode),
                _configurations(rows), provenance(res, rows, system), rows)


# --- the baseline file ------------------------------------------------------------
def to_json(side):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "format": FORMAT, "version": VERSION,
        "system": side.system, "mode": side.mode, "experiment": side.experiment,
        "configurations": side.configurations,
        "trials": side.values,
        "program": side.program,
        "provenance": dict(side.provenance, saved_utc=now),
    }


def write_text(path, text):
    """Atomically: a temporary file renamed into place, nothing left if it fails."""
    tmp = f"{path}.tmp{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def write_json(path, obj):
    write_text(path, json.dumps(obj, indent=1, allow_nan=False) + "\n")


def save(path, side):
    write_json(path, to_json(side))


def _numbers(v, what):
    if not isinstance(v, list) or not all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                          and math.isfinite(x) for x in v):
        raise InputError(f"{what} must be a list of finite numbers")
    return [float(x) for x in v]


def load(path):
    """A baseline file -> Side (rows None).  Anything malformed is bad input."""
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read baseline {path}: {e}")
    where = f"baseline {path}"
    if not isinstance(d, dict) or d.get("format") != FORMAT:
        raise InputError(f'{where}: not an xdplab baseline (no "format": "{FORMAT}")')
    if d.get("version") != VERSION:
        raise InputError(f"{where}: version {d.get('version')!r}, this xdplab reads {VERSION}")
    for k in ("system", "mode", "experiment"):
        if not isinstance(d.get(k), str) or not d[k]:
            raise InputError(f"{where}: {k!r} must be a non-empty string")
    trials = d.get("trials")
    if not isinstance(trials, dict):
        raise InputError(f'{where}: "trials" must be an object of metric -> values')
    values = {m.name: _numbers(trials.get(m.name, []), f"{where}: trials.{m.name}")
              for m in TRIAL_METRICS}
    cfgs = d.get("configurations")
    if not isinstance(cfgs, list) or not cfgs or not all(
            isinstance(c, dict) and all(isinstance(c.get(k), (int, float)) for k in CONFIG_KEYS)
            for c in cfgs):
        raise InputError(f'{where}: "configurations" must be a non-empty list of '
                         f'{{{", ".join(CONFIG_KEYS)}}}')
    prog = d.get("program")
    if prog is not None:
        if not isinstance(prog, dict):
            raise InputError(f'{where}: "program" must be an object or null')
        prog = {k: (v if v is None else str(v) if k == "prog"
                    else _numbers([v], f"{where}: program.{k}")[0])
                for k, v in prog.items() if k in PROGRAM_COLUMNS}
    prov = d.get("provenance") if isinstance(d.get("provenance"), dict) else {}
    prov = dict(prov, baseline=os.path.abspath(path))
    return Side(d["system"], d["mode"], d["experiment"], values, prog,
                [{k: float(c[k]) for k in CONFIG_KEYS} for c in cfgs], prov)


def median(values):
    return float(np.median(values)) if len(values) else math.nan
