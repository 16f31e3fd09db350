"""The model's parameters: one registry for defaults, ranges, units and validation.

`CrisisModel` takes its keyword defaults from here, scenarios and `--set` are checked
here, sweeps draw their ranges from here and docs/MODEL.md lists the same table, so a
parameter is declared once. Reasons for each default are in docs/MODEL.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from wargame.errors import WargameError

GOVERNANCE_REGIMES = ("nato_us_led", "art427_only", "eu_led_nato")


@dataclass(frozen=True)
class Parameter:
    """One model parameter: its type, default, allowed values and unit."""

    name: str
    kind: type  # float, int, bool or str
    default: Any
    help: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None

    def allowed(self) -> str:
        """The allowed values in words, for error messages and --help."""
        if self.choices:
            return "one of " + ", ".join(self.choices)
        if self.kind is bool:
            return "true or false"
        if self.kind is str:
            return "text"
        kind = "an integer" if self.kind is int else "a number"
        return f"{kind} in [{self.low:g}, {self.high:g}]"

    def check(self, value: Any, where: str) -> Any:
        """Return the value as the parameter's type, or raise one line naming `where`."""

        def fail() -> WargameError:
            return WargameError(
                f"{where}: {self.name} = {value!r} is not allowed; expected {self.allowed()}"
            )

        if self.kind is bool:
            if not isinstance(value, bool):
                raise fail()
            return value
        if self.kind is str:
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise fail()
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise fail()
        if self.kind is int:
            if isinstance(value, float) and not value.is_integer():
                raise fail()
            value = int(value)
        else:
            value = float(value)
        if not math.isfinite(value) or not self.low <= value <= self.high:
            raise fail()
        return value

    def parse(self, text: str, where: str) -> Any:
        """Parse a command-line string (from --set key=value) and check it."""
        if self.kind is bool:
            lowered = text.strip().lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise WargameError(
                    f"{where}: {self.name} = {text!r} is not allowed; expected {self.allowed()}"
                )
            return lowered in ("true", "1", "yes")
        if self.kind is str:
            return self.check(text.strip(), where)
        try:
            number = float(text)
        except ValueError:
            raise WargameError(
                f"{where}: {self.name} = {text!r} is not allowed; expected {self.allowed()}"
            ) from None
        return self.check(number, where)


PARAMETERS: dict[str, Parameter] = {
    p.name: p
    for p in [
        Parameter("target", str, "EST", "iso3 code of the attacked state", "iso3"),
        Parameter(
            "governance", str, "nato_us_led",
            "governance regime: today's NATO, the EU clause alone, or NATO under EU leadership",
            choices=GOVERNANCE_REGIMES,
        ),
        Parameter(
            "us_commitment", float, 0.5,
            "US commitment u: scales US forces sent and the credibility the adversary sees",
            "share", 0.0, 1.0,
        ),
        Parameter(
            "eu_financing", float, 0.25,
            "share of EU members' assistance costs reimbursed from the common fund",
            "share", 0.0, 1.0,
        ),
        Parameter(
            "eu_fund_bn", float, 5.0, "size of the common EU fund", "EUR bn", 0.0, 1000.0
        ),
        Parameter(
            "command_integration", float, 0.2,
            "integration of the EU's own command (MPCC today = low): shortens delays, "
            "removes the interoperability penalty, enables the rapid-reaction force",
            "share", 0.0, 1.0,
        ),
        Parameter(
            "rapid_reaction_force", int, 5000,
            "EU rapid-reaction force (EU Rapid Deployment Capacity = 5,000)", "troops", 0, 100_000,
        ),
        Parameter(
            "rrf_readiness_days", int, 10,
            "days from Art. 42.7 invocation until the rapid-reaction force is in place", "days",
            1, 120,
        ),
        Parameter(
            "aggression", float, 0.03,
            "share of the adversary's active personnel committed to the operation", "share",
            0.001, 1.0,
        ),
        Parameter(
            "non_eu_inclusion", float, 0.5,
            "under eu_led_nato: how fully non-EU allies (UK, Norway, Türkiye, Canada) are bound",
            "share", 0.0, 1.0,
        ),
        Parameter(
            "neutral_opt_in", bool, False,
            "neutral states (Art. 42.7 'specific character', and Switzerland) may send forces",
        ),
        Parameter(
            "forward_presence", int, 0,
            "allied troops stationed in the target before the crisis", "troops", 0, 200_000,
        ),
        Parameter("max_days", int, 120, "length of the crisis window", "days", 1, 730),
    ]
}

DEFAULTS: dict[str, Any] = {name: p.default for name, p in PARAMETERS.items()}


def check_parameters(values: dict[str, Any], where: str) -> dict[str, Any]:
    """Check names and values; return them converted to each parameter's type."""
    checked = {}
    for key, value in values.items():
        if key not in PARAMETERS:
            raise WargameError(
                f"{where}: unknown parameter {key!r}; allowed: {', '.join(PARAMETERS)}"
            )
        checked[key] = PARAMETERS[key].check(value, where)
    if "target" in checked:
        check_target(checked["target"], where)
    return checked


def check_target(iso3: str, where: str) -> None:
    """The target must be a state of the roster that can be attacked and helped."""
    from wargame.roster import NOT_IN_COALITION, load_roster

    roster = load_roster()
    candidates = [s.iso3 for s in roster.coalition_candidates()]
    if iso3 not in candidates:
        reason = f" ({NOT_IN_COALITION[iso3]})" if iso3 in NOT_IN_COALITION else ""
        raise WargameError(
            f"{where}: target = {iso3!r}{reason} is not allowed; "
            f"expected one of {', '.join(candidates)}"
        )


def parse_assignments(assignments: list[str], where: str = "--set") -> dict[str, Any]:
    """Parse `key=value` strings from the command line into checked parameters."""
    values = {}
    for item in assignments:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise WargameError(f"{where}: {item!r} is not of the form key=value")
        if key not in PARAMETERS:
            raise WargameError(
                f"{where}: unknown parameter {key!r}; allowed: {', '.join(PARAMETERS)}"
            )
        values[key] = PARAMETERS[key].parse(text, where)
    if "target" in values:
        check_target(values["target"], where)
    return values
