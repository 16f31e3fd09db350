"""Shared look of the figures: words and units for every axis, saving, the figure record.

A policy reader sees names like "US commitment (share 0–1)", never a column name, so the
labels live here, built from the labels and units of the input and output registries, the
outcomes and the governance regimes.
"""

from __future__ import annotations

import numbers
import sys
import textwrap
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from wargame.errors import WargameError
from wargame.figures.load import Results, is_binned
from wargame.files import write_csv, write_file, write_text
from wargame.inputs import INPUTS
from wargame.outcomes import OUTCOMES
from wargame.output_registry import outputs
from wargame.regimes import REGIMES


@cache
def state_names() -> dict[str, str]:
    """iso3 -> the state's name as the states table gives it ('Estonia'): a reader of a
    report knows countries by name, not by ISO code."""
    from wargame.roster import load_roster

    return {iso3: profile.name for iso3, profile in load_roster().states.items()}


def input_name(name: str) -> str:
    """An input's label from the registry, capitalised: 'US commitment'."""
    label = INPUTS[name].label if name in INPUTS else name
    return label[:1].upper() + label[1:]


#: Outputs a figure can show: (label with unit, short name). The outcome probabilities,
#: then every numeric per-run output of the output registry.
METRICS = {
    **{o.name: (o.probability_label, f"P({o.name})") for o in OUTCOMES},
    **{o.name: (o.axis_label, o.short) for o in outputs("run") if o.dtype != "str"},
}


def parameter_label(name: str) -> str:
    """Axis label for a parameter: short name plus unit, e.g. 'US commitment (share 0–1)'."""
    parameter = INPUTS[name]
    unit = parameter.unit
    if unit == "share":
        unit = "share 0–1"
    base = input_name(name)
    return f"{base} ({unit})" if unit and unit != "iso3" else base


def axis_label(results: Results, name: str) -> str:
    """The parameter's label, noting when LHS/Sobol values were binned."""
    return parameter_label(name) + (" — bin centre" if is_binned(results, name) else "")


def number(value: object) -> str:
    """A value as a reader writes it: thousands separators for big numbers ('5,000',
    '50,600'), three significant digits for small ones ('0.25'), never '5e+03'."""
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Real):
        return str(value)
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def level_text(name: str, value: object) -> str:
    """One level of a parameter on its own: a regime's name, else the number ('5,000')."""
    if name == "governance" and str(value) in REGIMES:
        return REGIMES[str(value)].label
    return number(value)


def level_label(name: str, value: object) -> str:
    """How one level of a parameter reads in a legend or facet title."""
    if name == "governance":
        return level_text(name, value)
    return f"{input_name(name)} = {number(value)}"


def pooled_note(pooled: list[str]) -> str:
    """'pooled over EU financing' (a figure's subtitle), or a count when there are many."""
    if len(pooled) <= 2:
        return "pooled over " + " and ".join(input_name(p) for p in pooled)
    return f"pooled over {len(pooled)} other swept inputs"


def pooled_caption(pooled: list[str]) -> str:
    """The caption's sentence on pooling: which swept inputs each point mixes."""
    if not pooled:
        return ""
    return (f"Runs are pooled over {', '.join(pooled)} (swept, but not split in this "
            "figure). ")


def wrap(text: str, width: int) -> str:
    """Text broken into lines of at most `width` characters (axis labels, titles)."""
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def metric_label(metric: str) -> str:
    return METRICS.get(metric, (metric, metric))[0]


def percent(p: float) -> str:
    """A share as a whole percentage that never rounds a rare event to 0% or a near-certain
    one to 100%."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p:.0%}"


def n_text(counts) -> str:
    """'n = 20' or 'n = 12–20' for the runs behind each point of a series."""
    low, high = int(min(counts)), int(max(counts))
    return f"n = {low:,}" if low == high else f"n = {low:,}–{high:,}"


@dataclass
class Figure:
    """A written figure: its files, a title and the caption the index page shows."""

    kind: str
    title: str
    caption: str
    paths: list[Path]


#: What `save` writes: PNG at print resolution unless `output` says otherwise, and the
#: footer (`stamped`) drawn under each figure; `write` False (`drawing`) writes no file;
#: `drawn` collects the matplotlib figures `save` is handed; `axes` is the caller's axes
#: a one-panel figure is drawn into (`drawing(ax=...)`).
_output = {"formats": ("png",), "dpi": 200, "footer": None, "write": True, "drawn": None,
           "axes": None}
#: The type sizes of every figure, applied while one is drawn (`drawing_style`), so that
#: drawing leaves a notebook's own matplotlib settings alone.
STYLE = {"font.size": 10, "axes.titlesize": 11, "figure.titlesize": 13}
#: The gid of the footer text (drawn once per figure).
FOOTER = "wargame-footer"


@contextmanager
def output(formats: tuple[str, ...], dpi: int):
    """Within the block, `save` writes each figure in `formats` (png, svg, pdf) with
    raster formats at `dpi` (`wargame plot --format --dpi`; default PNG at 200 dpi)."""
    previous = dict(_output)
    _output.update(formats=tuple(formats), dpi=dpi)
    try:
        yield
    finally:
        _output.update(previous)


@contextmanager
def stamped(footer: Callable[[float], str]):
    """Within the block, `save` draws `footer(width in inches)` in small grey type under
    each figure (wargame.figures.provenance: the conditions and the citation line), so a
    figure copied out of its page still says what it shows and how to cite it."""
    previous = _output["footer"]
    _output["footer"] = footer
    try:
        yield
    finally:
        _output["footer"] = previous


def add_footer(fig) -> None:
    """Draw the current footer, if any, along the bottom of the figure (once), in a strip
    of its own: the figure is laid out as it is, the layout frozen, then the figure grows
    by the footer's height and everything in it (axes, figure texts, figure legends) moves
    up by as much, keeping its size, so nothing lands on the footer in any format."""
    footer = _output["footer"]
    if footer is None or any(text.get_gid() == FOOTER for text in fig.texts):
        return
    fig.canvas.draw()  # the layout engine places everything once, for good
    fig.set_layout_engine("none")
    height = fig.get_figheight()
    text = fig.text(0.01, 0.0, footer(fig.get_figwidth()), ha="left", va="bottom",
                    fontsize=7, color="#555555", gid=FOOTER, linespacing=1.3)
    room = text.get_window_extent(fig.canvas.get_renderer()).height / fig.dpi + 0.2
    fig.set_figheight(height + room)
    scale, lift = height / (height + room), room / (height + room)
    text.set_y(0.06 / (height + room))
    for ax in fig.axes:
        box = ax.get_position()
        ax.set_position([box.x0, box.y0 * scale + lift, box.width, box.height * scale])
    for other in fig.texts:
        if other is not text and other.get_transform() == fig.transFigure:
            other.set_y(other.get_position()[1] * scale + lift)
    for legend in fig.legends:  # anchored to the figure's box: now the part above the strip
        legend.set_bbox_to_anchor((0, lift, 1, scale), transform=fig.transFigure)


def warn(message: str) -> None:
    """A warning a reader must see (layout, sample size): one line on stderr."""
    print(f"wargame: warning: {message}", file=sys.stderr)


def target_axes():
    """The caller's axes a figure of one panel is drawn into (`drawing(ax=...)`), or None."""
    return _output["axes"]


def title_figure(fig, text: str, **options) -> None:
    """The figure's title: a suptitle, except in the caller's figure (`target_axes`), which
    keeps its own."""
    if target_axes() is None:
        fig.suptitle(text, **options)


def key(fig, handles, labels, **options) -> None:
    """A key under the panels (`loc="outside lower center"`, off the data), or, in the
    caller's axes (`target_axes`), a legend of those axes."""
    if target_axes() is None:
        fig.legend(handles, labels, loc="outside lower center", **options)
    else:
        target_axes().legend(handles, labels, fontsize=7, title=options.get("title"))


@contextmanager
def drawing(write: bool = True, ax=None):
    """Within the block, every figure `save` is handed is collected into the list this
    yields; with `write` False no file is written (figures for a notebook); with `ax`,
    a figure of one panel is drawn into those axes of the caller's figure instead of a new
    one (`Drawing.subplots`), with neither footer nor layout check (the figure is the
    caller's)."""
    previous = dict(_output)
    drawn: list = []
    _output.update(write=write, drawn=drawn, axes=ax)
    try:
        yield drawn
    finally:
        _output.update(previous)


def save(fig, out_dir: Path, stem: str) -> list[Path]:
    """Write the figure in the chosen formats (default PNG). Text that overlaps other text
    or leaves the figure is reported on stderr. The figure stays open: it is not pyplot's
    (`pyplot`), so nothing keeps it alive but whoever holds it."""
    if _output["drawn"] is not None:
        _output["drawn"].append(fig)
    if _output["axes"] is not None:
        return []
    add_footer(fig)
    for problem in layout_problems(fig):
        warn(f"figure {stem}: {problem}")
    paths = []
    if _output["write"]:
        out_dir.mkdir(parents=True, exist_ok=True)
    for suffix in _output["formats"] if _output["write"] else ():
        path = write_file(out_dir / f"{stem}.{suffix}", lambda handle, suffix=suffix: fig.savefig(
            handle, format=suffix, bbox_inches="tight", dpi=_output["dpi"]))
        paths.append(path)
    return paths


def save_text(text: str, out_dir: Path, name: str) -> Path:
    """Write text beside the figures (e.g. PRIM's rules), unless drawing writes nothing."""
    path = out_dir / name
    if _output["write"]:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_text(path, text)
    return path


def _text_boxes(fig) -> tuple[list[tuple[str, object]], list[tuple[str, object]]]:
    """(layout, annotations): window extents of the visible text of a drawn figure.

    Layout text is what frames the data (figure titles and texts, axes titles, axis labels,
    tick labels, legends as whole boxes); annotations are texts placed on the data."""
    renderer = fig.canvas.get_renderer()
    layout, annotations = [], []

    def visible(text) -> bool:
        return text.get_visible() and bool(text.get_text().strip())

    def add(into, what, artist):
        into.append((what, artist.get_window_extent(renderer)))

    for text in fig.texts:
        if visible(text):
            add(layout, f"figure text {text.get_text()[:40]!r}", text)
    for legend in fig.legends:
        add(layout, "figure legend", legend)
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        for title in (ax.title, ax._left_title, ax._right_title):
            if visible(title):
                add(layout, f"title {title.get_text()!r}", title)
        for axis in (ax.xaxis, ax.yaxis):
            if visible(axis.label):
                add(layout, f"axis label {axis.label.get_text()!r}", axis.label)
            low, high = sorted(axis.get_view_interval())
            span = (high - low) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if not low - span <= tick.get_loc() <= high + span:
                    continue  # matplotlib does not draw ticks outside the view
                for label in (tick.label1, tick.label2):
                    if visible(label):
                        add(layout, f"tick label {label.get_text()!r}", label)
        if ax.get_legend() is not None and ax.get_legend().get_visible():
            add(layout, "legend", ax.get_legend())
        for text in ax.texts:
            if visible(text):
                add(annotations, f"annotation {text.get_text()!r}", text)
    return layout, annotations


def layout_problems(fig, tolerance: float = 1.0) -> list[str]:
    """Pairs of overlapping layout texts (titles, labels, tick labels, legends), annotations
    under a layout text, and any text reaching outside the figure, each as one line.

    `tolerance` is in pixels: boxes that touch by less do not count as overlapping.
    """
    fig.canvas.draw()
    layout, annotations = _text_boxes(fig)
    frame = fig.bbox
    problems = []
    for what, box in layout + annotations:
        if (box.x0 < frame.x0 - tolerance or box.y0 < frame.y0 - tolerance
                or box.x1 > frame.x1 + tolerance or box.y1 > frame.y1 + tolerance):
            problems.append(f"{what} reaches outside the figure")

    def overlap(a, b) -> bool:
        return (min(a.x1, b.x1) - max(a.x0, b.x0) > tolerance
                and min(a.y1, b.y1) - max(a.y0, b.y0) > tolerance)

    for i, (what_a, a) in enumerate(layout):
        for what_b, b in layout[i + 1:] + annotations:
            if overlap(a, b):
                problems.append(f"{what_a} overlaps {what_b}")
    return problems


def place_labels(ax, texts: list, xs, ys) -> None:
    """Move `texts` (labels of the points xs, ys, in data coordinates) until none overlaps
    another or a point, with a thin leader where one moved away (adjustText). Call it last,
    once the axes are laid out: it draws the figure first so that sizes are final."""
    from adjustText import adjust_text

    if not texts:
        return
    ax.figure.canvas.draw()
    adjust_text(texts, x=list(xs), y=list(ys), ax=ax, iter_lim=400,
                expand=(1.1, 1.25), force_text=(0.3, 0.5), ensure_inside_axes=True,
                arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5})
    # adjustText keeps a label's anchor inside the axes, not always all of it: move any
    # that still pokes out back in, so it cannot reach a tick label or the next panel.
    renderer = ax.figure.canvas.get_renderer()
    frame, to_data = ax.get_window_extent(renderer), ax.transData.inverted()
    for text in texts:
        box = text.get_window_extent(renderer)
        dx = max(frame.x0 - box.x0, 0.0) - max(box.x1 - frame.x1, 0.0)
        dy = max(frame.y0 - box.y0, 0.0) - max(box.y1 - frame.y1, 0.0)
        if dx or dy:
            x, y = ax.transData.transform(text.get_position())
            text.set_position(to_data.transform((x + dx, y + dy)))


def save_table(table, out_dir: Path, stem: str) -> Path:
    """Write the numbers behind a figure as CSV, so they can be checked without pixels
    (unless drawing writes nothing)."""
    path = out_dir / f"{stem}.csv"
    if _output["write"]:
        out_dir.mkdir(parents=True, exist_ok=True)
        write_csv(path, table, index=False, float_format="%.6g")
    return path


class Drawing:
    """What the figure modules draw with (`pyplot()`): figures of their own, outside
    pyplot's global state, so a notebook or a long `plot all` holds only the figures it
    is handed, and no backend is switched under a notebook's feet. Inside `drawing(ax=)`
    a one-panel figure is drawn into the caller's axes instead."""

    @staticmethod
    def _new(figsize=None, constrained_layout: bool = False):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure as MatplotlibFigure

        fig = MatplotlibFigure(figsize=figsize,
                               layout="constrained" if constrained_layout else None)
        FigureCanvasAgg(fig)
        return fig

    def subplots(self, nrows: int = 1, ncols: int = 1, *, figsize=None,
                 constrained_layout: bool = False, squeeze: bool = True, **options):
        ax = _output["axes"]
        if ax is not None:
            if nrows * ncols != 1:
                raise WargameError(f"this figure has {nrows} x {ncols} panels; ax= takes "
                                   "figures of one panel")
            return ax.figure, (np.array([[ax]], dtype=object) if not squeeze else ax)
        fig = self._new(figsize, constrained_layout)
        return fig, fig.subplots(nrows, ncols, squeeze=squeeze, **options)

    def figure(self, figsize=None, constrained_layout: bool = False):
        if _output["axes"] is not None:
            raise WargameError("this figure has several panels; ax= takes figures of one panel")
        return self._new(figsize, constrained_layout)

    @staticmethod
    def get_cmap(name: str):
        import matplotlib

        return matplotlib.colormaps[name]

    @staticmethod
    def close(fig) -> None:
        """Nothing to release: the figure is not pyplot's."""


def pyplot() -> Drawing:
    """Figures outside pyplot (`Drawing`), drawn with the package's type sizes when
    drawn through `standard.render_kind` (`STYLE`)."""
    return Drawing()
