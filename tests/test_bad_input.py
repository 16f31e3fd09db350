"""The bad-input battery (issue 12): every case runs the command line's `main()` and must
end with exactly one line on stderr, the documented exit status and no traceback.

Cases run in this process (`run_main`: the same code end to end, without an interpreter
start-up per case); a handful (`IN_A_REAL_PROCESS`) run the real `wargame` in a subprocess,
where the exit status, the lock of another process and the interpreter's own stderr are
those a user sees.

Cases cover `run`, `sweep`, `plot`, `compare`, `reform` and `viz` (argument and folder checks only:
no case may reach a server), TOML files and damaged result folders. The folders are real:
one small sweep is written once, then copied and damaged per case (truncated, garbage
and foreign parts, deleted parts, duplicated run ids, cut-short manifests). Read-only and
full file systems are real tmpfs mounts; where mounting is not allowed (not root) those
cases are skipped. Exit statuses are those of docs/SWEEPS.md, "Exit status".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from conftest import run_cli, run_main

from wargame.sweep.design import design_points
from wargame.sweep.execute import run_sweep
from wargame.sweep.folder import FolderLock
from wargame.sweep.spec import load_sweep

BAD = 2  # bad input or a permanent problem: one line, nothing written

GRID = """
scenario = "baltic"
replications = 3
base_seed = 5
days = 20
keep_series = true
[design]
kind = "grid"
[design.levels]
us_commitment = [0.0, 1.0]
governance = ["nato_us_led", "art427_only"]
"""

HEAD = 'scenario = "baltic"\nreplications = 2\nbase_seed = 1\n'
LEVELS_100 = "[" + ", ".join(f"{i / 100:.2f}" for i in range(100)) + "]"

TOML_FILES = {
    "grid.toml": GRID,
    "malformed.toml": 'scenario = "baltic\n',
    "unknown.toml": 'description = "x"\nparameterz = 1\n',
    "lhs_huge.toml": HEAD + '[design]\nkind = "lhs"\nsamples = 1000000000\n'
                            "[design.ranges]\nus_commitment = [0.0, 1.0]\n",
    "sobol_huge.toml": HEAD + '[design]\nkind = "sobol"\nsamples = 1073741824\n'
                              "[design.ranges]\nus_commitment = [0.0, 1.0]\n"
                              "eu_financing = [0.0, 1.0]\n",
    "grid_huge.toml": HEAD + '[design]\nkind = "grid"\n[design.levels]\n'
                      + "".join(f"{name} = {LEVELS_100}\n" for name in (
                          "us_commitment", "eu_financing", "command_integration",
                          "non_eu_inclusion")),
    "reps_huge.toml": GRID.replace("replications = 3", "replications = 1000000000000"),
    "days_and_max_days.toml": GRID.replace("[design]", "[parameters]\nmax_days = 30\n[design]"),
    "days_and_swept_max_days.toml": GRID.replace("governance = [", "max_days = [10, 20]\n"
                                                 "governance = ["),
    "float_samples.toml": HEAD + '[design]\nkind = "lhs"\nsamples = 1e9\n'
                                 "[design.ranges]\nus_commitment = [0.0, 1.0]\n",
    "scenario_bad_value.toml": '[parameters]\nus_commitment = 7\n',
    "deep.toml": "a = " + "[" * 50_000 + "]" * 50_000 + "\n",
}


def _damage(folder: Path, name: str) -> None:
    """Turn a copy of the good folder into one kind of damaged folder."""
    runs = sorted((folder / "runs").glob("part-*.parquet"))
    states = sorted((folder / "states").glob("part-*.parquet"))
    steps = sorted((folder / "steps").glob("part-*.parquet"))
    if name == "truncated_runs":
        runs[0].write_bytes(runs[0].read_bytes()[:300])
    elif name == "garbage_runs":
        runs[0].write_bytes(b"PAR1" + b"\x00garbage" * 100)
    elif name == "foreign_runs":
        pd.DataFrame({"x": [1, 2, 3]}).to_parquet(folder / "runs" / "part-zzforeign.parquet")
    elif name == "garbage_states":
        states[0].write_bytes(b"not parquet at all")
    elif name == "garbage_steps":
        steps[-1].write_bytes(b"not parquet at all")
    elif name == "half_states":
        for part in states[: len(states) // 2]:
            part.unlink()
    elif name == "duplicated":
        shutil.copy(runs[0], folder / "runs" / "part-zzcopy.parquet")
    elif name == "manifest_truncated":
        path = folder / "manifest.json"
        path.write_bytes(path.read_bytes()[:200])
    elif name == "manifest_list":
        (folder / "manifest.json").write_text("[]\n")
    elif name == "no_manifest":
        (folder / "manifest.json").unlink()
    elif name == "manifest_without_spec":
        path = folder / "manifest.json"
        manifest = json.loads(path.read_text())
        del manifest["spec"], manifest["total_runs"]
        path.write_text(json.dumps(manifest))
    else:
        raise ValueError(name)


DAMAGES = ("truncated_runs", "garbage_runs", "foreign_runs", "garbage_states", "garbage_steps",
           "half_states", "duplicated", "manifest_truncated", "manifest_list", "no_manifest",
           "manifest_without_spec")


def _mount(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)],
                          capture_output=True, timeout=10)
    return done.returncode == 0


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Paths the cases refer to as {name}: TOML files, a good folder and damaged copies."""
    root = tmp_path_factory.mktemp("bad_input")
    paths: dict[str, str] = {"tmp": str(root)}
    for name, text in TOML_FILES.items():
        (root / name).write_text(text)
        paths[name.removesuffix(".toml")] = str(root / name)
    (root / "other").mkdir()  # the same sweep name, one value changed
    (root / "other" / "grid.toml").write_text(GRID.replace("replications = 3",
                                                           "replications = 4"))
    paths["other"] = str(root / "other" / "grid.toml")
    (root / "big.toml").write_text("# padding\n" * 200_000)  # 2 MB of comments
    paths["big"] = str(root / "big.toml")
    (root / "latin1.toml").write_bytes(b'description = "caf\xe9"\n')
    paths["latin1"] = str(root / "latin1.toml")
    (root / "afile").write_text("a file, not a folder\n")
    paths["afile"] = str(root / "afile")
    (root / "nonempty").mkdir()
    (root / "nonempty" / "x.txt").write_text("x")
    paths["nonempty"] = str(root / "nonempty")
    (root / "empty").mkdir()
    paths["empty"] = str(root / "empty")
    paths["nofolder"] = str(root / "no-such-folder")

    ok = root / "ok"
    spec = load_sweep(paths["grid"])
    result = run_sweep(spec, design_points(spec), ok, workers=1, chunk_size=1,
                       flush_seconds=0.0, progress=False)
    assert result.status == "complete" and len(list((ok / "runs").glob("part-*"))) == 12
    paths["ok"] = str(ok)
    for damage in DAMAGES:
        copy = root / damage
        shutil.copytree(ok, copy)
        _damage(copy, damage)
        paths[damage] = str(copy)
    locked = root / "locked"
    shutil.copytree(ok, locked)
    paths["locked"] = str(locked)

    mounts: list[Path] = []
    try:
        yield from _with_mounts(root, ok, locked, paths, mounts)
    finally:
        for mount in mounts:
            subprocess.run(["umount", "-l", str(mount)], timeout=10)


def _with_mounts(root: Path, ok: Path, locked: Path, paths: dict[str, str], mounts: list[Path]):
    if _mount(root / "ro", "size=4m"):
        mounts.append(root / "ro")
        shutil.copytree(ok, root / "ro" / "ok")
        subprocess.run(["mount", "-o", "remount,ro", str(root / "ro")], check=True, timeout=10)
        paths["ro"] = str(root / "ro")
    if _mount(root / "full", "size=64k"):
        mounts.append(root / "full")
        paths["full"] = str(root / "full")
        fd = os.open(root / "full" / "filler", os.O_WRONLY | os.O_CREAT)
        try:  # fill it up: every write there fails with ENOSPC from now on
            while os.write(fd, b"\0" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
    with FolderLock(locked):  # a real flock held by this process, as a running sweep would
        yield paths


# (id, arguments with {placeholders}, exit status, a fragment of the one line)
CASES = [
    # --- wargame run ------------------------------------------------------------------------
    ("run-unknown-scenario", ["run", "atlantis"], BAD, "unknown scenario 'atlantis'"),
    ("run-negative-seed", ["run", "baltic", "--seed", "-5"], BAD, "--seed"),
    ("run-text-seed", ["run", "baltic", "--seed", "x"], BAD, "invalid int value: 'x'"),
    ("run-huge-seed", ["run", "baltic", "--seed", str(2**64)], BAD, "--seed"),
    ("run-zero-days", ["run", "baltic", "--days", "0", "--out", "{tmp}/r1"], BAD, "max_days"),
    ("run-text-days", ["run", "baltic", "--days", "x"], BAD, "--days"),
    ("run-days-and-max-days", ["run", "baltic", "--days", "10", "--set", "max_days=20"], BAD,
     "--days 10 and --set max_days=20"),
    ("run-value-out-of-range", ["run", "baltic", "--set", "us_commitment=2"], BAD,
     "us_commitment"),
    ("run-unknown-parameter", ["run", "baltic", "--set", "nope=1"], BAD, "nope"),
    ("run-target-outside-the-map", ["run", "baltic", "--set", "target=CAN"], BAD,
     "outside the European outlines"),
    ("run-russian-march-across-others", ["run", "baltic", "--set", "target=IRL"], BAD,
     "no land border with Russia or Belarus"),
    ("run-landing-in-a-landlocked-state", ["run", "cyprus", "--set", "target=AUT"], BAD,
     "landlocked (landlocked.csv)"),
    ("run-party-not-a-state", ["run", "baltic", "--set", "parties=DUE"], BAD,
     "'DUE' is not the iso3 code of a state that may help"),
    ("run-parties-with-commas", ["run", "baltic", "--set", "parties=GBR,FRA"], BAD,
     "space-separated codes"),
    ("run-party-is-the-target", ["run", "baltic", "--set", "parties=EST"], BAD,
     "names the target 'EST'"),
    ("sweep-party-not-a-state", ["sweep", "{grid}", "--set", "parties=gbr",
                                 "--out", "{tmp}/s-party"], BAD, "'gbr' is not the iso3 code"),
    ("sweep-russian-march-across-others", ["sweep", "{grid}", "--set", "target=SWE",
                                           "--out", "{tmp}/s-swe"], BAD,
     "set adversary = 'expeditionary'"),
    ("sweep-posterior-unpaired", ["sweep", "{grid}", "--posterior", "--out", "{tmp}/s-post"],
     BAD, "posterior needs paired_seeds = true"),
    ("run-assignment-without-value", ["run", "baltic", "--set", "us_commitment"], BAD,
     "us_commitment"),
    ("run-empty-out", ["run", "baltic", "--out", ""], BAD, "empty name"),
    ("run-out-through-a-file", ["run", "baltic", "--out", "{afile}/sub"], BAD,
     "is a file, not a folder"),
    ("run-out-is-a-file", ["run", "baltic", "--out", "{afile}"], BAD, "is a file"),
    ("run-out-not-empty", ["run", "baltic", "--out", "{nonempty}"], BAD, "not empty"),
    ("run-dev-zero", ["run", "/dev/zero"], BAD, "not a regular file"),
    ("run-huge-toml", ["run", "{big}"], BAD, "larger than"),
    ("run-folder-as-toml", ["run", "{empty}"], BAD, "is a folder"),
    ("run-malformed-toml", ["run", "{malformed}"], BAD, "malformed TOML"),
    ("run-latin1-toml", ["run", "{latin1}"], BAD, "not a UTF-8"),
    ("run-unknown-key", ["run", "{unknown}"], BAD, "unknown key 'parameterz'"),
    ("run-scenario-bad-value", ["run", "{scenario_bad_value}"], BAD, "us_commitment = 7"),
    ("run-missing-toml", ["run", "{tmp}/missing.toml"], BAD, "file not found"),
    ("run-read-only-out", ["run", "baltic", "--seed", "1", "--out", "{ro}/r"], BAD,
     "cannot write"),
    ("run-full-disk", ["run", "baltic", "--seed", "1", "--out", "{full}/r"], BAD,
     "No space left"),
    ("run-no-scenario", ["run"], BAD, "scenario"),
    ("run-out-under-dev-null", ["run", "baltic", "--out", "/dev/null/x"], BAD, "is a file"),
    ("run-deeply-nested-toml", ["run", "{deep}"], BAD, "nested too deeply"),
    ("no-command", [], BAD, "command"),
    ("unknown-command", ["fly"], BAD, "fly"),
    ("unknown-option", ["run", "baltic", "--bogus"], BAD, "unrecognized arguments: --bogus"),
    # --- wargame sweep ----------------------------------------------------------------------
    ("sweep-missing-file", ["sweep", "{tmp}/nope.toml"], BAD, "file not found"),
    ("sweep-zero-workers", ["sweep", "{grid}", "--workers", "0"], BAD, "whole number >= 1"),
    ("sweep-text-workers", ["sweep", "{grid}", "--workers", "x"], BAD, "whole number"),
    ("sweep-resume-without-out", ["sweep", "{grid}", "--resume"], BAD, "--resume needs --out"),
    ("sweep-empty-out", ["sweep", "{grid}", "--out", ""], BAD, "empty name"),
    ("sweep-out-through-a-file", ["sweep", "{grid}", "--out", "{afile}/sub"], BAD,
     "is a file, not a folder"),
    ("sweep-out-is-a-file", ["sweep", "{grid}", "--out", "{afile}"], BAD, "is a file"),
    ("sweep-negative-flush", ["sweep", "{grid}", "--flush-seconds", "-1"], BAD, "finite"),
    ("sweep-nan-flush", ["sweep", "{grid}", "--flush-seconds", "nan"], BAD, "finite"),
    ("sweep-inf-flush", ["sweep", "{grid}", "--flush-seconds", "inf"], BAD, "finite"),
    ("sweep-text-flush", ["sweep", "{grid}", "--flush-seconds", "soon"], BAD, "seconds"),
    ("sweep-garbage-scheduler", ["sweep", "{grid}", "--scheduler", "garbage"], BAD,
     "scheduler address"),
    ("sweep-zero-chunk", ["sweep", "{grid}", "--chunk-size", "0"], BAD, "whole number >= 1"),
    ("sweep-above-max-runs", ["sweep", "{grid}", "--max-runs", "5", "--out", "{tmp}/s1"], BAD,
     "above the limit of 5"),
    ("sweep-lhs-1e9-samples", ["sweep", "{lhs_huge}", "--out", "{tmp}/s2"], BAD, "--max-runs"),
    ("sweep-sobol-2-30", ["sweep", "{sobol_huge}", "--out", "{tmp}/s3"], BAD, "--max-runs"),
    ("sweep-grid-1e8-points", ["sweep", "{grid_huge}", "--out", "{tmp}/s4"], BAD,
     "100,000,000 points"),
    ("sweep-1e12-replications", ["sweep", "{reps_huge}", "--out", "{tmp}/s5"], BAD,
     "--max-runs"),
    ("sweep-float-samples", ["sweep", "{float_samples}"], BAD, "expected an integer"),
    ("sweep-days-and-max-days", ["sweep", "{days_and_max_days}"], BAD,
     "days = 20 and [parameters] max_days = 30"),
    ("sweep-days-and-swept-max-days", ["sweep", "{days_and_swept_max_days}"], BAD,
     "[design] max_days"),
    ("sweep-existing-folder", ["sweep", "{grid}", "--out", "{ok}"], BAD, "already exists"),
    ("sweep-resume-other-spec", ["sweep", "{other}", "--out", "{ok}", "--resume"], BAD,
     "spec.replications: 3 in the folder, 4 now"),
    ("sweep-resume-no-folder", ["sweep", "{grid}", "--out", "{nofolder}", "--resume"], BAD,
     "no such result folder"),
    ("sweep-resume-manifest-list", ["sweep", "{grid}", "--out", "{manifest_list}", "--resume"],
     BAD, "not a manifest"),
    ("sweep-resume-manifest-truncated",
     ["sweep", "{grid}", "--out", "{manifest_truncated}", "--resume"], BAD, "unreadable"),
    ("sweep-resume-no-manifest", ["sweep", "{grid}", "--out", "{no_manifest}", "--resume"], BAD,
     "no manifest.json"),
    ("sweep-resume-locked", ["sweep", "{grid}", "--out", "{locked}", "--resume"], BAD,
     "another wargame process"),
    ("sweep-read-only-new", ["sweep", "{grid}", "--out", "{ro}/new"], BAD, "cannot write"),
    ("sweep-read-only-resume", ["sweep", "{grid}", "--out", "{ro}/ok", "--resume"], BAD,
     "Read-only"),
    ("sweep-dev-zero", ["sweep", "/dev/zero"], BAD, "not a regular file"),
    ("sweep-deeply-nested-toml", ["sweep", "{deep}"], BAD, "nested too deeply"),
    ("sweep-absurd-workers", ["sweep", "{grid}", "--workers", "99999999"], BAD,
     "would only exhaust memory"),
    ("sweep-out-dev-null", ["sweep", "{grid}", "--out", "/dev/null"], BAD, "is a file"),
    ("sweep-resume-manifest-without-spec",
     ["sweep", "{grid}", "--out", "{manifest_without_spec}", "--resume"], BAD,
     "spec: null in the folder"),
    ("sweep-malformed-toml", ["sweep", "{malformed}"], BAD, "malformed TOML"),
    ("sweep-unknown-name", ["sweep", "no-such-sweep"], BAD,
     "unknown sweep 'no-such-sweep'; known sweeps: assumptions"),
    # --- wargame plot -----------------------------------------------------------------------
    ("plot-no-folder", ["plot", "phase", "{nofolder}"], BAD, "no such result folder"),
    ("plot-unknown-kind", ["plot", "pie", "{ok}"], BAD, "invalid choice"),
    ("plot-categorical-x", ["plot", "phase", "{ok}", "--x", "governance"], BAD,
     "--x governance: takes named values"),
    ("plot-categorical-y", ["plot", "phase", "{ok}", "--y", "governance"], BAD,
     "--y governance: takes named values"),
    ("plot-not-swept", ["plot", "response", "{ok}", "--x", "attack_troops"], BAD,
     "'attack_troops' was not swept"),
    ("plot-same-axes", ["plot", "phase", "{ok}", "--x", "us_commitment", "--y",
                        "us_commitment"], BAD, "both us_commitment"),
    ("plot-option-not-taken", ["plot", "timecourse", "{ok}", "--x", "us_commitment"], BAD,
     "does not take --x"),
    ("plot-empty-folder", ["plot", "response", "{empty}"], BAD, "no manifest.json"),
    ("plot-unknown-format", ["plot", "response", "{ok}", "--format", "png,bmp"], BAD,
     "unknown format 'bmp'"),
    ("plot-empty-format", ["plot", "response", "{ok}", "--format", ","], BAD, "no format"),
    ("plot-dpi-zero", ["plot", "response", "{ok}", "--dpi", "0"], BAD, "50..1200"),
    ("plot-dpi-huge", ["plot", "response", "{ok}", "--dpi", "100000"], BAD, "50..1200"),
    ("plot-dpi-text", ["plot", "response", "{ok}", "--dpi", "high"], BAD,
     "whole number of dots per inch"),
    ("plot-truncated-runs", ["plot", "response", "{truncated_runs}"], BAD,
     "damaged Parquet part"),
    ("plot-garbage-runs", ["plot", "response", "{garbage_runs}"], BAD, "damaged Parquet part"),
    ("plot-foreign-runs", ["plot", "response", "{foreign_runs}"], BAD,
     "part-zzforeign.parquet: foreign Parquet part"),
    ("plot-garbage-states", ["plot", "burden", "{garbage_states}"], BAD, "damaged Parquet part"),
    ("plot-half-states", ["plot", "burden", "{half_states}"], BAD,
     "no per-state results for 6 of 12 runs"),
    ("plot-garbage-steps", ["plot", "timecourse", "{garbage_steps}"], BAD,
     "damaged Parquet part"),
    ("plot-duplicated-runs", ["plot", "response", "{duplicated}"], BAD,
     "appear more than once"),
    ("plot-manifest-truncated", ["plot", "response", "{manifest_truncated}"], BAD,
     "unreadable manifest"),
    ("plot-manifest-list", ["plot", "response", "{manifest_list}"], BAD, "not a manifest"),
    ("plot-empty-out", ["plot", "response", "{ok}", "--out", ""], BAD, "empty name"),
    ("plot-out-through-a-file", ["plot", "response", "{ok}", "--out", "{afile}/sub"], BAD,
     "is a file, not a folder"),
    ("plot-read-only-folder", ["plot", "response", "{ro}/ok"], BAD, "cannot write the figures"),
    ("plot-full-disk", ["plot", "response", "{ok}", "--out", "{full}/plots"], BAD,
     "cannot write the figures"),
    # --- wargame compare --------------------------------------------------------------------
    ("compare-no-folder", ["compare", "{ok}", "{nofolder}"], BAD, "no such result folder"),
    ("compare-truncated", ["compare", "{ok}", "{truncated_runs}"], BAD, "damaged Parquet part"),
    ("compare-duplicated", ["compare", "{duplicated}", "{ok}"], BAD, "appear more than once"),
    ("compare-foreign", ["compare", "{ok}", "{foreign_runs}"], BAD, "foreign"),
    ("compare-out-through-a-file", ["compare", "{ok}", "{ok}", "--out", "{afile}/sub"], BAD,
     "is a file, not a folder"),
    ("compare-one-folder", ["compare", "{ok}"], BAD, "DIR_B"),
    ("compare-read-only-out", ["compare", "{ok}", "{ro}/ok"], BAD, "cannot write the figures"),
    # --- wargame export and sweep --dry-run, -v/-q ----------------------------------------------
    ("export-missing-folder", ["export", "{tmp}/absent", "--to", "csv"], BAD,
     "no such result folder"),
    ("export-unknown-format", ["export", "{ok}", "--to", "pdf"], BAD, "expected one of csv, xlsx"),
    ("export-not-a-result-folder", ["export", "{tmp}", "--to", "csv"], BAD,
     "not a result folder"),
    ("export-out-through-a-file", ["export", "{ok}", "--to", "csv", "--out", "{afile}/sub"], BAD,
     "nothing was left half-written"),
    ("dry-run-into-a-full-folder", ["sweep", "{grid}", "--dry-run", "--out", "{ok}"], BAD,
     "already exists and is not empty"),
    ("dry-run-out-through-a-file", ["sweep", "{grid}", "--dry-run", "--out", "{afile}/sub"], BAD,
     "is a file"),
    ("verbose-and-quiet", ["run", "baltic", "-v", "-q"], BAD, "contradict"),
    # --- wargame reform -----------------------------------------------------------------------
    ("reform-zero-runs", ["reform", "--runs", "0"], BAD, "--runs 0 is not allowed"),
    ("reform-text-runs", ["reform", "--runs", "x"], BAD, "invalid int value: 'x'"),
    ("reform-negative-seed", ["reform", "--seed", "-1"], BAD, "--seed"),
    ("reform-unknown-input", ["reform", "--set", "nope=1"], BAD, "unknown reform input 'nope'"),
    ("reform-bad-grid", ["reform", "--grid", "bad"], BAD, "not of the form name=v1,v2"),
    ("reform-grid-out-of-range", ["reform", "--grid", "us_cut_ceiling=2,3"], BAD,
     "us_cut_ceiling = 2 is not allowed"),
    ("reform-out-through-a-file", ["reform", "--out", "{afile}/sub"], BAD, "afile"),
    # --- wargame viz (checks before the server; none of these may start one) ---------------
    ("viz-port-too-high", ["viz", "--port", "70000"], BAD, "0..65535"),
    ("viz-port-negative", ["viz", "--port", "-1"], BAD, "0..65535"),
    ("viz-port-text", ["viz", "--port", "http"], BAD, "port number"),
    ("viz-sweep-without-run", ["viz", "--sweep", "{ok}"], BAD, "go together"),
    ("viz-no-folder", ["viz", "--sweep", "{nofolder}", "--run", "1"], BAD, "no such folder"),
    ("viz-manifest-truncated", ["viz", "--sweep", "{manifest_truncated}", "--run", "1"], BAD,
     "unreadable manifest"),
    ("viz-truncated-runs", ["viz", "--sweep", "{truncated_runs}", "--run", "1"], BAD,
     "damaged Parquet part"),
    ("viz-foreign-runs", ["viz", "--sweep", "{foreign_runs}", "--run", "1"], BAD, "foreign"),
    ("viz-duplicated-runs", ["viz", "--sweep", "{duplicated}", "--run", "1"], BAD,
     "appear more than once"),
    ("viz-no-such-run", ["viz", "--sweep", "{ok}", "--run", "99999"], BAD, "no such run"),
    ("viz-unknown-scenario", ["viz", "atlantis"], BAD, "unknown scenario"),
    ("viz-negative-seed", ["viz", "--seed", "-1"], BAD, "--seed"),
    ("viz-bad-host", ["viz", "--host", "no such host!"], BAD, "not an address"),
    ("viz-sweep-and-seed", ["viz", "--sweep", "{ok}", "--run", "1", "--seed", "3"], BAD,
     "drop the scenario and --seed"),
    ("viz-reform-and-scenario", ["viz", "--reform", "baltic"], BAD, "not a crisis"),
    ("viz-reform-and-sweep", ["viz", "--reform", "--sweep", "{ok}", "--run", "1"], BAD,
     "drop the scenario, --sweep and --run"),
    ("viz-set-without-reform", ["viz", "--set", "inclusiveness=0.8"], BAD, "add --reform"),
    ("viz-reform-unknown-input", ["viz", "--reform", "--set", "nope=1"], BAD,
     "unknown reform input 'nope'"),
    ("viz-reform-out-of-range", ["viz", "--reform", "--set", "inclusiveness=2"], BAD,
     "inclusiveness = 2 is not allowed"),
    ("viz-reform-negative-seed", ["viz", "--reform", "--seed", "-1"], BAD, "--seed"),
]


#: Cases run as a real process: the usage error of the interpreter's argv, a special file,
#: a full disk, a lock held by another process, a worker count the machine cannot give,
#: a damaged Parquet part read by a fresh PyArrow.
IN_A_REAL_PROCESS = ("no-command", "run-dev-zero", "run-full-disk", "sweep-resume-locked",
                     "sweep-absurd-workers", "plot-truncated-runs")


@pytest.mark.parametrize(("case", "args", "status", "fragment"), CASES,
                         ids=[c[0] for c in CASES])
def test_bad_input_is_one_line_with_the_documented_status(world, case, args, status, fragment):
    needed = {key for arg in args for key in ("ro", "full") if "{" + key + "}" in arg}
    missing = needed - set(world)
    if missing:
        pytest.skip(f"cannot mount a {'/'.join(missing)} tmpfs here (needs root)")
    before = {name: sorted(p.name for p in Path(world[name]).rglob("*"))
              for name in ("ok", "locked")}
    arguments = [arg.format(**world) for arg in args]
    done = (run_cli(*arguments, timeout=90) if case in IN_A_REAL_PROCESS
            else run_main(*arguments))
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == status, (done.returncode, done.stderr)
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("wargame: error: "), \
        done.stderr
    assert fragment in done.stderr, done.stderr
    for name, listing in before.items():  # refusals write nothing into existing folders
        assert sorted(p.name for p in Path(world[name]).rglob("*")) == listing


def test_the_battery_is_large_enough():
    assert len(CASES) >= 60
    assert set(IN_A_REAL_PROCESS) <= {c[0] for c in CASES}
    assert {c[1][0] for c in CASES if c[1]} >= {"run", "sweep", "plot", "compare", "viz",
                                                 "reform"}


def test_refused_sweeps_leave_no_folder_behind(world):
    """A sweep refused for a permanent reason writes nothing (no folder, no manifest)."""
    for name in ("s1", "s2", "s3", "s4", "s5"):
        assert not (Path(world["tmp"]) / name).exists()
    assert json.loads((Path(world["ok"]) / "manifest.json").read_text())["status"] == "complete"


def test_a_scenario_files_own_clash_is_blamed_on_the_file_not_on_set(tmp_path):
    """A target the adversary cannot reach, or a party that is no state, written in the
    scenario file: the line names the file, as no --set was given (a probe found --set
    blamed)."""
    for name, body, fragment in (
            ("greece.toml", 'target = "GRC"', "no land border with Russia or Belarus"),
            ("typo.toml", 'target = "EST"\nparties = "DUE"', "'DUE' is not the iso3 code")):
        path = tmp_path / name
        path.write_text(f'description = "a case of my own"\n[parameters]\n{body}\n')
        done = run_main("run", str(path), "--out", str(tmp_path / f"out-{name}"))
        assert done.returncode == BAD and done.stderr.count("\n") == 1, done.stderr
        assert done.stderr.startswith(f"wargame: error: {path}: ") and fragment in done.stderr
        assert not (tmp_path / f"out-{name}").exists()


def test_an_empty_scenario_file_is_refused_not_run_as_the_defaults(tmp_path):
    """A probe found a 0-byte scenario file running Estonia's case and exiting 0."""
    for name, text in (("empty.toml", ""), ("no-table.toml", 'description = "mine"\n')):
        path = tmp_path / name
        path.write_text(text)
        done = run_main("run", str(path), "--out", str(tmp_path / f"out-{name}"))
        assert done.returncode == BAD and done.stderr.count("\n") == 1, done.stderr
        assert f"{path}: no [parameters] table" in done.stderr
        assert not (tmp_path / f"out-{name}").exists()
