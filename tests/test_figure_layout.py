"""Figures fit for a report: every kind of figure of the shipped sweeps is drawn, and no
two texts overlap and none leaves the figure (matplotlib's text bounding boxes, checked
by `wargame.figures.style.layout_problems` when each figure is saved).

The sweeps are the shipped ones (wargame/configs/sweeps/) with fewer replications, trajectories
and samples, plus a Sobol design over the headline's numeric inputs, so the module runs in
about a minute. SVGs are written with text kept as text, so the words a reader sees can
be checked in the files.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import matplotlib
import pandas as pd
import pytest
from conftest import REPO

from wargame.figure_kinds import kinds_for
from wargame.figures import response
from wargame.figures.load import Unsupported, load_results
from wargame.figures.standard import render_kind, render_kinds
from wargame.figures.style import layout_problems, level_label, number, output, pyplot
from wargame.outcomes import OUTCOME_NAMES
from wargame.sweep.api import sweep


def shipped(name: str, **changes) -> dict:
    config = tomllib.loads((REPO / "wargame" / "configs" / "sweeps" / f"{name}.toml").read_text())
    for key, value in changes.items():
        if key == "design":
            config["design"].update(value)
        else:
            config[key] = value
    return config


# The shipped sweeps pair their seeds: replication r has one seed in every cell, so a sweep
# of two replications has two crises, and both may end alike in every cell (nothing to rank).
# Six give the outcomes room to vary (the headline's 360 runs take a few seconds).
SWEEPS = {
    "quick": shipped("quick", replications=3),
    "headline": shipped("headline", replications=6),
    "assumptions": shipped("assumptions", replications=2, design={"trajectories": 2}),
    "sobol": shipped("headline", replications=6, design={
        "kind": "sobol", "samples": 8, "levels": None,
        "ranges": {"us_commitment": [0.0, 1.0], "eu_financing": [0.0, 1.0],
                   "command_integration": [0.0, 1.0]}}),
}
SWEEPS["reform"] = shipped("reform", replications=6)
SWEEPS["negotiation"] = shipped("negotiation", replications=8)
SWEEPS["sobol"]["design"] = {k: v for k, v in SWEEPS["sobol"]["design"].items() if v is not None}


@pytest.fixture(scope="module")
def folders(tmp_path_factory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("layout")
    for name, config in SWEEPS.items():
        result = sweep(config, tmp / name, name=name, workers=2)
        assert result.status == "complete", name
    return {name: tmp / name for name in SWEEPS}


def figure_warnings(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("wargame: warning: figure")]


def svg_text(path: Path) -> str:
    """The words of an SVG written with svg.fonttype = none (one string)."""
    return " ".join(re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text()))


@pytest.mark.parametrize("name", [name if name == "quick" else
                                  pytest.param(name, marks=pytest.mark.slow) for name in SWEEPS])
def test_no_text_overlaps_in_any_figure_of_the_shipped_sweeps(folders, name, tmp_path, capsys):
    results = load_results(folders[name])
    with output(("png",), 60):
        figures, skipped = render_kinds(results, tmp_path)  # the kinds of its model
    problems = figure_warnings(capsys.readouterr().err)
    assert problems == [], "\n".join(problems)
    drawn = {f.kind for f in figures}
    # no two-stage run; discovery needs more runs than these small sweeps have to hold half
    # out (it is checked when drawn, and drawn in tests/test_analysis.py)
    crisis_only = set(kinds_for("crisis", "grid")) - {"reform-crisis", "discovery"}
    expected = {"quick": crisis_only,
                "headline": crisis_only - {"timecourse"},
                "assumptions": {"screening"},  # a Morris design: its figure only
                "sobol": {"sensitivity"},
                # governance x treaty_change: named values only, no phase or response
                "reform": {"reform-crisis", "reform-adoption", "reform-blockers", "reform-map",
                           "reform-price", "sensitivity", "burden", "map"},
                "negotiation": set(kinds_for("negotiation"))}[name]
    assert drawn >= expected, skipped
    assert drawn <= set(kinds_for(results.model, results.design)) | {"reform-crisis"} | set(
        kinds_for("negotiation"))  # nothing a design does not support
    for figure in figures:
        assert figure.title and "runs" in figure.caption, figure.kind
        assert "interval" in figure.caption or "quantile" in figure.caption or \
            "10–90%" in figure.caption, figure.kind


@pytest.mark.parametrize(("kind", "options"), [
    ("response", {"x": "governance", "by": "us_commitment"}),
    ("phase", {"x": "eu_financing", "y": "us_commitment", "by": None}),
    ("burden", {"x": "eu_financing", "by": "governance"}),
    ("map", {"by": "governance"}),
])
def test_other_axes_lay_out_too(folders, kind, options, tmp_path, capsys):
    with output(("png",), 60):
        render_kind(kind, load_results(folders["headline"]), tmp_path, **options)
    problems = figure_warnings(capsys.readouterr().err)
    assert problems == [], "\n".join(problems)


def test_the_checker_finds_overlaps_and_text_outside(tmp_path):
    plt = pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(6, 3))
    for ax in axes:
        ax.set_title("A title far too long for half of a six-inch-wide figure = 0")
    fig.text(1.05, 0.5, "outside")
    problems = layout_problems(fig)
    plt.close(fig)
    assert any("overlaps title" in p for p in problems)
    assert any("'outside' reaches outside the figure" in p for p in problems)
    fig, ax = plt.subplots(figsize=(6, 3), constrained_layout=True)
    ax.set_title("Short")
    ax.set_xlabel("x (unit)")
    assert layout_problems(fig) == []
    plt.close(fig)


@pytest.mark.slow
def test_every_kind_writes_every_requested_format(folders, tmp_path):
    with output(("png", "svg", "pdf"), 80):
        figures, _ = render_kinds(load_results(folders["quick"]), tmp_path)
    for figure in figures:
        assert sorted(p.suffix for p in figure.paths) == [".pdf", ".png", ".svg"], figure.kind
        assert all(p.stat().st_size > 2_000 for p in figure.paths), figure.kind
    page = (tmp_path / "index.html").read_text()
    assert page.count("<img") == len(figures) and ".pdf'>PDF</a>" in page
    # Split by governance only, these mix the other swept inputs, and say so.
    for figure in figures:
        if figure.kind in ("map", "timecourse") or figure.title == "Burden sharing by state":
            assert "pooled over us_commitment, eu_financing" in figure.caption, figure.kind


def test_numbers_read_as_a_reader_writes_them():
    assert number(5000) == "5,000" and number(5060.0) == "5,060" and number(0.25) == "0.25"
    assert level_label("rapid_reaction_force", 5000) == "EU rapid-reaction force = 5,000"
    assert level_label("governance", "art427_only").startswith("Art. 42.7 only")


@pytest.fixture
def svg_fonts():
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        yield


def test_phase_leaves_out_outcomes_no_run_ended_in(folders, tmp_path, svg_fonts):
    with output(("svg",), 72):
        (figure,) = render_kind("phase", load_results(folders["quick"]), tmp_path)
    table = pd.read_csv(tmp_path / "phase.csv")
    never = [o for o in OUTCOME_NAMES if table.loc[table["outcome"] == o, "count"].sum() == 0]
    words = svg_text(tmp_path / "phase.svg")
    for outcome in OUTCOME_NAMES:
        assert (f"P({outcome})" in words) == (outcome not in never)
    if never:
        assert f"Not drawn: {', '.join(never)}" in figure.caption


def test_sobol_draws_its_indices_not_a_phase_and_warns_about_few_samples(folders, tmp_path,
                                                                          svg_fonts, capsys):
    results = load_results(folders["sobol"])
    with pytest.raises(Unsupported, match="sobol design"):
        render_kind("phase", results, tmp_path)
    with output(("svg",), 72):
        (sensitivity,) = render_kind("sensitivity", results, tmp_path)
    err = capsys.readouterr().err
    table = pd.read_csv(tmp_path / "sensitivity.csv")
    wide = (table["ST_hi"] - table["ST_lo"] > table["ST"].abs()) | (
        table["S1_hi"] - table["S1_lo"] > table["S1"].abs())
    assert wide.any()  # 8 base samples: far too few
    assert "interval wider than the index" in err and "8 base samples" in err
    assert "wider than the index" in sensitivity.caption
    assert "too few samples" in svg_text(tmp_path / "sensitivity.svg")


def test_grid_sensitivity_names_its_method(folders, tmp_path, svg_fonts):
    with output(("svg",), 72):
        (figure,) = render_kind("sensitivity", load_results(folders["headline"]), tmp_path)
    assert "η²" in svg_text(tmp_path / "sensitivity.svg")
    assert "model-free variance-based" in figure.caption and "regression" in figure.caption


def test_response_draws_categories_by_name_and_names_what_it_pooled(folders, tmp_path,
                                                                    svg_fonts):
    results = load_results(folders["headline"])
    with output(("svg",), 72):
        (figure,) = response.render(results, tmp_path, x="governance", by="us_commitment")
    words = svg_text(tmp_path / "response.svg")
    assert "NATO, US-led (today)" in words and "nato_us_led" not in words
    assert "pooled over eu_financing" in figure.caption
    assert "pooled over EU financing" in words


def test_map_draws_the_shipped_coastlines(folders, tmp_path, svg_fonts):
    with output(("svg",), 72):
        (figure,) = render_kind("map", load_results(folders["quick"]), tmp_path)
    assert "fill: #f0f0f0" in (tmp_path / "map.svg").read_text()  # land from Natural Earth
    assert "Natural Earth" in figure.caption


def test_index_lists_the_figures_and_their_files(folders, tmp_path):
    with output(("pdf",), 72):
        render_kinds(load_results(folders["quick"]), tmp_path, ("response",))
    record = json.loads((tmp_path / "figures.json").read_text())
    assert record["figures"][0]["files"] == ["response.pdf"]
    assert "response.pdf" in (tmp_path / "index.md").read_text()


def test_error_bars_stop_at_an_estimate_outside_its_bootstrap_interval():
    # η² is biased upwards: a percentile bootstrap interval can lie wholly above it (seen on
    # the shipped reform sweep, where matplotlib refused the negative bar length).
    from wargame.figures.sensitivity import _error_bars

    table = pd.DataFrame({"S1": [0.010, 0.30], "S1_lo": [0.012, 0.20], "S1_hi": [0.05, 0.35]})
    bars = _error_bars(table, "S1")
    assert bars.ravel().tolist() == pytest.approx([0.0, 0.10, 0.04, 0.05])


@pytest.mark.parametrize("figsize", [(14.3, 6.6), (8, 6.5)], ids=["crisis-map", "reform-map"])
def test_no_two_state_labels_collide_on_the_map(figsize):
    """Every state the maps can show, named beside its capital on the frame of the crisis
    map (two panels) and the reform map (one), placed by adjustText: no name may cover
    another, Balkans and off-map ones included, and each stays inside the map."""
    from wargame.figures.map import capitals, draw_outlines, frame_europe, label_states
    from wargame.figures.style import state_names
    from wargame.roster import load_roster

    plt = pyplot()
    panels = 2 if figsize[0] > 10 else 1
    fig, axes = plt.subplots(1, panels, figsize=figsize, squeeze=False, constrained_layout=True)
    states = list(load_roster().states.values())
    ax = axes[0, 0]
    draw_outlines(ax)
    xs, ys, off = capitals([s.lon for s in states], [s.lat for s in states])
    ax.scatter(xs, ys, s=20)
    frame_europe(ax)
    labels = label_states(ax, [s.iso3 for s in states], xs, ys, off)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    shown = [(label.get_text(), label.get_window_extent(renderer)) for label in labels
             if frame.contains(*label.get_window_extent(renderer).corners().mean(axis=0))]
    plt.close(fig)
    collisions = [f"{a} / {b}" for i, (a, box_a) in enumerate(shown)
                  for b, box_b in shown[i + 1:] if box_a.overlaps(box_b)]
    assert len(shown) >= 35 and collisions == []
    names = {text for text, _ in shown}
    assert "Finland" in names and "Canada (capital off map)" in names  # names, not codes
    assert not names & set(state_names())


@pytest.mark.slow  # every kind of figure drawn and read back (~13 s)
def test_every_figure_carries_its_conditions_and_citation_and_names_states(folders, tmp_path,
                                                                          svg_fonts):
    results = load_results(folders["quick"])
    with output(("svg",), 72):
        figures, _ = render_kinds(results, tmp_path)
    assert len(figures) >= 6
    for figure in figures:
        words = svg_text(figure.paths[0])
        assert "Conditions: Scenario baltic (attacked: Estonia)" in words, figure.kind
        assert "paired seeds per point" in words and "Cite: wargame" in words, figure.kind
    words = f" {svg_text(tmp_path / 'burden.svg')} {svg_text(tmp_path / 'map.svg')} "
    assert "France" in words and "Germany" in words
    assert not any(f" {code} " in words for code in ("FRA", "DEU", "FIN", "EST", "ITA"))
