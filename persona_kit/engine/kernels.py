"""Compiled kernels for the biggest batches (the ``fast`` extra: Numba), and when to use them.

The kernels (:mod:`persona_kit.engine.loops`) give the numpy path's bytes, and the numpy path stays
the fallback when Numba is not installed (tests/test_engine_kernels.py compares both, byte for byte).
Numba is imported only when a block big enough to repay it is generated (:data:`MIN_PERSONAS`); the
compiled code is cached on disk (``cache=True``: ``persona_kit/engine/__pycache__``, else Numba's
user cache directory, or ``NUMBA_CACHE_DIR``).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]

MIN_PERSONAS = 16_384
"""Blocks of fewer personas use the numpy path: Numba's import and a cache load cost about a
second once per process, which a small notebook batch should never wait for."""


@dataclass(frozen=True)
class Kernels:
    """The compiled kernels, each field the function of :mod:`persona_kit.engine.loops` of the same name."""

    everyday_rows: Callable[..., tuple[I64, I64, I64, NDArray[np.intp], F64, I64, F64]]
    everyday_amounts: Callable[[F64, I64, NDArray[np.intp], F64, F64], F64]
    newest_first: Callable[..., tuple[bool, I64, I64, I64, F64, NDArray[Any], NDArray[Any], NDArray[Any]]]
    keyed_rows: Callable[[I64, I64, I64, I64, I64, F64, I64], tuple[I64, I64, F64, I64]]
    join_strings: Callable[[I64, I64, NDArray[np.uint8]], tuple[bool, I64, NDArray[np.uint8]]]
    field_bits: Callable[[U64, np.uint64], U64]
    child_rows: Callable[[U64, I64, np.uint64], tuple[I64, I64, U64, I64]]
    field_uniform: Callable[[U64, np.uint64], F64]
    field_integers: Callable[[U64, np.uint64, np.uint64, int], I64]
    field_normal: Callable[[U64, np.uint64, F64], tuple[F64, I64, F64]]
    field_weighted: Callable[[U64, np.uint64, np.uint64, np.uint64, U64, U64], I64]
    poisson_counts: Callable[[F64, F64, F64, int], I64]
    civil_from_days: Callable[[I64], tuple[bool, I64, I64, I64]]
    interp: Callable[[F64, F64, F64], F64]


_LOCK = threading.Lock()
_LOADED: list[bool] = []
"""Not empty once :func:`compiled` has loaded Numba in this process."""

DISABLE_ENV = "PERSONA_KIT_NO_NUMBA"
"""Set (to anything but empty or 0) to use the numpy path even with Numba installed."""


@cache
def compiled() -> Kernels | None:
    """The kernels compiled by Numba (loaded from its cache when there), or None without the ``fast`` extra."""
    if os.environ.get(DISABLE_ENV, "") not in ("", "0"):
        return None
    try:
        import numba
    except ImportError:
        return None
    from persona_kit.engine import loops

    with _LOCK:
        # The word helpers are compiled inline into every kernel, which find them as the module's globals.
        for helper in ("_rest", "_mix"):
            plain = getattr(loops, helper)
            setattr(loops, helper, numba.njit(inline="always")(getattr(plain, "py_func", plain)))
        # error_model="numpy": a division by zero gives inf or nan, as in numpy, instead of raising.
        try:
            jit = numba.njit(cache=True, nogil=True, error_model="numpy")
            kernels = {f.name: jit(getattr(loops, f.name)) for f in fields(Kernels)}
        except RuntimeError:  # no writable cache directory anywhere: compile in memory, once per process
            jit = numba.njit(nogil=True, error_model="numpy")
            kernels = {f.name: jit(getattr(loops, f.name)) for f in fields(Kernels)}
        _LOADED.append(True)
    return Kernels(**kernels)


DRAW_ROWS = 1024
"""Draws over at least this many rows use the kernels once a big block has loaded them (:func:`active`)."""


def active(n: int) -> Kernels | None:
    """The kernels for ``n`` rows of draws if a big block has already loaded them, else None: draws never
    import Numba themselves, so small batches keep the numpy path and its short start."""
    return compiled() if n >= DRAW_ROWS and _LOADED else None


def interp(x: F64, xp: F64 | list[float], fp: F64 | list[float]) -> F64:
    """``np.interp(x, xp, fp)`` for a sorted grid, by a kernel for big arrays once the kernels are loaded."""
    kern = active(int(np.shape(x)[0])) if np.ndim(x) == 1 else None
    xs, fs = np.asarray(xp, dtype=np.float64), np.asarray(fp, dtype=np.float64)
    if kern is None or xs.ndim != 1 or xs.shape != fs.shape or xs.shape[0] < 2 or (np.diff(xs) < 0).any():
        out: F64 = np.interp(x, xs, fs)
        return out
    return kern.interp(np.ascontiguousarray(x, dtype=np.float64), xs, fs)


def for_block(n: int) -> Kernels | None:
    """The kernels for a block of ``n`` personas: None (the numpy path) below :data:`MIN_PERSONAS`."""
    return compiled() if n >= MIN_PERSONAS else None


__all__ = ["DISABLE_ENV", "DRAW_ROWS", "MIN_PERSONAS", "Kernels", "active", "compiled", "for_block", "interp"]
