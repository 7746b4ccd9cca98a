# SPDX-License-Identifier: GPL-2.0
"""The command line of xdplab's analysis (called by tools/report.sh).

  python3 -m xdplab_analysis analyze RESULTS_DIR OUT
        summary.csv, ratios.csv, OUT/plots/data/*
  python3 -m xdplab_analysis report  RESULTS_DIR OUT
        report.md, report.html, claims.csv from OUT's files; the verdicts on stdout
  python3 -m xdplab_analysis compare ...
        `xdplab compare`: the CI gate's verdict on a change (cmpcli.py, docs/ci.md;
        its own exit codes 10 and 11 for regressed and inconclusive)

(PYTHONPATH=harness/analysis.)  OUT is a staging directory: tools/report.sh
moves its contents into RESULTS_DIR only when every step succeeded.  Exit
codes follow xdplab's table: 0 ok, 1 failure (also a broken
configs/claims.ini), 2 usage, 3 the results directory breaks the contract
(one line "xdplab: ..." on stderr).  Set XL_DEBUG=1 for a traceback on
failures.  XL_CLAIMS=FILE reads another claims file (tests use this).
"""
import os
import sys
import traceback

import pandas as pd

from . import CLAIMS_PATH, claims, cmpcli, plotdata, ratios, report, summary
from .claimsfile import ClaimsFile, ClaimsFileError
from .csvio import read_csv, write_csv
from .paper import Paper
from .resultsdir import ResultsError, load

EXIT_FAIL, EXIT_USAGE, EXIT_INPUT = 1, 2, 3


def _setup(res_dir):
    conf = ClaimsFile(os.environ.get("XL_CLAIMS") or CLAIMS_PATH)
    return load(res_dir), conf, Paper(conf.series)


def analyze(res_dir, out):
    res, conf, paper = _setup(res_dir)
    write_csv(summary.summarize(res), os.path.join(out, "summary.csv"))
    write_csv(ratios.compute(res, conf, paper), os.path.join(out, "ratios.csv"))
    plotdata.prepare(res, paper, conf, os.path.join(out, "plots", "data"))


def make_report(res_dir, out):
    res, conf, paper = _setup(res_dir)
    s = read_csv(os.path.join(out, "summary.csv"))
    r = read_csv(os.path.join(out, "ratios.csv"))
    figs = [f for f in plotdata.read_list(os.path.join(out, "plots", "data"))
            if os.path.exists(os.path.join(out, "plots", f.name + ".png"))]
    verdicts = claims.evaluate(s, r, paper, conf, res)
    report.write(out, report.build(res, s, r, verdicts, figs, conf, paper))
    write_csv(pd.DataFrame([v._asdict() for v in verdicts], columns=claims.Verdict._fields),
              os.path.join(out, "claims.csv"))
    # For the person at the terminal: the verdicts at a glance (the files hold the detail).
    width = max((len(v.verdict) for v in verdicts), default=0)
    print("\nThe paper's claims in this run (details: report.md):")
    for v in verdicts:
        print(f"  {v.verdict:<{width}}  {v.title}")


def main(argv):
    if len(argv) >= 2 and argv[1] == "compare":
        return cmpcli.main(argv[2:])
    steps = {"analyze": analyze, "report": make_report}
    if len(argv) != 4 or argv[1] not in steps:
        print("usage: python3 -m xdplab_analysis analyze|report RESULTS_DIR OUT\n"
              "       python3 -m xdplab_analysis compare --help", file=sys.stderr)
        return EXIT_USAGE
    try:
        steps[argv[1]](argv[2], argv[3])
    except ResultsError as e:
        print(f"xdplab: {e}", file=sys.stderr)
        return EXIT_INPUT
    except ClaimsFileError as e:
        print(f"xdplab: {e}", file=sys.stderr)
        return EXIT_FAIL
    except Exception as e:  # anything else is our bug or the environment's
        if os.environ.get("XL_DEBUG"):
            traceback.print_exc()
        print(f"xdplab: analysis failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAIL
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
