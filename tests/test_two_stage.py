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
from wargame.reform.model import ReformModel
from wargame.reform.stage import COLUMNS, negotiation_seed
from wargame.sweep.design import design_points
from wargame.sweep.execute import run_sweep
from wargame.sweep.spec import load_sweep

#: A short Baltic crisis in 2035, when an adopted package is in force: the crisis stage's
#: mechanics are exercised, the tests stay quick.
BALTIC = {"target": "EST", "forward_presence": 2200, "max_days": 30, "crisis_year": 2035}


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


#: The first seeds whose default negotiation is adopted (ratified) and blocked, searched
#: once: the crisis stage depends on the outcome, not on which seed gave it.
ADOPTED_SEED = next(s for s in range(200)
                    if ReformModel(rng=negotiation_seed(s), record_rounds=False).run().adopted)


def test_the_recorded_inputs_are_as_given_and_other_regimes_have_no_reform_outputs():
    model = two_stage(ADOPTED_SEED, us_commitment=0.8)
    assert model.inputs.governance == "reform" and model.inputs.us_commitment == 0.8
    cut = ReformModel(rng=negotiation_seed(ADOPTED_SEED), record_rounds=False).run().us_cut
    assert run_outputs(model)["reform_us_commitment"] == pytest.approx(0.8 * (1 - cut))
    plain = run_outputs(CrisisModel(**BALTIC, rng=1, collect_series=False).run())
    assert all(plain[name] is None for name in COLUMNS)


def test_adopted_runs_the_crisis_under_eu_led_nato_and_blocked_under_todays_nato():
    adopted = two_stage(ADOPTED_SEED)
    out = run_outputs(adopted)
    assert out["reform_adopted"] and adopted.setup.stage_inputs.governance == "eu_led_nato"
    assert out["reform_governance"] == "eu_led_nato" and out["reform_blocking"] == ""
    assert adopted.setup.us_channel == "cooperation"
    # The US is counted once: what reaches the theatre is the commitment it agreed to.
    assert adopted.setup.us_reach == pytest.approx(out["reform_us_commitment"])
    blocked = two_stage(1, us_demand=3.0)  # above the 1.5 points offered: the US says no
    out = run_outputs(blocked)
    assert not out["reform_adopted"] and "USA" in out["reform_blocking"].split()
    assert blocked.setup.stage_inputs.governance == "nato_us_led"
    assert blocked.setup.us_channel == "art5"
    assert out["reform_us_commitment"] == 0.5 and out["reform_in_force"] == ""
    assert out["reform_spending_factor"] == 1.0 and out["reform_non_eu_bond"] is None
    today = CrisisModel(**BALTIC, governance="nato_us_led", rng=1, collect_series=False).run()
    assert same({k: v for k, v in run_outputs(blocked).items() if k not in COLUMNS},
                {k: v for k, v in run_outputs(today).items() if k not in COLUMNS})


def test_a_crisis_before_anything_is_in_force_is_todays():
    early = two_stage(ADOPTED_SEED, crisis_year=2025)
    out = run_outputs(early)
    assert out["reform_adopted"] and out["reform_in_force"] == ""
    assert early.setup.stage_inputs.governance == "nato_us_led"
    today = CrisisModel(**{**BALTIC, "crisis_year": 2025}, rng=ADOPTED_SEED,
                        collect_series=False).run()
    assert same({k: v for k, v in out.items() if k not in COLUMNS},
                {k: v for k, v in run_outputs(today).items() if k not in COLUMNS})


def _bound(model: CrisisModel) -> dict[str, float]:
    return {s.iso3: s.bound for s in model.agents_by_type[StateAgent]}


def test_each_non_eu_state_is_bound_by_its_own_bargain():
    model = two_stage(ADOPTED_SEED)
    out = run_outputs(model)
    assert out["reform_adopted"]
    bonds = _bound(model)
    negotiation = ReformModel(rng=negotiation_seed(ADOPTED_SEED), record_rounds=False).run()
    for player in negotiation.ally_list:
        status = player.status()
        if status is None or player.profile.eu_member or player.iso3 == "USA":
            continue
        expected = (REFORM_DEFAULTS["integrated_bond"] if status.integrated
                    else REFORM_DEFAULTS["associated_bond"])
        assert bonds[player.iso3] == expected, player.iso3
    assert bonds["FRA"] == 1.0  # EU members stay fully bound


def test_the_budget_rise_raises_eu_capability_and_leaves_others_alone():
    model = two_stage(ADOPTED_SEED)
    assert run_outputs(model)["reform_spending_factor"] > 1.0
    # Against the same crisis year without the reform (the Hague path raises everyone's).
    plain = CrisisModel(**BALTIC, rng=ADOPTED_SEED, collect_series=False)
    roster, reference = model.setup.roster, plain.setup.roster
    assert roster["DEU"].defence_exp_usd_bn > reference["DEU"].defence_exp_usd_bn
    assert roster["GBR"].defence_exp_usd_bn == reference["GBR"].defence_exp_usd_bn


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
