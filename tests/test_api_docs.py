"""docs/API.md and examples/ run as written: every Python block of the page, in order, in an
empty folder, and the example script from its first cell to its figures."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from operator import attrgetter
from pathlib import Path

import pytest

import wargame

REPO = Path(__file__).resolve().parent.parent
API_MD = REPO / "docs" / "API.md"
EXAMPLE = REPO / "examples" / "first_steps.py"

#: Runs each block with a name that points back at its line in docs/API.md.
RUNNER = """
import json, sys
namespace = {"__name__": "__main__"}
for line, code in json.load(open(sys.argv[1])):
    exec(compile(code, f"docs/API.md (block at line {line})", "exec"), namespace)
print("all blocks ran")
"""


def python_blocks(text: str) -> list[tuple[int, str]]:
    """(line of the opening fence, code) for every ```python block."""
    blocks = []
    for match in re.finditer(r"^```python\n(.*?)^```", text, flags=re.S | re.M):
        blocks.append((text.count("\n", 0, match.start()) + 1, match.group(1)))
    return blocks


@pytest.mark.slow
def test_every_python_block_of_api_md_runs(tmp_path):
    blocks = python_blocks(API_MD.read_text("utf-8"))
    assert len(blocks) >= 8
    (tmp_path / "blocks.json").write_text(json.dumps(blocks))
    (tmp_path / "runner.py").write_text(RUNNER)
    result = subprocess.run([sys.executable, "runner.py", "blocks.json"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.rstrip().endswith("all blocks ran")
    # What the page says it writes is there.
    assert (tmp_path / "runs" / "baltic-42" / "summary.json").is_file()
    plots = tmp_path / "runs" / "us-governance" / "plots"
    assert {"response.png", "timecourse.png", "index.html"} <= {p.name for p in plots.iterdir()}


def test_the_page_names_every_public_name_and_links_the_example():
    text = API_MD.read_text("utf-8")
    for name in ("run", "sweep", "load_sweep", "plot", "WargameError", "ema.crisis_model"):
        assert f"wargame.{name}" in text, name
        assert callable(attrgetter(name)(wargame)), name
    assert "(../examples/first_steps.py)" in text and EXAMPLE.is_file()


@pytest.mark.slow
def test_the_example_walks_from_one_run_to_a_sweep_and_its_figures(tmp_path):
    result = subprocess.run([sys.executable, str(EXAMPLE)], cwd=tmp_path, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    out = tmp_path / "first_steps"
    assert (out / "one_run.png").is_file()
    figures = {p.name for p in (out / "sweep" / "plots").iterdir()}
    assert {"phase.png", "response.png", "timecourse.png", "index.html"} <= figures
