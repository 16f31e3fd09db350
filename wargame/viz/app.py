"""`wargame viz`: one crisis, day by day, in the browser (docs/VIZ.md).

Started by `wargame viz`, which passes the scenario or sweep run to open in the
environment (wargame.viz.launch). Four panels: the map, escalation and forces, the run
in words with its event log, and pledges by state; Mesa's run buttons and the inputs in
the sidebar (wargame.viz.page).
"""

import solara

from wargame.viz.charts import BalanceOfForces, PledgesByState
from wargame.viz.controls import controls
from wargame.viz.europe_map import EuropeMap
from wargame.viz.launch import Launch
from wargame.viz.model import from_launch
from wargame.viz.page import ModelPage
from wargame.viz.status import RunStatus

LAUNCH = Launch.from_env()
COMPONENTS = [EuropeMap, BalanceOfForces, RunStatus, PledgesByState]


@solara.component
def Page():
    # One model per browser tab: a model made at import would be stepped by every tab.
    first_model = solara.use_memo(lambda: from_launch(LAUNCH), [])
    model = solara.use_reactive(first_model)
    origin = model.value.origin
    # Keyed by scenario: loading another scenario rebuilds the controls with its values.
    ModelPage(model, COMPONENTS, controls(origin), "Art. 42.7 crisis wargame").key(
        origin.scenario)
