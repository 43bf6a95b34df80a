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
from typing import Any

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


__all__ = ["BufferPool"]
