"""Public willingness to defend an ally by force: the sourced table `public_willingness.csv`.

Pew Research Center asked NATO publics in 2015, 2017 and 2019 whether their country should
use military force to defend a NATO ally that Russia attacked (the table also holds other
items — willingness to fight for one's own country, support for military service — that
this module does not read: they answer other questions). A government that sends its
soldiers to fight for an ally weighs what its voters think of exactly that, so the crisis
model's opinion term (docs/MODEL.md §3.4) reads this item, per state its latest figure.
Most states were never asked: they take the median of the states that were, so the term
adds nothing for them. Opinion of NATO is deliberately not read by the crisis model: it
would penalise help under the EU clause, which is not NATO's.
"""

from __future__ import annotations

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


def willingness(iso3: str) -> float:
    """The state's share willing to defend an ally by force, or the median if unasked."""
    return ally_defence_support().get(iso3, median_ally_defence_support())
