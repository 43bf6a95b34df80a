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
from functools import cache

import numpy as np
from numpy.typing import NDArray

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
_INV_2_53 = 1.0 / (1 << 53)
_SMALL = 8


def mix64(x: U64) -> U64:
    """SplitMix64 finaliser over an array; returns a new array."""
    if x.shape[0] <= _SMALL:
        return np.asarray([mix64_int(v) for v in x.tolist()], dtype=np.uint64)
    x = x ^ (x >> _S30)
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


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
def name_key(name: str) -> int:
    """A stable 64-bit constant for a field or table name."""
    digest = hashlib.blake2b(name.encode("utf-8"), digest_size=8, person=b"persona_kit.fld").digest()
    return int.from_bytes(digest, "little")


def row_keys(seed_key: int, index: U64) -> U64:
    """One well-mixed key per persona index."""
    return mix64(index * _GOLDEN + np.uint64(seed_key))


def child_keys(parent_keys: U64, table: str, position: U64) -> U64:
    """Keys for the rows of a child table: (parent key, table, position in the list)."""
    return mix64(parent_keys ^ np.uint64(name_key(table)) + position * _POS_MUL)


class Draws:
    """Typed random draws for a set of rows, each row owning a 64-bit key.

    ``Draws(keys).uniform("credit_score")`` gives one float per row; the same
    key and field always give the same value.
    """

    __slots__ = ("keys",)

    def __init__(self, keys: U64) -> None:
        self.keys = keys

    def __len__(self) -> int:
        return int(self.keys.shape[0])

    def bits(self, field: str) -> U64:
        """Raw 64-bit draws for ``field``."""
        if self.keys.shape[0] <= _SMALL:
            # Same arithmetic on Python ints: numpy's per-call overhead dominates tiny batches.
            fk = name_key(field)
            return np.asarray([mix64_int(k ^ fk) for k in self.keys.tolist()], dtype=np.uint64)
        return mix64(self.keys ^ np.uint64(name_key(field)))

    def uniform(self, field: str) -> F64:
        """Floats in [0, 1) with 53 random bits."""
        if self.keys.shape[0] <= _SMALL:
            fk = name_key(field)
            return np.asarray([(mix64_int(k ^ fk) >> 11) * _INV_2_53 for k in self.keys.tolist()])
        return (self.bits(field) >> _S11).astype(np.float64) * _INV_2_53

    def integers(self, field: str, low: int, high: int) -> I64:
        """Integers in [low, high] inclusive (multiply-shift; bias below 2**-40)."""
        span = high - low + 1
        return (np.floor(self.uniform(field) * span)).astype(np.int64) + low

    def normal(self, field: str) -> F64:
        """Standard normal draws (Box-Muller on two independent uniforms)."""
        u1 = self.uniform(field + "#1")
        u2 = self.uniform(field + "#2")
        return np.sqrt(-2.0 * np.log1p(-u1)) * np.cos(2.0 * math.pi * u2)

    def lognormal(self, field: str, median: F64 | float, sigma: F64 | float) -> F64:
        """Log-normal draws parameterised by their median, the natural scale for money."""
        return np.asarray(median, dtype=np.float64) * np.exp(np.asarray(sigma) * self.normal(field))

    def poisson(self, field: str, lam: F64 | float, cap: int) -> I64:
        """Poisson counts capped at ``cap``, by inversion (exact up to the cap)."""
        lam_arr = np.broadcast_to(np.asarray(lam, dtype=np.float64), self.keys.shape)
        u = self.uniform(field)
        p = np.exp(-lam_arr)
        cdf = p.copy()
        k = np.zeros(self.keys.shape, dtype=np.int64)
        for i in range(1, cap + 1):
            below = u >= cdf
            if not below.any():
                break
            k += below
            p = p * lam_arr / i
            cdf = cdf + p
        return k

    def weighted(self, field: str, cumulative: F64) -> I64:
        """Index into a categorical distribution given its normalised cumulative weights."""
        idx = np.searchsorted(cumulative, self.uniform(field), side="right")
        out: I64 = np.minimum(idx, cumulative.shape[0] - 1).astype(np.int64)
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
    p = np.clip(np.asarray(p, dtype=np.float64), 1e-12, 1 - 1e-12)
    out = np.empty_like(p)
    lo, hi = p < 0.02425, p > 1 - 0.02425
    mid = ~(lo | hi)
    q = p[mid] - 0.5
    r = q * q
    num = ((((_A[0] * r + _A[1]) * r + _A[2]) * r + _A[3]) * r + _A[4]) * r + _A[5]
    den = ((((_B[0] * r + _B[1]) * r + _B[2]) * r + _B[3]) * r + _B[4]) * r + 1
    out[mid] = num * q / den
    for mask, sign, tail in ((lo, 1.0, p[lo]), (hi, -1.0, 1 - p[hi])):
        t = np.sqrt(-2 * np.log(tail))
        num = ((((_C[0] * t + _C[1]) * t + _C[2]) * t + _C[3]) * t + _C[4]) * t + _C[5]
        den = (((_D[0] * t + _D[1]) * t + _D[2]) * t + _D[3]) * t + 1
        out[mask] = sign * num / den
    return out
