"""Shared look of the figures: words and units for every axis, saving, the figure record.

A policy reader sees names like "US commitment (share 0–1)", never a column name, so the
labels live here, built from the input and output registries' labels and units.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wargame.figures.load import Results, is_binned
from wargame.inputs import INPUTS
from wargame.model import OUTCOMES
from wargame.output_registry import outputs

GOVERNANCE_NAMES = {
    "nato_us_led": "NATO, US-led (today)",
    "art427_only": "Art. 42.7 only (no NATO; US bilateral)",
    "eu_led_nato": "NATO under EU leadership",
    "reform": "Art. 12 reform negotiated first",
}


def input_name(name: str) -> str:
    """An input's label from the registry, capitalised: 'US commitment'."""
    label = INPUTS[name].label if name in INPUTS else name
    return label[:1].upper() + label[1:]


#: Outputs a figure can show: (label with unit, short name). The outcome probabilities,
#: then every numeric per-run output of the output registry.
_OUTCOME_WORDS = {
    "deterred": "Probability the adversary is deterred",
    "defeated": "Probability the attacked state is defeated",
    "occupied": "Probability the front freezes with territory held",
    "stalemate": "Probability of fighting still unresolved at the window's end",
}
METRICS = {
    **{o: (_OUTCOME_WORDS.get(o, f"Probability the crisis ends {o}"), f"P({o})")
       for o in OUTCOMES},
    **{o.name: (o.axis_label, o.short) for o in outputs("run") if o.dtype != "str"},
}



def parameter_label(name: str) -> str:
    """Axis label for a parameter: short name plus unit, e.g. 'US commitment (share 0–1)'."""
    parameter = INPUTS[name]
    unit = parameter.unit
    if unit == "share":
        unit = "share 0–1"
    base = input_name(name)
    return f"{base} ({unit})" if unit and unit != "iso3" else base


def axis_label(results: Results, name: str) -> str:
    """The parameter's label, noting when LHS/Sobol values were binned."""
    return parameter_label(name) + (" — bin centre" if is_binned(results, name) else "")


def level_label(name: str, value: object) -> str:
    """How one level of a parameter reads in a legend or facet title."""
    if name == "governance":
        return GOVERNANCE_NAMES.get(str(value), str(value))
    if isinstance(value, float):
        return f"{input_name(name)} = {value:.3g}"
    return f"{input_name(name)} = {value}"


def metric_label(metric: str) -> str:
    return METRICS.get(metric, (metric, metric))[0]


def percent(p: float) -> str:
    """A share as a whole percentage that never rounds a rare event to 0% or a near-certain
    one to 100%."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p:.0%}"


def n_text(counts) -> str:
    """'n = 20' or 'n = 12–20' for the runs behind each point of a series."""
    low, high = int(min(counts)), int(max(counts))
    return f"n = {low:,}" if low == high else f"n = {low:,}–{high:,}"


@dataclass
class Figure:
    """A written figure: its files, a title and the caption the index page shows."""

    kind: str
    title: str
    caption: str
    paths: list[Path]


def save(fig, out_dir: Path, stem: str) -> list[Path]:
    """Write the figure as PNG (for the page) and SVG (for reports), then close it."""
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for suffix, kwargs in ((".png", {"dpi": 130}), (".svg", {})):
        path = out_dir / f"{stem}{suffix}"
        fig.savefig(path, bbox_inches="tight", **kwargs)
        paths.append(path)
    plt.close(fig)
    return paths


def save_table(table, out_dir: Path, stem: str) -> Path:
    """Write the numbers behind a figure as CSV, so they can be checked without pixels."""
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{stem}.csv"
    table.to_csv(path, index=False, float_format="%.6g")
    return path


def pyplot():
    """matplotlib.pyplot on the Agg backend (files only; no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"font.size": 10, "axes.titlesize": 11, "figure.titlesize": 13})
    return plt
