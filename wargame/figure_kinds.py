"""The kinds of figure, declared once: name, module, family and the options each takes.

A kind's `name` is how users call it (`wargame plot reform-crisis`, `wargame.plot(kinds=
...)`), the stem of its files and its entry on the index page; `module` is where it is
drawn; `family` says what it is drawn from:

- "sweep": a sweep's result folder (`wargame plot KIND DIR`, `wargame plot all DIR`,
  `wargame sweep --plots`); the module has `render(results, out_dir, **options)`;
- "reform": the negotiations of a folder written by `wargame reform --runs` (a two-stage
  sweep's `reform-crisis` draws them too); the module has `render(kind, folder, out_dir,
  ...)`;
- "compare": two sweeps (`wargame compare`).

`options` are which of --x/--y/--by the kind takes. `KINDS` is the order of the index
page. The command line's choices, the API's, the index page's order and each module's
`Figure` read this table; it imports nothing, so building the command line stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = ("sweep", "reform", "compare")


@dataclass(frozen=True)
class FigureKind:
    """One kind of figure: what users call it, where it is drawn, from what, with which
    of --x/--y/--by."""

    name: str
    module: str
    family: str
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.family not in FAMILIES or not set(self.options) <= {"x", "y", "by"}:
            raise ValueError(f"figure kind {self.name}: family {self.family!r}, "
                             f"options {self.options}")


PHASE = FigureKind("phase", "wargame.figures.phase", "sweep", ("x", "y", "by"))
RESPONSE = FigureKind("response", "wargame.figures.response", "sweep", ("x", "by"))
BURDEN = FigureKind("burden", "wargame.figures.burden", "sweep", ("x", "by"))
TIMECOURSE = FigureKind("timecourse", "wargame.figures.timecourse", "sweep", ("by",))
MAP = FigureKind("map", "wargame.figures.map", "sweep", ("by",))
SENSITIVITY = FigureKind("sensitivity", "wargame.figures.sensitivity", "sweep")
SCREENING = FigureKind("screening", "wargame.figures.screening", "sweep")
DISCOVERY = FigureKind("discovery", "wargame.figures.discovery", "sweep")
REFORM_CRISIS = FigureKind("reform-crisis", "wargame.figures.reform_crisis", "sweep")
REFORM_ADOPTION = FigureKind("reform-adoption", "wargame.reform.figures", "reform", ("x", "y"))
REFORM_BLOCKERS = FigureKind("reform-blockers", "wargame.reform.figures", "reform")
REFORM_MAP = FigureKind("reform-map", "wargame.reform.figures", "reform")
REFORM_PRICE = FigureKind("reform-price", "wargame.reform.figures", "reform", ("x",))
COMPARE = FigureKind("compare", "wargame.figures.compare", "compare")

#: Every kind, by name, in the order of the index page.
KINDS: dict[str, FigureKind] = {kind.name: kind for kind in (
    PHASE, RESPONSE, BURDEN, TIMECOURSE, MAP, SENSITIVITY, SCREENING, DISCOVERY, REFORM_CRISIS,
    REFORM_ADOPTION, REFORM_BLOCKERS, REFORM_MAP, REFORM_PRICE, COMPARE,
)}


def family(name: str) -> tuple[str, ...]:
    """The names of one family's kinds, in order."""
    if name not in FAMILIES:
        raise KeyError(f"unknown family {name!r}; families: {', '.join(FAMILIES)}")
    return tuple(kind.name for kind in KINDS.values() if kind.family == name)
