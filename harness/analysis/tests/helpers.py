# SPDX-License-Identifier: GPL-2.0
"""helpers.py - shared by the analysis' unit tests: the repository's fixtures and
data files, temporary copies of a fixture with edited rows, and the analysis
pipeline run in memory (load, summary, ratios, claims) without tools/report.sh.
"""
import csv
import json
import os
import shutil
import tempfile

from xdplab_analysis import CLAIMS_PATH, REPO, claims, ratios, summary
from xdplab_analysis.claimsfile import ClaimsFile
from xdplab_analysis.paper import Paper
from xdplab_analysis.resultsdir import load

FIXTURES = os.path.join(REPO, "tests", "fixtures")
NEW = os.path.join(FIXTURES, "results-small")   # with schema, catalog and experiments
OLD = os.path.join(FIXTURES, "results-old")     # written before those keys existed
APPS = os.path.join(FIXTURES, "results-apps")   # the DDoS sweep and the load balancer
PACKAGE = os.path.join(REPO, "harness", "analysis", "xdplab_analysis")


class TempFixture:
    """A copy of a fixture directory that a test may edit; removed on exit."""

    def __init__(self, src=NEW):
        self.src = src

    def __enter__(self):
        self.tmp = tempfile.mkdtemp(prefix="xlt-units.")
        self.path = os.path.join(self.tmp, "res")
        shutil.copytree(self.src, self.path)
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def file(self, name):
        return os.path.join(self.path, name)

    def rows(self, name="results.csv"):
        with open(self.file(name), newline="") as f:
            return list(csv.DictReader(f))

    def write_rows(self, rows, name="results.csv", fields=None):
        fields = fields or list(rows[0].keys())
        with open(self.file(name), "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
            w.writeheader()
            w.writerows(rows)

    def edit(self, match, name="results.csv", **values):
        """Set columns of every row whose columns equal `match`."""
        rows = self.rows(name)
        for r in rows:
            if all(r[k] == v for k, v in match.items()):
                r.update({k: str(v) for k, v in values.items()})
        self.write_rows(rows, name)

    def context(self):
        with open(self.file("context.json")) as f:
            return json.load(f)

    def write_context(self, ctx):
        with open(self.file("context.json"), "w") as f:
            json.dump(ctx, f)


def conf():
    return ClaimsFile(CLAIMS_PATH)


def pipeline(path, claims_file=None):
    """(res, summary, ratios, {claim id: Verdict}) of one results directory."""
    c = claims_file or conf()
    res = load(path)
    paper = Paper(c.series)
    s = summary.summarize(res)
    r = ratios.compute(res, c, paper)
    verdicts = claims.evaluate(s, r, paper, c, res)
    return res, s, r, {v.id: v for v in verdicts}
