"""Counter-based deterministic draws.

Every random value in persona_kit is a pure function of
``(seed, persona index, field name, position)``: a 64-bit key is mixed with
SplitMix64's finaliser (Steele, Lea & Flood, OOPSLA 2014), so any persona, any
transaction of any persona, can be drawn directly without generating the ones
before it. There is no stream, no state, no global RNG: a batch of one and a
batch of a million give the same values for the same keys.

Field names are turned into 64-bit constants with BLAKE2b, never ``hash()``,
which changes with ``PYTHONHASHSEED``.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from numpy.typing import NDArray

from persona_kit.engine import kernels

U64 = NDArray[np.uint64]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

_MASK = (1 << 64) - 1
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_POS_MUL = np.uint64(0xD1B54A32D192ED03)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_S32 = np.uint64(32)
_INV_2_53 = 1.0 / (1 << 53)
_SMALL = 8
_CELLS = 1 << 16
_EXACT_CELLS = 16
_LOW48 = (1 << 48) - 1
_INV_2_48 = 1.0 / (1 << 48)
"""At or below this many rows, draws use Python integers: numpy's per-call overhead dominates."""
_DENSE_SHARE = 4
"""Poisson draws step over all rows while more than 1/_DENSE_SHARE of them are still counting."""


def mix64(x: U64) -> U64:
    """SplitMix64 finaliser over an array; returns a new array (``x`` is left alone)."""
    if x.shape[0] <= _SMALL:
        return np.asarray([mix64_int(v) for v in x.tolist()], dtype=np.uint64)
    return _mix_inplace(x >> _S30, x)


def _mix_inplace(y: U64, x: U64) -> U64:
    """Finish the finaliser given ``y = x >> 30``, reusing ``y`` and one scratch buffer (no fresh temporaries)."""
    y ^= x
    return _mix_rest(y)


def _mix_rest(y: U64) -> U64:
    """The finaliser after its first xor-shift, in place on ``y``."""
    y *= _M1
    t = np.right_shift(y, _S27)
    y ^= t
    y *= _M2
    np.right_shift(y, _S31, out=t)
    y ^= t
    return y


def mix64_int(x: int) -> int:
    """SplitMix64 finaliser on one Python integer (exact, no overflow warnings)."""
    x &= _MASK
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _MASK
    x ^= x >> 31
    return x


@cache
def _field_const(name: str) -> np.uint64:
    """A field's key with the finaliser's first xor-shift applied (see :meth:`Draws._premixed`)."""
    fk = name_key(name)
    return np.uint64(fk ^ (fk >> 30))


@cache
def name_key(name: str) -> int:
    """A stable 64-bit constant for a field or table name."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8, person=b"persona_kit.fld").digest()
    return int.from_bytes(digest, "little")


def row_keys(seed_key: int, index: U64) -> U64:
    """One well-mixed key per persona index."""
    return mix64(index * _GOLDEN + np.uint64(seed_key))


def child_keys(parent_keys: U64, table: str, position: U64, *, owned: bool = False) -> U64:
    """Keys for the rows of a child table: (parent key, table, position in the list).

    ``owned``: ``parent_keys`` is this call's scratch, reused for the result (no fresh temporaries).
    """
    if not owned or parent_keys.shape[0] <= _SMALL:
        return mix64(parent_keys ^ np.uint64(name_key(table)) + position * _POS_MUL)
    x = np.multiply(position, _POS_MUL)
    x += np.uint64(name_key(table))
    x ^= parent_keys
    return _mix_inplace(np.right_shift(x, _S30, out=parent_keys), x)


class Draws:
    """Typed random draws for a set of rows, each row owning a 64-bit key.

    ``Draws(keys).uniform("credit_score")`` gives one float per row; the same
    key and field always give the same value. Every method consumes exactly one
    64-bit word per row (``bits(field)``), so a row's values never depend on
    which other rows are drawn with it.
    """

    __slots__ = ("_pre", "keys")

    def __init__(self, keys: U64) -> None:
        self.keys = keys
        self._pre: U64 | None = None

    def _premixed(self) -> U64:
        """``keys ^ (keys >> 30)``, the field-independent half of the finaliser's first step.

        ``(k ^ f) ^ ((k ^ f) >> 30)`` equals ``(k ^ (k >> 30)) ^ (f ^ (f >> 30))``, so each field
        then costs one xor with a constant instead of a shift and two xors.
        """
        if self._pre is None:
            pre = self.keys >> _S30
            pre ^= self.keys
            self._pre = pre
        return self._pre

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def _small(self, field: str) -> list[int] | None:
        """The raw words as Python ints for a tiny batch, else None."""
        if self.keys.shape[0] > _SMALL:
            return None
        fk = name_key(field)
        return [mix64_int(k ^ fk) for k in self.keys.tolist()]

    def bits(self, field: str) -> U64:
        """Raw 64-bit draws for ``field``."""
        small = self._small(field)
        if small is not None:
            return np.asarray(small, dtype=np.uint64)
        kern = kernels.active(self.keys.shape[0])
        if kern is not None:
            return kern.field_bits(self._premixed(), _field_const(field))
        y = self._premixed() ^ _field_const(field)
        return _mix_rest(y)

    def uniform(self, field: str) -> F64:
        """Floats in [0, 1) with 53 random bits."""
        small = self._small(field)
        if small is not None:
            return np.asarray([(b >> 11) * _INV_2_53 for b in small])
        kern = kernels.active(self.keys.shape[0])
        if kern is not None:
            return kern.field_uniform(self._premixed(), _field_const(field))
        b = self.bits(field)
        b >>= _S11
        out: F64 = np.multiply(b, _INV_2_53)
        return out

    def integers(self, field: str, low: int, high: int) -> I64:
        """Integers in [low, high] inclusive, by 32-bit multiply-shift (bias below span / 2**32)."""
        span = high - low + 1
        if not 0 < span < 1 << 32:
            msg = f"integers needs 1 <= high - low + 1 < 2**32, got low={low}, high={high}"
            raise ValueError(msg)
        small = self._small(field)
        if small is not None:
            return np.asarray([((b >> 32) * span >> 32) + low for b in small], dtype=np.int64)
        kern = kernels.active(self.keys.shape[0])
        if kern is not None:
            return kern.field_integers(self._premixed(), _field_const(field), np.uint64(span), low)
        b = self.bits(field)
        b >>= _S32
        b *= np.uint64(span)
        b >>= _S32
        out = b.view(np.int64)
        if low:
            out += low
        return out

    def normal(self, field: str) -> F64:
        """Standard normal draws: the inverse CDF of one word (fixed consumption, no rejection).

        The top 16 bits pick one of 65,536 equal-probability cells, the other 48 place the draw
        inside it by linear interpolation between the cell's exact quantiles (error below 3e-4
        outside the outermost 16 cells at each end, which are computed exactly).
        """
        # Its own word, as before (Box-Muller drew "#1" and "#2"): uniform(field) and normal(field) stay independent.
        word_field = field + "#1"
        small = self._small(word_field)
        if small is not None:
            return np.asarray([_normal_of_word(b) for b in small])
        kern = kernels.active(self.keys.shape[0])
        if kern is not None:
            z, edge_rows, edge_p = kern.field_normal(self._premixed(), _field_const(word_field), _normal_pairs())
            if edge_rows.size:
                z[edge_rows] = _ppf_tail(edge_p)
            return z
        b = self.bits(word_field)
        k = np.right_shift(b, np.uint64(48)).view(np.int64)
        b &= np.uint64(_LOW48)
        frac = np.multiply(b.view(np.int64), _INV_2_48)  # below 2**48: the signed conversion is exact and faster
        frac += 0.5 * _INV_2_48
        edge = np.flatnonzero((k < _EXACT_CELLS) | (k >= _CELLS - _EXACT_CELLS))
        outer = _ppf_tail((k[edge] + frac[edge]) / _CELLS) if edge.size else None
        # One gather of each cell's (knot, slope) pair: one cache line per draw, not one in each of two tables.
        pair = np.take(_normal_pairs(), k, axis=0)
        z = np.multiply(pair[:, 1], frac, out=frac)
        z += pair[:, 0]
        if outer is not None:
            z[edge] = outer
        return z

    def lognormal(self, field: str, median: F64 | float, sigma: F64 | float) -> F64:
        """Log-normal draws parameterised by their median, the natural scale for money."""
        z = self.normal(field)
        z *= sigma
        np.exp(z, out=z)
        z *= median
        return z

    def poisson(self, field: str, lam: F64 | float, cap: int) -> I64:
        """Poisson counts capped at ``cap``, by inversion (exact up to the cap)."""
        if np.ndim(lam) == 0:
            return self.weighted(field, _poisson_cdf(float(lam), cap))
        lam_arr = np.broadcast_to(np.asarray(lam, dtype=np.float64), self.keys.shape)
        u = self.uniform(field)
        n = u.shape[0]
        p = np.exp(-lam_arr)
        kern = kernels.active(n)
        if kern is not None and cap >= 0:
            return kern.poisson_counts(u, p, np.ascontiguousarray(lam_arr), cap)
        cdf = p.copy()
        # k is the first i with u < P(N <= i), else cap: the number of i < cap with u >= P(N <= i). While
        # most rows are still counting, each i is one dense pass over all rows (the same float operations
        # per row as below); then the rows still counting are compacted each step.
        counting = u >= cdf
        k = counting.astype(np.int64)
        i = 0
        if cap > 1 and np.count_nonzero(counting) > n // _DENSE_SHARE:
            step = np.empty(n)
            while i < cap - 1:
                i += 1
                np.divide(lam_arr, i, out=step)
                p *= step
                cdf += p
                np.greater_equal(u, cdf, out=counting)
                k += counting
                if np.count_nonzero(counting) <= n // _DENSE_SHARE:
                    break
        active = np.flatnonzero(counting)
        u, lam_a, p, cdf = u[active], lam_arr[active], p[active], cdf[active]
        for j in range(i + 1, cap + 1):
            if active.size == 0:
                break
            p *= lam_a / j
            cdf += p
            more = u >= cdf
            k[active[~more]] = j
            active, u, lam_a, p, cdf = active[more], u[more], lam_a[more], p[more], cdf[more]
        k[active] = cap
        return k

    def weighted(self, field: str, cumulative: F64) -> I64:
        """Index into a categorical distribution given its normalised cumulative weights.

        Walker's alias method on the raw word: the top bits pick a column, the rest
        decide between it and its alias, so the cost does not grow with the number
        of categories.
        """
        table = _alias(cumulative)
        small = self._small(field)
        if small is not None:
            thr, alias, shift, mask = table.threshold_list, table.alias_list, table.shift, table.mask
            picks = []
            for word in small:
                column = word >> shift if shift < 64 else 0
                picks.append(column if (word & mask) < thr[column] else alias[column])
            return np.asarray(picks, dtype=np.int64)
        kern = kernels.active(self.keys.shape[0])
        if kern is not None and table.shift < 64:
            c = _field_const(field)
            col_shift, low_mask = np.uint64(table.shift), np.uint64(table.mask)
            return kern.field_weighted(self._premixed(), c, col_shift, low_mask, table.threshold, table.alias)
        b = self.bits(field)
        if table.shift >= 64:
            return np.zeros(b.shape[0], dtype=np.int64)
        col = b >> np.uint64(table.shift)
        b &= np.uint64(table.mask)
        keep = b < table.threshold[col]
        out: I64 = np.where(keep, col, table.alias[col]).view(np.int64)
        return out


@dataclass(frozen=True)
class AliasTable:
    """Walker/Vose alias table over a power-of-two number of columns (padding columns always alias)."""

    shift: int
    mask: int
    threshold: U64
    alias: U64
    threshold_list: list[int]
    alias_list: list[int]


_ALIASES: dict[bytes, AliasTable] = {}


_ALIASES_BY_ID: dict[int, tuple[F64, AliasTable]] = {}


def _alias(cum: F64) -> AliasTable:
    """The alias table of a cumulative array: found by identity first (cached arrays), then by content."""
    hit = _ALIASES_BY_ID.get(id(cum))
    if hit is not None and hit[0] is cum:
        return hit[1]
    key = cum.tobytes()
    table = _ALIASES.get(key)
    if table is None:
        if len(_ALIASES) > 4096:
            _ALIASES.clear()
        table = _ALIASES[key] = _build_alias(cum)
    if not cum.flags.writeable:  # a cached, frozen array: its identity stands for its content
        if len(_ALIASES_BY_ID) > 4096:
            _ALIASES_BY_ID.clear()
        _ALIASES_BY_ID[id(cum)] = (cum, table)
    return table


def _build_alias(cum: F64) -> AliasTable:
    probs = np.diff(np.concatenate(([0.0], np.asarray(cum, dtype=np.float64))))
    k = int(probs.shape[0])
    bits = max(k - 1, 0).bit_length()
    width = 1 << bits
    low_bits = 64 - bits
    scaled = [0.0] * width
    for i, p in enumerate(probs.tolist()):
        scaled[i] = max(p, 0.0) * width
    alias = list(range(width))
    small = [i for i, v in enumerate(scaled) if v < 1.0]
    large = [i for i, v in enumerate(scaled) if v >= 1.0]
    while small and large:
        s, g = small.pop(), large[-1]
        alias[s] = g
        scaled[g] -= 1.0 - scaled[s]
        if scaled[g] < 1.0:
            large.pop()
            small.append(g)
    one = 1 << low_bits
    # Leftovers are 1 up to rounding: they keep their own column.
    for i in small + large:
        scaled[i] = 1.0
    threshold = [min(one, int(v * one)) if v < 1.0 else one for v in scaled]
    if bits == 0:
        threshold = [one]
    thr_arr = np.asarray([min(t, _MASK) for t in threshold], dtype=np.uint64)
    # A threshold of 2**low_bits (a full column) cannot be stored when low_bits is 64; the mask test covers it.
    return AliasTable(
        shift=low_bits, mask=one - 1 if low_bits < 64 else _MASK, threshold=thr_arr,
        alias=np.asarray(alias, dtype=np.uint64), threshold_list=threshold, alias_list=alias,
    )  # fmt: skip


def _normal_of_word(word: int) -> float:
    """:meth:`Draws.normal` of one raw word, with the same float operations as the array path."""
    k, frac = word >> 48, ((word & _LOW48) + 0.5) * _INV_2_48
    if k < _EXACT_CELLS or k >= _CELLS - _EXACT_CELLS:
        return float(_ppf_open(np.asarray([(k + frac) / _CELLS]))[0])
    knots, slopes = _normal_lists()
    return knots[k] + slopes[k] * frac


@cache
def _normal_lists() -> tuple[list[float], list[float]]:
    knots, slopes = _normal_table()
    return knots.tolist(), slopes.tolist()


@cache
def _normal_table() -> tuple[F64, F64]:
    """Exact standard-normal quantiles at the 65,536 cell edges and each cell's width in z."""
    edges = np.arange(_CELLS + 1, dtype=np.float64) / _CELLS
    knots = np.zeros(_CELLS + 1)
    knots[1:-1] = _ppf_open(edges[1:-1])
    slopes = np.diff(knots)
    slopes[0] = slopes[-1] = 0.0  # the outer cells are computed exactly, never interpolated
    knots, slopes = knots[:-1].copy(), slopes.copy()
    knots.flags.writeable = slopes.flags.writeable = False
    return knots, slopes


@cache
def _normal_pairs() -> F64:
    """:func:`_normal_table` as one (cell, [knot, slope]) array."""
    knots, slopes = _normal_table()
    out = np.stack([knots, slopes], axis=1)
    out.flags.writeable = False
    return out


@cache
def _poisson_cdf(lam: float, cap: int) -> F64:
    """Cumulative weights of a Poisson(lam) count with the tail above ``cap`` folded onto ``cap``."""
    if not lam >= 0 or cap < 0:
        msg = f"poisson needs lam >= 0 and cap >= 0, got lam={lam}, cap={cap}"
        raise ValueError(msg)
    pmf = [math.exp(-lam)]
    for i in range(1, cap + 1):
        pmf.append(pmf[-1] * lam / i)
    pmf[-1] = max(1.0 - sum(pmf[:-1]), 0.0)
    out = _cumulative(np.asarray(pmf, dtype=np.float64))
    out.flags.writeable = False
    return out


def cumulative(weights: list[float] | tuple[float, ...] | F64) -> F64:
    """Normalised cumulative weights for :meth:`Draws.weighted` (cached for literal lists)."""
    if isinstance(weights, np.ndarray):
        return _cumulative(weights)
    return _cumulative_cached(tuple(float(w) for w in weights))


@cache
def _cumulative_cached(weights: tuple[float, ...]) -> F64:
    out = _cumulative(np.asarray(weights, dtype=np.float64))
    out.flags.writeable = False
    return out


def _cumulative(weights: F64) -> F64:
    arr = np.asarray(weights, dtype=np.float64)
    if arr.ndim != 1 or arr.size == 0 or (arr < 0).any() or arr.sum() <= 0:
        msg = "weights must be a non-empty list of non-negative numbers with a positive sum"
        raise ValueError(msg)
    cum: F64 = np.cumsum(arr)
    cum /= cum[-1]
    return cum


def normal_cdf(z: F64) -> F64:
    """Standard normal CDF, tanh approximation (absolute error < 2e-4).

    Used only to turn a correlated latent normal into a quantile; the error
    shifts calibrated band shares by well under a tenth of a percentage point.
    """
    out: F64 = 0.5 * (1.0 + np.tanh(0.7978845608028654 * (z + 0.044715 * z * z * z)))
    return out


_A = (
    -3.969683028665376e01,
    2.209460984245205e02,
    -2.759285104469687e02,
    1.383577518672690e02,
    -3.066479806614716e01,
    2.506628277459239e00,
)
_B = (-5.447609879822406e01, 1.615858368580409e02, -1.556989798598866e02, 6.680131188771972e01, -1.328068155288572e01)
_C = (
    -7.784894002430293e-03,
    -3.223964580411365e-01,
    -2.400758277161838e00,
    -2.549732539343734e00,
    4.374664141464968e00,
    2.938163982698783e00,
)
_D = (7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e00, 3.754408661907416e00)


def normal_ppf(p: F64) -> F64:
    """Inverse standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9)."""
    return _ppf_open(np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12))


def _ppf_open(p: F64) -> F64:
    """:func:`normal_ppf` for ``p`` strictly inside (0, 1), evaluated in place (the central formula for all
    rows, then the tails, about 5% of rows, overwritten)."""
    q = p - 0.5
    r = q * q
    num = _A[0] * r
    for c in _A[1:-1]:
        num += c
        num *= r
    num += _A[-1]
    num *= q
    den = _B[0] * r
    for c in _B[1:]:
        den += c
        den *= r
    den += 1.0
    num /= den
    tail = np.flatnonzero(np.abs(q) > _TAIL)
    if tail.size:
        num[tail] = _ppf_tail(p[tail])
    return num


_TAIL = 0.5 - 0.02425


def _ppf_tail(p: F64) -> F64:
    """:func:`_ppf_open` for ``p`` in its tails (``|p - 0.5| > 0.5 - 0.02425``): the tail formula alone."""
    lower = p < 0.5
    t = np.sqrt(-2.0 * np.log(np.where(lower, p, 1.0 - p)))
    tn = ((((_C[0] * t + _C[1]) * t + _C[2]) * t + _C[3]) * t + _C[4]) * t + _C[5]
    td = (((_D[0] * t + _D[1]) * t + _D[2]) * t + _D[3]) * t + 1
    out: F64 = np.where(lower, 1.0, -1.0) * tn / td
    return out
