"""The browser page's parts that need no browser (issue 20, item 6): what each input's
control says, and keys that sit beside the panels' data rather than on it. The page itself
is driven in a real Chromium in tests/test_viz_browser.py."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from wargame.inputs import controlled
from wargame.viz.charts import draw_balance
from wargame.viz.controls import controls
from wargame.viz.europe_map import draw_map
from wargame.viz.launch import ReformLaunch, from_scenario
from wargame.viz.model import from_launch
from wargame.viz.negotiation import from_launch as negotiation_from
from wargame.viz.negotiation_panels import draw_positions
from wargame.viz.page import shown
from wargame.viz.style import DPI, FIGSIZE


def test_controls_use_the_registry_labels_and_units_not_machine_names():
    params = controls(from_scenario("baltic", 1))
    labels = {name: params[name]["label"] for name in controlled()}
    assert labels["us_commitment"] == "US commitment (share 0–1)"
    assert labels["rapid_reaction_force"] == "EU rapid-reaction force (troops)"
    assert not any("_" in label for label in labels.values())  # no us_commitment, no iso3


@pytest.mark.parametrize("spec, value, text", [
    ({"type": "SliderFloat", "step": 0.05}, 0.5, "0.50"),
    ({"type": "SliderFloat", "step": 0.001}, 0.03, "0.030"),
    ({"type": "SliderFloat", "step": 1.0}, 25.0, "25"),
    ({"type": "SliderInt", "step": 500}, 5000, "5,000"),
    ({"type": "Select"}, "nato_us_led", "nato_us_led"),
])
def test_a_slider_shows_its_value_as_precise_as_its_step(spec, value, text):
    assert shown(spec, value) == text


def crisis_day_10():
    model = from_launch(from_scenario("baltic", 1))
    for _ in range(10):
        model.step()
    return model


@pytest.mark.parametrize("draw, make", [
    (draw_map, crisis_day_10),
    (draw_balance, crisis_day_10),
    (draw_positions, lambda: negotiation_from(ReformLaunch.from_env())),
], ids=["crisis-map", "forces", "negotiation-map"])
def test_keys_sit_beside_the_data_not_on_it(draw, make):
    """A key inside the axes hid the UK (negotiation map) and Iceland and Ireland (crisis
    map): every key is the figure's, and none overlaps an axes."""
    fig = Figure(figsize=FIGSIZE, dpi=DPI, layout="constrained")
    FigureCanvasAgg(fig)
    draw(make(), fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert all(ax.get_legend() is None for ax in fig.axes)
    assert fig.legends
    for legend in fig.legends:
        box = legend.get_window_extent(renderer)
        assert not any(box.overlaps(ax.get_window_extent(renderer)) for ax in fig.axes)
        assert fig.bbox.contains(box.x0, box.y0) and fig.bbox.contains(box.x1, box.y1)
