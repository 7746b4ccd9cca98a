# SPDX-License-Identifier: GPL-2.0
"""The report: claim lines, rules, CI columns and the latency table with its floor
(report)."""
import unittest

from helpers import APPS, NEW, OLD, conf, pipeline
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


class AppsReportTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.md = build(APPS)

    def test_lb_check(self):
        """a load-balancer experiment gets its check table: the median of every lb_* column
        per system over the valid trials, with the schema's meanings"""
        lines = self.md.splitlines()
        i = next(n for n, x in enumerate(lines) if x.startswith("### Load-balancer check"))
        head = lines[i + 2]
        for col in ("lb_flows", "lb_reals_hit", "lb_flows_per_real_min", "lb_flows_per_real_median",
                    "lb_flows_per_real_max", "lb_moved", "lb_malformed"):
            self.assertIn(f"| {col} |", head)
        rows = [x for x in lines[i + 4:i + 6]]
        self.assertTrue(all(x.startswith("| ") for x in rows), rows)
        self.assertIn("| 3/3 | 1000 | 100 | 3 | 10 | 19 | 0 | 0 |", rows[0])
        self.assertIn("fewest flows on a real that got any", self.md)
        self.assertEqual(sum(x.startswith("### Load-balancer check") for x in lines), 1)

    def test_rr_column(self):
        """the DDoS experiment's table shows the transactions per second"""
        self.assertIn("| TCP_RR trans/s |", self.md)
        self.assertIn("20000 [19900–20200]", self.md)

    def test_knee_rule_stated(self):
        """the rules say how knees and their lower bounds are judged"""
        self.assertIn("Knees under attack", self.md)
        self.assertIn("lower-bound", self.md)

    def test_old_directory_has_no_check(self):
        """older directories (no lb_* or rr_tps columns) get neither"""
        md = build(OLD)
        self.assertNotIn("Load-balancer check", md)
        self.assertNotIn("| TCP_RR trans/s |", md)


if __name__ == "__main__":
    unittest.main()
