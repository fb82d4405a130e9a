"""A process pool for the cold parts of big runs: parsing files and rendering bodies.

Used only past a few hundred items (below that, starting processes costs more
than it saves) and with more than one CPU. Results come back in input order,
so the output is identical to the serial path (tests/test_parallel.py).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")
THRESHOLD = 400


def workers() -> int:
    """Worker processes: BRIEFINGS_WORKERS if set (1 turns the pool off), else the CPUs we may use."""
    if os.environ.get("BRIEFINGS_WORKERS", "").isdigit():
        return max(1, int(os.environ["BRIEFINGS_WORKERS"]))
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def pmap(func: Callable[[T], R], items: Sequence[T], *, threshold: int = THRESHOLD) -> list[R]:
    """``[func(x) for x in items]``, in worker processes when it pays."""
    n = workers()
    if len(items) < threshold or n < 2:
        return [func(x) for x in items]
    # fork: the workers inherit the imported modules, so they start in milliseconds.
    context = multiprocessing.get_context("fork")
    chunk = max(16, len(items) // (n * 8))
    with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
        return list(pool.map(func, items, chunksize=chunk))
