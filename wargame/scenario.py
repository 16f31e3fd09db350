"""Crisis scenarios: TOML files of parameter values, validated on load, and the check of
any set of input values (a scenario's, `--set`'s, a sweep point's, the Python API's).

A scenario file has a `description` (one line, shown by `wargame scenarios`) and a
`[parameters]` table of model parameters; anything it leaves out takes the default of
`wargame.inputs`. Files ship in `wargame/configs/scenarios/` (an analyst's own
`./configs/scenarios/` is searched first: `wargame.config_files`); a scenario is named by
its file stem or given as a path. Values are checked against the input registry and the
target against the roster (which states can be attacked), so the check lives here,
above both.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wargame.config_files import available, resolve
from wargame.errors import WargameError
from wargame.input_record import check_values, parse_values
from wargame.inputs import DEFAULTS, INPUTS, unknown_input
from wargame.outcomes import OUTCOME_NAMES
from wargame.roster import check_target

SCENARIO_KEYS = ("description", "parameters", "validation")
#: Keys of a scenario's [validation] table (docs/VALIDATION.md).
VALIDATION_KEYS = ("levels", "outcomes")


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


@dataclass(frozen=True)
class Scenario:
    """A named set of parameter values for one crisis."""

    name: str
    description: str
    path: Path
    overrides: dict[str, Any] = field(default_factory=dict)
    #: What `wargame validate` adds for this scenario: lever `levels` beside u x financing
    #: x governance (the levers that act where those cannot), and the `outcomes` the
    #: scenario can produce (each file says why an outcome is left out).
    validation: dict[str, Any] = field(default_factory=dict)

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


def load_scenario(name_or_path: str) -> Scenario:
    """Load and validate a scenario: unknown keys, states, types and ranges are refused."""
    path = resolve("scenarios", name_or_path)
    data = read_toml(path)
    unknown = [key for key in data if key not in SCENARIO_KEYS]
    if unknown:
        raise WargameError(
            f"{path}: unknown key {unknown[0]!r}; allowed: {', '.join(SCENARIO_KEYS)}"
        )
    description = data.get("description", "")
    if not isinstance(description, str):
        raise WargameError(f"{path}: description must be text")
    if "parameters" not in data:
        # An empty or cut-short file would otherwise run the defaults (Estonia's case) as
        # if it were the scenario meant.
        raise WargameError(f"{path}: no [parameters] table; a scenario sets at least its "
                           "target, e.g. [parameters] target = \"EST\"")
    parameters = data["parameters"]
    if not isinstance(parameters, dict):
        raise WargameError(f"{path}: [parameters] must be a table of key = value")
    # Whether its adversary can reach its target is checked where the scenario is run,
    # with what --set, a sweep or the EMA model put over it (wargame.roster.check_attack).
    overrides = check_inputs(parameters, f"{path} [parameters]")
    validation = _validation(data.get("validation", {}), path)
    return Scenario(name=path.stem, description=description, path=path, overrides=overrides,
                    validation=validation)


def _validation(table: Any, path: Path) -> dict[str, Any]:
    """The scenario's [validation] table, checked: input levels and outcome names."""
    where = f"{path} [validation]"
    if not isinstance(table, dict):
        raise WargameError(f"{where} must be a table of key = value")
    unknown = [key for key in table if key not in VALIDATION_KEYS]
    if unknown:
        raise WargameError(f"{where}: unknown key {unknown[0]!r}; allowed: "
                           f"{', '.join(VALIDATION_KEYS)}")
    levels = table.get("levels", {})
    if not isinstance(levels, dict) or not all(isinstance(v, list) and v for v in levels.values()):
        raise WargameError(f"{where}: levels must be a table of input = [values]")
    checked = {name: [check_inputs({name: value}, where)[name] for value in values]
               for name, values in levels.items()}
    outcomes = table.get("outcomes", list(OUTCOME_NAMES))
    if not isinstance(outcomes, list) or any(o not in OUTCOME_NAMES for o in outcomes):
        raise WargameError(f"{where}: outcomes must be a list of {', '.join(OUTCOME_NAMES)}")
    return {"levels": checked, "outcomes": outcomes}


def list_scenarios() -> list[Scenario]:
    """Every scenario by name: the shipped ones and those in ./configs/scenarios."""
    return [load_scenario(str(path)) for path in available("scenarios").values()]
