# SPDX-License-Identifier: GPL-2.0
"""Reading a results directory: schema, catalog and experiments from context.json,
and the fallbacks for directories written before them (schema, catalog,
resultsdir)."""
import csv
import json
import unittest

from helpers import NEW, OLD, TempFixture
from xdplab_analysis import schema
from xdplab_analysis.catalog import Catalog, CatalogError
from xdplab_analysis.resultsdir import ResultsError, load


def header(path):
    with open(path, newline="") as f:
        return next(csv.reader(f))


class FixtureContractTest(unittest.TestCase):
    def test_schema_matches_files(self):
        """the fixture's schema lists exactly its CSV headers, in file order"""
        with open(f"{NEW}/context.json") as f:
            ctx = json.load(f)
        for name in ("results.csv", "latency.csv", "latency_hist.csv"):
            with self.subTest(name):
                self.assertEqual([c["name"] for c in ctx["schema"][name]], header(f"{NEW}/{name}"))
                for c in ctx["schema"][name]:
                    self.assertIn(c["type"], schema.TYPES)
                    self.assertEqual(set(c), {"name", "type", "unit", "meaning"})

    def test_catalog_and_experiments_match_rows(self):
        """every (experiment, system, mode) of the rows is in the fixture's experiments,
        in the catalog, and in one of its modes"""
        with open(f"{NEW}/context.json") as f:
            ctx = json.load(f)
        seen = set()
        for name in ("results.csv", "latency.csv"):
            with open(f"{NEW}/{name}", newline="") as f:
                seen |= {(r["experiment"], r["system"], r["mode"]) for r in csv.DictReader(f)}
        listed = {(e, s["system"], s["mode"]) for e, d in ctx["experiments"].items()
                  for s in d["systems"]}
        self.assertEqual(seen, listed)
        for _, system, mode in seen:
            self.assertIn(mode, ctx["catalog"][system]["modes"])
            self.assertIn(ctx["catalog"][system]["counts"], ("dut", "sink", "back", "in"))

    def test_old_fixture_has_no_contract_keys(self):
        """the old fixture really is an old directory (no schema, catalog, experiments)"""
        with open(f"{OLD}/context.json") as f:
            ctx = json.load(f)
        self.assertFalse({"schema", "catalog", "experiments"} & set(ctx))
        self.assertNotIn("dut_task_ns_per_pkt", header(f"{OLD}/results.csv"))


class SchemaTest(unittest.TestCase):
    def test_builtin_without_schema(self):
        """no schema in context.json: the built-in columns, later ones optional"""
        cols, source = schema.columns({}, "results.csv")
        self.assertIn("built-in", source)
        opt = {c.name for c in cols if not c.required}
        self.assertEqual(opt, {"dut_rx_dropped", "dut_task_ns_per_pkt"})

    def test_context_schema_used(self):
        """a schema in context.json decides the columns and their types"""
        ctx = {"schema": {"results.csv": [{"name": c.name, "type": c.type}
                                          for c in schema.BUILTIN["results.csv"]] +
                          [{"name": "extra", "type": "float"}]}}
        cols, source = schema.columns(ctx, "results.csv")
        self.assertEqual(source, "context.json")
        self.assertEqual(cols[-1], schema.Column("extra", "float", True))

    def test_schema_lacking_needed_column(self):
        """a schema without a column the analysis needs is an error"""
        ctx = {"schema": {"results.csv": [{"name": "experiment", "type": "string"}]}}
        with self.assertRaisesRegex(schema.SchemaError, "lacks column"):
            schema.columns(ctx, "results.csv")

    def test_bad_type(self):
        """a type outside string/int/float/bool is an error"""
        ctx = {"schema": {"results.csv": [{"name": "experiment", "type": "text"}]}}
        with self.assertRaisesRegex(schema.SchemaError, "is not one of"):
            schema.columns(ctx, "results.csv")


class LoadTest(unittest.TestCase):
    def test_old_and_new_agree(self):
        """the old directory (fallbacks) and the new one (catalog) give the same rates"""
        old, new = load(OLD), load(NEW)
        self.assertEqual(new.schema_source, "context.json")
        self.assertIn("built-in", old.schema_source)
        cols = ["experiment", "system", "mode", "trial", "target_pps", "rate_pps"]
        a = old.trials[cols].fillna(-1).values.tolist()
        b = new.trials[cols].fillna(-1).values.tolist()
        self.assertEqual(a, b)

    def test_missing_schema_column(self):
        """a column the context's schema declares but the CSV lacks: ResultsError"""
        with TempFixture() as fx:
            rows = fx.rows()
            for r in rows:
                del r["dut_task_ns_per_pkt"]
            fx.write_rows(rows)
            with self.assertRaisesRegex(ResultsError, "dut_task_ns_per_pkt"):
                load(fx.path)

    def test_bool_checked(self):
        """a bool column must hold 0 or 1"""
        with TempFixture() as fx:
            fx.edit({"experiment": "tx", "trial": "2"}, valid="2")
            with self.assertRaisesRegex(ResultsError, "valid is not 0 or 1"):
                load(fx.path)

    def test_unknown_columns_carried(self):
        """a column neither schema nor fallback knows is carried along"""
        with TempFixture(OLD) as fx:
            rows = fx.rows()
            for r in rows:
                r["future"] = "7"
            fx.write_rows(rows)
            self.assertTrue((load(fx.path).trials["future"] == 7).all())

    def test_bad_catalog(self):
        """a catalog entry with an unknown `counts` is a contract error"""
        with TempFixture() as fx:
            ctx = fx.context()
            first = next(iter(ctx["catalog"]))
            ctx["catalog"][first]["counts"] = "somewhere"
            fx.write_context(ctx)
            with self.assertRaisesRegex(ResultsError, "counts"):
                load(fx.path)


class CatalogTest(unittest.TestCase):
    def test_counts_decide_rate(self):
        """with a catalog, a system's `counts` picks its throughput column"""
        res = load(NEW)
        for system, s in res.catalog.systems.items():
            want = "dut_pps" if s.counts == "dut" else "sink_pps"
            self.assertEqual(res.catalog.rate_column(system, "any"), want, system)

    def test_catalog_overrides_experiment_rule(self):
        """a system counted at the DUT uses dut_pps even where the experiment has a sink"""
        with TempFixture() as fx:
            ctx = fx.context()
            for d in ctx["catalog"].values():
                if d["counts"] in ("sink", "back"):
                    d["counts"] = "dut"
            fx.write_context(ctx)
            t = load(fx.path).trials
            self.assertTrue((t["rate_pps"] == t["dut_pps"]).all())

    def test_fallback_rule(self):
        """without a catalog: sink_pps if the system has any in that experiment, else dut_pps"""
        t = load(OLD).trials
        for key, rows in t.groupby(["experiment", "system"]):
            col = "sink_pps" if rows["sink_pps"].notna().any() else "dut_pps"
            self.assertTrue((rows["rate_pps"] == rows[col]).all(), key)

    def test_fallback_mixed_experiment(self):
        """without a catalog, a system without sink counts keeps its DUT rate beside
        forwarding systems in the same experiment (and counts at the DUT)"""
        with TempFixture(OLD) as fx:
            rows = fx.rows()
            fwd = next(r for r in rows if r["sink_pps"])
            drop = [dict(r, experiment=fwd["experiment"]) for r in rows
                    if not r["sink_pps"] and r["experiment"] != fwd["experiment"]][:1]
            fx.write_rows(rows + drop)
            res = load(fx.path)
        mixed = res.trials[(res.trials["experiment"] == fwd["experiment"]) &
                           (res.trials["system"] == drop[0]["system"])]
        self.assertFalse(mixed.empty)
        self.assertTrue((mixed["rate_pps"] == mixed["dut_pps"]).all())
        self.assertEqual(res.catalog.counts(drop[0]["system"]), "dut")

    def test_labels(self):
        """labels come from the catalog, with the mode when the system has several;
        without a catalog the label is name and mode"""
        new, old = load(NEW).catalog, load(OLD).catalog
        for system, s in new.systems.items():
            for mode in s.modes:
                want = s.label if len(s.modes) == 1 else f"{s.label} {mode}"
                self.assertEqual(new.label(system, mode), want)
        system, mode = next(iter(old.experiments.values())).systems[0]
        self.assertEqual(old.label(system, mode), f"{system} {mode}")

    def test_floor(self):
        """the floor is the system counted 'in' (catalog) or the one of mode none (old)"""
        new, old = load(NEW).catalog, load(OLD).catalog
        f_new = [s for s in new.systems if new.is_floor(s)]
        f_old = [s for s in old.systems if old.is_floor(s)]
        self.assertEqual(len(f_new), 1)
        self.assertEqual(f_new, f_old)

    def test_experiment_order(self):
        """experiments and their systems in config order; derived in row order"""
        new, old = load(NEW), load(OLD)
        with open(f"{NEW}/context.json") as f:
            ctx = json.load(f)
        self.assertEqual(new.catalog.experiment_order(), list(ctx["experiments"]))
        self.assertEqual(old.catalog.experiment_order(), new.catalog.experiment_order())
        for name, e in new.catalog.experiments.items():
            self.assertEqual(e.systems, old.catalog.experiments[name].systems, name)
            self.assertEqual(e.kind, old.catalog.experiments[name].kind, name)

    def test_malformed(self):
        """experiments that are not objects with system lists are rejected"""
        with self.assertRaises(CatalogError):
            Catalog({"experiments": {"x": {"systems": "a,b"}}}, None)


if __name__ == "__main__":
    unittest.main()
