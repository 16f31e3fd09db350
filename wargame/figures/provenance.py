"""What every figure says about where it comes from: the conditions and the citation line.

A figure copied into a report loses its caption. So each figure carries, under its
panels, the conditions it holds under (the scenario, the levers held fixed that can act,
the assumptions moved from their registry defaults, how seeds were drawn) and the result
folder's citation line (`manifest.json` "citation": tool version, commit, SHA-256 of the
design), so a reader can tell what it shows and rerun it.
"""

from __future__ import annotations

from wargame.figures.load import Results
from wargame.figures.style import number, state_names, wrap


def _value(value: object) -> str:
    return number(value) if isinstance(value, int | float) and not isinstance(value, bool) \
        else str(value)


def conditions(results: Results) -> str:
    """'Scenario baltic (attacked: EST); fixed levers: us_commitment = 0.5, ...;
    assumptions moved from their defaults: threat_weight = 4.5; [drawn per replication over
    posterior shipped (200 sets drawn): resolve_scale, ...;] 50 paired seeds per point'."""
    spec = results.manifest.get("spec") if isinstance(results.manifest.get("spec"), dict) else {}
    base = spec.get("base") or {}
    swept = set(results.swept)
    inputs = results.kind.inputs
    drawn = set(results.drawn)
    fixed = {name: value for name, value in base.items()
             if name in inputs and name not in swept | drawn}
    inert = results.kind.inert_inputs(base, {name: [value] for name, value in fixed.items()})
    levers = [f"{n} = {_value(v)}" for n, v in fixed.items()
              if inputs[n].role == "lever" and n not in inert]
    moved = [f"{n} = {_value(v)}" for n, v in fixed.items()
             if inputs[n].role == "uncertainty" and v != inputs[n].default]
    parts = []
    scenario = results.manifest.get("scenario")
    if scenario:
        attacked = state_names().get(base.get("target"), base.get("target"))
        parts.append(f"Scenario {scenario}" + (f" (attacked: {attacked})" if attacked else ""))
    parts.append("fixed levers: " + (", ".join(levers) if levers else "none"))
    parts.append("assumptions at their registry defaults"
                 + (f" except {', '.join(moved)}" if moved else ""))
    if drawn:
        parts.append(f"drawn per replication {results.posterior_text()}: "
                     + ", ".join(results.drawn))
    replications = results.manifest.get("replications")
    seeds = "paired" if results.paired else "independent"
    if replications:
        parts.append(f"{replications:,} {seeds} seeds per point")
    return "; ".join(parts)


def footer(results: Results, width: float) -> str:
    """The lines drawn under a figure `width` inches wide: conditions, then the citation."""
    chars = max(60, int(17 * width))
    lines = [wrap(f"Conditions: {conditions(results)}.", chars)]
    citation = results.manifest.get("citation")
    if citation:
        lines.append(wrap(f"Cite: {citation}", chars))
    return "\n".join(lines)
