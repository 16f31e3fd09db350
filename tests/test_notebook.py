"""The Python API as a notebook uses it (issue 20, item 2): figures as matplotlib Figures,
drawn into the caller's axes on request; tables that display as HTML; shares with Wilson
intervals; the same column types in one run and in a sweep; constant inputs kept apart.

A real sweep through `wargame.sweep` (small, short crises), read with `load_sweep`.
"""

from __future__ import annotations

import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from statsmodels.stats.proportion import proportion_confint

import wargame
from wargame.inputs import RUNG_NAMES
from wargame.output_registry import COMMITMENT_LEVELS

matplotlib.use("Agg")

SPEC = {"scenario": "baltic", "replications": 6, "base_seed": 5, "days": 30,
        "keep_series": True, "paired_seeds": True,
        "design": {"kind": "grid", "levels": {"us_commitment": [0.0, 1.0],
                                              "governance": ["nato_us_led", "reform"]}}}


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("notebook") / "sweep"
    assert wargame.sweep(SPEC, out=folder, name="notebook").status == "complete"
    return wargame.load_sweep(folder)


def test_plot_returns_figures_and_writes_nothing_unless_asked(data, tmp_path):
    before = set(data.path.rglob("*"))
    figures = wargame.plot(data, "response")
    assert len(figures) == 1 and isinstance(figures[0], Figure)
    assert set(data.path.rglob("*")) == before  # no plots/ folder appeared
    assert "<img" in figures._repr_html_()
    written = wargame.plot(data.path, ["response", "map"], out=tmp_path / "plots")
    assert all(isinstance(f, Figure) for f in written) and len(written) == 2
    files = {p.name for p in (tmp_path / "plots").iterdir()}
    assert {"response.png", "map.png", "response.csv", "index.html"} <= files


def test_plot_draws_one_panel_into_the_callers_axes(data):
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2)
    drawn = wargame.plot(data, "response", ax=right, x="us_commitment", by="governance")
    assert list(drawn) == [fig]
    assert right.lines and not left.lines  # the headline outcome, in the axes given
    assert right.get_ylabel().startswith("Probability")
    plt.close(fig)


@pytest.mark.parametrize("call, message", [
    (lambda d, ax: wargame.plot(d, "burden", ax=ax), "ax= draws one kind of one panel"),
    (lambda d, ax: wargame.plot(d, ["response", "map"], ax=ax), "ax= draws one kind"),
    (lambda d, ax: wargame.plot(d, "map", x="us_commitment"), "map does not take x"),
    (lambda d, ax: wargame.plot(d, "screening"), "screening: screening is drawn from morris"),
    (lambda d, ax: d.share("victory"), "unknown outcome 'victory'"),
    (lambda d, ax: d.share("defeated", by="eu_financing"), "'eu_financing' was not swept"),
])
def test_notebook_calls_that_cannot_work_are_one_line(data, call, message):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    with pytest.raises(wargame.WargameError, match=message) as caught:
        call(data, ax)
    assert "\n" not in str(caught.value)
    plt.close(fig)


def test_share_has_wilson_intervals_from_statsmodels(data):
    table = data.share("defeated", by=["governance", "us_commitment"])
    assert list(table["governance"].astype(str)) == ["nato_us_led", "nato_us_led", "reform",
                                                     "reform"]  # the regimes' own order
    for row in table.itertuples():
        cell = data.runs[(data.runs["governance"] == row.governance)
                         & (data.runs["us_commitment"] == row.us_commitment)]
        hits = int((cell["outcome"] == "defeated").sum())
        assert (row.runs, row.n, row.count) == (len(cell), len(cell), hits)
        assert (row.low, row.high) == pytest.approx(
            proportion_confint(hits, len(cell), method="wilson"))
    assert "Wilson" in table.attrs["interval"]


def test_a_run_and_a_sweep_type_their_columns_alike(data):
    run = wargame.run("baltic", seed=1, max_days=30)
    for frame, column, levels in ((run.steps, "escalation", RUNG_NAMES),
                                  (data.steps, "escalation", RUNG_NAMES),
                                  (data.runs, "max_escalation", RUNG_NAMES),
                                  (run.states, "commitment", COMMITMENT_LEVELS),
                                  (data.states, "commitment", COMMITMENT_LEVELS)):
        dtype = frame[column].dtype
        assert isinstance(dtype, pd.CategoricalDtype) and dtype.ordered, column
        assert tuple(dtype.categories) == levels  # the ladder, not the alphabet
    assert data.steps["escalation"].dtype == run.steps["escalation"].dtype
    assert data.runs["reform_adopted"].dtype == "boolean"  # missing outside two-stage runs
    adopted = data.runs.loc[data.runs["governance"] == "reform", "reform_adopted"]
    assert adopted.notna().all() and adopted.isin([True, False]).all()
    assert str(data.runs["governance"].dtype) == "category"


def test_constant_inputs_move_to_constants_and_the_full_table_stays(data):
    assert "us_commitment" in data.runs.columns and "governance" in data.runs.columns
    assert "attack_troops" not in data.runs.columns
    assert "attack_troops" in data.full_runs.columns
    assert data.constants["attack_troops"] == data.full_runs["attack_troops"].iloc[0]
    assert data.constants["max_days"] == 30
    assert set(data.full_runs.columns) == set(data.runs.columns) | set(data.constants.index)
    assert len(data.runs.columns) < len(data.full_runs.columns) / 2


def test_runs_and_sweeps_display_as_tables(data):
    page = data._repr_html_()
    assert "<table" in page and "paired seeds" in page and "inputs held constant" in page
    run = wargame.run("baltic", seed=2, max_days=30)
    assert "<table" in run._repr_html_() and "Outcome of the crisis" in run._repr_html_()
