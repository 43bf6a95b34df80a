"""Chunks lend their memory to later chunks only once the caller has let go of them, and rows never change."""

from __future__ import annotations

import gc
from typing import ClassVar

import numpy as np
import pandas as pd
import pytest

import persona_kit.generate as generate_module
import persona_kit.industries.banking.transactions as transactions_module
from persona_kit import generate_population, iter_population
from persona_kit.engine.pool import BufferPool


def _same(a: generate_module.Population, b: generate_module.Population) -> None:
    pd.testing.assert_frame_equal(a.personas, b.personas)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])


def test_a_buffer_is_lent_again_only_when_no_array_refers_to_it() -> None:
    pool = BufferPool()
    first = pool.empty(1000, np.int64)
    view = first[10:20].view(np.float64)
    del first
    second = pool.empty(1000, np.int64)
    assert not np.shares_memory(view, second)  # a view of the first array still holds its buffer
    del view, second
    third = pool.empty(500, np.int16)
    assert third.shape == (500,) and third.dtype == np.int16
    assert len(pool._buffers) == 2  # the freed buffers were reused, none added


class _Counting(BufferPool):
    made: ClassVar[list[_Counting]] = []

    def __init__(self) -> None:
        super().__init__()
        _Counting.made.append(self)


@pytest.mark.parametrize("keep", [False, True])
def test_chunks_kept_or_dropped_equal_their_own_populations(keep: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # Small blocks and steps, so that every chunk is joined from several blocks of several parts.
    monkeypatch.setattr(generate_module, "WORK_BLOCK", 700)
    monkeypatch.setattr(transactions_module, "TX_BLOCK", 300)
    monkeypatch.setattr(generate_module, "BufferPool", _Counting)
    _Counting.made.clear()
    size, kept, sizes = 1500, [], []
    for i, chunk in enumerate(iter_population("banking", 6 * size, 5, chunk_size=size)):
        _same(chunk, generate_population("banking", size, 5, start=i * size))
        if keep:
            kept.append(chunk)
        del chunk
        gc.collect()
        sizes.append(len(_Counting.made[0]._buffers))
    for i, chunk in enumerate(kept):  # chunks the caller kept were never written over
        _same(chunk, generate_population("banking", size, 5, start=i * size))
    if keep:
        assert sizes[-1] > sizes[1]
    else:
        assert sizes[-1] <= 2 * sizes[0]  # dropped chunks' memory is lent on: the pool stays about two chunks


def test_numpy_huge_page_hint_is_off_while_filling_and_restored_for_the_caller(monkeypatch: pytest.MonkeyPatch) -> None:
    from numpy._core import multiarray

    seen: list[bool] = []
    join = generate_module.join_batches

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(multiarray._get_madvise_hugepage())
        return join(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(generate_module, "join_batches", spy)
    before = multiarray._get_madvise_hugepage()
    for _ in iter_population("banking", 30, 1, chunk_size=10):
        assert multiarray._get_madvise_hugepage() == before  # the caller's setting between chunks
    assert seen == [False, False, False]
    assert multiarray._get_madvise_hugepage() == before
