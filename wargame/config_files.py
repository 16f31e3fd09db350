"""Where scenario and sweep files are found: the analyst's own `./configs/` first, then
the files shipped inside the package.

The shipped files live in `wargame/configs/{scenarios,sweeps}/` and are read through
`importlib.resources`, so an install of the wheel, without the checkout, has every
scenario and sweep. A file of one's own in `./configs/scenarios/` or `./configs/sweeps/`
of the working directory adds to them, and wins over a shipped one of the same name.

A name is what is given without a path: no `/` (or the platform's separator) and no
`.toml`. A name is looked up here before the working directory is consulted, so
`wargame sweep quick` runs the shipped sweep even where a folder `quick` exists (the
result folder of an earlier sweep, say); `./quick` is a path and means that folder.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

from wargame.errors import WargameError

#: The kinds of configuration file, each a folder of TOML files (one per scenario or sweep).
KINDS = ("scenarios", "sweeps")
#: The analyst's own folder, relative to the working directory.
LOCAL = "configs"
_SINGULAR = {"scenarios": "scenario", "sweeps": "sweep"}


def shipped_dir(kind: str) -> Path:
    """The package's own folder of `kind` files (a real folder: the package is installed
    as files, by pip or in place)."""
    return Path(str(files("wargame") / "configs" / kind))


def search_dirs(kind: str) -> list[Path]:
    """Where `kind` files are looked for, first hit wins: ./configs/<kind> if the working
    directory has one, then the shipped folder."""
    local = Path.cwd() / LOCAL / kind
    shipped = shipped_dir(kind)
    if local.is_dir() and local.resolve() != shipped.resolve():
        return [local, shipped]
    return [shipped]


def is_name(text: str) -> bool:
    """True when `text` names a file without a path: no folder separator, no `.toml`."""
    separators = {"/", os.sep, os.altsep or "/"}
    return bool(text) and not text.endswith(".toml") and not any(s in text for s in separators)


def available(kind: str) -> dict[str, Path]:
    """Every `kind` file by name, sorted; a local file hides a shipped one of its name."""
    found: dict[str, Path] = {}
    for folder in reversed(search_dirs(kind)):
        found.update({path.stem: path for path in folder.glob("*.toml")})
    return dict(sorted(found.items()))


def resolve(kind: str, name_or_path: str) -> Path:
    """The file a command-line argument means: a name from `search_dirs(kind)`, else a path.

    A name found nowhere, that is not an existing path either, is refused with the names
    there are.
    """
    if is_name(name_or_path):
        for folder in search_dirs(kind):
            path = folder / f"{name_or_path}.toml"
            if path.exists():
                return path
        if not Path(name_or_path).exists():
            raise WargameError(f"unknown {_SINGULAR[kind]} {name_or_path!r}; known {kind}: "
                               f"{', '.join(available(kind))}")
    return Path(name_or_path)


def is_shipped(kind: str, path: Path) -> bool:
    """True when `path` is the package's own file of its name (not an analyst's copy)."""
    return path.resolve() == (shipped_dir(kind) / path.name).resolve()
