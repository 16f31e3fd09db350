"""Public opinion per state: the sourced survey table (Pew Research Center, Standard
Eurobarometer), validated with one line naming file, row and column.

`wargame/data/attitudes.csv` is a copy of the project's sourced table (docs/DATA.md). Most
cells are empty: no survey figure was found, and every reader says what it uses instead.
The crisis model reads NATO favourability (wargame/posture.py); the reform game reads
every item (wargame/reform/attitudes.py).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wargame.errors import WargameError

DATA_FILE = Path(__file__).resolve().parent / "data" / "attitudes.csv"

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
