"""Sourced posture data beside the roster: who must ask parliament, who is neutral, who is
already there.

Two package tables, copies of the project's sourced tables (sources in docs/DATA.md):

- `deployment_rules.csv`: whether sending forces abroad needs prior parliamentary
  approval (Wagner, Peters & Glahn 2010; Dieterich, Hummel & Marschall 2015 code the same
  rule), any exception for collective defence, and the state's neutrality policy. It sets
  the *mandate class* that decides how long a government takes to authorise a deployment,
  and which states have an explicit policy of neutrality or non-alignment.
- `forward_presence.csv`: NATO's enhanced Forward Presence battlegroups, their framework
  and contributing nations per host (latest snapshot, 2023-2025). With the stationing rows
  of `defence_ties.csv` (`wargame.ties`) they say which states have troops in the target:
  those are engaged from the first day of an armed attack.

Each file is read once per process and validated with one clear error line.
"""

from __future__ import annotations

from functools import cache

from wargame.tables import DATA_DIR, read_table
from wargame.ties import garrison_nations, stationed_in

__all__ = ["DATA_DIR", "MANDATE_CLASSES", "battlegroup_total", "deploys_before_approval",
           "mandate_class", "mandates", "neutral_policy", "presence_contributors",
           "presence_figures", "troops_in"]

#: Mandate classes: how a state decides to send forces to defend an ally.
MANDATE_CLASSES = ("executive", "partial", "parliament")

#: The forward-presence snapshot the model uses (the latest in the table).
PRESENCE_SNAPSHOT = "2023-2025_latest"


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
def _rules() -> dict[str, dict[str, str]]:
    rows = read_table("deployment_rules.csv", ("iso3", "prior_parliamentary_approval",
                                               "collective_defence_exception", "neutrality"))
    return {row["iso3"]: row for row in rows}


@cache
def mandates() -> dict[str, str]:
    """iso3 -> mandate class for every state of the rules table."""
    return {iso3: mandate_class(row["prior_parliamentary_approval"],
                                row["collective_defence_exception"])
            for iso3, row in _rules().items()}


@cache
def _urgent() -> dict[str, bool]:
    rows = read_table("urgent_deployment.csv", ("iso3", "deploys_before_approval"))
    return {row["iso3"]: row["deploys_before_approval"].lower() == "yes" for row in rows}


def deploys_before_approval(iso3: str) -> bool:
    """Whether the state's government may send forces before its mandate is granted when
    its own soldiers abroad are attacked: a state whose government decides alone (mandate
    class executive) can; a state whose parliament must approve first can only where its
    law has an emergency exception (`urgent_deployment.csv`, the project's reading of
    deployment_rules.csv's exception column: Germany's ParlBG s.5, Denmark's s.19(2),
    the UK's emergency exemption...). Where no exception was found, the garrison's
    reinforcement waits for its parliament like any other deployment."""
    if mandates().get(iso3, "partial") == "executive":
        return True
    return _urgent().get(iso3, False)


def neutral_policy(iso3: str) -> bool:
    """Whether the state has an explicit policy of neutrality or non-alignment (the
    table's `neutrality` column says anything but "no ...": Austria, Ireland, Malta,
    Switzerland, Cyprus). Art. 42.7's "specific character" sentence covers these."""
    row = _rules().get(iso3)
    if not row:
        return False
    text = row["neutrality"].strip().lower()
    return bool(text) and not (text == "no" or text.startswith(("no ", "no(")))


@cache
def _presence_rows(host: str) -> tuple[dict[str, str], ...]:
    rows = read_table("forward_presence.csv",
                      ("snapshot", "host_iso3", "framework_iso3", "contributor_iso3", "role"))
    return tuple(r for r in rows if r["snapshot"] == PRESENCE_SNAPSHOT and r["host_iso3"] == host)


@cache
def presence_figures(host: str) -> dict[str, int]:
    """iso3 -> the troops the table gives a contributor of `host`'s battlegroup, for the
    contributors with a sourced figure in the latest snapshot (most have none)."""
    return {r["contributor_iso3"]: int(r["troops"]) for r in _presence_rows(host)
            if r["contributor_iso3"] and r.get("troops", "").strip()
            and r["role"] in ("framework", "contributor")}


@cache
def battlegroup_total(host: str) -> int:
    """The troops of `host`'s eFP battlegroup by the latest snapshot's `total` row, or 0
    where the table gives none."""
    totals = [int(r["troops"]) for r in _presence_rows(host)
              if r["role"] == "total" and r.get("troops", "").strip()]
    return totals[0] if totals else 0


@cache
def presence_contributors(host: str) -> tuple[str, ...]:
    """States with troops in `host`'s eFP battlegroup, framework nation first (may be empty)."""
    latest = _presence_rows(host)
    framework = [r["framework_iso3"] for r in latest if r["framework_iso3"]][:1]
    others = sorted({r["contributor_iso3"] for r in latest
                     if r["contributor_iso3"] and r["contributor_iso3"] not in framework})
    return tuple(framework + [iso3 for iso3 in others if iso3 != host])


@cache
def troops_in(host: str) -> tuple[str, ...]:
    """Every state with troops in `host`: the eFP framework nation and contributors of the
    latest snapshot, and the garrisons of stationing agreements (`wargame.ties`). Where
    the snapshot has no battlegroup for `host`, the ties table's presence rows stand in
    (Greece's contingent in Cyprus); where it has one, it replaces the ties table's eFP
    rows of 2017, whose contributors have since changed (France left Lithuania's)."""
    latest = presence_contributors(host)
    found = dict.fromkeys(latest)
    found.update(dict.fromkeys(garrison_nations(host) if latest else stationed_in(host)))
    found.pop(host, None)
    return tuple(found)
