"""The public generation API: one persona, or a population as pandas tables."""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from numpy.typing import NDArray

from persona_kit.data import locale_spec
from persona_kit.engine.batch import Batch, Coded, Column, Context, small_codes
from persona_kit.engine.dates import to_day
from persona_kit.engine.join import join_batches
from persona_kit.engine.pool import BufferPool, small_pages
from persona_kit.engine.seeds import INDEX_LIMIT, Seed, check_index, seed_key
from persona_kit.engine.text import Text
from persona_kit.industries import industry
from persona_kit.industries.identity import ADDRESS_COLUMNS, IDENTITY_COLUMNS, generate_identity
from persona_kit.models.modes import Mode
from persona_kit.models.persona import PersonaBase
from persona_kit.modes import ModeCatalogue
from persona_kit.single import scalar_row

if TYPE_CHECKING:
    import pandas as pd

Persona = PersonaBase
"""Any persona: the base every industry's model extends (``persona.kind`` says which industry).

The wire protocol's discriminated union of the concrete models is built from the
industry registry (:func:`persona_kit.industries.persona_models`).
"""

DEFAULT_AS_OF = dt.date(2026, 7, 1)
"""The reference date personas are drawn at unless told otherwise.

A fixed date, not today: the same seed gives the same persona on every day.
Pass ``as_of=datetime.date.today()`` for personas that move with the calendar.
"""

DEFAULT_LOCALE = "en_US"
WORK_BLOCK = 32_768
"""Personas generated per internal step of a population: small enough for each temporary to stay in cache
and be reused by the allocator (one fresh 64 MB array per step at a million rows is page-faulted in again
every time), large enough that numpy's per-call overhead is noise. Rows do not depend on it."""
MAX_POPULATION = INDEX_LIMIT

AS_OF_RANGE = (dt.date(1900, 1, 1), dt.date(2200, 12, 31))


def check_as_of(value: object) -> dt.date:
    """The one ``as_of`` check every entry point uses: a date (not a datetime or a string) within AS_OF_RANGE."""
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        msg = f"as_of must be a datetime.date (not a datetime or string), got {value!r}"
        raise TypeError(msg)
    if not AS_OF_RANGE[0] <= value <= AS_OF_RANGE[1]:
        msg = f"as_of must be between {AS_OF_RANGE[0]} and {AS_OF_RANGE[1]}, got {value}"
        raise ValueError(msg)
    return value


def generate_batch(
    mode: Mode, seed: Seed, index: np.ndarray[Any, np.dtype[np.uint64]], locale: str, as_of: dt.date
) -> Batch:
    """Column-wise personas for explicit indices (the engine entry point)."""
    ctx = Context(seed_key(seed), index, locale, locale_spec(locale), to_day(check_as_of(as_of)))
    ident = generate_identity(ctx)
    batch = industry(mode.persona_kind).generate(ctx, ident)
    batch.columns["as_of"] = np.full(ctx.n, ctx.as_of, dtype="datetime64[D]")
    return batch


def _py(value: Any) -> Any:
    """A column cell as the model takes it: Python scalars; a missing value (NaN, NaT) is None."""
    value = value.item() if isinstance(value, np.generic) else value
    return None if isinstance(value, float) and math.isnan(value) else value


def persona_from_batch(batch: Batch, i: int) -> Persona:
    """Build and validate the persona model for row ``i`` of a batch."""
    persona: Persona = industry(batch.kind).model.model_validate(row_from_batch(batch, i))
    return persona


def row_from_batch(batch: Batch, i: int) -> dict[str, Any]:
    """Row ``i`` of a batch as the persona model takes it (Python values, nested identity and lists)."""
    row = {name: _py(col[i]) for name, col in batch.columns.items()}
    identity = {name: row.pop(name) for name in IDENTITY_COLUMNS}
    identity["address"] = {name: identity.pop(name) for name in ADDRESS_COLUMNS}
    row["identity"] = identity
    model = industry(batch.kind).model
    if "date_of_birth" in model.model_fields:
        row["date_of_birth"] = identity["date_of_birth"]
    for list_name, table in batch.children.items():
        lo, hi = int(batch.offsets[list_name][i]), int(batch.offsets[list_name][i + 1])
        names = list(table)
        cols = [table[c][lo:hi].tolist() for c in names]
        row[list_name] = [dict(zip(names, values, strict=True)) for values in zip(*cols, strict=True)]
    return row


def generate_persona(
    mode_id: str | Mode,
    seed: Seed,
    *,
    index: int = 0,
    locale: str = DEFAULT_LOCALE,
    as_of: dt.date = DEFAULT_AS_OF,
    modes: ModeCatalogue | None = None,
) -> Persona:
    """The persona for (mode, seed, index, locale, as_of); ``.model_dump(mode="json")`` is its wire form."""
    mode = (modes or ModeCatalogue()).get(mode_id)
    position = check_index(index)
    record = industry(mode.persona_kind)
    if record.generate_one is None:
        idx = np.asarray([position], dtype=np.uint64)
        return persona_from_batch(generate_batch(mode, seed, idx, locale, as_of), 0)
    key = seed_key(seed)  # checked in the batch path's order: seed, locale, as_of
    row = scalar_row(record, key, position, locale, locale_spec(locale), check_as_of(as_of))
    persona: Persona = record.model.model_validate(row)
    return persona


@dataclass(frozen=True)
class Population:
    """A population as tidy tables: one row per persona, one table per list field."""

    mode_id: str
    personas: pd.DataFrame
    tables: dict[str, pd.DataFrame]

    def __getitem__(self, name: str) -> pd.DataFrame:
        """``population["recent_transactions"]`` or ``population["personas"]``."""
        return self.personas if name == "personas" else self.tables[name]


def _series(col: Column, owned: bool = False) -> Any:
    import pandas as pd

    if isinstance(col, Coded):
        uniq, inverse = np.unique(col.categories.astype(str), return_inverse=True)
        small = small_codes(uniq.shape[0])
        if owned and col.codes.dtype == small and _is_identity(inverse, col.categories.shape[0]):
            codes = cast("NDArray[np.integer[Any]]", col.codes)  # joined blocks: already sorted-vocabulary codes
        else:
            codes = cast("NDArray[np.integer[Any]]", inverse.astype(small)[col.codes])
        return pd.Categorical.from_codes(codes, categories=pd.Index(uniq, dtype=object))
    if isinstance(col, Text):
        dtype = _string_dtype()
        if getattr(dtype, "storage", None) == "pyarrow":
            return pd.array(col.array, dtype=dtype)  # wraps the Arrow buffers, no copy
        return col.values
    if owned and col.dtype == np.dtype("datetime64[D]"):
        # pandas keeps seconds, not days: convert in place rather than into a second fresh array.
        secs = col.view(np.int64)
        nat = secs == np.iinfo(np.int64).min
        secs *= 86_400
        secs[nat] = np.iinfo(np.int64).min
        return secs.view("datetime64[s]")
    return col


def _is_identity(inverse: NDArray[np.intp], size: int) -> bool:
    """Whether a vocabulary of ``size`` entries is already sorted and distinct (``np.unique`` keeps it as is)."""
    return bool(inverse.shape[0] == size and (inverse == np.arange(size)).all())


@cache
def _string_dtype() -> Any:
    """The dtype pandas gives a column of Python strings (Arrow-backed ``str`` in pandas 3)."""
    import pandas as pd

    return pd.Series(["a"]).dtype


def _frames(batch: Batch, *, owned: bool = False) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Pandas tables of a batch; ``owned``: its arrays are this call's to reuse (dates become seconds in place)."""
    import pandas as pd  # lazy: importing persona_kit must not load pandas

    index = batch.columns["persona_index"]
    assert isinstance(index, np.ndarray)
    personas = pd.DataFrame({name: _series(col, owned) for name, col in batch.columns.items()}, copy=False)
    tables: dict[str, pd.DataFrame] = {}
    for name, table in batch.children.items():
        offsets = batch.offsets[name]
        counts = np.diff(offsets)
        position = batch.positions.get(name)
        if position is None:
            position = np.arange(offsets[-1], dtype=np.int64)
            position -= np.repeat(offsets[:-1], counts)
        cols: dict[str, Any] = {"persona_index": np.repeat(index, counts), "position": position}
        cols.update({c: _series(v, owned) for c, v in table.items()})
        tables[name] = pd.DataFrame(cols, copy=False)
    return personas, tables


def iter_population(
    mode_id: str | Mode,
    n: int,
    seed: Seed,
    *,
    start: int = 0,
    locale: str = DEFAULT_LOCALE,
    as_of: dt.date = DEFAULT_AS_OF,
    chunk_size: int = 250_000,
    modes: ModeCatalogue | None = None,
) -> Iterator[Population]:
    """A population in chunks, for exports whose size should not bound memory.

    Arguments are checked here, before the first chunk is asked for.
    """
    mode = (modes or ModeCatalogue()).get(mode_id)
    seed_key(seed)
    n = check_whole(n, "n", "an integer from 0 to 2**35", 0, MAX_POPULATION)
    chunk_size = check_whole(chunk_size, "chunk_size", "a positive integer", 1, MAX_POPULATION)
    first = check_index(start, name="start")
    check_index(first + max(n - 1, 0), name="start + n - 1")
    locale_spec(locale)
    check_as_of(as_of)
    return _chunks(mode, n, seed, first, locale, as_of, chunk_size)


def check_whole(value: object, name: str, valid: str, low: int, high: int) -> int:
    """``value`` as an int from ``low`` to ``high``, else a ValueError naming it and what is ``valid``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or not low <= int(value) <= high:
        msg = f"{name} must be {valid}, got {value!r}"
        raise ValueError(msg)
    return int(value)


def _chunks(
    mode: Mode, n: int, seed: Seed, first: int, locale: str, as_of: dt.date, chunk_size: int
) -> Iterator[Population]:
    pool = BufferPool()  # a chunk the caller has let go of lends its memory to the next but one
    for lo in range(0, max(n, 1), chunk_size):
        count = min(chunk_size, n - lo)
        index = np.arange(first + lo, first + lo + count, dtype=np.uint64)
        blocks = (
            generate_batch(mode, seed, index[b : b + WORK_BLOCK], locale, as_of)
            for b in range(0, max(count, 1), WORK_BLOCK)
        )
        with small_pages():
            batch, joined = join_batches(blocks, count, pool.empty)
            batch.columns = {"persona_index": index.astype(np.int64), **batch.columns}
            personas, tables = _frames(batch, owned=joined)
        yield Population(mode.id, personas, tables)


def generate_population(
    mode_id: str | Mode,
    n: int,
    seed: Seed,
    *,
    start: int = 0,
    locale: str = DEFAULT_LOCALE,
    as_of: dt.date = DEFAULT_AS_OF,
    modes: ModeCatalogue | None = None,
) -> Population:
    """Personas ``start .. start+n-1`` as DataFrames; row ``i`` equals ``generate_persona(index=start+i)``."""
    chunks = list(
        iter_population(mode_id, n, seed, start=start, locale=locale, as_of=as_of, chunk_size=max(n, 1), modes=modes)
    )
    return chunks[0]
