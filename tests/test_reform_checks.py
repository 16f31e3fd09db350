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
    assert len(effects) == 4 and all(f.estimate.value < 0 for f in effects)
