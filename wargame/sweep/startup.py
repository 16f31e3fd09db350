"""The start-up of a sweep: import Mesa once, cheaply, before the pool forks its workers.

Importing Mesa is most of a small sweep's fixed cost (docs/benchmarks.md, "Fixed cost").
Part of it is avoidable: at import time `mesa.mesa_logging.create_module_logger()` calls
`inspect.stack()` only to learn the name of the importing module, and `inspect.stack()`
reads the source lines of every frame on the (deep) import stack and scans sys.modules
for each of them. While Mesa is imported, `inspect.stack` is replaced by a plain frame
walk that returns the same frames without source context; Mesa reads only the frame, so
it names the same loggers. The stand-in is removed as soon as the import ends.
"""

from __future__ import annotations

import inspect
import sys


def _frames_without_source(context: int = 1) -> list[inspect.FrameInfo]:
    """inspect.stack() without reading source files: the caller's frame first."""
    frame = sys._getframe(1)
    frames = []
    while frame is not None:
        frames.append(inspect.FrameInfo(frame, frame.f_code.co_filename, frame.f_lineno,
                                        frame.f_code.co_name, None, None))
        frame = frame.f_back
    return frames


def import_mesa() -> None:
    """Import Mesa (if not yet imported) without reading the source of the import stack."""
    if "mesa" in sys.modules:
        return
    real = inspect.stack
    inspect.stack = _frames_without_source
    try:
        import mesa  # noqa: F401
    finally:
        inspect.stack = real
