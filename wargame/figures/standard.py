"""Every figure a result folder supports, and the index page that shows them with captions.

`render_all` is what `wargame sweep --plots` and `wargame plot all` call. A kind the folder
cannot support (no per-day series, fewer than two numeric parameters …) is skipped with its
reason on the index page rather than failing the whole set. The page is rebuilt from
`figures.json` in the plots folder, so drawing one kind later keeps the others listed.
"""

from __future__ import annotations

import html
import importlib
import json
from pathlib import Path

from wargame.errors import WargameError
from wargame.figure_kinds import KINDS, fits, kinds_for
from wargame.figures.load import Results, Unsupported, load_results
from wargame.figures.provenance import footer
from wargame.figures.style import STYLE, Figure, stamped
from wargame.files import real_folder, write_text
from wargame.rules import progress

RECORD = "figures.json"


def render_kind(kind: str, results: Results, out_dir: Path, **options: str | None) -> list[Figure]:
    """Draw one kind of figure; options are the --x/--y/--by choices it accepts.

    Unsupported (one line) if the kind does not draw folders of this folder's model kind,
    or does not fit its design (`wargame.figure_kinds.fits`: no phase diagram of a Morris
    design).
    """
    models = KINDS[kind].models
    if results.model not in models:
        raise Unsupported(f"{kind} draws {' or '.join(models)} sweeps; {results.path} holds "
                          f"{results.model} runs (its figures: "
                          f"{', '.join(kinds_for(results.model, results.design))})")
    misfit = fits(kind, results.design)
    if misfit:
        raise Unsupported(misfit)
    draw = getattr(importlib.import_module(KINDS[kind].module), KINDS[kind].function)
    accepted = {k: v for k, v in options.items() if k in KINDS[kind].options and v is not None}
    import matplotlib

    with stamped(lambda width: footer(results, width)), matplotlib.rc_context(STYLE):
        return draw(results, out_dir, **accepted)


def render_kinds(
    results: Results, out_dir: Path, kinds: tuple[str, ...] | None = None,
    **options: str | None
) -> tuple[list[Figure], dict[str, str]]:
    """Draw several kinds (default: those of the folder's model kind and design,
    `kinds_for`); return the figures and {kind: reason} for those skipped."""
    if kinds is None:
        kinds = kinds_for(results.model, results.design)
    figures, skipped = [], {}
    with progress(len(kinds), "figure") as bar:  # drawing is most of a small --plots sweep
        for kind in kinds:
            bar.set_postfix_str(kind, refresh=False)
            try:
                figures += render_kind(kind, results, out_dir, **options)
            except Unsupported as exc:
                skipped[kind] = str(exc)
            bar.update()
    write_index(out_dir, results.describe(), figures, skipped)
    return figures, skipped


def render_all(results_dir: Path, out_dir: Path | None = None,
               kinds: tuple[str, ...] | None = None) -> list[Path]:
    """Render every figure kind of `kinds` (default: those of the folder's model kind) that
    `results_dir` supports into out_dir (default results_dir/plots), write the index page,
    and return the written paths."""
    results = load_results(results_dir)
    out_dir = Path(out_dir) if out_dir else real_folder(Path(results_dir) / "plots", create=False)
    figures, _ = render_kinds(results, out_dir, kinds)
    return [path for figure in figures for path in figure.paths] + [
        out_dir / "index.html", out_dir / "index.md"]


def write_index(out_dir: Path, provenance: str, figures: list[Figure],
                skipped: dict[str, str]) -> None:
    """Merge these figures into out_dir/figures.json and write index.md and index.html."""
    out_dir.mkdir(parents=True, exist_ok=True)
    record_path = out_dir / RECORD
    record = _record(record_path)
    kinds = {f.kind for f in figures} | set(skipped)
    entries = [e for e in record.get("figures", []) if e["kind"] not in kinds]
    entries += [{"kind": f.kind, "title": f.title, "caption": f.caption,
                 "files": [p.name for p in f.paths]} for f in figures]
    old_skipped = {k: v for k, v in record.get("skipped", {}).items() if k not in kinds}
    skipped = {**old_skipped, **skipped}
    order = {kind: i for i, kind in enumerate(KINDS)}
    entries.sort(key=lambda e: order.get(e["kind"], len(order)))
    record = {"provenance": provenance, "figures": entries, "skipped": skipped}
    write_text(record_path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    write_text(out_dir / "index.md", _markdown(record))
    write_text(out_dir / "index.html", _html(record))


def _record(path: Path) -> dict:
    """The figures drawn into this folder before (figures.json), or none if it is missing
    or not one (it is rebuilt from what is drawn now)."""
    from wargame.schemas import read_json

    if not path.exists():
        return {}
    try:
        record = read_json(path, 2**24, "a record of figures")
    except WargameError:
        return {}
    valid = (isinstance(record, dict) and isinstance(record.get("figures", []), list)
             and all(isinstance(e, dict) and isinstance(e.get("kind"), str)
                     and isinstance(e.get("files"), list) for e in record.get("figures", []))
             and isinstance(record.get("skipped", {}), dict))
    return record if valid else {}


def _shown(files: list[str]) -> str | None:
    """The file the page shows: the PNG, else the SVG; None if there is only a PDF."""
    return next((f for suffix in (".png", ".svg") for f in files if f.endswith(suffix)), None)


def _markdown(record: dict) -> str:
    lines = [f"# Figures: {record['provenance']}", ""]
    for entry in record["figures"]:
        shown = _shown(entry["files"])
        others = ", ".join(f"[{f.rsplit('.', 1)[1].upper()}]({f})" for f in entry["files"]
                           if f != shown)
        lines += [f"## {entry['title']}", ""]
        lines += [f"![{entry['title']}]({shown})", ""] if shown else []
        lines += [entry["caption"] + (f" Also as {others}." if others else ""), ""]
    if record["skipped"]:
        lines += ["## Not drawn for this folder", ""]
        lines += [f"- **{kind}**: {reason}" for kind, reason in record["skipped"].items()]
        lines.append("")
    return "\n".join(lines)


def _html(record: dict) -> str:
    esc = html.escape
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'>",
        f"<title>Figures: {esc(record['provenance'])}</title>",
        "<style>body{font-family:sans-serif;max-width:1400px;margin:2em auto;padding:0 1em}"
        "img{max-width:100%;border:1px solid #ddd}figure{margin:0 0 3em}"
        "figcaption{max-width:70em;line-height:1.4}</style></head><body>",
        f"<h1>Figures: {esc(record['provenance'])}</h1>",
    ]
    for entry in record["figures"]:
        shown = _shown(entry["files"])
        links = " ".join(f"<a href='{esc(f)}'>{esc(f.rsplit('.', 1)[1].upper())}</a>"
                         for f in entry["files"] if f != shown)
        parts.append(f"<figure><h2>{esc(entry['title'])}</h2>")
        if shown:
            parts.append(f"<img src='{esc(shown)}' alt='{esc(entry['title'])}'>")
        parts.append(f"<figcaption>{esc(entry['caption'])} {links}</figcaption></figure>")
    if record["skipped"]:
        parts.append("<h2>Not drawn for this folder</h2><ul>")
        parts += [f"<li><b>{esc(kind)}</b>: {esc(reason)}</li>"
                  for kind, reason in record["skipped"].items()]
        parts.append("</ul>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
