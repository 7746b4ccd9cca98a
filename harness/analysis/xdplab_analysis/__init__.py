# SPDX-License-Identifier: GPL-2.0
"""xdplab_analysis - from one results directory to summaries, comparisons with
the paper, verdicts, figure data and a report.

Run as `python3 -m xdplab_analysis analyze|report RESULTS_DIR OUT` with
PYTHONPATH=harness/analysis (tools/report.sh does this).  The package knows
no system and no experiment by name: what the machine ran comes from the
results directory (results.csv and context.json: its "schema", "catalog"
and "experiments"), and what is the paper's comes from two data files,
configs/claims.ini (which of our systems stands for which paper series, the
comparisons, the claims and the figures) and plots/paper_reference.csv (the
paper's numbers).

Modules, one concern each:
  schema      the runner's column definitions (context.json, or the built-in
              list for old directories)
  catalog     systems and experiments of the run (context.json, or derived)
  resultsdir  one results directory into typed DataFrames
  claimsfile  configs/claims.ini into definitions
  paper       plots/paper_reference.csv and the series our systems stand for
  stats       median and spread, bootstrap confidence intervals
  summary     summary.csv
  ratios      ratios.csv: comparisons per trial pair, with their CIs
  claims      verdict rules, one function per claim type
  knee        where a curve under a rising attack collapses (knee claims, Fig. 7)
  appcheck    the load-balancer check table (lb_* columns)
  plotdata    the numbers behind each figure; gpdata writes them for gnuplot
  report      report.md and report.html; doc renders them; fmt formats numbers
  csvio       the analysis' own CSV files
  compare     `xdplab compare`, the CI gate: cmpdefs (metrics, thresholds, exit
              codes), cmpstats (changes, CIs, verdicts), baseline (a side of a
              comparison, the baseline file), cmpout (table, JSON, Markdown),
              cmpcli (its command line)
"""
import os

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
CLAIMS_PATH = os.path.join(REPO, "configs", "claims.ini")
PAPER_PATH = os.path.join(REPO, "plots", "paper_reference.csv")
