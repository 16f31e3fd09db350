"""One vocabulary: outcomes, governance regimes and figure kinds are each declared once.

Checked three ways: no module spells a declared name again (a second spelling is how two
lists drift apart); the mechanisms read a regime's flags, never its name (a regime copied
under another name behaves exactly as the original); and the flags say what the model
does (the crisis set-up's US channel and command are those the flags name).
"""

from __future__ import annotations

import ast
import importlib
from dataclasses import replace
from pathlib import Path

import pytest

from wargame import governance
from wargame.crisis_setup import setup_for
from wargame.figure_kinds import CRISIS, FAMILIES, KINDS, NEGOTIATION, family, kinds_for
from wargame.inputs import DEFAULTS, InputValues
from wargame.levers import inert_inputs
from wargame.model_kinds import MODEL_KINDS
from wargame.outcomes import HEADLINE_OUTCOMES, OUTCOME_CMAPS, OUTCOME_COLOURS, OUTCOME_NAMES
from wargame.regimes import CRISIS_REGIMES, REGIMES
from wargame.roster import load_roster

PACKAGE = Path(__file__).resolve().parent.parent / "wargame"

#: Where a declared name may be spelled out besides its declaration, and why.
ALLOWED = {
    ("model.py", "defeated"): "the outcome rule sets the outcome",
    ("model.py", "deterred"): "the outcome rule sets the outcome",
    ("model.py", "occupied"): "the outcome rule sets the outcome",
    ("model.py", "repelled"): "the outcome rule sets the outcome",
    ("model.py", "stalemate"): "the outcome rule sets the outcome",
    ("output_registry.py", "defeated"): "no troops are sustained after a defeat",
    ("single_run.py", "repelled"): "the run's account says whether a repelled attack was "
                                   "stopped at the border or pushed out",
    ("figures/discovery.py", "defeated"): "PRIM's case of interest, which the figure's "
                                          "title and caption name",
    ("inputs.py", "nato_us_led"): "the default value of the input governance",
    ("reform/link.py", "nato_us_led"): "what a blocked negotiation hands to the crisis",
    ("reform/link.py", "eu_led_nato"): "what an adopted reform hands to the crisis",
}
DECLARATIONS = ("outcomes.py", "regimes.py", "figure_kinds.py")
#: Packages that name outcomes and regimes as their sources do, and why.
NAMING_PACKAGES = {
    "validation/": "each check tests a named outcome or regime against its source "
                   "(docs/VALIDATION.md)",
}


def _literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
                  and node.body and isinstance(node.body[0], ast.Expr)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and id(node) not in docstrings]


def test_no_module_spells_a_declared_name_again():
    # "reform" and "compare" are also words of other vocabularies (the reform package's
    # inputs, the `compare` command): the regimes' and kinds' own checks below cover them.
    names = {*OUTCOME_NAMES, *(r for r in REGIMES if r != "reform"),
             *(k for k in KINDS if k != "compare")}
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = path.relative_to(PACKAGE).as_posix()
        if where in DECLARATIONS or where.startswith(tuple(NAMING_PACKAGES)):
            continue
        found += [f"{where}:{line}: {value!r}" for line, value in _literals(path)
                  if value in names and (where, value) not in ALLOWED]
    assert found == [], "declared names spelled again (read wargame.outcomes, "\
                        "wargame.regimes or wargame.figure_kinds instead):\n" + "\n".join(found)


def test_every_allowed_spelling_is_still_there():
    """An exception that no longer applies is removed, so the list stays honest."""
    for (where, value), reason in ALLOWED.items():
        assert value in {v for _, v in _literals(PACKAGE / where)}, (where, value, reason)


# --- regimes ---------------------------------------------------------------------------------
def _copy(monkeypatch: pytest.MonkeyPatch, name: str) -> str:
    """Declare a copy of regime `name` under another name; return the new name."""
    alias = f"copy_of_{name}"
    monkeypatch.setitem(REGIMES, alias, replace(REGIMES[name], name=alias))
    return alias


@pytest.mark.parametrize("name", list(REGIMES))
def test_the_governance_rules_read_flags_not_names(name):
    """The rules take a regime record: the same record under another name gives the same
    bonds, US channel, command and RRF for every helper and victim."""
    regime = REGIMES[name]
    copied = replace(regime, name=f"copy_of_{name}")
    roster = load_roster()
    states = list(roster.coalition_candidates())
    inputs = InputValues(DEFAULTS)
    for victim in (roster["EST"], roster["CYP"], roster["FIN"], roster["NOR"]):
        for inclusion, neutral in ((0.0, False), (0.4, False), (0.4, True)):
            for helper in states:
                bond = {"neutral": neutral, "forces_bond_427": inputs.art427_forces_bond}
                assert (governance.treaty_bond(helper, victim, copied, inclusion, **bond)
                        == governance.treaty_bond(helper, victim, regime, inclusion, **bond)
                        ), helper.iso3
        assert governance.us_channel(victim, copied) == governance.us_channel(victim, regime)
        assert governance.nato_command(victim, copied) == governance.nato_command(victim, regime)
        for command in (0.0, 0.5, 1.0):
            values = InputValues({**DEFAULTS, "command_integration": command})
            integration = governance.theatre_integration(victim, regime, values)
            assert governance.theatre_integration(victim, copied, values) == integration
            assert (governance.rrf_arrival_day(victim, copied, values, integration)
                    == governance.rrf_arrival_day(victim, regime, values, integration))


@pytest.mark.parametrize("name", list(REGIMES))
def test_the_dead_lever_rules_read_flags_not_names(monkeypatch, name):
    alias = _copy(monkeypatch, name)
    swept = {"non_eu_inclusion": [0.0, 1.0], "command_integration": [0.0, 0.4],
             "rapid_reaction_force": [0, 10_000], "inclusiveness": [0.0, 1.0]}
    for fixed in ({}, {"rapid_reaction_force": 0}, {"target": "CYP"}):
        base = {**DEFAULTS, **fixed}
        assert (inert_inputs({**base, "governance": alias}, swept)
                == inert_inputs({**base, "governance": name}, swept))


@pytest.mark.parametrize("name", CRISIS_REGIMES)
def test_the_flags_say_what_the_crisis_set_up_does(name):
    regime = REGIMES[name]
    for target, nato, adversary in (("EST", True, "RUS"), ("CYP", False, "expeditionary")):
        crisis = setup_for({"governance": name, "target": target, "adversary": adversary,
                            "command_integration": 0.1,
                            "nato_command_integration": 0.9}).crisis
        assert crisis.us_channel == (regime.us_channel if nato else "bilateral")
        assert crisis.integration == (0.9 if nato and regime.command != "eu" else 0.1)


def test_a_two_stage_run_is_set_up_only_after_its_negotiation():
    for name, regime in REGIMES.items():
        assert (setup_for({"governance": name}).crisis is None) == regime.two_stage
    assert set(CRISIS_REGIMES) == {n for n, r in REGIMES.items() if not r.two_stage}


def test_short_labels_fit_under_a_bar_and_labels_differ():
    assert len({r.label for r in REGIMES.values()}) == len(REGIMES)
    for regime in REGIMES.values():
        assert all(len(line) <= 16 for line in regime.short.split("\n")), regime.short


# --- outcomes and figure kinds ---------------------------------------------------------------
def test_each_outcome_has_its_own_colour_and_a_colour_map_matplotlib_knows():
    import matplotlib
    import matplotlib.colors

    assert len(set(OUTCOME_COLOURS.values())) == len(OUTCOME_NAMES)
    for name in OUTCOME_NAMES:
        assert matplotlib.colors.is_color_like(OUTCOME_COLOURS[name])
        assert OUTCOME_CMAPS[name] in matplotlib.colormaps
    assert HEADLINE_OUTCOMES and set(HEADLINE_OUTCOMES) <= set(OUTCOME_NAMES)


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_drawn_by_its_module(kind):
    """The module a kind names exists and has the function it names."""
    module = importlib.import_module(KINDS[kind].module)
    assert callable(getattr(module, KINDS[kind].function))


def test_each_kind_draws_model_kinds_that_exist():
    """The model kinds a figure kind names (spelled there to keep `wargame --help` fast)
    are those of wargame.model_kinds, and every model kind has figures for `plot all`."""
    assert tuple(MODEL_KINDS) == (CRISIS, NEGOTIATION)
    assert {m for kind in KINDS.values() for m in kind.models} == set(MODEL_KINDS)
    assert all(kinds_for(model) for model in MODEL_KINDS)


def test_every_family_has_kinds_and_names_are_spelled_for_users():
    assert all(family(name) for name in FAMILIES)
    for kind in KINDS.values():
        assert "_" not in kind.name and kind.name == kind.name.lower(), kind.name
