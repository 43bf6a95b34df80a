"""The everyday spending categories as small per-category arrays, and which category a uniform draw falls in."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from persona_kit.engine.draws import F64, I64, cumulative

if TYPE_CHECKING:
    from persona_kit.industries.banking.generator import Category
    from persona_kit.industries.banking.transactions import Vocab


@dataclass(frozen=True)
class PerCategory:
    """The everyday categories' values, as small arrays indexed by category."""

    slice_start: F64
    weight: F64
    pool_size: F64
    pool_start: I64
    median: F64
    sigma: F64
    packed: F64
    """Slice start, weight, pool size and sigma as the rows of one array (the compiled kernel's form)."""


_PER_CATEGORY: dict[int, tuple[Vocab, list[Category], PerCategory]] = {}


def category_tables(v: Vocab, cats: list[Category], weights: F64) -> PerCategory:
    """:class:`PerCategory` for a vocabulary and its stats' categories, built once per pair."""
    hit = _PER_CATEGORY.get(id(v))
    if hit is not None and hit[0] is v and hit[1] is cats:
        return hit[2]
    slice_start = cumulative(weights) - weights
    pool_size = np.asarray([float(v.size[c.name]) for c in cats])
    sigma = np.asarray([c.sigma for c in cats])
    per = PerCategory(
        slice_start=slice_start,
        weight=weights,
        pool_size=pool_size,
        pool_start=np.asarray([v.start[c.name] for c in cats], dtype=np.int64),
        median=np.asarray([c.median_usd for c in cats]),
        sigma=sigma,
        packed=np.stack([slice_start, weights, pool_size, sigma]),
    )
    if len(_PER_CATEGORY) > 64:
        _PER_CATEGORY.clear()
    _PER_CATEGORY[id(v)] = (v, cats, per)
    return per


COMPARISONS = 16
"""Up to this many categories, a category is found by adding comparisons with the edges (a few light passes);
beyond it, by :func:`search_right`."""


def category_of(cum: F64, u: F64) -> NDArray[np.intp]:
    """``min(searchsorted(cum, u, side="right"), len(cum) - 1)``: the category whose slice of [0, 1) holds ``u``.

    ``cum`` is non-decreasing, so the count of its edges at or below ``u`` is the answer; the last edge
    (1.0) never counts, as ``u < 1``, and the cap makes the same answer if it would.
    """
    out: NDArray[np.intp]
    if cum.shape[0] > COMPARISONS:
        out = np.minimum(search_right(cum, u), cum.shape[0] - 1).astype(np.intp)
        return out
    count = np.zeros(u.shape[0], dtype=np.int8)
    for edge in cum[:-1].tolist():
        count += u >= edge
    out = count.astype(np.intp)
    return out


_BUCKET_BITS = 16


def search_right(cum: F64, u: F64) -> I64:
    """``np.searchsorted(cum, u, side="right")`` for ``u`` in [0, 1), by a table over the top bits of ``u``.

    ``u * 2**16`` is exact, so its floor names the bucket ``u`` lies in; a bucket holding no edge of
    ``cum`` has one answer, read from the table; the few rows in buckets that hold an edge are searched.
    """
    lo_count, hi_count = _buckets(tuple(cum.tolist()))
    bucket = np.multiply(u, float(1 << _BUCKET_BITS)).astype(np.intp)
    out: I64 = lo_count[bucket].astype(np.int64)
    edge = np.flatnonzero(hi_count[bucket] != out)
    if edge.size:
        out[edge] = np.searchsorted(cum, u[edge], side="right")
    return out


@cache
def _buckets(cum: tuple[float, ...]) -> tuple[NDArray[np.int16], NDArray[np.int16]]:
    """Per bucket [b, b+1) / 2**16: how many edges are <= its start, and how many are below its end."""
    edges = np.asarray(cum)
    starts = np.arange(1 << _BUCKET_BITS, dtype=np.float64) / (1 << _BUCKET_BITS)
    ends = starts + 1.0 / (1 << _BUCKET_BITS)
    lo = np.searchsorted(edges, starts, side="right").astype(np.int16)
    hi = np.searchsorted(edges, ends, side="left").astype(np.int16)
    return lo, hi


__all__ = ["COMPARISONS", "PerCategory", "category_of", "category_tables", "search_right"]
