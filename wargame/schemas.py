"""What the JSON files of a result folder must look like, checked wherever one is read.

A sweep's `manifest.json` and a run's `summary.json` come from disk, where they may be cut
short, edited, replaced by a FIFO or `/dev/zero`, nested a million deep or hold `"swept":
null`. Every reader (plot, compare, export, viz --sweep, load_sweep, resume) reads them
through `read_json` and one check here, so each such file is refused in one line naming
the file and the field, and the code after the check can rely on every shape it uses.

The shapes are JSON Schema documents (docs/SWEEPS.md, "Result folders", lists the keys),
validated with fastjsonschema: it compiles a schema to Python, so checking the value of
every input of every design point takes 0.2 s for 20,000 points where the reference
`jsonschema` takes 6 s. Unknown keys are allowed (a newer version may add some); the keys a
reader uses must have their documented type (`spec` and `total_runs` may be missing, as
in some older folders: `--resume` then names the difference). What a schema cannot say
(the run count is points x replications, the problem names the swept inputs) is checked
after it.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from wargame.errors import WargameError
from wargame.files import read_regular
from wargame.rules import SEED_MAX

#: Deepest nesting of a JSON file read (manifests nest five deep; summaries three).
MAX_DEPTH = 32

_SCALAR = {"type": ["number", "string", "boolean"]}
_COUNT = {"type": "integer", "minimum": 0}
_NAMES = {"type": "array", "items": {"type": "string"}}
_TEXT_OR_NULL = {"type": ["string", "null"]}
_BOUNDS = {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2}
_PROBLEM = {
    "type": "object",
    "required": ["names", "bounds", "num_vars"],
    "properties": {"names": _NAMES, "bounds": {"type": "array", "items": _BOUNDS},
                   "num_vars": _COUNT},
}

MANIFEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["sweep", "swept", "design", "points", "replications", "base_seed"],
    "properties": {
        "sweep": {"type": "string"},
        "description": {"type": "string"},
        "scenario": _TEXT_OR_NULL,  # null for a negotiation sweep (no crisis)
        "design": {"enum": ["grid", "lhs", "sobol", "morris"]},
        "swept": _NAMES,
        "spec": {
            "type": "object",
            "required": ["base", "replications", "base_seed"],
            "properties": {
                "base": {"type": "object", "additionalProperties": _SCALAR},
                "levels": {"type": "object",
                           "additionalProperties": {"type": "array", "items": _SCALAR}},
                "ranges": {"type": "object", "additionalProperties": _BOUNDS},
                "samples": _COUNT,
                "replications": {"type": "integer", "minimum": 1},
                "base_seed": {"type": "integer", "minimum": 0, "maximum": SEED_MAX},
                "paired_seeds": {"type": "boolean"},
                "keep_series": {"type": "boolean"},
                "posterior": {
                    "type": "object",
                    "required": ["file", "draws"],
                    "properties": {"file": {"type": "string"},
                                   "draws": {"type": "array", "minItems": 1, "items": {
                                       "type": "object", "additionalProperties": _SCALAR}}},
                },
            },
        },
        "points": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["point_id", "parameters"],
                "properties": {"point_id": _COUNT,
                               "parameters": {"type": "object", "additionalProperties": _SCALAR}},
            },
        },
        "replications": {"type": "integer", "minimum": 1},
        "base_seed": {"type": "integer", "minimum": 0, "maximum": SEED_MAX},
        "keep_series": {"type": "boolean"},
        "total_runs": _COUNT,
        "completed_runs": _COUNT,
        "failed_runs": _COUNT,
        "status": {"type": "string"},
        "started": _TEXT_OR_NULL,
        "finished": _TEXT_OR_NULL,
        "citation": {"type": "string"},
        "spec_sha256": {"type": "string"},
        "wargame_version": {"type": "string"},
        "git_commit": _TEXT_OR_NULL,
        "inert_inputs": {"type": "object", "additionalProperties": {"type": "string"}},
        "resumed": {"type": "array"},
        "set_aside": {"type": "array"},
        "problem": _PROBLEM,
        "calc_second_order": {"type": "boolean"},
        "plots": {"enum": ["to draw", "drawn"]},
        "morris": {
            "type": "object",
            "required": ["trajectories", "levels"],
            "properties": {"trajectories": _COUNT, "levels": _COUNT},
        },
    },
    "allOf": [
        {"if": {"required": ["design"], "properties": {"design": {"enum": ["sobol", "morris"]}}},
         "then": {"required": ["problem"]}},
        {"if": {"required": ["design"], "properties": {"design": {"const": "morris"}}},
         "then": {"required": ["morris"]}},
    ],
}

SUMMARY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["scenario", "seed", "inputs", "outputs"],
    "properties": {
        "scenario": {"type": "string"},
        "wargame_version": {"type": "string"},
        "seed": {"type": "integer", "minimum": 0, "maximum": SEED_MAX},
        "inputs": {"type": "object", "additionalProperties": _SCALAR},
        "outputs": {"type": "object",
                    "additionalProperties": {"type": ["number", "string", "boolean", "null"]}},
        "states": {"type": "array", "items": {"type": "object"}},
    },
}


@cache
def _validator(name: str):
    import fastjsonschema

    schema = {"manifest": MANIFEST_SCHEMA, "summary": SUMMARY_SCHEMA}[name]
    return fastjsonschema.compile(schema)


def _too_deep(data: Any, limit: int) -> bool:
    """Nesting deeper than `limit` (checked without recursion)."""
    level = [data]
    for _ in range(limit):
        level = [child for item in level if isinstance(item, dict | list)
                 for child in (item.values() if isinstance(item, dict) else item)]
        if not level:
            return False
    return any(isinstance(item, dict | list) for item in level)


def read_json(path: Path, limit: int, what: str) -> Any:
    """Parse a JSON file of a result folder: a regular file (not a link, FIFO or device) of
    at most `limit` bytes, UTF-8, nested at most MAX_DEPTH deep; else one line."""
    raw = read_regular(path, limit, what)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise WargameError(f"{path}: unreadable {what.removeprefix('a ')}, damaged or cut short "
                           f"({exc})") from None
    except RecursionError:
        raise WargameError(f"{path}: not {what} (nested too deeply)") from None
    except MemoryError:
        raise WargameError(f"{path}: too large to read as {what}") from None
    if _too_deep(data, MAX_DEPTH):
        raise WargameError(f"{path}: not {what} (nested more than {MAX_DEPTH} deep)")
    return data


def _validate(name: str, data: Any, path: Path, what: str) -> None:
    import fastjsonschema

    try:
        _validator(name)(data)
    except fastjsonschema.JsonSchemaValueException as exc:
        field = str(exc.name).removeprefix("data").lstrip(".") or "the file"
        message = str(exc.message).replace(str(exc.name), field, 1)
        raise WargameError(f"{path}: not {what} ({message})") from None


def check_manifest(data: Any, path: Path) -> dict[str, Any]:
    """The manifest if it has every shape the readers use, else one line naming the field."""
    what = "a manifest of `wargame sweep`"
    _validate("manifest", data, path, what)
    points, replications = data["points"], data["replications"]
    if data.get("total_runs", len(points) * replications) != len(points) * replications:
        raise WargameError(f"{path}: not {what} (total_runs {data['total_runs']} is not "
                           f"{len(points)} points x {replications} replications)")
    spec = data.get("spec", {"replications": replications, "base_seed": data["base_seed"]})
    if spec["replications"] != replications or spec["base_seed"] != data["base_seed"]:
        raise WargameError(f"{path}: not {what} (spec and manifest disagree on the "
                           "replications or the base seed)")
    for index, point in enumerate(points):
        if point["point_id"] != index:
            raise WargameError(f"{path}: not {what} (points[{index}] has point_id "
                               f"{point['point_id']})")
        missing = [name for name in data["swept"] if name not in point["parameters"]]
        if missing:
            raise WargameError(f"{path}: not {what} (points[{index}] has no value of the "
                               f"swept {missing[0]})")
    problem = data.get("problem")
    if problem is not None and (problem["names"] != data["swept"]
                                or len(problem["bounds"]) != len(problem["names"])
                                or problem["num_vars"] != len(problem["names"])):
        raise WargameError(f"{path}: not {what} (problem does not describe the swept inputs)")
    return data


def check_summary(data: Any, path: Path) -> dict[str, Any]:
    """A run's summary.json if it has every shape the readers use, else one line."""
    _validate("summary", data, path, "a summary of `wargame run`")
    return data
