"""The public Python API (wargame.run, sweep, load_sweep, plot): the same results as the
command line, tables joined and labelled from the registries, one-line errors, a light import."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import wargame
from wargame.errors import WargameError
from wargame.inputs import INPUTS
from wargame.output_registry import outputs

SPEC = {
    "scenario": "baltic", "replications": 3, "base_seed": 5, "keep_series": True,
    "design": {"kind": "grid", "levels": {"us_commitment": [0.0, 1.0],
                                          "governance": ["nato_us_led", "art427_only"]}},
}


def test_import_wargame_loads_neither_mesa_nor_pandas():
    code = ("import sys, wargame; heavy = [m for m in ('mesa', 'pandas', 'wargame.api') "
            "if m in sys.modules]; print(heavy)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


def test_run_summary_is_what_the_command_line_writes(cli, tmp_path):
    result = wargame.run("baltic", seed=11, us_commitment=0.25)
    done = cli("run", "baltic", "--seed", "11", "--set", "us_commitment=0.25",
               "--out", str(tmp_path / "cli"))
    assert done.returncode == 0, done.stderr
    written = json.loads((tmp_path / "cli" / "summary.json").read_text())
    assert result.summary == written
    assert result.outcome == written["outputs"]["outcome"]
    assert list(result.steps.columns) == [o.name for o in outputs("day")]
    assert len(result.steps) == result.model.day + 1
    assert set(result.states["iso3"]) == {s["iso3"] for s in written["states"]}
    assert result.labels("states")["cost_bn"] == "What the state has paid so far (EUR bn)"
    folder = result.write(tmp_path / "api")
    assert json.loads((folder / "summary.json").read_text()) == written


def test_run_without_a_seed_records_the_one_it_drew():
    first = wargame.run("baltic")
    again = wargame.run("baltic", seed=first.seed)
    assert first.summary["outputs"] == again.summary["outputs"]


@pytest.mark.parametrize("call, message", [
    (lambda: wargame.run("baltic", seed=-1), "seed = -1"),
    (lambda: wargame.run("baltic", seed=1.5), "seed = 1.5"),
    (lambda: wargame.run("baltic", seed=1, us_comitment=0), "did you mean us_commitment"),
    (lambda: wargame.run("baltic", seed=1, us_commitment=2), "us_commitment = 2"),
    (lambda: wargame.run("atlantis"), "unknown scenario 'atlantis'"),
    (lambda: wargame.run(3), "expected a scenario name"),
    (lambda: wargame.load_sweep("no/such/folder"), "no/such/folder"),
    (lambda: wargame.sweep({"scenario": "baltic"}, out="x"), "missing key"),
    (lambda: wargame.sweep(SPEC, out="x", workers=0), "workers = 0"),
    (lambda: wargame.plot("x", kinds=["pie"]), "kinds"),
])
def test_bad_input_is_a_one_line_wargame_error(call, message):
    with pytest.raises(wargame.WargameError, match=message) as caught:
        call()
    assert isinstance(caught.value, ValueError) and "\n" not in str(caught.value)


def test_sweep_and_load_sweep_join_and_label_the_tables(tmp_path):
    import wargame.sweep.execute  # noqa: F401  (binds wargame.sweep to the package)

    done = wargame.sweep(SPEC, out=tmp_path / "sweep", name="api_test")
    assert (done.status, done.completed) == ("complete", 12)
    data = wargame.load_sweep(tmp_path / "sweep")
    assert data.manifest["sweep"] == "api_test" and data.n_failed == 0
    assert data.swept == ["us_commitment", "governance"]
    assert len(data.runs) == 12 and data.runs["run_id"].is_unique
    for table in (data.states, data.steps):
        assert list(table.columns[:5]) == ["run_id", "point_id", "us_commitment", "governance",
                                           "outcome"]
        by_run = data.runs.set_index("run_id")
        joined = table.drop_duplicates("run_id").set_index("run_id")
        assert (joined["outcome"] == by_run.loc[joined.index, "outcome"]).all()
        assert (joined["governance"] == by_run.loc[joined.index, "governance"]).all()
    assert set(data.steps["run_id"]) == set(data.runs["run_id"])
    labels = data.labels("runs")
    assert list(labels) == list(data.runs.columns)
    assert labels["us_commitment"] == f"{INPUTS['us_commitment'].label} (share)"
    assert labels["peak_deployed_troops"] == "Peak troops deployed by European states (troops)"
    assert data.labels("steps")["outcome"] == "Outcome of the crisis (outcome name " \
                                              "(wargame.outcomes))"
    assert data.labels("states")["pledged_troops"] == \
        "Troops the state has pledged at the end (troops)"
    with pytest.raises(wargame.WargameError, match="unknown table"):
        data.labels("days")


def test_a_numpy_integer_seed_is_a_seed():
    """A seed taken from an array or a DataFrame is a NumPy integer; a probe found it
    refused as 'not an integer'. Bools and floats are still refused."""
    import numpy as np

    assert wargame.run("baltic", seed=np.int64(3)).outcome == wargame.run("baltic", seed=3).outcome
    assert wargame.run("baltic", seed=np.int64(3)).seed == 3
    for bad in (np.bool_(True), True, 3.0):
        with pytest.raises(WargameError, match="expected an integer"):
            wargame.run("baltic", seed=bad)
