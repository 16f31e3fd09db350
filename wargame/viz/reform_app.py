"""`wargame viz --reform`: the Art. 12 negotiation, round by round, in the browser.

Started by `wargame viz --reform`, which passes the inputs and the seed in the
environment (wargame.viz.launch). Three panels: positions on the map, the
negotiation in words with who moved and why, and the allies saying yes with the money
promised per round (docs/VIZ.md).
"""

import solara

from wargame.viz.launch import ReformLaunch
from wargame.viz.negotiation import controls, from_launch
from wargame.viz.negotiation_panels import NegotiationStatus, PositionsMap, Progress
from wargame.viz.page import ModelPage

LAUNCH = ReformLaunch.from_env()
COMPONENTS = [PositionsMap, NegotiationStatus, Progress]


@solara.component
def Page():
    # One model per browser tab: a model made at import would be stepped by every tab.
    first_model = solara.use_memo(lambda: from_launch(LAUNCH), [])
    model = solara.use_reactive(first_model)
    ModelPage(model, COMPONENTS, controls(LAUNCH), "Art. 12 reform negotiation")
