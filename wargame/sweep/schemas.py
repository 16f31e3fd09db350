"""The Arrow schemas of a sweep's datasets, derived from the model kind's declarations.

runs/: the sweep's key columns, every input of the kind, its per-run outputs and the
error of a run that raised; states/: run_id and the per-state outputs; steps/: run_id and
the per-day series. One derivation for every kind (`wargame.model_kinds`), so a negotiation
folder has the same layout as a crisis folder; the key and error columns are declared once
beside the outputs (`wargame.output_registry.SWEEP_KEYS`, `RUN_ERROR`), where the export's
data dictionary and the API's labels read them too.
"""

from __future__ import annotations

from functools import cache

import pyarrow as pa

from wargame.model_kinds import model_kind
from wargame.output_registry import RUN_ERROR, SWEEP_KEYS, Output

#: Arrow type of each input kind and output dtype (wargame.output_registry.DTYPES).
ARROW_TYPES = {float: pa.float64(), int: pa.int64(), bool: pa.bool_(), str: pa.string(),
               "float": pa.float64(), "int": pa.int64(), "str": pa.string(),
               "bool": pa.bool_()}

#: The key (the first of SWEEP_KEYS) that joins states/ and steps/ to runs/.
RUN_ID = SWEEP_KEYS[0]


def _columns(declared: tuple[Output, ...]) -> list[tuple[str, pa.DataType]]:
    return [(o.name, ARROW_TYPES[o.dtype]) for o in declared]


@cache
def schemas(model: str) -> dict[str, pa.Schema]:
    """{"runs", "states", "steps"}: the schemas of a sweep of model kind `model`."""
    kind = model_kind(model)
    return {
        "runs": pa.schema([*_columns(SWEEP_KEYS),
                           *((name, ARROW_TYPES[i.kind]) for name, i in kind.inputs.items()),
                           *_columns(kind.columns("run")), *_columns((RUN_ERROR,))]),
        "states": pa.schema(_columns((RUN_ID, *kind.columns("state")))),
        "steps": pa.schema(_columns((RUN_ID, *kind.columns("day")))),
    }
