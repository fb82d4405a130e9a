"""Process pools for the cold parts of big runs: parsing files, and rendering
and writing article pages.

Used only past a few hundred items (below that, starting processes costs more
than it saves) and with more than one CPU. Results come back in input order,
so the output is identical to the serial path (tests/test_parallel.py).
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from briefings.errors import BriefingsError

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")
THRESHOLD = 400
WORKER_DIED = ("a worker process died (killed, or out of memory); nothing was published "
               "(run again, or with BRIEFINGS_WORKERS=1 to work in one process)")


def workers() -> int:
    """Worker processes: BRIEFINGS_WORKERS if set (1 turns the pool off), else the CPUs we may use.
    Where processes cannot fork (Windows), everything runs in this one."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
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
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=context) as pool:
            return list(pool.map(func, items, chunksize=chunk))
    except BrokenProcessPool:
        raise BriefingsError(WORKER_DIED) from None


_TASK: Callable[[range], Any] | None = None  # set in the parent just before the workers fork


def _run_task(bounds: tuple[int, int]):
    assert _TASK is not None
    return _TASK(range(*bounds))


def fork_chunks(task: Callable[[range], R], count: int, meanwhile: Callable[[], S], *,
                threshold: int = THRESHOLD) -> tuple[list[R], S]:
    """``task`` over ``range(count)`` in chunks, and ``meanwhile()`` in this process.

    When it pays, the chunks run in forked workers while ``meanwhile`` runs
    here. The workers inherit everything this process has built, so nothing
    but two integers is sent to them; ``task`` should do its work (write its
    files) where it runs and send back only a little. Returns the chunks'
    results in order, and what ``meanwhile`` returned.
    """
    global _TASK
    n = workers()
    if count < threshold or n < 2:
        return [task(range(count))], meanwhile()
    size = max(16, count // (n * 8))
    bounds = [(start, min(count, start + size)) for start in range(0, count, size)]
    _TASK = task
    # Objects built so far are left out of garbage collection until the end:
    # a collection touches every object, which would copy the parent's memory
    # into each forked worker page by page.
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("fork")) as pool:
            results = pool.map(_run_task, bounds)  # all submitted now; the workers start
            other = meanwhile()
            return list(results), other
    except BrokenProcessPool:
        raise BriefingsError(WORKER_DIED) from None
    finally:
        _TASK = None
        gc.unfreeze()
