"""The `wargame` command line, run as a user runs it, through `main()` in this process."""

from __future__ import annotations

import json
from datetime import datetime

import pandas as pd
import pytest

import wargame
from wargame.outcomes import OUTCOME_NAMES
from wargame.scenario import load_scenario
from wargame.single_run import describe


def test_a_run_with_only_garrisons_does_not_read_as_no_help(cli, tmp_path):
    """Lithuania's crisis cut to its first day, before any state moves: the states with
    troops stationed there were helping all along, and the account says so."""
    result = cli("run", "lithuania", "--seed", "1", "--days", "1",
                 "--out", str(tmp_path / "run"))
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "run" / "summary.json").read_text())
    assert summary["outputs"]["day_first_assistance"] is None
    assert "first new assistance never beyond the 7 states with troops stationed there" \
        in result.stdout


def test_a_repelled_run_says_whether_it_was_stopped_at_the_border_or_pushed_out():
    """`repelled` covers an attack stopped at the border and one pushed out of ground it
    held (docs/MODEL.md §5); the account of a run tells them apart."""
    seen = set()
    for name, seed in (("poland", 0), ("baltic", 5)):  # one of each at u = 1 today
        model = wargame.run(name, seed=seed, us_commitment=1.0).model
        assert model.outcome == "repelled", f"pick another {name} seed: this one is not repelled"
        first = describe(model, load_scenario(name), seed).splitlines()[0]
        if model.peak_territory_lost > 0:
            assert f"pushed out after holding up to {model.peak_territory_lost:.0%}" in first
            seen.add("pushed out")
        else:
            assert "REPELLED (stopped at the border)" in first
            seen.add("border")
    assert seen == {"pushed out", "border"}, "pick seeds that give one of each"


def test_the_account_of_a_run_says_whether_the_capital_fell_and_was_held():
    """The capital's fall is an event the outcome alone does not show (docs/MODEL.md
    §3.10): a run retaking it reads `repelled` or `occupied`, and its account says so."""
    seen = set()
    for seed in range(1000, 1020):
        model = wargame.run("lithuania", seed=seed, us_commitment=0.0, eu_financing=0.0,
                            governance="nato_us_led").model
        account = describe(model, load_scenario("lithuania"), seed)
        if model.day_capital_falls is None:
            assert "capital never fell" in account
            seen.add("never")
        elif model.outcome == "defeated":
            assert f"capital fell on day {model.day_capital_falls} and held" in account
            seen.add("held")
        else:
            assert f"capital fell on day {model.day_capital_falls}, retaken" in account
            seen.add("retaken")
    assert seen == {"never", "held", "retaken"}, "pick seeds that give each case"


def test_run_writes_three_files_and_repeats_exactly(cli, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    result = cli("run", "baltic", "--seed", "1", "--out", str(first))
    assert result.returncode == 0, result.stderr
    assert "baltic (seed 1):" in result.stdout and "top contributors" in result.stdout
    assert cli("run", "baltic", "--seed", "1", "--out", str(second)).returncode == 0
    for name in ("summary.json", "steps.parquet", "states.parquet"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name

    summary = json.loads((first / "summary.json").read_text())
    assert summary["scenario"] == "baltic" and summary["seed"] == 1
    assert summary["inputs"]["target"] == "EST"
    assert summary["outputs"]["outcome"] in OUTCOME_NAMES
    steps = pd.read_parquet(first / "steps.parquet")
    assert len(steps) == summary["outputs"]["days"] + 1
    states = pd.read_parquet(first / "states.parquet")
    for column in ("day", "iso3", "commitment", "pledged_troops", "deployed_troops", "cost_bn"):
        assert column in states.columns
    assert set(states["commitment"].astype(str)) <= {"NONE", "POLITICAL", "FINANCIAL", "FORCES"}
    assert len(states) == len(steps) * 35  # 36 candidates less the target


def test_run_options_reach_the_model(cli, tmp_path):
    out = tmp_path / "run"
    result = cli("run", "cyprus", "--seed", "3", "--days", "5", "--set", "us_commitment=0",
                 "--set", "governance=art427_only", "--out", str(out))
    assert result.returncode == 0, result.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["inputs"]["max_days"] == 5
    assert summary["inputs"]["us_commitment"] == 0.0
    assert summary["inputs"]["governance"] == "art427_only"
    assert summary["outputs"]["days"] <= 5


def test_default_output_folder_is_named_by_scenario_and_time(cli, tmp_path):
    result = cli("run", "finland", "--seed", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    folders = list((tmp_path / "runs").glob("finland-*"))
    assert len(folders) == 1 and (folders[0] / "summary.json").exists()


def test_unseeded_run_prints_its_seed(cli, tmp_path):
    result = cli("run", "baltic", "--out", str(tmp_path / "r"))
    assert result.returncode == 0
    seed = json.loads((tmp_path / "r" / "summary.json").read_text())["seed"]
    assert f"--seed {seed}" in result.stdout


def test_scenarios_and_states_list(cli):
    scenarios = cli("scenarios")
    assert scenarios.returncode == 0
    for name in ("baltic", "poland", "finland", "cyprus", "eu_led_nato"):
        assert name in scenarios.stdout
    states = cli("states")
    assert states.returncode == 0 and "EST" in states.stdout and "the adversary" in states.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run", "atlantis"], "unknown scenario 'atlantis'"),
        (["run", "baltic", "--set", "us_commitment=2"], "us_commitment = 2 is not allowed"),
        (["run", "baltic", "--set", "nonsense"], "'nonsense' is not of the form name=value"),
        (["run", "baltic", "--set", "target=USA"], "target = 'USA'"),
        (["run", "baltic", "--days", "0"], "--days: max_days = 0 is not allowed"),
        (["run", "baltic", "--seed", "x"], "invalid int value: 'x'"),
        (["run", "/nonexistent/file.toml"], "file not found"),
        (["fly"], "invalid choice: 'fly'"),
        ([], "the following arguments are required: command"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, tmp_path, args, expected):
    out = tmp_path / "out"
    if args[:1] == ["run"]:
        args = [*args, "--out", str(out)]  # where a run would write: nothing may appear
    result = cli(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not out.exists() and not list(tmp_path.iterdir())


def test_existing_result_folder_is_not_overwritten(cli, tmp_path):
    out = tmp_path / "taken"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = cli("run", "baltic", "--seed", "1", "--out", str(out))
    assert result.returncode == 2 and "already exists" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]


def test_malformed_scenario_file_is_one_line(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[parameters]\nescalation_probability = 7\n")
    result = cli("run", str(bad), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert f"{bad} [parameters]: escalation_probability = 7 is not allowed" in result.stderr
    assert not (tmp_path / "out").exists()


def test_setting_an_uncertainty_changes_the_run_and_summary_records_it(cli, tmp_path):
    """Any behavioural constant is an input: set per run, used, and recorded."""
    runs: dict[tuple[str, int], dict] = {}
    for seed in range(10):  # paired seeds: many runs end before any state decides on forces
        for label, extra in {"default": [], "set": ["--set", "obligation_weight=4"]}.items():
            out = tmp_path / f"{label}-{seed}"
            result = cli("run", "baltic", "--seed", str(seed), *extra, "--out", str(out))
            assert result.returncode == 0, result.stderr
            runs[label, seed] = json.loads((out / "summary.json").read_text())
    default, changed = runs["default", 0], runs["set", 0]
    assert default["inputs"]["obligation_weight"] == 2.0
    assert changed["inputs"]["obligation_weight"] == 4.0
    others = {k: v for k, v in changed["inputs"].items() if k != "obligation_weight"}
    assert others == {k: v for k, v in default["inputs"].items() if k != "obligation_weight"}
    # A stronger treaty obligation (MODEL.md §3.4): on the same seed no fewer states send
    # forces and no fewer troops are pledged, and more in some run.
    for output in ("states_sending_forces", "peak_pledged_troops"):
        pairs = [(runs["default", seed]["outputs"][output], runs["set", seed]["outputs"][output])
                 for seed in range(10)]
        assert all(stronger >= weaker for weaker, stronger in pairs), (output, pairs)
        assert any(stronger > weaker for weaker, stronger in pairs), (output, pairs)


def test_a_damaged_manifest_is_the_same_one_line_for_plots_viz_and_resume(cli, tmp_path):
    folder = tmp_path / "damaged"
    (folder / "runs").mkdir(parents=True)
    (folder / "manifest.json").write_text("{not json")
    for args in (["plot", "all", str(folder)],
                 ["viz", "--sweep", str(folder), "--run", "0", "--port", "0"],
                 ["sweep", "quick", "--out", str(folder), "--resume", "--quiet"]):
        result = cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "manifest.json: unreadable manifest" in result.stderr, args


def test_two_runs_started_in_the_same_second_do_not_collide(tmp_path, monkeypatch):
    """The default folder is named to the second; another run that started in the same
    second may write under that name while this one runs. A probe found the second run
    failing on an --out it never gave: it now takes the next free name."""
    from conftest import run_main

    import wargame.folders as folders
    import wargame.single_run as single_run

    given: list = []
    real_name, real_run = folders.default_out_dir, single_run.run_scenario

    def name(*args, **kwargs):
        given.append(real_name(*args, **kwargs))
        return given[-1]

    def run_while_the_other_finishes(scenario, seed, overrides):
        model = real_run(scenario, seed, overrides)
        (tmp_path / given[0]).mkdir(parents=True)  # the other run wrote under that name
        (tmp_path / given[0] / "summary.json").write_text("{}")
        return model

    class SameSecond(datetime):
        """Both names within one second, however slowly this machine runs the model."""

        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 12, 7, 23, 38, 7, tzinfo=tz)

    monkeypatch.setattr(folders, "datetime", SameSecond)
    monkeypatch.setattr(folders, "default_out_dir", name)
    monkeypatch.setattr(single_run, "run_scenario", run_while_the_other_finishes)
    done = run_main("run", "baltic", "--seed", "3", "--days", "5", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert len(given) == 2 and given[1].name == f"{given[0].name}-2"
    assert (tmp_path / given[1] / "steps.parquet").exists()
    assert (tmp_path / given[0] / "summary.json").read_text() == "{}"  # the other's, kept


def test_a_target_without_a_wartime_strength_is_named_when_it_runs(tmp_path):
    """A target of one's own with no row in force_depth.csv fights without reservists;
    the run says so (a probe found it silent), and a shipped target's run does not."""
    from conftest import run_main

    path = tmp_path / "latvia.toml"
    path.write_text('description = "Latvia"\n[parameters]\ntarget = "LVA"\n')
    done = run_main("run", str(path), "--seed", "1", "--days", "5", "-q",
                    "--out", str(tmp_path / "lva"))
    assert done.returncode == 0 and "LVA has no wartime strength" in done.stderr
    done = run_main("run", "baltic", "--seed", "1", "--days", "5", "-q",
                    "--out", str(tmp_path / "est"))
    assert done.returncode == 0 and "wartime strength" not in done.stderr


def test_a_broken_scenario_of_ones_own_does_not_hide_the_others(tmp_path):
    """A probe found one malformed file in ./configs/scenarios making `wargame scenarios`
    fail outright; the rest are listed and the broken one gets its line and exit 2."""
    from conftest import run_main

    own = tmp_path / "configs" / "scenarios"
    own.mkdir(parents=True)
    (own / "latvia.toml").write_text('description = "mine"\n[parameters]\ntarget = "LVA"\n')
    (own / "broken.toml").write_text("garbage =\n")
    done = run_main("scenarios", cwd=tmp_path)
    assert done.returncode == 2
    listed = {line.split()[0] for line in done.stdout.splitlines()}
    assert {"baltic", "cyprus", "latvia"} <= listed and "broken" not in listed
    assert done.stderr.count("\n") == 1 and "broken.toml: malformed TOML" in done.stderr
