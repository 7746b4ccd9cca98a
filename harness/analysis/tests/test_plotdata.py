# SPDX-License-Identifier: GPL-2.0
"""Figure data: which figures exist, system order and reference, and the
ns/pkt-vs-offered-load figure (plotdata)."""
import os
import re
import shutil
import tempfile
import unittest

from helpers import NEW, OLD, TempFixture, conf
from xdplab_analysis import plotdata
from xdplab_analysis.paper import Paper
from xdplab_analysis.resultsdir import load


def prepare(path):
    c = conf()
    out = tempfile.mkdtemp(prefix="xlt-units.")
    try:
        figs = plotdata.prepare(load(path), Paper(c.series), c, out)
        files = {f: open(os.path.join(out, f)).read() for f in os.listdir(out)}
        return figs, files
    finally:
        shutil.rmtree(out)


def dat_rows(text):
    return [line for line in text.splitlines() if line and not line.startswith("#")]


class FiguresTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.figs, cls.files = prepare(NEW)

    def test_every_configured_figure(self):
        """the fixture has data for every figure of claims.ini whose experiments it ran
        (it has no routing, ddos or lb experiment), in claims.ini's order"""
        newer = {"routing", "routing_full", "ddos", "lb"}
        self.assertEqual([f.name for f in self.figs],
                         [f.name for f in conf().figures
                          if not (f.experiments and set(f.experiments) <= newer)])
        listed = self.files["figures.list"].splitlines()
        self.assertEqual([line.split("\t")[0] for line in listed], [f.name for f in self.figs])
        self.assertTrue(all(len(line.split("\t")) == 5 for line in listed))

    def test_bars_follow_config_order(self):
        """bars: the reference first, then the experiment's systems in config order"""
        res = load(NEW)
        fig = next(f for f in conf().figures if f.kind == "bars")
        labels = [re.sub(r"\\n\d+/\d+ valid$", "", r.split('"')[1])
                  for r in dat_rows(self.files[fig.name + ".dat"])]
        exp = res.catalog.experiment(fig.experiments[0])
        ref = (fig.reference.system, fig.reference.mode)
        order = [ref] + [x for x in exp.systems if x != ref]
        want = [plotdata.wrap(res.catalog.label(s, m)) for s, m in order]
        self.assertEqual(labels, want)

    def test_sections(self):
        """each figure goes into the report section of its last experiment"""
        order = load(NEW).catalog.experiment_order()
        for f in self.figs:
            self.assertIn(f.section, order, f.name)

    def test_load_figure(self):
        """ns/pkt vs offered load: one block per system counted at the DUT, one point per trial"""
        res = load(NEW)
        fig = next(f for f in conf().figures if f.kind == "cost-vs-load")
        blocks = [b for b in self.files[fig.name + ".dat"].split("\n\n\n") if dat_rows(b)]
        t = res.trials[(res.trials["valid"] == 1) &
                       [res.catalog.counts(s) == fig.counts for s in res.trials["system"]]]
        self.assertEqual(len(blocks), len(t[["system", "mode"]].drop_duplicates()))
        self.assertEqual(sum(len(dat_rows(b)) for b in blocks), len(t))

    def test_old_directory(self):
        """an old directory draws the same figures"""
        figs, _ = prepare(OLD)
        self.assertEqual([f.name for f in figs], [f.name for f in self.figs])


class LoadFigureTest(unittest.TestCase):
    def test_only_when_load_varies(self):
        """without trials at different offered rates there is no load figure"""
        fig = next(f for f in conf().figures if f.kind == "cost-vs-load")
        with TempFixture() as fx:
            ctx = fx.context()
            sweeps = [e for e, d in ctx["experiments"].items() if len(d["rates"]) > 1]
            fx.write_rows([r for r in fx.rows() if r["experiment"] not in sweeps])
            figs, _ = prepare(fx.path)
        self.assertNotIn(fig.name, [f.name for f in figs])


if __name__ == "__main__":
    unittest.main()
