# SPDX-License-Identifier: GPL-2.0
"""Verdict rules: confidence intervals against accepted regions, the three forms
of a difference claim, and the verdicts for what cannot be judged (claims)."""
import re
import unittest

from helpers import NEW, OLD, TempFixture, pipeline
from xdplab_analysis import claims
from xdplab_analysis.claims import (INCONCLUSIVE, NOT_IMPLEMENTED, NOT_MEASURABLE, NOT_MEASURED,
                                    NOT_REPRODUCED, REPRODUCED, judge_ci, ratio_region)

NEGATIVE = re.compile(r"(?<![\w/])[-−]\s?\d")  # a negative number written out


class RegionTest(unittest.TestCase):
    def test_ratio_region(self):
        """the accepted region: the paper's side of 1 and within the factor"""
        r = ratio_region(4.0, 2.0)
        self.assertEqual((r.lo, r.hi), (2.0, 8.0))
        r = ratio_region(1.5, 2.0)  # 1.5 / 2 < 1: the side of 1 is the bound
        self.assertEqual((r.lo, r.hi, r.lo_open), (1.0, 3.0, True))
        r = ratio_region(0.25, 2.0)
        self.assertEqual((r.lo, r.hi), (0.125, 0.5))

    def test_judge(self):
        """inside, outside and straddling, with the bound named and the overlap given"""
        r = ratio_region(4.0, 2.0)
        self.assertEqual(judge_ci(3.0, 5.0, r)[0], "in")
        self.assertEqual(judge_ci(9.0, 12.0, r)[0], "out")
        self.assertEqual(judge_ci(1.0, 1.9, r)[0], "out")
        state, text = judge_ci(1.5, 3.0, r)
        self.assertEqual(state, "straddle")
        self.assertIn("straddles the lower bound 2.00×", text)
        self.assertIn("0.500× below it and 1.00× above", text)
        state, text = judge_ci(1.0, 9.0, r)
        self.assertIn("lower bound", text)
        self.assertIn("upper bound", text)

    def test_side_of_one_is_open(self):
        """a CI touching 1 is not on the paper's side of 1"""
        self.assertEqual(judge_ci(1.0, 1.2, ratio_region(1.5, 2.0))[0], "straddle")
        self.assertEqual(judge_ci(0.8, 1.0, ratio_region(1.5, 2.0))[0], "out")


class FixtureVerdictsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.v = pipeline(NEW)[3]

    def test_vocabulary(self):
        """every verdict is one of the six, and 'not applicable' appears nowhere"""
        for v in self.v.values():
            self.assertIn(v.verdict, claims.VERDICTS)
            for text in v:
                self.assertNotIn("not applicable", text)

    def test_expected(self):
        """the fixture's numbers give the verdicts the rules predict"""
        want = {"drop-linux": REPRODUCED, "pass": REPRODUCED, "cpu-xdp-linux": NOT_REPRODUCED,
                "drop-dpdk": NOT_MEASURABLE, "fwd-cores": NOT_MEASURABLE,
                "fwd-dpdk": INCONCLUSIVE, "lat-shape": NOT_REPRODUCED,
                "routing": NOT_MEASURED, "routing-full": NOT_MEASURED,
                "ddos": NOT_MEASURED, "lb": NOT_MEASURED}
        self.assertEqual({k: self.v[k].verdict for k in want}, want)

    def test_reasons(self):
        """reasons say why: the straddled bound, the missing cores, the capped generator"""
        self.assertIn("straddles the lower bound 1", self.v["fwd-dpdk"].because)
        self.assertIn("one DUT core: no scaling curve", self.v["fwd-cores"].because)
        self.assertIn("generator is the bottleneck", self.v["drop-dpdk"].because)
        self.assertIn("lies inside the accepted region", self.v["drop-linux"].because)

    def test_latency_floor(self):
        """latency values are shown with the floor at the same rate and minus it"""
        here = self.v["lat-xdp-1M"].here
        self.assertIn("the floor (", here)
        self.assertIn("6.00 µs above it", here)  # 9.0 µs - 3.0 µs

    def test_old_directory_same_verdicts(self):
        """an old directory gets the same verdicts as the same numbers with a catalog"""
        old = pipeline(OLD)[3]
        self.assertEqual({k: v.verdict for k, v in old.items()},
                         {k: v.verdict for k, v in self.v.items()})


def pass_costs(deltas):
    """The fixture with the XDP_PASS system's ns_per_pkt = its neighbour's + deltas."""
    fx = TempFixture()
    fx.__enter__()
    rows = fx.rows()
    base = {r["trial"]: float(r["ns_per_pkt"]) for r in rows
            if r["experiment"] == "pass_overhead" and r["mode"] == "stack"}
    for r in rows:
        if r["experiment"] == "pass_overhead" and r["mode"] == "native":
            r["ns_per_pkt"] = str(base[r["trial"]] + deltas[int(r["trial"]) - 1])
    fx.write_rows(rows)
    return fx


class DifferenceTest(unittest.TestCase):
    """The XDP_PASS claim has exactly three forms."""

    def verdict(self, deltas):
        fx = pass_costs(deltas)
        try:
            return pipeline(fx.path)[3]["pass"]
        finally:
            fx.__exit__(None, None, None)

    def test_excludes_paper(self):
        """a CI entirely above the paper's 13.3 ns: not reproduced, CI excludes it"""
        v = self.verdict([40, 45, 50])
        self.assertEqual(v.verdict, NOT_REPRODUCED)
        self.assertIn("excludes 13.3 ns", v.because)

    def test_negative_never_a_number(self):
        """a CI at or below 0: not reproduced, and no negative cost is written out"""
        v = self.verdict([-20, -25, -30])
        self.assertEqual(v.verdict, NOT_REPRODUCED)
        self.assertIn("excludes 13.3 ns", v.because)
        self.assertIn("no cost visible", v.here)
        for text in (v.here, v.because):
            self.assertIsNone(NEGATIVE.search(text), text)

    def test_unresolved(self):
        """a CI containing 13.3 ns but too wide: unresolved here, noise and pairs needed"""
        v = self.verdict([60, -40, 10])
        self.assertEqual(v.verdict, INCONCLUSIVE)
        # sd(60, -40, 10) = 50 ns; (1.96 x 1.2533 x 50 / 5)^2 = 603.4 -> 604 pairs
        self.assertIn("unresolved here: noise 50.0 ns per pair, needed 604 pairs", v.because)
        self.assertTrue(v.here.startswith("unresolved here"))
        for text in (v.here, v.because):
            self.assertIsNone(NEGATIVE.search(text), text)

    def test_reproduced(self):
        """a CI within 2x of 13.3 ns: reproduced"""
        self.assertEqual(self.verdict([12, 15, 11]).verdict, REPRODUCED)


class CannotJudgeTest(unittest.TestCase):
    def test_no_experiment(self):
        """a run without the experiment: not measured in this run, naming it"""
        with TempFixture() as fx:
            fx.write_rows([r for r in fx.rows() if r["experiment"] != "pass_overhead"])
            ctx = fx.context()
            del ctx["experiments"]["pass_overhead"]
            fx.write_context(ctx)
            v = pipeline(fx.path)[3]["pass"]
        self.assertEqual(v.verdict, NOT_MEASURED)
        self.assertIn("no pass_overhead experiment", v.because)

    def test_bigger_machine(self):
        """a machine that could host 2 DUT cores but did not: not measured, not 'not measurable'"""
        with TempFixture() as fx:
            ctx = fx.context()
            ctx["cpus_online"] = 8
            fx.write_context(ctx)
            v = pipeline(fx.path)[3]["fwd-cores"]
        self.assertEqual(v.verdict, NOT_MEASURED)
        self.assertIn("no trials with 2 DUT cores", v.because)

    def test_machine_first(self):
        """a scaling claim on a 2-vCPU machine is not measurable here even when its
        systems did not run either"""
        with TempFixture() as fx:
            fx.write_rows([r for r in fx.rows() if r["mode"] != "dpdk"])
            v = pipeline(fx.path)[3]["fwd-cores"]
        self.assertEqual(v.verdict, NOT_MEASURABLE)

    def test_one_pair(self):
        """one valid pair: no CI, so inconclusive"""
        with TempFixture() as fx:
            fx.edit({"experiment": "drop", "system": "linux-raw", "trial": "3"}, valid="0")
            v = pipeline(fx.path)[3]["drop-linux"]
        self.assertEqual(v.verdict, INCONCLUSIVE)
        self.assertIn("no confidence interval", v.because)


class AlwaysBusyTest(unittest.TestCase):
    def busy(self, values):
        with TempFixture() as fx:
            rows = fx.rows()
            for r in rows:
                if r["experiment"] == "cpu" and r["mode"] == "dpdk" and r["target_pps"] == "500000":
                    r["dut_cpu_pct"] = str(values[int(r["trial"]) - 1])
            fx.write_rows(rows)
            return pipeline(fx.path)[3]["cpu-dpdk"]

    def test_below(self):
        """every trial at one load under the threshold: not reproduced"""
        self.assertEqual(self.busy([80, 82, 85]).verdict, NOT_REPRODUCED)

    def test_straddle(self):
        """a load whose CI straddles the threshold: inconclusive"""
        v = self.busy([80, 100, 100])
        self.assertEqual(v.verdict, INCONCLUSIVE)
        self.assertIn("straddles 95%", v.because)


if __name__ == "__main__":
    unittest.main()
