"""Scenario and sweep files: shipped in the package, found from any working directory, an
analyst's own ./configs first, and a name that wins over a folder of that name only when
given without a path (issue 20, items 4 and 5). Real files in a temporary working
directory; the command line through `main()`."""

from __future__ import annotations

import pytest
from conftest import REPO

from wargame.config_files import available, shipped_dir
from wargame.errors import WargameError
from wargame.scenario import load_scenario
from wargame.sweep.spec import load_sweep

SHIPPED_SCENARIOS = {"baltic", "cyprus", "eu_led_nato", "finland", "lithuania", "poland"}
SHIPPED_SWEEPS = {"assumptions", "headline", "negotiation", "negotiation_non_treaty", "quick",
                  "reform"}


def test_the_files_ship_inside_the_package_and_nowhere_else():
    """One copy: in wargame/configs/, which the wheel's package data carries."""
    for kind, names in (("scenarios", SHIPPED_SCENARIOS), ("sweeps", SHIPPED_SWEEPS)):
        folder = shipped_dir(kind)
        assert folder == REPO / "wargame" / "configs" / kind
        assert {p.stem for p in folder.glob("*.toml")} == names
    assert not list(REPO.glob("configs/**/*.toml"))  # no second copy in the checkout


def test_names_are_found_from_a_folder_without_configs(cli, tmp_path):
    listing = cli("scenarios", cwd=tmp_path)
    assert listing.returncode == 0, listing.stderr
    assert {line.split()[0] for line in listing.stdout.splitlines()} == SHIPPED_SCENARIOS
    dry = cli("sweep", "quick", "--dry-run", "--out", str(tmp_path / "q"), cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert "dry run of sweep quick: 12 points x 50 replications" in dry.stdout


def test_a_name_wins_over_a_folder_of_that_name_but_a_path_means_the_folder(
        cli, tmp_path, monkeypatch):
    """`wargame sweep quick` once failed where an earlier sweep left a folder `quick`."""
    (tmp_path / "quick").mkdir()
    (tmp_path / "quick" / "manifest.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    assert load_sweep("quick").name == "quick"
    assert load_sweep("quick").replications == 50
    for path in ("./quick", f"{tmp_path}/quick"):
        with pytest.raises(WargameError, match="quick"):
            load_sweep(path)
    named = cli("sweep", "quick", "--dry-run", "--out", str(tmp_path / "q"), cwd=tmp_path)
    assert named.returncode == 0, named.stderr
    folder = cli("sweep", "./quick", "--dry-run", "--out", str(tmp_path / "q"), cwd=tmp_path)
    assert folder.returncode == 2 and folder.stderr.count("\n") == 1
    assert "quick" in folder.stderr and "Traceback" not in folder.stderr


def test_own_files_in_configs_come_first_and_add_to_the_shipped_ones(cli, tmp_path,
                                                                     monkeypatch):
    own = tmp_path / "configs"
    (own / "scenarios").mkdir(parents=True)
    (own / "sweeps").mkdir()
    baltic = (shipped_dir("scenarios") / "baltic.toml").read_text()
    (own / "scenarios" / "baltic.toml").write_text(
        baltic.replace('description = "', 'description = "MY COPY: ', 1))
    (own / "scenarios" / "gotland.toml").write_text(
        'description = "Gotland"\n[parameters]\ntarget = "SWE"\nadversary = "expeditionary"\n')
    (own / "sweeps" / "gotland.toml").write_text(
        'scenario = "gotland"\nreplications = 2\nbase_seed = 1\n'
        '[design]\nkind = "grid"\n[design.levels]\nus_commitment = [0.0, 1.0]\n')
    monkeypatch.chdir(tmp_path)

    assert load_scenario("baltic").path == own / "scenarios" / "baltic.toml"
    assert load_scenario("finland").path == shipped_dir("scenarios") / "finland.toml"
    assert set(available("scenarios")) == SHIPPED_SCENARIOS | {"gotland"}
    spec = load_sweep("gotland")
    assert spec.scenario == "gotland" and spec.base["target"] == "SWE"
    assert load_sweep("quick").scenario == "baltic"  # shipped sweep, own baltic

    listing = cli("scenarios", cwd=tmp_path)
    lines = {line.split()[0]: line for line in listing.stdout.splitlines()}
    assert set(lines) == SHIPPED_SCENARIOS | {"gotland"}
    assert "MY COPY" in lines["baltic"]


@pytest.mark.parametrize(("kind", "load", "known"), [
    ("scenario", load_scenario, "known scenarios: baltic, cyprus"),
    ("sweep", load_sweep, "known sweeps: assumptions, headline"),
])
def test_an_unknown_name_lists_the_known_ones(kind, load, known, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(WargameError, match=f"unknown {kind} 'atlantis'; {known}"):
        load("atlantis")
