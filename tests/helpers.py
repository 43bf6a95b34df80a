"""Test helpers: flatten a persona to compare it with its population row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd

from persona_kit import Persona, Population


def _norm(value: Any) -> Any:
    if value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None  # a missing value (no broadband, unlimited data) is NaN/NaT in a table, None on a persona
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def persona_record(persona: Persona) -> dict[str, Any]:
    """Scalar fields of a persona, identity flattened, as population columns name them."""
    data = persona.model_dump()
    identity = data.pop("identity")
    address = identity.pop("address")
    data.pop("kind")
    out = {k: v for k, v in data.items() if not isinstance(v, list)}
    out.update(identity)
    out.update(address)
    return out


def population_record(pop: Population, i: int) -> dict[str, Any]:
    """Row ``i`` of a population's persona table, normalised to Python values."""
    row = pop.personas.iloc[i].to_dict()
    row.pop("persona_index")
    return {k: _norm(v) for k, v in row.items()}


def population_children(pop: Population, persona_index: int) -> dict[str, list[dict[str, Any]]]:
    """Each child table's rows for one persona, in position order, without the keys."""
    out = {}
    for name, table in pop.tables.items():
        rows = table[table["persona_index"] == persona_index].sort_values("position")
        records = []
        for rec in rows.drop(columns=["persona_index", "position"]).to_dict("records"):
            records.append({k: _norm(v) for k, v in rec.items()})
        out[name] = records
    return out


EXTRA_OF_MODULE = {"openai": "ai", "ipywidgets": "notebook", "matplotlib": "notebook", "pyarrow": "parquet"}


def exec_doc_block(code: str, where: str, namespace: dict[str, object]) -> None:
    """Run a documentation code block; skip (naming the extra) when it needs an optional extra that is missing."""
    import importlib.util

    import pytest

    try:
        exec(compile(code, where, "exec"), namespace)
    except ImportError as err:
        missing = err.name or getattr(err.__cause__, "name", None)
        if missing in EXTRA_OF_MODULE and importlib.util.find_spec(missing) is None:
            pytest.skip(f"{where} needs the {EXTRA_OF_MODULE[missing]} extra ({missing} is not installed)")
        raise
