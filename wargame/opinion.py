"""Public willingness to defend an ally by force: the sourced table `public_willingness.csv`.

Pew Research Center asked NATO publics in 2015, 2017 and 2019 whether their country should
use military force to defend a NATO ally that Russia attacked (the table also holds other
items — willingness to fight for one's own country, support for military service — that
this module does not read: they answer other questions). A government that sends its
soldiers to fight for an ally weighs what its voters think of exactly that, so the crisis
model's opinion term (docs/MODEL.md §3.4) reads this item, per state its latest figure.
Some states' 2019 answers are recorded only as which answer won ("should not": Türkiye,
Hungary, Bulgaria, Greece, Slovakia, Czechia): they take the median figure of the states
that gave the same answer in that wave. States never asked take the median of the states
that were, so the term adds nothing for them. Opinion of NATO is deliberately not read by
the crisis model: it would penalise help under the EU clause, which is not NATO's.
"""

from __future__ import annotations

import re
import statistics
from functools import cache

from wargame.tables import number, read_table

FILE = "public_willingness.csv"
#: The Pew item: use military force to defend a NATO ally in a conflict with Russia.
ALLY_DEFENCE_ITEM = "Pew: If Russia got into a serious military conflict"
#: Pseudo-codes of the table's cross-country medians, not states.
MEDIAN_CODES = ("MEDIAN8", "MEDIAN16")


@cache
def ally_defence_support() -> dict[str, float]:
    """iso3 -> the latest share (0-1) saying their country should defend an ally by force."""
    latest: dict[str, tuple[int, float]] = {}
    for row in read_table(FILE, ("iso3", "year", "question", "share_yes")):
        if not row["question"].startswith(ALLY_DEFENCE_ITEM) or row["iso3"] in MEDIAN_CODES:
            continue
        share = number(FILE, row, "share_yes", low=0.0, high=100.0)
        year = int(number(FILE, row, "year", low=1900, high=2100) or 0)
        if share is not None and year >= latest.get(row["iso3"], (0, 0.0))[0]:
            latest[row["iso3"]] = (year, share / 100.0)
    return {iso3: share for iso3, (_, share) in latest.items()}


@cache
def median_ally_defence_support() -> float:
    """The median of the states' latest figures: what a state without a figure takes."""
    return statistics.median(ally_defence_support().values())


#: How the table marks a row that records only which answer won, not its share.
QUALITATIVE = re.compile(
    r"\[QUALITATIVE: (?:majority|plurality|half or more) said '(should not|should)'")


@cache
def qualitative_answers() -> dict[str, tuple[int, str]]:
    """iso3 -> (year, "should" or "should not") for the ally-defence rows that record only
    the winning answer (Pew 2019 as reported; public_willingness.csv)."""
    found: dict[str, tuple[int, str]] = {}
    for row in read_table(FILE, ("iso3", "year", "question")):
        match = QUALITATIVE.search(row["question"])
        if row["question"].startswith(ALLY_DEFENCE_ITEM) and match:
            found[row["iso3"]] = (int(number(FILE, row, "year", low=1900, high=2100) or 0),
                                  match.group(1))
    return found


@cache
def wave_median(year: int, answer: str) -> float | None:
    """The median latest figure of the states whose `year` answer was `answer`, or None."""
    support = ally_defence_support()
    shares = [support[iso3] for iso3, (wave, said) in qualitative_answers().items()
              if wave == year and said == answer and iso3 in support]
    return statistics.median(shares) if shares else None


def willingness(iso3: str) -> float:
    """The state's share willing to defend an ally by force.

    Its latest figure; else, where the table records only which answer won in a wave, the
    median figure of the states that gave the same answer in that wave (Türkiye's and
    Hungary's "should not" majority or plurality of 2019 take the median of Italy, Germany,
    Spain, France and Poland); else the median of every figure (docs/MODEL.md §3.4)."""
    support = ally_defence_support()
    if iso3 in support:
        return support[iso3]
    if iso3 in qualitative_answers():
        median = wave_median(*qualitative_answers()[iso3])
        if median is not None:
            return median
    return median_ally_defence_support()
