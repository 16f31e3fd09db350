"""Agent-based crisis wargame of EU mutual assistance under Article 42.7 TEU.

The Python API (docs/API.md)::

    import wargame
    result = wargame.run("baltic", seed=1, us_commitment=0.0)   # one run
    wargame.sweep("quick", out="runs/quick")  # a sweep into a folder
    data = wargame.load_sweep("runs/quick")                       # its runs, states, steps
    wargame.plot(data, "phase")                                   # its figures (matplotlib)

The names below are imported on first use, so `import wargame` (and the command line's
`--help`) loads neither Mesa nor pandas.
"""

from importlib import import_module
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from wargame.errors import WargameError

try:
    __version__ = version("wargame")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"

#: Public names and the module that defines each (imported when first used).
_LAZY = {
    "run": "wargame.api",
    "load_sweep": "wargame.api",
    "plot": "wargame.api",
    "RunResult": "wargame.api",
    "SweepData": "wargame.api",
    "ema": "wargame.ema",
    "figures": "wargame.figures",
    "sweep": "wargame.sweep",  # a package that can be called: wargame.sweep(spec, out=...)
}

__all__ = ["WargameError", "__version__", *_LAZY]


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'wargame' has no attribute {name!r}")
    module = import_module(_LAZY[name])
    value = module if module.__name__ == f"wargame.{name}" else getattr(module, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
