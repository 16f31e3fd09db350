"""The batch runner: sweep files -> design points -> runs on a backend -> Parquet folders.

The package itself can be called: ``wargame.sweep(spec, out=..., workers=...)`` is
`wargame.api.sweep` (a module attribute could not be a function of the same name: the
import system rebinds ``wargame.sweep`` to this package whenever a submodule is imported).
"""

import sys
from types import ModuleType
from typing import Any


class _CallablePackage(ModuleType):
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from wargame.api import sweep

        return sweep(*args, **kwargs)


sys.modules[__name__].__class__ = _CallablePackage
