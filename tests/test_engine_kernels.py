"""The compiled kernels (the ``fast`` extra, Numba) give the numpy path's tables byte for byte, and without
Numba the numpy path runs and ``import persona_kit`` never loads it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib.util
import os
import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest
from numpy.typing import NDArray

import persona_kit.engine.kernels as kernels
from persona_kit import generate_population, iter_population, supported_locales
from persona_kit.engine.dates import ymd
from persona_kit.engine.draws import Draws, cumulative, row_keys
from persona_kit.generate import Population
from persona_kit.modes import BUILTIN_MODE_IDS

N = kernels.MIN_PERSONAS + 1_000  # one block on the compiled path and, with the default block size, no other


def _column_bytes(col: pd.Series[Any]) -> tuple[str, bytes, bytes]:
    """A column's dtype and its exact bytes (codes and categories for categoricals, -0.0 told from 0.0)."""
    if isinstance(col.dtype, pd.CategoricalDtype):
        cats = np.asarray(col.cat.categories.astype(str), dtype=object)
        return str(col.dtype), np.asarray(col.cat.codes).tobytes(), "\x00".join(cats).encode()
    values = col.to_numpy()
    if values.dtype == object or not isinstance(values, np.ndarray):
        return str(col.dtype), b"", "\x00".join("" if v is None else str(v) for v in values).encode()
    return str(col.dtype), np.ascontiguousarray(values).tobytes(), b""


def _table_bytes(pop: Population) -> dict[str, dict[str, tuple[str, bytes, bytes]]]:
    frames = {"personas": pop.personas, **pop.tables}
    return {name: {c: _column_bytes(df[c]) for c in df.columns} for name, df in frames.items()}


def _numpy_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kernels, "compiled", lambda: None)


needs_numba = pytest.mark.skipif(
    importlib.util.find_spec("numba") is None or os.environ.get(kernels.DISABLE_ENV, "") not in ("", "0"),
    reason="needs the fast extra (numba)",
)


@needs_numba
@pytest.mark.parametrize(
    ("seed", "locale", "start", "as_of"),
    [(7, "en_US", 0, dt.date(2026, 7, 1)), ("kernels", "de_DE", 3_000_000, dt.date(2025, 3, 31))],
)
def test_compiled_and_numpy_paths_give_identical_bytes(
    seed: int | str, locale: str, start: int, as_of: dt.date, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = generate_population("banking", N, seed, start=start, locale=locale, as_of=as_of)
    _numpy_path(monkeypatch)
    slow = generate_population("banking", N, seed, start=start, locale=locale, as_of=as_of)
    assert len(fast.tables["recent_transactions"]) > 15 * N
    fast_bytes, slow_bytes = _table_bytes(fast), _table_bytes(slow)
    assert fast_bytes.keys() == slow_bytes.keys()
    for name in fast_bytes:
        assert fast_bytes[name] == slow_bytes[name], name


@needs_numba
@pytest.mark.parametrize("mode", BUILTIN_MODE_IDS)
@pytest.mark.parametrize("locale", supported_locales())
def test_every_mode_and_locale_builds_the_same_strings_compiled(
    mode: str, locale: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Identity strings (names, e-mails, phones, streets) are joined by a kernel in every mode."""
    fast = generate_population(mode, N, "strings", locale=locale)
    _numpy_path(monkeypatch)
    slow = generate_population(mode, N, "strings", locale=locale)
    assert _table_bytes(fast) == _table_bytes(slow)


@needs_numba
def test_draws_are_the_same_with_and_without_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = row_keys(12345, np.arange(200_000, dtype=np.uint64))
    lam = np.linspace(0.0, 30.0, keys.shape[0])
    assert kernels.compiled() is not None

    def all_draws() -> list[NDArray[Any]]:
        d = Draws(keys)
        return [
            d.bits("b"), d.uniform("u"), d.integers("i", -3, 1_000_003), d.normal("z"), d.lognormal("m", 50.0, 0.7),
            d.weighted("w", cumulative([0.2, 0.5, 0.3])), d.weighted("w39", cumulative([w / 7 for w in range(1, 40)])),
            *(d.poisson(f"p{cap}", lam, cap) for cap in (0, 1, 3, 40)),
        ]  # fmt: skip

    fast = all_draws()
    z = fast[3]
    assert np.count_nonzero(np.abs(z) > 3.9) > 5, "the outermost cells, computed exactly, are exercised"
    _numpy_path(monkeypatch)
    slow = all_draws()
    for a, b in zip(fast, slow, strict=True):
        assert a.dtype == b.dtype
        assert a.tobytes() == b.tobytes()


@needs_numba
def test_interp_is_numpys() -> None:
    real = kernels.compiled()
    assert real is not None
    rng = np.random.default_rng(5)
    grids = [np.sort(rng.normal(size=2000)), np.asarray([0.0, 1.0, 1.0, 2.0, 5.0]), np.asarray([300.0, 580.0, 851.0])]
    for xp in grids:
        fp = np.cumsum(rng.random(xp.shape[0]))
        fp[1] = fp[2] if xp.shape[0] > 3 else fp[1]  # a flat piece
        x = np.concatenate([rng.uniform(xp[0] - 1, xp[-1] + 1, 50_000), xp, [np.nan, np.inf, -np.inf, xp[-1]]])
        assert real.interp(x, xp, fp).tobytes() == np.interp(x, xp, fp).tobytes()
    with_inf = np.asarray([0.0, 1.0, 2.0]), np.asarray([0.0, np.inf, 1.0])
    x = np.linspace(-1, 3, 1001)
    assert real.interp(x, *with_inf).tobytes() == np.interp(x, *with_inf).tobytes()


@needs_numba
def test_calendar_is_the_same_with_and_without_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    days = np.concatenate([np.arange(-800_000, 800_000, 7), [-(1 << 41), 1 << 41]]).astype("datetime64[D]")
    with_nat = days.copy()
    with_nat[5] = np.datetime64("NaT")
    assert kernels.compiled() is not None
    fast = [ymd(days), ymd(with_nat), ymd(days[:-2])]
    _numpy_path(monkeypatch)
    slow = [ymd(days), ymd(with_nat), ymd(days[:-2])]
    for a, b in zip(fast, slow, strict=True):
        assert all(x.tobytes() == y.tobytes() for x, y in zip(a, b, strict=True))


@needs_numba
def test_without_a_writable_cache_the_kernels_compile_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    import numba

    real_njit = numba.njit

    def no_cache(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("cache"):
            msg = "cannot cache function: no locator available"  # what Numba raises with nowhere to write
            raise RuntimeError(msg)
        return real_njit(*args, **kwargs)

    monkeypatch.setattr(numba, "njit", no_cache)
    uncached = kernels.compiled.__wrapped__()
    assert uncached is not None
    pre = np.arange(5000, dtype=np.uint64)
    expected = kernels.compiled()
    assert expected is not None
    assert uncached.field_uniform(pre, np.uint64(7)).tobytes() == expected.field_uniform(pre, np.uint64(7)).tobytes()


@needs_numba
def test_kernels_run_only_for_big_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    assert kernels.for_block(kernels.MIN_PERSONAS - 1) is None
    assert kernels.for_block(kernels.MIN_PERSONAS) is kernels.compiled()
    calls: list[int] = []
    real = kernels.compiled()
    assert real is not None

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real.newest_first(*args)

    spy = dataclasses.replace(real, newest_first=counting)
    monkeypatch.setattr(kernels, "compiled", lambda: spy)
    generate_population("banking", 1_000, 3)
    assert calls == []
    next(iter_population("banking", N, 3, chunk_size=N))
    assert calls


@needs_numba
def test_out_of_range_rows_are_reported_not_written() -> None:
    real = kernels.compiled()
    assert real is not None
    codes, money = np.zeros(4, dtype=np.int8), np.asarray([1.0, 100.0, 0.01])
    rows = (np.zeros(2), np.zeros(2, dtype=np.int8))
    ok, *_ = real.newest_first(np.asarray([0, 1]), np.asarray([0, 29]), *rows, 2, 30, 0, codes, codes, money)
    assert ok
    for parent, days_ago in (([0, 2], [0, 1]), ([0, 1], [0, 30]), ([0, 1], [-1, 0])):
        ok, *_ = real.newest_first(np.asarray(parent), np.asarray(days_ago), *rows, 2, 30, 0, codes, codes, money)
        assert not ok, (parent, days_ago)
    ok, *_ = real.join_strings(np.asarray([[0, 3]]), np.asarray([0, 1, 2, 3]), np.zeros(3, dtype=np.uint8))
    assert not ok


def test_without_numba_the_numpy_path_runs_and_import_never_loads_it() -> None:
    code = """
import sys
class Hide:
    def find_spec(self, name, path=None, target=None):
        if name == "numba" or name.startswith("numba."):
            raise ImportError("numba hidden")
sys.meta_path.insert(0, Hide())
import persona_kit
assert "numba" not in sys.modules
from persona_kit.engine import kernels
assert kernels.compiled() is None
pop = persona_kit.generate_population("banking", kernels.MIN_PERSONAS + 10, 5)
assert len(pop.tables["recent_transactions"]) > 0
print("ok")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_small_batches_never_import_numba() -> None:
    code = """
import sys, persona_kit
persona_kit.generate_population("banking", 1000, 5)
persona_kit.generate_persona("banking", 5, index=3)
print("numba" in sys.modules)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
