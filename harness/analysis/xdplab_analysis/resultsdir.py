# SPDX-License-Identifier: GPL-2.0
"""resultsdir.py - read one xdplab results directory into DataFrames.

The runner's files are a contract (docs/results-format.md): results.csv with
named columns (never read by position; columns added later are carried
along), context.json, and the optional latency.csv and latency_hist.csv.
Column names and types come from context.json's schema (schema.py), the
systems and experiments from its catalog (catalog.py).  This module checks
the files against them once, turns them into typed frames and adds the
derived columns every later step uses: `rate_pps` (the system's throughput:
the column its catalog entry counts in) and `mpps`.  Anything wrong with the
input raises ResultsError, which the command line maps to exit code 3.
"""
import json
import math
import os

import pandas as pd

from . import schema
from .catalog import Catalog, CatalogError


class ResultsError(Exception):
    """The results directory does not hold what the contract promises."""


class Results:
    """Everything the analysis knows about one run."""

    def __init__(self, path, trials, context, latency, hist, catalog, schema_source):
        self.path = path
        self.trials = trials      # results.csv + rate_pps, mpps
        self.context = context    # dict from context.json ({} if absent)
        self.latency = latency    # latency.csv or None
        self.hist = hist          # latency_hist.csv or None
        self.catalog = catalog    # systems and experiments (catalog.py)
        self.schema_source = schema_source

    @property
    def name(self):
        return os.path.basename(os.path.normpath(self.path))

    @property
    def cpus_online(self):
        v = self.context.get("cpus_online")
        return v if isinstance(v, int) else None


def _read_csv(path, cols, what):
    strings = schema.string_columns(cols)
    try:
        df = pd.read_csv(path, keep_default_na=True, dtype={c: str for c in strings})
    except pd.errors.EmptyDataError:
        raise ResultsError(f"{what} is empty (no header): {path}")
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as e:
        raise ResultsError(f"cannot parse {path}: {str(e).splitlines()[0]}")
    missing = [c.name for c in cols if c.required and c.name not in df.columns]
    if missing:
        raise ResultsError(f"{what} lacks column(s) {', '.join(missing)}: {path}")
    for c in strings:
        if c in df.columns:
            df[c] = df[c].fillna("")
    for c in cols:
        if c.type == "string" or c.name not in df.columns:
            continue
        conv = pd.to_numeric(df[c.name], errors="coerce")
        bad = conv.isna() & df[c.name].notna()
        if c.type == "bool":
            bad |= conv.notna() & ~conv.isin([0, 1])
        if bad.any():
            row = int(bad.idxmax()) + 2  # header is line 1
            want = "0 or 1" if c.type == "bool" else "a number"
            raise ResultsError(f"{path}:{row}: column {c.name} is not {want}: "
                               f"{df[c.name][bad].iloc[0]!r}")
        df[c.name] = conv.astype(float)
    return df


def load_context(path):
    ctx_path = os.path.join(path, "context.json")
    if not os.path.exists(ctx_path):
        return {}
    try:
        with open(ctx_path, encoding="utf-8") as f:
            ctx = json.load(f)
    except (OSError, ValueError) as e:
        raise ResultsError(f"cannot read {ctx_path}: {e}")
    if not isinstance(ctx, dict):
        raise ResultsError(f"{ctx_path}: expected a JSON object")
    return ctx


def _columns(ctx, filename):
    try:
        return schema.columns(ctx, filename)
    except schema.SchemaError as e:
        raise ResultsError(str(e))


def load_trials(path, ctx):
    csv = os.path.join(path, "results.csv")
    cols, source = _columns(ctx, "results.csv")
    df = _read_csv(csv, cols, "results.csv")
    if df[schema.IDENTITY].isna().any().any() or \
            (df["experiment"] == "").any() or (df["system"] == "").any():
        raise ResultsError(f"{csv}: a row lacks {', '.join(schema.IDENTITY)}")
    df["valid"] = df["valid"].astype(int)
    df["trial"] = df["trial"].astype(int)
    # Group keys must not be NaN or groupby drops the rows.
    for c in schema.CONFIG_KEYS:
        df[c] = df[c].fillna(0.0)
    return df, source


def load_latency(path, ctx):
    lat_path = os.path.join(path, "latency.csv")
    hist_path = os.path.join(path, "latency_hist.csv")
    lat = hist = None
    if os.path.exists(lat_path):
        lat = _read_csv(lat_path, _columns(ctx, "latency.csv")[0], "latency.csv")
        if "valid" not in lat.columns:  # added to the contract later
            lat["valid"] = 1.0
        lat["valid"] = lat["valid"].fillna(1).astype(int)
    if os.path.exists(hist_path):
        hist = _read_csv(hist_path, _columns(ctx, "latency_hist.csv")[0], "latency_hist.csv")
    return lat, hist


def add_rates(trials, catalog):
    """rate_pps and mpps: each row's throughput, from its system's catalog entry."""
    trials["rate_pps"] = math.nan
    for (exp, system), rows in trials.groupby(["experiment", "system"], sort=False):
        trials.loc[rows.index, "rate_pps"] = rows[catalog.rate_column(system, exp)]
    trials["mpps"] = trials["rate_pps"] / 1e6


def load(path):
    if not os.path.isdir(path):
        raise ResultsError(f"not a directory: {path}")
    if not os.path.isfile(os.path.join(path, "results.csv")):
        raise ResultsError(f"no results.csv in {path}")
    ctx = load_context(path)
    trials, source = load_trials(path, ctx)
    lat, hist = load_latency(path, ctx)
    try:
        catalog = Catalog(ctx, trials, lat)
    except CatalogError as e:
        raise ResultsError(str(e))
    add_rates(trials, catalog)
    return Results(path, trials, ctx, lat, hist, catalog, source)
