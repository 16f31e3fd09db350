"""`wargame validate`: the battery's reports, exit codes, bad input, resumption and V11's hook.

Real runs throughout: every test runs the model through the sweep pipeline into a temporary
folder, on a configuration small enough for a few seconds (one check, one scenario, few
seeds); nothing is mocked. Tests of clauses that read a model-v3 output skip, naming it,
only while the model does not report it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wargame.output_registry import names
from wargame.parameter_sets import read_draws
from wargame.validation import measures, stats
from wargame.validation.battery import validate
from wargame.validation.checks import CHECKS, _counted
from wargame.validation.experiments import Settings
from wargame.validation.records import FAILS, HOLDS, NOT_EVALUATED, CheckResult, Finding
from wargame.validation.report import text_report, value_text, write_reports
from wargame.validation.robust import robustness, v11_result

PACKAGE = Path(__file__).resolve().parent.parent / "wargame" / "validation"


def tiny(scenarios: tuple[str, ...], checks: tuple[str, ...], **other) -> Settings:
    """Ten seeds a cell and u at its two ends: a lever grid of 120 runs."""
    return Settings(scenarios, checks=checks, seeds=10, u_levels=(0.0, 1.0), progress=False,
                    **other)


def quiet(text: str) -> None:
    """Discard the battery's progress lines."""


def one_line_error(result) -> None:
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("wargame: error:"), result.stderr
    assert "Traceback" not in result.stderr


# --- the command: reports, exit codes, resumption --------------------------------------------
def test_report_and_json_for_a_tiny_configuration(cli, tmp_path):
    out = tmp_path / "v"
    result = cli("validate", "--quick", "--check", "V5", "--scenario", "finland", "--out",
                 str(out), "--workers", "1")
    data = json.loads((out / "validation.json").read_text())
    assert result.returncode == (0 if data["holds"] else 1), result.stderr
    assert [c["id"] for c in data["checks"]] == ["V5"]
    (check,) = data["checks"]
    (finding,) = check["findings"]
    runs = pd.read_parquet(out / "sweeps" / "depth-finland" / "runs")
    assert finding["n"] == 30 == len(runs)
    assert finding["value"] == float(runs["days"].median())  # every run is an armed attack
    assert finding["low"] <= finding["value"] <= finding["high"]
    assert finding["holds"] == (finding["value"] >= 45) == check["holds"]
    assert data["settings"]["seeds_per_cell"] == 30 and data["settings"]["quick"] is True
    assert data["git_commit"] and data["scenarios"]["finland"]["inputs"]["target"] == "FIN"
    experiment = data["experiments"]["depth-finland"]
    assert experiment["runs"] == 30 and experiment["paired_seeds"] is True
    assert experiment["fixed"] == {"governance": "nato_us_led"}
    manifest = json.loads((out / experiment["folder"] / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["spec"]["paired_seeds"] is True
    markdown = (out / "VALIDATION.md").read_text()
    assert "## V5 Depth" in markdown and "| finland: u = 0, today's NATO |" in markdown
    assert re.search(r"^V5 +finland: u = 0, today's NATO +median war >= 45 days +\d+(\.\d)? d "
                     r"\[\d+, \d+\] +(yes|NO)$", result.stdout, re.MULTILINE), result.stdout
    assert "experiment 1/1: depth-finland (30 runs)" in result.stderr


@pytest.mark.slow
def test_a_second_run_reuses_the_finished_sweeps_and_reports_the_same(cli, tmp_path):
    out = tmp_path / "v"
    first = cli("validate", "--quick", "--check", "V5", "--scenario", "finland", "--out",
                str(out), "--workers", "1")
    before = json.loads((out / "validation.json").read_text())["checks"]
    second = cli("validate", "--quick", "--check", "V5", "--scenario", "finland", "--out",
                 str(out), "--workers", "1")
    assert second.returncode == first.returncode
    assert "already complete" in second.stderr
    assert json.loads((out / "validation.json").read_text())["checks"] == before


@pytest.mark.slow
def test_exit_0_when_a_check_holds_and_1_when_an_input_breaks_it(cli, tmp_path):
    """V10: seven brigades stop RAND's Baltic attack; against the same attack at the top of
    the ranges (best troops, thrice their number in reserve within three weeks, fighting on
    to half their losses) they do not. The experiment sets the attack's size itself."""
    held = cli("validate", "--quick", "--check", "V10", "--scenario", "baltic", "--out",
               str(tmp_path / "held"), "--workers", "1")
    assert held.returncode == 0, held.stdout + held.stderr
    assert "1 of 1 checks hold" in held.stdout
    shipped = (Path(__file__).resolve().parent.parent / "wargame" / "configs" / "scenarios" /
               "baltic.toml").read_text()
    override = tmp_path / "override" / "baltic.toml"
    override.parent.mkdir()
    strongest = ("adversary_quality = 1.5\ndefence_multiplier = 1.2\nreserve_ratio = 3.0\n"
                 "reinforcement_days = 20\nloss_tolerance = 0.5\n")
    override.write_text(re.sub(r"(?m)^attack_troops = .*\n", lambda m: m[0] + strongest,
                               shipped))
    broken = cli("validate", "--quick", "--check", "V10", "--scenario", str(override),
                 "--out", str(tmp_path / "broken"), "--workers", "1")
    assert broken.returncode == 1, broken.stdout + broken.stderr
    data = json.loads((tmp_path / "broken" / "validation.json").read_text())
    brigades = next(f for f in data["checks"][0]["findings"]
                    if f["subject"] == "baltic: seven brigades in place")
    assert brigades["status"] == FAILS and brigades["value"] >= 0.5
    assert "0 of 1 checks hold; not holding: V10" in broken.stdout


@pytest.mark.parametrize("arguments, words", [
    (["--check", "V12"], "--check V12: no such check"),
    (["--scenario", "atlantis"], "unknown scenario 'atlantis'"),
    (["--workers", "0"], "expected a whole number >= 1"),
    (["--posterior", "missing.csv"], "--posterior missing.csv: file not found"),
    (["--check", "V5", "--posterior", "draws.csv"], "only V11 draws from a posterior"),
])
def test_bad_input_is_one_line_and_writes_nothing(cli, tmp_path, arguments, words):
    out = tmp_path / "v"
    result = cli("validate", "--quick", "--out", str(out), *arguments, cwd=tmp_path)
    one_line_error(result)
    assert words in result.stderr
    assert not out.exists()


def test_an_out_folder_that_holds_something_else_is_refused(cli, tmp_path):
    (tmp_path / "v").mkdir()
    (tmp_path / "v" / "notes.txt").write_text("mine")
    result = cli("validate", "--quick", "--check", "V5", "--out", str(tmp_path / "v"))
    one_line_error(result)
    assert "holds no validation" in result.stderr
    assert sorted(p.name for p in (tmp_path / "v").iterdir()) == ["notes.txt"]


def test_a_posterior_with_a_column_that_is_no_input_is_refused(cli, tmp_path):
    (tmp_path / "draws.csv").write_text("mobilisation_days,mobilisationdays\n10,12\n")
    result = cli("validate", "--quick", "--posterior", str(tmp_path / "draws.csv"), "--out",
                 str(tmp_path / "v"))
    one_line_error(result)
    assert "column 'mobilisationdays' is not an input" in result.stderr
    assert not (tmp_path / "v").exists()


# --- the battery from Python --------------------------------------------------------------
def test_v11_reruns_the_checks_for_each_posterior_draw(tmp_path):
    (tmp_path / "draws.csv").write_text("mobilisation_days,weight\n2,1\n30,3\n")
    draws = read_draws(tmp_path / "draws.csv", None)  # every row with its weight
    assert draws == [({"mobilisation_days": 2}, 1.0), ({"mobilisation_days": 30}, 3.0)]
    drawn = read_draws(tmp_path / "draws.csv", 400)  # n rows drawn by weight, each weighing 1
    assert {weight for _, weight in drawn} == {1.0}
    assert 0.65 < sum(d["mobilisation_days"] == 30 for d, _ in drawn) / 400 < 0.85
    settings = tiny(("finland",), ("V5",))
    summary = robustness(draws, settings, tmp_path / "v", quiet)
    assert summary["draws"] == 2
    for number, (draw, _) in enumerate(draws):
        runs = pd.read_parquet(tmp_path / "v" / "draws" / f"{number:03d}" / "sweeps" /
                               "depth-finland" / "runs")
        assert set(runs["mobilisation_days"]) == {draw["mobilisation_days"]}
    held = [validate(tiny(("finland",), ("V5",), parameters=draw), tmp_path / f"d{n}",
                     quiet).holds for n, (draw, _) in enumerate(draws)]
    assert summary["per_check"]["V5"] == pytest.approx((1 * held[0] + 3 * held[1]) / 4)
    for row, (draw, _) in zip(summary["by_draw"], draws, strict=True):
        # each draw's own report, and V11's row of it, name the same failing clauses
        report = json.loads((tmp_path / "v" / row["folder"] / "validation.json").read_text())
        failing = [f"{c['id']} {f['subject']}" for c in report["checks"]
                   for f in c["findings"] if f["holds"] is not True]
        assert row["inputs"] == draw and row["failing"] == failing
    point = validate(settings, tmp_path / "point", quiet)
    point.results.append(v11_result(point, summary))
    table = point.results[-1].tables[0]
    assert [row[0] for row in table.rows] == ["draws/000", "draws/001"]
    assert [row[1] for row in table.rows] == ["2", "30"]
    # the reports print the table as it is, whatever the draws' inputs
    assert "| draws/001 | 30 |" in write_reports(point, tmp_path / "point")[1].read_text()
    assert "draws/001  30" in text_report(point)


def test_a_clause_the_model_cannot_measure_is_not_evaluated_and_the_check_does_not_hold():
    measured = Finding("x", "y", stats.share(3, 10), "share", True)
    unmeasured = Finding("x", "y", None, "share", None, "needs model v3 output allied_losses")
    result = CheckResult(CHECKS[0], [measured, unmeasured])
    assert (measured.status, unmeasured.status) == (HOLDS, NOT_EVALUATED)
    assert result.status == NOT_EVALUATED and not result.holds


def test_v1_asks_for_every_outcome_the_runs_produce_even_one_its_list_leaves_out(tmp_path):
    """A scenario's [validation] list says what it can produce; an outcome the runs produce
    is checked whether the list names it or not, with a note that the list is wrong."""
    shipped = (Path(__file__).resolve().parent.parent / "wargame" / "configs" / "scenarios" /
               "baltic.toml").read_text()
    narrow = tmp_path / "narrow_baltic.toml"
    narrow.write_text(re.sub(r"(?m)^outcomes = .*$", 'outcomes = ["defeated"]', shipped))
    battery = validate(tiny((str(narrow),), ("V1",)), tmp_path / "out", quiet)
    runs = pd.read_parquet(next((tmp_path / "out" / "sweeps").glob("levers-*")) / "runs")
    produced = set(runs["outcome"])
    assert len(produced) > 1  # the Baltic case ends in more than one way in 120 runs
    subjects = {f.subject.split(": ")[1]: f for f in battery.results[0].findings
                if ": " in f.subject}
    assert set(subjects) == produced | {"defeated"}
    for outcome in produced - {"defeated"}:
        assert "not in the scenario's list" in subjects[outcome].note


def test_v1_does_not_count_a_stalemate_whose_defence_is_worn_away():
    """A run open at the window's end with the defence under 1% of the attacker's power is
    a defeat in all but name; V1's stalemate clause must not count it (a review found most
    stalemates were such runs before the still-front rule)."""
    runs = pd.DataFrame({"outcome": ["stalemate", "stalemate", "occupied", "stalemate"],
                         "final_force_ratio": [3.0, 250.0, 400.0, 100.0]})
    stalemates, note = _counted(runs, "stalemate")
    assert stalemates.tolist() == [True, False, False, True]
    assert "1 of 3 stalemates not counted" in note
    occupied, note = _counted(runs, "occupied")
    assert occupied.tolist() == [False, False, True, False] and note == ""


def test_v8_reads_the_reliability_shares_over_the_lever_grid(tmp_path):
    for column in ("treaty_bound_forces_share", "treaty_bound_money_share"):
        if column not in names("run"):
            pytest.skip(f"needs model v3 output {column}")
    battery = validate(tiny(("baltic",), ("V8",)), tmp_path, quiet)
    runs = pd.read_parquet(tmp_path / "sweeps" / "levers-baltic" / "runs")
    forces = next(f for f in battery.results[0].findings if "forces" in f.subject)
    assert forces.estimate.value == pytest.approx(runs["treaty_bound_forces_share"].mean())


def test_v9_shows_the_quartiles_of_the_first_forces_day_it_measures(tmp_path):
    """An interquartile range of whole days sits on day boundaries: the finding must show
    where the quartiles fall, and they must be the runs' own."""
    battery = validate(tiny(("poland",), ("V9",)), tmp_path, quiet)
    runs = pd.read_parquet(tmp_path / "sweeps" / "levers-poland" / "runs")
    first = runs["day_first_forces"].dropna().to_numpy()
    finding = next(f for f in battery.results[0].findings if "first-forces" in f.subject)
    q25, q75 = np.percentile(first, [25, 75])
    assert f"quartiles day {q25:g}-{q75:g}" in finding.note
    assert finding.estimate.value == pytest.approx(q75 - q25)
    assert finding.holds == (q75 - q25 >= 3)
    # each regime's own spread beside the pooled one it is judged on
    for regime in ("nato_us_led", "art427_only", "eu_led_nato"):
        own = runs.loc[runs["governance"] == regime, "day_first_forces"].dropna().to_numpy()
        q25, q75 = np.percentile(own, [25, 75])
        assert f"{regime} {q75 - q25:g}" in finding.note.split("by regime: ")[1]


def test_each_regimes_spread_reads_the_same_in_whatever_order_the_runs_come():
    """Two full batteries of the same code listed the regimes in different orders (the
    sweep's files are gathered as the workers wrote them): the note must not depend on it."""
    from wargame.regimes import NAMES
    from wargame.validation.checks import _by_regime

    rng = np.random.default_rng(0)
    runs = pd.DataFrame({"governance": np.repeat(["art427_only", "eu_led_nato", "nato_us_led"], 40),
                         "day_first_forces": rng.integers(3, 20, 120).astype(float)})
    note = _by_regime(runs)
    for seed in range(5):
        assert _by_regime(runs.sample(frac=1.0, random_state=seed)) == note
    listed = [part.split()[0] for part in note.split("by regime: ")[1].split(", ")]
    assert listed == [name for name in NAMES if name in listed]


def test_v7_names_the_stationed_and_treaty_bound_helpers_from_the_ties_table(tmp_path):
    ties = pytest.importorskip("wargame.ties", reason="needs model v3 data wargame.ties")
    battery = validate(tiny(("cyprus",), ("V7",)), tmp_path, quiet)
    subjects = {f.subject for f in battery.results[0].findings}
    partners = {t.a_iso3 if t.b_iso3 == "CYP" else t.b_iso3 for t in ties.load_ties()
                if "CYP" in (t.a_iso3, t.b_iso3) and t.obligation == "mutual_assistance_clause"}
    assert partners and {f"cyprus: {iso3} (treaty)" for iso3 in partners} <= subjects
    unbound = next(f for f in battery.results[0].findings
                   if f.subject == "cyprus: unbound states")
    assert unbound.holds and "NOR" in unbound.note and "GRC" not in unbound.note
    assert "CHE" not in unbound.note  # neutral: it could send none
    (table,) = battery.results[0].tables
    assert table.title.startswith("Cyprus (CYP)")
    assert "n/a" not in text_report(battery).split("V7: Cyprus")[1]
    # Every row of the table has a cell under each of its columns, in both reports.
    _, md_path = write_reports(battery, tmp_path)
    header = "| " + " | ".join(table.columns) + " |"
    rows = md_path.read_text().split(header + "\n")[1].split("\n\n")[0].splitlines()[1:]
    assert len(rows) == len(table.rows)
    assert {len(re.split(r"(?<!\\)\|", row)) for row in rows} == {len(table.columns) + 2}


def test_v7_judges_the_unbound_state_that_sends_forces_most_among_those_able_to():
    from wargame.validation.helpers import _unbound

    def attacked(sends: int) -> pd.DataFrame:
        """100 armed attacks: Albania, bound by nothing, sends forces in `sends`; Norway,
        bound by nothing, never; Switzerland (neutral) and Iceland (no forces) never; a
        tied state and a treaty-bound one always."""
        rows = [("ALB", 3 if run < sends else 1, 0.0) for run in range(100)]
        rows += [("NOR", 1, 0.0), ("CHE", 1, 0.0), ("ISL", 1, 0.0), ("GBR", 3, 0.0),
                 ("FRA", 3, 1.0)] * 100
        return pd.DataFrame(rows, columns=["iso3", "rank", "bound"])

    ties = {"ALB": [], "NOR": [], "CHE": [], "ISL": [], "GBR": ["a consultation"], "FRA": []}
    assert _unbound("case", attacked(5), ties).holds
    finding = _unbound("case", attacked(6), ties)  # 3% pooled with Norway, 6% itself
    assert not finding.holds and finding.estimate.value == pytest.approx(0.06)
    assert finding.note == "the most: ALB; all of ALB, NOR: 3.0%"


def test_the_reports_are_whole_files_that_agree(tmp_path):
    battery = validate(tiny(("poland",), ("V2", "V9")), tmp_path, quiet)
    json_path, md_path = write_reports(battery, tmp_path)
    data = json.loads(json_path.read_text())
    assert [c["id"] for c in data["checks"]] == ["V2", "V9"]
    assert data["holds"] == battery.holds
    text, markdown = text_report(battery), md_path.read_text()
    for result in battery.results:
        for finding in result.findings:
            assert f"| {finding.subject} |" in markdown
            assert value_text(finding) in text and f"| {value_text(finding)} |" in markdown
    assert not list(tmp_path.glob(".*.tmp"))


def test_e1_reports_what_fewer_pledges_of_forces_change_and_never_judges(tmp_path):
    """E1 compares the calibrated hurdle of pledging forces with the top of its range on
    paired seeds at u = 0, under the scenario's governance and Art. 42.7 alone; its numbers
    are the runs' own, and a reported check neither holds nor fails the battery. A
    posterior draw's hurdle replaces the calibrated one."""
    from wargame.inputs import DEFAULTS, INPUTS

    battery = validate(tiny(("lithuania",), ("E1",)), tmp_path, quiet)
    (result,) = battery.results
    assert result.status == "reported" and battery.holds
    runs = pd.read_parquet(tmp_path / "sweeps" / "help-lithuania" / "runs")
    calibrated, top = DEFAULTS["barrier_forces"], INPUTS["barrier_forces"].high
    assert set(runs["barrier_forces"]) == {calibrated, top}
    assert set(runs["us_commitment"]) == {0.0}
    assert [f.subject for f in result.findings] == ["lithuania: nato_us_led",
                                                    "lithuania: art427_only"]
    for found in result.findings:
        cell = runs[runs["governance"] == found.subject.split(": ")[1]]
        arrived = cell.groupby("barrier_forces")["reinforcements_arrived"].mean()
        assert f"troops arrived {arrived[calibrated]:,.0f} -> {arrived[top]:,.0f}" in found.note
        assert arrived[top] < arrived[calibrated]  # the counterfactual withholds forces

    drawn = validate(tiny(("cyprus",), ("E1",), parameters={"barrier_forces": 2.0}),
                     tmp_path / "draw", quiet)
    runs = pd.read_parquet(tmp_path / "draw" / "sweeps" / "help-cyprus" / "runs")
    assert set(runs["barrier_forces"]) == {2.0, top}
    assert set(runs["governance"]) == {"nato_us_led"}  # outside NATO the regimes are one
    assert [f.subject for f in drawn.results[0].findings] == ["cyprus: nato_us_led"]


def test_e1_counts_each_direction_and_takes_top_minus_calibrated():
    """On runs whose differences are known: 3 of 4 seeds move into defeat (one of them out
    of deterrence), 1 out of it; ground lost rises by 0.1; the wars after the attack last
    10 -> 20 days. A swapped arm, a wrong column or the median of the crisis instead of the
    war would each change a figure here."""
    from wargame.validation.help_effect import finding

    low, top = 1.0, 6.0
    cell = pd.DataFrame({
        "replication": [0, 0, 1, 1, 2, 2, 3, 3],
        "barrier_forces": [low, top] * 4,
        "outcome": ["occupied", "defeated", "deterred", "defeated", "repelled", "defeated",
                    "defeated", "occupied"],
        "territory_lost": [0.1, 0.2] * 4,
        "reinforcements_arrived": [9000, 1000] * 4,
        "armed_attack": [True, True, False, True, True, True, True, True],
        "day_armed_attack": [3.0, 3.0, float("nan"), 4.0, 3.0, 3.0, 3.0, 3.0],
        "days": [13.0, 23.0, 30.0, 24.0, 13.0, 23.0, 13.0, 23.0],
    })
    found = finding("case: nato_us_led", cell, low, top)
    assert found.estimate.value == pytest.approx(0.5)  # (3 - 1) / 4, top minus calibrated
    assert "P(defeated) 25.0% -> 75.0% (3 seeds into defeat, 1 out of it, of 4)" in found.note
    assert "P(deterred) 25.0% -> 0.0%" in found.note
    assert "troops arrived 9,000 -> 1,000" in found.note
    assert "ground lost +10.0 pts" in found.note
    assert "median war after the attack 10 -> 20 days" in found.note


def test_e1_compares_each_scenarios_own_regime_with_the_eu_clause_alone():
    from wargame.validation.context import ScenarioInfo
    from wargame.validation.help_effect import regimes

    def case(target: str, governance: str) -> ScenarioInfo:
        return ScenarioInfo("case", "case", {"target": target, "governance": governance})

    assert regimes(case("EST", "eu_led_nato")) == ("eu_led_nato", "art427_only")
    assert regimes(case("EST", "art427_only")) == ("art427_only",)
    assert regimes(case("CYP", "nato_us_led")) == ("nato_us_led",)


# --- the statistics ------------------------------------------------------------------------
def test_intervals_come_out_as_the_textbook_formulas_give():
    wilson = stats.share(0, 30)
    assert (wilson.value, wilson.low) == (0.0, 0.0)
    assert wilson.high == pytest.approx(1.96**2 / (30 + 1.96**2), abs=1e-3)  # Wilson at 0
    same = stats.mean(np.full(50, 0.2))
    assert same.low == same.high == same.value == pytest.approx(0.2)  # no spread
    noisy = stats.mean(np.array([0.0, 1.0] * 50))
    assert noisy.low < 0.5 < noisy.high and noisy.high - noisy.low == pytest.approx(
        2 * 1.984 * 0.5025 / 10, rel=1e-2)
    middle = stats.median(np.arange(1, 101))
    assert middle.value == 50.5 and middle.low < 50.5 < middle.high


def test_paired_shares_give_newcombes_worked_example():
    """Altman, Machin, Bryant & Gardner, Statistics with Confidence (2nd ed., 2000), Table
    6.2: 41 pairs, 14 yes in both arms, 5 yes in the first only, 22 no in both. Newcombe's
    method gives 0.122 [0.011, 0.226]; swapping the arms negates it."""
    first = np.r_[np.ones(19), np.zeros(22)].astype(bool)
    second = np.r_[np.ones(14), np.zeros(27)].astype(bool)
    change = stats.paired_shares(second, first)
    assert (round(change.value, 3), round(change.low, 3), round(change.high, 3)) == (
        0.122, 0.011, 0.226)
    swapped = stats.paired_shares(first, second)
    assert (swapped.value, swapped.low, swapped.high) == pytest.approx(
        (-change.value, -change.high, -change.low))


def test_paired_shares_cover_the_true_change_where_few_seeds_change():
    """Why E1 does not take a t interval: with 200 paired seeds and a change carried by a
    handful of them, t covers the true change far less often than 95%; Newcombe's interval
    covers it at least as often as it claims (1,000 simulated experiments)."""
    rng = np.random.default_rng(7)
    truth = 0.01  # seeds move into defeat with chance 1.5%, out of it with 0.5%
    covered = {"newcombe": 0, "t": 0}
    trials = 1000
    for _ in range(trials):
        base = rng.random(200) < 0.3
        move = rng.random(200)
        after = np.where(base, move >= 0.005 / 0.3, move < 0.015 / 0.7)
        for name, estimate in (("newcombe", stats.paired_shares(base, after)),
                               ("t", stats.mean(after.astype(float) - base))):
            covered[name] += estimate.low <= truth <= estimate.high
    assert covered["newcombe"] / trials >= 0.93
    assert covered["t"] / trials < covered["newcombe"] / trials - 0.03


def test_paired_differences_are_taken_within_each_seed():
    runs = pd.DataFrame({"replication": [0, 0, 1, 1, 2, 2], "lever": [0, 1] * 3,
                         "value": [5.0, 6.0, 1.0, 2.0, 9.0, 10.0]})
    difference = measures.paired(runs, "lever", 0, 1, runs["value"], ())
    assert (difference.value, difference.low, difference.high) == (1.0, 1.0, 1.0)


def test_the_checks_name_no_state_but_iceland():
    """Per-state expectations come from the data tables; only V7's Iceland clause names one."""
    from wargame.roster import load_roster

    states = set(load_roster().states)
    codes = {code for path in PACKAGE.glob("*.py")
             for code in re.findall(r"""["']([A-Z]{3})["']""", path.read_text())}
    assert codes & states <= {"ISL"}, codes & states
