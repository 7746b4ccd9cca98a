# SPDX-License-Identifier: GPL-2.0
"""Knees of curves under attack (knee.py), the knee claim's verdicts (claims) and
the rr-vs-attack figure's data (plotdata), on tests/fixtures/results-apps and
edited copies of it."""
import math
import os
import shutil
import tempfile
import unittest

import numpy as np

from helpers import APPS, OLD, TempFixture, conf, pipeline
from test_claimsfile import MINIMAL, parse
from xdplab_analysis import knee, plotdata
from xdplab_analysis.claims import INCONCLUSIVE, NOT_MEASURED, NOT_REPRODUCED, REPRODUCED
from xdplab_analysis.claimsfile import ClaimsFileError
from xdplab_analysis.paper import Paper
from xdplab_analysis.resultsdir import load


def knee_claim():
    return next(c for c in conf().claims if c.type == "knee")


def pts(curve, trials=3, spread=0.01):
    """Points of a synthetic curve [(x Mpps, y)], the first the no-attack one; each
    point gets `trials` trials spread +-spread around x and y."""
    out = []
    for i, (x, y) in enumerate(curve):
        f = np.linspace(1 - spread, 1 + spread, trials)
        out.append(knee.Point(0.0 if i == 0 else x * 1e6, x, y, trials, trials,
                              np.zeros(trials) if i == 0 else x * f, y * f))
    return out


class KneeTest(unittest.TestCase):
    def test_interpolation(self):
        """the knee is interpolated between the last point above the threshold and the first below"""
        k = knee.knee_of([0, 1, 2, 3], [100, 90, 40, 10], 50)
        self.assertAlmostEqual(k.value, 1.8)
        self.assertFalse(k.censored)
        self.assertEqual((k.base, k.threshold), (100, 50))
        # at exactly 50% the curve is not below yet; the segment after it starts there
        self.assertAlmostEqual(knee.knee_of([0, 1, 2], [100, 50, 0], 50).value, 1.0)
        self.assertAlmostEqual(knee.knee_of([0, 2], [100, 0], 25).value, 1.5)

    def test_first_crossing(self):
        """the lowest attack rate wins even if the curve recovers later"""
        k = knee.knee_of([0, 1, 2, 3], [100, 40, 80, 30], 50)
        self.assertAlmostEqual(k.value, 1 / 60 * 50)

    def test_lower_bound(self):
        """a curve that never falls below the threshold has a lower bound: the highest attack"""
        k = knee.knee_of([0, 0.5, 1.9, 1.7], [100, 90, 60, 55], 50)
        self.assertTrue(k.censored)
        self.assertTrue(math.isnan(k.value))
        self.assertEqual(k.bound, 1.9)

    def test_undefined(self):
        """no knee without a positive no-attack value or without an attack point"""
        self.assertTrue(math.isnan(knee.knee_of([0, 1], [0, 0], 50).value))
        self.assertFalse(knee.knee_of([0, 1], [0, 0], 50).censored)
        self.assertTrue(math.isnan(knee.knee_of([0], [100], 50).value))
        no_base = pts([(0, 100), (1, 40)])[1:]
        self.assertTrue(math.isnan(knee.curve_knee(no_base, 50).value))

    def test_paper_knees(self):
        """the paper's Fig. 7 curves: No XDP halves between 3 and 3.4 Mpps, XDP between
        20 and 21, interpolated from plots/paper_reference.csv"""
        c = knee_claim()
        p = Paper(conf().series)
        ks = [knee.curve_knee(knee.paper_points(p, p.series_for(*s[:3]), c.paper_metric), 50)
              for s in c.systems]
        self.assertTrue(20 < ks[0].value < 21, ks[0])
        self.assertTrue(3 < ks[1].value < 3.4, ks[1])
        value, kind = knee.ratio_of(*ks)
        self.assertEqual(kind, "exact")
        self.assertAlmostEqual(value, ks[0].value / ks[1].value)


class BootstrapTest(unittest.TestCase):
    A = [(0, 100), (1, 90), (2, 40), (3, 10)]   # knee 1.8
    B = [(0, 100), (0.5, 60), (1, 30)]          # knee 0.5 + 0.5 * 10/30

    def test_ci(self):
        """the CIs contain the knees and the ratio, and the same data give the same CIs"""
        a, b = pts(self.A), pts(self.B)
        boot = knee.bootstrap(a, b, 50)
        ka, kb = knee.curve_knee(a, 50).value, knee.curve_knee(b, 50).value
        self.assertLessEqual(boot.num_ci[0], ka)
        self.assertGreaterEqual(boot.num_ci[1], ka)
        self.assertLessEqual(boot.den_ci[0], kb)
        self.assertGreaterEqual(boot.den_ci[1], kb)
        self.assertLessEqual(boot.ratio_ci[0], ka / kb)
        self.assertGreaterEqual(boot.ratio_ci[1], ka / kb)
        self.assertLess(boot.ratio_ci[1] - boot.ratio_ci[0], 0.2 * ka / kb)
        self.assertEqual(boot, knee.bootstrap(pts(self.A), pts(self.B), 50))

    def test_wider_with_noise(self):
        """more spread between trials gives a wider interval"""
        narrow = knee.bootstrap(pts(self.A), pts(self.B), 50).ratio_ci
        wide = knee.bootstrap(pts(self.A, 5, 0.1), pts(self.B, 5, 0.1), 50).ratio_ci
        self.assertGreater(wide[1] - wide[0], narrow[1] - narrow[0])

    def test_too_few_trials(self):
        """a point with one valid trial: no CI"""
        boot = knee.bootstrap(pts(self.A, trials=1), pts(self.B), 50)
        self.assertTrue(math.isnan(boot.ratio_ci[0]) and math.isnan(boot.num_ci[0]))
        self.assertFalse(math.isnan(boot.den_ci[0]))

    def test_censored_numerator(self):
        """numerator never halves: the ratio's CI starts at bound / den knee and is open above"""
        a, b = pts([(0, 100), (1, 90), (2, 80)]), pts(self.B)
        boot = knee.bootstrap(a, b, 50)
        self.assertTrue(math.isinf(boot.ratio_ci[1]) and math.isinf(boot.num_ci[1]))
        self.assertAlmostEqual(boot.num_ci[0], 2 * 0.99, places=6)  # the smallest bound resampled
        kb = knee.curve_knee(b, 50).value
        self.assertTrue(1.9 / kb < boot.ratio_ci[0] <= 2.02 / kb, boot.ratio_ci)
        self.assertEqual(knee.ratio_of(knee.curve_knee(a, 50), knee.curve_knee(b, 50))[1],
                         "at-least")

    def test_censored_denominator(self):
        """denominator never halves: the ratio's CI starts at 0 and ends at num knee / bound"""
        a, b = pts(self.A), pts([(0, 100), (0.5, 90), (1, 80)])
        lo, hi = knee.bootstrap(a, b, 50).ratio_ci
        self.assertEqual(lo, 0.0)
        self.assertTrue(1.5 < hi < 2.0, hi)
        self.assertEqual(knee.ratio_of(knee.curve_knee(a, 50), knee.curve_knee(b, 50)),
                         (1.8, "at-most"))

    def test_both_censored(self):
        """neither halves: the ratio is unknown and its CI fully open"""
        a, b = pts([(0, 100), (1, 90)]), pts([(0, 100), (1, 80)])
        self.assertEqual(knee.bootstrap(a, b, 50).ratio_ci, (0.0, math.inf))
        self.assertEqual(knee.ratio_of(knee.curve_knee(a, 50), knee.curve_knee(b, 50))[1], "unknown")


def set_curve(fx, system, values):
    """rr_tps of every trial of one system at each target: {target: value}."""
    rows = fx.rows()
    for r in rows:
        if r["system"] == system and r["target_pps"] in values:
            r["rr_tps"] = str(values[r["target_pps"]])
    fx.write_rows(rows)


class VerdictTest(unittest.TestCase):
    def setUp(self):
        c = knee_claim()
        self.num, self.den = c.systems[0].system, c.systems[1].system

    def verdict(self, fx):
        return pipeline(fx.path)[3][knee_claim().id]

    def test_fixture(self):
        """the fixture's knees (1.80 and 0.333 Mpps, ratio 5.40×) reproduce the paper's 6.31×"""
        v = pipeline(APPS)[3][knee_claim().id]
        self.assertEqual(v.verdict, REPRODUCED, v.because)
        self.assertIn("knee 1.80 Mpps", v.here)
        self.assertIn("knee 0.333 Mpps", v.here)
        self.assertIn("ratio of the knees 5.40×", v.here)
        self.assertIn("6.31×", v.paper)

    def test_lower_bound_inconclusive(self):
        """the filtered curve never halves: the knee is a lower bound, the ratio's CI is
        open above and reaches past the accepted region: inconclusive"""
        with TempFixture(APPS) as fx:
            set_curve(fx, self.num, {"2000000": 15000})
            v = self.verdict(fx)
        self.assertEqual(v.verdict, INCONCLUSIVE, v.because)
        self.assertIn("knee > 1.95 Mpps", v.here)
        self.assertIn("at least 5.85×", v.here)
        self.assertIn("open above", v.because)
        self.assertIn("cannot settle", v.because)

    def test_lower_bound_settles(self):
        """a lower bound whose whole CI lies beyond the accepted region settles the claim"""
        with TempFixture(APPS) as fx:
            set_curve(fx, self.num, {"2000000": 15000})
            set_curve(fx, self.den, {"250000": 2000})
            v = self.verdict(fx)
        self.assertEqual(v.verdict, NOT_REPRODUCED, v.because)
        self.assertIn("lies entirely above", v.because)

    def test_ratio_too_small(self):
        """both knees close together: the CI lies below the accepted region"""
        with TempFixture(APPS) as fx:
            set_curve(fx, self.den, {"250000": 19000, "500000": 18000, "1000000": 15000,
                                     "1500000": 12000, "2000000": 3000})
            v = self.verdict(fx)
        self.assertEqual(v.verdict, NOT_REPRODUCED, v.because)
        self.assertIn("lies entirely below", v.because)

    def test_no_ci(self):
        """one valid trial at a point: no CI, inconclusive"""
        with TempFixture(APPS) as fx:
            fx.edit({"system": self.den, "target_pps": "500000", "trial": "2"}, valid=0)
            fx.edit({"system": self.den, "target_pps": "500000", "trial": "3"}, valid=0)
            v = self.verdict(fx)
        self.assertEqual(v.verdict, INCONCLUSIVE, v.because)
        self.assertIn("1 valid trial", v.because)

    def test_no_attack_point(self):
        """without the no-attack point there is no curve: not measured, and why"""
        with TempFixture(APPS) as fx:
            fx.write_rows([r for r in fx.rows()
                           if not (r["system"] == self.den and r["target_pps"] == "0")])
            v = self.verdict(fx)
        self.assertEqual(v.verdict, NOT_MEASURED, v.because)
        self.assertIn("without an attack", v.because)

    def test_old_directory(self):
        """a directory without the new columns: the knee claim is not measured"""
        v = pipeline(OLD)[3][knee_claim().id]
        self.assertEqual(v.verdict, NOT_MEASURED)


class FigureTest(unittest.TestCase):
    def prepare(self, path):
        c = conf()
        out = tempfile.mkdtemp(prefix="xlt-units.")
        try:
            figs = plotdata.prepare(load(path), Paper(c.series), c, out)
            return figs, {f: open(os.path.join(out, f)).read() for f in os.listdir(out)}
        finally:
            shutil.rmtree(out)

    def blocks(self, text):
        return [[line.split() for line in b.splitlines() if line and not line.startswith("#")]
                for b in text.split("\n\n\n")]

    def test_figure_data(self):
        """one block per system with a point per target (x = median offered Mpps,
        min-max of the trials, 100% at no attack), the paper's curves, and the knees"""
        fig = next(f for f in conf().figures if f.kind == "rr-vs-attack")
        figs, files = self.prepare(APPS)
        self.assertIn(fig.name, [f.name for f in figs])
        res = load(APPS)
        here = self.blocks(files[fig.name + ".dat"])
        self.assertEqual(len(here), 2)
        targets = sorted(set(res.trials[res.trials["experiment"] == fig.experiments[0]]["target_pps"]))
        for b in here:
            self.assertEqual([float(r[7]) * 1e6 for r in b], targets)
            self.assertEqual(b[0][4], "100")
            for r in b:
                self.assertLessEqual(float(r[2]), float(r[1]))
                self.assertGreaterEqual(float(r[3]), float(r[1]))
        self.assertEqual(here[0][-1][:4], ["1.95", "6000", "5800", "6300"])
        knees = self.blocks(files[fig.name + "_knee.dat"])
        self.assertEqual([k[0] for k in knees[0]], ["1.8", "0.333333"])
        self.assertEqual(len(knees[1]), 2)   # the paper's two knees
        self.assertEqual(len(self.blocks(files[fig.name + "_paper.dat"])), 2)
        caption = next(f for f in figs if f.name == fig.name).caption
        self.assertIn("1.8 Mpps", caption)

    def test_no_figure_without_metric(self):
        """an old directory (no rr_tps column) draws no such figure"""
        fig = next(f for f in conf().figures if f.kind == "rr-vs-attack")
        figs, _ = self.prepare(OLD)
        self.assertNotIn(fig.name, [f.name for f in figs])


class ClaimsFileTest(unittest.TestCase):
    def test_knee_needs_two_systems(self):
        """a knee claim names two systems and a metric; the figure kind needs a metric"""
        with self.assertRaisesRegex(ClaimsFileError, "two systems"):
            parse(MINIMAL + "[claim k]\ntype = knee\nsystems = e a:m\nmetric = x\npaper_metric = y\n")
        with self.assertRaisesRegex(ClaimsFileError, "needs metric"):
            parse(MINIMAL + "[figure f]\nkind = rr-vs-attack\nexperiments = e\n")
        c = parse(MINIMAL + "[claim k]\ntype = knee\nsystems = e a:m, e b:m\nmetric = x\n"
                  "paper_metric = y\nknee_pct = 30\n")
        self.assertEqual((c.claims[0].rules.knee_pct, c.rules.knee_pct), (30.0, 50.0))


if __name__ == "__main__":
    unittest.main()
