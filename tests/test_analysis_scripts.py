"""The scripts in analysis/ run as a user runs them, on small real sweeps, and say true things.

Each is run in a subprocess with few replications (seconds each); what it prints is
checked against the result folder it wrote.
"""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest
from conftest import REPO

from wargame.figures.load import load_results


def script(name: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(REPO / "analysis" / name), *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO)
    assert done.returncode == 0, done.stderr
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


def test_scripts_are_not_part_of_the_package():
    assert not (REPO / "analysis" / "__init__.py").exists()
    sources = "".join(p.read_text() for p in (REPO / "wargame").rglob("*.py"))
    assert "import analysis" not in sources and "from analysis" not in sources
    assert len(list((REPO / "analysis").glob("*.py"))) >= 3
