"""The colour of each crisis outcome, shared by the figures and the browser page.

Green for deterred, red for defeated (ColorBrewer RdYlGn's ends, readable by most
colour-blind readers next to each other), orange for a frozen front with territory held
(occupied, between the two) and grey for stalemate, so a reader who learns
the colours in one view reads them the same in the other. Keyed by
`wargame.model.OUTCOMES` (a test checks the two agree).
"""

OUTCOME_COLOURS = {"deterred": "#1a9850", "defeated": "#d73027", "occupied": "#f46d43",
                   "stalemate": "#525252"}
#: The matplotlib colour map of the same hue, for shares of runs drawn as heatmaps.
OUTCOME_CMAPS = {"deterred": "Greens", "defeated": "Reds", "occupied": "Oranges",
                 "stalemate": "Greys"}
