"""What the reform reads from public opinion (docs/REFORM.md §3.2).

No survey asks about NATO under EU leadership. The support a government expects for it is
therefore derived: half-way, moved by how much more the public favours the European side
(the EU, and for EU members a common defence policy) than the transatlantic status quo
(NATO as it is and the US). Where a survey figure is missing the declared fallback input
is used (`fallback_*_pct`, each with its plausible range in the reform registry), and
`Opinion.imputed` names the items that came from a fallback, so no reader mistakes an
assumption for a survey result.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from wargame.attitudes import Survey

if TYPE_CHECKING:
    from wargame.reform.inputs import ReformInputs
    from wargame.roster import StateProfile


@dataclass(frozen=True, slots=True)
class Opinion:
    """What an ally's government reads from its public, as shares in [0, 1]."""

    reform_support: float  # expected public support for NATO under EU leadership
    president_confidence: float  # confidence in the current US president (one input of
    # US reliability, wargame.reform.guarantee)
    imputed: tuple[str, ...]  # items taken from a fallback input, not a survey


def opinion_of(survey: Survey, *, eu_member: bool, fallbacks: dict[str, float]) -> Opinion:
    """The government's reading of its public (docs/REFORM.md §3.2).

    Support = 0.5 + (pro - con) / 2, where pro is EU favourability (and, for EU members,
    the mean with support for a common defence policy) and con the mean of NATO and US
    favourability: a public warmer to the European side than to the transatlantic status
    quo leans towards the reform. For the United States the reform hands NATO's lead to
    Europe: pro is the share not favourable to NATO and con the share favourable.
    Confidence in the US president is read as one input of US reliability
    (`wargame.reform.guarantee`), not as reliability itself.
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
        confidence = 1.0  # the US does not doubt itself
    else:
        pro = item("eu_favourable_pct")
        if eu_member:
            pro = (pro + item("support_common_defence_pct")) / 2.0
        con = (item("nato_favourable_pct") + item("us_favourable_pct")) / 2.0
        confidence = item("confidence_us_president_pct")
    support = min(1.0, max(0.0, 0.5 + (pro - con) / 2.0))
    return Opinion(support, confidence, tuple(imputed))


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
