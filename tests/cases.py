#!/usr/bin/python3
"""cases.py - test cases for the Python checks of the shell tests.

`with Case(name) as c: c.check(ok, what, detail)` prints one PASS/FAIL line
for the case (counted by tests/run_tests.sh) and indented "  not ok:" lines
for the failed checks under it; an exception inside the case fails it.
`Case.failed` tells the script's exit status.
"""


class Case:
    failed = False

    def __init__(self, name):
        self.name, self.bad, self.n = name, [], 0

    def __enter__(self):
        return self

    def check(self, ok, what, detail=""):
        self.n += 1
        if not ok:
            self.bad.append(f"{what}: {detail}" if detail != "" else what)
        return ok

    def __exit__(self, *exc):
        if exc[0] is not None:
            self.bad.append(f"exception {exc[0].__name__}: {exc[1]}")
        if self.bad:
            Case.failed = True
            print(f"FAIL {self.name}")
            for b in self.bad:
                print(f"  not ok: {b}")
        elif not self.n:
            Case.failed = True
            print(f"FAIL {self.name}: checked nothing")
        else:
            print(f"PASS {self.name} ({self.n} checks)")
        return True
