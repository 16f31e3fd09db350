"""Issue 21, class 3: every reader validates what it reads.

A manifest, a run's summary or a configuration file may be a FIFO, a device, nested a
hundred thousand deep, or hold the wrong type in any field. Every reader (plot, compare,
export, viz --sweep, load_sweep, resume) must refuse it in one line with exit 2 (the API:
WargameError), never hang, never a traceback. FIFO cases run in a subprocess with a
timeout (a hang in this process would hang the suite); the rest run in-process.
"""

from __future__ import annotations

import json
import os
import stat

import pytest
from conftest import run_cli
from hostile_helpers import copy_of, finished_folder, in_process

import wargame
from wargame.errors import WargameError
from wargame.viz.launch import from_sweep

#: A damaged manifest: (name, how to change the good one).
MANIFEST_DAMAGE = {
    "swept-null": lambda m: m.update(swept=None),
    "swept-number": lambda m: m.update(swept=5),
    "swept-names-a-list": lambda m: m.update(swept=[["us_commitment"]]),
    "points-number": lambda m: m.update(points=5),
    "point-not-object": lambda m: m["points"].__setitem__(0, 7),
    "parameters-list": lambda m: m["points"][0].update(parameters=[1]),
    "parameter-value-object": lambda m: m["points"][0]["parameters"].update(
        us_commitment={"a": 1}),
    "problem-text": lambda m: m.update(problem="x"),
    "spec-base-number": lambda m: m.update(spec={**m["spec"], "base": 5}),
    "spec-text": lambda m: m.update(spec="x"),
    "design-unknown": lambda m: m.update(design="magic"),
    "replications-text": lambda m: m.update(replications="5"),
    "base-seed-huge": lambda m: m.update(base_seed=2**64),
    "total-runs-wrong": lambda m: m.update(total_runs=m["total_runs"] + 1),
    "point-ids-shuffled": lambda m: m["points"][0].update(point_id=3),
    "status-number": lambda m: m.update(status=1),
    "keep-series-text": lambda m: m.update(keep_series="yes"),
    "morris-without-problem": lambda m: m.update(design="morris"),
    "not-an-object": lambda m: None,
}
READERS = {
    "plot": lambda d: in_process("plot", "all", str(d)),
    "plot-sensitivity": lambda d: in_process("plot", "sensitivity", str(d)),
    "compare": lambda d: in_process("compare", str(d), str(d)),
    "export": lambda d: in_process("export", str(d)),
}


def viz_sweep(folder) -> tuple[int, str, str]:
    """What `wargame viz --sweep DIR --run 0` checks before it starts a server (the server
    itself, which replaces the process, is never reached here)."""
    try:
        from_sweep(folder, 0)
    except WargameError as exc:
        return 2, "", f"wargame: error: {exc}\n"
    return 0, "", ""


READERS["viz"] = viz_sweep


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    return finished_folder(tmp_path_factory)


def damaged_manifest(folder, change) -> None:
    path = folder / "manifest.json"
    manifest = json.loads(path.read_text())
    if change(manifest) is None and change is MANIFEST_DAMAGE["not-an-object"]:
        manifest = [manifest]
    path.write_text(json.dumps(manifest))


def one_line(status: int, err: str, *words: str) -> None:
    assert status == 2, (status, err)
    assert err.count("\n") == 1 and err.startswith("wargame: error: "), err
    for word in words:
        assert word in err, err


@pytest.mark.parametrize("damage", MANIFEST_DAMAGE)
def test_a_damaged_manifest_is_one_line_in_every_reader_and_resume(tmp_path, finished, damage):
    sweep, ref = finished
    out = copy_of(ref, tmp_path)
    damaged_manifest(out, MANIFEST_DAMAGE[damage])
    for reader, call in READERS.items():
        status, _, err = call(out)
        assert "Traceback" not in err, (reader, err)
        one_line(status, err, "manifest.json")
    with pytest.raises(WargameError, match="manifest.json"):
        wargame.load_sweep(out)
    status, _, err = in_process("sweep", str(sweep), "--out", str(out), "--resume", "--quiet",
                                "--workers", "1")
    one_line(status, err, "manifest.json")


def test_a_deeply_nested_manifest_is_one_line(tmp_path, finished):
    _, ref = finished
    out = copy_of(ref, tmp_path)
    (out / "manifest.json").write_text('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}")
    for call in READERS.values():
        one_line(*call(out)[::2], "nested")
    manifest = json.loads((ref / "manifest.json").read_text())
    manifest["extra"] = json.loads("[" * 200 + "]" * 200)  # parses, but deeper than any of ours
    (out / "manifest.json").write_text(json.dumps(manifest))
    one_line(*in_process("plot", "response", str(out))[::2], "nested")


def test_a_manifest_that_is_a_device_is_refused(tmp_path, finished):
    _, ref = finished
    out = copy_of(ref, tmp_path)
    (out / "manifest.json").unlink()
    try:
        os.mknod(out / "manifest.json", stat.S_IFCHR | 0o666, os.makedev(1, 5))  # /dev/zero
    except PermissionError:
        pytest.skip("cannot make a device node here")
    one_line(*in_process("plot", "response", str(out))[::2], "not a regular file")


@pytest.mark.parametrize("where", ["manifest", "scenario", "sweep"])
def test_a_fifo_is_refused_before_anything_waits_on_it(tmp_path, finished, where):
    _, ref = finished
    if where == "manifest":
        out = copy_of(ref, tmp_path)
        (out / "manifest.json").unlink()
        os.mkfifo(out / "manifest.json")
        done = run_cli("plot", "all", str(out), timeout=30)
    else:
        fifo = tmp_path / f"{where}.toml"
        os.mkfifo(fifo)
        command = ["run", str(fifo)] if where == "scenario" else ["sweep", str(fifo)]
        done = run_cli(*command, timeout=30)
    one_line(done.returncode, done.stderr, "not a regular file")


def test_a_huge_manifest_is_refused_without_reading_it(tmp_path, finished, monkeypatch):
    from wargame.sweep import folder as folder_module

    _, ref = finished
    out = copy_of(ref, tmp_path)
    monkeypatch.setattr(folder_module, "MAX_MANIFEST_BYTES", 1000)
    one_line(*in_process("plot", "response", str(out))[::2], "larger than 1,000 bytes")


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "run"
    done = run_cli("run", "baltic", "--seed", "3", "--days", "10", "--out", str(out))
    assert done.returncode == 0, done.stderr
    return out


SUMMARY_DAMAGE = {
    "list": lambda s: [],
    "inputs-list": lambda s: {**s, "inputs": [1]},
    "outputs-text": lambda s: {**s, "outputs": "x"},
    "seed-text": lambda s: {**s, "seed": "3"},
    "no-inputs": lambda s: {k: v for k, v in s.items() if k != "inputs"},
    "input-value-list": lambda s: {**s, "inputs": {**s["inputs"], "target": ["EST"]}},
}


@pytest.mark.parametrize("damage", SUMMARY_DAMAGE)
def test_a_damaged_run_summary_is_one_line_in_export(tmp_path, run_folder, damage):
    out = copy_of(run_folder, tmp_path)
    summary = json.loads((out / "summary.json").read_text())
    (out / "summary.json").write_text(json.dumps(SUMMARY_DAMAGE[damage](summary)))
    one_line(*in_process("export", str(out))[::2], "summary.json")
