"""The Arrow schemas of a sweep's datasets, derived from the model kind's declarations.

runs/: the run's key columns, every input of the kind, its per-run outputs and the error
of a run that raised; states/: run_id and the per-state outputs; steps/: run_id and the
per-day series. One derivation for every kind (`wargame.model_kinds`), so a negotiation
folder has the same layout as a crisis folder.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from wargame.model_kinds import model_kind

#: Arrow type of each input kind and output dtype (wargame.output_registry.DTYPES).
ARROW_TYPES = {float: pa.float64(), int: pa.int64(), bool: pa.bool_(), str: pa.string(),
               "float": pa.float64(), "int": pa.int64(), "str": pa.string(),
               "bool": pa.bool_()}

#: The columns that say which run a row of runs/ is.
RUN_KEYS = (("run_id", pa.int64()), ("point_id", pa.int64()), ("replication", pa.int64()),
            ("seed", pa.int64()))


@cache
def schemas(model: str) -> dict[str, pa.Schema]:
    """{"runs", "states", "steps"}: the schemas of a sweep of model kind `model`."""
    kind = model_kind(model)

    def outputs(level: str) -> list[tuple[str, pa.DataType]]:
        return [(o.name, ARROW_TYPES[o.dtype]) for o in kind.columns(level)]

    return {
        "runs": pa.schema([*RUN_KEYS,
                           *((name, ARROW_TYPES[i.kind]) for name, i in kind.inputs.items()),
                           *outputs("run"), ("error", pa.string())]),
        "states": pa.schema([("run_id", pa.int64()), *outputs("state")]),
        "steps": pa.schema([("run_id", pa.int64()), *outputs("day")]),
    }
