"""The kernels' loops, as plain typed Python that :mod:`persona_kit.engine.kernels` compiles with Numba.

Each loop does in one pass over the rows what the numpy code does in many, and gives the numpy
path's bytes: integer hashing, gathers, comparisons and the four basic float operations (exactly
rounded in both; Numba fuses no multiply and add without ``fastmath``, checked: no ``vfmadd`` in the
machine code). ``exp`` and ``log`` stay in numpy, whose SIMD versions need not equal the C library's.
Called uncompiled these are correct but slow, and numpy warns on their wrapping uint64 arithmetic.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_POS_MUL = np.uint64(0xD1B54A32D192ED03)
_S11, _S27, _S30, _S31, _S32, _S48 = (np.uint64(s) for s in (11, 27, 30, 31, 32, 48))
_LOW48 = np.uint64((1 << 48) - 1)
_INV_2_53 = 1.0 / (1 << 53)
_INV_2_48 = 1.0 / (1 << 48)
_HALF_CELL = 0.5 * _INV_2_48
_CELLS = 1 << 16
_EXACT_CELLS = 16
_BELOW_ONE = 1.0 - 1e-12
_INT32_ROWS = 1 << 31
_DAY_RANGE = 1 << 40


def _rest(b: np.uint64) -> np.uint64:
    """SplitMix64's finaliser after its first xor-shift (``draws._mix_rest`` on one word)."""
    b *= _M1
    b ^= b >> _S27
    b *= _M2
    return b ^ (b >> _S31)


def _mix(x: np.uint64) -> np.uint64:
    """SplitMix64's finaliser (``draws.mix64`` on one word)."""
    return _rest(x ^ (x >> _S30))


def everyday_rows(
    parent_keys: U64,
    counts: I64,
    consts: U64,
    edges: F64,
    per_category: F64,
    pool_start: I64,
    normal_pairs: F64,
    window: int,
) -> tuple[I64, I64, I64, NDArray[np.intp], F64, I64, F64]:
    """Everyday transactions' rows: owner, days ago, payee, category and ``sigma * N(0, 1)`` of the amount.

    The same values as ``ChildRows.from_counts(..., "transactions", counts)`` followed by
    ``_everyday``'s draws. ``consts``: the table's name key and the premixed constants of the
    "category" and "amount#1" fields; ``per_category``: rows slice start, weight, pool size and
    sigma. Draws in the normal's outermost cells are left to numpy (they need ``log``): their
    rows and probabilities come back as the last two arrays, their ``z`` as 0.
    """
    n = counts.shape[0]
    m = counts.sum()
    parent = np.empty(m, np.int64)
    days = np.empty(m, np.int64)
    payee = np.empty(m, np.int64)
    cat = np.empty(m, np.intp)
    z = np.empty(m, np.float64)
    edge_rows = np.empty(m, np.int64)
    edge_p = np.empty(m, np.float64)
    table, c_cat, c_amount = consts[0], consts[1], consts[2]
    n_edges = edges.shape[0]
    last_day = window - 1
    fwindow = np.float64(window)
    n_edge = 0
    j = 0
    for i in range(n):
        pk = parent_keys[i]
        for p in range(counts[i]):
            x = _mix(pk ^ (table + np.uint64(p) * _POS_MUL))
            pre = x ^ (x >> _S30)
            b = _rest(pre ^ c_cat)
            u = np.float64(b >> _S11) * _INV_2_53
            c = 0
            for e in range(n_edges):
                if u >= edges[e]:
                    c += 1
            within = (u - per_category[0, c]) / per_category[1, c]
            within = min(max(within, 0.0), _BELOW_ONE)
            within *= per_category[2, c]
            pick = np.floor(within)
            payee[j] = np.int64(pick) + pool_start[c]
            within -= pick
            within *= fwindow
            day = np.int64(np.floor(within))
            days[j] = day if day < last_day else last_day
            w = _rest(pre ^ c_amount)
            k = np.int64(w >> _S48)
            frac = np.float64(np.int64(w & _LOW48)) * _INV_2_48 + _HALF_CELL
            if k < _EXACT_CELLS or k >= _CELLS - _EXACT_CELLS:
                edge_rows[n_edge] = j
                edge_p[n_edge] = (np.float64(k) + frac) / _CELLS
                n_edge += 1
                z[j] = 0.0
            else:
                z[j] = (normal_pairs[k, 1] * frac + normal_pairs[k, 0]) * per_category[3, c]
            parent[j] = i
            cat[j] = c
            j += 1
    return parent, days, payee, cat, z, edge_rows[:n_edge], edge_p[:n_edge]


def everyday_amounts(factor: F64, parent: I64, cat: NDArray[np.intp], median: F64, scale: F64) -> F64:
    """``-(factor * median[cat]) * scale[parent]``, in place on ``factor`` (the numpy path's three passes)."""
    for j in range(factor.shape[0]):
        factor[j] = -(factor[j] * median[cat[j]]) * scale[parent[j]]
    return factor


def newest_first(
    parent: I64,
    days_ago: I64,
    amount_usd: F64,
    payee: NDArray[Any],
    n: int,
    window: int,
    today: int,
    merchant_category: NDArray[Any],
    merchant_mcc: NDArray[Any],
    money: F64,
) -> tuple[bool, I64, I64, I64, F64, NDArray[Any], NDArray[Any], NDArray[Any]]:
    """Rows in the stable order of (owner, days ago), every column gathered: a counting sort (32-bit counts).

    Returns whether every row was in range (owner below ``n``, days ago inside the window, under 2**31 rows;
    if not, the rest is meaningless), then offsets, positions, days since the epoch, amounts, payees and
    the payees' category and MCC codes. The columns are written in the order found, persona by persona.
    Amounts are ``Context.money``'s: ``rint(usd * price factor * 10**decimals) / 10**decimals`` (what
    ``np.round`` computes), at least the minor unit either way; ``money`` = (price factor, 10**decimals, unit).
    """
    factor, scale, unit = money[0], money[1], money[2]
    m = parent.shape[0]
    bins = n * window
    start = np.zeros(bins + 1, np.int32)
    offsets = np.zeros(n + 1, np.int64)
    position = np.empty(m, np.int64)
    day = np.empty(m, np.int64)
    amount = np.empty(m, np.float64)
    merchant = np.empty(m, payee.dtype)
    category = np.empty(m, merchant_category.dtype)
    mcc = np.empty(m, merchant_mcc.dtype)
    order = np.empty(m, np.int32)
    if m >= _INT32_ROWS:
        return False, offsets, position, day, amount, merchant, category, mcc
    for r in range(m):
        if not (0 <= parent[r] < n and 0 <= days_ago[r] < window):
            return False, offsets, position, day, amount, merchant, category, mcc
        start[parent[r] * window + days_ago[r] + 1] += 1
    for b in range(bins):
        start[b + 1] += start[b]
    for i in range(n + 1):
        offsets[i] = start[i * window]
    for r in range(m):
        key = parent[r] * window + days_ago[r]
        order[start[key]] = r
        start[key] += 1
    for i in range(n):
        lo = offsets[i]
        for to in range(lo, offsets[i + 1]):
            r = order[to]
            position[to] = to - lo
            day[to] = today - days_ago[r]
            usd = amount_usd[r]
            a = np.rint(usd * factor * scale) / scale
            if abs(a) < unit:
                a = -unit if usd < 0 else unit
            amount[to] = a
            code = payee[r]
            merchant[to] = code
            category[to] = merchant_category[code]
            mcc[to] = merchant_mcc[code]
    return True, offsets, position, day, amount, merchant, category, mcc


def keyed_rows(
    who: I64, key: I64, first: I64, per_key: I64, table_ago: I64, amount_usd: F64, payee: I64
) -> tuple[I64, I64, F64, I64]:
    """Every row's occurrences, each key's read from its run of ``table_ago``: the expansion of
    ``cashflow.keyed_stream`` (owner, days ago, amount, payee) in one pass instead of four repeats and a gather."""
    rows = key.shape[0]
    m = np.take(per_key, key).sum()
    parent = np.empty(m, who.dtype)
    ago = np.empty(m, table_ago.dtype)
    amount = np.empty(m, amount_usd.dtype)
    pay = np.empty(m, payee.dtype)
    j = 0
    for i in range(rows):
        k = key[i]
        cell = first[k]
        for c in range(cell, cell + per_key[k]):
            parent[j] = who[i]
            ago[j] = table_ago[c]
            amount[j] = amount_usd[i]
            pay[j] = payee[i]
            j += 1
    return parent, ago, amount, pay


def join_strings(codes: I64, offsets: I64, data: NDArray[np.uint8]) -> tuple[bool, I64, NDArray[np.uint8]]:
    """Row ``i`` is the concatenation of the vocabulary strings ``codes[:, i]`` (UTF-8 bytes ``data`` split at
    ``offsets``): an Arrow string array's offsets and data, the bytes ``binary_join_element_wise`` of the taken
    pieces gives. The first value says whether every code was in the vocabulary (if not, the rest is empty)."""
    slots, n = codes.shape[0], codes.shape[1]
    size = offsets.shape[0] - 1
    out_offsets = np.zeros(n + 1, np.int64)
    total = 0
    for i in range(n):
        for j in range(slots):
            c = codes[j, i]
            if not 0 <= c < size:
                return False, out_offsets, np.empty(0, np.uint8)
            total += offsets[c + 1] - offsets[c]
        out_offsets[i + 1] = total
    out = np.empty(total, np.uint8)
    pos = 0
    for i in range(n):
        for j in range(slots):
            c = codes[j, i]
            for k in range(offsets[c], offsets[c + 1]):
                out[pos] = data[k]
                pos += 1
    return True, out_offsets, out


def child_rows(parent_keys: U64, counts: I64, table: np.uint64) -> tuple[I64, I64, U64, I64]:
    """``ChildRows.from_counts``: each row's parent, position and key (``mix64(parent key ^ (table + position *
    POS_MUL))``), and the parents' offsets, in one pass."""
    n = counts.shape[0]
    offsets = np.zeros(n + 1, np.int64)
    offsets[1:] = np.cumsum(counts)
    m = offsets[n]
    parent = np.empty(m, np.int64)
    position = np.empty(m, np.int64)
    keys = np.empty(m, np.uint64)
    j = 0
    for i in range(n):
        pk = parent_keys[i]
        for p in range(counts[i]):
            keys[j] = _mix(pk ^ (table + np.uint64(p) * _POS_MUL))
            parent[j] = i
            position[j] = p
            j += 1
    return parent, position, keys, offsets


def civil_from_days(days: I64) -> tuple[bool, I64, I64, I64]:
    """``dates.ymd``: year, month and day of days since 1970 (Hinnant's ``civil_from_days``, the same integer
    steps); False first if a day is NaT or beyond +-2**40 (numpy then decides, wrapping as it does)."""
    n = days.shape[0]
    year, month, day = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n, np.int64)
    for i in range(n):
        if not -_DAY_RANGE < days[i] < _DAY_RANGE:
            return False, year, month, day
        z = days[i] + 719_468
        era = z // 146_097
        doe = z - era * 146_097
        yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
        doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
        mp = (5 * doy + 2) // 153
        day[i] = doy - (153 * mp + 2) // 5 + 1
        m = mp + 3 if mp < 10 else mp - 9
        month[i] = m
        year[i] = yoe + era * 400 + (1 if m <= 2 else 0)
    return True, year, month, day


def interp(x: F64, xp: F64, fp: F64) -> F64:
    """``np.interp`` for sorted ``xp`` (numpy's own steps: the last knot at or below ``x``, ``fp[j]`` on a knot,
    ``slope * (x - xp[j]) + fp[j]`` between, retried from the right knot if that is nan)."""
    n, size = x.shape[0], xp.shape[0]
    out = np.empty(n, np.float64)
    for i in range(n):
        v = x[i]
        if np.isnan(v):
            out[i] = v
            continue
        if v < xp[0]:
            out[i] = fp[0]
            continue
        if v > xp[size - 1]:
            out[i] = fp[size - 1]
            continue
        lo, hi = 0, size  # the first knot above v, by bisection
        while lo < hi:
            mid = (lo + hi) >> 1
            if v >= xp[mid]:
                lo = mid + 1
            else:
                hi = mid
        j = lo - 1
        if j == size - 1 or xp[j] == v:
            out[i] = fp[j]
            continue
        slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j])
        r = slope * (v - xp[j]) + fp[j]
        if np.isnan(r):
            r = slope * (v - xp[j + 1]) + fp[j + 1]
            if np.isnan(r) and fp[j] == fp[j + 1]:
                r = fp[j]
        out[i] = r
    return out


def field_bits(pre: U64, c: np.uint64) -> U64:
    """``Draws.bits``: the finaliser's rest over ``pre ^ c`` (premixed keys, premixed field constant)."""
    out = np.empty(pre.shape[0], np.uint64)
    for i in range(pre.shape[0]):
        out[i] = _rest(pre[i] ^ c)
    return out


def field_uniform(pre: U64, c: np.uint64) -> F64:
    """``Draws.uniform``: 53 bits of each word as a float in [0, 1)."""
    out = np.empty(pre.shape[0], np.float64)
    for i in range(pre.shape[0]):
        out[i] = np.float64(_rest(pre[i] ^ c) >> _S11) * _INV_2_53
    return out


def field_integers(pre: U64, c: np.uint64, span: np.uint64, low: int) -> I64:
    """``Draws.integers``: the top 32 bits of each word scaled to ``span`` by multiply-shift, plus ``low``."""
    out = np.empty(pre.shape[0], np.int64)
    for i in range(pre.shape[0]):
        out[i] = np.int64(((_rest(pre[i] ^ c) >> _S32) * span) >> _S32) + low
    return out


def field_weighted(pre: U64, c: np.uint64, shift: np.uint64, mask: np.uint64, threshold: U64, alias: U64) -> I64:
    """``Draws.weighted``: the alias method on each word (top bits pick a column, the rest its alias or not)."""
    out = np.empty(pre.shape[0], np.int64)
    for i in range(pre.shape[0]):
        b = _rest(pre[i] ^ c)
        col = b >> shift
        out[i] = np.int64(col) if (b & mask) < threshold[col] else np.int64(alias[col])
    return out


def poisson_counts(u: F64, p0: F64, lam: F64, cap: int) -> I64:
    """``Draws.poisson`` by inversion given the uniforms and ``exp(-lam)``: the first ``k`` with ``u < P(N <= k)``,
    at most ``cap``, each term ``p * (lam / k)`` as the numpy path multiplies it."""
    out = np.empty(u.shape[0], np.int64)
    for i in range(u.shape[0]):
        p = p0[i]
        cdf = p
        k = 0
        while k < cap and u[i] >= cdf:
            k += 1
            p *= lam[i] / k
            cdf += p
        out[i] = k
    return out


def field_normal(pre: U64, c: np.uint64, normal_pairs: F64) -> tuple[F64, I64, F64]:
    """``Draws.normal`` but for the outermost cells: ``z``, and those rows with their probabilities (``log``
    is numpy's to take)."""
    n = pre.shape[0]
    z = np.empty(n, np.float64)
    edge_rows = np.empty(n, np.int64)
    edge_p = np.empty(n, np.float64)
    n_edge = 0
    for i in range(n):
        w = _rest(pre[i] ^ c)
        k = np.int64(w >> _S48)
        frac = np.float64(np.int64(w & _LOW48)) * _INV_2_48 + _HALF_CELL
        if k < _EXACT_CELLS or k >= _CELLS - _EXACT_CELLS:
            edge_rows[n_edge] = i
            edge_p[n_edge] = (np.float64(k) + frac) / _CELLS
            n_edge += 1
            z[i] = 0.0
        else:
            z[i] = normal_pairs[k, 1] * frac + normal_pairs[k, 0]
    return z, edge_rows[:n_edge], edge_p[:n_edge]


__all__ = [
    "child_rows",
    "civil_from_days",
    "everyday_amounts",
    "everyday_rows",
    "field_bits",
    "field_integers",
    "field_normal",
    "field_uniform",
    "field_weighted",
    "interp",
    "join_strings",
    "keyed_rows",
    "newest_first",
    "poisson_counts",
]
