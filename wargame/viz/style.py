"""Colours, figure sizes and the figure-drawing helper shared by the page, so the panels agree."""

from collections.abc import Callable

import solara
from matplotlib.figure import Figure
from mesa.visualization.utils import update_counter

from wargame.agents import Commitment

#: Commitment level -> colour, light (words only) to dark (forces): the map and the bars.
COMMITMENT_COLOURS = {
    Commitment.NONE: "#d9d9d9",
    Commitment.POLITICAL: "#9ecae1",
    Commitment.FINANCIAL: "#4292c6",
    Commitment.FORCES: "#08306b",
}
VICTIM_COLOUR = "#d7301f"
ADVERSARY_COLOUR = "#67000d"
PLEDGED_COLOUR = "#9ecae1"
DEPLOYED_COLOUR = "#08306b"

#: Figure size in inches at DPI: one of SolaraViz's grid cells (413 x 390 px at 1280x800),
#: so that the figures are drawn at the size they are shown and their text stays legible.
FIGSIZE = (4.1, 3.85)
DPI = 100


def level_name(level: Commitment) -> str:
    """'FORCES' -> 'forces', for text an analyst reads."""
    return level.name.lower()


def show_figure(model, draw: Callable[[object, Figure], None]) -> None:
    """Inside a Solara component: redraw `draw(model, figure)` after every step.

    Reading Mesa's update counter subscribes the calling component to steps and resets.
    """
    update_counter.get()
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    draw(model, fig)
    solara.FigureMatplotlib(fig, format="png")
