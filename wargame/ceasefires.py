"""What the wars of Europe's neighbourhood say of how fast fronts freeze: `ceasefires.csv`.

The outcome rule (docs/MODEL.md §3.10) gives each war a daily chance of a ceasefire on a
still front, drawn once per run from an exponential distribution with mean
`ceasefire_rate`; mixed over that draw, the share of still fronts unfrozen after t days is
1 / (1 + rate x t). The table codes a reference class for that curve: the interstate wars
since 1974 in Europe and its eastern neighbourhood in which a state's regular forces seized
ground internationally recognised as another state's (`in_class`; a row coded `no` says
why it is left out), each counted from the attack to its ceasefire, and a war with none yet
counted as unfrozen on the last date the table verifies (right-censored).

The class is evidence on the rate, not its source: five wars cannot pin it. The maximum-
likelihood fit and its likelihood-ratio interval (`likelihood_interval`) show how far the
registry's assumed default and range agree with it, and a test keeps the default inside the
interval. Two mismatches make the class a weak check, and both are stated in MODEL.md: it
counts each wait from the attack, where the model's clock starts when the front stands
still, and the one war still unfrozen (Ukraine 2022) is a war whose attacker has not
stopped attacking, which the model's ceasefire clause does not cover.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache

from scipy.optimize import brentq
from scipy.stats import chi2

from wargame.errors import WargameError
from wargame.tables import read_table

FILE = "ceasefires.csv"
#: The 95% point of the chi-squared distribution with one degree of freedom: the drop in
#: log-likelihood (times 2) that bounds a 95% likelihood-ratio interval.
CHI2_1_95 = float(chi2.ppf(0.95, df=1))


@dataclass(frozen=True)
class War:
    """One war of the reference class: its days to a ceasefire, or to the last day seen."""

    name: str
    days: int
    frozen: bool  # False: no ceasefire by the table's last verified date (censored)


def _day(row: dict[str, str], column: str) -> date | None:
    text = row[column]
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise WargameError(f"{FILE}: {row['war']}: {column} {text!r} is not a date "
                           "(YYYY-MM-DD)") from None


@cache
def coded_wars() -> tuple[tuple[War, bool], ...]:
    """Every war of the table with whether it is in the class (`in_class` yes), each with
    the days from its start to its ceasefire or to the last date seen."""
    wars = []
    for row in read_table(FILE, ("war", "start", "ceasefire", "observed_until", "in_class",
                                 "source")):
        if row["in_class"] not in ("yes", "no"):
            raise WargameError(f"{FILE}: {row['war']}: in_class must be yes or no, "
                               f"not {row['in_class']!r}")
        start, ceasefire, seen = (_day(row, c) for c in ("start", "ceasefire",
                                                         "observed_until"))
        end = ceasefire or seen
        if start is None or end is None or (ceasefire and seen):
            raise WargameError(f"{FILE}: {row['war']}: give a start and exactly one of "
                               "ceasefire and observed_until")
        if end <= start:
            raise WargameError(f"{FILE}: {row['war']}: ends on or before it starts")
        wars.append((War(row["war"], (end - start).days, ceasefire is not None),
                     row["in_class"] == "yes"))
    return tuple(wars)


def reference_wars() -> tuple[War, ...]:
    """The wars of the class, the ones the rate is fitted to."""
    wars = tuple(war for war, in_class in coded_wars() if in_class)
    if not any(w.frozen for w in wars):
        raise WargameError(f"{FILE}: no war of the class has a ceasefire; no rate fits")
    return wars


def unfrozen_share(rate: float, days: float) -> float:
    """The share of still fronts with no ceasefire after `days`, at a mean daily rate."""
    return 1.0 / (1.0 + rate * days)


def log_likelihood(rate: float, wars: tuple[War, ...]) -> float:
    """log L(rate): log(rate) - 2 log(1 + rate x days) a frozen war, -log(1 + rate x days)
    a war still unfrozen (the density and the survival of 1 / (1 + rate x t))."""
    return sum((math.log(rate) - 2.0 * math.log1p(rate * w.days)) if w.frozen
               else -math.log1p(rate * w.days) for w in wars)


def fitted_ceasefire_rate(wars: tuple[War, ...]) -> float:
    """The mean daily ceasefire rate that makes the wars' waits most likely.

    The derivative of `log_likelihood` times the rate falls strictly from the number of
    frozen wars (rate -> 0) to minus the number of wars (rate -> infinity), so there is
    one root (Brent's method).
    """
    def score(rate: float) -> float:  # rate x d(log L)/d(rate)
        return sum((1.0 if w.frozen else 0.0)
                   - (2.0 if w.frozen else 1.0) * rate * w.days / (1.0 + rate * w.days)
                   for w in wars)

    return float(brentq(score, 1e-6, 1e3, rtol=1e-12))


def likelihood_interval(wars: tuple[War, ...]) -> tuple[float, float]:
    """The 95% likelihood-ratio interval of the rate: where 2 (log L(fit) - log L(rate))
    stays within the chi-squared(1) 95% point."""
    best = fitted_ceasefire_rate(wars)
    top = log_likelihood(best, wars)

    def excess(rate: float) -> float:
        return 2.0 * (top - log_likelihood(rate, wars)) - CHI2_1_95

    return (float(brentq(excess, 1e-9, best, rtol=1e-12)),
            float(brentq(excess, best, 1e4, rtol=1e-12)))
