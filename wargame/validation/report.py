"""The battery's three reports: a table for the terminal, validation.json and VALIDATION.md.

All three are written from the same records (`Battery`), so they cannot disagree. The two
files are written under a temporary name and renamed: a reader never finds half a report.
"""

from __future__ import annotations

import json
import math
import os
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from wargame.validation.battery import Battery
from wargame.validation.experiments import BASE_SEED, SEEDS, U_LEVELS
from wargame.validation.records import (
    FAILS,
    NOT_EVALUATED,
    REPORTED,
    SKIPPED,
    CheckResult,
    Finding,
    Table,
)

JSON_FILE = "validation.json"
MARKDOWN_FILE = "VALIDATION.md"
VERDICT = {"holds": "yes", FAILS: "NO", NOT_EVALUATED: "n/a", SKIPPED: "skipped",
           REPORTED: "reported"}


def verdict(result: CheckResult, finding: Finding) -> str:
    """A finding's verdict; an out-of-sample comparison's findings are reported, not judged."""
    return VERDICT[finding.status] if result.check.judged else VERDICT[REPORTED]


#: How each unit's value and interval are written (`Finding.unit`).
VALUE_FORMATS: dict[str, Callable[[float, float, float], str]] = {
    "share": lambda v, lo, hi: f"{100 * v:.1f}% [{100 * lo:.1f}, {100 * hi:.1f}]",
    "points": lambda v, lo, hi: f"{100 * v:+.1f} pts [{100 * lo:+.1f}, {100 * hi:+.1f}]",
    "days": lambda v, lo, hi: f"{v:g} d [{lo:g}, {hi:g}]",
    "count": lambda v, lo, hi: f"{v:+,.0f} [{lo:+,.0f}, {hi:+,.0f}]",
    "rho": lambda v, lo, hi: f"rho {v:+.2f} [{lo:+.2f}, {hi:+.2f}]",
    "auc": lambda v, lo, hi: f"AUC {v:.2f} [{lo:.2f}, {hi:.2f}]",
    "difference": lambda v, lo, hi: f"{v:+.2f} [{lo:+.2f}, {hi:+.2f}]",
}


def value_text(finding: Finding) -> str:
    """'31.0% [28.1, 34.2]', '-11.5 pts [-15.9, -7.1]', '52 d [48, 56]', '+1,234 [...]'."""
    e = finding.estimate
    if e is None or math.isnan(e.value):
        return "-"
    return VALUE_FORMATS[finding.unit](e.value, e.low, e.high)


def _table_cells(table: Table) -> list[list[str]]:
    """V7's rows as text: iso3, state, two shares, as many troop columns as the table has
    (stationed, arrived beyond them), the ties to the target last."""
    rows = []
    for iso3, name, share_a, share_b, *troops, ties in table.rows:
        rows.append([str(iso3), str(name), f"{100 * share_a:.0f}%", f"{100 * share_b:.0f}%",
                     *("-" if math.isnan(t) else f"{t:,.0f}" for t in troops), str(ties)])
    return rows


def _aligned(header: list[str], rows: list[list[str]]) -> str:
    """A plain-text table whose columns are as wide as their widest cell."""
    widths = [max(len(x) for x in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(f"{cell:<{w}}" for cell, w in zip(line, widths, strict=True)).rstrip()
             for line in [header, ["-" * w for w in widths], *rows]]
    return "\n".join(lines)


#: Widths of the terminal table's columns: check, subject, target, value, holds; longer
#: text wraps onto the next lines of its column.
WIDTHS = (5, 30, 52, 27, 8)


def _wrapped(cells: list[str], widths: tuple[int, ...]) -> list[str]:
    """One table row, each cell wrapped to its column's width."""
    columns = [textwrap.wrap(cell, width) or [""] for cell, width in zip(cells, widths,
                                                                          strict=True)]
    height = max(len(column) for column in columns)
    return ["  ".join(f"{(column[i] if i < len(column) else ''):<{width}}"
                      for column, width in zip(columns, widths, strict=True)).rstrip()
            for i in range(height)]


def text_report(battery: Battery) -> str:
    """The table printed on stdout: one block per check, one row per finding, then V7's tables."""
    blocks = []
    for result in battery.results:
        check = result.check
        blocks += ["", f"{check.id} {check.title}: {VERDICT[result.status]}",
                   *textwrap.wrap(f"source: {check.source}", 120, subsequent_indent="  ")]
        if result.skipped:
            blocks.append(f"skipped: {result.skipped}")
            continue
        blocks += _wrapped(["check", "subject", "target", "model value [95% CI]", "holds"],
                           WIDTHS)
        for f in result.findings:
            blocks += _wrapped([check.id, f.subject, f.target, value_text(f),
                                verdict(result, f)], WIDTHS)
            if f.note:
                blocks += textwrap.wrap(f.note, 120, initial_indent=" " * 7,
                                        subsequent_indent=" " * 7)
    for result in battery.results:
        for table in result.tables:
            if table.plain:
                blocks += ["", f"{result.check.id}: {table.title}",
                           *textwrap.wrap(table.note, 120),
                           _aligned(list(table.columns), [list(r) for r in table.rows])]
                continue
            blocks += ["", f"{result.check.id}: {table.title}",
                       *textwrap.wrap(f"over armed attacks; {table.note}", 120)]
            shown = [r for r in _table_cells(table) if r[3] != "0%" or r[-1]]
            blocks.append(_aligned(list(table.columns), shown))
            hidden = len(table.rows) - len(shown)
            if hidden:
                blocks.append(f"({hidden} states that never gave money or forces and have no tie "
                              f"to the target: see {MARKDOWN_FILE})")
    blocks += ["", summary_line(battery)]
    return "\n".join(blocks).lstrip("\n")


def summary_line(battery: Battery) -> str:
    counted = [r for r in battery.results if r.status not in (SKIPPED, REPORTED)]
    failing = [r.check.id for r in counted if not r.holds]
    held = len(counted) - len(failing)
    text = f"{held} of {len(counted)} checks hold" if counted else "no check judged"
    if failing:
        text += f"; not holding: {', '.join(failing)}"
    reported = [r.check.id for r in battery.results if r.status == REPORTED]
    if reported:
        text += f"; reported, not judged: {', '.join(reported)}"
    skipped = [r.check.id for r in battery.results if r.status == SKIPPED]
    if skipped:
        text += f"; skipped: {', '.join(skipped)}"
    return text


def _number(value: float) -> float | None:
    return None if value is None or math.isnan(value) else float(value)


def _finding_json(finding: Finding, judged: bool) -> dict[str, Any]:
    e = finding.estimate
    return {
        "subject": finding.subject, "target": finding.target, "unit": finding.unit,
        "value": None if e is None else _number(e.value),
        "low": None if e is None else _number(e.low),
        "high": None if e is None else _number(e.high),
        "n": None if e is None else e.n,
        "status": finding.status if judged else REPORTED, "holds": finding.holds,
        "note": finding.note,
    }


def _json_cell(value: Any) -> Any:
    return _number(value) if isinstance(value, float) else value


def _result_json(result: CheckResult, battery: Battery) -> dict[str, Any]:
    check = result.check
    return {
        "id": check.id, "title": check.title, "source": check.source, "target": check.target,
        "status": result.status, "holds": result.holds, "skipped": result.skipped or None,
        "experiments": [e.name for e in check.experiments(battery.context)],
        "findings": [_finding_json(f, check.judged) for f in result.findings],
        "tables": [{"title": t.title, "columns": list(t.columns), "note": t.note,
                    "rows": [[_json_cell(v) for v in row] for row in t.rows]}
                   for t in result.tables],
    }


def report_json(battery: Battery, out: Path) -> dict[str, Any]:
    """validation.json: every check with its numbers, the code, the inputs and the seeds."""
    from wargame import __version__
    from wargame.sweep.manifest import citation, git_commit

    settings = battery.settings
    experiments = {}
    for name, experiment in battery.experiments.items():
        manifest = battery.context.results.manifest(name)  # type: ignore[union-attr]
        experiments[name] = {
            "folder": os.path.relpath(battery.folders[name], out),
            "scenario": experiment.scenario, "description": experiment.description,
            "levels": {k: list(v) for k, v in experiment.levels.items()},
            "fixed": experiment.sweep_config(settings)["parameters"],
            "replications": settings.seeds, "base_seed": BASE_SEED, "paired_seeds": True,
            "runs": manifest.get("completed_runs"), "citation": citation(manifest),
        }
    return {
        "wargame_version": __version__,
        "git_commit": git_commit(),
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "holds": battery.holds,
        "summary": summary_line(battery),
        "settings": {
            "quick": settings.quick, "seeds_per_cell": settings.seeds,
            "u_levels": list(settings.u_levels), "scenarios": list(settings.scenarios),
            "checks": [r.check.id for r in battery.results], "workers": settings.workers,
            "base_seed": BASE_SEED, "parameters": settings.parameters,
        },
        "scenarios": {s.name: {"ref": s.ref, "inputs": s.parameters}
                      for s in battery.context.scenarios},
        "checks": [_result_json(r, battery) for r in battery.results],
        "experiments": experiments,
        **battery.extra,
    }


def _md_escape(text: str) -> str:
    return str(text).replace("|", "\\|")


def report_markdown(battery: Battery, data: dict[str, Any]) -> str:
    """VALIDATION.md: the summary, each check's findings beside its source, V7's tables."""
    settings = battery.settings
    mode = "--quick" if settings.quick else "full" if (settings.seeds, settings.u_levels) == (
        SEEDS, U_LEVELS) else "custom"
    lines = [
        "# Validation report",
        "",
        f"`wargame validate` ({mode}): wargame {data['wargame_version']}, commit "
        f"{data['git_commit'] or 'unknown'}, {data['created']}. {settings.seeds} paired seeds a "
        f"cell (base seed {BASE_SEED}); scenarios {', '.join(settings.scenarios)}.",
        "",
        f"**{data['summary']}.**",
        "",
        "A clause that says *significantly* holds when the 95% interval of the paired "
        "difference excludes 0 in the stated direction; a threshold is judged on the model "
        "value, with its 95% interval beside it (shares: Wilson; paired differences and means: "
        "t interval over seeds; E1's paired shares: Newcombe; medians: order statistics; "
        "interquartile ranges: bootstrap).",
        "",
        "| check | title | holds | source |",
        "|---|---|---|---|",
    ]
    lines += [f"| {r.check.id} | {r.check.title} | {VERDICT[r.status]} | "
              f"{_md_escape(r.check.source)} |" for r in battery.results]
    for result in battery.results:
        check = result.check
        lines += ["", f"## {check.id} {check.title}: {VERDICT[result.status]}", "",
                  f"Target: {check.target}.", "", f"Source: {check.source}.", ""]
        if result.skipped:
            lines.append(f"Skipped: {result.skipped}.")
            continue
        lines += ["| subject | target | model value [95% CI] | holds | note |",
                  "|---|---|---|---|---|"]
        lines += [f"| {_md_escape(f.subject)} | {_md_escape(f.target)} | {value_text(f)} | "
                  f"{verdict(result, f)} | {_md_escape(f.note)} |" for f in result.findings]
        for table in result.tables:
            note = table.note if table.plain else f"over armed attacks; {table.note}"
            lines += ["", f"**{table.title}** ({note})", "",
                      "| " + " | ".join(table.columns) + " |",
                      "|" + "---|" * len(table.columns)]
            cells = [list(r) for r in table.rows] if table.plain else _table_cells(table)
            lines += ["| " + " | ".join(_md_escape(c) for c in row) + " |" for row in cells]
    lines += ["", "## Experiments", "", "| experiment | runs | folder | citation |",
              "|---|---|---|---|"]
    lines += [f"| {name} | {e['runs']:,} | `{e['folder']}` | {_md_escape(e['citation'])} |"
              for name, e in data["experiments"].items()]
    return "\n".join(lines) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def write_reports(battery: Battery, out: Path) -> tuple[Path, Path]:
    """Write validation.json and VALIDATION.md into `out`, each whole or not at all."""
    data = report_json(battery, out)
    json_path, md_path = out / JSON_FILE, out / MARKDOWN_FILE
    _write_atomic(json_path, json.dumps(data, indent=2, allow_nan=False) + "\n")
    _write_atomic(md_path, report_markdown(battery, data))
    return json_path, md_path
