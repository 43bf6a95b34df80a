"""Column-wise batches: the engine's working form of many personas at once.

A :class:`Context` carries the keys of a run of persona indices; industry
generators read draws from it and return a :class:`Batch` of persona columns
plus child tables (transactions, policies, ...). A single persona is simply a
batch of one, so the card a user sees and row ``i`` of a population are built
by the same code.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar, overload

import numpy as np
from numpy.typing import NDArray

from persona_kit.data import LocaleSpec
from persona_kit.engine.draws import U64, Draws, child_keys, row_keys

_T = TypeVar("_T", bound=np.generic)


@dataclass(frozen=True)
class Coded:
    """A string column drawn from a small vocabulary: codes into ``categories``.

    Gathers and slices stay integer operations, and a population turns these
    into pandas Categoricals without materialising millions of strings.
    """

    codes: NDArray[np.int64]
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


Column = NDArray[np.generic] | Coded


def as_objects(col: Column) -> NDArray[np.object_]:
    """An object array of a string column, coded or not."""
    if isinstance(col, Coded):
        return col.values
    out: NDArray[np.object_] = col.astype(object)
    return out


def coded(categories: list[str] | tuple[str, ...] | NDArray[np.object_], codes: NDArray[np.integer[Any]]) -> Coded:
    """A coded column from a vocabulary and indices into it."""
    cats = categories if isinstance(categories, np.ndarray) else objects(list(categories))
    return Coded(codes.astype(np.int64, copy=False), cats)


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
        """Draws keyed by persona."""
        return Draws(self.keys)

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
        offsets = np.zeros(counts.shape[0] + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        parent = np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts)
        position = np.arange(offsets[-1], dtype=np.int64) - offsets[:-1][parent]
        keys = child_keys(parent_keys[parent], table, position.astype(np.uint64))
        return cls(parent, position, keys, offsets)

    def draws(self) -> Draws:
        """Draws keyed by (persona, table, position)."""
        return Draws(self.keys)

    def __len__(self) -> int:
        return int(self.parent.shape[0])

    @overload
    def spread(self, values: Coded) -> Coded: ...
    @overload
    def spread(self, values: NDArray[_T]) -> NDArray[_T]: ...
    def spread(self, values: NDArray[_T] | Coded) -> NDArray[_T] | Coded:
        """A per-parent column repeated onto this table's rows."""
        return values[self.parent]

    def sorted_spacings(self, draws: Draws, field_name: str, tail: NDArray[np.float64]) -> NDArray[np.float64]:
        """Increasing fractions in (0, 1) within each parent: order statistics from exponential spacings.

        Lets dates come out already sorted by position, so no sort is needed and
        the i-th transaction of a persona never depends on a batch-wide order.
        """
        e = -np.log1p(-draws.uniform(field_name))
        # Running sums restart at each parent and add in position order, so every
        # persona's values are the same floats whatever batch it is generated in.
        c = e.copy()
        for k in range(1, int(self.position.max(initial=0)) + 1):
            at = np.flatnonzero(self.position == k)
            c[at] += c[at - 1]
        last = self.offsets[1:] - 1
        has_rows = self.offsets[1:] > self.offsets[:-1]
        totals = np.where(has_rows, c[np.maximum(last, 0)] if c.size else 0.0, 0.0) + tail
        return c / totals[self.parent]


@dataclass
class Batch:
    """Persona columns plus child tables, all column-wise."""

    kind: str
    n: int
    columns: dict[str, Column]
    children: dict[str, dict[str, Column]] = field(default_factory=dict)
    offsets: dict[str, NDArray[np.int64]] = field(default_factory=dict)

    def add_child(self, name: str, rows: ChildRows, columns: Mapping[str, Column]) -> None:
        """Attach a child table whose rows are grouped by parent in position order."""
        self.children[name] = dict(columns)
        self.offsets[name] = rows.offsets


def pick_within(pools: Sequence[Sequence[str]], group: NDArray[np.int64], u: NDArray[np.float64]) -> Coded:
    """Row ``i`` gets a uniform pick (by ``u[i]``) from ``pools[group[i]]``: one flat vocabulary, one gather."""
    flat: list[str] = []
    starts, sizes = [], []
    for pool in pools:
        starts.append(len(flat))
        sizes.append(len(pool))
        flat.extend(pool)
    offset = np.floor(u * np.asarray(sizes)[group]).astype(np.int64)
    return coded(flat, np.asarray(starts)[group] + offset)


def step_lookup(edges: Sequence[float], values: Sequence[float], x: NDArray[np.float64]) -> NDArray[np.float64]:
    """``values[k]`` for the band ``edges[k] <= x < edges[k+1]`` (a per-age or per-score table)."""
    k = np.minimum(np.maximum(np.searchsorted(np.asarray(edges), x, side="right") - 1, 0), len(values) - 1)
    out: NDArray[np.float64] = np.asarray(values, dtype=np.float64)[k]
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


def render_choice(templates: list[str], choice: NDArray[np.int64], fields: Mapping[str, ObjArray]) -> ObjArray:
    """Row ``i`` rendered with ``templates[choice[i]]``."""
    n = int(choice.shape[0])
    out: ObjArray = np.empty(n, dtype=object)
    for k, template in enumerate(templates):
        mask = choice == k
        if mask.any():
            out[mask] = render(template, {name: col[mask] for name, col in fields.items()}, int(mask.sum()))
    return out


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
