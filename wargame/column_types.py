"""The pandas types of every table the Python API hands out, from the declarations.

One run's tables and a sweep's came out typed differently: in a sweep `escalation` sorted
alphabetically (CONVENTIONAL < HYBRID < INCURSION) and `reform_adopted` was an object
column. Here every column a declaration knows gets one type, wherever it comes from:

- an output with `categories` (wargame.output_registry): a pandas Categorical with those
  categories, ordered where the output is a ladder (`ordered`: escalation rungs,
  commitment levels), so sorting, grouping and comparisons follow the ladder;
- an input with choices (wargame.inputs): a Categorical in its declared order
  (governance regimes as `wargame.regimes` lists them, rungs as a ladder);
- a true/false output or input: `bool`, or pandas' nullable `boolean` where some runs do
  not report it (a reform output in a run without the negotiation).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from wargame.input_record import Input
from wargame.inputs import RUNG_NAMES
from wargame.output_registry import Output


def _categorical(values: Iterable[str], ordered: bool) -> pd.CategoricalDtype:
    return pd.CategoricalDtype(list(values), ordered=ordered)


def declared_types(outputs: Iterable[Output], inputs: Mapping[str, Input]) -> dict[str, object]:
    """{column: the pandas type the declarations give it} (columns of no declared type,
    numbers among them, are not listed: they keep what Parquet gives them)."""
    types: dict[str, object] = {}
    for name, item in inputs.items():
        if item.choices:
            types[name] = _categorical(item.choices, tuple(item.choices) == RUNG_NAMES)
        elif item.kind is bool:
            types[name] = "bool"
    for output in outputs:
        if output.categories:
            types[output.name] = _categorical(output.categories, output.ordered)
        elif output.dtype == "bool":
            types[output.name] = "bool"
    return types


def typed(frame: pd.DataFrame, types: Mapping[str, object]) -> pd.DataFrame:
    """`frame` with each column of a declared type converted to it (a copy). A boolean
    column with missing values becomes pandas' nullable "boolean"."""
    frame = frame.copy()
    for column in frame.columns:
        wanted = types.get(column)
        if wanted is None:
            continue
        if wanted == "bool":
            frame[column] = frame[column].astype("boolean" if frame[column].isna().any()
                                                 else "bool")
        else:
            frame[column] = frame[column].astype(wanted)
    return frame
