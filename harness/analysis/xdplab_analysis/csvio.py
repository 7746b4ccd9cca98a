# SPDX-License-Identifier: GPL-2.0
"""csvio.py - writing and re-reading the analysis' own CSV files (summary.csv,
ratios.csv, claims.csv).  Writes are atomic (a temporary file renamed into
place); integral columns are written without a trailing ".0".
"""
import os

import pandas as pd

from .schema import CONFIG_KEYS

INT_COLUMNS = CONFIG_KEYS + ["num_target_pps", "den_target_pps", "n", "n_valid", "n_pairs"]


def write_csv(df, path):
    df = df.copy()
    for c in INT_COLUMNS:
        if c in df.columns:
            v = df[c].dropna()
            if (v == v.round()).all():
                df[c] = df[c].round().astype("Int64")
    tmp = path + ".tmp"
    df.to_csv(tmp, index=False, float_format="%.10g")
    os.replace(tmp, path)


def read_csv(path):
    df = pd.read_csv(path, keep_default_na=True)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].fillna("")
    return df
