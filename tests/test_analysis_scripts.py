"""The scripts in analysis/ run as a user runs them, on small real sweeps, and say true things.

Each is run in a subprocess with few replications (seconds each); what it prints is
checked against the result folder it wrote.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import REPO

import wargame
from wargame.calibration.report import fmt
from wargame.calibration.simulate import measure
from wargame.calibration.targets import load_spec
from wargame.ceasefires import fitted_ceasefire_rate, likelihood_interval, reference_wars
from wargame.figures.load import load_results
from wargame.inputs import INPUTS


def script(name: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "analysis" / name), *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "reaches outside the figure" not in done.stderr, done.stderr  # wargame's layout check
    return done.stdout


@pytest.mark.slow
def test_us_commitment_phase_prints_each_cell_and_draws_the_diagram(tmp_path):
    out = tmp_path / "phase"
    text = script("us_commitment_phase.py", str(out), "--replications", "3")
    results = load_results(out)
    assert len(results.runs) == 5 * 3 * 3 * 3
    assert (out / "plots" / "phase.png").stat().st_size > 5_000
    runs = results.runs
    cell = runs[(runs.governance == "art427_only") & (runs.us_commitment == 0.0)
                & (runs.command_integration == 0.2)]
    share = (cell["outcome"] == "defeated").mean()
    line = next(row for row in text.splitlines() if row.startswith("art427_only"))
    assert line.split()[2] == f"{share:.2f}"  # the first cell of that row: us = 0


@pytest.mark.slow
def test_regime_comparison_compares_each_regime_with_today(tmp_path):
    out = tmp_path / "regimes"
    text = script("regime_comparison.py", str(out), "--replications", "20")
    runs = load_results(out).runs
    assert sorted(runs["governance"].unique()) == ["art427_only", "eu_led_nato", "nato_us_led"]
    assert (runs["us_commitment"] == 0.2).all()
    lines = [row for row in text.splitlines() if "day of first forces" in row]
    assert len(lines) == 3 and lines[0].startswith("NATO, US-led (today)")
    assert "P(defeated)" not in lines[0] and all("P(defeated)" in row for row in lines[1:])
    today = runs[runs.governance == "nato_us_led"]["day_first_forces"].dropna()
    assert f"{today.mean():5.1f}" in lines[0]
    assert (out / "plots" / "regime_comparison.png").stat().st_size > 5_000


@pytest.mark.slow
@pytest.mark.parametrize("existing", [False, True])
def test_burden_table_from_a_new_or_an_existing_sweep(tmp_path, existing):
    first = tmp_path / "burden"
    text = script("burden_table.py", str(first), "--replications", "4")
    out = first
    if existing:  # a second table from the first sweep's folder, without running again
        out = tmp_path / "again"
        text = script("burden_table.py", str(out), "--results", str(first))
        assert not (out / "runs").exists()
    table = pd.read_csv(out / "burden_table.csv")
    assert set(table["eu_financing"]) == {0.0, 0.75}
    for _, part in table.groupby("eu_financing"):
        assert part["gdp_share"].sum() == pytest.approx(1.0)
    largest = table[table.eu_financing == 0.0].nlargest(1, "burden_share").iloc[0]
    assert f"{largest['name'][:16]:<16} {largest['gdp_share']:6.1%}" in text


def test_readme_numbers_reports_each_section_from_its_runs(tmp_path):
    out = tmp_path / "numbers"
    text = script("readme_numbers.py", str(out), "--seeds", "5", "--skip-screening",
                  "--workers", "1")
    assert (out / "readme_numbers.md").read_text().strip() in text
    sections = text.split("\n## ")[1:]
    assert [s.split("\n")[0] for s in sections] == [
        "1. Headline (Baltic)", "1b. Headline over the calibration's posterior",
        "1c. What each outcome costs (Baltic headline)",
        "2. Poland: EU financing at u = 0, today's NATO",
        "3. EU-led NATO: share of US commitment reaching the theatre",
        "4. Art. 42.7 with an integrated command", "5. Reform, then the crisis"]
    headline, posterior, costs, poland, channel, command, reform = sections
    # 1: the sweep's cell, and seeds 0-4 as `wargame run baltic --seed S` gives them
    runs = load_results(out / "headline-5").runs
    cell = runs[(runs.governance == "art427_only") & (runs.us_commitment == 1.0)
                & (runs.eu_financing == 0.0)]
    lost = sum(wargame.run("baltic", seed=s, governance="art427_only", us_commitment=1.0,
                           eu_financing=0.0).outcome == "defeated" for s in range(5))
    row = next(r for r in headline.splitlines() if r.startswith("| art427_only | 1 |"))
    assert f"({(cell.outcome == 'defeated').sum()} of 5) |" in row
    assert row.endswith(f"({lost} of 5) |")
    assert f"- defeats: {(runs.outcome == 'defeated').sum()} of 300 runs" in headline
    assert re.search(r"eu_financing 0\.75 - 0, paired .*: [+-]\d+\.\d\d points", headline)
    # 1b: the same cell over the posterior, from its folder, whose runs carry the draws
    drawn = load_results(out / "headline-posterior-5").runs
    assert drawn.groupby("replication")["resolve_scale"].nunique().eq(1).all()
    assert drawn["resolve_scale"].nunique() > 1  # five draws, not the point five times
    cell = drawn[(drawn.governance == "art427_only") & (drawn.us_commitment == 1.0)
                 & (drawn.eu_financing == 0.0)]
    row = next(r for r in posterior.splitlines() if r.startswith("| art427_only | 1 |"))
    assert row.split(" | ")[3].startswith(f"{(cell.outcome == 'defeated').mean():.0%} [")
    assert len(re.findall(r"- (at the point|over the posterior): [+-]\d+\.\d points",
                          posterior)) == 2
    # 1c: a regime's mean troops lost per run in its defeats, from the same folder
    defeats = runs[(runs.governance == "nato_us_led") & (runs.outcome == "defeated")]
    blocks: dict[str, list[str]] = {}
    for line in costs.splitlines():
        if line.startswith("- "):
            blocks[line[2:].split(" ")[0]] = []
        elif line.startswith("  - "):
            blocks[list(blocks)[-1]].append(line)
    if len(defeats):
        victim = next(line for line in blocks["defeated"] if "attacked state" in line)
        assert victim.split(": ", 1)[1].startswith(f"{defeats.victim_losses.mean():,.0f} [")
    # 2-4: a paired difference, a share per channel level, a count of matching seeds
    assert len(re.findall(r"difference 1 - 0 [+-]\d+\.\d points \[", poland)) == 2
    assert re.search(r"us_channel_cooperation 0\.25: \d+% \[\d+%, \d+%\] \(\d of 5\)",
                     channel)
    assert re.search(r"same outcome in \d of 5 seeds", command)
    # 5: the runs where each package is adopted, counted from the folder
    runs = load_results(out / "reform-5").runs
    for treaty, part in zip((False, True), reform.split("- treaty package"), strict=True):
        arm = runs[(runs.governance == "reform") & (runs.treaty_change == treaty)]
        adopted = int((arm.reform_outcome == "adopted").sum())
        assert f"the {adopted} runs where it is adopted" in part
    assert "Screening" not in text


def test_scripts_are_not_part_of_the_package():
    assert not (REPO / "analysis" / "__init__.py").exists()
    sources = "".join(p.read_text() for p in (REPO / "wargame").rglob("*.py"))
    assert "import analysis" not in sources and "from analysis" not in sources
    assert len(list((REPO / "analysis").glob("*.py"))) >= 3


@pytest.mark.slow
def test_out_of_sample_draws_o1_and_o2_from_a_validation_folder(tmp_path):
    out = tmp_path / "validation"
    wargame_command = str(Path(sys.executable).parent / "wargame")
    # The Baltic grid alone gives both: O1 reads a Russian attack, O2 every grid's
    # Art. 42.7-only cells (a second scenario doubled the test's two minutes).
    done = subprocess.run([wargame_command, "validate", "--quick", "--check",
                           "O1", "O2", "--scenario", "baltic", "--out", str(out),
                           "--workers", "1", "-q"], capture_output=True, text=True,
                          timeout=300, cwd=REPO)
    assert done.returncode == 0, done.stderr
    text = script("out_of_sample.py", str(out))
    reported = {c["id"]: c["findings"][0] for c in
                json.loads((out / "validation.json").read_text())["checks"]}
    assert f"O1: Spearman's rho {reported['O1']['value']:+.2f}" in text
    assert f"O2: AUC {reported['O2']['value']:.2f}" in text
    assert (out / "plots" / "out_of_sample.png").stat().st_size > 5_000
    table = pd.read_csv(out / "out_of_sample.csv")
    assert set(table["record"]) == {"ukraine", "france_2015"}
    assert "EST" not in set(table.loc[table["record"] == "ukraine", "iso3"])  # the victim


@pytest.mark.parametrize("content", ["no validation", "broken json", "no russian grid"])
def test_out_of_sample_on_a_folder_it_cannot_read_is_one_line(tmp_path, content):
    if content == "broken json":
        (tmp_path / "validation.json").write_text("{")
    elif content == "no russian grid":  # a validation of Cyprus alone: nothing for O1
        (tmp_path / "validation.json").write_text(json.dumps(
            {"scenarios": {"cyprus": {"ref": "cyprus", "inputs": {"adversary": "expeditionary"}}}}))
        (tmp_path / "sweeps" / "levers-cyprus").mkdir(parents=True)
    done = subprocess.run([sys.executable, str(REPO / "analysis" / "out_of_sample.py"),
                           str(tmp_path)], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().startswith("out_of_sample.py: error:")
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr


def test_ceasefire_evidence_prints_the_fit_that_the_registry_checks_against():
    text = script("ceasefire_evidence.py")
    wars = reference_wars()
    low, high = likelihood_interval(wars)
    assert (f"maximum-likelihood mean daily rate: {fitted_ceasefire_rate(wars):.3f} "
            f"(95% likelihood-ratio interval {low:.3f}-{high:.2f})") in text
    assert all(war.name in text for war in wars)
    assert "registry default 0.05 (inside the interval" in text


def test_calibration_fit_reruns_every_target_at_the_shipped_point_with_its_seeds():
    text = script("calibration_fit.py", "--draws", "1", "--batches", "1", "--workers", "1")
    spec = load_spec()
    best = {p.name: INPUTS[p.name].default for p in spec.parameters}
    rows = {line.split("|")[1].strip(" `"): line.split("|")
            for line in text.splitlines() if line.startswith("| `")}
    assert set(rows) == {t.name for t in spec.targets}
    # the best point's batch 0 runs the calibration's own seeds (seed 1, key "best point")
    for target in spec.targets[:2]:
        value = measure((target,), best, 1, ("best point", 0))[target.name]
        assert rows[target.name][5].strip() == f"{fmt(value)} [{fmt(value)}, {fmt(value)}]"


def test_calibration_fit_refuses_a_count_below_one_in_one_line():
    done = subprocess.run([sys.executable, str(REPO / "analysis" / "calibration_fit.py"),
                           "--draws", "0"], capture_output=True, text=True, timeout=60,
                          cwd=REPO)
    assert done.returncode == 2
    assert done.stderr.strip() == ("calibration_fit.py: error: --draws, --batches and "
                                   "--workers must be at least 1")
