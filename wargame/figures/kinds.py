"""The kinds of figure, in the order the index page shows them, and the options each takes.

Kept apart from `wargame.figures.standard` so that building the command line (which
offers these as choices) imports nothing heavy. Each kind is a module of
`wargame.figures` with `render(results, out_dir, **options)`, or the function that
`KIND_RENDERERS` names.
"""

#: The figures of a negotiation sweep (model = "negotiation", wargame/figures/reform.py).
REFORM_KINDS = ("reform-adoption", "reform-blockers", "reform-map", "reform-price",
                "reform-fragility")

KINDS = ("phase", "response", "burden", "timecourse", "map", "sensitivity", "screening",
         "discovery", "reform_crisis", *REFORM_KINDS)

#: Which of --x/--y/--by each kind takes.
KIND_OPTIONS: dict[str, tuple[str, ...]] = {
    "phase": ("x", "y", "by"),
    "response": ("x", "by"),
    "burden": ("x", "by"),
    "timecourse": ("by",),
    "map": ("by",),
    "sensitivity": (),
    "screening": (),
    "discovery": (),
    "reform_crisis": (),  # wargame/figures/reform_crisis.py: two-stage sweeps
    "reform-adoption": ("x", "y"),
    "reform-blockers": (),
    "reform-map": (),
    "reform-price": ("x",),
    "reform-fragility": (),  # wargame/figures/reform_fragility.py: weight sweeps
}

#: (module of wargame.figures, function) of the kinds not drawn by `<kind>.render`.
KIND_RENDERERS: dict[str, tuple[str, str]] = {
    "reform-adoption": ("reform", "render_adoption"),
    "reform-blockers": ("reform", "render_blockers"),
    "reform-map": ("reform", "render_map"),
    "reform-price": ("reform", "render_price"),
    "reform-fragility": ("reform_fragility", "render"),
}

#: The model kinds (wargame.model_kinds) whose folders each kind draws; "crisis" unless
#: named here. `plot all` draws a kind for the first of its model kinds: the reform kinds
#: also draw the negotiations of a two-stage crisis sweep when asked by name, and
#: `reform_crisis` draws them for `plot all` there.
KIND_MODELS: dict[str, tuple[str, ...]] = dict.fromkeys(REFORM_KINDS, ("negotiation", "crisis"))


def models_of(kind: str) -> tuple[str, ...]:
    """The model kinds whose result folders `kind` can draw."""
    return KIND_MODELS.get(kind, ("crisis",))


def kinds_for(model: str) -> tuple[str, ...]:
    """The kinds `plot all` and `sweep --plots` draw for a folder of model kind `model`."""
    return tuple(kind for kind in KINDS if models_of(kind)[0] == model)
