"""Joining a population's blocks as they are made, into one array per column.

Keeping every block until the end and concatenating them makes every block's
arrays fresh memory the kernel must fault in, and then the joined arrays are
faulted in again. Here each block is copied into the joined arrays as soon as it
is made and then dropped, so the next block's arrays reuse the same (already
mapped, often cached) memory. The joined columns hold what
:func:`persona_kit.engine.batch.concat_columns` gives for the blocks: the same
values, coded columns over the sorted distinct vocabulary in the smallest
integer type (tests/test_engine_split.py: any block size gives the same tables).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from numpy.typing import NDArray

from persona_kit.engine.batch import Batch, Coded, Column, ObjArray, TablePart, concat_columns, objects, small_codes

_NUMERIC = "biufmM"
Empty = Callable[[int, Any], NDArray[Any]]
_SLACK = 1.25
"""Child tables reserve this times the rows the first block suggests; pages never written are never faulted in."""


class _Joined:
    """One column being joined block by block: into one growing array while it can, else as parts."""

    def __init__(self, first: Column, capacity: int, empty: Empty) -> None:
        self.size = 0
        self.empty = empty
        self.parts: list[Column] | None = None
        self.cats: ObjArray | None = None
        self.uniq: ObjArray | None = None
        self.table: NDArray[np.signedinteger[Any]] | None = None
        self.dtype: np.dtype[Any] | None = None
        if isinstance(first, Coded):
            uniq, inverse = np.unique(first.categories.astype(str), return_inverse=True)
            self.cats, self.uniq = first.categories, objects(uniq.tolist())
            self.table = inverse.astype(small_codes(uniq.shape[0]))
            self.buf: NDArray[Any] = empty(capacity, self.table.dtype)
        elif isinstance(first, np.ndarray) and first.ndim == 1 and first.dtype.kind in _NUMERIC:
            self.dtype = first.dtype
            self.buf = empty(capacity, np.int64 if first.dtype.kind in "mM" else first.dtype)
        else:
            self.parts = []
            self.buf = np.empty(0)

    def append(self, col: Column) -> None:
        """Add the next block's piece of this column."""
        if self.parts is None:
            if self.table is not None and isinstance(col, Coded):
                if col.categories is self.cats or np.array_equal(col.categories, self._cats()):
                    np.take(self.table, col.codes, out=self._slot(col.codes.shape[0]), mode="clip")
                    return
            elif self.dtype is not None and isinstance(col, np.ndarray) and col.dtype == self.dtype:
                self._slot(col.shape[0])[:] = col.view(np.int64) if col.dtype.kind in "mM" else col
                return
            self.parts = [self.result()]
        self.parts.append(col)

    def _cats(self) -> ObjArray:
        assert self.cats is not None
        return self.cats

    def _slot(self, rows: int) -> NDArray[Any]:
        """The next ``rows`` cells of the buffer (grown by copying when the estimate falls short)."""
        end = self.size + rows
        if end > self.buf.shape[0]:
            bigger = self.empty(max(end, 2 * self.buf.shape[0]), self.buf.dtype)
            bigger[: self.size] = self.buf[: self.size]
            self.buf = bigger
        out = self.buf[self.size : end]
        self.size = end
        return out

    def result(self) -> Column:
        """The joined column."""
        if self.parts is not None:
            return concat_columns(self.parts)
        if self.uniq is not None:
            return Coded(self.buf[: self.size], self.uniq)
        assert self.dtype is not None
        out = self.buf[: self.size]
        return out.view(self.dtype) if self.dtype.kind in "mM" else out


def join_batches(blocks: Iterator[Batch], n: int, empty: Empty = np.empty) -> tuple[Batch, bool]:
    """One batch of ``n`` personas from consecutive blocks, joined as they come; and whether there were several.

    ``empty(size, dtype)`` makes the joined arrays (``np.empty``, or a :class:`~persona_kit.engine.pool.BufferPool`'s).
    """
    first = next(blocks)
    second = next(blocks, None)
    if second is None:
        first.merge_parts()
        return first, False
    pieces = _pieces(first)
    per_row = {name: sum(int(p[0][-1]) for p in parts) / max(first.n, 1) for name, parts in pieces.items()}
    columns = {name: _Joined(col, n, empty) for name, col in first.columns.items()}
    tables = {
        name: {c: _Joined(col, int(per_row[name] * n * _SLACK) + 1024, empty) for c, col in parts[0][2].items()}
        for name, parts in pieces.items()
    }
    positions = {
        name: _Joined(parts[0][1], int(per_row[name] * n * _SLACK) + 1024, empty) for name, parts in pieces.items()
    }
    offsets: dict[str, list[NDArray[np.int64]]] = {name: [np.zeros(1, dtype=np.int64)] for name in pieces}
    base = dict.fromkeys(pieces, 0)
    total = 0
    for block in _chain(first, second, blocks):
        total += block.n
        for name, joined in columns.items():
            joined.append(block.columns[name])
        for name, parts in _pieces(block).items():
            table = tables[name]
            for part_offsets, position, part in parts:
                for c, joined in table.items():
                    joined.append(part[c])
                offsets[name].append(part_offsets[1:] + base[name])
                base[name] += int(part_offsets[-1])
                positions[name].append(position)
    out = Batch(first.kind, total, {name: joined.result() for name, joined in columns.items()})
    for name, table in tables.items():
        out.children[name] = {c: joined.result() for c, joined in table.items()}
        out.offsets[name] = np.concatenate(offsets[name])
        joined_position = positions[name].result()
        assert isinstance(joined_position, np.ndarray)
        out.positions[name] = joined_position.astype(np.int64, copy=False)
    return out, True


def _pieces(block: Batch) -> dict[str, list[TablePart]]:
    """Every child table of a block as its parts (a table held whole is one part), in the block's table order."""
    out = {name: [(block.offsets[name], _position(block, name), table)] for name, table in block.children.items()}
    out.update(block.parts)
    return out


def _position(block: Batch, name: str) -> NDArray[np.int64]:
    """Each row's position in its parent's list (from the offsets when the table did not keep them)."""
    position = block.positions.get(name)
    if position is not None:
        return position
    offsets = block.offsets[name]
    counts = np.diff(offsets)
    out = np.arange(offsets[-1], dtype=np.int64)
    out -= np.repeat(offsets[:-1], counts)
    return out


def _chain(first: Batch, second: Batch, rest: Iterator[Batch]) -> Iterator[Batch]:
    yield first
    yield second
    yield from rest


__all__ = ["join_batches"]
