"""The two-stage run (governance "reform"): negotiation first, then the crisis under its outcome.

Real runs throughout: the negotiation and the crisis model, a sweep on the serial, pool and
Dask backends (a LocalCluster on loopback), and the CLI in subprocesses.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import run_cli

from wargame.agents import StateAgent
from wargame.model import CrisisModel
from wargame.outputs import final_state_columns, run_outputs
from wargame.reform.inputs import REFORM_DEFAULTS
from wargame.reform.stage import COLUMNS, negotiation_seed
from wargame.roster import load_roster
from wargame.sweep.design import design_points
from wargame.sweep.execute import run_sweep
from wargame.sweep.spec import load_sweep

#: A short Baltic crisis: the crisis stage's mechanics are exercised, the tests stay quick.
BALTIC = {"target": "EST", "forward_presence": 2200, "max_days": 30}


def two_stage(seed: int, **inputs) -> CrisisModel:
    return CrisisModel(**{**BALTIC, "governance": "reform", **inputs}, rng=seed,
                       collect_series=False).run()


def same(a: dict, b: dict) -> bool:
    """Equal, with NaN equal to NaN (days never reached)."""
    return a.keys() == b.keys() and all(
        (isinstance(a[k], float) and isinstance(b[k], float) and math.isnan(a[k])
         and math.isnan(b[k])) or a[k] == b[k] for k in a)


def test_a_two_stage_run_is_a_function_of_its_inputs_and_seed():
    first, again = two_stage(3), two_stage(3)
    assert same(run_outputs(first), run_outputs(again))
    assert final_state_columns(first) == final_state_columns(again)
    assert run_outputs(first)["reform_seed"] == negotiation_seed(3) != 3
    seeds = {run_outputs(two_stage(s))["reform_seed"] for s in range(1, 6)}
    assert len(seeds) == 5  # each run seed has its own negotiation


def test_the_recorded_inputs_are_as_given_and_other_regimes_have_no_reform_outputs():
    model = two_stage(1, us_commitment=0.8)
    assert model.inputs.governance == "reform" and model.inputs.us_commitment == 0.8
    assert run_outputs(model)["reform_us_commitment"] == pytest.approx(
        0.8 * (1 - REFORM_DEFAULTS["us_funding_cut"]))
    plain = run_outputs(CrisisModel(**BALTIC, rng=1, collect_series=False).run())
    assert all(plain[name] is None for name in COLUMNS)


def test_adopted_runs_the_crisis_under_eu_led_nato_and_blocked_under_todays_nato():
    adopted = two_stage(1)
    out = run_outputs(adopted)
    assert out["reform_adopted"] and adopted.governance == "eu_led_nato"
    assert out["reform_governance"] == "eu_led_nato" and out["reform_blocking"] == ""
    assert adopted.us_channel == "cooperation"
    blocked = two_stage(1, us_demand=3.0)  # above the 1.5 points offered: the US says no
    out = run_outputs(blocked)
    assert not out["reform_adopted"] and "USA" in out["reform_blocking"].split()
    assert blocked.governance == "nato_us_led" and blocked.us_channel == "art5"
    assert out["reform_us_commitment"] == 0.5 and blocked.bonds == {}
    assert out["reform_spending_factor"] == 1.0 and out["reform_non_eu_bond"] is None
    today = CrisisModel(**BALTIC, governance="nato_us_led", rng=1, collect_series=False).run()
    assert same({k: v for k, v in run_outputs(blocked).items() if k not in COLUMNS},
                {k: v for k, v in run_outputs(today).items() if k not in COLUMNS})


def _bound(model: CrisisModel) -> dict[str, float]:
    return {s.iso3: s.bound for s in model.agents_by_type[StateAgent]}


def test_each_non_eu_state_is_bound_by_its_own_status_choice():
    # full decision rights: every non-EU ally integrates; none: every one is associated
    full = two_stage(1, inclusiveness=1.0, integrated_bond=0.7, side_payments_bn=150.0)
    none = two_stage(1, inclusiveness=0.0, associated_bond=0.3, side_payments_bn=150.0)
    assert run_outputs(full)["reform_adopted"] and run_outputs(none)["reform_adopted"]
    non_eu_allies = ("GBR", "NOR", "CAN", "TUR", "ISL", "ALB", "MNE", "MKD")
    assert all(_bound(full)[iso3] == 0.7 for iso3 in non_eu_allies)
    assert all(_bound(none)[iso3] == 0.3 for iso3 in non_eu_allies)
    assert _bound(full)["CHE"] == REFORM_DEFAULTS["partner_bond"] and _bound(none)["CHE"] == 0.0
    assert _bound(full)["FRA"] == _bound(none)["FRA"] == 1.0  # EU members stay fully bound
    # a mixed outcome: at inclusiveness 0.4 a public warm to the reform lowers the bar
    mixed = two_stage(1, inclusiveness=0.4, side_payments_bn=150.0)
    bonds = {iso3: _bound(mixed)[iso3] for iso3 in non_eu_allies}
    assert mixed.bonds and {bonds[i] for i in non_eu_allies} <= {0.9, 0.5}
    assert bonds == {i: mixed.bonds[i] for i in non_eu_allies}


def test_the_budget_rise_raises_eu_capability_and_leaves_others_alone():
    low = two_stage(1, us_demand=0.5, eu_budget_increase=0.5)
    high = two_stage(1, us_demand=0.5, eu_budget_increase=2.0, side_payments_bn=150.0)
    assert run_outputs(low)["reform_adopted"] and run_outputs(high)["reform_adopted"]
    assert run_outputs(high)["reform_spending_factor"] > run_outputs(low)["reform_spending_factor"]
    today = load_roster()
    for model in (low, high):
        assert model.roster["DEU"].defence_exp_usd_bn > today["DEU"].defence_exp_usd_bn
        assert model.roster["GBR"] == today["GBR"] and model.roster["USA"] == today["USA"]
    agents = {m: {s.iso3: s for s in m.agents_by_type[StateAgent]} for m in (low, high)}
    for iso3 in ("DEU", "ITA", "ESP", "BEL"):  # below the quality cap of 2
        assert agents[high][iso3].quality > agents[low][iso3].quality
        assert sum(agents[high][iso3].tier_troops) > sum(agents[low][iso3].tier_troops)
    assert high.victim_quality >= low.victim_quality  # Estonia is an EU ally too
    assert agents[high]["GBR"].quality == agents[low]["GBR"].quality


def test_a_rise_spent_on_recruits_buys_troops_instead_of_quality():
    equipment = two_stage(1, rise_to_personnel=0.0)
    recruits = two_stage(1, rise_to_personnel=0.5)
    assert run_outputs(equipment)["reform_adopted"] and run_outputs(recruits)["reform_adopted"]
    today = load_roster()
    assert equipment.roster["DEU"].active_troops == today["DEU"].active_troops
    assert recruits.roster["DEU"].active_troops > today["DEU"].active_troops
    assert recruits.victim_troops > equipment.victim_troops  # Estonia recruits too
    deu = {m: next(s for s in m.agents_by_type[StateAgent] if s.iso3 == "DEU")
           for m in (equipment, recruits)}
    assert deu[recruits].quality < deu[equipment].quality


def test_the_funding_cut_lowers_the_us_commitment_the_crisis_sees():
    small = two_stage(1, us_funding_cut=0.2, us_commitment=1.0)
    large = two_stage(1, us_funding_cut=0.9, us_commitment=1.0)
    assert run_outputs(small)["reform_adopted"] and run_outputs(large)["reform_adopted"]
    assert run_outputs(small)["reform_us_commitment"] == pytest.approx(0.8)
    assert run_outputs(large)["reform_us_commitment"] == pytest.approx(0.1)
    assert large.us_reach < small.us_reach and large.us_promised < small.us_promised


TWO_STAGE_SWEEP = """
scenario = "baltic"
replications = 3
base_seed = 5
paired_seeds = true
days = 20

[design]
kind = "grid"

[design.levels]
governance = ["nato_us_led", "reform"]
inclusiveness = [0.0, 1.0]
"""


@pytest.mark.slow
def test_a_two_stage_sweep_is_identical_on_serial_pool_and_dask(tmp_path):
    path = tmp_path / "two.toml"
    path.write_text(TWO_STAGE_SWEEP)
    spec = load_sweep(str(path))
    points = design_points(spec)
    frames = {}
    for label, options in {
        "serial": {"workers": 1},
        "pool": {"workers": 2, "chunk_size": 2},
        "dask": {"workers": 2, "chunk_size": 1, "scheduler": "local"},
    }.items():
        result = run_sweep(spec, points, tmp_path / label, progress=False, **options)
        assert result.status == "complete" and result.completed == 12
        frames[label] = {name: pd.read_parquet(tmp_path / label / name).sort_values(
            ["run_id", *(["iso3"] if name == "states" else [])], ignore_index=True)
            for name in ("runs", "states")}
    for name in ("runs", "states"):
        pd.testing.assert_frame_equal(frames["serial"][name], frames["pool"][name])
        pd.testing.assert_frame_equal(frames["serial"][name], frames["dask"][name])
    runs = frames["serial"]["runs"]
    assert runs["error"].isna().all()
    reform = runs[runs["governance"] == "reform"]
    assert reform["reform_adopted"].notna().all() and reform["reform_seed"].notna().all()
    assert runs.loc[runs["governance"] != "reform", "reform_adopted"].isna().all()
    # paired seeds: replication r has one seed in every point
    assert (runs.groupby("replication")["seed"].nunique() == 1).all()
    for _, row in reform.iterrows():  # each row is the run CrisisModel gives directly
        direct = run_outputs(CrisisModel(**{**spec.base, "governance": "reform",
                                            "inclusiveness": row["inclusiveness"]},
                                         rng=int(row["seed"]), collect_series=False).run())
        assert direct["outcome"] == row["outcome"]
        assert direct["reform_seed"] == int(row["reform_seed"])  # exact through float64


def test_the_reform_figures_count_each_distinct_run_once(tmp_path):
    from wargame.figures.load import load_results
    from wargame.figures.reform_crisis import render

    path = tmp_path / "three.toml"
    path.write_text(TWO_STAGE_SWEEP.replace('"nato_us_led", "reform"',
                                            '"nato_us_led", "eu_led_nato", "reform"'))
    spec = load_sweep(str(path))
    run_sweep(spec, design_points(spec), tmp_path / "out", progress=False, workers=1)
    figures = render(load_results(tmp_path / "out"), tmp_path / "plots")
    kinds = [f.kind for f in figures]
    assert kinds[0] == "reform-crisis" and "reform-adoption" in kinds
    table = pd.read_csv(tmp_path / "plots" / "reform-crisis.csv")
    n = table.drop_duplicates("arm").set_index("arm")["n"]
    # the reference arms ignore inclusiveness: their 2 cells x 3 paired seeds are 3 runs
    assert n["nato_us_led"] == n["eu_led_nato"] == 3 and n["reform"] == 6
    assert n.get("reform: adopted", 0) + n.get("reform: blocked", 0) == 6
    adoption = pd.read_csv(tmp_path / "plots" / "reform-adoption.csv")
    assert adoption["n"].tolist() == [3, 3]  # one row per distinct negotiation


@pytest.mark.parametrize("args, message", [
    (["run", "baltic", "--set", "inclusiveness=2"], "inclusiveness = 2 is not allowed"),
    (["run", "baltic", "--set", "us_demand=x"], "us_demand = x is not allowed"),
    (["run", "baltic", "--set", "governance=reformed"], "governance = 'reformed' is not allowed"),
])
def test_bad_reform_inputs_to_a_run_give_one_line_and_exit_2(args, message):
    result = run_cli(*args)
    assert result.returncode == 2 and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("table, message", [
    ("[parameters]\nside_payments_bn = 500.0\n", "side_payments_bn = 500.0 is not allowed"),
    ("[design]\nkind = \"grid\"\n[design.levels]\ninclusiveness = [0.5, 1.5]\n",
     "inclusiveness = 1.5 is not allowed"),
])
def test_bad_reform_inputs_to_a_sweep_give_one_line_and_exit_2(tmp_path, table, message):
    design = "" if "[design]" in table else "[design]\nkind = \"grid\"\n[design.levels]\n" \
                                            "governance = [\"reform\"]\n"
    path = tmp_path / "bad.toml"
    path.write_text(f"scenario = \"baltic\"\nreplications = 1\nbase_seed = 1\n{table}{design}")
    result = run_cli("sweep", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_every_reform_input_is_a_keyword_of_the_crisis_model_with_its_default():
    """batch_run, EMA Workbench and the sweeps read CrisisModel's signature and registry."""
    import inspect

    from wargame.inputs import INPUTS
    from wargame.reform.inputs import REFORM_INPUTS

    parameters = inspect.signature(CrisisModel).parameters
    for name, item in REFORM_INPUTS.items():
        assert parameters[name].default == item.default and INPUTS[name] is item
