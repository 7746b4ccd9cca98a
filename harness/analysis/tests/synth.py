# SPDX-License-Identifier: GPL-2.0
"""synth.py - synthetic results directories with known answers, for the tests of
`xdplab compare` (test_compare.py).  results.csv gets the column header of the
schema in tests/fixtures/results-small/context.json (and that schema goes into
the new context.json), rows interleaved A,B,B,A like the runner's; each side is
given as its per-trial ns_per_pkt (the DUT saturated: dut_pps = 1e9/ns,
dut_cpu_pct near 100) unless a test sets columns itself.
"""
import csv
import json
import os
import shutil
import tempfile

from helpers import NEW

with open(os.path.join(NEW, "context.json")) as _f:
    _FIXTURE_CTX = json.load(_f)
RESULTS_SCHEMA = _FIXTURE_CTX["schema"]["results.csv"]
# programs.csv's columns as harness/core/schema.c defines them.
PROGRAMS_SCHEMA = [{"name": n, "type": t, "unit": "", "meaning": ""} for n, t in (
    ("system", "string"), ("mode", "string"), ("prog", "string"), ("verified_insns", "int"),
    ("xlated_bytes", "int"), ("jited_bytes", "int"), ("maps", "int"), ("frame_size", "int"),
    ("test_run_repeat", "int"), ("test_run_calls", "int"), ("test_run_ns", "float"),
    ("test_run_min_ns", "float"), ("test_run_max_ns", "float"), ("test_run_retval", "int"))]

EXP = "ab"
BASE, NEW_SYS = "prog-old", "prog-new"


def row(system, trial, ns, mode="native", experiment=EXP, **cols):
    """One results.csv row of a saturated DUT at `ns` ns per packet."""
    r = {c["name"]: "" for c in RESULTS_SCHEMA}
    pps = 1e9 / ns
    r.update(experiment=experiment, system=system, mode=mode, frame_size=64, flows=1, cores=1,
             trial=trial, valid=1, target_pps=0, offered_pps=2900000, dut_pps=f"{pps:.1f}",
             loss_pct=0, dut_cpu_pct=99.5, ns_per_pkt=f"{ns:.6g}", gen_cpu_pct=100,
             steal_pct=0.1, duration_s=10, offered_pkts=29000000, dut_pkts=int(pps * 10),
             dut_rx_dropped=0, dut_task_ns_per_pkt=f"{ns * 0.96:.6g}")
    r.update({k: v for k, v in cols.items()})
    return r


def ab_rows(base_ns, new_ns, base=BASE, new=NEW_SYS, **cols):
    """Both sides' rows, trial k of each next to the other, order A,B then B,A."""
    rows = []
    for k, (b, n) in enumerate(zip(base_ns, new_ns), start=1):
        pair = [row(base, k, b, **cols), row(new, k, n, **cols)]
        rows += pair if k % 2 else pair[::-1]
    return rows


def program(system, insns=100, jited=600, ns=25.0, lo=24.0, hi=26.0, mode="native"):
    return {"system": system, "mode": mode, "prog": "xdp_prog", "verified_insns": insns,
            "xlated_bytes": insns * 8, "jited_bytes": jited, "maps": 1, "frame_size": 64,
            "test_run_repeat": 1000000, "test_run_calls": 9, "test_run_ns": ns,
            "test_run_min_ns": lo, "test_run_max_ns": hi, "test_run_retval": 1}


def _write_csv(path, schema, rows):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=[c["name"] for c in schema], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def write_run(path, rows, programs=None, ab=None, counts=None, extra=None):
    """A results directory at `path`: results.csv, context.json (schema, catalog with
    each system's `counts`, default "dut"; experiments; "ab" if given) and programs.csv
    if `programs` (a list of program() dicts) is given."""
    os.makedirs(path, exist_ok=True)
    _write_csv(os.path.join(path, "results.csv"), RESULTS_SCHEMA, rows)
    systems = list(dict.fromkeys((r["experiment"], r["system"], r["mode"]) for r in rows))
    counts = counts or {}
    ctx = {
        "kernel": "6.18.0-test", "cpu_model": "Synthetic CPU", "git_commit": "abcdef012345",
        "hostname": "ci-runner", "xdplab_version": "0.1", "started_utc": "2026-12-01T10:00:00Z",
        "schema": {"results.csv": RESULTS_SCHEMA},
        "catalog": {s: {"kind": "xdp", "what": s, "label": s.upper(), "modes": ["native"],
                        "counts": counts.get(s, "dut"), "obj": f"{s}.o", "prog": "xdp_prog",
                        "source": "test"} for _, s, _ in systems},
        "experiments": {},
    }
    for e, s, m in systems:
        ctx["experiments"].setdefault(e, {"kind": "throughput", "systems": [], "rates": [0]})
        ctx["experiments"][e]["systems"].append({"system": s, "mode": m})
    if programs is not None:
        ctx["schema"]["programs.csv"] = PROGRAMS_SCHEMA
        _write_csv(os.path.join(path, "programs.csv"), PROGRAMS_SCHEMA, programs)
    if ab is not None:
        ctx["ab"] = ab
    ctx.update(extra or {})
    with open(os.path.join(path, "context.json"), "w") as f:
        json.dump(ctx, f)
    return path


class TempDir:
    """A temporary directory for synthetic runs and outputs; removed on exit."""

    def __enter__(self):
        self.path = tempfile.mkdtemp(prefix="xlt-compare.")
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.path, ignore_errors=True)

    def __call__(self, *names):
        return os.path.join(self.path, *names)


def scaled(values, factor):
    return [v * factor for v in values]


# Small noise: per-trial ns of a program of about 100 ns (+-1%).
QUIET = [100.0, 100.8, 99.4, 100.3, 99.7, 100.5, 99.2, 100.1, 99.9, 100.6]
# Per-pair ratios new/base spread +-30% around +2.5% (median): no 10 pairs decide.
NOISY_RATIOS = [0.8, 1.3, 0.95, 1.2, 1.0, 0.85, 1.25, 1.1, 0.9, 1.05]
