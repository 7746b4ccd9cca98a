# SPDX-License-Identifier: GPL-2.0
"""cmpcli.py - the command line of `xdplab compare` (python3 -m xdplab_analysis
compare ...): which form was asked for, the thresholds, and errors mapped to
exit codes (cmpdefs.EXIT_CODES; one line "xdplab: ..." on stderr).  Nothing
is written before the comparison is complete.
"""
import argparse
import os
import sys
import traceback

from . import baseline, cmpout, compare
from .cmpdefs import (BY_NAME, EXIT_CODES, EXIT_FAIL, EXIT_INPUT, EXIT_OK, EXIT_USAGE,
                      SLOWDOWN_METRICS, UsageError, default_thresholds)
from .resultsdir import ResultsError, load

USAGE = """\
usage: xdplab compare RUN_DIR [--experiment E] [--base SYS[:MODE] --new SYS[:MODE]] [OPTIONS]
       xdplab compare BASELINE.json RUN_DIR [--new SYS[:MODE]] [--experiment E] [OPTIONS]
       xdplab compare --save-baseline OUT.json RUN_DIR --system SYS[:MODE] [--experiment E]
  The first form compares two systems of one A/B run, trial pair by trial pair
  (defaults from context.json's "ab" object); the second a stored baseline
  with one system of a new run.  See docs/ci.md.
options:
  --json FILE             the comparison as JSON (numbers, methods, provenance)
  --markdown FILE         a snippet for a pull request: verdict, table, what to do
  --max-slowdown PCT      threshold of %s (default 5)
  --threshold METRIC=PCT  one metric's threshold; repeatable; metrics: %s
  --quiet                 no table on stdout
  --allow-mismatch        baseline form: call a regression even when the baseline's
                          kernel, CPU model or offered load differ from the run's
exit codes:
%s"""


def usage_text():
    codes = "\n".join(f"  {c:<3} {name:<13} {what}" for c, name, what in EXIT_CODES)
    return USAGE % (", ".join(SLOWDOWN_METRICS), ", ".join(BY_NAME), codes)


class Parser(argparse.ArgumentParser):
    def error(self, message):
        raise UsageError(message)


def parser():
    p = Parser(prog="xdplab compare", add_help=False, allow_abbrev=False)
    p.add_argument("paths", nargs="*")
    p.add_argument("-h", "--help", action="store_true")
    p.add_argument("--experiment")
    p.add_argument("--base")
    p.add_argument("--new")
    p.add_argument("--system")
    p.add_argument("--save-baseline", metavar="OUT")
    p.add_argument("--json", metavar="FILE")
    p.add_argument("--markdown", metavar="FILE")
    p.add_argument("--max-slowdown", metavar="PCT")
    p.add_argument("--threshold", action="append", default=[], metavar="METRIC=PCT")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--allow-mismatch", action="store_true")
    return p


def _pct(text, what):
    try:
        v = float(text)
    except ValueError:
        v = -1.0
    if not 0 <= v < float("inf"):
        raise UsageError(f"{what}: {text!r} is not a percentage >= 0")
    return v


def thresholds(args):
    t = default_thresholds()
    if args.max_slowdown is not None:
        v = _pct(args.max_slowdown, "--max-slowdown")
        t.update({m: v for m in SLOWDOWN_METRICS})
    for item in args.threshold:
        metric, eq, value = item.partition("=")
        if not eq or metric not in BY_NAME:
            raise UsageError(f"--threshold {item!r}: expected METRIC=PCT with METRIC one of "
                             f"{', '.join(BY_NAME)}")
        t[metric] = _pct(value, f"--threshold {metric}")
    return t


def _forbid(args, form, *names):
    for n in names:
        if getattr(args, n.lstrip("-").replace("-", "_")) not in (None, [], False):
            raise UsageError(f"{n} does not go with {form}")


def save_baseline(args):
    _forbid(args, "--save-baseline", "--base", "--new", "--json", "--markdown",
            "--max-slowdown", "--threshold")
    if len(args.paths) != 1 or not args.system:
        raise UsageError("--save-baseline OUT.json takes one RUN_DIR and --system SYS[:MODE]")
    side = baseline.from_run(load(args.paths[0]), args.system, args.experiment)
    baseline.save(args.save_baseline, side)
    n = len(side.values["ns_per_pkt"])
    print(f"xdplab: baseline of {side.name} ({side.experiment}, {n} valid trials) written to "
          f"{args.save_baseline}")
    return EXIT_OK


def run(args):
    if args.save_baseline:
        return save_baseline(args)
    _forbid(args, "a comparison", "--system")
    t = thresholds(args)
    if len(args.paths) == 2:
        _forbid(args, "a baseline (its side is the baseline)", "--base")
        base = baseline.load(args.paths[0])
        comp = compare.unpaired(base, load(args.paths[1]), args.new, args.experiment, t,
                                args.allow_mismatch)
    elif len(args.paths) == 1:
        if os.path.isfile(args.paths[0]):
            raise UsageError("a baseline is compared with a run: compare BASELINE.json RUN_DIR")
        comp = compare.paired(load(args.paths[0]), args.base, args.new, args.experiment, t)
    else:
        raise UsageError("expected RUN_DIR, or BASELINE.json RUN_DIR")
    cmpout.write(comp, t, args.json, args.markdown)
    if not args.quiet:
        sys.stdout.write(cmpout.table(comp))
    return comp.exit_code


def main(argv):
    try:
        args = parser().parse_intermixed_args(argv)
        if args.help:
            print(usage_text())
            return EXIT_OK
        return run(args)
    except UsageError as e:
        print(f"xdplab: compare: {e} (xdplab compare --help)", file=sys.stderr)
        return EXIT_USAGE
    except ResultsError as e:
        print(f"xdplab: {e}", file=sys.stderr)
        return EXIT_INPUT
    except Exception as e:  # our bug or the environment's (e.g. an unwritable --json)
        if os.environ.get("XL_DEBUG"):
            traceback.print_exc()
        print(f"xdplab: compare failed: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAIL
