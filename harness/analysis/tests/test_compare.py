# SPDX-License-Identifier: GPL-2.0
"""`xdplab compare`: paired and unpaired changes, verdicts, baselines, the
command line and its exit codes (cmpstats, compare, baseline, cmpcli), on
synthetic results directories with known answers (synth.py)."""
import json
import os
import subprocess
import sys
import unittest

import synth
from helpers import NEW, OLD
from synth import BASE, EXP, NEW_SYS, QUIET, TempDir, ab_rows, program, scaled, write_run
from xdplab_analysis import REPO, baseline, cmpstats, compare
from xdplab_analysis.cmpdefs import InputError, UsageError
from xdplab_analysis.resultsdir import load


def verdicts(comp):
    return {r["metric"]: r["verdict"] for r in comp.rows}


def rows(comp):
    return {r["metric"]: r for r in comp.rows}


def cli(*args):
    env = dict(os.environ, PYTHONPATH=os.path.join(REPO, "harness", "analysis"))
    p = subprocess.run([sys.executable, "-B", "-m", "xdplab_analysis", "compare", *args],
                       capture_output=True, text=True, env=env, cwd=REPO)
    return p.returncode, p.stdout, p.stderr


class HodgesLehmannTest(unittest.TestCase):
    def test_null_distribution(self):
        """exact Mann-Whitney counts: 5 against 5 has 252 arrangements, the lowest U
        counted 1, 1, 2, 3, 5 (the published table), symmetric"""
        c = cmpstats.mann_whitney_counts(5, 5)
        self.assertEqual((len(c), sum(c), c[:5]), (26, 252, [1, 1, 2, 3, 5]))
        self.assertEqual(c, c[::-1])
        self.assertEqual(sum(cmpstats.mann_whitney_counts(3, 4)), 35)

    def test_rank_of_the_interval(self):
        """k: 3 against 3 gives no 95% interval (P(U=0) = 1/20); 4 against 4 gives
        the extremes (k = 1, 1 - 2/70); 5 against 5 k = 3 (P(U<=2) = 4/252)"""
        self.assertEqual(cmpstats.mw_rank(3, 3)[0], 0)
        self.assertEqual(cmpstats.mw_rank(4, 4), (1, 1 - 2 / 70))
        self.assertEqual(cmpstats.mw_rank(5, 5), (3, 1 - 8 / 252))

    def test_normal_approximation(self):
        """60 against 60: k = floor(1800 - 1.959964 sqrt(3600 * 121 / 12)) = 1426"""
        self.assertEqual(cmpstats.mw_rank(60, 60)[0], 1426)

    def test_hand_computed_shift(self):
        """x = 1..5, y = 3..7: the 25 differences y - x run -2..6 with counts
        1,2,3,4,5,4,3,2,1; their median (13th) is 2, d_(3) = -1, d_(23) = 5"""
        est, lo, hi, conf = cmpstats.hodges_lehmann([1, 2, 3, 4, 5], [3, 4, 5, 6, 7])
        self.assertEqual((est, lo, hi), (2.0, -1.0, 5.0))
        self.assertAlmostEqual(conf, 1 - 8 / 252)

    def test_hand_computed_ratio(self):
        """new = 2 x base (10, 20, 40, 80): log2 ratios -2..4, median 1 -> +100%,
        4 against 4 -> the extremes 1/4 and 16 -> -75% to +1500%"""
        c = cmpstats.unpaired_change([10, 20, 40, 80], [20, 40, 80, 160])
        self.assertAlmostEqual(c.est, 100.0)
        self.assertAlmostEqual(c.lo, -75.0)
        self.assertAlmostEqual(c.hi, 1500.0)
        self.assertEqual(c.method, cmpstats.UNPAIRED_METHOD)

    def test_too_few_for_an_interval(self):
        """3 against 3 and 2 against 5: inconclusive, and the reason says why"""
        c = cmpstats.unpaired_change([1, 2, 3], [1, 2, 3])
        self.assertFalse(c.has_ci)
        self.assertIn("4 against 4", c.why)
        c = cmpstats.unpaired_change([1, 2], [1, 2, 3, 4, 5])
        self.assertIn("3 per side", c.why)


class VerdictRuleTest(unittest.TestCase):
    def v(self, lo, hi, better="lower", t=5.0, est=None):
        est = (lo + hi) / 2 if est is None else est
        return cmpstats.verdict(cmpstats.Change(est, lo, hi, "m", n=10), better, t)

    def test_regions(self):
        """CI beyond +T worse: regressed; beyond T better: improved; within: ok;
        across +T: inconclusive; for higher-is-better metrics mirrored"""
        self.assertEqual(self.v(6, 8), "regressed")
        self.assertEqual(self.v(-9, -6), "improved")
        self.assertEqual(self.v(-2, 4), "ok")
        self.assertEqual(self.v(-3, 7), "inconclusive")
        self.assertEqual(self.v(-8, -6, "higher"), "regressed")
        self.assertEqual(self.v(6, 8, "higher"), "improved")
        self.assertEqual(self.v(-7, 3, "higher"), "inconclusive")

    def test_good_side(self):
        """a CI entirely better but within T is ok; one reaching past -T on the
        better side (not wholly) is ok too: no regression beyond T is possible"""
        self.assertEqual(self.v(-4, -1), "ok")
        self.assertEqual(self.v(-8, 3), "ok")

    def test_zero_threshold(self):
        """T = 0: any difference of a deterministic value decides, none is ok"""
        for est, want in ((4.0, "regressed"), (-4.0, "improved"), (0.0, "ok")):
            self.assertEqual(cmpstats.verdict(cmpstats.exact_change(100, 100 + est), "lower",
                                              0.0), want)

    def test_n_needed(self):
        """estimate 3, CI 1..9, T 5, 10 pairs: h = 6, margin = 2 -> 10 * 9 = 90"""
        c = cmpstats.Change(3.0, 1.0, 9.0, "m", n=10)
        self.assertEqual(cmpstats.n_needed(c, "lower", 5.0), 90)
        c = cmpstats.Change(7.0, 3.0, 9.0, "m", n=10)   # h = 4, margin = 2
        self.assertEqual(cmpstats.n_needed(c, "lower", 5.0), 40)
        self.assertIsNone(cmpstats.n_needed(cmpstats.Change(5.0, 1.0, 9.0, "m", n=10),
                                            "lower", 5.0))


class PairedTest(unittest.TestCase):
    def run_ab(self, base_ns, new_ns, programs=None, **kw):
        with TempDir() as d:
            write_run(d("run"), ab_rows(base_ns, new_ns, **kw), programs=programs)
            return compare.paired(load(d("run")), BASE, NEW_SYS)

    def test_identical(self):
        """A/A, identical trials: every metric ok, change 0, exit 0"""
        c = self.run_ab(QUIET, QUIET)
        self.assertEqual(set(verdicts(c).values()), {"ok"})
        self.assertEqual(rows(c)["ns_per_pkt"]["change_pct"], 0.0)
        self.assertEqual((c.overall, c.exit_code), ("ok", 0))

    def test_slower(self):
        """new 20% slower per trial (+-1% noise): ns_per_pkt and mpps regressed,
        ns_per_pkt's change near +20%, exit 10"""
        c = self.run_ab(QUIET, [v * 1.2 for v in reversed(QUIET)])
        r = rows(c)
        self.assertEqual((r["ns_per_pkt"]["verdict"], r["mpps"]["verdict"]),
                         ("regressed", "regressed"))
        self.assertTrue(17 < r["ns_per_pkt"]["ci_low_pct"] <= r["ns_per_pkt"]["change_pct"]
                        <= r["ns_per_pkt"]["ci_high_pct"] < 23, r["ns_per_pkt"])
        self.assertEqual(r["dut_cpu_pct"]["verdict"], "ok")
        self.assertEqual(c.exit_code, 10)

    def test_faster(self):
        """new 20% faster: improved, exit 0"""
        c = self.run_ab(QUIET, scaled(list(reversed(QUIET)), 1 / 1.2))
        self.assertEqual(verdicts(c)["ns_per_pkt"], "improved")
        self.assertEqual(verdicts(c)["mpps"], "improved")
        self.assertEqual(c.exit_code, 0)

    def test_noisy(self):
        """per-pair ratios spread +-30%: inconclusive, and more pairs than the 10
        there are would be needed"""
        c = self.run_ab(QUIET, [b * r for b, r in zip(QUIET, synth.NOISY_RATIOS)])
        r = rows(c)["ns_per_pkt"]
        self.assertEqual(r["verdict"], "inconclusive")
        self.assertGreater(r["n_needed"], 10)
        self.assertIn(f"about {r['n_needed']} pairs", r["because"])
        self.assertEqual(c.exit_code, 11)

    def test_two_pairs(self):
        """2 pairs: inconclusive, because of their number"""
        c = self.run_ab(QUIET[:2], QUIET[:2])
        self.assertEqual(set(verdicts(c).values()), {"inconclusive"})
        self.assertIn("only 2 pair", rows(c)["ns_per_pkt"]["because"])

    def test_invalid_trials_unpaired(self):
        """an invalid trial of one side removes its pair"""
        with TempDir() as d:
            rs = ab_rows(QUIET[:4], QUIET[:4])
            rs[0]["valid"] = 0
            write_run(d("run"), rs)
            self.assertEqual(rows(compare.paired(load(d("run")), BASE, NEW_SYS))["mpps"]["n"], 3)

    def test_deep_overload_left_out(self):
        """pairs where a side lost more than 25% are left out (the machine slowed after
        the calibration): 4 of 10 such pairs leave 6, and the note says why"""
        with TempDir() as d:
            rs = ab_rows(QUIET, QUIET)
            for r in rs:
                if r["trial"] <= 4 and r["system"] == NEW_SYS:
                    r["loss_pct"] = 40
            write_run(d("run"), rs)
            c = compare.paired(load(d("run")), BASE, NEW_SYS)
        self.assertEqual(rows(c)["ns_per_pkt"]["n"], 6)
        self.assertTrue(any("4 pair(s) left out" in n and "25%" in n for n in c.notes), c.notes)

    def test_all_pairs_overloaded(self):
        """every pair in deep overload: the trial metrics are inconclusive (exit 11, not
        bad input), the programs' metrics are still judged"""
        with TempDir() as d:
            write_run(d("run"), ab_rows(QUIET, QUIET, loss_pct=60),
                      programs=[program(BASE), program(NEW_SYS)])
            c = compare.paired(load(d("run")), BASE, NEW_SYS)
        v = verdicts(c)
        self.assertEqual(v["ns_per_pkt"], "inconclusive")
        self.assertEqual(v["verified_insns"], "ok")
        self.assertEqual(c.exit_code, 11)

    def test_ceiling_bound_leaves_out_mpps(self):
        """paced at the generator's ceiling: Mpps is left out (it follows the generator),
        ns_per_pkt still judged, and the note says so"""
        # The flag, and the sentence of runs written before the flag existed.
        for note in ({"ceiling_bound": True}, {"bound": "the generator's ceiling"}):
            with TempDir() as d:
                write_run(d("run"), ab_rows(QUIET, [v * 1.2 for v in reversed(QUIET)]),
                          extra={"load": {synth.EXP: note}})
                c = compare.paired(load(d("run")), BASE, NEW_SYS)
            v = verdicts(c)
            self.assertNotIn("mpps", v, note)
            self.assertEqual(v["ns_per_pkt"], "regressed", note)
            self.assertTrue(any("mpps left out" in n for n in c.notes), c.notes)
        # Not bound by the ceiling: Mpps is judged.
        with TempDir() as d:
            write_run(d("run"), ab_rows(QUIET, QUIET),
                      extra={"load": {synth.EXP: {"ceiling_bound": False,
                                                  "bound": "just above the slowest"}}})
            self.assertIn("mpps", verdicts(compare.paired(load(d("run")), BASE, NEW_SYS)))

    def test_deterministic_differs(self):
        """same trials, new program verifies 4 more instructions (T = 0): regressed"""
        c = self.run_ab(QUIET, QUIET, programs=[program(BASE), program(NEW_SYS, insns=104)])
        r = rows(c)
        self.assertEqual(r["verified_insns"]["verdict"], "regressed")
        self.assertAlmostEqual(r["verified_insns"]["change_pct"], 4.0)
        self.assertEqual((r["jited_bytes"]["verdict"], r["test_run_ns"]["verdict"]), ("ok", "ok"))
        self.assertEqual(c.exit_code, 10)

    def test_test_run_ranges(self):
        """test_run_ns compares the fastest calls: 24 -> 29 ns: +20.8%, interval
        (29 -+ 1) / 24 - 1: regressed; 24 -> 25.5 reaches across +10%: inconclusive;
        24 -> 23 (the median moved more): ok"""
        c = self.run_ab(QUIET, QUIET, programs=[program(BASE),
                                                program(NEW_SYS, ns=30, lo=29, hi=31)])
        r = rows(c)["test_run_ns"]
        self.assertAlmostEqual(r["change_pct"], (29 / 24 - 1) * 100)
        self.assertAlmostEqual(r["ci_low_pct"], (28 / 24 - 1) * 100)
        self.assertAlmostEqual(r["ci_high_pct"], (30 / 24 - 1) * 100)
        self.assertEqual(r["verdict"], "regressed")
        c = self.run_ab(QUIET, QUIET, programs=[program(BASE),
                                                program(NEW_SYS, ns=26, lo=25.5, hi=27)])
        self.assertEqual(verdicts(c)["test_run_ns"], "inconclusive")
        c = self.run_ab(QUIET, QUIET, programs=[program(BASE, ns=28, lo=24, hi=30),
                                                program(NEW_SYS, ns=23.5, lo=23, hi=25)])
        self.assertEqual(verdicts(c)["test_run_ns"], "ok")

    def test_rate_column(self):
        """mpps is the column the catalog's `counts` names: sink_pps for a sink system"""
        with TempDir() as d:
            rs = ab_rows(QUIET[:5], QUIET[:5], sink_pps="1000000")
            write_run(d("run"), rs, counts={BASE: "sink", NEW_SYS: "sink"})
            self.assertEqual(rows(compare.paired(load(d("run")), BASE, NEW_SYS))["mpps"]["base"], 1.0)

    def test_ab_defaults_and_errors(self):
        """context.json's "ab" names the sides; without it they must be named;
        an unknown system or no common valid pair is bad input"""
        with TempDir() as d:
            ab = {"experiment": EXP, "base": f"{BASE}:native", "new": f"{NEW_SYS}:native"}
            write_run(d("ab"), ab_rows(QUIET, QUIET), ab=ab)
            self.assertEqual(compare.paired(load(d("ab"))).base.system, BASE)
            write_run(d("plain"), ab_rows(QUIET, QUIET))
            with self.assertRaises(UsageError):
                compare.paired(load(d("plain")))
            with self.assertRaises(InputError):
                compare.paired(load(d("plain")), BASE, "nosuch")
            rs = ab_rows(QUIET[:3], QUIET[:3])
            for r in rs:
                r["valid"] = int(r["system"] == BASE)
            write_run(d("none"), rs)
            with self.assertRaisesRegex(InputError, "no valid trials"):
                compare.paired(load(d("none")), BASE, NEW_SYS)


class FixtureTest(unittest.TestCase):
    def test_checked_in_fixtures(self):
        """the repository's fixtures, with and without schema and catalog: XDP_DROP
        native against generic (ns/pkt 90, 92, 95 against 240, 245, 250: pair ratios
        0.375, 0.3755, 0.38, median 92/245) is improved; mpps (same offered load) ok"""
        for path in (NEW, OLD):
            with self.subTest(path):
                c = compare.paired(load(path), "xdp-drop:generic", "xdp-drop:native", "drop")
                r = rows(c)
                self.assertEqual((r["ns_per_pkt"]["verdict"], r["mpps"]["verdict"]),
                                 ("improved", "ok"))
                self.assertAlmostEqual(r["ns_per_pkt"]["change_pct"], (92 / 245 - 1) * 100)
                self.assertAlmostEqual(r["ns_per_pkt"]["ci_low_pct"], (90 / 240 - 1) * 100)
                self.assertEqual(r["ns_per_pkt"]["n"], 3)


class BaselineTest(unittest.TestCase):
    def test_roundtrip(self):
        """save then load: the same values, configurations, program and provenance;
        the baseline against its own run is ok everywhere"""
        with TempDir() as d:
            write_run(d("run"), ab_rows(QUIET, QUIET), programs=[program(BASE), program(NEW_SYS)])
            res = load(d("run"))
            side = baseline.from_run(res, BASE)
            baseline.save(d("b.json"), side)
            back = baseline.load(d("b.json"))
            self.assertEqual(back.values, side.values)
            self.assertEqual(back.values["ns_per_pkt"], QUIET)
            self.assertEqual(back.configurations, side.configurations)
            self.assertEqual(back.program, side.program)
            self.assertEqual(back.provenance["git_commit"], "abcdef012345")
            self.assertEqual(back.provenance["date"], "2026-12-01T10:00:00Z")
            c = compare.unpaired(back, res)
            self.assertEqual(set(verdicts(c).values()), {"ok"})
            self.assertEqual(c.form, "unpaired")

    def test_against_slower_run(self):
        """a baseline of 10 trials against a run 20% slower: regressed (unpaired)"""
        with TempDir() as d:
            write_run(d("old"), ab_rows(QUIET, QUIET))
            write_run(d("new"), ab_rows(scaled(QUIET, 1.2), QUIET))
            baseline.save(d("b.json"), baseline.from_run(load(d("old")), BASE))
            c = compare.unpaired(baseline.load(d("b.json")), load(d("new")))
            r = rows(c)["ns_per_pkt"]
            self.assertEqual(r["verdict"], "regressed")
            self.assertAlmostEqual(r["change_pct"], 20.0, delta=0.5)
            self.assertEqual((r["n_base"], r["n_new"]), (10, 10))

    def test_context_mismatch(self):
        """a baseline from another kernel: the 20% slowdown is not called a regression
        (inconclusive, with the difference named) unless allow_mismatch"""
        with TempDir() as d:
            write_run(d("old"), ab_rows(QUIET, QUIET))
            write_run(d("new"), ab_rows(scaled(QUIET, 1.2), QUIET), extra={"kernel": "6.19.0"})
            baseline.save(d("b.json"), baseline.from_run(load(d("old")), BASE))
            c = compare.unpaired(baseline.load(d("b.json")), load(d("new")))
            self.assertEqual(rows(c)["ns_per_pkt"]["verdict"], "inconclusive")
            self.assertEqual(c.exit_code, 11)
            self.assertTrue(any("kernel" in n and "6.19.0" in n for n in c.notes), c.notes)
            c = compare.unpaired(baseline.load(d("b.json")), load(d("new")), allow_mismatch=True)
            self.assertEqual(rows(c)["ns_per_pkt"]["verdict"], "regressed")
            self.assertEqual(c.exit_code, 10)

    def test_bad_files(self):
        """not JSON, another format, a newer version, a non-number value: bad input"""
        with TempDir() as d:
            write_run(d("run"), ab_rows(QUIET, QUIET))
            good = baseline.to_json(baseline.from_run(load(d("run")), BASE))
            bad = {"notjson": None, "format": dict(good, format="other"),
                   "version": dict(good, version=2),
                   "values": dict(good, trials={"ns_per_pkt": ["x"]})}
            for name, content in bad.items():
                with self.subTest(name):
                    with open(d(name), "w") as f:
                        f.write("{" if content is None else json.dumps(content))
                    with self.assertRaises(InputError):
                        baseline.load(d(name))


class CommandLineTest(unittest.TestCase):
    def test_exit_codes(self):
        """0 identical, 10 slower, 11 noisy, 2 bad flag or unnamed sides, 3 missing
        directory or unknown system; --json and --markdown written"""
        with TempDir() as d:
            write_run(d("same"), ab_rows(QUIET, QUIET))
            write_run(d("slow"), ab_rows(QUIET, scaled(QUIET, 1.2)))
            write_run(d("noisy"), ab_rows(QUIET, [b * r for b, r in zip(QUIET, synth.NOISY_RATIOS)]))
            sides = ["--base", BASE, "--new", NEW_SYS]
            cases = [(0, [d("same")] + sides), (10, [d("slow")] + sides),
                     (11, [d("noisy")] + sides), (2, [d("same")]),
                     (2, [d("same"), "--threshold", "bogus=5"] + sides),
                     (2, [d("same"), "--max-slowdown", "-1"] + sides),
                     (3, [d("missing")] + sides), (3, [d("same"), "--base", "x", "--new", BASE])]
            for want, args in cases:
                with self.subTest(args=args[1:]):
                    rc, out, err = cli(*args)
                    self.assertEqual(rc, want, err)
                    if want in (2, 3):
                        self.assertEqual(len(err.strip().splitlines()), 1, err)
                        self.assertTrue(err.startswith("xdplab: "), err)
            rc, out, err = cli(d("slow"), *sides, "--json", d("c.json"), "--markdown", d("c.md"))
            self.assertEqual(rc, 10, err)
            j = json.load(open(d("c.json")))
            self.assertEqual((j["overall"], j["exit_code"]), ("regressed", 10))
            self.assertIn("bootstrap", j["metrics"][0]["method"])
            self.assertEqual(j["new"]["provenance"]["kernel"], "6.18.0-test")
            md = open(d("c.md")).read()
            self.assertTrue(md.startswith("**xdplab compare: REGRESSED**"), md[:80])
            self.assertIn("| ns_per_pkt |", md)
            rc, _, err = cli(d("noisy"), *sides, "--markdown", d("n.md"))
            self.assertEqual(rc, 11, err)
            md = open(d("n.md")).read()
            self.assertIn("`inconclusive`:", md)
            self.assertRegex(md, r"- ns_per_pkt: .*about \d+ pairs would decide \(have 10\)")

    def test_threshold_flags(self):
        """--max-slowdown 30 makes a 20% slowdown ok; --threshold overrides one metric"""
        with TempDir() as d:
            write_run(d("slow"), ab_rows(QUIET, scaled(QUIET, 1.2)))
            sides = ["--base", BASE, "--new", NEW_SYS]
            self.assertEqual(cli(d("slow"), *sides, "--max-slowdown", "30")[0], 0)
            rc, _, err = cli(d("slow"), *sides, "--max-slowdown", "30", "--threshold",
                             "mpps=5", "--json", d("t.json"))
            self.assertEqual(rc, 10, err)
            self.assertEqual(json.load(open(d("t.json")))["thresholds_pct"]["mpps"], 5.0)

    def test_baseline_cli(self):
        """--save-baseline then BASELINE.json RUN_DIR; bad input leaves no file"""
        with TempDir() as d:
            write_run(d("run"), ab_rows(QUIET, QUIET))
            rc, _, err = cli("--save-baseline", d("b.json"), d("run"), "--system", BASE)
            self.assertEqual(rc, 0, err)
            self.assertEqual(cli(d("b.json"), d("run"), "--json", d("c.json"))[0], 0)
            self.assertTrue(os.path.exists(d("c.json")))
            bad = [["--save-baseline", d("x.json"), d("run"), "--system", "nosuch"],
                   ["--save-baseline", d("x.json"), d("missing"), "--system", BASE],
                   [d("b.json"), d("missing"), "--json", d("x.json"), "--markdown", d("x.md")],
                   [d("run"), "--base", BASE, "--new", "nosuch", "--json", d("x.json")]]
            for args in bad:
                with self.subTest(args=args):
                    rc, _, err = cli(*args)
                    self.assertEqual(rc, 3, err)
                    self.assertEqual(sorted(f for f in os.listdir(d()) if f.startswith("x.")), [])

    def test_no_nan_in_json(self):
        """the JSON file is strict JSON (no NaN) even when a metric has no interval"""
        with TempDir() as d:
            write_run(d("two"), ab_rows(QUIET[:2], QUIET[:2]))
            rc, _, err = cli(d("two"), "--base", BASE, "--new", NEW_SYS, "--json", d("c.json"))
            self.assertEqual(rc, 11, err)
            text = open(d("c.json")).read()
            self.assertNotIn("NaN", text)
            self.assertIsNone(json.loads(text)["metrics"][0]["ci_low_pct"])


if __name__ == "__main__":
    unittest.main()
