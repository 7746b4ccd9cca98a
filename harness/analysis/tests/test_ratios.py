# SPDX-License-Identifier: GPL-2.0
"""Per-trial-pair comparisons with their confidence intervals (ratios)."""
import math
import unittest

from helpers import NEW, OLD, TempFixture, pipeline
from xdplab_analysis import stats
import pandas as pd

from xdplab_analysis.ratios import RATIO_COLUMNS, equal_load, nearest_rate


def row(r, name, basis, target=None):
    m = (r["ratio"] == name) & (r["basis"] == basis)
    if target is not None:
        m &= r["num_target_pps"] == target
    rows = r[m]
    assert len(rows) == 1, (name, basis, len(rows))
    return rows.iloc[0]


class RatiosTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.res, _, cls.r, _ = pipeline(NEW)

    def test_columns(self):
        """ratios.csv keeps its columns in order and adds sd, the CI and n_unequal_load at the end"""
        self.assertEqual(list(self.r.columns[-5:]),
                         ["sd", "ci_low", "ci_high", "ci_method", "n_unequal_load"])
        self.assertEqual(list(self.r.columns), RATIO_COLUMNS)

    def test_every_row_has_ci(self):
        """every ratio or difference with two pairs or more has a CI around its median"""
        for _, x in self.r.iterrows():
            if x["n_pairs"] >= stats.MIN_N:
                self.assertEqual(x["ci_method"], stats.METHOD)
                self.assertTrue(x["ci_low"] <= x["median"] <= x["ci_high"], x["ratio"])
                self.assertTrue(x["min"] <= x["ci_low"] and x["ci_high"] <= x["max"], x["ratio"])

    def test_invalid_trial_drops_pair(self):
        """an invalid trial removes its pair: 2 pairs, CI = their range"""
        x = row(self.r, "drop_xdp_vs_linux", "cpu_cost")
        self.assertEqual(x["n_pairs"], 2)
        self.assertAlmostEqual(x["ci_low"], 5.0)
        self.assertAlmostEqual(x["ci_high"], 5.2)

    def test_difference_sd(self):
        """a difference's sd is the sample standard deviation of the pair differences"""
        x = row(self.r, "pass_overhead", "cpu_ns")
        self.assertAlmostEqual(x["sd"], stats.stdev([12.0, 15.0, 11.0]))

    def test_latency_rates_matched(self):
        """'@ RATE' sides use the measured rate standing for the paper's rate"""
        x = row(self.r, "lat_xdp_low_vs_high", "avg_latency")
        self.assertEqual((x["num_target_pps"], x["den_target_pps"]), (100.0, 1e6))
        self.assertEqual(x["pairing"], "by trial number (not interleaved)")
        self.assertAlmostEqual(x["paper"], 82 / 7)

    def test_old_directory_same_ratios(self):
        """an old directory (no catalog) gives the same ratios.csv as the new one"""
        _, _, old, _ = pipeline(OLD)
        cols = ["ratio", "basis", "n_pairs", "median", "ci_low", "ci_high", "paper"]
        self.assertEqual(old[cols].fillna(-1).values.tolist(), self.r[cols].fillna(-1).values.tolist())

    def test_missing_system(self):
        """a comparison whose system did not run has no row"""
        with TempFixture() as fx:
            rows = [r for r in fx.rows() if r["system"] != "linux-conntrack"]
            fx.write_rows(rows)
            _, _, r, _ = pipeline(fx.path)
            self.assertTrue(r[r["ratio"] == "drop_xdp_vs_conntrack"].empty)


class NearestRateTest(unittest.TestCase):
    def test_tolerance(self):
        """the nearest measured rate within the paper rate's factor wins"""
        tol = {100.0: 10.0, 1e6: 2.0}
        self.assertEqual(nearest_rate([50.0, 1000.0, 1e6], 100.0, tol), 50.0)
        self.assertEqual(nearest_rate([2.5e6], 1e6, tol), None)
        self.assertEqual(nearest_rate([5e5, 1.5e6], 1e6, tol), 1.5e6)
        self.assertIsNone(nearest_rate([200.0], 300.0, tol))  # not a paper rate: exact only
        self.assertTrue(math.isfinite(nearest_rate([300.0], 300.0, tol)))


class EqualLoadTest(unittest.TestCase):
    """The pair rule: a paced pair is compared only at equal offered load."""

    def mask(self, on, od, tn=1e6, td=1e6, sn="valid", sd="valid"):
        m = pd.DataFrame({"offered_pps_n": [on], "offered_pps_d": [od],
                          "target_pps_n": [tn], "target_pps_d": [td],
                          "status_n": [sn], "status_d": [sd]})
        return bool(equal_load(m, 2.0).iloc[0])

    def test_within(self):
        """paced pair with offered loads 1.5% apart: compared"""
        self.assertTrue(self.mask(1e6, 0.985e6))

    def test_apart(self):
        """paced pair with offered loads 5% apart: left out"""
        self.assertFalse(self.mask(1e6, 0.95e6))

    def test_unpaced(self):
        """unpaced pairs (target 0) are kept: the run did not set the load"""
        self.assertTrue(self.mask(7e6, 4e6, tn=0, td=0))

    def test_both_saturated(self):
        """both saturated: each was offered more than it took, compared"""
        self.assertTrue(self.mask(1e6, 0.9e6, sn="saturated", sd="saturated"))

    def test_one_saturated(self):
        """the one offered more saturated, loads 10% apart: left out"""
        self.assertFalse(self.mask(1e6, 0.9e6, sn="saturated"))

    def test_lower_saturated(self):
        """the one offered less saturated (above its capacity at either load): compared"""
        self.assertTrue(self.mask(1e6, 0.9e6, sd="saturated"))
        self.assertTrue(self.mask(0.9e6, 1e6, sn="saturated"))


if __name__ == "__main__":
    unittest.main()
