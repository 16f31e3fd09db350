"""The reform game's checks R1-R4 run in `wargame validate` and hold (issue 19, item 7).

Real negotiation sweeps through the common pipeline, in the battery `wargame validate`
runs; a few paired seeds per cell suffice for a negotiation costs about a millisecond.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.validation.battery import validate
from wargame.validation.checks import CHECKS
from wargame.validation.experiments import Settings
from wargame.validation.reform_checks import REFORM_CHECKS

IDS = tuple(check.id for check in REFORM_CHECKS)


@pytest.fixture(scope="module")
def battery(tmp_path_factory: pytest.TempPathFactory):
    out = Path(tmp_path_factory.mktemp("validate"))
    settings = Settings.standard(True, ("baltic",), checks=IDS, workers=1, progress=False)
    return validate(settings, out, lambda text: None)


def test_the_reform_checks_are_in_the_battery():
    assert set(IDS) == {"R1", "R2", "R3", "R4"}
    assert set(IDS) <= {check.id for check in CHECKS}


@pytest.mark.parametrize("check_id", IDS)
def test_each_reform_check_holds(battery, check_id):
    [result] = [r for r in battery.results if r.check.id == check_id]
    failing = [f"{f.subject}: {f.target} ({f.estimate})" for f in result.findings
               if f.holds is not True]
    assert result.status == "holds", failing


def test_the_frontline_atlanticists_lose_support_when_the_us_cuts(battery):
    [result] = [r for r in battery.results if r.check.id == "R1"]
    effects = [f for f in result.findings if f.subject.endswith("the cut's effect")]
    assert len(effects) == 5 and all(f.estimate.value < 0 for f in effects)


def test_the_fragility_figure_ranks_the_weights_that_decide(tmp_path):
    """A small weight sweep through the common pipeline: the figure says which weights
    decide adoption, and the US demand (a red line) must be among the strongest."""
    import json

    from conftest import run_cli

    toml = tmp_path / "w.toml"
    toml.write_text('model = "negotiation"\nreplications = 8\nbase_seed = 3\n'
                    'paired_seeds = true\n[parameters]\ntreaty_change = false\n'
                    '[design]\nkind = "lhs"\nsamples = 40\n[design.ranges]\n'
                    'us_demand = [0.5, 3.0]\nfiscal_weight = [0.5, 2.0]\n'
                    'bandwagon_weight = [0.5, 2.0]\nopinion_weight = [0.5, 2.0]\n')
    made = run_cli("sweep", str(toml), "--out", str(tmp_path / "out"), "--quiet")
    assert made.returncode == 0, made.stderr
    drawn = run_cli("plot", "reform-fragility", str(tmp_path / "out"))
    assert drawn.returncode == 0, drawn.stderr
    import pandas as pd

    table = pd.read_csv(tmp_path / "out" / "plots" / "reform-fragility.csv")
    assert set(table["weight"]) == {"us_demand", "fiscal_weight", "bandwagon_weight",
                                    "opinion_weight"}
    assert table.iloc[0]["weight"] in {"us_demand", "fiscal_weight"}
    assert table.iloc[0]["src"] < 0 and table.iloc[0]["high"] < 0
    sets = pd.read_csv(tmp_path / "out" / "plots" / "reform-fragility-sets.csv")
    assert len(sets) == 40 and sets["n"].eq(8).all()
    record = json.loads((tmp_path / "out" / "plots" / "figures.json").read_text())
    assert [f["kind"] for f in record["figures"]] == ["reform-fragility"]
