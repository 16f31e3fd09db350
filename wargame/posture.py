"""Sourced posture data beside the roster: who must ask parliament, who is already there.

Three package tables, copies of the project's sourced tables (sources in docs/DATA.md):

- `deployment_rules.csv`: whether sending forces abroad needs prior parliamentary
  approval (Wagner, Peters & Glahn 2010; Dieterich, Hummel & Marschall 2015 code the same
  rule), and any exception for collective defence. It sets the *mandate class* that
  decides how long a government takes to pledge forces.
- `forward_presence.csv`: NATO's enhanced Forward Presence battlegroups, their framework
  and contributing nations per host (latest snapshot, 2023-2025). Their troops in the
  target are attacked from day one: these states are tripwired.
- `attitudes.csv` (read by `wargame.attitudes`): public opinion of NATO (Pew Research
  Center, 2024-2025), the domestic support a government weighs. Most cells are empty; a
  missing figure takes the median of those present (assumption, docs/MODEL.md §3.4).

Each file is read once per process and validated with one clear error line.
"""

from __future__ import annotations

import csv
import statistics
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from wargame.attitudes import load_attitudes
from wargame.errors import WargameError

DATA_DIR = Path(__file__).parent / "data"

#: Mandate classes: how a state decides to send forces to defend an ally.
MANDATE_CLASSES = ("executive", "partial", "parliament")

#: The forward-presence snapshot the model uses (the latest in the table).
PRESENCE_SNAPSHOT = "2023-2025_latest"


@dataclass(frozen=True, slots=True)
class Posture:
    """What the sourced posture tables say about one state."""

    mandate: str  # one of MANDATE_CLASSES
    nato_support: float  # share of the public favourable to NATO, in (0, 1]


def _read(name: str, required: tuple[str, ...]) -> list[dict[str, str]]:
    path = DATA_DIR / name
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise WargameError(f"{path}: missing required column(s): {', '.join(missing)}")
            return list(reader)
    except FileNotFoundError:
        raise WargameError(f"{path}: posture table not found") from None
    except (UnicodeDecodeError, csv.Error) as exc:
        raise WargameError(f"{path}: unreadable CSV ({exc})") from None


def mandate_class(prior_approval: str, collective_defence_exception: str) -> str:
    """Executive, partial or parliament, from the coded rule and its exception.

    A prior-approval state whose law exempts collective-defence deployments (Czechia,
    Slovakia, Türkiye: the exception text begins "yes") decides as an executive does. A
    state with no coded rule (Malta, Iceland) takes the middle class (assumption).
    """
    rule = prior_approval.strip().lower()
    exempt = collective_defence_exception.strip().lower().startswith("yes")
    if rule == "no" or exempt:
        return "executive"
    if rule == "yes":
        return "parliament"
    return "partial"


@cache
def postures() -> dict[str, Posture]:
    """iso3 -> Posture for every state of the rules table."""
    rules = _read("deployment_rules.csv",
                  ("iso3", "prior_parliamentary_approval", "collective_defence_exception"))
    support = {iso3: survey.nato_favourable_pct / 100.0
               for iso3, survey in load_attitudes().items()
               if survey.nato_favourable_pct is not None}
    median = statistics.median(support.values())
    return {
        row["iso3"]: Posture(
            mandate=mandate_class(row["prior_parliamentary_approval"],
                                  row["collective_defence_exception"]),
            nato_support=support.get(row["iso3"], median),
        )
        for row in rules
    }


def median_nato_support() -> float:
    """The median support of the states with a survey figure: the reference of 1."""
    return statistics.median(p.nato_support for p in postures().values())


@cache
def presence_contributors(host: str) -> tuple[str, ...]:
    """States with troops in `host`'s eFP battlegroup, framework nation first (may be empty)."""
    rows = _read("forward_presence.csv",
                 ("snapshot", "host_iso3", "framework_iso3", "contributor_iso3", "role"))
    latest = [r for r in rows if r["snapshot"] == PRESENCE_SNAPSHOT and r["host_iso3"] == host]
    framework = [r["framework_iso3"] for r in latest if r["framework_iso3"]][:1]
    others = sorted({r["contributor_iso3"] for r in latest
                     if r["contributor_iso3"] and r["contributor_iso3"] not in framework})
    return tuple(framework + [iso3 for iso3 in others if iso3 != host])
