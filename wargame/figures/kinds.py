"""The kinds of figure, in the order the index page shows them, and the options each takes.

Kept apart from `wargame.figures.standard` so that building the command line (which
offers these as choices) imports nothing heavy. Each kind is a module of
`wargame.figures` with `render(results, out_dir, **options)`.
"""

KINDS = ("phase", "response", "burden", "timecourse", "map", "sensitivity", "screening",
         "discovery", "reform_crisis")

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
}
