"""Worker processes for the cold parts of big runs: parsing files, and rendering
and writing article pages.

Used only past a few hundred items (below that, starting processes costs more
than it saves) and with more than one worker. The workers are forked: they
inherit everything this process has built, so a task is any function, nothing
of it is sent to them, and only results come back, in input order, so the
output is identical to the serial path (tests/test_parallel.py).
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Sequence
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

    def forks(self, items: int) -> bool:
        """Will this many items be handed to worker processes?"""
        threshold = THRESHOLD if self.threshold is None else self.threshold
        return self.count > 1 and items >= threshold and "fork" in multiprocessing.get_all_start_methods()

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
        own (big ones, dealt to the workers in turn). Returns the chunks' results
        in order, and what ``meanwhile`` returned.
        """
        if not self.forks(count):
            return [task(range(count))], meanwhile()
        size = max(16, (count - alone) // (self.count * 8))
        spans = [range(i, i + 1) for i in range(alone)]
        spans += [range(start, min(count, start + size)) for start in range(alone, count, size)]
        context = multiprocessing.get_context("fork")
        # Objects built so far are left out of garbage collection until the end:
        # a collection touches every object, which would copy the parent's memory
        # into each forked worker page by page.
        gc.freeze()
        workers = []
        try:
            for k in range(self.count):
                receive, send = context.Pipe(duplex=False)
                process = context.Process(target=_work, args=(task, spans[k :: self.count], send), daemon=True)
                process.start()
                send.close()
                workers.append((process, receive))
            other = meanwhile()
            results: list[Any] = [None] * len(spans)
            for k, (_, receive) in enumerate(workers):
                try:
                    outcome, value = receive.recv()
                except EOFError:
                    raise BriefingsError(WORKER_DIED) from None
                if outcome == "raised":
                    raise value
                results[k :: self.count] = value
            return results, other
        finally:
            for process, receive in workers:
                receive.close()
                if process.is_alive():
                    process.kill()
                process.join()
            gc.unfreeze()


def _work(task: Callable[[range], Any], spans: list[range], send: Connection) -> None:
    """In a worker: run the task over its spans and send back the results (or what it raised)."""
    try:
        message: tuple[str, Any] = ("done", [task(span) for span in spans])
    except BaseException as exc:  # noqa: BLE001 - sent to the parent, which raises it
        message = ("raised", exc)
    try:
        send.send(message)
    except Exception as exc:  # noqa: BLE001 - e.g. an exception that cannot be pickled
        send.send(("raised", BriefingsError(f"a worker process failed: {type(exc).__name__}: {exc}")))
    send.close()
