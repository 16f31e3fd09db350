"""`wargame viz`: serve the browser visualisation of one run with Solara.

Everything the user can get wrong (scenario, sweep folder, run id, port) is checked here,
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

from wargame.arguments import seed as seed_argument
from wargame.errors import WargameError

APP = Path(__file__).with_name("app.py")


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
        help="inspect one run in the browser (map, escalation, pledges, event log)",
        description="Serve Mesa's SolaraViz page for one crisis: a scenario with a seed, or "
        "one run of a sweep with its exact parameters and seed. Works with no internet.",
    )
    viz.add_argument("scenario", nargs="?", help="scenario name or TOML path (default: baltic)")
    viz.add_argument("--seed", type=seed_argument,
                     help="random seed (default: a fresh one, printed)")
    viz.add_argument("--sweep", metavar="RESULTS_DIR", help="a sweep result folder")
    viz.add_argument("--run", type=int, metavar="RUN_ID", help="the run of --sweep to open")
    viz.add_argument("--host", default="127.0.0.1",
                     help="address to listen on (default: 127.0.0.1, this machine only)")
    viz.add_argument("--port", type=_port, default=8521, help="port (default: 8521)")
    viz.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    """Resolve what to show, check the port, then become the Solara server."""
    from wargame.viz.launch import DEFAULT_SCENARIO, from_scenario, from_sweep

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
    check_port_free(args.host, args.port)

    env = {
        **os.environ,
        "WARGAME_VIZ_LAUNCH": launch.to_env(),
        # Serve Solara's front-end from the installed solara-assets, never from a CDN.
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(assets_dir()),
        "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False",
    }
    url = f"http://{args.host}:{args.port}/"
    opened = launch.run_label or f"scenario {launch.scenario}, seed {launch.seed}"
    print(f"wargame viz: {opened} at {url}  (Ctrl-C stops the server)", flush=True)
    command = [
        sys.executable, "-m", "solara", "run", str(APP),
        "--host", args.host, "--port", str(args.port),
        "--no-open", "--no-check-version", "--production",
    ]
    os.execve(sys.executable, command, env)
    return 0  # not reached: the server replaced this process


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
