"""`wargame validate`: run the validation battery and say which checks hold.

Exit status: 0 when every check run holds, 1 when one fails (or cannot be measured on this
model), 2 on bad input (one line on stderr, nothing written).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from wargame.arguments import non_negative, positive
from wargame.errors import WargameError

EXIT_HOLDS, EXIT_FAILS = 0, 1
#: Posterior draws V11 reruns V1-V9 for: enough to tell 80% from 50% of draws holding,
#: few enough that a full validation ends within hours on two cores.
DEFAULT_DRAWS, QUICK_DRAWS = 10, 2


def _scenario_refs(names: list[str] | None) -> tuple[str, ...]:
    """Shipped scenarios by name, others by absolute path; every one loaded (checked) once."""
    from wargame.config_files import is_shipped
    from wargame.scenario import list_scenarios, load_scenario

    if not names:
        return tuple(s.name for s in list_scenarios())
    refs = []
    for name in dict.fromkeys(names):
        scenario = load_scenario(name)
        shipped = is_shipped("scenarios", scenario.path) and scenario.name == name
        refs.append(name if shipped else str(scenario.path.resolve()))
    stems = [Path(r).stem for r in refs]
    twice = next((s for s in stems if stems.count(s) > 1), None)
    if twice:
        raise WargameError(f"--scenario: two scenarios named {twice!r}; rename one file")
    return tuple(refs)


def _out_dir(args: argparse.Namespace) -> Path:
    from wargame.folders import check_out_dir, default_out_dir

    out = Path(args.out) if args.out else default_out_dir(
        "validation-quick" if args.quick else "validation")
    check_out_dir(out)
    if out.is_dir() and any(out.iterdir()) and not (out / "sweeps").is_dir():
        raise WargameError(f"--out {out}: already exists and holds no validation; choose "
                           "another (a validation's folder is resumed)")
    return out


def _validate(args: argparse.Namespace) -> int:
    from wargame.calibration.posterior import SHIPPED_POSTERIOR
    from wargame.parameter_sets import read_draws
    from wargame.validation.battery import validate
    from wargame.validation.checks import CHECKS
    from wargame.validation.experiments import Settings, echo
    from wargame.validation.report import text_report, write_reports
    from wargame.validation.robust import ROBUST_CHECKS, V11, robustness, v11_result

    wanted = tuple(dict.fromkeys(c.upper() for c in args.check or ()))
    known = [*(c.id for c in CHECKS), V11.id]
    unknown = next((c for c in wanted if c not in known), None)
    if unknown:
        raise WargameError(f"--check {unknown}: no such check; checks: {', '.join(known)}")
    robust = not wanted or V11.id in wanted
    checks = tuple(c for c in wanted if c != V11.id)
    if wanted and not checks:  # V11 alone needs V1-V9 at the calibrated point
        checks = ROBUST_CHECKS
    draw_count = args.draws if args.draws is not None else (
        QUICK_DRAWS if args.quick else DEFAULT_DRAWS)
    settings = Settings.standard(args.quick, _scenario_refs(args.scenario), checks=checks,
                                 workers=args.workers or os.cpu_count() or 1,
                                 progress=not args.quiet)
    # The posterior is read after the scenarios: an error in what was typed comes first.
    posterior = Path(args.posterior) if args.posterior else SHIPPED_POSTERIOR
    if args.posterior and not (robust and draw_count):
        raise WargameError(f"--posterior {args.posterior}: only V11 draws from a posterior, "
                           "and this run leaves V11 out (--check without V11, or --draws 0)")
    draws = read_draws(posterior, draw_count) if robust and draw_count else None
    out = _out_dir(args)
    announce = (lambda text: None) if args.quiet else echo
    battery = validate(settings, out, announce)
    if robust:
        summary = None if draws is None else robustness(draws, settings, out, announce)
        battery.results.append(v11_result(battery, summary))
        battery.extra["posterior"] = None if summary is None else {
            "file": str(posterior), **summary}
    print(text_report(battery))
    json_path, md_path = write_reports(battery, out)
    print(f"wrote {json_path} and {md_path} (experiments in {out / 'sweeps'}/)")
    return EXIT_HOLDS if battery.holds else EXIT_FAILS


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `wargame validate` to the command line."""
    from wargame.arguments import folder as folder_argument

    parser = subparsers.add_parser(
        "validate",
        help="run the validation battery (V1-V11, R1-R4) and say which checks hold",
        description="Run every check of the validation battery (docs/VALIDATION.md) over "
        "paired-seed sweeps of the shipped scenarios, print a table (check, source, target, "
        "model value with its 95% interval, holds?), and write DIR/validation.json and "
        "DIR/VALIDATION.md; the sweeps are kept in DIR/sweeps/ (resumed if interrupted). "
        "The out-of-sample comparisons O1 (aid to Ukraine) and O2 (the responses to France "
        "in 2015), and E1 (how much European forces change P(defeated)), are reported "
        "beside the checks and never judged. "
        "Exit status 0 when every check holds, 1 when one does not, 2 on bad input.",
    )
    parser.add_argument("--quick", action="store_true",
                        help="fewer seeds and US-commitment levels: a few minutes (for CI)")
    parser.add_argument("--out", type=folder_argument,
                        help="result folder (default: runs/validation-<timestamp>/); an "
                        "interrupted validation's folder is resumed")
    parser.add_argument("--workers", type=positive,
                        help="processes for the sweeps (default: all cores)")
    parser.add_argument("--scenario", nargs="+", action="extend", metavar="NAME",
                        help="scenarios to validate, by name or TOML path (default: every "
                        "shipped scenario)")
    parser.add_argument("--check", nargs="+", action="extend", metavar="ID",
                        help="checks to run, e.g. --check V1 V7 O1 (default: all)")
    parser.add_argument("--posterior", metavar="FILE",
                        help="V11: CSV or Parquet of parameter sets (a column per "
                        "uncertainty, optional weight) to draw from (default: the shipped "
                        "calibration's posterior, docs/CALIBRATION.md)")
    parser.add_argument("--draws", type=non_negative, metavar="N",
                        help=f"V11: parameter sets drawn from the posterior by weight, V1-V9 "
                        f"rerun for each (default {DEFAULT_DRAWS}; --quick {QUICK_DRAWS}; 0 "
                        "skips V11)")
    parser.set_defaults(handler=_validate)
