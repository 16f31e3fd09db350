"""The negotiation as the page builds it (`wargame viz --reform`, docs/VIZ.md).

A ReformModel made from the page's controls: a slider for each input the reform registry
gives a step (`reform_controlled()`), the seed typed as text, and the inputs the page was
opened with for the rest. Mesa's run controller re-creates the model on Reset by calling its
class with the controls' values, so their names are the constructor's keywords.
"""

from __future__ import annotations

import inspect
from typing import Any

from wargame.reform.agents import AllyAgent
from wargame.reform.inputs import REFORM_INPUTS, reform_controlled
from wargame.reform.model import ReformModel
from wargame.viz.controls import slider
from wargame.viz.launch import ReformLaunch


class WatchedNegotiation(ReformModel):
    """One negotiation as the analyst set it up on the page, stepped round by round."""

    def __init__(self, origin: ReformLaunch, seed: str, **controls: Any) -> None:
        """`controls` holds one value per name of `reform_controlled()`."""
        # A typo in the seed field must not take the page down: keep the launch's seed.
        notice = ""
        try:
            seed_value = int(str(seed).strip())
            if seed_value < 0:
                raise ValueError
        except ValueError:
            seed_value = origin.seed
            notice = f"seed {seed!r} is not a non-negative integer: seed {seed_value} kept"
        super().__init__(rng=seed_value, **{**origin.inputs, **controls})
        self.seed = seed_value
        self.notice = notice
        #: (round, allies saying yes, EUR bn promised) after each round, for the chart.
        self.history = [(0, 0, 0.0)]
        # A finished negotiation stays finished: SolaraViz steps `render_interval` times
        # per click without looking at `running`.
        negotiate_one_round = self.step

        def step() -> None:
            if self.running:
                negotiate_one_round()
                self.history.append((self.round, self.n_yes, self.proposer.spent_bn))

        self.step = step

    def position(self, ally: AllyAgent) -> str:
        """'accepts' or 'refuses' this round; 'undecided' before the first round."""
        if self.round == 0:
            return "undecided"
        return "accepts" if ally.accepts else "refuses"


def controls(origin: ReformLaunch) -> dict[str, Any]:
    """model_params for `WatchedNegotiation`, showing the values of `origin`."""
    return {
        "origin": origin,  # fixed: what the page was opened with
        **{name: slider(REFORM_INPUTS[name], origin.inputs[name])
           for name in reform_controlled()},
        "seed": {"type": "InputText", "label": "Seed (integer; Enter, then Reset)",
                 "value": str(origin.seed)},
    }


def from_launch(launch: ReformLaunch) -> WatchedNegotiation:
    """The model the page opens on."""
    return WatchedNegotiation(origin=launch, seed=str(launch.seed),
                              **{name: launch.inputs[name] for name in reform_controlled()})


def _signature() -> inspect.Signature:
    """The keywords SolaraViz checks the controls against: origin, the sliders, the seed."""
    keyword = inspect.Parameter.KEYWORD_ONLY
    names = ("origin", *reform_controlled(), "seed")
    return inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD),
         *(inspect.Parameter(name, keyword) for name in names)],
        return_annotation=None,
    )


WatchedNegotiation.__init__.__signature__ = _signature()
