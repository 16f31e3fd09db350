"""`wargame viz`: serve the browser visualisation of one run with Solara.

A crisis (a scenario, or one run of a sweep: app.py) or, with --reform, the Art. 12
negotiation (reform_app.py). Everything the user can get wrong (scenario, sweep folder,
run id, reform inputs, port) is checked here,
before the server starts, so that it ends in one line and exit 2. The server then replaces
this process (`exec`), so stopping it (Ctrl-C, or a signal to this pid) stops everything.
"""

from __future__ import annotations

import argparse
import errno
import os
import socket
import sys
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

from wargame.arguments import seed as seed_argument
from wargame.errors import WargameError

APP = Path(__file__).with_name("app.py")
REFORM_APP = Path(__file__).with_name("reform_app.py")


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a port number, got {text!r}") from None
    if not 0 <= value <= 65535:  # 0: any free port (as the tests use it)
        raise argparse.ArgumentTypeError(f"expected a port in 0..65535, got {value}")
    return value




def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `wargame viz` to the command line."""
    viz = subparsers.add_parser(
        "viz",
        help="inspect one crisis run, or with --reform the reform negotiation, in the browser",
        description="Serve the browser page for one crisis: a scenario with a seed, or "
        "one run of a sweep with its exact parameters and seed. With --reform, the Art. 12 "
        "reform negotiation instead, round by round: positions on the map, the package, who "
        "moved and why. Works with no internet.",
    )
    viz.add_argument("scenario", nargs="?", help="scenario name or TOML path (default: baltic)")
    viz.add_argument("--seed", type=seed_argument,
                     help="random seed (default: a fresh one, printed)")
    viz.add_argument("--sweep", metavar="RESULTS_DIR", help="a sweep result folder")
    viz.add_argument("--run", type=int, metavar="RUN_ID", help="the run of --sweep to open")
    viz.add_argument("--reform", action="store_true",
                     help="watch the reform negotiation (as `wargame reform` runs it) instead "
                     "of a crisis; the page's sliders are its levers and uncertainties")
    viz.add_argument("--set", action="append", metavar="NAME=VALUE",
                     help="with --reform: a reform input the page opens with, e.g. --set "
                     "inclusiveness=0.8 (repeatable; see wargame reform --list-inputs)")
    viz.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default: 127.0.0.1, this machine only)")
    viz.add_argument("--port", type=_port, default=8521, help="port (default: 8521)")
    viz.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    """Resolve what to show, check the port, then become the Solara server."""
    if args.reform:
        app, variable, launch, opened = _reform_launch(args)
    else:
        app, variable, launch, opened = _crisis_launch(args)
    check_port_free(args.host, args.port)

    env = {
        **os.environ,
        variable: launch.to_env(),
        # Serve Solara's front-end from the installed solara-assets, never from a CDN.
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(assets_dir()),
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
        # No "This website runs on Solara" badge: it covered the EU fund's label.
        "SOLARA_THEME_SHOW_BANNER": "False",
    }
    url = f"http://{args.host}:{args.port}/"
    print(f"wargame viz: {opened} at {url}  (Ctrl-C stops the server)", flush=True)
    command = [
        sys.executable, "-m", "solara", "run", str(app),
        "--host", args.host, "--port", str(args.port),
        "--no-open", "--no-check-version", "--production",
    ]
    os.execve(sys.executable, command, env)
    return 0  # not reached: the server replaced this process


def _reform_launch(args: argparse.Namespace) -> tuple[Path, str, Any, str]:
    """The negotiation to open: the reform defaults with --set on top, and a seed."""
    from wargame.reform.inputs import REFORM_DEFAULTS, parse_reform_assignments
    from wargame.single_run import new_seed
    from wargame.viz.launch import REFORM_ENV_VAR, ReformLaunch

    if args.scenario is not None or args.sweep is not None or args.run is not None:
        raise WargameError("viz: --reform shows the negotiation, not a crisis; "
                           "drop the scenario, --sweep and --run")
    inputs = {**REFORM_DEFAULTS, **parse_reform_assignments(args.set or [])}
    seed = args.seed if args.seed is not None else new_seed()
    launch = ReformLaunch(inputs, seed)
    return REFORM_APP, REFORM_ENV_VAR, launch, f"reform negotiation, seed {seed}"


def _crisis_launch(args: argparse.Namespace) -> tuple[Path, str, Any, str]:
    """The crisis to open: a scenario with a seed, or one run of a sweep."""
    from wargame.viz.launch import DEFAULT_SCENARIO, ENV_VAR, from_scenario, from_sweep

    if args.set:
        raise WargameError("viz: --set sets a reform input; add --reform")
    if (args.sweep is None) != (args.run is None):
        raise WargameError("viz: --sweep and --run go together")
    if args.sweep is not None:
        if args.scenario is not None or args.seed is not None:
            raise WargameError("viz: --sweep RUN opens that run's scenario and seed; "
                               "drop the scenario and --seed")
        results_dir = Path(args.sweep)
        if not results_dir.is_dir():
            raise WargameError(f"--sweep {results_dir}: no such folder")
        launch = from_sweep(results_dir, args.run)
    else:
        from wargame.single_run import new_seed

        seed = args.seed if args.seed is not None else new_seed()
        launch = from_scenario(args.scenario or DEFAULT_SCENARIO, seed)
    opened = launch.run_label or f"scenario {launch.scenario}, seed {launch.seed}"
    return APP, ENV_VAR, launch, opened


def check_port_free(host: str, port: int) -> None:
    """Fail in one line now rather than in a server traceback later."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise WargameError(f"--host {host}: not an address of this machine") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise WargameError(f"--port {port}: already in use on {host}; "
                                   "choose another with --port") from None
            raise WargameError(f"--host {host} --port {port}: cannot listen ({exc.strerror})") \
                from None


def assets_dir() -> Path:
    """Where the solara-assets package put Solara's front-end files (the CDN cache)."""
    try:
        files = distribution("solara-assets").files or []
    except PackageNotFoundError:
        raise WargameError("solara-assets is not installed: reinstall wargame (make setup)") \
            from None
    for file in files:
        parts = Path(file).parts
        if "cdn" in parts and parts[parts.index("cdn") - 1] == "solara":
            located = Path(file.locate())
            return located.parents[len(parts) - parts.index("cdn") - 2].resolve()
    raise WargameError("solara-assets is installed but holds no Solara front-end files")
