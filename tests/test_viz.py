"""`wargame viz` without a browser: its errors, the sweep-run launch, the page's model, assets."""

from __future__ import annotations

import inspect
import re
import socket
from pathlib import Path

import ipywidgets
import solara
from mesa.visualization.solara_viz import _check_model_params
from viz_helpers import write_sweep

from wargame.inputs import INPUTS, controlled
from wargame.model import CrisisModel
from wargame.reform.inputs import REFORM_DEFAULTS, REFORM_INPUTS, SLIDER_STEPS, reform_controlled
from wargame.reform.model import ReformModel
from wargame.viz.cli import assets_dir
from wargame.viz.controls import controls
from wargame.viz.launch import ReformLaunch, from_scenario, from_sweep
from wargame.viz.model import InspectedCrisis, from_launch, shown_value, state_names
from wargame.viz.negotiation import WatchedNegotiation
from wargame.viz.negotiation import controls as negotiation_controls
from wargame.viz.negotiation import from_launch as negotiation_from_launch
from wargame.viz.negotiation_panels import status_html as negotiation_html
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
    write_sweep(tmp_path, run_id=3)
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
    parameters, seed = write_sweep(tmp_path, run_id=5, us_commitment=0.1,
                                   governance="art427_only", neutral_opt_in=True)
    launch = from_sweep(tmp_path, 5)
    assert launch.parameters == parameters and launch.seed == seed
    assert launch.run_label.startswith("sweep run 5")
    shown = from_launch(launch)
    while shown.running:
        shown.step()
    direct = CrisisModel(**parameters, rng=seed).run()
    assert shown.log == direct.log and shown.outcome == direct.outcome
    assert shown.run_label == launch.run_label


def test_the_target_select_offers_what_the_attacker_can_reach() -> None:
    baltic, cyprus = from_scenario("baltic", 3), from_scenario("cyprus", 3)
    assert controls(baltic)["target"]["values"] == [
        "Estonia", "Finland", "Latvia", "Lithuania", "Norway", "Poland"]  # on Russia's border
    from_the_sea = controls(cyprus)["target"]["values"]
    assert "Ireland" in from_the_sea and "Austria" not in from_the_sea  # a coast, anywhere
    chosen = {name: c["value"] for name, c in controls(baltic).items()
              if name not in ("origin", "crisis", "seed")}
    # A select that still shows a state the attacker cannot reach keeps the page's target.
    kept = InspectedCrisis(baltic, "baltic", "3", **{**chosen, "target": "Ireland"})
    assert kept.inputs.target == "EST"
    assert kept.notice.startswith("Ireland cannot be reached by this scenario's attacker")


def test_controls_apply_and_another_scenario_loads_as_it_is() -> None:
    baltic = from_scenario("baltic", 3)
    moved = InspectedCrisis(baltic, "baltic", "8", target=state_names()["LVA"],
                            governance="art427_only", us_commitment=0.0, eu_financing=0.5,
                            command_integration=0.9, rapid_reaction_force=20_000,
                            attack_troops=50_000)
    assert moved.inputs.as_dict() == {**baltic.parameters, "target": "LVA",
                                      "governance": "art427_only",
                            "us_commitment": 0.0, "eu_financing": 0.5,
                            "command_integration": 0.9, "rapid_reaction_force": 20_000,
                            "attack_troops": 50_000}
    assert moved.seed == 8
    switched = InspectedCrisis(baltic, "poland", "8", target="Estonia",
                               governance="nato_us_led", us_commitment=0.5, eu_financing=0.25,
                               command_integration=0.2, rapid_reaction_force=5000,
                               attack_troops=75_000)
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
    from wargame.viz.controls import controls

    params = controls(from_scenario("baltic", 3))
    assert list(params) == ["origin", "crisis", *controlled(), "seed"]
    signature = inspect.signature(InspectedCrisis.__init__).parameters
    assert list(signature)[1:] == list(params)
    assert params["us_commitment"]["step"] == INPUTS["us_commitment"].control
    assert params["governance"]["values"] == list(INPUTS["governance"].choices)
    assert "attack_troops 75,000" in status_html(from_launch(from_scenario("baltic", 3)))


# --- `wargame viz --reform`: the negotiation page's model, controls and words ---------------

def test_the_negotiation_page_replays_wargame_reform_and_stops_at_the_end() -> None:
    inputs = {**REFORM_DEFAULTS, "side_payments_bn": 0.0, "eu_budget_increase": 2.5}
    page = negotiation_from_launch(ReformLaunch(inputs, 1))
    assert {page.position(a) for a in page.ally_list} == {"undecided"}
    while page.running:
        page.step()
    direct = ReformModel(rng=1, **inputs).run()
    assert page.log == direct.log and page.holdouts() == direct.holdouts()
    assert [h[0] for h in page.history] == list(range(25))
    assert page.history[-1][1] == direct.n_yes
    log = list(page.log)
    page.step()
    assert page.round == 24 and page.log == log
    assert {page.position(a) for a in page.ally_list} == {"accepts", "refuses"}


def test_the_negotiation_page_names_the_holdouts_the_package_and_who_moved() -> None:
    inputs = {**REFORM_DEFAULTS, "us_demand": 3.0, "deadline_rounds": 2}
    blocked = negotiation_from_launch(ReformLaunch(inputs, 4))
    assert "Round 0 of 2: the EU tables the package" in negotiation_html(blocked)
    blocked.step()
    blocked.step()
    html = negotiation_html(blocked)
    assert "Round 2 of 2" in html and "BLOCKED" in html and "United States" in html
    assert "us_demand 3.0, deadline_rounds 2" in html
    assert ("Round 1:</span> United States says no (utility" in html
            and "red line: US demand of 3 points" in html)
    assert "inclusiveness 0.50" in html and "the US cuts 50% of its funding" in html
    # The non-treaty package is adopted when agreed: no ratification step.
    adopted = negotiation_from_launch(ReformLaunch({**REFORM_DEFAULTS,
                                                    "treaty_change": False}, 2))
    while adopted.running:
        adopted.step()
    assert adopted.adopted, "seed 2: the non-treaty package is agreed"
    assert f"Round {adopted.round} of 24: <span" in negotiation_html(adopted)
    assert "ADOPTED</span>, all 36 veto players sign" in negotiation_html(adopted)


def test_a_bad_seed_on_the_negotiation_page_keeps_the_seed_and_says_so() -> None:
    launch = ReformLaunch(dict(REFORM_DEFAULTS), 7)
    sliders = {name: REFORM_DEFAULTS[name] for name in reform_controlled()}
    model = WatchedNegotiation(launch, "-3", **sliders)
    assert model.seed == 7
    assert "not a non-negative integer: seed 7 kept" in negotiation_html(model)


def test_the_negotiation_page_has_a_slider_per_registry_step_and_mesa_accepts_them() -> None:
    assert set(SLIDER_STEPS) <= set(REFORM_INPUTS)
    # every numeric lever has a slider; the package's elements (true/false) are set at launch
    assert {n for n, i in REFORM_INPUTS.items()
            if i.role == "lever" and i.numeric} <= set(SLIDER_STEPS)
    params = negotiation_controls(ReformLaunch(dict(REFORM_DEFAULTS), 3))
    signature = inspect.signature(WatchedNegotiation.__init__).parameters
    assert list(signature)[1:] == list(params)
    _check_model_params(WatchedNegotiation.__init__, params)
    assert params["side_payments_bn"] == {
        "type": "SliderFloat",
        "label": "EU money to bring non-EU allies and holdouts in (EUR bn)",
        "value": 25.0, "min": 0.0, "max": 150.0, "step": 1.0}
    assert params["deadline_rounds"]["type"] == "SliderInt"
