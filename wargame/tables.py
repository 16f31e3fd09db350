"""Reading the package's sourced CSV tables, with one clear line on any problem.

Every table in `wargame/data/` is a copy of a table of the project's sourced data pack
(provenance in docs/DATA.md). The modules that turn a table into model quantities
(`roster`, `posture`, `ties`, `opinion`, `depth`, `capability`) read it through
`read_table`, so a missing file, a missing column or a file that is not UTF-8 CSV is
reported the same way everywhere: file, then problem.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from wargame.errors import WargameError

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_table(name: str, required: tuple[str, ...], *, text_column: str | None = None
               ) -> list[dict[str, str]]:
    """The rows of `wargame/data/NAME` as dicts of stripped strings.

    `text_column` names a free-text column that may hold unquoted commas in a row (the
    data pack's `defence_ties.csv` has one such row): a row with more fields than the
    header gives the surplus back to that column, joined with commas, so the row keeps
    its other columns in place.
    """
    path = DATA_DIR / name
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            header = next(reader, [])
            missing = [c for c in required if c not in header]
            if missing:
                raise WargameError(f"{path}: missing required column(s): {', '.join(missing)}")
            rows = []
            for row_no, fields in enumerate(reader, start=2):
                if not any(f.strip() for f in fields):
                    continue
                surplus = len(fields) - len(header)
                if surplus > 0 and text_column in header:
                    at = header.index(text_column)
                    fields = [*fields[:at], ",".join(fields[at:at + surplus + 1]),
                              *fields[at + surplus + 1:]]
                if len(fields) != len(header):
                    raise WargameError(f"{path}: row {row_no} has {len(fields)} fields, "
                                       f"the header {len(header)}")
                rows.append({c: f.strip() for c, f in zip(header, fields, strict=True)})
            return rows
    except FileNotFoundError:
        raise WargameError(f"{path}: data table not found") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise WargameError(f"{path}: unreadable CSV ({exc})") from None


def number(name: str, row: dict[str, str], column: str, *, low: float = -math.inf,
           high: float = math.inf) -> float | None:
    """A cell as a finite number within [low, high], None if empty; one line otherwise."""
    raw = row.get(column, "")
    if raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise WargameError(f"{DATA_DIR / name}: column {column}: {raw!r} is not a number"
                           ) from None
    if not (math.isfinite(value) and low <= value <= high):
        raise WargameError(f"{DATA_DIR / name}: column {column}: {raw} is outside "
                           f"[{low:g}, {high:g}]")
    return value
