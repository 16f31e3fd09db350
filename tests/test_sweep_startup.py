"""The sweep's start-up imports Mesa without its spaces, yet Mesa works as imported normally.

Each check runs in a fresh interpreter: the point is what one `import` leaves behind.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

LOGGERS = ("import logging; print(sorted(n for n in logging.root.manager.loggerDict "
           "if n.startswith('MESA')))")


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, timeout=120)
    return done.stdout.strip()


def test_sweep_start_up_skips_the_spaces_and_names_the_same_loggers() -> None:
    fast = _python("import sys\nfrom wargame.sweep.startup import import_mesa\nimport_mesa()\n"
                   "print(sorted(m for m in ('scipy', 'networkx') if m in sys.modules))\n"
                   + LOGGERS).splitlines()
    plain = _python("import mesa\n" + LOGGERS)
    assert fast[0] == "[]"  # neither scipy nor networkx was imported
    assert fast[1] == plain  # Mesa named the same module loggers


@pytest.mark.parametrize("use", [
    "print(mesa.discrete_space.OrthogonalMooreGrid((3, 3), random=random.Random(1)).width)",
    "from mesa.discrete_space import CellAgent; print(CellAgent.__name__)",
    "import mesa.discrete_space.grid; print(mesa.discrete_space.grid.__name__)",
    "from mesa.experimental.continuous_space import ContinuousSpace; print(ContinuousSpace)",
    "print(mesa.space.MultiGrid(3, 3, torus=False).width)",
])
def test_a_deferred_space_is_imported_on_first_use(use: str) -> None:
    out = _python("import random\nfrom wargame.sweep.startup import import_mesa\nimport_mesa()\n"
                  "import mesa\n" + use)
    assert out and "Deferred" not in out


def test_help_imports_none_of_the_scientific_stack() -> None:
    """`wargame --help` answers in about 0.1 s: no command module imports pandas or Mesa."""
    loaded = _python(
        "import sys, contextlib, io\nsys.argv = ['wargame', '--help']\n"
        "from wargame.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main()\n"
        "print(sorted(m for m in ('numpy', 'pandas', 'pyarrow', 'mesa', 'matplotlib') "
        "if m in sys.modules))")
    assert loaded == "[]"
