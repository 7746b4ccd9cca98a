# SPDX-License-Identifier: GPL-2.0
"""schema.py - the column definitions of the runner's CSV files.

The runner defines its columns once, in C, and writes them to
context.json["schema"]: per file, one {name, type, unit, meaning} object per
column in file order, type one of string, int, float, bool (0/1).  This
module reads that definition.  Results directories written before the schema
existed fall back to BUILTIN, the columns as they were then.  BUILTIN is the
only list of the runner's columns in the analysis; its `required` flag marks
the first contract's columns, which every directory has and which the
analysis itself needs, so a schema from context.json must contain them too.
"""
from collections import namedtuple

TYPES = ("string", "int", "float", "bool")

Column = namedtuple("Column", "name type required")


def _cols(spec):
    """'name:type' words, '?' after the type = added later (may be absent)."""
    out = []
    for word in spec.split():
        name, typ = word.split(":")
        out.append(Column(name, typ.rstrip("?"), not typ.endswith("?")))
    return out


BUILTIN = {
    "results.csv": _cols(
        "experiment:string system:string mode:string frame_size:int flows:int cores:int "
        "trial:int valid:bool invalid_reason:string target_pps:float offered_pps:float "
        "dut_pps:float sink_pps:float loss_pct:float dut_cpu_pct:float ns_per_pkt:float "
        "gen_cpu_pct:float steal_pct:float duration_s:float offered_pkts:int dut_pkts:int "
        "sink_pkts:int dut_rx_dropped:int? dut_task_ns_per_pkt:float?"),
    "latency.csv": _cols(
        "experiment:string system:string mode:string target_pps:float trial:int count:int "
        "min_ns:float avg_ns:float p50_ns:float p90_ns:float p99_ns:float p999_ns:float "
        "max_ns:float share_under_10us:float sent:int received:int lost:int reordered:int "
        "unstamped:int? clock_anomalies:int? valid:bool? invalid_reason:string?"),
    "latency_hist.csv": _cols(
        "system:string mode:string target_pps:float trial:int bucket_lo_ns:float "
        "bucket_hi_ns:float count:int experiment:string?"),
}

# Columns that identify one measured configuration of one system (results.csv).
CONFIG_KEYS = ["frame_size", "flows", "cores", "target_pps"]
GROUP_KEYS = ["experiment", "system", "mode"] + CONFIG_KEYS
# Columns without which a row means nothing.
IDENTITY = ["experiment", "system", "trial", "valid"]


class SchemaError(Exception):
    """context.json's schema is malformed or lacks what the analysis needs."""


def columns(context, filename):
    """(list of Column, source) for one CSV file of a results directory."""
    schema = context.get("schema") if isinstance(context, dict) else None
    if schema is None:
        return BUILTIN[filename], "built-in (context.json has no schema)"
    if not isinstance(schema, dict):
        raise SchemaError('context.json: "schema" must be an object')
    defs = schema.get(filename)
    if defs is None:
        return BUILTIN[filename], f"built-in (context.json's schema has no {filename})"
    if not isinstance(defs, list):
        raise SchemaError(f'context.json: schema["{filename}"] must be a list of columns')
    out = []
    for i, d in enumerate(defs):
        if not isinstance(d, dict) or not isinstance(d.get("name"), str) or not d["name"]:
            raise SchemaError(f'context.json: schema["{filename}"][{i}] has no column name')
        if d.get("type") not in TYPES:
            raise SchemaError(f'context.json: schema["{filename}"] column {d["name"]}: type '
                              f'{d.get("type")!r} is not one of {", ".join(TYPES)}')
        out.append(Column(d["name"], d["type"], True))
    names = {c.name for c in out}
    # Files newer than BUILTIN (programs.csv, profile.csv) have no required columns here.
    lacking = [c.name for c in BUILTIN.get(filename, []) if c.required and c.name not in names]
    if lacking:
        raise SchemaError(f"context.json: schema of {filename} lacks column(s) "
                          f"{', '.join(lacking)}, which the analysis needs")
    return out, "context.json"


def string_columns(cols):
    return [c.name for c in cols if c.type == "string"]


def numeric_columns(cols):
    return [c.name for c in cols if c.type != "string"]

