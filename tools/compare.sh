#!/usr/bin/env bash
# compare.sh - `xdplab compare`: the CI gate's verdict on a change of an XDP
# program, from an A/B results directory or a baseline file and a run
# (harness/analysis/xdplab_analysis/cmpcli.py; docs/ci.md).  Pure analysis: no
# root, no namespaces, no traffic.
#
# Usage: tools/compare.sh --help
# Exit codes: 0 ok, 10 regressed, 11 inconclusive, 1 failure, 2 usage, 3 bad input.
set -u

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${XL_PYTHON:-/usr/bin/python3} # Debian's python3 has pandas; a pyenv one may not
if [ ! -x "$PYTHON" ]; then
	echo "xdplab: $PYTHON not found (Debian's python3 with python3-pandas is needed)" >&2
	exit 1
fi
PYTHONPATH=$REPO/harness/analysis${PYTHONPATH:+:$PYTHONPATH} exec "$PYTHON" -B -m xdplab_analysis compare "$@"
