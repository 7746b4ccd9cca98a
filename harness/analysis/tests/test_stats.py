# SPDX-License-Identifier: GPL-2.0
"""Medians, quartiles and the bootstrap CI (xdplab_analysis.stats)."""
import math
import unittest

from xdplab_analysis import stats


class SpreadTest(unittest.TestCase):
    def test_quartiles(self):
        """median and IQR interpolate linearly between order statistics"""
        s = stats.spread([3.0, 1.0, 2.0])
        self.assertEqual((s["median"], s["p25"], s["p75"], s["min"], s["max"]),
                         (2.0, 1.5, 2.5, 1.0, 3.0))

    def test_empty(self):
        """no values (or only NaN): every statistic is NaN"""
        self.assertTrue(all(math.isnan(v) for v in stats.spread([math.nan]).values()))


class BootstrapTest(unittest.TestCase):
    def test_reproducible(self):
        """the same values give the same CI (fixed seed), whatever ran before"""
        vals = [12.0, 15.0, 11.0, 30.0, -4.0, 9.0, 13.0]
        first = stats.bootstrap_ci(vals)
        stats.bootstrap_ci([1.0, 2.0, 3.0, 4.0])
        self.assertEqual(first, stats.bootstrap_ci(vals))

    def test_three_values(self):
        """with 3 values the 95% CI of the median is their min-max range"""
        self.assertEqual(stats.bootstrap_ci([11.0, 15.0, 12.0]), (11.0, 15.0))

    def test_within_data(self):
        """the CI lies inside the data's range and contains the median"""
        vals = [5.0, 5.2, 4.9, 5.1, 5.3, 4.8, 5.0, 5.05]
        lo, hi = stats.bootstrap_ci(vals)
        med = stats.spread(vals)["median"]
        self.assertTrue(min(vals) <= lo <= med <= hi <= max(vals), (lo, med, hi))

    def test_narrows_with_n(self):
        """more pairs of the same spread give a narrower CI"""
        few = [10.0, 20.0, 30.0, 15.0, 25.0]
        lo1, hi1 = stats.bootstrap_ci(few)
        lo2, hi2 = stats.bootstrap_ci(few * 20)
        self.assertLess(hi2 - lo2, hi1 - lo1)

    def test_too_few(self):
        """one value: no CI, and the method column says so"""
        self.assertTrue(all(math.isnan(v) for v in stats.bootstrap_ci([4.0])))
        self.assertEqual(stats.ci([4.0])["ci_method"], stats.NO_CI)
        self.assertEqual(stats.ci([4.0, 5.0])["ci_method"], stats.METHOD)

    def test_method_text(self):
        """the method names the bootstrap, the resamples and the seed"""
        for word in ("percentile bootstrap", str(stats.RESAMPLES), str(stats.SEED), "95%"):
            self.assertIn(word, stats.METHOD)


class PairsNeededTest(unittest.TestCase):
    def test_formula(self):
        """pairs for a +-h CI: (1.96 x 1.2533 x sd / h)^2, rounded up"""
        self.assertEqual(stats.pairs_needed(50.0, 5.0), math.ceil((1.959964 * 1.2533141 * 10) ** 2))

    def test_floor_and_nan(self):
        """never fewer than 2 pairs; no sd, no answer"""
        self.assertEqual(stats.pairs_needed(0.1, 5.0), 2)
        self.assertTrue(math.isnan(stats.pairs_needed(math.nan, 5.0)))


class RankCorrelationTest(unittest.TestCase):
    def test_monotone(self):
        """a rising curve has rho 1, a falling one -1, a flat one none"""
        self.assertAlmostEqual(stats.rank_correlation([1, 2, 3], [5, 9, 20]), 1.0)
        self.assertAlmostEqual(stats.rank_correlation([1, 2, 3], [9, 5, 1]), -1.0)
        self.assertTrue(math.isnan(stats.rank_correlation([1, 2, 3], [7, 7, 7])))


if __name__ == "__main__":
    unittest.main()
