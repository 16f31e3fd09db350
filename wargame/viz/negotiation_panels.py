"""The negotiation's panels: positions on the map, yes and money per round, the run in words.

The map is the crisis page's (`draw_europe`): each ally filled and marked by its position,
the marker's shape telling EU members, non-EU allies and Switzerland (no veto) apart.
"""

from __future__ import annotations

from html import escape

import solara
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator
from mesa.visualization.utils import update_counter

from wargame.reform.inputs import REFORM_DEFAULTS, REFORM_INPUTS, reform_controlled
from wargame.viz.europe_map import draw_europe, on_map
from wargame.viz.negotiation import WatchedNegotiation
from wargame.viz.status import PAGE_CSS, shown
from wargame.viz.style import show_figure

#: Position -> (marker colour, country fill).
POSITION_COLOURS = {
    "accepts": ("#1a9850", "#c7e9c0"),
    "refuses": ("#d73027", "#fcbba1"),
    "undecided": ("#969696", "#e0e0e0"),
}
PARTNER_COLOURS = ("#762a83", "#e7d4e8")
EU_MARKER, NON_EU_MARKER, PARTNER_MARKER = "o", "s", "^"


def draw_positions(model: WatchedNegotiation, fig: Figure) -> None:
    """Every ally at its capital, coloured by its position; Switzerland by its choice."""
    ax = fig.subplots()
    partner = model.partner
    fills = {a.profile.name: POSITION_COLOURS[model.position(a)][1] for a in model.ally_list}
    fills[partner.profile.name] = PARTNER_COLOURS[1]
    draw_europe(ax, fills)
    shown = [a for a in model.ally_list if on_map(a.profile.lon, a.profile.lat)]
    for eu_member, marker in ((True, EU_MARKER), (False, NON_EU_MARKER)):
        group = [a for a in shown if a.eu_member == eu_member]
        ax.scatter([a.profile.lon for a in group], [a.profile.lat for a in group], marker=marker,
                   s=38, c=[POSITION_COLOURS[model.position(a)][0] for a in group],
                   edgecolors="white", linewidths=0.7, zorder=3)
    ax.scatter(partner.profile.lon, partner.profile.lat, marker=PARTNER_MARKER, s=60,
               c=PARTNER_COLOURS[0], edgecolors="white", linewidths=0.7, zorder=3)
    for state in [*shown, partner]:
        ax.annotate(state.iso3, (state.profile.lon, state.profile.lat), xytext=(0, -7),
                    textcoords="offset points", ha="center", va="top", fontsize=6, zorder=4)
    off_map = [a for a in model.ally_list if a not in shown]
    ax.text(0.01, 0.01, "off the map: " + ", ".join(
        f"{a.profile.name} {model.position(a)}" for a in off_map),
        transform=ax.transAxes, fontsize=6.5, va="bottom")
    ax.set_title(f"Round {model.round}: {model.n_yes} of {len(model.ally_list)} allies say yes",
                 fontsize=10)
    # Under the map, not on it: over the Atlantic it hid the United Kingdom.
    fig.legend(handles=_legend_handles(partner.status().choice.replace("_", " ")),
               loc="outside lower center", ncols=4, fontsize=6, labelspacing=0.3,
               borderpad=0.3, handletextpad=0.2, columnspacing=0.8)


def _legend_handles(partner_choice: str) -> list[Line2D]:
    def dot(colour: str, label: str, marker: str = "o") -> Line2D:
        return Line2D([], [], marker=marker, linestyle="", markersize=6,
                      markerfacecolor=colour, markeredgecolor="grey", label=label)

    grey = POSITION_COLOURS["undecided"][0]
    return [*(dot(marker, position) for position, (marker, _) in POSITION_COLOURS.items()),
            dot(grey, "EU member", EU_MARKER), dot(grey, "non-EU ally", NON_EU_MARKER),
            dot(PARTNER_COLOURS[0], f"Switzerland (no veto): {partner_choice}",
                PARTNER_MARKER)]


def draw_progress(model: WatchedNegotiation, fig: Figure) -> None:
    """Allies saying yes after each round, and the side payments promised against the budget."""
    yes_ax = fig.subplots()
    rounds, yes, spent = zip(*model.history, strict=True)
    allies = len(model.ally_list)
    yes_ax.step(rounds, yes, where="post", color=POSITION_COLOURS["accepts"][0], lw=2)
    yes_ax.axhline(allies, color=POSITION_COLOURS["accepts"][0], lw=0.8, ls=":")
    yes_ax.set_ylim(0, allies + 1)
    yes_ax.set_ylabel("allies saying yes", fontsize=9, color=POSITION_COLOURS["accepts"][0])
    yes_ax.set_xlabel("round (month)", fontsize=9)
    yes_ax.set_xlim(0, max(6, model.round))
    yes_ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    yes_ax.tick_params(labelsize=8)
    yes_ax.grid(alpha=0.3)
    money = yes_ax.twinx()
    budget = model.proposer.budget_bn
    money.plot(rounds, spent, color=PARTNER_COLOURS[0], lw=1.5, marker=".")
    money.axhline(budget, color=PARTNER_COLOURS[0], lw=0.8, ls="--")
    money.set_ylim(0, max(1.0, budget) * 1.08)
    money.set_ylabel("side payments promised (EUR bn); dashed: budget", fontsize=8,
                     color=PARTNER_COLOURS[0])
    money.tick_params(labelsize=8)
    yes_ax.set_title("Allies saying yes and money promised, per round", fontsize=10)


def headline(model: WatchedNegotiation) -> str:
    """'Round 3 of 24: 30 of 32 say yes; holdouts France, Italy', ADOPTED or BLOCKED."""
    rounds = f"Round {model.round} of {model.inputs.deadline_rounds}"
    names = ", ".join(a.profile.name for a in model.ally_list if not a.accepts)
    if model.round == 0:
        return f"{rounds}: the EU tables the package"
    if model.adopted:
        return (f'{rounds}: <span style="color:{POSITION_COLOURS["accepts"][0]}">ADOPTED'
                f"</span>, all {model.n_yes} veto players sign")
    if model.agreed:  # agreed, but the treaty change failed in ratification
        failed = ", ".join(model.ratification_blockers)
        return (f'{rounds}: all {model.n_yes} agree; <span style="color:'
                f'{POSITION_COLOURS["refuses"][0]}">RATIFICATION FAILS</span> in '
                f"{escape(failed)} (the elements without a treaty change stand)")
    if not model.running:
        return (f'{rounds}: <span style="color:{POSITION_COLOURS["refuses"][0]}">BLOCKED'
                f"</span> by {escape(names)}")
    return (f"{rounds}: {model.n_yes} of {len(model.ally_list)} say yes; "
            f"holdouts {escape(names)}")


def package(model: WatchedNegotiation) -> str:
    """The package on offer and the money promised so far, in words."""
    p = model.inputs
    spent = model.proposer.spent_bn
    return (
        f"inclusiveness {p.inclusiveness:.2f}; EU budget +{p.eu_budget_increase:.1f} points "
        f"of GDP by {p.target_year} (EUR {model.budget_rise_bn:,.0f} bn a year, "
        f"{model.capability_gap_closed:.0%} of the gap); the US cuts "
        f"{model.us_cut:.0%} of its funding; {', '.join(model.elements)}; side payments "
        f"EUR {p.side_payments_bn:g} bn offered, "
        f"EUR {spent:.2f} bn promised"
    )


def changed_inputs(model: WatchedNegotiation) -> str:
    """The controlled inputs set away from their defaults, or 'defaults'."""
    values = model.inputs.as_dict()
    changed = [f"{name} {shown(REFORM_INPUTS[name], values[name])}"
               for name in reform_controlled() if values[name] != REFORM_DEFAULTS[name]]
    return ", ".join(changed) or "every input at its default"


def status_html(model: WatchedNegotiation) -> str:
    """The whole panel as HTML (the log's texts are escaped)."""
    origin = f"seed {model.seed}; {escape(changed_inputs(model))}"
    if model.notice:
        origin += f'<div class="wg-notice" style="color:#d73027">{escape(model.notice)}</div>'
    log = "".join(
        f'<div class="wg-event"><span class="wg-day">Round {event.round}:</span> '
        f"{escape(event.text)}</div>"
        for event in reversed(model.log)
    )
    return (
        f'<div class="wg-status"><h3 class="wg-headline">{headline(model)}</h3>'
        f'<div class="wg-package"><b>Package:</b> {escape(package(model))}</div>'
        f'<div class="wg-origin" style="color:#555;font-size:12px">{origin}</div>'
        f"<b>Who moved and why, newest first</b>"
        f'<div class="wg-log" style="height:210px">{log}</div></div>'
    )


@solara.component
def PositionsMap(model: WatchedNegotiation) -> None:
    """The allies' positions, redrawn after every round."""
    show_figure(model, draw_positions)


@solara.component
def Progress(model: WatchedNegotiation) -> None:
    """Yes and money per round, redrawn after every round."""
    show_figure(model, draw_progress)


@solara.component
def NegotiationStatus(model: WatchedNegotiation) -> None:
    """Round, adopted or blocked, holdouts, the package and the event log, after every step."""
    update_counter.get()
    solara.Style(PAGE_CSS)
    solara.HTML(tag="div", unsafe_innerHTML=status_html(model), style="height: 100%")
