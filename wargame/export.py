"""`wargame export DIR --to csv|xlsx`: a result folder as tables a spreadsheet opens.

Analysts who work in Excel, R or Stata should not need PyArrow. An export holds the same
rows the figures read (the verified reader of `wargame.figures.load`: a damaged or
duplicated folder is refused in one line), plus two tables that make it self-explaining:

- `runs`, `states`, `steps` (steps only where the sweep kept per-day series);
- `inputs`: every model input with its role, unit and meaning, and the value this folder
  used (or "swept: ..." with its levels or range);
- `columns`: a data dictionary, one row per exported column with its unit and meaning.

CSV goes to one file per table in a folder; Excel to one workbook with a sheet per table
and an `about` sheet carrying the folder's citation line. Every digit of a seed survives:
a whole-number column read as float because some rows are null (the negotiation's seed,
in a sweep's runs without the negotiation) is written as whole numbers, and Excel, which
keeps 15 significant digits, gets a longer whole number (a 63-bit run seed) as text.
Excel holds at most 1,048,576 rows per sheet, so a longer table continues on numbered
sheets (`steps 2`, ...). Files are written under a temporary name and renamed, so an
interrupted export leaves no half-written file behind.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.errors import WargameError
from wargame.files import csv_of, file_name, real_folder, refuse_link, write_own
from wargame.rules import progress

if TYPE_CHECKING:  # pandas is imported where a table is built: `wargame --help` stays fast
    import pandas as pd

FORMATS = ("csv", "xlsx")
#: Rows per Excel sheet, less the header row (Excel's limit is 1,048,576 rows).
EXCEL_ROWS = 1_048_575
#: Above this many rows in all, an Excel export takes minutes: say so before starting.
SLOW_EXCEL_ROWS = 300_000
#: Excel keeps this many significant digits of a number; a longer whole number is text.
EXCEL_DIGITS = 15


@dataclass
class Export:
    """The tables of one result folder, ready to write."""

    source: Path
    kind: str  # "sweep" or "run"
    citation: str
    tables: dict[str, pd.DataFrame]
    model: str = "crisis"  # the model kind whose runs these are (wargame.model_kinds)


def _inputs_table(values: dict[str, Any], swept: dict[str, str],
                  model: str = "crisis") -> pd.DataFrame:
    import pandas as pd

    from wargame.inputs import table_rows
    from wargame.model_kinds import model_kind

    rows = []
    for row in table_rows(dict(model_kind(model).inputs)):
        name = row["name"]
        used = swept.get(name, values.get(name, row["default"]))
        rows.append({"name": name, "role": row["role"], "value": used,
                     "swept": name in swept, "default": row["default"],
                     "low": row["low"], "high": row["high"], "unit": row["unit"],
                     "label": row["label"], "reason": row["reason"]})
    return pd.DataFrame(rows).astype({"value": str})


def _swept_values(spec: dict[str, Any]) -> dict[str, str]:
    swept = {}
    for name, levels in (spec.get("levels") or {}).items():
        swept[name] = "swept: " + ", ".join(map(str, levels))
    for name, bounds in (spec.get("ranges") or {}).items():
        swept[name] = f"swept: range [{bounds[0]}, {bounds[1]}]"
    posterior = spec.get("posterior") or {}
    draws = posterior.get("draws") or []
    for name in (draws[0] if draws else {}):
        values = [draw[name] for draw in draws]
        swept[name] = (f"drawn per replication from posterior {posterior.get('file')}: "
                       f"{len(draws)} sets, {min(values):.3g} to {max(values):.3g}")
    return swept


#: The output-registry level of each table, for a sweep folder and for a run folder.
LEVELS = {"sweep": {"runs": "run", "states": "state", "steps": "day"},
          "run": {"runs": "run", "states": "day_state", "steps": "day"}}


def _columns_table(kind: str, tables: dict[str, pd.DataFrame],
                   model: str = "crisis") -> pd.DataFrame:
    """One row per exported column of the data tables: its unit and meaning, from the
    model kind's outputs (the table's level first), then the sweep's keys and the model
    kind's inputs."""
    import pandas as pd

    from wargame.model_kinds import model_kind
    from wargame.output_registry import RUN_ERROR, SWEEP_KEYS

    declared = model_kind(model)
    described = {o.name: (o.unit, o.label) for o in (*SWEEP_KEYS, RUN_ERROR)}
    described.update({i.name: (i.unit, i.label) for i in declared.inputs.values()})
    rows = []
    for table, frame in tables.items():
        level = LEVELS[kind].get(table)
        registry = ({o.name: (o.unit, o.label) for o in declared.columns(level)} if level
                    else {})
        for column in frame.columns:
            unit, label = registry.get(column) or described.get(column, ("", ""))
            rows.append({"table": table, "column": column, "unit": unit, "label": label})
    return pd.DataFrame(rows)


def _whole_numbers(export: Export) -> Export:
    """Declared whole-number columns that pandas read as float (some rows null) as Int64,
    so a seed is written as the integer it is, not as 1.6e+15 or 1607047123456789.0."""
    import pandas as pd

    from wargame.model_kinds import model_kind
    from wargame.output_registry import SWEEP_KEYS

    declared = model_kind(export.model)
    inputs = {i.name for i in declared.inputs.values() if i.kind is int}
    for table, level in LEVELS[export.kind].items():
        frame = export.tables.get(table)
        if frame is None:
            continue
        whole = {o.name for o in (*SWEEP_KEYS, *declared.columns(level)) if o.dtype == "int"}
        whole |= inputs if table == "runs" else set()
        floats = [c for c in frame.columns if c in whole and pd.api.types.is_float_dtype(frame[c])
                  and frame[c].dropna().mod(1).eq(0).all()]
        if floats:
            export.tables[table] = frame.astype(dict.fromkeys(floats, "Int64"))
    return export


def _excel_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Whole-number columns with a value of more than EXCEL_DIGITS digits as text: Excel
    would round 1894144045239022286 to 1894144045239020000, and the seed would rerun
    another run."""
    import pandas as pd

    longest = 10**EXCEL_DIGITS
    text = [c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c])
            and bool((frame[c].abs() >= longest).any())]
    return frame.astype(dict.fromkeys(text, "string")) if text else frame


def read_folder(folder: Path) -> Export:
    """The exportable tables of a sweep folder or of a `wargame run` folder (one line if not)."""
    if (folder / "manifest.json").is_file():
        return _whole_numbers(_read_sweep(folder))
    if (folder / "summary.json").is_file():
        return _whole_numbers(_read_run(folder))
    if not folder.is_dir():
        raise WargameError(f"{folder}: no such result folder")
    raise WargameError(f"{folder}: not a result folder (no manifest.json of a sweep, no "
                       "summary.json of a run)")


def _read_sweep(folder: Path) -> Export:
    from wargame.figures.load import Unsupported, load_results
    from wargame.sweep.manifest import citation

    results = load_results(folder)
    tables = {"runs": results.runs, "states": results.states}
    with suppress(Unsupported):
        tables["steps"] = results.steps
    manifest = results.manifest
    spec = manifest.get("spec") or {}
    tables["inputs"] = _inputs_table(spec.get("base") or {}, _swept_values(spec), results.model)
    line = citation(manifest, runs=len(results.runs) + results.n_failed)
    if results.n_failed:
        line += f"; {results.n_failed:,} failed runs not exported (see runs/ 'error')"
    return Export(folder, "sweep", line, tables, results.model)


def _read_run(folder: Path) -> Export:
    import pandas as pd

    from wargame.schemas import check_summary, read_json

    path = folder / "summary.json"
    summary = check_summary(read_json(path, 2**26, "a summary of `wargame run`"), path)
    for name in ("steps.parquet", "states.parquet"):
        refuse_link(folder / name)
        if (folder / name).exists() and not (folder / name).is_file():
            raise WargameError(f"{folder / name}: not a regular file")
    try:
        steps = pd.read_parquet(folder / "steps.parquet")
        states = pd.read_parquet(folder / "states.parquet")
    except (OSError, ValueError) as exc:
        raise WargameError(f"{folder}: cannot read the run ({type(exc).__name__}: "
                           f"{str(exc).splitlines()[0] if str(exc) else ''})") from None
    run = {"seed": summary.get("seed"), **summary.get("inputs", {}), **summary.get("outputs", {})}
    tables = {"runs": pd.DataFrame([run]), "states": states, "steps": steps,
              "inputs": _inputs_table(summary.get("inputs", {}), {})}
    line = (f"wargame {summary.get('wargame_version', '?')}, scenario "
            f"{summary.get('scenario', '?')!r}, seed {summary.get('seed')}")
    return Export(folder, "run", line, tables)


def write_csv(export: Export, out: Path) -> list[Path]:
    """One CSV per table (UTF-8, comma, header row) in `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {**export.tables, "columns": _columns_table(export.kind, export.tables,
                                                         export.model)}
    written = [write_own(out / f"{name}.csv", csv_of(frame, index=False))
               for name, frame in tables.items()]
    about = _about_text(export).encode("utf-8")
    written.append(write_own(out / "CITATION.txt", lambda handle: handle.write(about)))
    return written


def _about_text(export: Export) -> str:
    from wargame.model_kinds import model_kind

    return (f"{export.citation}\nexported from {export.source} on "
            f"{datetime.now(UTC).isoformat(timespec='seconds')}\n"
            f"columns.csv gives each column's unit and meaning; {model_kind(export.model).docs} "
            "defines them.\n")


def _sheets(name: str, frame: pd.DataFrame) -> Iterator[tuple[str, pd.DataFrame]]:
    if len(frame) <= EXCEL_ROWS:
        yield name, frame
        return
    for number, start in enumerate(range(0, len(frame), EXCEL_ROWS), start=1):
        yield (name if number == 1 else f"{name} {number}"), frame.iloc[start:start + EXCEL_ROWS]


def write_xlsx(export: Export, target: Path) -> list[Path]:
    """One workbook: an `about` sheet, then a sheet per table; returns [target]."""
    import pandas as pd

    target.parent.mkdir(parents=True, exist_ok=True)
    tables = {**export.tables, "columns": _columns_table(export.kind, export.tables,
                                                         export.model)}
    about = pd.DataFrame({"about": _about_text(export).splitlines()})
    def write(handle) -> None:
        with pd.ExcelWriter(handle, engine="openpyxl") as workbook, \
                progress(len(tables), "sheet") as bar:  # a large workbook takes minutes
            about.to_excel(workbook, sheet_name="about", index=False)
            for name, frame in tables.items():
                for sheet, part in _sheets(name, _excel_text(frame)):
                    part.to_excel(workbook, sheet_name=sheet, index=False)
                bar.update()

    return [write_own(target, write)]


def default_target(folder: Path, to: str, out: Path | None = None) -> Path:
    """Where an export goes: the folder `out` (default: the result folder's export/), the
    CSV files in it, or the workbook <result folder's name>.xlsx in it. --out names a
    folder for every format, as it does for every other command."""
    export = out if out is not None else real_folder(folder / "export", create=False)
    return export if to == "csv" else export / f"{file_name(folder.resolve().name)}.xlsx"


def _export(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    export = read_folder(folder)
    target = default_target(folder, args.to, Path(args.out) if args.out else None)
    rows = sum(len(frame) for frame in export.tables.values())
    if args.to == "xlsx" and rows > SLOW_EXCEL_ROWS:
        print(f"note: {rows:,} rows: an Excel workbook this size takes minutes to write; "
              "--to csv is much faster")
    try:
        written = (write_csv if args.to == "csv" else write_xlsx)(export, target)
    except OSError as exc:
        raise WargameError(f"{target}: cannot write the export ({exc.strerror or exc}); "
                           "nothing was left half-written") from None
    counts = ", ".join(f"{name} {len(frame):,} rows" for name, frame in export.tables.items())
    print(f"exported {export.kind} {folder} ({counts})")
    print("wrote " + ", ".join(str(path) for path in written))
    return 0


def _format(text: str) -> str:
    if text not in FORMATS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(FORMATS)}, got {text!r}")
    return text


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `wargame export` to the command line."""
    from wargame.arguments import folder as folder_argument

    parser = subparsers.add_parser(
        "export",
        help="write a result folder's tables as CSV files or an Excel workbook",
        description="Export the runs, per-state results, per-day series (if kept) and inputs "
        "of a sweep folder (or of a `wargame run` folder) with a data dictionary of every "
        "column's unit and meaning and the folder's citation line. CSV: one file per table "
        "in DIR/export/; Excel: DIR/export/<folder>.xlsx, one sheet per table.",
    )
    parser.add_argument("folder", type=folder_argument, help="result folder of a sweep or run")
    parser.add_argument("--to", type=_format, default="csv",
                        help="csv (default) or xlsx")
    parser.add_argument("--out", type=folder_argument,
                        help="folder to write the CSV files or the workbook into (default: "
                        "DIR/export/)")
    parser.set_defaults(handler=_export)
