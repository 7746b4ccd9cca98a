# SPDX-License-Identifier: GPL-2.0
"""fmt.py - numbers for humans, the same in the report, the claims and the figures."""
import math


def isnan(v):
    return v is None or (isinstance(v, float) and math.isnan(v))


def num(v, digits=3):
    """Three significant digits, no exponent for the magnitudes we print."""
    if isnan(v):
        return "n/a"
    if v == 0:
        return "0"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    mag = math.floor(math.log10(abs(v)))
    return f"{v:.{max(0, digits - 1 - mag)}f}"


def pps(v):
    """A configured packet rate as people say it: 100 pps, 250 kpps, 1 Mpps."""
    if v >= 1e6:
        return f"{v / 1e6:g} Mpps"
    if v >= 1e3:
        return f"{v / 1e3:g} kpps"
    return f"{v:g} pps"


def rate(v):
    """A measured packet rate, three significant digits: 23.9 Mpps, 5.05 Mpps."""
    if isnan(v):
        return "n/a"
    if v >= 1e6:
        return f"{num(v / 1e6)} Mpps"
    if v >= 1e3:
        return f"{num(v / 1e3)} kpps"
    return f"{num(v)} pps"


def interval(lo, hi, unit=""):
    """'4.9–5.3×' or 'n/a' for a confidence interval."""
    if isnan(lo) or isnan(hi):
        return "n/a"
    return f"{num(lo)}–{num(hi)}{unit}"


def wrap(text, width=11):
    """Break a label into lines of about `width` characters for gnuplot ("\\n")."""
    lines, cur, words = [], "", []
    for word in text.split():
        # A long identifier breaks after its underscores (XDP_ / REDIRECT).
        while len(word) > width and "_" in word[:-1]:
            cut = word.rindex("_", 0, len(word) - 1) + 1
            words.append(word[:cut])
            word = word[cut:]
        words.append(word)
    for word in words:
        if cur and len(cur) + 1 + len(word) > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    if cur:
        lines.append(cur)
    return "\\n".join(lines)
