# SPDX-License-Identifier: GPL-2.0
"""configs/claims.ini: the repository's file is complete and consistent with the
paper reference, and malformed files are refused (claimsfile)."""
import os
import tempfile
import unittest

from helpers import conf
from xdplab_analysis import CLAIMS_PATH
from xdplab_analysis.claimsfile import ClaimsFile, ClaimsFileError, Side, parse_quote, parse_side
from xdplab_analysis.paper import Paper

MINIMAL = """[rules]
factor = 2
capped_loss_pct = 1
scales_rho = 0.8
min_loads = 3
busy_pct = 95
majority_pct = 50
halfwidth_ns = 5
rate_tolerance = 100:10
[series]
e a:m = p / A
e b:m = p / B
[comparison c]
num = e a:m
den = e b:m
bases = rate
paper_metric = rate
paper_x = cores
paper_value = ratio
"""


def parse(text):
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as f:
        f.write(text)
    try:
        return ClaimsFile(f.name)
    finally:
        os.unlink(f.name)


class RepositoryFileTest(unittest.TestCase):
    def test_parses(self):
        """configs/claims.ini parses, with claims, comparisons and figures"""
        c = conf()
        self.assertTrue(c.claims and c.comparisons and c.figures and c.series)

    def test_series_exist_in_paper(self):
        """every [series] names a series that plots/paper_reference.csv has"""
        c = conf()
        p = Paper(c.series)
        for side, ps in c.series.items():
            self.assertFalse(p.rows(*ps).empty, f"{side} -> {ps}")

    def test_quotes_exist_in_paper(self):
        """every quoted paper value exists"""
        c = conf()
        p = Paper(c.series)
        for claim in c.claims:
            for q in claim.quotes:
                for ps in filter(None, (q.a, q.b)):
                    self.assertFalse(p.rows(*ps).empty, f"{claim.id}: {ps}")
                for x in q.xs:
                    self.assertEqual(p.value(*q.a, x), p.value(*q.a, x), f"{claim.id}: {q.a} at {x}")

    def test_claim_ids(self):
        """claim ids are unique and every claim type has a rule"""
        from xdplab_analysis.claims import CLAIM_TYPES
        c = conf()
        self.assertEqual(len({x.id for x in c.claims}), len(c.claims))
        self.assertTrue({x.type for x in c.claims} <= set(CLAIM_TYPES))

    def test_overrides(self):
        """a claim may override one global threshold and keeps the others"""
        c = parse(MINIMAL + "[claim x]\ntype = ratio\ncomparison = c\nfactor = 3\n")
        self.assertEqual(c.claims[0].rules.factor, 3.0)
        self.assertEqual(c.claims[0].rules.busy_pct, 95.0)
        self.assertEqual(c.rules.factor, 2.0)


class RefusedTest(unittest.TestCase):
    def test_unknown_key(self):
        """a misspelt key of a claim is an error, not silently ignored"""
        with self.assertRaisesRegex(ClaimsFileError, "unknown key"):
            parse(MINIMAL + "[claim x]\ntype = ratio\ncomparison = c\ncompairson = c\n")

    def test_unknown_comparison(self):
        """a claim naming a comparison that does not exist is an error"""
        with self.assertRaisesRegex(ClaimsFileError, "no \\[comparison d\\]"):
            parse(MINIMAL + "[claim x]\ntype = ratio\ncomparison = d\n")

    def test_unknown_type(self):
        """an unknown claim type is an error"""
        with self.assertRaisesRegex(ClaimsFileError, "type must be one of"):
            parse(MINIMAL + "[claim x]\ntype = vibes\n")

    def test_missing_rule(self):
        """[rules] must give every global threshold"""
        with self.assertRaisesRegex(ClaimsFileError, "missing halfwidth_ns"):
            parse(MINIMAL.replace("halfwidth_ns = 5\n", ""))

    def test_unknown_section(self):
        """a section the format does not define is an error"""
        with self.assertRaisesRegex(ClaimsFileError, "unknown section"):
            parse(MINIMAL + "[claims x]\n")

    def test_difference_basis(self):
        """a difference claim must be judged on a difference basis"""
        with self.assertRaisesRegex(ClaimsFileError, "difference claim"):
            parse(MINIMAL + "[claim x]\ntype = difference\ncomparison = c\n")

    def test_real_file_path_in_error(self):
        """errors name the file and the section"""
        with self.assertRaisesRegex(ClaimsFileError, r"\.ini \[claim x\]"):
            parse(MINIMAL + "[claim x]\ntype = ratio\n")


class NotationTest(unittest.TestCase):
    def test_side(self):
        """'EXPERIMENT SYSTEM:MODE @ RATE' parses; malformed sides do not"""
        self.assertEqual(parse_side("e s+x:m @ 100"), Side("e", "s+x", "m", 100.0))
        for bad in ("e s", "e s:m extra", "s:m", "e s:"):
            with self.assertRaises(ClaimsFileError, msg=bad):
                parse_side(bad)

    def test_quotes(self):
        """the three quote forms"""
        self.assertEqual(parse_quote("a / X vs a / Y at 1").kind, "ratio")
        self.assertEqual(parse_quote("a / X vs a / Y over all").kind, "range")
        q = parse_quote("a / X (y) at 0, 3.5")
        self.assertEqual((q.kind, q.a.series, q.xs), ("values", "X (y)", [0.0, 3.5]))

    def test_repo_path(self):
        """the package finds configs/claims.ini in the repository"""
        self.assertTrue(os.path.isfile(CLAIMS_PATH))


if __name__ == "__main__":
    unittest.main()
