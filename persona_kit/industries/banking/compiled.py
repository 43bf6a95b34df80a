"""The banking transactions' steps done by the compiled kernels (:mod:`persona_kit.engine.kernels`).

Each function gives exactly what its numpy twin in :mod:`persona_kit.industries.banking.transactions`
gives (tests/test_engine_kernels.py compares the two byte for byte); only ``exp`` and the normal's
outermost cells (``log``) are left to numpy, as on the numpy path.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from persona_kit.engine.draws import F64, I64, U64, _normal_pairs, _ppf_tail, name_key
from persona_kit.engine.kernels import Kernels
from persona_kit.industries.banking.cashflow import Stream


@cache
def everyday_consts() -> U64:
    """The transactions table's name key and the premixed constants of the "category" and "amount#1" fields."""
    fields = [name_key("category"), name_key("amount#1")]
    return np.asarray([name_key("transactions"), *(f ^ (f >> 30) for f in fields)], dtype=np.uint64)


def everyday_stream(
    kern: Kernels,
    keys: U64,
    counts: I64,
    cum: F64,
    per_category: F64,
    pool_start: I64,
    median: F64,
    scale: F64,
    window: int,
) -> Stream:
    """The everyday stream of ``_everyday`` from its per-persona counts and scales, in two kernel passes."""
    parent, days, payee, cat, z, edge_rows, edge_p = kern.everyday_rows(
        keys, counts, everyday_consts(), cum[:-1], per_category, pool_start, _normal_pairs(), window
    )
    if edge_rows.size:
        z[edge_rows] = _ppf_tail(edge_p) * per_category[3][cat[edge_rows]]
    np.exp(z, out=z)
    amount = kern.everyday_amounts(z, parent, cat, median, scale)
    return Stream(parent, days, amount, payee)


Ordered = tuple[I64, I64, I64, F64, NDArray[Any], NDArray[Any], NDArray[Any]]


def newest_first(
    kern: Kernels,
    streams: list[Stream],
    payee: NDArray[Any],
    n: int,
    window: int,
    today: int,
    merchant_category: NDArray[Any],
    merchant_mcc: NDArray[Any],
    money: F64,
) -> Ordered | None:
    """Offsets, positions, days, local amounts, merchants, categories and MCCs of the joined streams, newest
    first per persona (a stable order); None if a row is out of range (the numpy path then decides)."""
    parent = np.concatenate([g.parent for g in streams])
    days_ago = np.concatenate([g.days_ago for g in streams])
    amount_usd = np.concatenate([g.amount_usd for g in streams])
    ok, *out = kern.newest_first(
        parent, days_ago, amount_usd, payee, n, window, today, merchant_category, merchant_mcc, money
    )
    if not ok:
        return None
    offsets, position, day, amount, merchant, category, mcc = out
    return offsets, position, day, amount, merchant, category, mcc


__all__ = ["everyday_consts", "everyday_stream", "newest_first"]
