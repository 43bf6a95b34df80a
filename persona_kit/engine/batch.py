"""Column-wise batches: the engine's working form of many personas at once.

A :class:`Context` carries the keys of a run of persona indices; industry
generators read draws from it and return a :class:`Batch` of persona columns
plus child tables (transactions, policies, ...). A single persona is built by
the scalar twin of each generator (:mod:`persona_kit.engine.scalar`, the
industries' ``one.py``), which tests/test_scalar.py holds equal, field for
field and bit for bit, to a row of a batch.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar, cast, overload

import numpy as np
from numpy.typing import NDArray

from persona_kit.data import LocaleSpec
from persona_kit.engine import kernels
from persona_kit.engine.draws import U64, Draws, child_keys, name_key, row_keys
from persona_kit.engine.text import (
    Text,
    arrow_enabled,
    arrow_strings,
    arrow_vocabulary,
    join_pieces,
    render_coded_choice,
    template_pieces,
)

_T = TypeVar("_T", bound=np.generic)


@dataclass(frozen=True)
class Coded:
    """A string column drawn from a small vocabulary: codes into ``categories``.

    Gathers and slices stay integer operations, and a population turns these
    into pandas Categoricals without materialising millions of strings.
    """

    codes: NDArray[np.signedinteger[Any]]
    categories: NDArray[np.object_]

    def __len__(self) -> int:
        return int(self.codes.shape[0])

    def __getitem__(self, key: int | slice | NDArray[np.generic]) -> Any:
        if isinstance(key, (int, np.integer)):
            return self.categories[self.codes[key]]
        return Coded(self.codes[key], self.categories)

    @property
    def values(self) -> NDArray[np.object_]:
        """The strings, as an object array."""
        out: NDArray[np.object_] = self.categories[self.codes]
        return out

    def tolist(self) -> list[Any]:
        """The strings, as a list."""
        return list(self.values.tolist())


Column = NDArray[np.generic] | Coded | Text


def as_objects(col: Column) -> NDArray[np.object_]:
    """An object array of a string column, coded or not."""
    if isinstance(col, (Coded, Text)):
        return col.values
    out: NDArray[np.object_] = col.astype(object)
    return out


def coded(categories: list[str] | tuple[str, ...] | NDArray[np.object_], codes: NDArray[np.integer[Any]]) -> Coded:
    """A coded column from a vocabulary and indices into it (signed integer codes kept in their own type)."""
    cats = categories if isinstance(categories, np.ndarray) else _vocabulary(tuple(categories))
    if codes.dtype.kind == "i":
        return Coded(cast("NDArray[np.signedinteger[Any]]", codes), cats)
    return Coded(codes.astype(np.int64), cats)


@cache
def _vocabulary(values: tuple[str, ...]) -> ObjArray:
    out = objects(values)
    out.flags.writeable = False
    return out


def constant(value: str, n: int) -> Coded:
    """A column holding one value ``n`` times."""
    return Coded(np.zeros(n, dtype=np.int64), objects([value]))


ObjArray = NDArray[np.object_]


@dataclass(frozen=True)
class Context:
    """What every generator needs: keys, locale formats and the reference date."""

    seed_key: int
    index: U64
    locale: str
    spec: LocaleSpec
    as_of: np.datetime64
    keys: U64 = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "keys", row_keys(self.seed_key, self.index))

    @property
    def n(self) -> int:
        """Number of personas in the batch."""
        return int(self.index.shape[0])

    def draws(self) -> Draws:
        """Draws keyed by persona (one shared instance, so its per-row premix is computed once)."""
        return _shared_draws(self)

    def money(self, usd: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """Convert US-calibrated amounts to the locale's currency, rounded to its minor unit."""
        return np.round(np.asarray(usd, dtype=np.float64) * self.spec.price_factor, self.spec.decimals)

    def nice_money(self, usd: NDArray[np.float64] | float) -> NDArray[np.float64]:
        """Convert a round US amount (a deductible, a coverage) to a round local amount."""
        local = np.asarray(usd, dtype=np.float64) * self.spec.price_factor
        unit = np.where(local >= 1000, 10 ** np.floor(np.log10(np.maximum(local, 1))) / 10, 10.0)
        unit = np.where(local < 100, 1.0, unit)
        return np.round(local / unit) * unit


@dataclass(frozen=True)
class ChildRows:
    """The rows of one child table: who owns each row and its position in that owner's list."""

    parent: NDArray[np.int64]
    position: NDArray[np.int64]
    keys: U64
    offsets: NDArray[np.int64]

    @classmethod
    def from_counts(cls, parent_keys: U64, table: str, counts: NDArray[np.int64]) -> ChildRows:
        """Rows for ``counts[i]`` children of parent ``i``, positions 0..counts[i]-1."""
        kern = kernels.active(int(counts.shape[0]))
        if kern is not None and counts.dtype == np.int64 and not (counts < 0).any():
            return cls(*kern.child_rows(parent_keys, counts, np.uint64(name_key(table))))
        offsets = np.zeros(counts.shape[0] + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        parent = np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts)
        position = np.arange(offsets[-1], dtype=np.int64)
        position -= np.repeat(offsets[:-1], counts)  # a repeat streams through memory; a gather by parent does not
        keys = child_keys(np.repeat(parent_keys, counts), table, position.view(np.uint64), owned=True)
        return cls(parent, position, keys, offsets)

    def draws(self) -> Draws:
        """Draws keyed by (persona, table, position)."""
        return _shared_draws(self)

    def __len__(self) -> int:
        return int(self.parent.shape[0])

    @overload
    def spread(self, values: Coded) -> Coded: ...
    @overload
    def spread(self, values: Text) -> Text: ...
    @overload
    def spread(self, values: NDArray[_T]) -> NDArray[_T]: ...
    @overload
    def spread(self, values: Column) -> Column: ...
    def spread(self, values: NDArray[_T] | Coded | Text) -> NDArray[_T] | Coded | Text:
        """A per-parent column repeated onto this table's rows."""
        return values[self.parent]

    def sorted_spacings(self, draws: Draws, field_name: str, tail: NDArray[np.float64]) -> NDArray[np.float64]:
        """Increasing fractions in (0, 1) within each parent: order statistics from exponential spacings.

        Lets dates come out already sorted by position, so no sort is needed and
        the i-th transaction of a persona never depends on a batch-wide order.
        """
        e = draws.uniform(field_name)
        np.negative(e, out=e)
        np.log1p(e, out=e)
        np.negative(e, out=e)
        n = self.offsets.shape[0] - 1
        width = int(self.position.max(initial=-1)) + 1
        # Running sums restart at each parent and add in position order (a row-wise cumsum over a
        # parent-by-position grid, zero-padded), so every persona's values are the same floats
        # whatever batch it is generated in.
        grid = np.zeros(n * max(width, 1))
        cell = self.parent * width
        cell += self.position
        grid[cell] = e
        sums = grid.reshape(n, max(width, 1))
        np.cumsum(sums, axis=1, out=sums)
        totals = sums[:, -1] + tail if n else np.zeros(0)
        out: NDArray[np.float64] = grid[cell]
        out /= totals[self.parent]
        return out


def _shared_draws(owner: Context | ChildRows) -> Draws:
    draws = owner.__dict__.get("_draws")
    if draws is None or draws.keys is not owner.keys:
        draws = Draws(owner.keys)
        object.__setattr__(owner, "_draws", draws)
    return draws


@dataclass
class Batch:
    """Persona columns plus child tables, all column-wise."""

    kind: str
    n: int
    columns: dict[str, Column]
    children: dict[str, dict[str, Column]] = field(default_factory=dict)
    offsets: dict[str, NDArray[np.int64]] = field(default_factory=dict)
    positions: dict[str, NDArray[np.int64]] = field(default_factory=dict)
    parts: dict[str, list[TablePart]] = field(default_factory=dict)

    def add_child(self, name: str, rows: ChildRows, columns: Mapping[str, Column]) -> None:
        """Attach a child table whose rows are grouped by parent in position order."""
        self.add_table(name, rows.offsets, rows.position, columns)

    def add_table(
        self, name: str, offsets: NDArray[np.int64], position: NDArray[np.int64], columns: Mapping[str, Column]
    ) -> None:
        """Attach a child table given its per-parent ``offsets`` and each row's ``position`` in its parent's list."""
        self.children[name] = dict(columns)
        self.offsets[name] = offsets
        self.positions[name] = position

    def add_parts(self, name: str, parts: Sequence[TablePart]) -> None:
        """Attach a child table made in steps over consecutive runs of parents, kept as those parts.

        Joining blocks copies each part straight into the joined arrays (engine.join), so no block-sized
        temporary is made; :meth:`merge_parts` stacks them for a batch used on its own.
        """
        self.parts[name] = list(parts)

    def merge_parts(self) -> None:
        """Stack every table kept as parts into one table."""
        for name, parts in self.parts.items():
            self.add_table(name, *stack_parts(parts))
        self.parts = {}


TablePart = tuple[NDArray[np.int64], NDArray[np.int64], dict[str, Column]]
"""A child table's rows for a run of parents: offsets (from 0, one more than the parents), positions, columns."""


def stack_parts(parts: Sequence[TablePart]) -> TablePart:
    """Consecutive parts of one table as one (offsets shifted; numeric and coded columns of one vocabulary)."""
    offsets = [np.zeros(1, dtype=np.int64)]
    base = 0
    for part_offsets, _, _ in parts:
        offsets.append(part_offsets[1:] + base)
        base += int(part_offsets[-1])
    position = np.concatenate([part[1] for part in parts])
    columns = {name: concat_columns([part[2][name] for part in parts]) for name in parts[0][2]}
    return np.concatenate(offsets), position, columns


def concat_columns(parts: Sequence[Column]) -> Column:
    """Concatenate pieces of one column; coded pieces stay coded (over the union of their vocabularies)."""
    if any(isinstance(p, Text) for p in parts):
        import pyarrow as pa

        chunks = [p.array if isinstance(p, Text) else arrow_strings(as_objects(p)) for p in parts]
        return Text(pa.chunked_array([c for part in chunks for c in getattr(part, "chunks", [part])]))
    if not all(isinstance(p, Coded) for p in parts):
        if any(isinstance(p, Coded) for p in parts):
            return np.concatenate([as_objects(p) for p in parts])
        arrays = cast("list[NDArray[np.generic]]", parts)
        dtype = arrays[0].dtype
        if dtype.kind in "mM" and all(a.dtype == dtype for a in arrays):
            # numpy concatenates dates through its unit-casting machinery, ten times slower than the raw integers.
            return np.concatenate([a.view(np.int64) for a in arrays]).view(dtype)
        return np.concatenate(arrays)
    coded_parts = cast("list[Coded]", parts)
    cats = coded_parts[0].categories
    if all(p.categories is cats or np.array_equal(p.categories, cats) for p in coded_parts):
        # The joined codes index the sorted distinct vocabulary (the form a pandas Categorical takes, so it
        # needs no second pass) in the smallest integer type that fits: a tenth of the memory to fault in.
        uniq, inverse = np.unique(cats.astype(str), return_inverse=True)
        table = inverse.astype(small_codes(uniq.shape[0]))
        out = np.empty(sum(p.codes.shape[0] for p in coded_parts), dtype=table.dtype)
        start = 0
        for p in coded_parts:
            np.take(table, p.codes, out=out[start : start + p.codes.shape[0]], mode="clip")
            start += p.codes.shape[0]
        return Coded(out, objects(uniq.tolist()))
    union, inverse = np.unique(np.concatenate([p.categories for p in coded_parts]).astype(str), return_inverse=True)
    codes, start = [], 0
    for p in coded_parts:
        size = p.categories.shape[0]
        codes.append(inverse[start : start + size][p.codes])
        start += size
    return Coded(np.concatenate(codes).astype(np.int64), objects(union.tolist()))


def small_codes(size: int) -> type[np.signedinteger[Any]]:
    """The smallest signed integer type for codes into ``size`` categories (pandas reserves -1 for missing)."""
    return np.int8 if size < 127 else np.int16 if size < 32767 else np.int32


def pick_within(pools: Sequence[Sequence[str]], group: NDArray[np.int64], u: NDArray[np.float64]) -> Coded:
    """Row ``i`` gets a uniform pick (by ``u[i]``) from ``pools[group[i]]``: one flat vocabulary, one gather."""
    flat, starts, sizes = _flat_pools(tuple(tuple(pool) for pool in pools))
    offset = u * sizes[group]
    np.floor(offset, out=offset)
    codes = offset.astype(np.int64)
    codes += starts[group]
    return Coded(codes, flat)


@cache
def _flat_pools(pools: tuple[tuple[str, ...], ...]) -> tuple[ObjArray, NDArray[np.int64], NDArray[np.float64]]:
    flat: list[str] = []
    starts, sizes = [], []
    for pool in pools:
        starts.append(len(flat))
        sizes.append(len(pool))
        flat.extend(pool)
    return objects(flat), np.asarray(starts, dtype=np.int64), np.asarray(sizes, dtype=np.float64)


_SMALL_ROWS = 8
_STEP_COMPARISONS = 16
"""Up to this many bands, a lookup adds comparisons (a few fast passes) instead of a binary search."""


def step_lookup(edges: Sequence[float], values: Sequence[float], x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``values[k]`` for the band ``edges[k] <= x < edges[k+1]`` (a per-age or per-score table)."""
    table = np.asarray(values, dtype=np.float64)
    inner = [float(e) for e in edges][1 : len(values)]
    if np.ndim(x) == 1 and np.shape(x)[0] <= _SMALL_ROWS:
        picks = [0 if math.isnan(v) else bisect_right(inner, v) for v in np.asarray(x, dtype=np.float64).tolist()]
        small: NDArray[np.float64] = table[np.asarray(picks, dtype=np.intp)]
        return small
    if len(values) > _STEP_COMPARISONS:
        k = np.searchsorted(np.asarray(edges), x, side="right") - 1
        k = np.minimum(np.maximum(k, 0), len(values) - 1)
    else:
        k = np.zeros(np.shape(x), dtype=np.intp)
        for edge in inner:
            k += x >= edge
    out: NDArray[np.float64] = table[k]
    return out


def objects(values: list[str] | tuple[str, ...]) -> ObjArray:
    """A lookup table of Python strings for fast gathers."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


@cache
def digit_table(width: int) -> ObjArray:
    """All zero-padded numbers of ``width`` digits, for building ids and phone numbers."""
    return objects([f"{i:0{width}d}" for i in range(10**width)])


_FIELD = re.compile(r"\{(\w+)\}")


def render(template: str, fields: Mapping[str, ObjArray], n: int) -> ObjArray:
    """Fill ``template`` (``"{first}.{last}"``) row-wise from object arrays, without a Python loop."""
    if n <= _SMALL_ROWS:
        return _render_rows([template] * n, {name: col.tolist() for name, col in fields.items()})
    out: ObjArray = np.full(n, "", dtype=object)
    pos = 0
    for m in _FIELD.finditer(template):
        if m.start() > pos:
            out = out + template[pos : m.start()]
        out = out + fields[m.group(1)]
        pos = m.end()
    if pos < len(template):
        out = out + template[pos:]
    return out


def _render_rows(templates: list[str], fields: Mapping[str, list[str]]) -> ObjArray:
    """The tiny-batch form of :func:`render`: the same strings, joined in Python."""
    rows = []
    for i, template in enumerate(templates):
        rows.append("".join(fields[name][i] if is_field else name for is_field, name in _template_parts(template)))
    return objects(rows)


@cache
def _template_parts(template: str) -> tuple[tuple[bool, str], ...]:
    """A template as (is a field, field name or literal text) pieces."""
    parts: list[tuple[bool, str]] = []
    pos = 0
    for m in _FIELD.finditer(template):
        if m.start() > pos:
            parts.append((False, template[pos : m.start()]))
        parts.append((True, m.group(1)))
        pos = m.end()
    if pos < len(template):
        parts.append((False, template[pos:]))
    return tuple(parts)


def render_choice(templates: list[str], choice: NDArray[np.int64], fields: Mapping[str, ObjArray]) -> ObjArray:
    """Row ``i`` rendered with ``templates[choice[i]]``."""
    n = int(choice.shape[0])
    if n <= _SMALL_ROWS:
        return _render_rows([templates[k] for k in choice.tolist()], {k: c.tolist() for k, c in fields.items()})
    out: ObjArray = np.empty(n, dtype=object)
    for k, template in enumerate(templates):
        mask = choice == k
        if mask.any():
            out[mask] = render(template, {name: col[mask] for name, col in fields.items()}, int(mask.sum()))
    return out


TextField = Coded | NDArray[np.object_] | Text


def render_text(template: str, fields: Mapping[str, TextField], n: int) -> Column:
    """:func:`render` for whole columns: in Arrow when installed and the batch is large, else as objects."""
    if not arrow_enabled(n):
        return render(template, {name: as_objects(col) for name, col in fields.items()}, n)
    if all(isinstance(col, Coded) for col in fields.values()):
        return render_text_choice([template], np.zeros(n, dtype=np.int64), fields)
    return Text(join_pieces(template_pieces(template, {name: _arrow_of(col) for name, col in fields.items()})))


def render_text_choice(templates: Sequence[str], choice: NDArray[np.int64], fields: Mapping[str, TextField]) -> Column:
    """:func:`render_choice` for whole columns (see :func:`render_text`)."""
    n = int(choice.shape[0])
    if not arrow_enabled(n):
        return render_choice(list(templates), choice, {name: as_objects(col) for name, col in fields.items()})
    if all(isinstance(col, Coded) for col in fields.values()):
        coded_fields = {name: (col.codes, col.categories) for name, col in fields.items() if isinstance(col, Coded)}
        return Text(render_coded_choice(templates, choice, coded_fields))
    import pyarrow as pa

    order = np.argsort(choice, kind="stable")
    bounds = np.searchsorted(choice[order], np.arange(len(templates) + 1))
    parts = []
    for k, template in enumerate(templates):
        rows = order[bounds[k] : bounds[k + 1]]
        if rows.size:
            used = {m.group(1) for m in _FIELD.finditer(template)}
            taken = {name: _arrow_of(fields[name], rows) for name in used}
            parts.append(join_pieces(template_pieces(template, taken)))
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = np.arange(n, dtype=np.int64)
    return Text(pa.concat_arrays(parts).take(inverse) if parts else arrow_strings([]))


def _arrow_of(col: TextField, rows: NDArray[np.int64] | None = None) -> Any:
    if isinstance(col, Coded):
        return arrow_vocabulary(col.categories).take(col.codes if rows is None else col.codes[rows])
    if isinstance(col, Text):
        return col.array if rows is None else col.array.take(rows)
    return arrow_strings(col if rows is None else col[rows])


_B36 = np.frombuffer(b"0123456789ABCDEFGHJKLMNPQRSTUVWXYZ", dtype=np.uint8)


def base32_codes(values: U64, width: int = 8) -> NDArray[np.str_]:
    """Fixed-width codes over a 32-letter alphabet without I and O (never confused with 1 and 0)."""
    if values.shape[0] <= 8:
        alphabet = _B36.tobytes().decode()
        codes = []
        for value in values.tolist():
            chars = [alphabet[(value >> (5 * k)) & 31] for k in range(width - 1, -1, -1)]
            codes.append("".join(chars))
        return np.asarray(codes, dtype=f"<U{width}")
    digits = np.empty((values.shape[0], width), dtype=np.uint32)
    v = values.copy()
    for col in range(width - 1, -1, -1):
        digits[:, col] = _B36[(v & np.uint64(31)).astype(np.int64)]
        v >>= np.uint64(5)
    return np.ascontiguousarray(digits).view(f"<U{width}").reshape(-1)
