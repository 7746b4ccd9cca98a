# SPDX-License-Identifier: GPL-2.0
"""catalog.py - the systems and experiments of one run, as the runner saw them.

context.json's "catalog" describes every system the run could name: its
label, its modes and where its frames are counted (`counts`: dut, sink, back
or in), which decides its throughput column.  "experiments" lists the
experiments as they ran: kind, systems in config order, rates.  Results
directories written before those keys existed get the same facts derived
from their rows: throughput = sink_pps if the system has any non-empty
sink_pps in that experiment, else dut_pps (the contract's per-experiment
rule, refined per system so that a drop system run beside a forwarding one
keeps its DUT count); label = the system's name; `what` from the old
context.json "systems" map; experiments and their systems in the order of
their first row.
Nothing here knows a system or an experiment by name.
"""
from collections import namedtuple

# Where a system's frames are counted -> the column that is its throughput.
COUNTS = {"dut": "dut_pps", "sink": "sink_pps", "back": "sink_pps", "in": "sink_pps"}
FLOOR_COUNTS = "in"        # no system: the sink sits on dut-in (the method's floor)
NO_SYSTEM_MODE = "none"    # the mode of that non-system in the results (contract vocabulary)
LATENCY_KIND = "latency"   # experiment kind whose rows are in latency.csv
THROUGHPUT_KIND = "throughput"

System = namedtuple("System", "name label modes counts what kind")
Experiment = namedtuple("Experiment", "name kind systems rates trials")


class CatalogError(Exception):
    """context.json's catalog or experiments are malformed."""


def _ordered_pairs(frames):
    """(experiment, system, mode) in order of first appearance over the frames."""
    seen = {}
    for df in frames:
        if df is None or df.empty:
            continue
        for key in zip(df["experiment"], df["system"], df["mode"]):
            seen.setdefault(key, None)
    return list(seen)


def _rates(frames, experiment):
    out = set()
    for df in frames:
        if df is not None and not df.empty:
            out |= set(df.loc[df["experiment"] == experiment, "target_pps"].dropna())
    return sorted(out)


class Catalog:
    def __init__(self, context, trials, latency=None):
        ctx = context if isinstance(context, dict) else {}
        self.has_catalog = "catalog" in ctx
        self.has_experiments = "experiments" in ctx
        self.systems = self._read_catalog(ctx.get("catalog", {}))
        self.experiments = self._read_experiments(ctx.get("experiments", {}))
        # The fallback rule, per (experiment, system), for systems the catalog lacks.
        self._rate = {}
        if trials is not None and not trials.empty:
            for key, rows in trials.groupby(["experiment", "system"], sort=False):
                self._rate[key] = "sink_pps" if rows["sink_pps"].notna().any() else "dut_pps"
        old_what = ctx.get("systems") if isinstance(ctx.get("systems"), dict) else {}
        self._derive(trials, latency, old_what)

    @staticmethod
    def _read_catalog(cat):
        if not isinstance(cat, dict):
            raise CatalogError('context.json: "catalog" must be an object')
        out = {}
        for name, d in cat.items():
            if not isinstance(d, dict):
                raise CatalogError(f"context.json: catalog entry {name} must be an object")
            counts = d.get("counts")
            if counts not in COUNTS:
                raise CatalogError(f"context.json: catalog entry {name}: counts {counts!r} is "
                                   f"not one of {', '.join(COUNTS)}")
            modes = d.get("modes", [])
            if not isinstance(modes, list) or not all(isinstance(m, str) for m in modes):
                raise CatalogError(f"context.json: catalog entry {name}: modes must be a list")
            out[name] = System(name, str(d.get("label") or name), list(modes), counts,
                               str(d.get("what", "")), str(d.get("kind", "")))
        return out

    @staticmethod
    def _read_experiments(exps):
        if not isinstance(exps, dict):
            raise CatalogError('context.json: "experiments" must be an object')
        out = {}
        for name, d in exps.items():
            if not isinstance(d, dict) or not isinstance(d.get("systems", []), list):
                raise CatalogError(f"context.json: experiment {name} must be an object with a "
                                   f"list of systems")
            systems = []
            for s in d.get("systems", []):
                if not isinstance(s, dict) or not isinstance(s.get("system"), str):
                    raise CatalogError(f"context.json: experiment {name}: each system must be "
                                       f'{{"system": ..., "mode": ...}}')
                systems.append((s["system"], str(s.get("mode", ""))))
            rates = [float(r) for r in d.get("rates", []) if isinstance(r, (int, float))]
            out[name] = Experiment(name, str(d.get("kind", THROUGHPUT_KIND)), systems, rates,
                                   d.get("trials"))
        return out

    def _derive(self, trials, latency, old_what):
        """Fill in what context.json did not say, from the rows."""
        lat_exps = set(latency["experiment"]) if latency is not None and not latency.empty else set()
        pairs = _ordered_pairs([trials, latency])
        modes, derived = {}, set()
        for exp, system, mode in pairs:
            modes.setdefault(system, [])
            if mode not in modes[system]:
                modes[system].append(mode)
            if exp not in self.experiments:
                in_trials = any(e == exp for e, _ in self._rate)
                kind = LATENCY_KIND if exp in lat_exps and not in_trials else THROUGHPUT_KIND
                self.experiments[exp] = Experiment(exp, kind, [], _rates([trials, latency], exp), None)
                derived.add(exp)
            e = self.experiments[exp]
            if exp in derived and (system, mode) not in e.systems:
                e.systems.append((system, mode))
        for system, ms in modes.items():
            if system in self.systems:
                continue
            if ms == [NO_SYSTEM_MODE]:
                counts = FLOOR_COUNTS
            else:
                cols = {col for (_, s), col in self._rate.items() if s == system}
                counts = "sink" if "sink_pps" in cols else "dut"
            self.systems[system] = System(system, system, ms, counts,
                                          str(old_what.get(system, "")), "")

    # --- questions the analysis asks ------------------------------------------------
    def system(self, name):
        return self.systems.get(name) or System(name, name, [], "dut", "", "")

    def label(self, system, mode, sep=" "):
        """The human name of (system, mode): the catalog's label, plus the mode when
        the system has more than one (without a catalog: always)."""
        s = self.system(system)
        if self.has_catalog and system in self.systems and len(s.modes) <= 1:
            return s.label
        return f"{s.label}{sep}{mode}" if mode else s.label

    def rate_column(self, system, experiment):
        if self.has_catalog and system in self.systems:
            return COUNTS[self.systems[system].counts]
        return self._rate.get((experiment, system), COUNTS[self.system(system).counts])

    def counts(self, system):
        return self.system(system).counts

    def is_floor(self, system):
        return self.counts(system) == FLOOR_COUNTS

    def experiment(self, name):
        return self.experiments.get(name)

    def experiment_order(self):
        return list(self.experiments)

    def is_latency(self, experiment):
        e = self.experiments.get(experiment)
        return e is not None and e.kind == LATENCY_KIND
