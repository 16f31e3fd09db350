"""docs/MODEL.md stays true to the code: every constant and default appears with its value."""

from __future__ import annotations

import re
from pathlib import Path

from wargame import assumptions
from wargame.parameters import PARAMETERS
from wargame.roster import BASE_DEPLOYABLE_SHARE, USD_PER_EUR

MODEL_MD = (Path(__file__).resolve().parent.parent / "docs" / "MODEL.md").read_text("utf-8")


def documented_row(name: str) -> str:
    match = re.search(rf"^\| `{name}` \|(.*)$", MODEL_MD, flags=re.MULTILINE)
    assert match, f"{name} is not in a table of docs/MODEL.md"
    return match.group(1)


def as_text(value) -> str:
    if isinstance(value, tuple):
        return "(" + ", ".join(str(v) for v in value) + ")"
    if isinstance(value, dict):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def test_every_behavioural_constant_is_documented_with_its_value():
    constants = {name: value for name, value in vars(assumptions).items() if name.isupper()}
    constants |= {"BASE_DEPLOYABLE_SHARE": BASE_DEPLOYABLE_SHARE, "USD_PER_EUR": USD_PER_EUR}
    assert len(constants) > 25
    for name, value in constants.items():
        cells = documented_row(name).split("|")
        assert cells[0].strip() == as_text(value), f"{name}: docs say {cells[0].strip()!r}"


def test_every_parameter_is_documented_with_its_default():
    for name, parameter in PARAMETERS.items():
        cells = documented_row(name).split("|")
        assert cells[0].strip() == as_text(parameter.default), name
