"""Public opinion per state: the sourced survey table, validated, and what the reform reads from it.

`wargame/data/attitudes.csv` is a copy of the project's sourced table (Pew Research Center
and Standard Eurobarometer; docs/DATA.md). Most cells are empty: no survey figure was found.
Where a figure is missing the declared fallback input is used (`fallback_*_pct`, each with
its plausible range in the reform registry), and `Opinion.imputed` names the items that
came from a fallback, so no reader mistakes an assumption for a survey result.

No survey asks about NATO under EU leadership. The support a government expects for it is
therefore derived (docs/REFORM.md §3.2): half-way, moved by how much more the public
favours the European side (the EU, and for EU members a common defence policy) than the
transatlantic status quo (NATO as it is and the US).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from wargame.errors import WargameError

if TYPE_CHECKING:
    from wargame.reform.inputs import ReformInputs
    from wargame.roster import StateProfile

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "attitudes.csv"

#: The survey items the reform reads, each a share of adults in per cent (or empty).
ITEMS = ("nato_favourable_pct", "us_favourable_pct", "confidence_us_president_pct",
         "eu_favourable_pct", "support_common_defence_pct")


@dataclass(frozen=True, slots=True)
class Survey:
    """One row of the table: the survey figures found for a state (None = not found)."""

    iso3: str
    name: str
    nato_favourable_pct: float | None
    us_favourable_pct: float | None
    confidence_us_president_pct: float | None
    eu_favourable_pct: float | None
    support_common_defence_pct: float | None


@dataclass(frozen=True, slots=True)
class Opinion:
    """What an ally's government reads from its public, as shares in [0, 1]."""

    reform_support: float  # expected public support for NATO under EU leadership
    us_reliability: float  # confidence that the US stands by Europe
    imputed: tuple[str, ...]  # items taken from a fallback input, not a survey


def _number(path: Path, row_no: int, iso3: str, column: str, raw: str) -> float | None:
    raw = raw.strip()
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise WargameError(f"{path}: row {row_no} ({iso3}), column {column}: "
                           f"{raw!r} is not a number") from None
    if not (math.isfinite(value) and 0.0 <= value <= 100.0):
        raise WargameError(f"{path}: row {row_no} ({iso3}), column {column}: "
                           f"{raw} is outside [0, 100] per cent")
    return value


def read_attitudes(path: Path = DATA_FILE) -> dict[str, Survey]:
    """Read and validate the table; one line naming file, row and column on any problem."""
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in ("iso3", "name", *ITEMS) if c not in (reader.fieldnames or [])]
            if missing:
                raise WargameError(f"{path}: missing required column(s): {', '.join(missing)}")
            table: dict[str, Survey] = {}
            for row_no, raw in enumerate(reader, start=2):
                iso3 = (raw.get("iso3") or "").strip()
                if not re.fullmatch(r"[A-Z]{3}", iso3):
                    raise WargameError(f"{path}: row {row_no}, column iso3: {iso3!r} is not an "
                                       "ISO 3166-1 alpha-3 code")
                if iso3 in table:
                    raise WargameError(f"{path}: row {row_no} ({iso3}), column iso3: duplicate")
                values = {c: _number(path, row_no, iso3, c, raw.get(c) or "") for c in ITEMS}
                table[iso3] = Survey(iso3, (raw.get("name") or "").strip(), **values)
    except FileNotFoundError:
        raise WargameError(f"{path}: attitude table not found") from None
    except UnicodeDecodeError:
        raise WargameError(f"{path}: not a UTF-8 text file") from None
    except csv.Error as exc:
        raise WargameError(f"{path}: malformed CSV ({exc})") from None
    return table


@cache
def load_attitudes(path: Path = DATA_FILE) -> dict[str, Survey]:
    """The validated table, read once per process."""
    return read_attitudes(path)


def opinion_of(survey: Survey, *, eu_member: bool, fallbacks: dict[str, float]) -> Opinion:
    """The government's reading of its public (docs/REFORM.md §3.2).

    Support = 0.5 + (pro - con) / 2, where pro is EU favourability (and, for EU members,
    the mean with support for a common defence policy) and con the mean of NATO and US
    favourability: a public warmer to the European side than to the transatlantic status
    quo leans towards the reform. For the United States the reform hands NATO's lead to
    Europe: pro is the share not favourable to NATO and con the share favourable.
    US reliability is the share with confidence in the US president.
    `fallbacks` maps each item to the value used where the survey has none.
    """
    imputed = []

    def item(name: str) -> float:
        value = getattr(survey, name)
        if value is None:
            imputed.append(name)
            value = fallbacks[name]
        return value / 100.0

    if survey.iso3 == "USA":
        nato = item("nato_favourable_pct")
        pro, con = 1.0 - nato, nato
        reliability = 1.0  # the US does not doubt itself
    else:
        pro = item("eu_favourable_pct")
        if eu_member:
            pro = (pro + item("support_common_defence_pct")) / 2.0
        con = (item("nato_favourable_pct") + item("us_favourable_pct")) / 2.0
        reliability = item("confidence_us_president_pct")
    support = min(1.0, max(0.0, 0.5 + (pro - con) / 2.0))
    return Opinion(support, reliability, tuple(imputed))


def opinion_for(profile: StateProfile, surveys: Mapping[str, Survey],
                inputs: ReformInputs) -> Opinion:
    """`profile`'s opinion from `surveys`, missing items from the run's fallback inputs."""
    survey = surveys.get(profile.iso3) or Survey(profile.iso3, profile.name,
                                                 None, None, None, None, None)
    fallbacks = {
        "nato_favourable_pct": inputs.fallback_nato_favourable_pct,
        "us_favourable_pct": inputs.fallback_us_favourable_pct,
        "confidence_us_president_pct": inputs.fallback_us_confidence_pct,
        "eu_favourable_pct": inputs.fallback_eu_favourable_pct,
        "support_common_defence_pct": inputs.fallback_common_defence_pct,
    }
    return opinion_of(survey, eu_member=profile.eu_member, fallbacks=fallbacks)
