# SPDX-License-Identifier: GPL-2.0
"""run.py - run the analysis' unit tests (test_*.py here) and print one line per
test case, the suite's convention: "PASS name", "FAIL name: why" or
"SKIP name: why".  A test's name is its module and the first paragraph of
its docstring.  Exits 1 if any test failed.  Stdlib unittest only; the tests
themselves use pandas like the analysis.

  PYTHONPATH=harness/analysis /usr/bin/python3 -B harness/analysis/tests/run.py [PATTERN]
"""
import os
import sys
import traceback
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))


def name_of(test):
    module = type(test).__module__.rsplit(".", 1)[-1].removeprefix("test_")
    doc = " ".join((test._testMethodDoc or "").strip().split("\n\n")[0].split())
    return f"{module}: {doc or test._testMethodName}"


def why(err):
    etype, value, tb = err
    if issubclass(etype, AssertionError):
        text = str(value)
    else:
        frames = traceback.extract_tb(tb)
        where = f" at {os.path.basename(frames[-1].filename)}:{frames[-1].lineno}" if frames else ""
        text = f"{etype.__name__}: {value}{where}"
    return " ".join(text.split())[:300] or etype.__name__


class LineResult(unittest.TestResult):
    """One line per test case, however many assertions or subtests it has."""

    def startTest(self, test):
        super().startTest(test)
        self._problem = None

    def _note(self, err):
        if self._problem is None:
            self._problem = why(err)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._note(err)

    def addError(self, test, err):
        super().addError(test, err)
        self._note(err)

    def addSubTest(self, test, subtest, err):
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._note(err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        print(f"SKIP {name_of(test)}: {reason}", flush=True)
        self._problem = False

    def stopTest(self, test):
        super().stopTest(test)
        if self._problem is False:
            return
        if self._problem is None:
            print(f"PASS {name_of(test)}", flush=True)
        else:
            print(f"FAIL {name_of(test)}: {self._problem}", flush=True)


def main(argv):
    sys.path.insert(0, HERE)
    pattern = f"test_*{argv[1]}*.py" if len(argv) > 1 else "test_*.py"
    suite = unittest.defaultTestLoader.discover(HERE, pattern=pattern, top_level_dir=HERE)
    result = LineResult()
    suite.run(result)
    for test, err in result.errors:  # import errors of a whole module show up here
        if not hasattr(test, "_testMethodName") or type(test).__name__ == "_FailedTest":
            print(f"FAIL {test.id()}: {' '.join(err.split())[-300:]}")
    ok = result.testsRun > 0 and not result.failures and not result.errors
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
