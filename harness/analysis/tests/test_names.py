# SPDX-License-Identifier: GPL-2.0
"""The package knows no system and no experiment by name: no string in its code
is a system or experiment name of claims.ini or of the fixture's catalog."""
import ast
import json
import os
import unittest

from helpers import NEW, PACKAGE, conf

# Contract vocabulary (context.json's "kind", "counts" and the modes) may coincide
# with an experiment's name, e.g. the experiment kind "latency".
CONTRACT = {"throughput", "latency", "native", "generic", "stack", "dpdk", "none",
            "dut", "sink", "back", "in"}


def names():
    c = conf()
    systems, experiments = set(), set()
    sides = list(c.series) + [x for comp in c.comparisons.values() for x in (comp.num, comp.den)]
    sides += [s for cl in c.claims for s in cl.systems + ([cl.system] if cl.system else [])]
    for s in sides:
        systems.add(s.system)
        experiments.add(s.experiment)
    experiments |= {e for f in c.figures for e in f.experiments}
    with open(os.path.join(NEW, "context.json")) as f:
        ctx = json.load(f)
    systems |= set(ctx["catalog"])
    experiments |= set(ctx["experiments"])
    return systems, experiments - CONTRACT


def strings(path):
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value


class NamesTest(unittest.TestCase):
    def test_no_names_in_code(self):
        """no string constant in xdplab_analysis is, or contains, a system name,
        and none is an experiment name"""
        systems, experiments = names()
        self.assertTrue(systems and experiments)
        found = []
        for fname in sorted(os.listdir(PACKAGE)):
            if not fname.endswith(".py"):
                continue
            for line, s in strings(os.path.join(PACKAGE, fname)):
                hits = [n for n in systems if n in s] + [n for n in experiments if s == n]
                found += [f"{fname}:{line}: {h}" for h in hits]
        self.assertEqual(found, [])

    def test_scan_would_find(self):
        """the scan finds a name where there is one (it can fail)"""
        systems, _ = names()
        some = sorted(systems)[0]
        tree = ast.parse(f"x = {some!r}")
        self.assertIn(some, [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)])


if __name__ == "__main__":
    unittest.main()
