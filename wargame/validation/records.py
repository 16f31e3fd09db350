"""The records of the battery: a check as declared data, what it finds, and its verdict.

A `Check` is declared once (id, title, source, target in words, the experiments it needs,
the function that measures it), as the input and output registries declare theirs; the
report writers read these records and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wargame.validation.stats import Estimate

if TYPE_CHECKING:
    from wargame.validation.context import Context
    from wargame.validation.experiments import Experiment

#: How a value is shown: a share in %, a difference of shares in points, days, a count,
#: a rank correlation (Spearman's rho), an area under the ROC curve, or a difference of
#: either (O1-O2).
UNITS = ("share", "points", "days", "count", "rho", "auc", "difference")

HOLDS, FAILS, NOT_EVALUATED, SKIPPED = "holds", "fails", "not evaluated", "skipped"
#: The status of a comparison that is reported and never judged (O1-O2 out of sample, E1).
REPORTED = "reported"


@dataclass(frozen=True)
class Finding:
    """One measured clause of a check, for one scenario (or state): value, interval, verdict.

    `holds` is None when the clause cannot be measured on this model (an output it needs
    is absent); `note` then says which, and the check does not hold.
    """

    subject: str  # what was measured: "baltic", "baltic: defeat_threshold", "Lithuania: DEU"
    target: str  # the clause in words, e.g. "P(defeated) spans >= 30 points"
    estimate: Estimate | None
    unit: str
    holds: bool | None
    note: str = ""

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"finding {self.subject}: unit {self.unit!r} not in {UNITS}")

    @property
    def status(self) -> str:
        return NOT_EVALUATED if self.holds is None else HOLDS if self.holds else FAILS


@dataclass(frozen=True)
class Table:
    """A table a check shows beside its findings (V7: who helps whom, and the ties why)."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    note: str = ""
    #: Rows already in words, shown as they are (V11's draws); otherwise V7's helper rows
    #: (shares and troops, formatted by the report, over armed attacks).
    plain: bool = False


@dataclass(frozen=True)
class Check:
    """One check of the battery, declared as data.

    `experiments(context)` lists the experiments it reads (shared ones by the same name);
    `measure(context)` returns its findings and any tables. A check that is not `judged`
    (an out-of-sample comparison, O1-O2, or E1's effect of European help) reports its
    findings without a verdict: no threshold was set for it, so it can neither hold nor
    fail, and it never moves the exit status.
    """

    id: str
    title: str
    source: str
    target: str
    experiments: Callable[[Context], list[Experiment]]
    measure: Callable[[Context], tuple[list[Finding], list[Table]]]
    judged: bool = True


@dataclass
class CheckResult:
    """What one check found, and whether it holds."""

    check: Check
    findings: list[Finding] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    skipped: str = ""  # why the check was not run (its scenarios were not selected)

    @property
    def status(self) -> str:
        if self.skipped or not self.findings:
            return SKIPPED
        if not self.check.judged:
            return REPORTED
        statuses = {finding.status for finding in self.findings}
        if FAILS in statuses:
            return FAILS
        return NOT_EVALUATED if NOT_EVALUATED in statuses else HOLDS

    @property
    def holds(self) -> bool:
        """Holds, was skipped on purpose or is only reported: a check that fails or cannot be
        measured does not."""
        return self.status in (HOLDS, SKIPPED, REPORTED)
