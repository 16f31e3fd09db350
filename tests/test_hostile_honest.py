"""Issue 21, class 5: honest outputs.

An export or citation of a folder that holds fewer runs than its design says so; an
exporter never replaces a file it did not write (nor one changed since); a stop while
`sweep --plots` draws its figures says that the runs are complete, and `--resume` then
draws them.
"""

from __future__ import annotations

import json
import signal
import time

import pytest
from hostile_helpers import copy_of, finished_folder, grid_file, in_process, start_group, stop_group

from wargame.sweep.manifest import citation


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    return finished_folder(tmp_path_factory)


def incomplete(ref, into):
    """A copy of a 20-run folder with its first batch (5 runs) gone, as a stop leaves it."""
    out = copy_of(ref, into)
    stem = sorted((out / "runs").glob("part-*.parquet"))[0].stem
    for name in ("runs", "states", "steps"):
        (out / name / f"{stem}.parquet").unlink()
    manifest = json.loads((out / "manifest.json").read_text())
    manifest.update(status="incomplete", completed_runs=15)
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


@pytest.mark.parametrize("to", ["csv", "xlsx"])
def test_the_export_of_an_incomplete_folder_says_so(tmp_path, finished, to):
    _, ref = finished
    out = incomplete(ref, tmp_path)
    status, _, err = in_process("export", str(out), "--to", to)
    assert status == 0, err
    if to == "csv":
        text = (out / "export" / "CITATION.txt").read_text()
    else:
        import openpyxl

        sheet = openpyxl.load_workbook(out / "export" / f"{out.name}.xlsx")["about"]
        text = "\n".join(str(row[0].value) for row in sheet.iter_rows())
    assert "incomplete (15 of 20 runs)" in text, text
    assert " 20 runs," not in text


def test_a_folder_whose_manifest_claims_more_runs_than_it_holds_is_cited_by_its_rows(
        tmp_path, finished):
    _, ref = finished
    out = incomplete(ref, tmp_path)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest.update(status="complete", completed_runs=20)  # a stale or edited manifest
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert in_process("export", str(out))[0] == 0
    assert "incomplete (15 of 20 runs)" in (out / "export" / "CITATION.txt").read_text()


def test_the_citation_of_a_stopped_sweep_is_incomplete():
    manifest = {"total_runs": 40, "completed_runs": 35, "sweep": "x", "spec_sha256": "ab"}
    assert "incomplete (35 of 40 runs)" in citation(manifest)
    assert "40 runs," in citation({**manifest, "completed_runs": 40})


def test_an_export_never_replaces_a_file_it_did_not_write(tmp_path, finished):
    _, ref = finished
    out = copy_of(ref, tmp_path)
    mine = tmp_path / "books" / f"{out.name}.xlsx"  # the name the export would write
    mine.parent.mkdir()
    mine.write_text("the analyst's own workbook")
    status, _, err = in_process("export", str(out), "--to", "xlsx", "--out", str(mine.parent))
    assert status == 2 and err.count("\n") == 1 and mine.name in err, err
    assert mine.read_text() == "the analyst's own workbook"
    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "runs.csv").write_text("a,b\n1,2\n")
    status, _, err = in_process("export", str(out), "--out", str(theirs))
    assert status == 2 and "runs.csv" in err, err
    assert (theirs / "runs.csv").read_text() == "a,b\n1,2\n"


def test_an_export_replaces_its_own_files_but_not_once_they_are_edited(tmp_path, finished):
    _, ref = finished
    out = copy_of(ref, tmp_path)
    for _ in range(2):  # exporting again replaces the earlier export
        status, _, err = in_process("export", str(out))
        assert status == 0, err
        status, _, err = in_process("export", str(out), "--to", "xlsx")
        assert status == 0, err
    edited = out / "export" / "runs.csv"
    edited.write_text(edited.read_text() + "my note\n")
    status, _, err = in_process("export", str(out))
    assert status == 2 and "runs.csv" in err and "changed since" in err, err
    assert edited.read_text().endswith("my note\n")


@pytest.mark.slow  # a real sweep stopped while it draws, then resumed (~15 s)
def test_a_stop_while_figures_are_drawn_says_the_runs_are_complete_and_resume_draws(tmp_path):
    sweep = grid_file(tmp_path, reps=5, days=30)
    out = tmp_path / "out"
    process = start_group("sweep", str(sweep), "--out", str(out), "--workers", "1", "--quiet",
                          "--plots")
    deadline = time.monotonic() + 120
    while not (out / "plots").exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    _, stderr = stop_group(process, signal.SIGTERM, 30)
    assert process.returncode == 143, stderr
    assert stderr.count("\n") == 1 and "while drawing the figures" in stderr, stderr
    assert "all 20 runs are in" in stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["plots"] == "to draw"
    status, stdout, err = in_process("sweep", str(sweep), "--out", str(out), "--resume",
                                     "--workers", "1", "--quiet")
    assert status == 0, err
    assert (out / "plots" / "index.html").exists()
    assert json.loads((out / "manifest.json").read_text())["plots"] == "drawn"
