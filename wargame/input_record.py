"""The record of one model input and the generic checks of a registry of them.

Two registries use these records: the crisis model's (`wargame.inputs`) and the reform
negotiation's (`wargame.reform.inputs`); the crisis registry holds both, so that a
two-stage run (governance = "reform") takes every input as a keyword. Kept apart from both
so that each can import it without importing the other.
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from wargame.errors import WargameError

ROLES = ("lever", "uncertainty", "setting")

#: Reason shared by the behavioural weights that no source pins down.
UNSOURCED_BAND = (
    "assumption, hand-calibrated (MODEL.md §4); no source pins it, so the plausible range "
    "is half to double the default"
)


@dataclass(frozen=True)
class Input:
    """One input of the model: its type, default, accepted range, unit, role and reason."""

    name: str
    kind: type  # float, int, bool or str
    default: Any
    role: str
    label: str
    reason: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] | None = None
    #: The browser page's control for it: None (none; the scenario's value is used),
    #: SELECT (a select of its values) or the step of a slider over [low, high].
    control: float | str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"input {self.name}: role {self.role!r} not in {ROLES}")

    @property
    def numeric(self) -> bool:
        return self.kind in (int, float)

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
        """Return `value` as this input's type (NumPy scalars welcome), or raise one line."""

        def fail() -> WargameError:
            return WargameError(
                f"{where}: {self.name} = {value!r} is not allowed; expected {self.allowed()}"
            )

        if self.kind is bool:
            if type(value).__name__ not in ("bool", "bool_"):
                raise fail()
            return bool(value)
        if self.kind is str:
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                raise fail()
            return str(value)
        if type(value).__name__ in ("bool", "bool_") or not isinstance(value, numbers.Real):
            raise fail()
        number = float(value)
        if not math.isfinite(number):
            raise fail()
        if self.kind is int:
            if not number.is_integer():
                raise fail()
            number = int(number)
        if not self.low <= number <= self.high:
            raise fail()
        return number

    def parse(self, text: str, where: str) -> Any:
        """Parse a command-line string (from --set name=value) and check it."""
        if self.kind is bool:
            lowered = text.strip().lower()
            if lowered not in ("true", "false", "1", "0", "yes", "no"):
                raise WargameError(
                    f"{where}: {self.name} = {text!r} is not allowed; expected {self.allowed()}"
                )
            return lowered in ("true", "1", "yes")
        if self.kind is str:
            return self.check(text.strip(), where)
        refusal = WargameError(
            f"{where}: {self.name} = {text.strip()} is not allowed; expected {self.allowed()}"
        )
        try:
            return self.check(float(text), where)
        except ValueError:  # float() or check() (a WargameError is a ValueError)
            raise refusal from None


def band(name: str, kind: type, default: float, label: str, unit: str = "",
         reason: str = UNSOURCED_BAND, low: float | None = None,
         high: float | None = None) -> Input:
    """An uncertainty whose plausible range is half to double its default unless given."""
    low = default / 2 if low is None else low
    high = default * 2 if high is None else high
    if kind is int:
        low, high = math.floor(low), math.ceil(high)
    return Input(name, kind, default, "uncertainty", label, reason, unit, low, high)


def values_type(name: str, registry: dict[str, Input]) -> type:
    """A read-only record type with one slot per input of `registry`.

    A run reads its inputs as attributes (`p.threat_weight`, fast in the model's inner
    loop); they are fixed when the model is built, and `as_dict()` is what the run records.
    """

    def __init__(self, values: dict[str, Any]) -> None:
        for key in registry:
            object.__setattr__(self, key, values[key])

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError(f"inputs are fixed for the run; {key} cannot be changed")

    def as_dict(self) -> dict[str, Any]:
        return {key: getattr(self, key) for key in registry}

    return type(name, (), {"__slots__": tuple(registry), "__init__": __init__,
                           "__setattr__": __setattr__, "as_dict": as_dict,
                           "__doc__": f"The checked value of every input of one run ({name})."})


def unknown_name(registry: dict[str, Input], noun: str, lister: str, name: str,
                 where: str) -> WargameError:
    """One line naming the unknown input, the closest known names and where to find all."""
    close = difflib.get_close_matches(name, registry, n=3, cutoff=0.75)
    hint = f"did you mean {', '.join(close)}? " if close else ""
    return WargameError(
        f"{where}: unknown {noun} {name!r}; {hint}`{lister}` lists all {len(registry)}"
    )


def check_values(registry: dict[str, Input], values: dict[str, Any], where: str,
                 unknown: Callable[[str, str], WargameError]) -> dict[str, Any]:
    """Check names and values against `registry`; return them as each input's type."""
    checked = {}
    for key, value in values.items():
        if key not in registry:
            raise unknown(key, where)
        checked[key] = registry[key].check(value, where)
    return checked


def parse_values(registry: dict[str, Input], assignments: list[str], where: str,
                 unknown: Callable[[str, str], WargameError]) -> dict[str, Any]:
    """Parse `name=value` strings from the command line into checked inputs of `registry`
    (each name once: `wargame.rules`)."""
    from wargame.rules import refuse_repeated_names

    refuse_repeated_names(assignments, where)
    values = {}
    for item in assignments:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise WargameError(f"{where}: {item!r} is not of the form name=value")
        if key not in registry:
            raise unknown(key, where)
        values[key] = registry[key].parse(text, where)
    return values
