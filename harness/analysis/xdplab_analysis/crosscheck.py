# SPDX-License-Identifier: GPL-2.0
"""crosscheck.py - the measurements beside the trials: programs.csv (each XDP
program's verifier count, sizes and BPF_PROG_TEST_RUN time) and profile.csv
(a cpu-clock profile of the DUT core per trial, as ns per packet per symbol).

They cross-check a difference the trials measure: the XDP_PASS program's own
run time bounds what the program itself costs, and the profile shows in which
kernel functions the rest of a measured difference lands.
"""
import os

from .resultsdir import _read_csv, _columns  # one CSV reader for every file

TOP = 12  # symbols shown per profile table


def _load(res, name):
    path = os.path.join(res.path, name)
    schema = res.context.get("schema") if isinstance(res.context, dict) else None
    if not os.path.exists(path) or not isinstance(schema, dict) or name not in schema:
        return None
    return _read_csv(path, _columns(res.context, name)[0], name)


def programs(res):
    return _load(res, "programs.csv")


def profile(res):
    return _load(res, "profile.csv")


def programs_section(doc, res):
    df = programs(res)
    if df is None or df.empty:
        return
    doc.h(2, "Programs: deterministic metrics")
    doc.p("From `programs.csv`: what the verifier processed and the program's sizes "
          "(`bpf_prog_info`), and its own run time by `BPF_PROG_TEST_RUN` on the generator's "
          "test frame (median of the calls; each call times a loop of `test_run_repeat` runs). "
          "These move little between runs, unlike the trials.")
    rows = []
    for _, r in df.iterrows():
        rows.append([r["system"], r["mode"], r["prog"], int(r["verified_insns"]),
                     int(r["xlated_bytes"]), int(r["jited_bytes"]), int(r["maps"]),
                     f"{r['test_run_ns']:.0f} [{r['test_run_min_ns']:.0f}–{r['test_run_max_ns']:.0f}]",
                     int(r["test_run_retval"])])
    doc.table(["system", "mode", "program", "verified insns", "xlated B", "JITed B", "maps",
               "test run ns/run [min–max]", "retval"], rows)


def profile_table(df, experiment):
    """Per symbol: median ns/pkt per system:mode, and the difference of the last
    system against the first, largest differences first."""
    d = df[df["experiment"] == experiment]
    if d.empty:
        return None, []
    d = d.assign(sysmode=d["system"] + ":" + d["mode"])
    order = list(dict.fromkeys(d["sysmode"]))
    med = d.groupby(["symbol", "sysmode"])["ns_per_pkt"].median().unstack("sysmode").fillna(0.0)
    med = med.reindex(columns=order, fill_value=0.0)
    if len(order) > 1:
        med["diff"] = med[order[-1]] - med[order[0]]
        med = med.reindex(med["diff"].abs().sort_values(ascending=False).index)
    else:
        med = med.sort_values(order[0], ascending=False)
    return order, med.head(TOP)


def profile_section(doc, res, experiment):
    df = profile(res)
    if df is None or df.empty:
        return
    order, top = profile_table(df, experiment)
    if not order:
        return
    doc.h(3, f"Where the DUT core's time goes ({experiment})")
    header = ["symbol"] + [f"{s} ns/pkt" for s in order]
    if len(order) > 1:
        header.append(f"{order[-1]} − {order[0]}")
    rows = []
    for sym, r in top.iterrows():
        rows.append([f"`{sym}`"] + [f"{r[s]:.1f}" for s in order] +
                    ([f"{r['diff']:+.1f}"] if len(order) > 1 else []))
    doc.table(header, rows)
    doc.p("From `profile.csv`: `perf record -e cpu-clock` on the DUT core over each measured "
          "interval; a symbol's ns/pkt is its share of the samples over the core's busy share, "
          "times the trial's ns_per_pkt (median over trials). cpu-clock samples at 4 kHz, so a "
          "symbol below ~1% of the samples is noise.")
