"""`wargame plot KIND RESULTS_DIR` and `wargame compare DIR_A DIR_B`.

Registered through wargame.cli.COMMAND_MODULES. Everything heavy (pandas, matplotlib,
ema_workbench, SALib) is imported inside the handlers so that `wargame --help` stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wargame.arguments import folder as folder_argument
from wargame.errors import WargameError
from wargame.figure_kinds import KINDS, family
from wargame.files import file_name, real_folder
from wargame.folders import check_out_dir

#: What `wargame plot` draws from a sweep's folder (the reform kinds too).
SWEEP_KINDS = family("sweep")
#: Duplicated from wargame.figures.style (importing it would load matplotlib for --help).
FORMATS, DEFAULT_FORMAT, DEFAULT_DPI = ("png", "svg", "pdf"), "png", 200
MIN_DPI, MAX_DPI = 50, 1200


def formats_argument(text: str) -> tuple[str, ...]:
    """--format: a comma-separated list of file formats, e.g. 'png,svg,pdf'."""
    chosen = [part for part in (p.strip().lower().lstrip(".") for p in text.split(",")) if part]
    unknown = [part for part in chosen if part not in FORMATS]
    if unknown or not chosen:
        what = f"unknown format {', '.join(map(repr, unknown))}" if unknown else "no format"
        raise argparse.ArgumentTypeError(
            f"{what}; choose from {', '.join(FORMATS)} (comma-separated, e.g. png,pdf)")
    return tuple(dict.fromkeys(chosen))


def dpi_argument(text: str) -> int:
    """--dpi: the resolution of raster (PNG) figures, dots per inch."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number of dots per inch, got "
                                         f"{text!r}") from None
    if not MIN_DPI <= value <= MAX_DPI:
        raise argparse.ArgumentTypeError(f"expected {MIN_DPI}..{MAX_DPI} dots per inch, "
                                         f"got {value}")
    return value


def _plot(args: argparse.Namespace) -> int:
    from wargame.figures.load import load_results
    from wargame.figures.style import output

    with output(args.format, args.dpi):
        results = load_results(args.results_dir)
        out_dir = (Path(args.out) if args.out
                   else real_folder(Path(args.results_dir) / "plots", create=False))
        check_out_dir(out_dir)
        try:
            return _draw(args, results, out_dir)
        except OSError as exc:
            raise _cannot_write(out_dir, exc) from None


def _cannot_write(out_dir: Path, exc: OSError) -> WargameError:
    return WargameError(f"{out_dir}: cannot write the figures there ({exc.strerror or exc}); "
                        "choose another folder with --out")


def _check_options(args: argparse.Namespace) -> dict[str, str | None]:
    """The --x/--y/--by given, refused in one line where the kind does not take them."""
    options = {"x": args.x, "y": args.y, "by": args.by}
    taken = KINDS[args.kind].options if args.kind in KINDS else ("x", "y", "by")
    unused = [f"--{k}" for k, v in options.items() if v is not None and k not in taken]
    if unused:
        raise WargameError(f"plot {args.kind} does not take {', '.join(unused)}")
    return options


def _draw(args: argparse.Namespace, results, out_dir: Path) -> int:
    from wargame.figures.standard import render_kind, render_kinds, write_index

    options = _check_options(args)
    if args.kind == "all":
        figures, skipped = render_kinds(results, out_dir, **options)
        for kind, reason in skipped.items():
            print(f"skipped {kind}: {reason}")
    else:
        figures = render_kind(args.kind, results, out_dir, **options)
        write_index(out_dir, results.describe(), figures, {})
    for figure in figures:
        print(f"wrote {', '.join(str(p) for p in figure.paths)}")
    print(f"index: {out_dir / 'index.html'} ({results.describe()})")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from wargame.figures import compare
    from wargame.figures.load import load_results
    from wargame.figures.standard import write_index

    a, b = load_results(args.dir_a), load_results(args.dir_b)
    out_dir = Path(args.out) if args.out else real_folder(
        Path(args.dir_b).resolve().parent / f"compare-{file_name(a.name)}-vs-{file_name(b.name)}",
        create=False)
    check_out_dir(out_dir)
    try:
        figures = compare.render(a, b, out_dir)
        write_index(out_dir, f"B − A: {b.describe()} vs {a.describe()}", figures, {})
    except OSError as exc:
        raise _cannot_write(out_dir, exc) from None
    print((out_dir / "compare.txt").read_text(encoding="utf-8"), end="")
    for figure in figures:
        print(f"wrote {', '.join(str(p) for p in figure.paths)}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `plot` and `compare` subcommands."""
    plot = subparsers.add_parser(
        "plot",
        help="draw figures from a sweep result folder",
        description="Draw a kind of figure (or all that the folder supports) into "
        "RESULTS_DIR/plots/ (PNG by default; --format for SVG and PDF), with the numbers as "
        "CSV and an index page.",
    )
    plot.add_argument("kind", choices=(*SWEEP_KINDS, "all"), metavar="KIND",
                      help=f"one of {', '.join(SWEEP_KINDS)}, or all (those of the folder's "
                           "model)")
    plot.add_argument("results_dir", metavar="RESULTS_DIR",
                      help="folder written by wargame sweep (or wargame reform --runs N)")
    plot.add_argument("--out", metavar="DIR", type=folder_argument,
                      help="where to write (default RESULTS_DIR/plots)")
    plot.add_argument("--x", metavar="PARAM", help="swept parameter on the x axis")
    plot.add_argument("--y", metavar="PARAM", help="swept parameter on the y axis (phase)")
    plot.add_argument("--by", metavar="PARAM",
                      help="swept parameter to split by (facets or one line per level)")
    plot.add_argument("--format", metavar="LIST", type=formats_argument,
                      default=(DEFAULT_FORMAT,),
                      help=f"file formats, comma-separated: any of {', '.join(FORMATS)} "
                      f"(default {DEFAULT_FORMAT})")
    plot.add_argument("--dpi", metavar="N", type=dpi_argument, default=DEFAULT_DPI,
                      help=f"resolution of PNG files, dots per inch ({MIN_DPI}..{MAX_DPI}; "
                      f"default {DEFAULT_DPI})")
    plot.set_defaults(handler=_plot)

    comp = subparsers.add_parser(
        "compare",
        help="differences in outcome probabilities between two sweeps",
        description="Print B − A in the probability of each outcome, overall and per level "
        "of the parameters both swept, with Newcombe 95% intervals, and draw it.",
    )
    comp.add_argument("dir_a", metavar="DIR_A", help="result folder A (the baseline)")
    comp.add_argument("dir_b", metavar="DIR_B", help="result folder B")
    comp.add_argument("--out", metavar="DIR", type=folder_argument,
                      help="where to write (default: compare-A-vs-B next to DIR_B)")
    comp.set_defaults(handler=_compare)
