#!/usr/bin/env bash
# test_analysis_units.sh - the analysis package's unit tests
# (harness/analysis/tests/test_*.py, unittest): one PASS/FAIL/SKIP line per
# test case, printed by harness/analysis/tests/run.py.  Pure Python on the
# checked-in fixtures: no namespaces, no traffic, safe next to measurements.
# shellcheck source=tests/lib.sh disable=SC1091
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3 # Debian's python3 has pandas; a pyenv one may not
if ! "$PY" -c 'import pandas' 2>/dev/null; then
	skip "analysis unit tests" "$PY cannot import pandas (apt-get install python3-pandas)"
	t_finish
fi
PYTHONPATH=$REPO/harness/analysis "$PY" -B "$REPO/harness/analysis/tests/run.py" || T_FAILED=1
t_finish
