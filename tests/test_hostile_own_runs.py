"""Issue 21, class 4: only the folder's own runs count.

A part is one of the folder's only if every run in it is a run of the manifest's design:
its id, point, replication, seed and inputs. Copied-in parts (another base seed with the same
run ids, run ids the design lacks, a null run id) and files that are not parts are refused
by every reader in one line, and set aside into damaged/ by `--resume` (never over an
earlier copy), which runs their runs again; after it `pandas.read_parquet(DIR / "runs")`
and wargame read the same rows, and the data equal those of an untouched sweep.
"""

from __future__ import annotations

import shutil

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hostile_helpers import copy_of, finished_folder, in_process

import wargame
from wargame.viz.launch import from_sweep


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    return finished_folder(tmp_path_factory)


@pytest.fixture(scope="module")
def other_seed(tmp_path_factory):
    """The same design with another base seed: the same run ids, other runs."""
    return finished_folder(tmp_path_factory, seed=8, name="other")


def runs_of(folder):
    return pd.read_parquet(folder / "runs").sort_values("run_id").reset_index(drop=True)


def resumed_to_reference(sweep, out, ref) -> str:
    status, _, err = in_process("sweep", str(sweep), "--out", str(out), "--resume", "--quiet",
                                "--workers", "1")
    assert status == 0, err
    pd.testing.assert_frame_equal(runs_of(out), runs_of(ref))
    data = wargame.load_sweep(out)
    assert len(data.runs) == len(pd.read_parquet(out / "runs"))  # pandas and wargame agree
    return err


def refused_by_readers(out, *words):
    for command in (("plot", "response", str(out)), ("export", str(out))):
        status, _, err = in_process(*command)
        assert status == 2 and err.count("\n") == 1, (command, err)
        for word in words:
            assert word in err, (command, err)
    with pytest.raises(wargame.WargameError):
        wargame.load_sweep(out)


def test_a_part_of_a_sweep_with_another_base_seed_is_refused_then_set_aside(
        tmp_path, finished, other_seed):
    sweep, ref = finished
    _, other = other_seed
    out = copy_of(ref, tmp_path)
    mine = sorted((out / "runs").glob("part-*.parquet"))[0]
    theirs = sorted((other / "runs").glob("part-*.parquet"))[0]
    first = pq.read_table(theirs).column("run_id")[0].as_py()
    shutil.copy(theirs, out / "runs" / theirs.name)
    for name in ("states", "steps"):
        shutil.copy(other / name / theirs.name, out / name / theirs.name)
    for name in ("runs", "states", "steps"):  # and its runs removed from ours
        (out / name / mine.name).unlink()
    refused_by_readers(out, "not a part of this sweep", "seed")
    err = resumed_to_reference(sweep, out, ref)
    assert "seed" in err and (out / "damaged" / theirs.stem / "runs.parquet").exists()
    assert first is not None


def test_viz_refuses_to_open_a_run_that_is_not_the_sweeps(tmp_path, finished, other_seed):
    _, ref = finished
    _, other = other_seed
    out = copy_of(ref, tmp_path)
    for part in (out / "runs").glob("part-*.parquet"):
        part.unlink()
    for part in (other / "runs").glob("part-*.parquet"):
        shutil.copy(part, out / "runs" / part.name)
    with pytest.raises(wargame.WargameError, match="--run 0: not a run of the sweep"):
        from_sweep(out, 0)


def test_a_part_with_run_ids_the_design_lacks_is_refused_then_set_aside(tmp_path, finished):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    table = pq.read_table(part)
    shifted = table.set_column(0, "run_id", pa.array([i + 20 for i in
                                                       table.column("run_id").to_pylist()]))
    pq.write_table(shifted, out / "runs" / "part-extra.parquet")
    refused_by_readers(out, "part-extra.parquet", "outside 0..19")
    resumed_to_reference(sweep, out, ref)


def test_a_part_with_a_null_run_id_is_set_aside_not_a_reason_to_stop(tmp_path, finished):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    table = pq.read_table(part)
    ids = table.column("run_id").to_pylist()
    nulled = table.set_column(0, "run_id", pa.array([None, *ids[1:]], pa.int64()))
    pq.write_table(nulled, part)
    refused_by_readers(out, "null run_id")
    err = resumed_to_reference(sweep, out, ref)
    assert "null run_id" in err


def test_a_part_whose_inputs_differ_from_the_design_is_refused(tmp_path, finished):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    table = pq.read_table(part)
    column = table.schema.get_field_index("eu_financing")
    changed = table.set_column(column, "eu_financing",
                               pa.array([0.99] * table.num_rows, pa.float64()))
    pq.write_table(changed, part)
    refused_by_readers(out, "eu_financing")
    resumed_to_reference(sweep, out, ref)


@pytest.mark.parametrize("stray", ["runs/backup.parquet", "states/old.parquet",
                                   "runs/notes.txt", "steps/sub/part-x.parquet"])
def test_a_stray_file_is_refused_by_readers_and_set_aside_by_resume(tmp_path, finished, stray):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    path = out / stray
    path.parent.mkdir(exist_ok=True)
    source = sorted((out / stray.split("/")[0]).glob("part-*.parquet"))[0]
    shutil.copy(source, path)
    refused_by_readers(out, "not a part of this sweep")
    err = resumed_to_reference(sweep, out, ref)
    assert "not parts of this sweep" in err
    kept = list((out / "damaged").rglob(path.name))
    assert kept, "the stray was deleted, not set aside"


def test_a_part_set_aside_twice_keeps_both_copies(tmp_path, finished):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    part = sorted((out / "runs").glob("part-*.parquet"))[0]
    for garbage in (b"first", b"second"):
        part.write_bytes(garbage)
        status, _, err = in_process("sweep", str(sweep), "--out", str(out), "--resume",
                                    "--quiet", "--workers", "1")
        assert status == 0, err
        for name in ("runs", "states", "steps"):  # the rerun wrote new parts: drop them
            for new in (out / name).glob("part-*.parquet"):
                if new.stem not in {p.stem for p in (ref / name).glob("part-*.parquet")}:
                    new.unlink()
        shutil.copy(ref / "runs" / part.name, part)
        for name in ("states", "steps"):
            shutil.copy(ref / name / part.name, out / name / part.name)
    copies = sorted(p.read_bytes() for p in (out / "damaged").rglob("runs.parquet"))
    assert copies == [b"first", b"second"]


def test_damaged_as_a_file_is_named(tmp_path, finished):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    (out / "damaged").write_text("not a folder")
    sorted((out / "runs").glob("part-*.parquet"))[0].write_bytes(b"garbage")
    status, _, err = in_process("sweep", str(sweep), "--out", str(out), "--resume", "--quiet",
                                "--workers", "1")
    assert status == 2 and err.count("\n") == 1, err
    assert f"{out / 'damaged'}: is a file" in err, err
