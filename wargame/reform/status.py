"""The place each non-EU ally (and Switzerland) chooses in a NATO under EU leadership.

The proposal names the UK's choice (an independent NATO role or structured cooperation with
the EU), Türkiye's (European integration or a special status with negotiated guarantees)
and Switzerland's (adapting its cooperation); comparable pairs are given to Norway,
Iceland, Canada and the three candidate countries. Each pair is an *integrated* option
(full part in the EU-led structure) and an *associated* one (arm's length, with
guarantees). The US keeps specific cooperation agreements: its one option.

Rule (docs/REFORM.md §3.5): a state integrates when the decision rights on offer reach its
threshold, `integration_threshold` lowered by how far its public leans towards the reform
(support above one half) and raised where it leans away.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class StatusOptions:
    """A state's two options: (code, words) integrated and (code, words) associated."""

    integrated: tuple[str, str]
    associated: tuple[str, str]


_CANDIDATE = StatusOptions(
    ("accession_track_integration", "integration on the EU accession track"),
    ("special_status", "special status with negotiated guarantees"),
)
_NORDIC = StatusOptions(
    ("full_association", "full association, as in the EEA"),
    ("bilateral_partnership", "bilateral partnership outside the EU-led structure"),
)

OPTIONS: dict[str, StatusOptions] = {
    "GBR": StatusOptions(("structured_cooperation", "structured cooperation with the EU"),
                         ("independent_nato_role", "an independent NATO role")),
    "TUR": StatusOptions(("european_integration", "European integration"),
                         ("special_status", "special status with negotiated guarantees")),
    "CAN": StatusOptions(("structured_cooperation", "structured cooperation with the EU"),
                         ("transatlantic_partnership",
                          "a transatlantic partnership beside the US")),
    "NOR": _NORDIC,
    "ISL": _NORDIC,
    "ALB": _CANDIDATE,
    "MNE": _CANDIDATE,
    "MKD": _CANDIDATE,
    "CHE": StatusOptions(("adapted_cooperation", "adapted cooperation, neutrality kept"),
                         ("present_partnership", "today's partnership, unchanged")),
}

US_CHOICE = ("cooperation_agreement", "specific cooperation agreements with the EU-led NATO")


@dataclass(frozen=True, slots=True)
class StatusChoice:
    """A recorded choice: the option's code, whether it integrates, and why."""

    choice: str
    integrated: bool
    reason: str


def choose_status(iso3: str, inclusiveness: float, reform_support: float,
                  integration_threshold: float) -> StatusChoice:
    """The option `iso3` takes under a package offering `inclusiveness`, with its reason."""
    if iso3 == "USA":
        return StatusChoice(US_CHOICE[0], False, f"the US keeps {US_CHOICE[1]}")
    options = OPTIONS[iso3]
    threshold = min(1.0, max(0.0, integration_threshold - (reform_support - 0.5)))
    integrates = inclusiveness >= threshold
    code, words = options.integrated if integrates else options.associated
    relation = "reach" if integrates else "fall short of"
    return StatusChoice(code, integrates,
                        f"{words}: decision rights {inclusiveness:.2f} {relation} its threshold "
                        f"{threshold:.2f} (public support for the reform {reform_support:.2f})")
