"""V11: do V1-V9 hold over the calibration's posterior, not only at its point?

The hook for the calibration: `robustness(draws, ...)` reruns V1-V9 once per parameter set
(each a dict of inputs fixed in every run of every experiment, into `DIR/draws/NNN/`) and
reports the share of draws in which each check, and all of them, hold. `wargame validate`
draws them (`wargame.parameter_sets.read_draws`) from the shipped calibration's posterior
(`wargame/data/posterior.parquet`, docs/CALIBRATION.md) or from `--posterior FILE`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from wargame.validation import stats
from wargame.validation.battery import Battery, validate
from wargame.validation.experiments import Settings
from wargame.validation.records import Check, CheckResult, Finding, Table

ROBUST_CHECKS = tuple(f"V{i}" for i in range(1, 10))
#: Share of posterior draws (by weight) in which V1-V9 must all hold.
ROBUST_SHARE = 0.80

V11 = Check("V11", "Robust", "issue 18 item 7: headline answers over the calibration's "
            "posterior, not one point", "V1-V9 hold at the calibrated point and for >= 80% of "
            "posterior draws", lambda ctx: [], lambda ctx: ([], []))


def robustness(draws: list[tuple[dict[str, Any], float]], settings: Settings, out: Path,
               announce: Callable[[str], None]) -> dict[str, Any]:
    """Rerun V1-V9 for each draw; the (weighted) share of draws in which each check holds,
    and per draw its inputs and the clauses that fail. Each draw's own report is written
    into its folder, so a reader can open the draw that failed and see by how much."""
    from wargame.validation.report import write_reports

    total = sum(weight for _, weight in draws) or 1.0
    per_check = dict.fromkeys(ROBUST_CHECKS, 0.0)
    all_hold = 0.0
    rows = []
    for number, (draw, weight) in enumerate(draws):
        announce(f"posterior draw {number + 1}/{len(draws)}")
        draw_settings = replace(settings, checks=ROBUST_CHECKS,
                                parameters={**settings.parameters, **draw})
        folder = out / "draws" / f"{number:03d}"
        battery = validate(draw_settings, folder, announce)
        write_reports(battery, folder)
        for result in battery.results:
            per_check[result.check.id] += weight * result.holds
        all_hold += weight * battery.holds
        rows.append({"draw": number, "folder": f"draws/{number:03d}", "inputs": draw,
                     "failing": [f"{result.check.id} {finding.subject}"
                                 for result in battery.results for finding in result.findings
                                 if finding.holds is not True]})
    return {"draws": len(draws), "all_hold": all_hold / total,
            "per_check": {k: v / total for k, v in per_check.items()}, "by_draw": rows}


def v11_result(point: Battery, summary: dict[str, Any] | None) -> CheckResult:
    """V11's verdict from the battery at the point and the draws' summary (None: no draws)."""
    if summary is None:
        return CheckResult(V11, skipped="no posterior draws (--draws 0)")
    at_point = [r for r in point.results if r.check.id in ROBUST_CHECKS]
    held = sum(r.holds for r in at_point)
    findings = [
        Finding("calibrated point", "V1-V9 all hold", stats.share(held, len(at_point)),
                "share", held == len(at_point) == len(ROBUST_CHECKS),
                f"{held} of {len(at_point)} checks run hold"),
        Finding(f"{summary['draws']} posterior draws", f"V1-V9 all hold in >= "
                f"{ROBUST_SHARE:.0%} of draws (by weight)",
                stats.Estimate(summary["all_hold"], summary["all_hold"], summary["all_hold"],
                               summary["draws"]), "share", summary["all_hold"] >= ROBUST_SHARE,
                "by check: " + ", ".join(f"{k} {v:.0%}" for k, v in summary["per_check"].items())),
    ]
    return CheckResult(V11, findings, [_draws_table(summary)] if summary.get("by_draw") else [])


def _draws_table(summary: dict[str, Any]) -> Table:
    """One row per draw: where its report is, its calibrated inputs, what fails in it."""
    rows = summary["by_draw"]
    names = sorted({name for row in rows for name in row["inputs"]})
    return Table("Posterior draws: inputs and the clauses that do not hold",
                 ("draw", *names, "clauses that do not hold"),
                 tuple((row["folder"], *(_value(row["inputs"].get(n)) for n in names),
                        "; ".join(row["failing"]) or "none") for row in rows),
                 "each draw's own report: DIR/<draw>/VALIDATION.md", plain=True)


def _value(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
