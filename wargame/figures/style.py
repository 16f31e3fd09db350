"""Shared look of the figures: words and units for every axis, saving, the figure record.

A policy reader sees names like "US commitment (share 0–1)", never a column name, so the
labels live here, built from the parameter registry's units.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from wargame.figures.load import Results, is_binned
from wargame.inputs import INPUTS

#: Short names for parameters (the registry's help text is too long for an axis).
PARAMETER_NAMES = {
    "target": "Attacked state",
    "governance": "Governance regime",
    "us_commitment": "US commitment",
    "eu_financing": "EU financing (share reimbursed)",
    "eu_fund_bn": "EU common fund",
    "command_integration": "EU command integration",
    "rapid_reaction_force": "EU rapid-reaction force",
    "rrf_readiness_days": "Rapid-reaction readiness",
    "aggression": "Adversary aggression (share of its forces)",
    "non_eu_inclusion": "Inclusion of non-EU allies",
    "neutral_opt_in": "Neutral states may send forces",
    "forward_presence": "Allied forward presence",
    "max_days": "Crisis window",
}

GOVERNANCE_NAMES = {
    "nato_us_led": "NATO, US-led (today)",
    "art427_only": "Art. 42.7 only (US gone)",
    "eu_led_nato": "NATO under EU leadership",
}

#: Outputs: (label with unit, short name).
METRICS = {
    "deterred": ("Probability the adversary is deterred", "P(deterred)"),
    "defeated": ("Probability the attacked state is defeated", "P(defeated)"),
    "occupied": ("Probability the front freezes with territory held", "P(occupied)"),
    "stalemate": ("Probability of fighting still unresolved at the window's end",
                  "P(stalemate)"),
    "day_first_assistance": ("Day of first money or forces (days after attack)",
                             "day of first assistance"),
    "day_first_forces": ("Day first allied forces arrive (days after attack)",
                         "day of first forces"),
    "peak_pledged_troops": ("Peak troops pledged by European states (troops)",
                            "peak troops pledged"),
    "peak_deployed_troops": ("Peak troops deployed by European states (troops)",
                             "peak troops deployed"),
    "burden_gini": ("Burden Gini over states (0 = burden ∝ GDP for all, 1 = one state)",
                    "burden Gini"),
    "total_cost_bn": ("Total cost of assistance (EUR bn)", "total cost"),
    "coalition_size": ("States giving money or forces (count)", "coalition size"),
    "territory_lost": ("Territory lost (share of the attacked state)", "territory lost"),
    "adversary_losses": ("Adversary troops lost (troops)", "adversary losses"),
    "defender_losses": ("Defending troops lost (troops)", "defender losses"),
    "troops_sustained_day_60": ("Allied troops sustained in theatre on day 60 (troops)",
                                "troops on day 60"),
}

OUTCOME_COLOURS = {"deterred": "#1a9850", "defeated": "#d73027", "occupied": "#f46d43",
                   "stalemate": "#525252"}
OUTCOME_CMAPS = {"deterred": "Greens", "defeated": "Reds", "occupied": "Oranges",
                 "stalemate": "Greys"}


def parameter_label(name: str) -> str:
    """Axis label for a parameter: short name plus unit, e.g. 'US commitment (share 0–1)'."""
    parameter = INPUTS[name]
    unit = parameter.unit
    if unit == "share":
        unit = "share 0–1"
    base = PARAMETER_NAMES.get(name, name)
    return f"{base} ({unit})" if unit and unit != "iso3" else base


def axis_label(results: Results, name: str) -> str:
    """The parameter's label, noting when LHS/Sobol values were binned."""
    return parameter_label(name) + (" — bin centre" if is_binned(results, name) else "")


def level_label(name: str, value: object) -> str:
    """How one level of a parameter reads in a legend or facet title."""
    if name == "governance":
        return GOVERNANCE_NAMES.get(str(value), str(value))
    if isinstance(value, float):
        return f"{PARAMETER_NAMES.get(name, name)} = {value:.3g}"
    return f"{PARAMETER_NAMES.get(name, name)} = {value}"


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
