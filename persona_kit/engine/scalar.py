"""The engine for one persona on Python scalars: the batch engine's draws and helpers, value for value.

A batch of one pays numpy's per-call overhead a thousand times over. Here the same
counter-based draws run on Python integers (SplitMix64 exactly as
:mod:`persona_kit.engine.draws` computes it), dates are day numbers, and only the
floating-point functions whose last bit depends on the implementation (``exp``,
``log``, ``log1p``, ``power``, ``interp``; numpy's SIMD versions differ from
``math``'s by an ulp now and then) go through the very numpy ufuncs the batch
path uses, one scalar at a time. Arithmetic (``+ - * /``, ``sqrt``, floor,
comparisons) is IEEE on both sides, so each operation is written in the batch
code's order and gives the same bits. ``tests/test_scalar.py`` compares every
field of thousands of personas in every mode and locale against the batch path.
"""

from __future__ import annotations

import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import numpy as np

from persona_kit.data import LocaleSpec
from persona_kit.engine.draws import (
    _CELLS,
    _EXACT_CELLS,
    _INV_2_48,
    _LOW48,
    F64,
    _alias,
    _normal_lists,
    _poisson_cdf,
    _ppf_open,
    name_key,
)

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_POS_MUL = 0xD1B54A32D192ED03
_INV_2_53 = 1.0 / (1 << 53)
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()

Row = dict[str, Any]
"""One persona (or one child row) as the model takes it: field name to a Python value."""

_np_exp, _np_log, _np_log1p, _np_log10, _np_power, _np_interp = np.exp, np.log, np.log1p, np.log10, np.power, np.interp


def exp(x: float) -> float:
    """``numpy.exp`` of one float (its SIMD result, which ``math.exp`` does not always match)."""
    return float(_np_exp(x))


def log(x: float) -> float:
    """``numpy.log`` of one float."""
    return float(_np_log(x))


def log1p(x: float) -> float:
    """``numpy.log1p`` of one float."""
    return float(_np_log1p(x))


def power(x: float, y: float) -> float:
    """``numpy.power`` of two floats."""
    return float(_np_power(x, y))


def interp(x: float, xp: F64, fp: F64) -> float:
    """``numpy.interp`` at one point."""
    return float(_np_interp(x, xp, fp))


def rint(x: float) -> float:
    """``numpy.rint``: round half to even, keeping the sign of zero."""
    return math.copysign(float(round(x)), x)


def round_to(x: float, decimals: int) -> float:
    """``numpy.round(x, decimals)``: scale, round half to even, scale back (not Python's exact ``round``)."""
    if decimals == 0:
        return rint(x)
    f = 10.0**decimals
    return rint(x * f) / f


def mix(x: int) -> int:
    """SplitMix64's finaliser of a 64-bit ``x`` (:func:`persona_kit.engine.draws.mix64_int` without its input mask)."""
    x ^= x >> 30
    x = x * 0xBF58476D1CE4E5B9 & _MASK
    x ^= x >> 27
    x = x * 0x94D049BB133111EB & _MASK
    return x ^ (x >> 31)


def mix_rest(y: int) -> int:
    """SplitMix64's finaliser after its first xor-shift: ``mix(x) == mix_rest(x ^ (x >> 30))``.

    ``(k ^ f) ^ ((k ^ f) >> 30)`` is ``(k ^ (k >> 30)) ^ (f ^ (f >> 30))``, so a key is premixed once and each
    field's constant once (:func:`field_word`), and a draw costs one xor less (the batch path's ``_premixed``).
    """
    y = y * 0xBF58476D1CE4E5B9 & _MASK
    y ^= y >> 27
    y = y * 0x94D049BB133111EB & _MASK
    return y ^ (y >> 31)


@cache
def field_word(field: str) -> int:
    """A field's name constant, premixed: ``f ^ (f >> 30)`` for ``f = name_key(field)``."""
    f = name_key(field)
    return f ^ (f >> 30)


@cache
def _normal_word(field: str) -> int:
    return field_word(field + "#1")


def child_key(parent: int, table: str, position: int) -> int:
    """:func:`persona_kit.engine.draws.child_keys` for one child row."""
    return mix(parent ^ ((name_key(table) + position * _POS_MUL) & _MASK))


def child_keys(parent: int, table: str, count: int) -> list[int]:
    """The keys of a parent's first ``count`` rows of ``table``."""
    base = name_key(table)
    return [mix(parent ^ ((base + position * _POS_MUL) & _MASK)) for position in range(count)]


_TABLE: list[tuple[list[float], list[float]]] = []
"""The normal quantile table as Python lists, set on the first normal draw (a few milliseconds, not at import)."""


def normal_of(word: int) -> float:
    """:meth:`persona_kit.engine.draws.Draws.normal` of one raw word."""
    k = word >> 48
    frac = ((word & _LOW48) + 0.5) * _INV_2_48
    if k < _EXACT_CELLS or k >= _CELLS - _EXACT_CELLS:
        return float(_ppf_open(np.asarray([(k + frac) / _CELLS]))[0])
    if not _TABLE:
        _TABLE.append(_normal_lists())
    knots, slopes = _TABLE[0]
    return knots[k] + slopes[k] * frac


class OneDraws:
    """:class:`persona_kit.engine.draws.Draws` for one key: the same values, as Python scalars."""

    __slots__ = ("key", "pre")

    def __init__(self, key: int) -> None:
        self.key = key
        self.pre = key ^ (key >> 30)

    def bits(self, field: str) -> int:
        """The raw 64-bit word for ``field``."""
        return mix_rest(self.pre ^ field_word(field))

    def uniform(self, field: str) -> float:
        """A float in [0, 1)."""
        return (mix_rest(self.pre ^ field_word(field)) >> 11) * _INV_2_53

    def integers(self, field: str, low: int, high: int) -> int:
        """An integer in [low, high]."""
        span = high - low + 1
        if not 0 < span < 1 << 32:
            msg = f"integers needs 1 <= high - low + 1 < 2**32, got low={low}, high={high}"
            raise ValueError(msg)
        return ((mix_rest(self.pre ^ field_word(field)) >> 32) * span >> 32) + low

    def normal(self, field: str) -> float:
        """A standard normal draw (its own word, ``field#1``, as the batch path)."""
        return normal_of(mix_rest(self.pre ^ _normal_word(field)))

    def lognormal(self, field: str, median: float, sigma: float) -> float:
        """A log-normal draw by its median."""
        return exp(self.normal(field) * sigma) * median

    def weighted(self, field: str, cumulative: F64) -> int:
        """An index into a categorical distribution (Walker's alias method, as the batch path)."""
        table = _alias(cumulative)
        word = mix_rest(self.pre ^ field_word(field))
        column = word >> table.shift if table.shift < 64 else 0
        return column if (word & table.mask) < table.threshold_list[column] else table.alias_list[column]

    def poisson(self, field: str, lam: float, cap: int) -> int:
        """A capped Poisson count for a rate that is a constant of the batch (by its cumulative table)."""
        return self.weighted(field, _poisson_cdf(float(lam), cap))

    def poisson_varying(self, field: str, lam: float, cap: int) -> int:
        """A capped Poisson count for a rate that varies by row (the batch path's inversion loop)."""
        u = self.uniform(field)
        p = exp(-lam)
        if not u >= p:
            return 0
        cdf = p
        for i in range(1, cap + 1):
            p *= lam / i
            cdf += p
            if not u >= cdf:
                return i
        return cap


@dataclass(frozen=True)
class One:
    """What a scalar generator needs for one persona: its keys, locale formats and the reference day."""

    seed_key: int
    index: int
    locale: str
    spec: LocaleSpec
    as_of: int
    """The reference date as days since 1970-01-01."""
    key: int = field(init=False)
    draws: OneDraws = field(init=False)

    def __post_init__(self) -> None:
        key = mix((self.index * _GOLDEN + self.seed_key) & _MASK)
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "draws", OneDraws(key))

    def child(self, table: str, position: int) -> OneDraws:
        """Draws of this persona's ``position``-th row of ``table``."""
        return OneDraws(child_key(self.key, table, position))

    def money(self, usd: float) -> float:
        """:meth:`persona_kit.engine.batch.Context.money` of one amount."""
        return round_to(usd * self.spec.price_factor, self.spec.decimals)

    def round(self, value: float) -> float:
        """A local amount rounded to the currency's minor unit, as ``numpy.round(value, decimals)``."""
        return round_to(value, self.spec.decimals)

    def nice_money(self, usd: float) -> float:
        """:meth:`persona_kit.engine.batch.Context.nice_money` of one amount."""
        return nice_money(usd, self.spec.price_factor)


def nice_money(usd: float, price_factor: float) -> float:
    """:meth:`persona_kit.engine.batch.Context.nice_money` of one amount (the selected branch of its formula)."""
    local = usd * price_factor
    if local < 100:
        unit = 1.0
    elif local >= 1000:
        unit = power(10.0, float(math.floor(float(_np_log10(max(local, 1.0)))))) / 10
    else:
        unit = 10.0
    return rint(local / unit) * unit


_HALF_BITS = 20
_HALF_MASK = (1 << _HALF_BITS) - 1
_B32 = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def unique_id(index: int, slot: int, slots_per_persona: int, seed_key: int, domain: str) -> int:
    """:func:`persona_kit.engine.ids.unique_ids` for one (persona index, slot) pair."""
    value = index * slots_per_persona + slot
    left, right = (value >> _HALF_BITS) & _HALF_MASK, value & _HALF_MASK
    base = seed_key ^ name_key(domain)
    for round_no in range(4):
        f = mix(right ^ ((base + round_no * _GOLDEN) & _MASK)) & _HALF_MASK
        left, right = right, left ^ f
    return (left << _HALF_BITS) | right


def base32(value: int, width: int = 8) -> str:
    """:func:`persona_kit.engine.batch.base32_codes` of one value."""
    return "".join(_B32[(value >> (5 * k)) & 31] for k in range(width - 1, -1, -1))


@cache
def _inner_edges(edges: tuple[float, ...], count: int) -> list[float]:
    return [float(e) for e in edges][1:count]


_STEPS: dict[tuple[int, int], tuple[Sequence[float], Sequence[float], list[float], list[float]]] = {}


def step(edges: Sequence[float], values: Sequence[float], x: float) -> float:
    """:func:`persona_kit.engine.batch.step_lookup` at one point."""
    # Tables are lists held by the cached stats models: found by identity, checked, else worked out by content.
    hit = _STEPS.get((id(edges), id(values)))
    if hit is None or hit[0] is not edges or hit[1] is not values:
        if len(_STEPS) > 1024:
            _STEPS.clear()
        hit = (edges, values, _inner_edges(tuple(edges), len(values)), [float(v) for v in values])
        _STEPS[id(edges), id(values)] = hit
    if math.isnan(x):  # the first band, as step_lookup's tiny-batch path
        return hit[3][0]
    return hit[3][bisect_right(hit[2], x)]


# Calendar arithmetic on day numbers (days since 1970-01-01), as engine.dates does on arrays.


@lru_cache(maxsize=64)
def days_back(day: int, count: int) -> tuple[dt.date, ...]:
    """The dates ``day``, ``day - 1``, ..., ``day - count + 1`` (a window of transaction dates, made once)."""
    return tuple(dt.date.fromordinal(day - ago + EPOCH_ORDINAL) for ago in range(count))


def to_date(day: int) -> dt.date:
    """A day number as a date."""
    return dt.date.fromordinal(day + EPOCH_ORDINAL)


def day_of(value: dt.date) -> int:
    """A date as a day number."""
    return value.toordinal() - EPOCH_ORDINAL


def ymd(day: int) -> tuple[int, int, int]:
    """Year, month and day of a day number."""
    d = dt.date.fromordinal(day + EPOCH_ORDINAL)
    return d.year, d.month, d.day


def month_start(year: int, month: int) -> int:
    """The first day of a month given as a year and a month that may run outside 1..12."""
    months = year * 12 + month - 1
    return day_of(dt.date(months // 12, months % 12 + 1, 1))


def add_months(day: int, months: int) -> int:
    """:func:`persona_kit.engine.dates.add_months`: a day past the month's end rolls into the next month."""
    y, m, d = ymd(day)
    return month_start(y, m + months) + d - 1


def add_years(day: int, years: int) -> int:
    """:func:`persona_kit.engine.dates.add_years` (29 February rolls to 1 March)."""
    y, m, d = ymd(day)
    return month_start(y + years, m) + d - 1


def age_at(born: int, when: int) -> int:
    """Whole years from ``born`` to ``when``, birthday inclusive."""
    by, bm, bd = ymd(born)
    wy, wm, wd = ymd(when)
    return wy - by - ((wm, wd) < (bm, bd))


@cache
def month_starts(as_of: int) -> tuple[tuple[int, int], ...]:
    """The first day and length of as_of's month and the two before it (as cashflow._month_starts)."""
    y, m, _ = ymd(as_of)
    return tuple((month_start(y, m - k), month_start(y, m - k + 1) - month_start(y, m - k)) for k in range(3))


__all__ = [
    "EPOCH_ORDINAL", "One", "OneDraws", "Row",
    "add_months", "add_years", "age_at", "base32", "child_key", "child_keys", "day_of", "days_back", "exp",
    "field_word", "interp", "log", "log1p", "mix", "mix_rest", "month_start", "month_starts", "nice_money",
    "normal_of", "power", "rint", "round_to", "step", "to_date", "unique_id", "ymd",
]  # fmt: skip
