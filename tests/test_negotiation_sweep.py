"""The reform negotiation through the common sweep pipeline (model = "negotiation").

Real folders written by the real command line: a negotiation sweep is exported (CSV and
Excel), read with `wargame.load_sweep`, compared with another, stopped mid-way by SIGTERM
to its process group and resumed to the rows an uninterrupted sweep writes; the sweep
file's `model` key is checked like every other key.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO, run_cli

from wargame.api import load_sweep, sweep
from wargame.errors import WargameError
from wargame.model_kinds import MODEL_KINDS
from wargame.reform.inputs import REFORM_INPUTS
from wargame.reform.model import ReformModel
from wargame.reform.result import run_row, state_columns
from wargame.sweep.folder import FolderLock
from wargame.sweep.spec import parse_sweep

SWEEP = """
description = "two packages, paired"
model = "negotiation"
replications = 12
base_seed = 11
paired_seeds = true
[parameters]
eu_budget_increase = {budget}
[design]
kind = "grid"
[design.levels]
inclusiveness = [0.0, 1.0]
side_payments_bn = [0.0, 25.0]
"""


def _write(path: Path, **values: object) -> Path:
    path.write_text(SWEEP.format(**{"budget": 1.5, **values}))
    return path


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    """Two negotiation sweeps by `wargame sweep`: the default budget rise and +2.5 points."""
    tmp = tmp_path_factory.mktemp("negotiation")
    made = {}
    for name, budget in (("a", 1.5), ("b", 2.5)):
        result = run_cli("sweep", str(_write(tmp / f"{name}.toml", budget=budget)), "--out",
                         str(tmp / name), "--workers", "2", "--quiet")
        assert result.returncode == 0, result.stderr
        made[name] = tmp / name
    return made


def test_the_folder_has_the_format_of_every_sweep(folders):
    folder = folders["a"]
    assert {p.name for p in folder.iterdir()} == {".lock", "manifest.json", "runs", "states"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["model"] == "negotiation" and manifest["scenario"] is None
    assert manifest["spec"]["model"] == "negotiation" and manifest["spec"]["paired_seeds"]
    assert manifest["status"] == "complete" and manifest["completed_runs"] == 48
    assert len(manifest["points"]) == 4 and manifest["swept"] == ["inclusiveness",
                                                                  "side_payments_bn"]
    assert manifest["inert_inputs"] == {} and "sha256:" in manifest["citation"]
    # the documented reader: pandas reads the dataset in one call
    runs = pd.read_parquet(folder / "runs")
    assert len(runs) == 48 and runs["error"].isna().all()
    assert list(runs.columns[4:4 + len(REFORM_INPUTS)]) == list(REFORM_INPUTS)


def test_each_run_is_the_negotiation_the_model_gives_with_its_seed(folders):
    data = load_sweep(folders["a"])
    for row in data.full_runs.sample(6, random_state=0).itertuples():  # every input
        inputs = {name: getattr(row, name) for name in REFORM_INPUTS}
        model = ReformModel(rng=int(row.seed), record_rounds=False, **inputs).run()
        expected = run_row(model)
        got = {name: getattr(row, name) for name in expected}
        for name in ("round", "in_force_year", "ratified"):
            if expected[name] is None:  # null in Parquet, NaN or None in pandas
                assert pd.isna(got.pop(name))
                expected.pop(name)
        assert got == pytest.approx(expected)
        states = data.states[data.states["run_id"] == row.run_id]
        assert states["iso3"].tolist() == state_columns(model)["iso3"]


def test_paired_seeds_give_every_package_the_same_seeds(folders):
    runs = load_sweep(folders["a"]).runs
    seeds = runs.pivot(index="replication", columns="point_id", values="seed")
    assert (seeds.nunique(axis=1) == 1).all() and seeds[0].nunique() == 12
    # common random numbers: with EUR 25 bn, no package's run is blocked that EUR 0 adopts
    money = runs.pivot_table(index=["replication", "inclusiveness"], columns="side_payments_bn",
                             values="adopted")
    assert not (money[0.0].astype(bool) & ~money[25.0].astype(bool)).any()


def test_load_sweep_reads_runs_and_states_with_labels(folders):
    data = load_sweep(folders["a"])
    assert data.swept == ["inclusiveness", "side_payments_bn"] and data.n_failed == 0
    assert set(data.runs["outcome"]) <= {"adopted", "ratification_failed", "blocked"}
    assert data.labels("runs")["side_payments_spent_bn"] == (
        "EU money promised to bring states in (side payments and fee gaps): the price (EUR bn)")
    assert data.labels("runs")["inclusiveness"].startswith("decision rights of non-EU allies")
    states = data.states
    assert len(states) == 48 * 37 and list(states.columns[:4]) == [
        "run_id", "point_id", "inclusiveness", "side_payments_bn"]
    assert data.labels("states")["holdout"] == (
        "Among the veto players blocking at the deadline (true or false)")
    che = states[states["iso3"] == "CHE"]
    assert not che["veto"].any() and che["says_yes"].isna().all()
    assert che["status"].isin(["adapted_cooperation", "present_partnership"]).all()
    eu = states[states["eu_member"] & states["veto"]]
    assert eu["iso3"].nunique() == 27  # the 23 EU allies and the 4 EU members outside NATO
    # Cyprus bargains (a seat in EU-NATO cooperation, against Türkiye's objection)
    assert set(eu.loc[eu["status"].notna(), "iso3"]) == {"CYP"}
    # a holdout is named in its run's blocking column, and only there
    holdouts = states[states["holdout"]].groupby("run_id")["iso3"].apply(" ".join)
    blocked = data.runs.set_index("run_id")["blocking"]
    assert holdouts.to_dict() == blocked[blocked != ""].to_dict()


def test_export_writes_csv_and_excel_with_the_negotiations_dictionary(folders, tmp_path):
    folder = folders["a"]
    csv = run_cli("export", str(folder), "--out", str(tmp_path / "csv"))
    assert csv.returncode == 0, csv.stderr
    runs = pd.read_csv(tmp_path / "csv" / "runs.csv")
    assert len(runs) == 48 and {"outcome", "adopted", "blocking"} <= set(runs.columns)
    columns = pd.read_csv(tmp_path / "csv" / "columns.csv").set_index(["table", "column"])
    assert columns.loc[("runs", "outcome"), "unit"] == "adopted, ratification_failed or blocked"
    assert columns.loc[("states", "status"), "label"].startswith("Status a non-EU state")
    assert columns.loc[["runs", "states"], "label"].notna().all()  # every column explained
    inputs = pd.read_csv(tmp_path / "csv" / "inputs.csv").set_index("name")
    assert list(inputs.index) == list(REFORM_INPUTS)  # the negotiation's registry only
    assert inputs.loc["inclusiveness", "value"] == "swept: 0.0, 1.0"
    assert inputs.loc["eu_budget_increase", "value"] == "1.5"
    assert "docs/REFORM.md" in (tmp_path / "csv" / "CITATION.txt").read_text()
    xlsx = run_cli("export", str(folder), "--to", "xlsx", "--out", str(tmp_path / "book"))
    assert xlsx.returncode == 0, xlsx.stderr  # --out is a folder, as for CSV
    sheets = pd.read_excel(tmp_path / "book" / f"{folder.name}.xlsx", sheet_name=None)
    assert list(sheets) == ["about", "runs", "states", "inputs", "columns"]
    assert len(sheets["states"]) == 48 * 37 and "reform-batch" not in sheets["about"].iloc[0, 0]


def test_compare_pairs_the_two_sweeps_and_names_what_differs(folders, tmp_path):
    result = run_cli("compare", str(folders["a"]), str(folders["b"]), "--out",
                     str(tmp_path / "cmp"))
    assert result.returncode == 0, result.stderr
    assert "eu_budget_increase): A = 1.5, B = 2.5" in result.stdout
    assert "paired: 48 runs of A and B share their seed and levels" in result.stdout
    table = pd.read_csv(tmp_path / "cmp" / "compare.csv")
    assert set(table["outcome"]) <= {"adopted", "ratification_failed", "blocked"}
    assert {"adopted", "blocked"} <= set(table["outcome"]) and table["paired"].all()
    overall = table[table["parameter"] == "all runs"].set_index("outcome")
    assert overall["diff"].sum() == pytest.approx(0.0, abs=1e-5)  # rounded shares
    assert overall.loc["adopted", "diff"] < 0  # a larger budget rise is harder to agree
    assert (tmp_path / "cmp" / "compare.png").stat().st_size > 5_000


def test_compare_refuses_a_crisis_sweep_against_a_negotiation_sweep(folders, tmp_path):
    crisis = tmp_path / "crisis.toml"
    crisis.write_text('scenario = "baltic"\nreplications = 2\nbase_seed = 1\ndays = 10\n'
                      '[design]\nkind = "grid"\n[design.levels]\nus_commitment = [0.0, 1.0]\n')
    made = run_cli("sweep", str(crisis), "--out", str(tmp_path / "c"), "--workers", "1")
    assert made.returncode == 0, made.stderr
    result = run_cli("compare", str(tmp_path / "c"), str(folders["a"]), "--out",
                     str(tmp_path / "cmp"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "compare two sweeps of the same model" in result.stderr
    assert not (tmp_path / "cmp").exists()


def test_sweep_plots_draws_the_reform_kinds(folders, tmp_path):
    result = run_cli("plot", "all", str(folders["b"]), "--out", str(tmp_path / "plots"))
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "plots" / "figures.json").read_text())
    drawn = {e["kind"] for e in record["figures"]} | set(record["skipped"])
    assert drawn == {"reform-adoption", "reform-blockers", "reform-map", "reform-price",
                     "reform-fragility"}
    assert "reform-fragility" in record["skipped"]  # a grid of two levers sweeps no weights
    adoption = pd.read_csv(tmp_path / "plots" / "reform-adoption.csv")
    assert len(adoption) == 4 and adoption["n"].eq(12).all()


def test_a_second_writer_is_refused_by_the_folder_lock(folders, tmp_path):
    with FolderLock(folders["a"]):
        result = run_cli("sweep", str(_write(tmp_path / "a.toml")), "--out",
                         str(folders["a"]), "--resume")
    assert result.returncode == 2 and "another wargame process" in result.stderr


@pytest.mark.slow  # a real sweep's process group stopped and resumed (~14 s)
def test_a_sweep_stopped_by_sigterm_to_its_group_resumes_to_the_same_rows(tmp_path):
    """Killed mid-way (SIGTERM to the process group, as a scheduler or a terminal does),
    the folder keeps the batches written; --resume runs exactly the rest."""
    spec = tmp_path / "long.toml"
    spec.write_text(SWEEP.format(budget=1.5).replace("replications = 12",
                                                      "replications = 600"))
    out = tmp_path / "stopped"
    args = [sys.executable, "-m", "wargame.cli", "sweep", str(spec), "--out", str(out),
            "--workers", "1", "--chunk-size", "20", "--flush-seconds", "0.1", "--quiet"]
    process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while not list((out / "runs").glob("part-*.parquet")) and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 143, stderr
    assert stderr.count("\n") == 1 and "--resume" in stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "incomplete"
    assert 0 < manifest["completed_runs"] < 2400  # stopped mid-way, runs kept

    resumed = run_cli("sweep", str(spec), "--out", str(out), "--resume", "--workers", "1",
                      "--quiet")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    whole = sweep(str(spec), tmp_path / "whole", workers=1)
    assert whole.status == "complete"
    for table in ("runs", "states"):
        keys = ["run_id", *(["iso3"] if table == "states" else [])]
        got = pd.read_parquet(out / table).sort_values(keys, ignore_index=True)
        expected = pd.read_parquet(tmp_path / "whole" / table).sort_values(keys,
                                                                            ignore_index=True)
        pd.testing.assert_frame_equal(got, expected)


@pytest.mark.parametrize("toml, message", [
    ('model = "bargain"\n', "model = 'bargain' is not a model kind; expected one of crisis, "
                            "negotiation"),
    ('model = "negotiation"\nscenario = "baltic"\n', "takes no scenario"),
    ('model = "negotiation"\ndays = 30\n', "takes no scenario"),
    ('model = "negotiation"\nkeep_series = true\n', "no per-step series"),
    ('model = "negotiation"\n[parameters]\nus_commitment = 0.5\n',
     "unknown reform input 'us_commitment'"),
    ('model = "negotiation"\n[parameters]\ninclusiveness = 2\n',
     "inclusiveness = 2 is not allowed"),
])
def test_a_bad_model_key_is_one_line(toml, message):
    data = {"replications": 1, "base_seed": 1, "design": {"kind": "grid"}}
    import tomllib

    data.update(tomllib.loads(toml))
    with pytest.raises(WargameError, match=message):
        parse_sweep(data, "bad")


def test_a_grid_of_a_crisis_input_is_refused_in_a_negotiation_sweep(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(SWEEP.format(budget=1.5).replace("side_payments_bn = [0.0, 25.0]",
                                                      "us_commitment = [0.0, 1.0]"))
    result = run_cli("sweep", str(path), "--out", str(tmp_path / "out"))
    assert result.returncode == 2 and result.stderr.count("\n") == 1
    assert "unknown reform input 'us_commitment'" in result.stderr
    assert not (tmp_path / "out").exists()


PYTHON_TYPES = {"int": int, "float": float, "str": str, "bool": bool}


def test_every_declared_output_has_its_type_and_is_missing_only_where_declared():
    """Each output's declared computation gives its declared Python type, its declared
    values, and null only where the declaration says it may be; over adopted, failed and
    blocked negotiations, with and without money and a treaty change (a list comparison
    would pass a column computed as the wrong type)."""
    kind = MODEL_KINDS["negotiation"]
    seen = {"outcome": set(), "missing": set()}
    for seed in range(4):
        for inputs in ({}, {"side_payments_bn": 0.0, "inclusiveness": 0.0},
                       {"treaty_change": False, "inclusiveness": 1.0, "us_demand": 0.5}):
            model = ReformModel(rng=seed, record_rounds=False, **inputs).run()
            row, columns = run_row(model), state_columns(model)
            seen["outcome"].add(row["outcome"])
            for o, values in ([(o, [row[o.name]]) for o in kind.columns("run")]
                              + [(o, columns[o.name]) for o in kind.columns("state")]):
                assert len(values) == (1 if o.level == "run" else len(model.ally_list) + 1)
                for value in values:
                    if value is None:
                        assert o.missing, (o.name, value)
                        seen["missing"].add(o.name)
                        continue
                    assert type(value) is PYTHON_TYPES[o.dtype], (o.name, value)
                    assert not o.categories or value in o.categories, (o.name, value)
    assert seen["outcome"] == set(kind.outcome_names)  # the battery reaches every outcome
    assert seen["missing"] == {o.name for o in kind.outputs if o.missing}
    assert not kind.series and kind.outcome_names == ("adopted", "ratification_failed", "blocked")


def test_the_shipped_negotiation_sweep_is_valid_and_small():
    from wargame.reform.inputs import REFORM_INPUTS
    from wargame.sweep.spec import load_sweep as load_spec

    for name in ("negotiation", "negotiation_non_treaty"):
        spec = load_spec(str(REPO / "wargame" / "configs" / "sweeps" / f"{name}.toml"))
        assert spec.model == "negotiation" and spec.paired_seeds
        assert spec.run_count == 6000  # a minute on 2 cores
        # every weight the negotiation reads, over its declared range
        assert all(REFORM_INPUTS[w].role == "uncertainty" for w in spec.swept)
        assert len(spec.swept) == 32


@pytest.mark.parametrize("name", list(MODEL_KINDS))
def test_no_output_of_a_model_kind_shares_a_name_with_one_of_its_inputs(name):
    """A run row holds inputs and outputs side by side, and `load_sweep` joins the swept
    inputs onto the per-state rows: one name for two columns would overwrite one."""
    kind = MODEL_KINDS[name]
    for level in ("run", "state", "day"):
        assert not set(kind.names(level)) & set(kind.inputs), level


@pytest.mark.parametrize("name", list(MODEL_KINDS))
def test_the_functions_a_model_kind_names_exist(name):
    """A kind names its check, dead-lever rule and replication module by path (they sit
    above the declarations): each path resolves to what the runner calls."""
    kind = MODEL_KINDS[name]
    assert kind.check({}, "test") == {}
    with pytest.raises(WargameError, match="test"):
        kind.check({"no_such_input": 1}, "test")
    assert kind.inert_inputs(dict(kind.defaults), {}) == {}
    runner = kind.runner()
    assert callable(runner.prepare) and callable(runner.replicate)


def test_dry_run_times_negotiations_and_writes_nothing(tmp_path):
    result = run_cli("sweep", str(_write(tmp_path / "a.toml")), "--out", str(tmp_path / "out"),
                     "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "4 points x 12 replications = 48 runs (grid design, model negotiation)" in (
        result.stdout)
    assert not (tmp_path / "out").exists()


def test_a_crisis_spec_records_no_model_so_its_hash_and_resume_are_unchanged():
    crisis = parse_sweep({"scenario": "baltic", "replications": 1, "base_seed": 1,
                          "design": {"kind": "grid", "levels": {"us_commitment": [0.0]}}}, "c")
    assert crisis.model == "crisis" and "model" not in crisis.to_dict()
