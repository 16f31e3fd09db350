"""Day-by-day charts: the ladder and the front, the balance of forces and losses, and pledges.

They read the model's own DataCollector series (`wargame.model.STEP_SERIES`), so what the
page shows is what `wargame run` writes. Troops are plotted in thousands.
"""

from __future__ import annotations

import solara
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from wargame.agents import Commitment, Rung
from wargame.model import CrisisModel
from wargame.viz.style import (
    ADVERSARY_COLOUR,
    COMMITMENT_COLOURS,
    DEPLOYED_COLOUR,
    PLEDGED_COLOUR,
    level_name,
    show_figure,
)

TOP_CONTRIBUTORS = 10


def draw_balance(model: CrisisModel, fig: Figure) -> None:
    """The escalation ladder (top) and adversary vs coalition forces (bottom), per day."""
    series = model.datacollector.get_model_vars_dataframe()
    ladder, forces = fig.subplots(2, 1, sharex=True, height_ratios=[1, 2.6])
    days = series["day"]

    rungs = series["escalation"].map(lambda name: Rung[name].value)  # recorded by name
    ladder.step(days, rungs, where="post", color=ADVERSARY_COLOUR, lw=2)
    ladder.set_yticks([r.value for r in Rung], [r.name.lower() for r in Rung], fontsize=8)
    ladder.set_ylim(-0.3, len(Rung) - 0.7)
    ladder.set_title("Escalation ladder, territory held, forces and losses", fontsize=10)
    ladder.grid(axis="y", alpha=0.3)
    front = ladder.twinx()
    front.fill_between(days, series["territory_lost"] * 100, step="post", color=ADVERSARY_COLOUR,
                       alpha=0.18, lw=0)
    front.set_ylim(0, max(5.0, float(series["territory_lost"].max()) * 110))
    front.set_ylabel("territory held (%)", fontsize=8, color=ADVERSARY_COLOUR)
    front.tick_params(labelsize=7, colors=ADVERSARY_COLOUR)

    thousands = 1e-3
    forces.plot(days, series["adversary_committed"] * thousands, color=ADVERSARY_COLOUR, lw=2,
                label="adversary committed")
    forces.plot(days, series["defence_effective"] * thousands, color="#2171b5", lw=2,
                label="defence effective (quality-weighted)")
    forces.plot(days, series["pledged_troops"] * thousands, color=PLEDGED_COLOUR, lw=1.5,
                ls="--", label="allied troops pledged")
    forces.plot(days, series["deployed_troops"] * thousands, color=DEPLOYED_COLOUR, lw=1.5,
                ls=":", label="allied troops deployed")
    forces.plot(days, series["adversary_losses"] * thousands, color=ADVERSARY_COLOUR, lw=1,
                ls="-.", label="adversary losses (cumulative)")
    forces.plot(days, series["defender_losses"] * thousands, color="#2171b5", lw=1, ls="-.",
                label="defender losses (cumulative)")
    forces.set_ylabel("troops (thousands)", fontsize=9)
    forces.set_xlabel("day of the crisis", fontsize=9)
    forces.set_ylim(bottom=0)
    forces.xaxis.set_major_locator(MaxNLocator(integer=True))
    forces.set_xlim(0, max(10, int(days.iloc[-1])))
    forces.grid(alpha=0.3)
    # Under the chart, not on its lines.
    fig.legend(*forces.get_legend_handles_labels(), loc="outside lower center", ncols=2,
               fontsize=6, labelspacing=0.3, borderpad=0.3, handlelength=1.6,
               columnspacing=0.8)
    forces.tick_params(labelsize=8)


def draw_pledges(model: CrisisModel, fig: Figure) -> None:
    """The top contributors' pledged and deployed troops, and what is left of the EU fund."""
    bars, fund = fig.subplots(2, 1, height_ratios=[5, 1])
    ranked = sorted(model.state_list,
                    key=lambda s: (s.pledged_troops, s.commitment, s.cost_bn), reverse=True)
    top = ranked[:TOP_CONTRIBUTORS][::-1]  # largest at the top
    names = [s.profile.name for s in top]
    thousands = 1e-3
    bars.barh(names, [s.pledged_troops * thousands for s in top],
              color=[COMMITMENT_COLOURS[s.commitment] for s in top], alpha=0.45,
              label="pledged")
    bars.barh(names, [s.deployed_troops * thousands for s in top],
              color=[COMMITMENT_COLOURS[s.commitment] for s in top], height=0.45,
              label="deployed")
    for y, s in enumerate(top):
        if s.pledged_troops == 0:
            bars.text(0, y, f" {level_name(s.commitment)}, EUR {s.cost_bn:.2f} bn",
                      va="center", fontsize=7, color="#444444")
    bars.set_xlabel("troops (thousands): pale = pledged, dark = deployed", fontsize=8)
    bars.set_title(f"Top {TOP_CONTRIBUTORS} contributors on day {model.day}", fontsize=10)
    bars.tick_params(labelsize=8)
    bars.xaxis.set_major_locator(MaxNLocator(integer=True))
    bars.set_xlim(0, max(1.0, max(s.pledged_troops for s in top) * thousands * 1.1))
    bars.grid(axis="x", alpha=0.3)

    size = model.inputs.as_dict()["eu_fund_bn"]
    left = model.eu_fund_remaining_bn
    fund.barh([0], [size], color="#e0e0e0")
    fund.barh([0], [left], color=COMMITMENT_COLOURS[Commitment.FINANCIAL])
    fund.set_yticks([])
    fund.set_xlim(0, max(size, 0.1))
    fund.set_xlabel(f"EU fund remaining: EUR {left:.2f} bn of {size:.2f} bn", fontsize=8)
    fund.tick_params(labelsize=8)


@solara.component
def BalanceOfForces(model: CrisisModel) -> None:
    """Escalation and forces, redrawn after every step."""
    show_figure(model, draw_balance)


@solara.component
def PledgesByState(model: CrisisModel) -> None:
    """Who pledges what, redrawn after every step."""
    show_figure(model, draw_pledges)
