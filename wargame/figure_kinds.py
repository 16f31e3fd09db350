"""The kinds of figure, declared once: name, module, family, options, models and designs.

A kind's `name` is how users call it (`wargame plot reform-crisis`, `wargame.plot(kinds=
...)`), the stem of its files and its entry on the index page; `module` and `function`
are where it is drawn; `family` says what it is drawn from:

- "sweep": a sweep's result folder (`wargame plot KIND DIR`, `wargame plot all DIR`,
  `wargame sweep --plots`); the function is `function(results, out_dir, **options)`;
- "compare": two sweeps (`wargame compare`).

`options` are which of --x/--y/--by the kind takes. `models` are the model kinds
(`wargame.model_kinds`) whose folders it draws: `plot all` and `sweep --plots` draw a kind
for a folder of the first of them (`kinds_for`); the reform kinds also draw the
negotiations of a two-stage crisis sweep when asked by name (and `reform-crisis` draws
them there). `designs` are the sweep designs whose runs it can be read from: one rule
(`fits`), so a figure is drawn only from a design that supports what it shows. A grid's
or a Latin hypercube's cells hold runs at set levels: phase diagrams, response curves and
the rest. A Morris design moves one input at a time along trajectories, so its cells mean
nothing alone: it gets the screening figure. A Sobol (Saltelli) sample exists to estimate
variance indices: it gets the sensitivity figure. `KINDS` is the order of the index page.
The command line's choices, the API's, the index page's order and each module's `Figure`
read this table; it imports nothing, so building the command line stays fast.
"""

from __future__ import annotations

from dataclasses import dataclass

FAMILIES = ("sweep", "compare")
#: The designs of a sweep file (`[design] kind`; wargame.sweep.spec.DESIGNS, held to the same
#: names by a test: importing the sweep spec here would slow `wargame --help`).
DESIGNS = ("grid", "lhs", "sobol", "morris")
#: What each design is for, said when a kind does not fit it.
DESIGN_PURPOSE = {
    "grid": "its cells hold runs at set levels",
    "lhs": "its points sample the inputs' ranges",
    "sobol": "a Sobol (Saltelli) sample is drawn to estimate variance indices",
    "morris": "a Morris design moves one input at a time along trajectories, so its points "
              "are not cells to compare",
}
#: The designs whose runs sit in cells of set or sampled levels.
CELLS = ("grid", "lhs")
#: The model kinds of wargame.model_kinds, as the kinds below name them (a test holds the
#: two to the same names; importing the model kinds here would slow `wargame --help`).
CRISIS, NEGOTIATION = "crisis", "negotiation"


@dataclass(frozen=True)
class FigureKind:
    """One kind of figure: what users call it, where it is drawn, from what, with which
    of --x/--y/--by, from the results of which model kinds and of which designs."""

    name: str
    module: str
    family: str
    options: tuple[str, ...] = ()
    models: tuple[str, ...] = (CRISIS,)
    function: str = "render"
    designs: tuple[str, ...] = CELLS
    #: It can draw its headline panel alone into a caller's axes (`wargame.plot(ax=...)`).
    axes: bool = False

    def __post_init__(self) -> None:
        if (self.family not in FAMILIES or not set(self.options) <= {"x", "y", "by"}
                or not self.models or not self.designs or not set(self.designs) <= set(DESIGNS)):
            raise ValueError(f"figure kind {self.name}: family {self.family!r}, "
                             f"options {self.options}, models {self.models}, "
                             f"designs {self.designs}")


_REFORM = "wargame.figures.reform"
#: The reform kinds draw a negotiation sweep, or a two-stage crisis sweep's negotiations.
_NEGOTIATIONS = (NEGOTIATION, CRISIS)

PHASE = FigureKind("phase", "wargame.figures.phase", "sweep", ("x", "y", "by"), axes=True)
RESPONSE = FigureKind("response", "wargame.figures.response", "sweep", ("x", "by"), axes=True)
BURDEN = FigureKind("burden", "wargame.figures.burden", "sweep", ("x", "by"))
COSTS = FigureKind("costs", "wargame.figures.costs", "sweep", ("by",))
TIMECOURSE = FigureKind("timecourse", "wargame.figures.timecourse", "sweep", ("by",))
MAP = FigureKind("map", "wargame.figures.map", "sweep", ("by",), axes=True)
SENSITIVITY = FigureKind("sensitivity", "wargame.figures.sensitivity", "sweep",
                         designs=(*CELLS, "sobol"))
SCREENING = FigureKind("screening", "wargame.figures.screening", "sweep", designs=("morris",))
DISCOVERY = FigureKind("discovery", "wargame.figures.discovery", "sweep")
REFORM_CRISIS = FigureKind("reform-crisis", "wargame.figures.reform_crisis", "sweep")
REFORM_ADOPTION = FigureKind("reform-adoption", _REFORM, "sweep", ("x", "y"), _NEGOTIATIONS,
                             "render_adoption", axes=True)
REFORM_BLOCKERS = FigureKind("reform-blockers", _REFORM, "sweep", (), _NEGOTIATIONS,
                             "render_blockers", axes=True)
REFORM_MAP = FigureKind("reform-map", _REFORM, "sweep", (), _NEGOTIATIONS, "render_map",
                        axes=True)
REFORM_PRICE = FigureKind("reform-price", _REFORM, "sweep", ("x",), _NEGOTIATIONS,
                          "render_price", axes=True)
REFORM_FRAGILITY = FigureKind("reform-fragility", "wargame.figures.reform_fragility", "sweep",
                              (), _NEGOTIATIONS)
COMPARE = FigureKind("compare", "wargame.figures.compare", "compare", (),
                     (CRISIS, NEGOTIATION), designs=DESIGNS)

#: Every kind, by name, in the order of the index page.
KINDS: dict[str, FigureKind] = {kind.name: kind for kind in (
    PHASE, RESPONSE, COSTS, BURDEN, TIMECOURSE, MAP, SENSITIVITY, SCREENING, DISCOVERY,
    REFORM_CRISIS, REFORM_ADOPTION, REFORM_BLOCKERS, REFORM_MAP, REFORM_PRICE,
    REFORM_FRAGILITY, COMPARE,
)}


def family(name: str) -> tuple[str, ...]:
    """The names of one family's kinds, in order."""
    if name not in FAMILIES:
        raise KeyError(f"unknown family {name!r}; families: {', '.join(FAMILIES)}")
    return tuple(kind.name for kind in KINDS.values() if kind.family == name)


def fits(kind: str, design: str) -> str:
    """Why figure kind `kind` cannot be drawn from a sweep of `design`, or "" if it can:
    the one rule that keeps, say, a phase diagram off a Morris design."""
    chosen = KINDS[kind]
    if design in chosen.designs:
        return ""
    drawn = [k.name for k in KINDS.values() if k.family == "sweep" and design in k.designs]
    return (f"{kind} is drawn from {' or '.join(chosen.designs)} designs; this is a {design} "
            f"design ({DESIGN_PURPOSE.get(design, 'unknown')}): its figures are "
            f"{', '.join(drawn) or 'none'}")


def kinds_for(model: str, design: str | None = None) -> tuple[str, ...]:
    """The sweep kinds `plot all` and `sweep --plots` draw for a folder of model kind
    `model` (and, if given, design `design`): those whose first model kind it is and
    that fit the design."""
    return tuple(kind.name for kind in KINDS.values()
                 if kind.family == "sweep" and kind.models[0] == model
                 and (design is None or design in kind.designs))
