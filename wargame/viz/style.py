"""Colours and figure sizes shared by the page's figures, so that the map and charts agree."""

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
