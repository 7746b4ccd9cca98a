#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""xlanalysis.py - command line of xdplab's analysis (called by tools/report.sh).

  xlanalysis.py analyze RESULTS_DIR OUT   summary.csv, ratios.csv, OUT/plots/data/*
  xlanalysis.py report  RESULTS_DIR OUT   report.md, report.html, claims.csv from OUT's
                                          files; one line per claim on stdout

OUT is a staging directory: tools/report.sh moves its contents into
RESULTS_DIR only when every step succeeded.  Exit codes follow xdplab's table:
0 ok, 1 failure, 2 usage, 3 the results directory breaks the contract (one
line "xdplab: ..." on stderr).  Set XL_DEBUG=1 for a traceback on failures.
"""
import os
import sys
import traceback

import pandas as pd

import claims
import plotdata
import ratios
import report
import summary
from paper import Paper
from resultsdir import ResultsError, load

EXIT_FAIL, EXIT_USAGE, EXIT_INPUT = 1, 2, 3
INT_COLUMNS = ["frame_size", "flows", "cores", "target_pps", "num_target_pps",
               "den_target_pps", "n", "n_valid", "n_pairs"]


def write_csv(df, path):
    """Write atomically; integral columns without a trailing .0."""
    df = df.copy()
    for c in INT_COLUMNS:
        if c in df.columns:
            v = df[c].dropna()
            if (v == v.round()).all():
                df[c] = df[c].round().astype("Int64")
    tmp = path + ".tmp"
    df.to_csv(tmp, index=False, float_format="%.10g")
    os.replace(tmp, path)


def read_csv(path):
    df = pd.read_csv(path, keep_default_na=True)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].fillna("")
    return df


def analyze(res_dir, out):
    res = load(res_dir)
    paper = Paper()
    write_csv(summary.summarize(res), os.path.join(out, "summary.csv"))
    write_csv(ratios.compute(res, paper), os.path.join(out, "ratios.csv"))
    plotdata.prepare(res, paper, os.path.join(out, "plots", "data"))


def make_report(res_dir, out):
    res = load(res_dir)
    paper = Paper()
    s = read_csv(os.path.join(out, "summary.csv"))
    r = read_csv(os.path.join(out, "ratios.csv"))
    figs = [f for f in plotdata.read_list(os.path.join(out, "plots", "data"))
            if os.path.exists(os.path.join(out, "plots", f.name + ".png"))]
    verdicts = claims.evaluate(s, r, paper)
    doc = report.build(res, s, r, verdicts, figs)
    report.write(out, doc)
    write_csv(pd.DataFrame([v._asdict() for v in verdicts], columns=claims.Verdict._fields),
              os.path.join(out, "claims.csv"))
    # For the person at the terminal: the verdicts at a glance (the files hold the detail).
    width = max((len(v.verdict) for v in verdicts), default=0)
    print("\nThe paper's claims in this run (details: report.md):")
    for v in verdicts:
        print(f"  {v.verdict:<{width}}  {v.title}")


def main(argv):
    steps = {"analyze": analyze, "report": make_report}
    if len(argv) != 4 or argv[1] not in steps:
        print("usage: xlanalysis.py analyze|report RESULTS_DIR OUT", file=sys.stderr)
        return EXIT_USAGE
    try:
        steps[argv[1]](argv[2], argv[3])
    except ResultsError as e:
        print(f"xdplab: {e}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as e:  # anything else is our bug or the environment's
        if os.environ.get("XL_DEBUG"):
            traceback.print_exc()
        print(f"xdplab: analysis failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAIL
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
