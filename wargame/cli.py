"""The `wargame` command line: run, scenarios, states, and the subcommands of other modules.

Bad input of any kind ends with one line on stderr and exit status 2, never a traceback.
Heavy imports (Mesa, pandas, the visualisation) happen inside the handlers so that
`wargame --help` answers at once.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import logging
import os
import select
import sys
import traceback
from collections.abc import Iterator, Sequence

from wargame.arguments import folder as folder_argument
from wargame.arguments import seed as seed_argument
from wargame.errors import WargameError
from wargame.stops import exit_status, install, signal_name, stop_on_signals

log = logging.getLogger("wargame")

#: Modules that add subcommands: each has `register(subparsers)`.
COMMAND_MODULES: tuple[str, ...] = ("wargame.sweep.cli", "wargame.viz.cli", "wargame.figures.cli",
                                    "wargame.reform_cli", "wargame.export",
                                    "wargame.validation.cli", "wargame.calibration.cli")
EXIT_BAD_INPUT = 2
#: Commands whose standard output is the listing asked for: --quiet cannot silence it.
LISTINGS = ("scenarios", "inputs", "outputs", "states")


class OneLineParser(argparse.ArgumentParser):
    """argparse that reports a usage error as one line (and exit 2), like every other error."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise WargameError(f"{self.prog}: {message} (see {self.prog} --help)")


def _run(args: argparse.Namespace) -> int:
    from wargame.depth import depths
    from wargame.folders import default_out_dir
    from wargame.roster import check_attack, check_parties
    from wargame.rules import check_out_folder
    from wargame.scenario import load_scenario, parse_assignments
    from wargame.single_run import RESULT_FILES, describe, new_seed, run_scenario, write_run

    scenario = load_scenario(args.scenario)
    overrides = parse_assignments(args.set or [])
    if args.days is not None and "max_days" in overrides:
        raise WargameError(f"--days {args.days} and --set max_days={overrides['max_days']} both "
                           "set the crisis window; keep one")
    if args.days is not None:
        overrides["max_days"] = parse_assignments([f"max_days={args.days}"], "--days")[
            "max_days"
        ]
    inputs = {**scenario.parameters, **overrides}
    # Blame the file or --set, whichever set the clashing value.
    where = "--set" if {"target", "adversary"} & set(overrides) else str(scenario.path)
    check_attack(inputs["target"], inputs["adversary"], where)
    where = "--set" if {"target", "parties"} & set(overrides) else str(scenario.path)
    check_parties(inputs["parties"], inputs["target"], where)
    if inputs["target"] not in depths():
        log.warning("target %s has no wartime strength in force_depth.csv: it fights with "
                    "its active personnel only, no reservists (docs/MODEL.md §3.2)",
                    inputs["target"])
    out_dir = check_out_folder(args.out if args.out else default_out_dir(scenario.name))
    seed = args.seed if args.seed is not None else new_seed()
    log.info("scenario %s from %s; seed %d; set %s", scenario.name, scenario.path, seed,
             overrides or "nothing")
    model = run_scenario(scenario, seed, overrides)
    log.info("ran %d days; writing %s/", model.day, out_dir)
    while True:
        try:
            write_run(model, scenario, seed, out_dir)
            break
        except OSError as exc:
            if args.out or exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                where = f"--out {out_dir}" if args.out else str(out_dir)
                raise WargameError(f"{where}: cannot write the result folder "
                                   f"({exc.strerror or exc}); nothing was written") from None
            # Another run started in the same second took the default name meanwhile.
            out_dir = default_out_dir(scenario.name)
    print(describe(model, scenario, seed))
    print(f"wrote {out_dir}/ ({', '.join(RESULT_FILES)})")
    if args.seed is None:
        print(f"repeat this run with --seed {seed}")
    return 0


def _scenarios(args: argparse.Namespace) -> int:
    """List every scenario that loads; a broken file of one's own gets its one line on
    stderr and exit 2, after the rest are listed, rather than hiding them all."""
    from wargame.config_files import available
    from wargame.scenario import load_scenario

    scenarios, broken = [], []
    for path in available("scenarios").values():
        try:
            scenarios.append(load_scenario(str(path)))
        except WargameError as exc:
            broken.append(str(exc))
    width = max((len(s.name) for s in scenarios), default=0)
    for scenario in scenarios:
        print(f"{scenario.name:<{width}}  {scenario.description}")
    for problem in broken:
        print(f"wargame: error: {problem}", file=sys.stderr)
    return 2 if broken else 0


#: The columns of `wargame states --csv`, as the table prints them.
STATE_COLUMNS = ("iso3", "name", "eu_member", "nato_member", "neutral", "active_troops",
                 "deployable_troops", "fiscal_space", "capability_index", "role")


def _states(args: argparse.Namespace) -> int:
    import csv

    from wargame.roster import NOT_IN_COALITION, load_roster

    roster = load_roster()
    if args.csv:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(STATE_COLUMNS)
        writer.writerows(
            (s.iso3, s.name, s.eu_member, s.nato_member, s.neutral, s.active_troops,
             s.deployable_troops, s.fiscal_space, s.capability_index,
             NOT_IN_COALITION.get(s.iso3, "may help"))
            for s in roster.states.values())
        return 0
    print(
        f"{'iso3':<4}  {'name':<16} {'EU':>2} {'NATO':>4} {'neutral':>7} {'troops':>9} "
        f"{'deployable':>10} {'fiscal':>6} {'capability':>10}  role"
    )
    for s in roster.states.values():
        role = NOT_IN_COALITION.get(s.iso3, "may help")
        print(
            f"{s.iso3:<4}  {s.name[:16]:<16} {'y' if s.eu_member else '':>2} "
            f"{'y' if s.nato_member else '':>4} {'y' if s.neutral else '':>7} "
            f"{s.active_troops:>9,} {s.deployable_troops:>10,} {s.fiscal_space:>6.2f} "
            f"{s.capability_index:>10.3f}  {role}"
        )
    print(f"source: {roster.path} (columns and sources: docs/DATA.md)")
    return 0


def _inputs(args: argparse.Namespace) -> int:
    import csv

    from wargame.inputs import markdown_table, table_rows
    from wargame.reform.inputs import REFORM_INPUTS

    if args.markdown:
        print(markdown_table(), end="")
        return 0
    columns = ("name", "role", "default", "low", "high", "unit", "label")
    rows = table_rows()
    if args.csv:
        writer = csv.DictWriter(sys.stdout, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return 0
    width = max(len(r["name"]) for r in rows)
    for row in rows:
        allowed = f"[{row['low']}, {row['high']}]" if row["low"] else row["choices"]
        print(f"{row['name']:<{width}}  {row['role']:<11}  {row['default']:>11}  "
              f"{allowed:<22} {row['unit']:<12} {row['label']}")
    first_reform = next(iter(REFORM_INPUTS))
    print("reasons and sources: docs/MODEL.md, section 4 (or `wargame inputs --markdown`); "
          f"from {first_reform} on, the reform negotiation's, read only under governance = "
          "reform (docs/REFORM.md, section 4)")
    return 0


def _version() -> str:
    from wargame import __version__

    return __version__


def _outputs(args: argparse.Namespace) -> int:
    import csv

    from wargame.output_registry import LEVELS, markdown_table, table_rows

    if args.markdown:
        print(markdown_table(), end="")
        return 0
    rows = table_rows()
    if args.csv:
        writer = csv.DictWriter(sys.stdout, ("level", "name", "dtype", "unit", "label"),
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        return 0
    width = max(len(r["name"]) for r in rows)
    unit_width = max(len(r["unit"]) for r in rows)  # the whole unit: it says how to read
    for row in rows:
        print(f"{LEVELS[row['level']]:<18}  {row['name']:<{width}}  {row['dtype']:<5}  "
              f"{row['unit']:<{unit_width}}  {row['label']}")
    print("definitions: docs/MODEL.md, section 3.11")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="wargame",
        description="Agent-based crisis wargame of EU mutual assistance under Art. 42.7 TEU.",
    )
    parser.add_argument("--version", action="version", version=f"wargame {_version()}")
    # Also before the subcommand (`wargame -q sweep quick`), under their own names:
    # argparse lets a subcommand's defaults overwrite what the main parser read.
    parser.add_argument("-q", "--quiet", dest="quiet_first", action="store_true",
                        help="print nothing but warnings and errors (no progress bar); "
                        "also after the subcommand")
    parser.add_argument("-v", "--verbose", dest="verbose_first", action="count", default=0,
                        help="say more of what is done (-vv: debugging detail); also after "
                        "the subcommand")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    run = sub.add_parser(
        "run",
        help="run one scenario once and write its result folder",
        description="Run one crisis to its outcome and write summary.json, steps.parquet "
        "(one row per day) and states.parquet (one row per day and state).",
    )
    run.add_argument("scenario", help="scenario name (see `wargame scenarios`) or a TOML path")
    run.add_argument("--seed", type=seed_argument,
                     help="random seed (default: a fresh one, printed)")
    run.add_argument("--days", type=int, help="crisis window in days (sets max_days)")
    run.add_argument(
        "--set", action="append", metavar="KEY=VALUE",
        help="set any input (see `wargame inputs`), e.g. --set us_commitment=0.2 or "
        "--set threat_weight=4 (repeatable)",
    )
    run.add_argument("--out", type=folder_argument,
                     help="result folder (default: runs/<scenario>-<timestamp>/)")
    run.set_defaults(handler=_run)

    scenarios = sub.add_parser("scenarios", help="list the scenarios with a one-line description")
    scenarios.set_defaults(handler=_scenarios)
    inputs = sub.add_parser(
        "inputs",
        help="list every model input: levers, uncertainties and settings",
        description="List every input of the model, one line each: name, role (lever = a "
        "policy choice, uncertainty = outside anyone's control, setting = the framing), "
        "default, accepted range, unit and meaning. Any of them can be set per run with "
        "--set, in a scenario's [parameters] or swept in a sweep's [design].",
    )
    form = inputs.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true",
                      help="CSV with the header name,role,default,low,high,unit,label")
    form.add_argument("--markdown", action="store_true",
                      help="the Markdown table of docs/MODEL.md, with each reason")
    inputs.set_defaults(handler=_inputs)
    outputs = sub.add_parser(
        "outputs",
        help="list every output: per run, per day, per run and state, per day and state",
        description="List every output the model reports, one line each: level, column "
        "name, type, unit and meaning (the columns of summary.json, the Parquet files of "
        "`wargame run` and of a sweep's runs/, states/ and steps/).",
    )
    form = outputs.add_mutually_exclusive_group()
    form.add_argument("--csv", action="store_true",
                      help="CSV with the header level,name,dtype,unit,label")
    form.add_argument("--markdown", action="store_true",
                      help="the Markdown table of docs/MODEL.md section 3.11")
    outputs.set_defaults(handler=_outputs)
    states = sub.add_parser("states", help="print the roster of states and derived figures")
    states.add_argument("--csv", action="store_true",
                        help="CSV with the header " + ",".join(STATE_COLUMNS))
    states.set_defaults(handler=_states)

    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(sub)
    for command in sub.choices.values():
        add_verbosity(command)
    return parser


def add_verbosity(parser: argparse.ArgumentParser) -> None:
    """Give a command -v/--verbose and -q/--quiet (kept where it has its own --quiet)."""
    have = parser._option_string_actions
    if "--quiet" not in have:
        parser.add_argument("-q", "--quiet", action="store_true",
                            help="print nothing but warnings and errors (no progress bar)")
    elif "-q" not in have:
        have["-q"] = have["--quiet"]
        have["--quiet"].option_strings.insert(0, "-q")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="say more of what is done (-vv: debugging detail); on an error, "
                        "also print where it came from")


def configure_logging(verbose: int) -> None:
    """Log the package's own messages to stderr at the level -v/-vv asks for.

    Only the `wargame` logger is opened up: Mesa, Solara and Dask keep their own levels.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("wargame: %(message)s"))
    logger = logging.getLogger("wargame")
    logger.handlers[:] = [handler]
    logger.propagate = False
    logger.setLevel(logging.DEBUG if verbose >= 2 else
                    logging.INFO if verbose == 1 else logging.WARNING)


@contextlib.contextmanager
def _quiet_output(args: argparse.Namespace) -> Iterator[None]:
    """Swallow a command's progress messages under --quiet (listings still print)."""
    if not getattr(args, "quiet", False) or args.command in LISTINGS:
        yield
        return
    with open(os.devnull, "w") as null, contextlib.redirect_stdout(null):
        yield


def _cause(exc: BaseException, verbose: int) -> None:
    """Say where an error came from, after its one line: -v the causes, -vv the traceback.

    Without -v the one line is all (the promise of docs: never a traceback); an analyst
    filing a bug report adds -v or -vv.
    """
    if verbose >= 2:
        traceback.print_exception(exc, file=sys.stderr)
        return
    if verbose:
        frame = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
        for where in frame:
            print(f"wargame: raised in {where.name}() at {where.filename}:{where.lineno}",
                  file=sys.stderr)
        cause = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
        while cause is not None:
            print(f"wargame: caused by {type(cause).__name__}: {cause}", file=sys.stderr)
            cause = cause.__cause__ or (None if cause.__suppress_context__ else cause.__context__)


def reader_gone(stream: object) -> bool:
    """Whether `stream` is a pipe whose reader has closed it (`wargame ... | head`): poll
    reports an error on such a pipe's write end. A BrokenPipeError from any other pipe,
    such as a sweep worker's, is a failure; taken for `| head`, a stopped sweep once
    exited 0 with nothing said. Where poll is missing (Windows), every broken pipe is
    taken for the output's, as before."""
    if not hasattr(select, "poll"):
        return True
    try:
        descriptor = stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return False
    poller = select.poll()
    poller.register(descriptor, select.POLLOUT)
    return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))


def main(argv: Sequence[str] | None = None) -> int:
    verbose = 0
    try:
        args = build_parser().parse_args(argv)
        args.quiet = args.quiet or args.quiet_first
        args.verbose += args.verbose_first
        if args.verbose and args.quiet:
            raise WargameError(f"wargame {args.command}: --verbose and --quiet contradict; "
                               "keep one")
        verbose = args.verbose
        configure_logging(verbose)
        with stop_on_signals(), _quiet_output(args):
            return args.handler(args)
    except WargameError as exc:
        print(f"wargame: error: {exc}", file=sys.stderr)
        _cause(exc, verbose)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        if not reader_gone(sys.__stdout__):
            raise  # another pipe (a worker's, a scheduler's): a failure, never a quiet 0
        sys.stderr.close()  # output piped into `head` and the like
        return 0
    except OSError as exc:  # the file system refused (read-only, full, gone): not a bug here
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"wargame: error: {where}{exc.strerror or exc}", file=sys.stderr)
        _cause(exc, verbose)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt as exc:
        print(f"wargame: stopped by {signal_name(exc)}", file=sys.stderr)
        return exit_status(exc)


def entry() -> None:
    """The `wargame` command: stops raise from the first moment to the last (wargame.stops)."""
    install()
    sys.exit(main())


if __name__ == "__main__":
    entry()
