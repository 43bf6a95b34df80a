"""Memory for the joined arrays of a run of chunks, reused once nothing refers to it any more.

Every chunk of :func:`persona_kit.iter_population` is a fresh set of large arrays. Fresh memory is
page-faulted in on first write, and on a virtual machine whose freed memory goes back to the host
that first write costs several times the copy itself (measured on this project's 2-core VM: 1.2 GB
written into fresh memory 1.97 s, into memory the process had used before 0.22 s). A pool owned by
one iteration hands out views of byte buffers it keeps; a buffer is handed out again only when no
array anywhere refers to it (every numpy view, pandas column or Arrow buffer made from it holds a
reference to it, so its reference count says whether the caller still uses the chunk). Chunks the
caller keeps are never touched: their buffers stay in use and the pool takes new ones.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import numpy as np
from numpy.typing import DTypeLike, NDArray

_UNUSED_REFS = 3
"""References to a buffer nobody else holds while :meth:`BufferPool.empty` looks at it: the pool's list,
the loop variable and ``sys.getrefcount``'s own argument (tests/test_engine_pool.py checks the count)."""


class BufferPool:
    """A source of uninitialised arrays that recycles buffers whose previous arrays are all gone."""

    def __init__(self) -> None:
        self._buffers: list[NDArray[np.uint8]] = []

    def empty(self, size: int, dtype: DTypeLike) -> NDArray[Any]:
        """An uninitialised array of ``size`` items of ``dtype``, like ``np.empty``."""
        kind = np.dtype(dtype)
        nbytes = max(size, 1) * kind.itemsize
        best: NDArray[np.uint8] | None = None
        spare: list[int] = []
        for i in range(len(self._buffers)):
            buffer = self._buffers[i]
            if sys.getrefcount(buffer) > _UNUSED_REFS:
                continue
            if buffer.nbytes >= nbytes:
                if best is None or buffer.nbytes < best.nbytes:
                    best = buffer
            else:
                spare.append(i)
        if best is None:
            # Free buffers too small for this request are dropped: the pool holds about what is in use.
            for i in reversed(spare):
                del self._buffers[i]
            best = np.empty(nbytes, dtype=np.uint8)
            self._buffers.append(best)
        out: NDArray[Any] = best[:nbytes].view(kind)[:size]
        return out


@contextmanager
def small_pages() -> Iterator[None]:
    """numpy's transparent-huge-page hint switched off while persona_kit fills a chunk, restored afterwards.

    numpy asks the kernel for huge pages (``madvise(MADV_HUGEPAGE)``) for every array of 4 MB or more.
    Where the kernel then compacts memory to find them (THP ``defrag`` set to ``madvise``, a common
    default), the first write into a fresh array can stall for seconds of kernel time. Measured on this
    project's 2-core VM, first-touching 1.2 GB took 0.36-10.6 s with the hint and 0.55-0.63 s without;
    one batch of 1,000,000 banking personas spent 6-10 s in the kernel with it and 0.5 s without. A
    population's arrays are written once, so ordinary pages are the predictable choice. The hint only
    affects speed, never values; it is numpy's process-wide setting (``NUMPY_MADVISE_HUGEPAGE``), so it
    is restored before control returns to the caller.
    """
    setter = _madvise_setter()
    if setter is None:
        yield
        return
    previous = setter(False)
    try:
        yield
    finally:
        setter(previous)


def _madvise_setter() -> Callable[[bool], bool] | None:
    """numpy's ``_set_madvise_hugepage`` (numpy 2), or None where this numpy has no such switch."""
    from numpy._core import multiarray

    return cast("Callable[[bool], bool] | None", getattr(multiarray, "_set_madvise_hugepage", None))


__all__ = ["BufferPool", "small_pages"]
