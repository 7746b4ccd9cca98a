#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""fmt.py - numbers for humans, the same in the report, the claims and the figures."""
import math


def num(v, digits=3):
    """Three significant digits, no exponent for the magnitudes we print."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "n/a"
    if v == 0:
        return "0"
    mag = math.floor(math.log10(abs(v)))
    return f"{v:.{max(0, digits - 1 - mag)}f}"


def pps(v):
    """A packet rate as people say it: 100 pps, 250 kpps, 1 Mpps."""
    if v >= 1e6:
        return f"{v / 1e6:g} Mpps"
    if v >= 1e3:
        return f"{v / 1e3:g} kpps"
    return f"{v:g} pps"
