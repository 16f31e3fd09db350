"""`wargame export`: a result folder as CSV files or an Excel workbook, nothing half-written."""

from __future__ import annotations

import os
import subprocess

import openpyxl
import pandas as pd
import pytest
from conftest import REPO, run_main

from wargame import export
from wargame.figures.load import load_results
from wargame.sweep.api import sweep

SPEC = {"scenario": "cyprus", "replications": 3, "base_seed": 7, "days": 40, "keep_series": True,
        "design": {"kind": "grid", "levels": {"us_commitment": [0.0, 1.0],
                                              "governance": ["nato_us_led", "art427_only"]}}}


def wargame(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """The command line through `main()` in this process (tests/conftest.py)."""
    return run_main(*args, cwd=cwd or REPO)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("export") / "sweep"
    sweep(SPEC, path)
    return path


def test_csv_holds_the_rows_the_figures_read_with_a_data_dictionary(folder, tmp_path):
    result = wargame("export", str(folder), "--out", str(tmp_path / "csv"))
    assert result.returncode == 0, result.stderr
    results = load_results(folder)
    runs = pd.read_csv(tmp_path / "csv" / "runs.csv")
    assert len(runs) == len(results.runs) == 12
    assert runs["outcome"].tolist() == results.runs["outcome"].tolist()
    assert runs["territory_lost"].to_numpy() == pytest.approx(results.runs["territory_lost"])
    assert len(pd.read_csv(tmp_path / "csv" / "states.csv")) == len(results.states)
    assert len(pd.read_csv(tmp_path / "csv" / "steps.csv")) == len(results.steps)
    inputs = pd.read_csv(tmp_path / "csv" / "inputs.csv").set_index("name")
    assert inputs.loc["us_commitment", "swept"]
    assert inputs.loc["us_commitment", "value"] == "swept: 0.0, 1.0"
    assert inputs.loc["target", "value"] == "CYP"
    columns = pd.read_csv(tmp_path / "csv" / "columns.csv")
    described = columns.dropna(subset=["label"])
    assert set(columns["table"]) == {"runs", "states", "steps", "inputs"}
    # Every column of the data tables has a meaning (inputs is self-describing).
    data = columns[columns["table"] != "inputs"]
    assert data["label"].notna().all(), data[data["label"].isna()]
    assert described.set_index(["table", "column"]).loc[("runs", "territory_lost"), "unit"]
    citation = (tmp_path / "csv" / "CITATION.txt").read_text()
    assert "spec sha256:" in citation
    assert oct(os.stat(tmp_path / "csv" / "runs.csv").st_mode & 0o044) == oct(0o044)


def test_xlsx_has_an_about_sheet_and_continues_long_tables(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(export, "EXCEL_ROWS", 100)  # Excel's limit, scaled to this sweep
    target = tmp_path / "book.xlsx"
    export.write_xlsx(export.read_folder(folder), target)
    book = openpyxl.load_workbook(target, read_only=True)
    states = len(load_results(folder).states)
    continued = [name for name in book.sheetnames if name.startswith("states")]
    assert book.sheetnames[:2] == ["about", "runs"]
    assert len(continued) == -(-states // 100)
    assert sum(book[name].max_row - 1 for name in continued) == states
    assert "spec sha256:" in str(next(book["about"].iter_rows(min_row=2, values_only=True))[0])


def test_a_run_folder_exports_too(tmp_path):
    assert wargame("run", "cyprus", "--seed", "3", "--out", str(tmp_path / "run")).returncode == 0
    result = wargame("export", str(tmp_path / "run"), "--to", "xlsx")
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "run" / "export" / "run.xlsx", read_only=True)
    assert {"about", "runs", "states", "steps", "inputs", "columns"} <= set(book.sheetnames)


def test_an_unwritable_target_is_one_line_and_leaves_nothing(folder, tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    for to in ("xlsx", "csv"):  # --out names a folder for both formats
        out = tmp_path / "afile"
        result = wargame("export", str(folder), "--to", to, "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]
    assert (tmp_path / "afile").read_text() == "not a folder"


def test_a_damaged_folder_is_named_in_one_line(folder, tmp_path):
    damaged = tmp_path / "damaged"
    subprocess.run(["cp", "-r", str(folder), str(damaged)], check=True)
    part = next((damaged / "runs").glob("part-*.parquet"))
    os.truncate(part, 200)
    result = wargame("export", str(damaged))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and part.name in result.stderr


def _column(book: openpyxl.Workbook, sheet: str, name: str) -> list:
    rows = list(book[sheet].iter_rows(values_only=True))
    where = rows[0].index(name)
    return [row[where] for row in rows[1:]]


def test_seeds_keep_every_digit_in_csv_and_excel(folder, tmp_path):
    """The dictionary says the seed reruns a run: Excel keeps 15 digits, so a 63-bit seed
    (1894144045239022286 became 1894144045239020000 as a float) is text there."""
    seed = 1894144045239022286
    assert seed > 2**53 and float(seed) != seed
    run = tmp_path / "run"
    assert wargame("run", "baltic", "--seed", str(seed), "--days", "5", "--out",
                   str(run)).returncode == 0
    for source, seeds in ((run, [seed]), (folder, load_results(folder).runs["seed"].tolist())):
        assert max(seeds) > 2**53  # the sweep's seeds are 63-bit too
        book_path = tmp_path / "books" / f"{source.name}.xlsx"  # --out names the folder
        assert wargame("export", str(source), "--to", "xlsx", "--out",
                       str(book_path.parent)).returncode == 0
        book = openpyxl.load_workbook(book_path, read_only=True)
        assert [int(s) for s in _column(book, "runs", "seed")] == seeds
        assert all(isinstance(s, str) for s in _column(book, "runs", "seed"))
        assert all(isinstance(d, int) for d in _column(book, "runs", "max_days"))  # numbers
        out = tmp_path / f"{source.name}-csv"
        assert wargame("export", str(source), "--out", str(out)).returncode == 0
        written = pd.read_csv(out / "runs.csv", dtype={"seed": str})["seed"]
        assert [int(s) for s in written] == seeds


def test_a_seed_null_in_some_runs_is_written_as_a_whole_number(tmp_path):
    """The negotiation's seed is null in the runs without it: pandas reads the column as
    float; the export writes it as the integer it is, in CSV and in Excel."""
    mixed = tmp_path / "mixed"
    sweep({"scenario": "baltic", "replications": 1, "base_seed": 3, "days": 5,
           "design": {"kind": "grid", "levels": {"governance": ["nato_us_led", "reform"]}}},
          mixed)
    runs = load_results(mixed).runs
    assert runs["reform_seed"].dtype == "float64" and runs["reform_seed"].isna().sum() == 1
    reform_seed = int(runs["reform_seed"].dropna().iloc[0])
    assert wargame("export", str(mixed), "--out", str(tmp_path / "csv")).returncode == 0
    column = (tmp_path / "csv" / "runs.csv").read_text().splitlines()
    header = column[0].split(",").index("reform_seed")
    assert [line.split(",")[header] for line in column[1:]] == ["", str(reform_seed)]
    assert wargame("export", str(mixed), "--to", "xlsx", "--out",
                   str(tmp_path / "book")).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "book" / "mixed.xlsx", read_only=True)
    assert [int(s) for s in _column(book, "runs", "reform_seed") if s] == [reform_seed]
