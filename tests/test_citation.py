"""A result folder can be cited in one line, and the tool itself by CITATION.cff."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import yaml

from wargame import __version__
from wargame.sweep.api import sweep

REPO = Path(__file__).resolve().parent.parent


def _spec(base_seed: int) -> dict:
    return {"scenario": "cyprus", "replications": 2, "base_seed": base_seed, "days": 30,
            "design": {"kind": "grid", "levels": {"us_commitment": [0.0, 1.0]}}}


def test_the_manifest_cites_tool_commit_and_spec_hash(tmp_path):
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        sweep(_spec(seed), tmp_path / name)
    a, b, c = (json.loads((tmp_path / n / "manifest.json").read_text()) for n in "abc")
    assert re.fullmatch(r"[0-9a-f]{64}", a["spec_sha256"])
    assert a["spec_sha256"] == b["spec_sha256"]  # same design and seeds, same hash
    assert a["spec_sha256"] != c["spec_sha256"]  # another base seed is another sweep
    line = a["citation"]
    assert "\n" not in line
    assert f"wargame {__version__}" in line
    assert f"sha256:{a['spec_sha256'][:16]}" in line
    assert "4 runs" in line
    commit = a["git_commit"]
    assert (f"commit {commit[:12]}" in line) if commit else ("commit unknown" in line)


def test_citation_cff_matches_the_package_and_licence():
    cff = yaml.safe_load((REPO / "CITATION.cff").read_text())
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert cff["cff-version"] == "1.2.0"
    assert cff["version"] == project["version"]
    assert cff["license"] == project["license"] == "MIT"
    assert "MIT License" in (REPO / "LICENSE").read_text()
