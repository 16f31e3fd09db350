"""Scenario files and the parameter registry: shipped files load, bad ones are refused."""

from __future__ import annotations

import inspect

import pytest

from wargame.errors import WargameError
from wargame.inputs import DEFAULTS, INPUTS
from wargame.model import CrisisModel
from wargame.scenario import list_scenarios, load_scenario, parse_assignments

REQUIRED_SCENARIOS = {"baltic", "poland", "finland", "cyprus", "eu_led_nato"}


def test_model_defaults_are_the_registry_defaults():
    signature = inspect.signature(CrisisModel.__init__)
    for name, parameter in INPUTS.items():
        assert signature.parameters[name].default == parameter.default, name


def test_required_scenarios_ship_and_load():
    scenarios = {s.name: s for s in list_scenarios()}
    assert set(scenarios) >= REQUIRED_SCENARIOS
    assert scenarios["cyprus"].parameters["target"] == "CYP"
    assert scenarios["eu_led_nato"].parameters["governance"] == "eu_led_nato"
    assert scenarios["eu_led_nato"].parameters["target"] == "EST"
    for scenario in scenarios.values():
        assert scenario.description
        assert "#" in scenario.path.read_text(encoding="utf-8"), "assumptions are commented"
        assert set(scenario.parameters) == set(DEFAULTS)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('colour = "red"\n', "unknown key 'colour'; allowed: description, parameters"),
        ('[parameters]\ntarget = "XYZ"\n', "target = 'XYZ' is not allowed; expected one of"),
        ('[parameters]\ntarget = "RUS"\n', "target = 'RUS' (the adversary) is not allowed"),
        ("[parameters]\nus_commitment = 1.5\n", "us_commitment = 1.5 is not allowed; expected a "
                                                "number in [0, 1]"),
        ('[parameters]\nus_commitment = "high"\n', "us_commitment = 'high' is not allowed"),
        ("[parameters]\nmax_days = 10.5\n", "max_days = 10.5 is not allowed; expected an integer"),
        ('[parameters]\ngovernance = "un"\n', "expected one of nato_us_led, art427_only, "
                                              "eu_led_nato"),
        ("[parameters]\nneutral_opt_in = 1\n", "neutral_opt_in = 1 is not allowed; expected true "
                                               "or false"),
        ("[parameters]\nspeed = 3\n", "unknown input 'speed'; "),
        ("[parameters\n", "malformed TOML"),
    ],
)
def test_bad_scenario_is_refused_in_one_line_naming_file_and_key(tmp_path, body, expected):
    path = tmp_path / "bad.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(WargameError) as error:
        load_scenario(str(path))
    message = str(error.value)
    assert str(path) in message and expected in message
    assert "\n" not in message


def test_unknown_scenario_name_lists_the_known_ones():
    with pytest.raises(WargameError, match="unknown scenario 'atlantis'; known scenarios: baltic"):
        load_scenario("atlantis")


def test_command_line_assignments_are_typed_and_checked():
    assert parse_assignments(["us_commitment=0.2", "neutral_opt_in=true", "target=FIN"]) == {
        "us_commitment": 0.2,
        "neutral_opt_in": True,
        "target": "FIN",
    }
    for bad in ["us_commitment", "=3", "max_days=ten", "rapid_reaction_force=-1"]:
        with pytest.raises(WargameError):
            parse_assignments([bad])


def test_model_refuses_out_of_range_values_directly():
    with pytest.raises(WargameError, match="attack_troops = 1000 is not allowed"):
        CrisisModel(attack_troops=1000)


def test_a_scenario_is_checked_for_the_attack_with_what_is_put_over_it(tmp_path, cli):
    """A scenario file may leave its adversary to --set or a sweep: Russia cannot reach
    Ireland over land, an attacker from the sea can, and only the run decides."""
    path = tmp_path / "dublin.toml"
    path.write_text('description = "Dublin"\n[parameters]\ntarget = "IRL"\n')
    assert load_scenario(str(path)).overrides["target"] == "IRL"
    refused = cli("run", str(path), "--out", str(tmp_path / "a"))
    assert refused.returncode == 2 and "no land border with Russia" in refused.stderr
    assert not (tmp_path / "a").exists()
    done = cli("run", str(path), "--set", "adversary=expeditionary", "--out", str(tmp_path / "b"))
    assert done.returncode == 0, done.stderr
