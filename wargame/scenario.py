"""Crisis scenarios: TOML files of parameter values, validated on load, and the check of
any set of input values (a scenario's, `--set`'s, a sweep point's, the Python API's).

A scenario file has a `description` (one line, shown by `wargame scenarios`) and a
`[parameters]` table of model parameters; anything it leaves out takes the default of
`wargame.inputs`. Files live in `configs/scenarios/`; a scenario is named by its
file stem or given as a path. Values are checked against the input registry and the
target against the roster (which states can be attacked), so the check lives here,
above both.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wargame.errors import WargameError
from wargame.input_record import check_values, parse_values
from wargame.inputs import DEFAULTS, INPUTS, unknown_input
from wargame.roster import check_target

SCENARIO_KEYS = ("description", "parameters")


def check_inputs(values: dict[str, Any], where: str) -> dict[str, Any]:
    """Check names and values; return them converted to each input's type."""
    checked = check_values(INPUTS, values, where, unknown_input)
    if "target" in checked:
        check_target(checked["target"], where)
    return checked


def parse_assignments(assignments: list[str], where: str = "--set") -> dict[str, Any]:
    """Parse `name=value` strings from the command line into checked inputs."""
    values = parse_values(INPUTS, assignments, where, unknown_input)
    if "target" in values:
        check_target(values["target"], where)
    return values


def configs_dir() -> Path:
    """The configs folder: ./configs if the working directory has one, else the checkout's."""
    local = Path.cwd() / "configs"
    if (local / "scenarios").is_dir():
        return local
    return Path(__file__).resolve().parent.parent / "configs"


def scenarios_dir() -> Path:
    return configs_dir() / "scenarios"


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values for one crisis."""

    name: str
    description: str
    path: Path
    overrides: dict[str, Any] = field(default_factory=dict)

    @property
    def parameters(self) -> dict[str, Any]:
        """Every model parameter: the file's values over the defaults."""
        return {**DEFAULTS, **self.overrides}


#: Largest configuration file read (scenario or sweep TOML); real ones are a few kB.
MAX_CONFIG_BYTES = 1_000_000


def read_toml(path: Path) -> dict:
    """Read a TOML file (a regular file of at most MAX_CONFIG_BYTES; a FIFO or device is
    refused before anything waits on it) or raise one line naming the file and the problem."""
    from wargame.files import read_regular

    raw = read_regular(path, MAX_CONFIG_BYTES, "a TOML file", follow_links=True)
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise WargameError(f"{path}: malformed TOML ({exc})") from None
    except UnicodeDecodeError:
        raise WargameError(f"{path}: not a UTF-8 text file") from None
    except RecursionError:
        raise WargameError(f"{path}: malformed TOML (nested too deeply)") from None


def resolve_scenario_path(name_or_path: str) -> Path:
    """A scenario name (file stem in configs/scenarios) or a path to a TOML file."""
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" or candidate.exists() or "/" in name_or_path:
        return candidate
    path = scenarios_dir() / f"{name_or_path}.toml"
    if not path.exists():
        known = ", ".join(sorted(p.stem for p in scenarios_dir().glob("*.toml")))
        raise WargameError(f"unknown scenario {name_or_path!r}; known scenarios: {known}")
    return path


def load_scenario(name_or_path: str) -> Scenario:
    """Load and validate a scenario: unknown keys, states, types and ranges are refused."""
    path = resolve_scenario_path(name_or_path)
    data = read_toml(path)
    unknown = [key for key in data if key not in SCENARIO_KEYS]
    if unknown:
        raise WargameError(
            f"{path}: unknown key {unknown[0]!r}; allowed: {', '.join(SCENARIO_KEYS)}"
        )
    description = data.get("description", "")
    if not isinstance(description, str):
        raise WargameError(f"{path}: description must be text")
    parameters = data.get("parameters", {})
    if not isinstance(parameters, dict):
        raise WargameError(f"{path}: [parameters] must be a table of key = value")
    overrides = check_inputs(parameters, f"{path} [parameters]")
    return Scenario(name=path.stem, description=description, path=path, overrides=overrides)


def list_scenarios() -> list[Scenario]:
    """All scenarios shipped in configs/scenarios, by name."""
    return [load_scenario(str(p)) for p in sorted(scenarios_dir().glob("*.toml"))]
