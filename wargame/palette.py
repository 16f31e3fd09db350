"""The colour of each crisis outcome, shared by the figures and the browser page.

Green for deterred, red for defeated (ColorBrewer RdYlGn's ends, readable by most
colour-blind readers next to each other) and grey for stalemate, so a reader who learns
the colours in one view reads them the same in the other. Keyed by
`wargame.model.OUTCOMES` (a test checks the two agree).
"""

OUTCOME_COLOURS = {"deterred": "#1a9850", "defeated": "#d73027", "stalemate": "#525252"}
#: The matplotlib colour map of the same hue, for shares of runs drawn as heatmaps.
OUTCOME_CMAPS = {"deterred": "Greens", "defeated": "Reds", "stalemate": "Greys"}
