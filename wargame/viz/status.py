"""The run in words: the day, the outcome, the key figures and the event log, newest first."""

from __future__ import annotations

import math
from html import escape

import solara
from mesa.visualization.utils import update_counter

from wargame.inputs import INPUTS, SELECT, Input, controlled
from wargame.outcomes import OUTCOME_COLOURS
from wargame.outputs import run_outputs
from wargame.viz.model import InspectedCrisis
from wargame.viz.style import ADVERSARY_COLOUR, VICTIM_COLOUR

PAGE_CSS = """
.wg-status { font-size: 13px; line-height: 1.35; height: 100%; display: flex;
             flex-direction: column; padding: 4px 8px; }
.wg-status h3 { font-size: 16px; margin: 0 0 2px 0; }
.wg-status table { border-collapse: collapse; margin: 4px 0; }
.wg-status td { padding: 0 10px 0 0; vertical-align: top; }
.wg-status .wg-label { color: #555; }
.wg-log { height: 150px; overflow-y: auto; border: 1px solid #ddd; border-radius: 3px;
          margin: 2px 0 4px 0; padding: 2px 4px; font-size: 12.5px; }
.wg-log div { padding: 1px 0; }
.wg-log .wg-day { color: #666; }
"""


def shown(i: Input, value: float) -> str:
    """A slider's value as precise as its step: 0.50 for shares, 75,000 for troops."""
    step = i.control
    if i.kind is int:
        return f"{value:,}"
    decimals = max(0, -math.floor(math.log10(step))) if isinstance(step, float) else 3
    return f"{value:.{decimals}f}"


def _day(value: float) -> str:
    return "not yet" if math.isnan(value) else f"day {value:.0f}"


def headline(model: InspectedCrisis) -> str:
    """'Day 10 of 120: crisis under way' or 'Day 19 of 120: outcome deterred'."""
    days = f"Day {model.day} of {model.stage_inputs.max_days}"
    if model.outcome is None:
        return f"{days}: crisis under way"
    colour = OUTCOME_COLOURS[model.outcome]
    return f'{days}: outcome <span style="color:{colour}">{model.outcome.upper()}</span>'


def key_figures(model: InspectedCrisis) -> list[tuple[str, str]]:
    """The figures an analyst checks first, as (label, value) in words and units."""
    out = run_outputs(model)
    return [
        ("escalation", f"{model.adversary.rung.name.lower()}, adversary force ratio "
                       f"{model.force_ratio:.2f}"),
        ("coalition", f"{out['coalition_size']} states give money or forces, "
                      f"{out['states_sending_forces']} send forces"),
        ("allied troops", f"{model.pledged_troops:,} pledged, {model.deployed_troops:,} deployed"),
        ("US troops", f"{model.us_troops:,} ({out['us_share']:.0%} of the defence)"),
        ("first help", f"pledged {_day(out['day_first_assistance'])}, forces arrive "
                       f"{_day(out['day_first_forces'])}"),
        ("cost", f"EUR {out['total_cost_bn']:.2f} bn, of which the EU fund paid "
                 f"EUR {out['eu_fund_used_bn']:.2f} bn"),
        ("territory lost", f"{out['territory_lost']:.0%}"),
    ]


def status_html(model: InspectedCrisis) -> str:
    """The whole panel as HTML (the log's texts are escaped)."""
    p = model.inputs.as_dict()
    sliders = ", ".join(f"{name} {shown(INPUTS[name], p[name])}" for name in controlled()
                        if INPUTS[name].control != SELECT)
    origin = (
        f"scenario {escape(model.scenario_name)}, target {escape(model.victim.name)}, "
        f"{escape(p['governance'])}, seed {model.seed}<br>{sliders}"
    )
    if model.run_label:
        origin = f"<b>{escape(model.run_label)}</b>: {origin}"
    if model.notice:
        notice = escape(model.notice)
        origin += f'<div class="wg-notice" style="color:{VICTIM_COLOUR}">{notice}</div>'
    rows = "".join(
        f'<tr><td class="wg-label">{label}</td><td>{escape(value)}</td></tr>'
        for label, value in key_figures(model)
    )
    log = "".join(
        f'<div class="wg-event"><span class="wg-day">day {entry.day}:</span> '
        f"{escape(entry.text)}</div>"
        for entry in reversed(model.log)
    )
    return (
        f'<div class="wg-status"><h3 class="wg-headline">{headline(model)}</h3>'
        f'<div class="wg-origin" style="color:#555;font-size:12px">{origin}</div>'
        f'<div style="color:{ADVERSARY_COLOUR};font-weight:bold">Event log, newest first</div>'
        f'<div class="wg-log">{log}</div><table>{rows}</table></div>'
    )


@solara.component
def RunStatus(model: InspectedCrisis) -> None:
    """Day, outcome, key figures and event log, refreshed after every step."""
    update_counter.get()
    solara.Style(PAGE_CSS)
    solara.HTML(tag="div", unsafe_innerHTML=status_html(model), style="height: 100%")
