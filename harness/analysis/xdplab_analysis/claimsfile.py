# SPDX-License-Identifier: GPL-2.0
"""claimsfile.py - configs/claims.ini into typed definitions.

claims.ini holds what is the paper's and not the machine's: which measured
system stands for which paper series, the comparisons computed per trial
pair, the claims and the figures.  Its format is documented at its top.
This module only parses and checks it: unknown sections, keys, types or
references are errors (ClaimsFileError, exit 1), so a typo cannot silently
drop a claim.  The rule logic lives in claims.py, the computations in
ratios.py and plotdata.py.
"""
import configparser
from collections import namedtuple
from dataclasses import dataclass, field, fields, replace

Side = namedtuple("Side", "experiment system mode rate", defaults=(None,))
PSeries = namedtuple("PSeries", "experiment series")
Quote = namedtuple("Quote", "kind a b xs")  # kind: ratio | range | values

BASES = ("rate", "cpu_cost", "cpu_ns", "rate_ns", "cpu_share", "avg_latency")
LATENCY_BASES = ("avg_latency",)
DIFFERENCE_BASES = ("cpu_ns", "rate_ns")
PAPER_X = ("cores", "load", "rate")
PAPER_VALUE = ("ratio", "ns_difference")
CAPPED = ("note", "not-measurable")


@dataclass(frozen=True)
class Rules:
    factor: float
    capped_loss_pct: float
    scales_rho: float
    min_loads: int
    busy_pct: float
    majority_pct: float
    halfwidth_ns: float
    rate_tolerance: dict = field(hash=False)
    equal_load_pct: float = 2.0
    knee_pct: float = 50.0


RULE_DEFAULTS = {"equal_load_pct": 2.0, "knee_pct": 50.0}


RULE_KEYS = [f.name for f in fields(Rules)]


@dataclass
class Comparison:
    name: str
    what: str
    num: Side
    den: Side
    bases: list
    paper_metric: str
    paper_x: str
    paper_value: str

    @property
    def latency(self):
        return self.bases[0] in LATENCY_BASES


@dataclass
class Claim:
    id: str
    title: str
    type: str
    says: str
    quotes: list
    rules: Rules
    comparison: str = ""
    basis: list = field(default_factory=list)
    cores: float = 1.0
    prefer_load: float = None
    capped: str = "note"
    systems: list = field(default_factory=list)
    system: Side = None
    paper_at: float = None
    paper_metric: str = ""
    missing: str = ""
    metric: str = ""


@dataclass
class Figure:
    name: str
    kind: str
    title: str
    experiments: list = field(default_factory=list)
    reference: Side = None
    paper: list = field(default_factory=list)
    comparison: str = ""
    counts: str = ""
    paper_metric: str = ""
    varying: float = None
    note: str = ""
    metric: str = ""


# Keys each claim type accepts besides title, type, says, paper and the rule overrides.
CLAIM_KEYS = {
    "ratio": {"comparison", "basis", "cores", "prefer_load", "capped"},
    "latency-ratio": {"comparison", "basis"},
    "difference": {"comparison", "basis", "cores"},
    "scales-with-load": {"systems", "paper_at", "paper_metric"},
    "always-busy": {"systems", "paper_metric"},
    "latency-value": {"system"},
    "knee": {"systems", "metric", "paper_metric"},
    "not-implemented": {"missing"},
}
CLAIM_REQUIRED = {
    "ratio": {"comparison"}, "latency-ratio": {"comparison"}, "difference": {"comparison"},
    "scales-with-load": {"systems", "paper_metric"}, "always-busy": {"systems", "paper_metric"},
    "latency-value": {"system"},
    "knee": {"systems", "metric", "paper_metric"},
    "not-implemented": {"missing"},
}
FIGURE_KEYS = {
    "bars": {"experiments", "reference", "paper", "note"},
    "difference": {"comparison", "note"},
    "cpu-vs-load": {"experiments", "paper", "paper_metric", "note"},
    "latency-bars": {"experiments", "paper", "note"},
    "latency-cdf": {"experiments", "paper", "note"},
    "cost-vs-load": {"counts", "varying", "note"},
    "rr-vs-attack": {"experiments", "paper", "paper_metric", "metric", "note"},
}
COMPARISON_KEYS = {"what", "num", "den", "bases", "paper_metric", "paper_x", "paper_value"}


class ClaimsFileError(Exception):
    """claims.ini is malformed or refers to something it does not define."""


def _list(value):
    return [v.strip() for v in value.replace("\n", ",").split(",") if v.strip()]


def _float(where, key, value):
    try:
        return float(value)
    except ValueError:
        raise ClaimsFileError(f"{where}: {key} = {value!r} is not a number")


def parse_side(text, where="", rate=None):
    """'EXPERIMENT SYSTEM:MODE [@ RATE]' -> Side; rate: 'forbidden', 'required' or None."""
    body, _, at = text.partition("@")
    words = body.split()
    if len(words) != 2 or words[1].count(":") != 1 or not all(words[1].split(":")):
        raise ClaimsFileError(f"{where}: {text!r} is not 'EXPERIMENT SYSTEM:MODE [@ RATE]'")
    system, mode = words[1].split(":")
    r = _float(where, "@", at.strip()) if at.strip() else None
    if rate == "forbidden" and r is not None:
        raise ClaimsFileError(f"{where}: {text!r}: no '@ RATE' here")
    if rate == "required" and r is None:
        raise ClaimsFileError(f"{where}: {text!r} needs '@ RATE'")
    return Side(words[0], system, mode, r)


def parse_pseries(text, where=""):
    exp, slash, series = text.partition("/")
    if not slash or not exp.strip() or not series.strip():
        raise ClaimsFileError(f"{where}: {text!r} is not 'PAPER_EXPERIMENT / SERIES'")
    return PSeries(exp.strip(), series.strip())


def parse_quote(text, where=""):
    if " vs " in text:
        a, _, rest = text.partition(" vs ")
        if rest.rstrip().endswith(" over all"):
            return Quote("range", parse_pseries(a, where),
                         parse_pseries(rest.rstrip()[:-len(" over all")], where), [])
        b, at, x = rest.rpartition(" at ")
        if not at:
            raise ClaimsFileError(f"{where}: quote {text!r} needs 'at X' or 'over all'")
        return Quote("ratio", parse_pseries(a, where), parse_pseries(b, where),
                     [_float(where, "at", x)])
    a, at, xs = text.rpartition(" at ")
    if not at:
        raise ClaimsFileError(f"{where}: quote {text!r} needs 'at X[, X]'")
    return Quote("values", parse_pseries(a, where), None, [_float(where, "at", x) for x in _list(xs)])


class ClaimsFile:
    def __init__(self, path):
        self.path = path
        cp = configparser.ConfigParser(delimiters=("=",), comment_prefixes=(";", "#"),
                                       inline_comment_prefixes=None, interpolation=None,
                                       default_section="-no-default-")
        cp.optionxform = str
        try:
            with open(path, encoding="utf-8") as f:
                cp.read_file(f)
        except (OSError, configparser.Error) as e:
            raise ClaimsFileError(f"{path}: {str(e).splitlines()[0]}")
        self.rules = None
        self.series = {}
        self.comparisons = {}
        self.claims = []
        self.figures = []
        for name in cp.sections():
            sec = cp[name]
            where = f"{path} [{name}]"
            head, _, rest = name.partition(" ")
            if name == "rules":
                self.rules = self._rules(where, sec, None)
            elif name == "series":
                for k, v in sec.items():
                    self.series[parse_side(k, where, "forbidden")] = parse_pseries(v, where)
            elif head == "comparison" and rest:
                self.comparisons[rest] = self._comparison(where, rest, sec)
            elif head in ("claim", "figure") and rest:
                pass  # after [rules] and every comparison are known
            else:
                raise ClaimsFileError(f"{where}: unknown section")
        if self.rules is None:
            raise ClaimsFileError(f"{path}: no [rules] section")
        for name in cp.sections():
            head, _, rest = name.partition(" ")
            if head == "claim":
                self.claims.append(self._claim(f"{path} [{name}]", rest, cp[name]))
            elif head == "figure":
                self.figures.append(self._figure(f"{path} [{name}]", rest, cp[name]))
        ids = [c.id for c in self.claims]
        if len(set(ids)) != len(ids):
            raise ClaimsFileError(f"{path}: claim ids must be unique")

    @staticmethod
    def _rules(where, sec, base):
        vals = {}
        for k in RULE_KEYS:
            if k not in sec:
                if base is None and k not in RULE_DEFAULTS:
                    raise ClaimsFileError(f"{where}: missing {k}")
                continue
            if k == "rate_tolerance":
                tol = {}
                for item in _list(sec[k]):
                    rate, colon, factor = item.partition(":")
                    if not colon:
                        raise ClaimsFileError(f"{where}: rate_tolerance item {item!r} is not RATE:FACTOR")
                    tol[_float(where, k, rate)] = _float(where, k, factor)
                vals[k] = tol
            else:
                vals[k] = _float(where, k, sec[k])
        if base is None:
            unknown = set(sec) - set(RULE_KEYS)
            if unknown:
                raise ClaimsFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
            return Rules(**vals)
        return replace(base, **vals)

    def _comparison(self, where, name, sec):
        unknown = set(sec) - COMPARISON_KEYS
        if unknown:
            raise ClaimsFileError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        missing = COMPARISON_KEYS - {"what"} - set(sec)
        if missing:
            raise ClaimsFileError(f"{where}: missing {', '.join(sorted(missing))}")
        bases = _list(sec["bases"])
        bad = [b for b in bases if b not in BASES]
        if bad or not bases:
            raise ClaimsFileError(f"{where}: bases must be from {', '.join(BASES)}")
        if len({b in LATENCY_BASES for b in bases}) > 1:
            raise ClaimsFileError(f"{where}: latency and trial bases cannot be mixed")
        for key, allowed in (("paper_x", PAPER_X), ("paper_value", PAPER_VALUE)):
            if sec[key] not in allowed:
                raise ClaimsFileError(f"{where}: {key} must be one of {', '.join(allowed)}")
        num, den = parse_side(sec["num"], where), parse_side(sec["den"], where)
        if sec["paper_x"] == "rate" and (num.rate is None or den.rate is None):
            raise ClaimsFileError(f"{where}: paper_x = rate needs '@ RATE' on num and den")
        return Comparison(name, sec.get("what", ""), num, den, bases, sec["paper_metric"],
                          sec["paper_x"], sec["paper_value"])

    def _claim(self, where, cid, sec):
        typ = sec.get("type", "")
        if typ not in CLAIM_KEYS:
            raise ClaimsFileError(f"{where}: type must be one of {', '.join(CLAIM_KEYS)}")
        allowed = CLAIM_KEYS[typ] | {"title", "type", "says", "paper"} | set(RULE_KEYS)
        unknown = set(sec) - allowed
        if unknown:
            raise ClaimsFileError(f"{where}: unknown key(s) for type {typ}: {', '.join(sorted(unknown))}")
        missing = CLAIM_REQUIRED[typ] - set(sec)
        if missing:
            raise ClaimsFileError(f"{where}: type {typ} needs {', '.join(sorted(missing))}")
        c = Claim(cid, sec.get("title", cid), typ, sec.get("says", ""),
                  [parse_quote(q.strip(), where) for q in sec.get("paper", "").splitlines() if q.strip()],
                  self._rules(where, sec, self.rules))
        if "comparison" in sec:
            if sec["comparison"] not in self.comparisons:
                raise ClaimsFileError(f"{where}: no [comparison {sec['comparison']}]")
            c.comparison = sec["comparison"]
            comp = self.comparisons[c.comparison]
            c.basis = _list(sec["basis"]) if "basis" in sec else list(comp.bases)
            if not set(c.basis) <= set(comp.bases):
                raise ClaimsFileError(f"{where}: basis must be among the comparison's bases "
                                      f"({', '.join(comp.bases)})")
            if typ == "difference" and not set(c.basis) <= set(DIFFERENCE_BASES):
                raise ClaimsFileError(f"{where}: a difference claim needs {' or '.join(DIFFERENCE_BASES)}")
        for key in ("cores", "prefer_load", "paper_at"):
            if key in sec:
                setattr(c, key, _float(where, key, sec[key]))
        if "capped" in sec:
            if sec["capped"] not in CAPPED:
                raise ClaimsFileError(f"{where}: capped must be one of {', '.join(CAPPED)}")
            c.capped = sec["capped"]
        if "systems" in sec:
            c.systems = [parse_side(s, where, "forbidden") for s in _list(sec["systems"])]
        if "system" in sec:
            c.system = parse_side(sec["system"], where, "required")
        c.missing = sec.get("missing", "")
        c.paper_metric = sec.get("paper_metric", "")
        c.metric = sec.get("metric", "")
        if typ == "knee" and len(c.systems) != 2:
            raise ClaimsFileError(f"{where}: type knee needs two systems (numerator, denominator)")
        return c

    def _figure(self, where, name, sec):
        kind = sec.get("kind", "")
        if kind not in FIGURE_KEYS:
            raise ClaimsFileError(f"{where}: kind must be one of {', '.join(FIGURE_KEYS)}")
        unknown = set(sec) - FIGURE_KEYS[kind] - {"kind", "title"}
        if unknown:
            raise ClaimsFileError(f"{where}: unknown key(s) for kind {kind}: {', '.join(sorted(unknown))}")
        f = Figure(name, kind, sec.get("title", name), _list(sec.get("experiments", "")),
                   paper=_list(sec.get("paper", "")), counts=sec.get("counts", ""),
                   paper_metric=sec.get("paper_metric", ""), note=sec.get("note", ""),
                   metric=sec.get("metric", ""))
        if "reference" in sec:
            f.reference = parse_side(sec["reference"], where, "forbidden")
        if kind == "difference":
            if sec.get("comparison") not in self.comparisons:
                raise ClaimsFileError(f"{where}: comparison must name a [comparison]")
            f.comparison = sec["comparison"]
        if kind == "cost-vs-load":
            if not f.counts:
                raise ClaimsFileError(f"{where}: kind cost-vs-load needs counts")
            f.varying = _float(where, "varying", sec.get("varying", "1"))
        elif not f.experiments and kind != "difference":
            raise ClaimsFileError(f"{where}: kind {kind} needs experiments")
        if kind == "rr-vs-attack" and not f.metric:
            raise ClaimsFileError(f"{where}: kind rr-vs-attack needs metric")
        if kind in ("cpu-vs-load", "rr-vs-attack") and f.paper and not f.paper_metric:
            raise ClaimsFileError(f"{where}: paper series need paper_metric")
        return f

    def comparison(self, name):
        return self.comparisons[name]
