# SPDX-License-Identifier: GPL-2.0
"""cmpdefs.py - what `xdplab compare` compares: its metrics (where each comes
from, its unit, which direction is better, its default threshold), its
verdict words and exit codes, and its errors.  Shared by the other compare
modules (cmpstats, baseline, compare, cmpout, cmpcli); adding a metric is a
row of METRICS, and every table, file and verdict follows.

Two kinds of metric: `trial` metrics are a value per trial of results.csv
(noisy: a sample per side, compared with a CI), `program` metrics come from
the system's one row of programs.csv (deterministic, or nearly: test_run_ns
is the median of the BPF_PROG_TEST_RUN calls and its min-max range over them
is used as its interval).
"""
from collections import namedtuple

from .resultsdir import ResultsError

Metric = namedtuple("Metric", "name kind column unit better threshold what")

LOWER, HIGHER = "lower", "higher"

METRICS = [
    Metric("ns_per_pkt", "trial", "ns_per_pkt", "ns", LOWER, 5.0,
           "DUT busy CPU-ns per packet (the program's cost on the DUT core)"),
    Metric("mpps", "trial", "mpps", "Mpps", HIGHER, 5.0,
           "throughput: the system's rate column (its catalog `counts`)"),
    Metric("dut_cpu_pct", "trial", "dut_cpu_pct", "%", LOWER, 10.0,
           "busy share of the DUT core(s)"),
    Metric("verified_insns", "program", "verified_insns", "insns", LOWER, 0.0,
           "instructions the verifier processed"),
    Metric("jited_bytes", "program", "jited_bytes", "bytes", LOWER, 0.0,
           "JITed size of the program"),
    # The fastest call: interference only adds time (measured: the medians of two
    # loads of one object differed by up to 18%, their minima by 1 ns).  10%: the
    # kernel reports whole ns per run, 4% of a 25 ns program.
    Metric("test_run_ns", "program", "test_run_min_ns", "ns", LOWER, 10.0,
           "BPF_PROG_TEST_RUN ns per run: the fastest call, +-1 ns (whole ns) as the interval"),
]
BY_NAME = {m.name: m for m in METRICS}
TRIAL_METRICS = [m for m in METRICS if m.kind == "trial"]
PROGRAM_METRICS = [m for m in METRICS if m.kind == "program"]
# programs.csv columns a side keeps (test_run_ns's interval needs min and max).
PROGRAM_COLUMNS = ["prog", "verified_insns", "jited_bytes", "test_run_ns",
                   "test_run_min_ns", "test_run_max_ns"]
# --max-slowdown sets these thresholds at once.
SLOWDOWN_METRICS = ["ns_per_pkt", "mpps", "test_run_ns"]

# Per metric, and overall.
REGRESSED, IMPROVED, OK, INCONCLUSIVE = "regressed", "improved", "ok", "inconclusive"
MIN_N = 3                 # fewer values on a side: inconclusive
EQUAL_LOAD_PCT = 2.0      # paced pairs further apart compare the generator (ratios.py)
# A pair in which either side lost more than this share of what it was offered is left
# out: an equal-load run offers the slower side 10% more than it takes, so such a loss
# means the machine slowed down after the calibration, and in deep overload the cost
# per packet follows the ring and NAPI's batching, not the program (measured: a
# program 15% slower looked 12% cheaper per packet at 45-60% loss).
OVERLOAD_LOSS_PCT = 25.0

# Exit codes; 0..9 and 130 are xdplab's (README.md "Exit codes").
EXIT_OK, EXIT_FAIL, EXIT_USAGE, EXIT_INPUT = 0, 1, 2, 3
EXIT_REGRESSED, EXIT_INCONCLUSIVE = 10, 11
EXIT_CODES = [
    (EXIT_OK, "ok", "every metric is ok or improved"),
    (EXIT_FAIL, "fail", "the comparison itself failed (a bug or the environment)"),
    (EXIT_USAGE, "usage", "bad command line: unknown option, metric, threshold; a side "
     "that must be named"),
    (EXIT_INPUT, "input", "bad input: missing or broken results directory or baseline, "
     "unknown system, no valid trials or pairs"),
    (EXIT_REGRESSED, "regressed", "at least one metric regressed"),
    (EXIT_INCONCLUSIVE, "inconclusive", "none regressed, but at least one is inconclusive"),
]


class UsageError(Exception):
    """The command line does not say what to compare (exit 2)."""


class InputError(ResultsError):
    """A results directory or baseline cannot give what the comparison needs (exit 3)."""


def default_thresholds():
    return {m.name: m.threshold for m in METRICS}


def split_spec(spec):
    """'SYS[:MODE]' -> (system, mode or None)."""
    if not isinstance(spec, str) or not spec or spec.startswith(":"):
        raise UsageError(f"bad system {spec!r}: expected SYS or SYS:MODE")
    system, _, mode = spec.partition(":")
    return system, (mode or None)
