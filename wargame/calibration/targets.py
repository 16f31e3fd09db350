"""The calibration's declarations: which uncertainties are inferred, against which targets.

Both live in one TOML file shipped with the package (`wargame/data/calibration.toml`, its
header explains every key), written before any fit is run: a target's role, `fitted` or
`held_back`, is part of the declaration, so that the held-back targets are a real
out-of-sample check. This module reads the file and refuses anything that would make the
fit mean something else than it says: an unknown statistic or input, a parameter that is
not an uncertainty of the registry or a prior wider than the registry's documented range,
or an experiment that fixes a parameter being calibrated.
"""

from __future__ import annotations

import hashlib
import itertools
import math
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from wargame.calibration.statistics import Measure, parse_measure
from wargame.errors import WargameError

ROLES = ("fitted", "held_back")
PRIORS = ("uniform", "log-uniform")
#: The distance of a target whose statistic is undefined (NaN, infinite): ten band widths.
UNDEFINED_DISTANCE = 10.0


def default_path() -> Path:
    """The targets file shipped with the package."""
    return Path(str(resources.files("wargame") / "data" / "calibration.toml"))


@dataclass(frozen=True)
class Parameter:
    """An uncertainty being calibrated, with its prior over [low, high]."""

    name: str
    low: float
    high: float
    log: bool
    integer: bool
    default: float
    why: str

    @property
    def prior(self) -> str:
        return "log-uniform" if self.log else "uniform"

    @property
    def abc_bounds(self) -> tuple[float, float]:
        """The prior's support in the space ABC samples: log10 for a log-uniform prior; an
        integer input's ends widened by half a unit, so each whole value gets equal mass."""
        low, high = (self.low - 0.5, self.high + 0.5) if self.integer else (self.low, self.high)
        return (math.log10(low), math.log10(high)) if self.log else (low, high)

    def to_model(self, abc_value: float) -> float | int:
        """The input value a run gets for a value of ABC's space."""
        value = 10.0 ** abc_value if self.log else float(abc_value)
        value = min(max(value, self.low), self.high)
        return int(round(value)) if self.integer else value

    def to_abc(self, value: float) -> float:
        return math.log10(value) if self.log else float(value)


@dataclass(frozen=True)
class Experiment:
    """Runs that measure a target: a scenario, inputs set on it, a grid varied, seeds."""

    scenario: str
    set: tuple[tuple[str, Any], ...]
    vary: tuple[tuple[str, tuple[Any, ...]], ...]
    seeds: int
    #: Every cell's inputs (scenario, then `set`, then one combination of `vary`).
    cells: tuple[tuple[tuple[str, Any], ...], ...] = field(compare=False, repr=False)

    def describe(self) -> str:
        parts = [self.scenario]
        parts += [f"{name} = {value}" for name, value in self.set]
        parts += [f"{name} in {{{', '.join(str(v) for v in values)}}}"
                  for name, values in self.vary]
        cells = f" x {len(self.cells)} cells" if len(self.cells) > 1 else ""
        return f"{'; '.join(parts)}; {self.seeds} seeds{cells}"


@dataclass(frozen=True)
class Target:
    """A sourced figure the model should reproduce, and how it is measured."""

    name: str
    kind: str
    role: str
    low: float
    high: float
    measure: Measure
    experiment: Experiment
    source: str
    note: str = ""
    #: (value, tolerance) when declared so, for the report.
    value: tuple[float, float] | None = None

    @property
    def band(self) -> str:
        if self.value is not None:
            return f"{self.value[0]:g} ± {self.value[1]:g}"
        return f"{self.low:g}-{self.high:g}"

    def distance(self, value: float) -> float:
        """0 inside the band; outside, the distance to its nearer end in band widths."""
        if not math.isfinite(value):
            return UNDEFINED_DISTANCE
        if self.low <= value <= self.high:
            return 0.0
        return min(abs(value - self.low), abs(value - self.high)) / (self.high - self.low)

    def holds(self, value: float) -> bool:
        return self.distance(value) == 0.0


@dataclass(frozen=True)
class CalibrationSpec:
    """The parameters and targets of one calibration, as declared in `path`."""

    path: Path
    sha256: str
    parameters: tuple[Parameter, ...]
    targets: tuple[Target, ...]

    @property
    def fitted(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.role == "fitted")

    @property
    def held_back(self) -> tuple[Target, ...]:
        return tuple(t for t in self.targets if t.role == "held_back")

    def parameter(self, name: str) -> Parameter:
        return next(p for p in self.parameters if p.name == name)


def distance(targets: tuple[Target, ...], values: dict[str, float]) -> float:
    """The calibration's distance: the targets' band distances, summed."""
    return sum(t.distance(values[t.name]) for t in targets)


def load_spec(path: str | Path | None = None) -> CalibrationSpec:
    """Read and check a targets file (default: the package's); one line on any problem."""
    from wargame.scenario import read_toml

    path = Path(path) if path is not None else default_path()
    raw = read_toml(path)
    where = str(path)
    _only(raw, ("parameter", "target"), where)
    parameters = tuple(_parameter(entry, f"{where}: parameter {i + 1}")
                       for i, entry in enumerate(_tables(raw, "parameter", where)))
    _unique([p.name for p in parameters], "parameter", where)
    calibrated = {p.name for p in parameters}
    targets = tuple(_target(entry, f"{where}: target {i + 1}", calibrated)
                    for i, entry in enumerate(_tables(raw, "target", where)))
    _unique([t.name for t in targets], "target", where)
    if not any(t.role == "fitted" for t in targets):
        raise WargameError(f"{where}: no target has role = \"fitted\"; nothing to fit")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return CalibrationSpec(path, digest, parameters, targets)


def _tables(raw: dict, key: str, where: str) -> list[dict]:
    entries = raw.get(key)
    if not isinstance(entries, list) or not entries or not all(
            isinstance(e, dict) for e in entries):
        raise WargameError(f"{where}: expected one or more [[{key}]] tables")
    return entries


def _only(table: dict, allowed: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in allowed:
            raise WargameError(f"{where}: unknown key {key!r}; expected {', '.join(allowed)}")


def _unique(names: list[str], noun: str, where: str) -> None:
    seen = set()
    for name in names:
        if name in seen:
            raise WargameError(f"{where}: two {noun}s are named {name!r}")
        seen.add(name)


def _text(table: dict, key: str, where: str, required: bool = True) -> str:
    value = table.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise WargameError(f"{where}: {key} must be {'non-empty ' if required else ''}text")
    return " ".join(value.split())


def _number(value: Any, what: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise WargameError(f"{where}: {what} = {value!r} is not a number")
    return float(value)


def _parameter(entry: dict, where: str) -> Parameter:
    from wargame.inputs import INPUTS, unknown_input

    _only(entry, ("name", "prior", "low", "high", "why"), where)
    name = _text(entry, "name", where)
    where = f"{where.rsplit(':', 1)[0]}: parameter {name!r}"
    if name not in INPUTS:
        raise unknown_input(name, where)
    declared = INPUTS[name]
    if declared.role != "uncertainty" or not declared.numeric:
        raise WargameError(f"{where}: {name} is a {declared.role}, not a numeric "
                           "uncertainty; only uncertainties are calibrated (`wargame inputs`)")
    low = _number(entry.get("low", declared.low), "low", where)
    high = _number(entry.get("high", declared.high), "high", where)
    if low < declared.low or high > declared.high:
        raise WargameError(f"{where}: prior range [{low:g}, {high:g}] is outside the registry's "
                           f"[{declared.low:g}, {declared.high:g}]")
    if not low < high:
        raise WargameError(f"{where}: low {low:g} must be below high {high:g}")
    prior = entry.get("prior", "uniform")
    if prior not in PRIORS:
        raise WargameError(f"{where}: prior = {prior!r}; expected one of {', '.join(PRIORS)}")
    if prior == "log-uniform" and low <= 0:
        raise WargameError(f"{where}: a log-uniform prior needs low > 0 (got {low:g})")
    return Parameter(name, low, high, prior == "log-uniform", declared.kind is int,
                     declared.default, _text(entry, "why", where, required=False))


def _target(entry: dict, where: str, calibrated: set[str]) -> Target:
    _only(entry, ("name", "kind", "role", "band", "value", "tolerance", "statistic", "source",
                  "note", "experiment"), where)
    name = _text(entry, "name", where)
    where = f"{where.rsplit(':', 1)[0]}: target {name!r}"
    role = entry.get("role")
    if role not in ROLES:
        raise WargameError(f"{where}: role = {role!r}; expected one of {', '.join(ROLES)}")
    measure = parse_measure(_text(entry, "statistic", where), where)
    low, high, value = _band(entry, where)
    experiment = entry.get("experiment")
    if not isinstance(experiment, dict):
        raise WargameError(f"{where}: expected an [target.experiment] table")
    return Target(name, _text(entry, "kind", where), role, low, high, measure,
                  _experiment(experiment, f"{where}: experiment", calibrated),
                  _text(entry, "source", where), _text(entry, "note", where, required=False),
                  value)


def _band(entry: dict, where: str) -> tuple[float, float, tuple[float, float] | None]:
    if "band" in entry:
        if "value" in entry or "tolerance" in entry:
            raise WargameError(f"{where}: give band, or value and tolerance, not both")
        band = entry["band"]
        if not isinstance(band, list) or len(band) != 2:
            raise WargameError(f"{where}: band must be [low, high]")
        low, high = (_number(b, "band", where) for b in band)
        if not low < high:
            raise WargameError(f"{where}: band [{low:g}, {high:g}] must have low < high")
        return low, high, None
    if "value" not in entry or "tolerance" not in entry:
        raise WargameError(f"{where}: expected band = [low, high], or value and tolerance")
    value = _number(entry["value"], "value", where)
    tolerance = _number(entry["tolerance"], "tolerance", where)
    if not tolerance > 0:
        raise WargameError(f"{where}: tolerance must be above 0 (got {tolerance:g})")
    return value - tolerance, value + tolerance, (value, tolerance)


def _experiment(table: dict, where: str, calibrated: set[str]) -> Experiment:
    from wargame.scenario import check_inputs, load_scenario

    _only(table, ("scenario", "set", "vary", "seeds"), where)
    scenario = load_scenario(_text(table, "scenario", where))
    overrides = table.get("set", {})
    vary = table.get("vary", {})
    if not isinstance(overrides, dict) or not isinstance(vary, dict):
        raise WargameError(f"{where}: set and vary must be tables of inputs")
    overrides = check_inputs(overrides, f"{where} set")
    grid = {}
    for name, values in vary.items():
        if not isinstance(values, list) or not values:
            raise WargameError(f"{where}: vary.{name} must be a non-empty list of values")
        grid[name] = tuple(check_inputs({name: v}, f"{where} vary")[name] for v in values)
    fixed = (set(overrides) | set(grid)) & calibrated
    fixed |= set(scenario.overrides) & calibrated
    if fixed:
        raise WargameError(f"{where}: {', '.join(sorted(fixed))} is calibrated, but the "
                           f"experiment (or scenario {scenario.name!r}) fixes it")
    seeds = table.get("seeds")
    if isinstance(seeds, bool) or not isinstance(seeds, int) or not 1 <= seeds <= 100_000:
        raise WargameError(f"{where}: seeds = {seeds!r}; expected a whole number of runs "
                           "in [1, 100000]")
    base = {**scenario.parameters, **overrides}
    cells = tuple(tuple({**base, **dict(zip(grid, combo, strict=True))}.items())
                  for combo in itertools.product(*grid.values()))
    return Experiment(scenario.name, tuple(overrides.items()), tuple(grid.items()), seeds, cells)
