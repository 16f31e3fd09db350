"""`wargame viz` without a browser: its errors, the sweep-run launch, the page's model, assets."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import ipywidgets
import solara
from viz_helpers import write_sweep

from wargame.inputs import INPUTS, controlled
from wargame.model import CrisisModel
from wargame.viz.cli import assets_dir
from wargame.viz.launch import from_scenario, from_sweep
from wargame.viz.model import InspectedCrisis, from_launch, shown_value, state_names
from wargame.viz.status import status_html


def one_line_error(result, *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for needle in needles:
        assert needle in lines[0]


def test_unknown_scenario_is_one_line(cli) -> None:
    one_line_error(cli("viz", "atlantis", "--port", "0"), "unknown scenario 'atlantis'")


def test_missing_sweep_folder_is_one_line(cli, tmp_path: Path) -> None:
    one_line_error(cli("viz", "--sweep", str(tmp_path / "nope"), "--run", "1"), "no such folder")


def test_folder_that_is_not_a_sweep_is_one_line(cli, tmp_path: Path) -> None:
    one_line_error(cli("viz", "--sweep", str(tmp_path), "--run", "1"), "not a sweep result")


def test_unknown_run_id_is_one_line(cli, tmp_path: Path) -> None:
    write_sweep(tmp_path, run_id=3, seed=11)
    one_line_error(cli("viz", "--sweep", str(tmp_path), "--run", "4"), "--run 4: no such run")


def test_sweep_needs_run(cli, tmp_path: Path) -> None:
    one_line_error(cli("viz", "--sweep", str(tmp_path)), "--sweep and --run go together")


def test_port_in_use_is_one_line(cli) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        one_line_error(cli("viz", "baltic", "--port", str(port)), f"--port {port}: already in use")


def test_a_sweep_run_is_reproduced_exactly(tmp_path: Path) -> None:
    parameters = write_sweep(tmp_path, run_id=5, seed=424242, us_commitment=0.1,
                             governance="art427_only", neutral_opt_in=True)
    launch = from_sweep(tmp_path, 5)
    assert launch.parameters == parameters and launch.seed == 424242
    assert launch.run_label.startswith("sweep run 5")
    shown = from_launch(launch)
    while shown.running:
        shown.step()
    direct = CrisisModel(**parameters, rng=424242).run()
    assert shown.log == direct.log and shown.outcome == direct.outcome
    assert shown.run_label == launch.run_label


def test_controls_apply_and_another_scenario_loads_as_it_is() -> None:
    baltic = from_scenario("baltic", 3)
    moved = InspectedCrisis(baltic, "baltic", "8", target=state_names()["LVA"],
                            governance="art427_only", us_commitment=0.0, eu_financing=0.5,
                            command_integration=0.9, rapid_reaction_force=20_000,
                            aggression=0.05)
    assert moved.inputs.as_dict() == {**baltic.parameters, "target": "LVA",
                                      "governance": "art427_only",
                            "us_commitment": 0.0, "eu_financing": 0.5,
                            "command_integration": 0.9, "rapid_reaction_force": 20_000,
                            "aggression": 0.05}
    assert moved.seed == 8
    switched = InspectedCrisis(baltic, "poland", "8", target="Estonia",
                               governance="nato_us_led", us_commitment=0.5, eu_financing=0.25,
                               command_integration=0.2, rapid_reaction_force=5000,
                               aggression=0.03)
    assert switched.inputs.as_dict() == from_scenario("poland", 8).parameters
    assert switched.origin.scenario == "poland"


def test_a_seed_that_is_not_a_number_keeps_the_seed_and_says_so() -> None:
    baltic = from_scenario("baltic", 3)
    model = InspectedCrisis(baltic, "baltic", "12a", **{
        name: shown_value(name, baltic.parameters) for name in controlled()})
    assert model.seed == 3
    assert "is not an integer: seed 3 kept" in status_html(model)


def test_a_finished_crisis_does_not_step_on() -> None:
    model = from_launch(from_scenario("baltic", 1))
    while model.running:
        model.step()
    day, log = model.day, list(model.log)
    model.step()
    assert model.day == day and model.log == log


def test_installed_assets_cover_what_this_solara_asks_for() -> None:
    """Every front-end file the page template and grid layout load is in solara-assets."""
    package = Path(solara.__file__).parent
    template = (package / "server" / "templates" / "solara.html.j2").read_text()
    grid = (package / "widgets" / "vue" / "gridlayout.vue").read_text()
    wanted = re.findall(r"\{\{cdn\}\}/((?:@widgetti/solara-vuetify-app|requirejs)@[^\"]+)",
                        template)
    wanted += re.findall(r"getCdn\(\)\}/(@widgetti/vue-grid-layout@[^`]+)", grid)
    wanted.append(solara.server.settings.assets.fontawesome_path.lstrip("/"))
    major = ipywidgets.__version__.split(".")[0]
    paths = {w.replace("{{ipywidget_major_version}}", major) for w in wanted}
    assert len(paths) >= 5
    missing = sorted(p for p in paths if not (assets_dir() / p).is_file())
    assert missing == []


def test_the_page_offers_a_control_for_each_registry_control_and_mesa_accepts_them() -> None:
    """The controls come from Input.control; SolaraViz checks them against the signature."""
    import inspect

    from wargame.viz.controls import controls

    params = controls(from_scenario("baltic", 3))
    assert list(params) == ["origin", "crisis", *controlled(), "seed"]
    signature = inspect.signature(InspectedCrisis.__init__).parameters
    assert list(signature)[1:] == list(params)
    assert params["us_commitment"]["step"] == INPUTS["us_commitment"].control
    assert params["governance"]["values"] == list(INPUTS["governance"].choices)
    assert "aggression 0.030" in status_html(from_launch(from_scenario("baltic", 3)))
