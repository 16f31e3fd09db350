"""The start-up of a sweep: import Mesa once, cheaply, before the pool forks its workers.

Importing Mesa is most of a small sweep's fixed cost (docs/benchmarks.md, "Fixed cost").
Two parts of it are avoidable:

- `mesa/__init__` imports the spaces, `mesa.discrete_space` (scipy.spatial, networkx),
  `mesa.space` (networkx) and, through `mesa.experimental`,
  `mesa.experimental.continuous_space` (scipy.spatial again): about half of `import mesa`,
  for spaces this model does not use. While Mesa is imported,
  those two modules are bound to placeholders (`_Deferred`) that import the real module
  the first time anything reads from them, so code that does use a space still gets it.
- At import time `mesa.mesa_logging.create_module_logger()` calls `inspect.stack()` and
  `inspect.getmodule()` only to learn the name of the importing module. `inspect.stack()`
  reads the source lines of every frame on the (deep) import stack, and `getmodule()`
  scans sys.modules (which would also load the placeholders). While Mesa is imported they
  are replaced by a plain frame walk and a lookup of the frame's `__name__`: Mesa reads
  only the frame and the module's name, so it names the same loggers. The stand-ins are
  removed as soon as the import ends.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import inspect
import os
import sys
import types
from typing import Any

#: Modules `import mesa` loads that this model never uses (the spaces; scipy, networkx).
DEFERRED = ("mesa.discrete_space", "mesa.space", "mesa.experimental.continuous_space")


def _frames_without_source(context: int = 1) -> list[inspect.FrameInfo]:
    """inspect.stack() without reading source files: the caller's frame first."""
    frame = sys._getframe(1)
    frames = []
    while frame is not None:
        frames.append(inspect.FrameInfo(frame, frame.f_code.co_filename, frame.f_lineno,
                                        frame.f_code.co_name, None, None))
        frame = frame.f_back
    return frames


class _Deferred(types.ModuleType):
    """A module not imported yet: the first attribute read imports it and answers from it.

    It carries the real module's `__spec__`, `__file__` and `__loader__`, so the import
    system and scans of sys.modules take it as loaded without loading it; it has no
    `__path__`, so importing one of its submodules reads that attribute and loads it first.
    """

    def __getattr__(self, name: str) -> Any:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return getattr(importlib.import_module(self.__name__), name)


def _defer(name: str, mesa_dir: str) -> None:
    """Put a `_Deferred` placeholder for Mesa's submodule `name` into sys.modules."""
    parts = name.split(".")
    spec = importlib.machinery.PathFinder.find_spec(
        name, [os.path.join(mesa_dir, *parts[1:-1])])
    if spec is None or name in sys.modules:
        return
    placeholder = _Deferred(name)
    placeholder.__spec__ = spec
    placeholder.__file__ = spec.origin
    placeholder.__loader__ = spec.loader
    sys.modules[name] = placeholder


def _module_of_frame(obj: object, _filename: str | None = None) -> types.ModuleType | None:
    """inspect.getmodule() for the frames Mesa asks about: the module named in the frame."""
    if inspect.isframe(obj):
        return sys.modules.get(obj.f_globals.get("__name__", ""))
    return _real_getmodule(obj, _filename)


_real_getmodule = inspect.getmodule


def import_mesa() -> None:
    """Import Mesa (if not yet imported) without its spaces and without reading the source
    of the import stack."""
    if "mesa" in sys.modules:
        return
    mesa_spec = importlib.util.find_spec("mesa")
    if mesa_spec is None or not mesa_spec.submodule_search_locations:
        import mesa  # noqa: F401  (not installed as a package: let the import say why)
        return
    for name in DEFERRED:
        _defer(name, mesa_spec.submodule_search_locations[0])
    real_stack = inspect.stack
    inspect.stack = _frames_without_source
    inspect.getmodule = _module_of_frame
    try:
        import mesa  # noqa: F401
    except BaseException:
        for name in DEFERRED:  # leave no placeholder behind a failed import
            if isinstance(sys.modules.get(name), _Deferred):
                del sys.modules[name]
        raise
    finally:
        inspect.stack = real_stack
        inspect.getmodule = _real_getmodule
