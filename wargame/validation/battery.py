"""Run the battery: choose the checks, run the experiments they share, measure each check.

`validate(settings, out)` is what `wargame validate` does, less the printing: it returns a
`Battery` (every check's result, the settings, the experiments' folders) that the report
writers turn into the table, `validation.json` and `VALIDATION.md`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wargame.errors import WargameError
from wargame.validation.checks import CHECKS
from wargame.validation.context import Context, load_info
from wargame.validation.experiments import Experiment, Results, Settings, run_experiments
from wargame.validation.records import Check, CheckResult


@dataclass
class Battery:
    """The outcome of one validation: every check's result and what it ran."""

    settings: Settings
    results: list[CheckResult]
    experiments: dict[str, Experiment]
    folders: dict[str, Path]
    context: Context
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def holds(self) -> bool:
        return all(result.holds for result in self.results)


def select_checks(ids: tuple[str, ...]) -> list[Check]:
    """The checks named (all if none), in battery order; an unknown id is one line."""
    known = {check.id: check for check in CHECKS}
    unknown = [i for i in ids if i.upper() not in known]
    if unknown:
        raise WargameError(f"--check {unknown[0]}: no such check; checks: {', '.join(known)}")
    wanted = {i.upper() for i in ids}
    return [check for check in CHECKS if not wanted or check.id in wanted]


def validate(settings: Settings, out: Path, announce: Callable[[str], None]) -> Battery:
    """Run the experiments of the chosen checks into `out/sweeps/` and measure every check."""
    context = Context(settings, [load_info(ref, settings.parameters)
                                 for ref in settings.scenarios])
    checks = select_checks(settings.checks)
    needed: dict[Check, list[Experiment]] = {c: c.experiments(context) for c in checks}
    experiments = {e.name: e for wanted in needed.values() for e in wanted}
    folders = run_experiments(experiments.values(), out, settings, announce)
    context.results = Results(folders)
    results = []
    for check in checks:
        if not needed[check]:
            results.append(CheckResult(check, skipped="its scenarios were not selected"))
            continue
        findings, tables = check.measure(context)
        results.append(CheckResult(check, findings, tables))
    return Battery(settings, results, experiments, folders, context)
