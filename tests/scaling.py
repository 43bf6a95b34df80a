"""How running time grows with input size: the check that a parser stays linear on hostile input.

A wall-clock limit fails on a slow machine and passes a quadratic parser on a fast one; the ratio of
two sizes' times does neither. Eight times the input should cost about eight times as long (64 times
for a quadratic parser), so tests allow a generous 24 for noise and constant overheads.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

LINEAR_LIMIT = 24.0
"""The largest time ratio an 8x larger input may show and still count as linear (quadratic gives ~64)."""


def _cpu_time(run: Callable[[], object]) -> float:
    start = time.thread_time()  # CPU time of this thread: other processes on the machine barely move it
    run()
    return time.thread_time() - start


def growth(fn: Callable[[str], object], make: Callable[[int], str], small: int, large: int, repeat: int = 5) -> float:
    """CPU time of ``fn(make(large))`` over that of ``fn(make(small))``, each the best of ``repeat`` runs.

    The runs alternate between the sizes and the garbage collector is paused, so a burst of load
    or a collection hits neither size alone.
    """
    small_text, large_text = make(small), make(large)
    fn(small_text)  # warm caches (compiled patterns, extractors) outside the timing
    times: dict[str, list[float]] = {"small": [], "large": []}
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            times["small"].append(_cpu_time(lambda: fn(small_text)))
            times["large"].append(_cpu_time(lambda: fn(large_text)))
    finally:
        if enabled:
            gc.enable()
    return min(times["large"]) / max(min(times["small"]), 1e-4)  # below 0.1 ms a timer sees only noise


def fill(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters."""
    return (unit * (size // len(unit) + 1))[:size]
