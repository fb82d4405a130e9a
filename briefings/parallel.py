"""Worker processes for the cold parts of big runs: parsing files, and rendering
and writing article pages.

Used only past a few hundred items (below that, starting processes costs more
than it saves) and with more than one worker. The workers are forked: they
inherit everything this process has built, so a task is any function, nothing
of it is sent to them, and only results come back, in input order, so the
output is identical to the serial path (tests/test_parallel.py).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from briefings.errors import BriefingsError

T = TypeVar("T")
R = TypeVar("R")
S = TypeVar("S")
THRESHOLD = 400
WORKER_DIED = (
    "a worker process died (killed, or out of memory); nothing was published "
    "(run again, or with --workers 1 to work in one process)"
)


@dataclass(frozen=True)
class Workers:
    """``count`` worker processes (1: everything runs in this process)."""

    count: int = 1
    threshold: int | None = None  # fewer items are not worth the processes (default: THRESHOLD)

    def threshold_of(self) -> int:
        """The fewest items handed to worker processes."""
        return THRESHOLD if self.threshold is None else self.threshold

    def forks(self, items: int) -> bool:
        """Will this many items be handed to worker processes?"""
        return self.count > 1 and items >= self.threshold_of() and "fork" in multiprocessing.get_all_start_methods()

    def map(self, func: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[func(x) for x in items]``, in worker processes when it pays."""
        if not self.forks(len(items)):
            return [func(x) for x in items]
        results, _ = self.chunks(lambda span: [func(items[i]) for i in span], len(items), lambda: None)
        return [result for chunk in results for result in chunk]

    def chunks(
        self, task: Callable[[range], R], count: int, meanwhile: Callable[[], S], *, alone: int = 0
    ) -> tuple[list[R], S]:
        """``task`` over ``range(count)`` in chunks, and ``meanwhile()`` in this process.

        When it pays, the chunks run in forked workers while ``meanwhile`` runs
        here; ``task`` should do its work (write its files) where it runs and
        return only a little. The first ``alone`` items are each a chunk of their
        own (big ones, taken first). Returns the chunks' results in order, and
        what ``meanwhile`` returned; if chunks raised, what the first of them raised.
        """
        if not self.forks(count):
            return [task(range(count))], meanwhile()
        size = max(16, (count - alone) // (self.count * 8))
        spans = [range(i, i + 1) for i in range(alone)]
        spans += [range(start, min(count, start + size)) for start in range(alone, count, size)]
        context = multiprocessing.get_context("fork")
        # The next span to take: each worker takes one when it is free, so a worker never
        # waits for one that was dealt more work (spans differ: a digest of the whole archive,
        # a topic's page, a slice of long or short pages).
        taken = context.Value("l", 0)
        # Objects built so far are left out of garbage collection until the end:
        # a collection touches every object, which would copy the parent's memory
        # into each forked worker page by page.
        kept = gc.get_freeze_count()  # what the build froze (pipeline.collector_paused) stays so
        gc.freeze()
        workers = []
        try:
            for _ in range(self.count):
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_work, args=(task, spans, taken, send), daemon=True)
                with _interrupts_held():
                    process.start()
                send.close()
                workers.append((process, receive))
            other = meanwhile()
            results: list[Any] = [None] * len(spans)
            failed: list[tuple[int, BaseException]] = []
            for _, receive in workers:
                try:
                    outcome, value = receive.recv()
                except EOFError:
                    raise BriefingsError(WORKER_DIED) from None
                if outcome == "raised":
                    failed.append(value)
                    continue
                for k, result in value:
                    results[k] = result
            if failed:
                raise min(failed, key=lambda pair: pair[0])[1]  # the first in order, as one process would
            return results, other
        finally:
            for process, receive in workers:
                receive.close()
                if process.is_alive():
                    process.kill()
                process.join()
            if not kept:
                gc.unfreeze()


@contextlib.contextmanager
def _interrupts_held() -> Iterator[None]:
    """Ctrl+C held back while a worker is forked, and taken after: landing in a fork's handlers
    (logging's), it was lost and left logging's lock held, so a later fork (Pagefind's run) waited
    for it forever. The worker starts with it held too, and ignores it (``_work``)."""
    held = hasattr(signal, "pthread_sigmask") and threading.current_thread() is threading.main_thread()
    if held:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def _work(task: Callable[[range], Any], spans: list[range], taken: Any, send: Connection) -> None:
    """In a worker: run the task over the spans it takes, one at a time, and send back the
    results by span (or the first span that raised, and what it raised). Ctrl+C is this
    process's parent's to handle (it stops the workers): a worker ignores it, so it never
    prints a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # held while forking (pending: dropped)
    done: list[tuple[int, Any]] = []
    k = -1
    try:
        while True:
            with taken.get_lock():
                k = taken.value
                taken.value = k + 1
            if k >= len(spans):
                break
            done.append((k, task(spans[k])))
        message: tuple[str, Any] = ("done", done)
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
        with taken.get_lock():
            taken.value = len(spans)  # the others take no more: the build stops
        message = ("raised", (k, exc))
    try:
        send.send(message)
    except Exception as exc:  # noqa: BLE001 - e.g. an exception that cannot be pickled
        send.send(("raised", (k, BriefingsError(f"a worker process failed: {type(exc).__name__}: {exc}"))))
    send.close()
