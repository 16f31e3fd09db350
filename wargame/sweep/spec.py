"""Sweep files: one TOML experiment (scenario, design, replications, seed), validated on load.

The file is turned into a `SweepSpec` whose `to_dict()` is what the manifest records and
what `--resume` compares, so every value is resolved here (the scenario's parameters,
the overrides, the days) and a changed scenario file is a changed sweep. `model` names the
kind of model the sweep runs (`wargame.model_kinds`: the crisis, by default, or the reform
negotiation); its inputs are checked against that kind's registry.
Every problem is reported as one line naming the file and the key. The keys are listed
in docs/SWEEPS.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wargame.config_files import resolve
from wargame.errors import WargameError
from wargame.inputs import INPUTS
from wargame.model_kinds import CRISIS, ModelKind, model_kind
from wargame.roster import check_attack, check_parties
from wargame.rules import check_seed, refuse_repeated_levels
from wargame.scenario import Scenario, load_scenario, read_toml

DESIGNS = ("grid", "lhs", "sobol", "morris")
TOP_KEYS = (
    "description", "model", "scenario", "replications", "base_seed", "paired_seeds", "days",
    "keep_series", "parameters", "design", "posterior",
)
#: `posterior = true`: the shipped calibration's posterior (docs/CALIBRATION.md).
SHIPPED = "shipped"
DESIGN_KEYS = {
    "grid": ("kind", "levels"),
    "lhs": ("kind", "samples", "ranges"),
    "sobol": ("kind", "samples", "ranges", "second_order"),
    "morris": ("kind", "trajectories", "levels", "ranges"),
}
#: Morris grid levels unless the file says otherwise: SALib's default, and the value
#: Saltelli et al. (2008, Global Sensitivity Analysis: The Primer, ch. 3) recommend with
#: about ten trajectories.
MORRIS_LEVELS = 4
#: `ranges = "registry"`: every numeric uncertainty not fixed in [parameters], over the
#: plausible range the input registry documents.
REGISTRY_RANGES = "registry"


@dataclass(frozen=True)
class SweepSpec:
    """A resolved sweep: the base parameters of every run and the design over some of them."""

    name: str
    description: str
    scenario: str | None  # None for a model kind without scenarios
    base: dict[str, Any]  # every model parameter, before the design sets the swept ones
    design: str
    levels: dict[str, list[Any]]  # grid: the levels per swept parameter
    ranges: dict[str, list[float]]  # lhs/sobol: [low, high] per swept parameter
    samples: int  # lhs: points; sobol: base sample N of Saltelli's scheme; morris: trajectories
    second_order: bool  # sobol: also sample for second-order indices
    replications: int
    base_seed: int
    keep_series: bool
    morris_levels: int = 0  # morris: levels of the grid the trajectories move on
    #: Every point runs replication r with the same seed (common random numbers), so
    #: differences between points are paired; otherwise each (point, replication) has its own.
    paired_seeds: bool = False
    model: str = CRISIS  # the model kind (wargame.model_kinds)
    #: `posterior`: the file the draws came from ("shipped" for the calibration's) and
    #: one parameter set per replication: replication r of every point runs with draw r.
    posterior_file: str | None = None
    posterior_draws: tuple[dict[str, Any], ...] = ()

    def seed_point(self, point_id: int) -> int:
        """The point index a run's seed is derived from (0 for all when seeds are paired)."""
        return 0 if self.paired_seeds else point_id

    @property
    def point_count(self) -> int:
        """How many design points the design has, computed without drawing them."""
        if self.design == "grid":
            count = 1
            for values in self.levels.values():
                count *= len(values)
            return count
        if self.design == "lhs":
            return self.samples
        d = len(self.ranges)
        return self.samples * ((2 * d + 2) if self.second_order else (d + 2))

    @property
    def run_count(self) -> int:
        return self.point_count * self.replications

    @property
    def swept(self) -> list[str]:
        """Names of the parameters the design varies, in file order."""
        return list(self.levels or self.ranges)

    def to_dict(self) -> dict[str, Any]:
        """The spec as plain JSON values: recorded in the manifest and compared on resume."""
        spec = {
            "name": self.name,
            "description": self.description,
            "scenario": self.scenario,
            "base": self.base,
            "design": self.design,
            "levels": self.levels,
            "ranges": self.ranges,
            "samples": self.samples,
            "second_order": self.second_order,
            "replications": self.replications,
            "base_seed": self.base_seed,
            "keep_series": self.keep_series,
        }
        if self.design == "morris":  # only then, so older grid/lhs/sobol folders resume
            spec["morris_levels"] = self.morris_levels
        if self.paired_seeds:  # only then, so folders of unpaired sweeps resume
            spec["paired_seeds"] = True
        if self.model != CRISIS:  # only then, so crisis folders keep their spec and hash
            spec["model"] = self.model
        if self.posterior_draws:  # only then, so folders without draws keep their spec
            spec["posterior"] = {"file": self.posterior_file,
                                 "draws": [dict(d) for d in self.posterior_draws]}
        return spec

    def run_parameters(self, point: dict[str, Any], replication: int) -> dict[str, Any]:
        """The inputs of one run: the point's, with replication r's posterior draw over
        them when the sweep has `posterior`."""
        if not self.posterior_draws:
            return point
        return {**point, **self.posterior_draws[replication]}


def _int(value: Any, where: str, low: int, high: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low or (
        high is not None and value > high
    ):
        bound = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise WargameError(f"{where} = {value!r} is not allowed; expected an integer {bound}")
    return value


def _table(data: dict, key: str, where: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, dict):
        raise WargameError(f"{where}: [{key}] must be a table of key = value")
    return value


def _unknown(keys: Any, allowed: tuple[str, ...], where: str) -> None:
    for key in keys:
        if key not in allowed:
            raise WargameError(f"{where}: unknown key {key!r}; allowed: {', '.join(allowed)}")


def _levels(table: dict, model: ModelKind, where: str) -> dict[str, list[Any]]:
    """Grid levels: a non-empty list of allowed values per parameter, without repeats.
    A grid naming no parameter is one point: every run at the base inputs."""
    levels = {}
    for name, values in table.items():
        here = f"{where} [design.levels] {name}"
        if name not in model.inputs:
            raise model.unknown(name, f"{where} [design.levels]")
        if not isinstance(values, list) or not values:
            raise WargameError(f"{here}: expected a non-empty list of levels")
        checked = [model.check({name: v}, f"{where} [design.levels]")[name] for v in values]
        refuse_repeated_levels(name, checked, f"{where} [design.levels]")
        levels[name] = checked
    return levels


def _ranges(table: dict, model: ModelKind, where: str) -> dict[str, list[float]]:
    """Sampled ranges: [low, high] of a numeric parameter, inside its allowed range."""
    ranges = {}
    for name, bounds in table.items():
        here = f"{where} [design.ranges] {name}"
        parameter = model.inputs.get(name)
        if parameter is None:
            raise model.unknown(name, f"{where} [design.ranges]")
        if parameter.kind not in (int, float):
            raise WargameError(
                f"{here}: only numeric parameters can be sampled; use a grid for {name}"
            )
        if not isinstance(bounds, list) or len(bounds) != 2:
            raise WargameError(f"{here}: expected [low, high]")
        low, high = (parameter.check(b, f"{where} [design.ranges]") for b in bounds)
        if not low < high:
            raise WargameError(f"{here}: low {low:g} must be below high {high:g}")
        ranges[name] = [float(low), float(high)]
    return ranges


def _morris_ranges(value: Any, overrides: dict[str, Any], base: dict[str, Any],
                   model: ModelKind, where: str) -> dict[str, list[float]]:
    """Morris ranges: a [design.ranges] table as for lhs/sobol, or "registry" for every
    numeric uncertainty of the model kind over its documented range (for the crisis, the
    negotiation's too under governance "reform"), except those fixed in [parameters]."""
    if value == REGISTRY_RANGES:
        return {i.name: [float(i.low), float(i.high)]
                for i in model.uncertainties(base) if i.name not in overrides}
    if not isinstance(value, dict) or not value:
        raise WargameError(
            f"{where} [design] ranges: expected \"{REGISTRY_RANGES}\" or a [design.ranges] "
            "table naming at least one parameter"
        )
    ranges = _ranges(value, model, where)
    if len(ranges) < 2:
        raise WargameError(f"{where} [design.ranges]: Morris screening needs at least two "
                           "parameters")
    return ranges


def load_sweep(name_or_path: str, *, replications: int | None = None,
               assignments: list[str] | None = None,
               posterior: str | None = None) -> SweepSpec:
    """Load and validate a sweep file; raise one line naming the first problem.

    `replications` and `assignments` (`name=value`, as `wargame run --set` takes them) are
    `wargame sweep --replications N --set k=v`: a smaller or changed sweep without a
    copy of the file. They change the file's values before it is checked, so the
    manifest records the sweep that ran (and --resume refuses another). `posterior` is
    `wargame sweep --posterior [FILE]`: the file's `posterior` key, set or replaced.
    """
    path = resolve("sweeps", name_or_path)
    data = read_toml(path)
    if replications is not None:
        data["replications"] = replications
    if posterior is not None:  # a path typed on the command line is the working directory's
        data["posterior"] = _posterior_reference(posterior)
    if assignments:
        data = _with_assignments(data, assignments, str(path))
    return parse_sweep(data, path.stem, str(path), path.parent)


def _with_assignments(data: dict[str, Any], assignments: list[str], where: str
                      ) -> dict[str, Any]:
    """The sweep file's data with `--set` values in [parameters]: checked as `wargame run
    --set` checks them (against the sweep's model kind), and refused for a swept input.
    `--set max_days=N` replaces the file's `days` (both set the crisis window)."""
    from wargame.input_record import parse_values

    model = model_kind(data.get("model", CRISIS), f"{where}: model")
    values = model.check(parse_values(dict(model.inputs), assignments, "--set",
                                      model.unknown), "--set")
    design = data.get("design") if isinstance(data.get("design"), dict) else {}
    swept = [name for key in ("levels", "ranges") if isinstance(design.get(key), dict)
             for name in design[key]]
    clash = next((name for name in values if name in swept), None)
    if clash:
        raise WargameError(f"--set {clash}: {clash} is swept by the design of {where}; "
                           "--set fixes inputs the design does not vary")
    parameters = data.get("parameters", {})
    if not isinstance(parameters, dict):
        raise WargameError(f"{where}: [parameters] must be a table of key = value")
    changed = {**data, "parameters": {**parameters, **values}}
    if "max_days" in values:
        changed.pop("days", None)
    return changed


def _scenario(data: dict[str, Any], where: str, base_dir: Path | None) -> Scenario:
    """The scenario a crisis sweep starts from (a name, or a TOML path relative to the
    sweep file or the working directory)."""
    if not isinstance(data["scenario"], str):
        raise WargameError(f"{where}: scenario must be a scenario name or a path to a TOML file")
    scenario_ref = data["scenario"]
    if scenario_ref.endswith(".toml") and not Path(scenario_ref).is_absolute():
        relative = (base_dir or Path.cwd()) / scenario_ref  # relative to the sweep file
        scenario_ref = str(relative) if relative.exists() else scenario_ref
    try:
        return load_scenario(scenario_ref)
    except WargameError as exc:
        raise WargameError(f"{where}: scenario: {exc}") from None


def _base(data: dict[str, Any], model: ModelKind, scenario: Scenario | None,
          overrides: dict[str, Any], where: str) -> dict[str, Any]:
    """Every input of a run before the design: the scenario's parameters (or, for a model
    kind without scenarios, its registry's defaults), the overrides, and `days`."""
    if scenario is None:
        return {**model.defaults, **overrides}
    base = {**scenario.parameters, **overrides}
    if "days" in data and "max_days" in overrides:
        raise WargameError(
            f"{where}: days = {data['days']!r} and [parameters] max_days = "
            f"{overrides['max_days']!r} both set the crisis window; keep one"
        )
    if "days" in data:
        base["max_days"] = INPUTS["max_days"].check(data["days"], f"{where}: days")
    return base


def parse_sweep(data: dict[str, Any], name: str, where: str = "sweep",
                base_dir: Path | None = None) -> SweepSpec:
    """Validate a sweep given as the dict a sweep file holds (the Python way to a sweep:
    `wargame.sweep.api.sweep`); `where` names it in errors, `base_dir` anchors a
    relative scenario path."""
    _unknown(data, TOP_KEYS, where)
    model = model_kind(data.get("model", CRISIS), f"{where}: model")
    if not model.scenarios:
        for key in ("scenario", "days"):
            if key in data:
                raise WargameError(f"{where}: {key} = {data[key]!r}, but model "
                                   f"{model.name!r} takes no scenario; set its inputs in "
                                   "[parameters]")
    for key in ("scenario", "replications", "base_seed", "design"):
        if key not in data and (key != "scenario" or model.scenarios):
            raise WargameError(f"{where}: missing key {key!r}")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise WargameError(f"{where}: description must be text")
    scenario = _scenario(data, where, base_dir) if model.scenarios else None
    replications = _int(data["replications"], f"{where}: replications", 1)
    base_seed = check_seed(data["base_seed"], f"{where}: base_seed")
    keep_series = data.get("keep_series", False)
    if not isinstance(keep_series, bool):
        raise WargameError(f"{where}: keep_series = {keep_series!r}; expected true or false")
    if keep_series and not model.series:
        raise WargameError(f"{where}: keep_series = true, but model {model.name!r} has no "
                           "per-step series to keep in a sweep")
    paired_seeds = data.get("paired_seeds", False)
    if not isinstance(paired_seeds, bool):
        raise WargameError(f"{where}: paired_seeds = {paired_seeds!r}; expected true or false")

    overrides = model.check(_table(data, "parameters", where), f"{where} [parameters]")
    base = _base(data, model, scenario, overrides, where)

    design = _table(data, "design", where)
    kind = design.get("kind")
    if kind not in DESIGNS:
        raise WargameError(
            f"{where} [design]: kind = {kind!r} is not allowed; expected one of "
            f"{', '.join(DESIGNS)}"
        )
    _unknown(design, DESIGN_KEYS[kind], f"{where} [design] (kind = {kind!r})")
    levels: dict[str, list[Any]] = {}
    ranges: dict[str, list[float]] = {}
    samples = 0
    morris_levels = 0
    if kind == "grid":
        levels = _levels(_table(design, "levels", f"{where} [design]"), model, where)
    elif kind == "morris":
        if "trajectories" not in design:
            raise WargameError(f"{where} [design]: missing key 'trajectories'")
        samples = _int(design["trajectories"], f"{where} [design] trajectories", 2)
        morris_levels = _int(design.get("levels", MORRIS_LEVELS), f"{where} [design] levels",
                             2)
        if morris_levels % 2:
            raise WargameError(
                f"{where} [design] levels = {morris_levels} is not allowed; Morris sampling "
                "needs an even number of levels (e.g. 4)"
            )
        ranges = _morris_ranges(design.get("ranges"), overrides, base, model, where)
    else:
        if "samples" not in design:
            raise WargameError(f"{where} [design]: missing key 'samples'")
        samples = _int(design["samples"], f"{where} [design] samples", 1)
        if kind == "sobol" and samples & (samples - 1):
            raise WargameError(
                f"{where} [design] samples = {samples} is not allowed; Saltelli sampling "
                "needs a power of 2 (e.g. 64, 128, 256)"
            )
        ranges = _ranges(_table(design, "ranges", f"{where} [design]"), model, where)
        if not ranges:
            raise WargameError(f"{where} [design.ranges]: name at least one parameter")
    second_order = design.get("second_order", True) if kind == "sobol" else False
    if not isinstance(second_order, bool):
        raise WargameError(f"{where} [design] second_order must be true or false")
    if "days" in data and "max_days" in (levels or ranges):
        raise WargameError(
            f"{where}: days = {data['days']!r} and [design] max_days both set the crisis "
            "window; keep one"
        )
    clash = sorted(set(levels or ranges) & set(overrides))
    if clash:
        raise WargameError(
            f"{where}: {clash[0]!r} is both fixed in [parameters] and swept in [design]"
        )
    if "target" in base:  # a crisis: its adversary must reach every target it may run
        place = f"{where} [design.levels]" if {"target", "adversary"} & set(levels) else where
        for target in levels.get("target", [base["target"]]):
            for adversary in levels.get("adversary", [base["adversary"]]):
                check_attack(target, adversary, place)
            for parties in levels.get("parties", [base["parties"]]):
                check_parties(parties, target, place)
    posterior_file, draws = _posterior(data, model, scenario, overrides, levels or ranges,
                                       replications, base_seed, paired_seeds, where, base_dir)
    return SweepSpec(
        name=name,
        description=description,
        scenario=scenario.name if scenario else None,
        base=base,
        design=kind,
        levels=levels,
        ranges=ranges,
        samples=samples,
        second_order=second_order,
        replications=replications,
        base_seed=base_seed,
        keep_series=keep_series,
        morris_levels=morris_levels,
        paired_seeds=paired_seeds,
        model=model.name,
        posterior_file=posterior_file,
        posterior_draws=draws,
    )


def _posterior_reference(given: str) -> str:
    """`--posterior FILE` as the sweep records it: "shipped" for the shipped posterior
    however it is named (so that --resume with its path finds the same sweep), else the
    file's absolute path."""
    from wargame.calibration.posterior import SHIPPED_POSTERIOR

    if given == SHIPPED or Path(given).resolve() == SHIPPED_POSTERIOR.resolve():
        return SHIPPED
    return str(Path(given).absolute())


def _posterior(data: dict[str, Any], model: ModelKind, scenario: Scenario | None,
               overrides: dict[str, Any], swept: dict[str, Any], replications: int,
               base_seed: int, paired_seeds: bool, where: str, base_dir: Path | None
               ) -> tuple[str | None, tuple[dict[str, Any], ...]]:
    """`posterior = true` (the shipped calibration's) or a CSV/Parquet path: one parameter
    set per replication, drawn by weight with `base_seed`, so that every design point's
    replication r runs with the same set, and (paired seeds, required) the same seed.

    Paired seeds are required because the draw already pairs the points: the runs of
    replication r share their parameters in every point, and the figures count a
    replication's runs as one cluster only when their seeds are paired too. The drawn
    inputs may not be fixed or swept elsewhere: a value set by hand would be silently
    replaced by the draws, or replace them.
    """
    value = data.get("posterior", False)
    if value is False:
        return None, ()
    if not isinstance(value, (bool, str)) or value == "":
        raise WargameError(f"{where}: posterior = {value!r}; expected true or \"shipped\" "
                           "(the shipped calibration's posterior) or the path of a CSV or "
                           "Parquet file")
    if model.name != CRISIS:
        raise WargameError(f"{where}: posterior: a posterior draws crisis uncertainties; "
                           f"model {model.name!r} takes none of them")
    if not paired_seeds:
        raise WargameError(f"{where}: posterior needs paired_seeds = true: replication r "
                           "runs draw r in every point, so its runs are paired by the draw "
                           "and must be paired by their seed too")
    from wargame.calibration.posterior import SHIPPED_POSTERIOR
    from wargame.parameter_sets import read_draws

    if value is True or value == SHIPPED:
        name, path = SHIPPED, SHIPPED_POSTERIOR
    else:
        name, path = value, Path(value)
        if not path.is_absolute() and base_dir is not None and (base_dir / path).exists():
            path = base_dir / path  # relative to the sweep file, as a scenario path is
    drawn = read_draws(path, replications, base_seed, where=f"{where}: posterior {name}")
    draws = tuple(draw for draw, _ in drawn)
    settings = [("fixed in [parameters] (or --set)", overrides), ("swept in [design]", swept)]
    if scenario is not None:
        settings.append((f"set by scenario {scenario.name}", scenario.overrides))
    for origin, names in settings:
        clash = sorted(set(draws[0]) & set(names))
        if clash:
            raise WargameError(f"{where}: {clash[0]!r} is drawn from the posterior and "
                               f"{origin}; drop one of the two")
    return name, draws
