# SPDX-License-Identifier: GPL-2.0
"""The report: claim lines, rules, CI columns and the latency table with its floor
(report)."""
import unittest

from helpers import NEW, OLD, conf, pipeline
from xdplab_analysis import report
from xdplab_analysis.doc import to_markdown
from xdplab_analysis.paper import Paper


def build(path):
    res, s, r, v = pipeline(path)
    c = conf()
    return to_markdown(report.build(res, s, r, list(v.values()), [], c, Paper(c.series)))


class ReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.md = build(NEW)

    def test_claim_lines(self):
        """one verdict line per claim of claims.ini, in its order"""
        lines = [x for x in self.md.splitlines() if x.startswith("- **[")]
        self.assertEqual([x.split("]")[0][5:] for x in lines], [c.id for c in conf().claims])

    def test_method_stated(self):
        """the report states the CI method and the factor rule"""
        self.assertIn("percentile bootstrap of the median", self.md)
        self.assertIn("within a factor 2 of the paper", self.md)

    def test_no_not_applicable(self):
        """'not applicable' is gone from the report"""
        self.assertNotIn("not applicable", self.md)

    def test_latency_table(self):
        """latency rows: min/avg/p99/max, share < 10 us, the floor and avg minus the floor"""
        head = next(x for x in self.md.splitlines() if x.startswith("| system | mode | rate |"))
        for col in ("min µs", "avg µs", "p99 µs", "max µs", "< 10 µs %", "floor avg µs",
                    "avg − floor µs"):
            self.assertIn(col, head)
        self.assertIn("minus the floor", self.md)
        self.assertIn("| (the floor) | — |", self.md)

    def test_ratio_ci_column(self):
        """comparison tables carry the 95% CI"""
        self.assertIn("| comparison | basis | load | median [IQR] | 95% CI |", self.md)

    def test_old_directory(self):
        """an old directory's report says its columns came from the built-in list"""
        self.assertIn("built-in (context.json has no schema)", build(OLD))


if __name__ == "__main__":
    unittest.main()
