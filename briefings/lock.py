"""One build at a time per work folder.

Two builds of one project would write the same generated pages, cache and
staging folders at once. A build holds an exclusive lock on ``<work>/lock``
(``build/lock`` for builds, ``build/preview/lock`` for ``serve``) for its whole
run; the file says which process holds it. The lock is the operating system's
(``flock`` on POSIX, ``msvcrt.locking`` on Windows), so it is released when its
process ends however it ends: a lock left by a killed build is never in the
way, and the stale PID in the file is simply overwritten.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Self

from briefings.errors import BriefingsError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # None on Windows: each use checks
    import msvcrt


class BuildBusy(BriefingsError):
    """Another process holds the work folder's lock."""


class WorkLock:
    """``with WorkLock(folder, ...)``: hold the lock on ``folder/lock``.

    When another process holds it: with ``wait``, ``on_wait(pid)`` is called
    once and the lock is awaited; otherwise BuildBusy is raised."""

    def __init__(
        self,
        folder: Path,
        *,
        what: str = "build",
        wait: bool = True,
        on_wait: Callable[[int | None], None] = lambda pid: None,
    ):
        self.path = folder / "lock"
        self.what = what
        self.wait = wait
        self.on_wait = on_wait
        self._fd: int | None = None

    def __enter__(self) -> Self:
        folder = self.path.parent
        if os.path.lexists(folder) and not folder.is_dir():
            raise BriefingsError(
                f"{folder} is a file, not a folder (expected the folder where briefings keeps its work: "
                "move or rename that file)"
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise BriefingsError(f"cannot create the lock file {self.path}: {exc.strerror or exc}") from None
        try:
            if not _try_lock(fd):
                pid = holder(self.path)
                who = f" (PID {pid})" if pid else ""
                if not self.wait:
                    raise BuildBusy(
                        f"another {self.what} of this project is running{who}; wait for it to finish, or stop it"
                    )
                self.on_wait(pid)
                _lock(fd)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            with contextlib.suppress(OSError):
                os.ftruncate(fd, 0)  # nobody holds it now
            os.close(fd)  # closing releases the lock


def holder(path: Path) -> int | None:
    """The PID written in a lock file, if any."""
    try:
        text = path.read_text("ascii").strip()
    except (OSError, ValueError):
        return None
    return int(text) if text.isdigit() else None


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError:  # pragma: no cover - Windows reports a held lock as EACCES/EDEADLK
        if fcntl is None:
            return False
        raise
    return True


def _lock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_EX)
    else:  # pragma: no cover - Windows: LK_LOCK retries for 10 s, then fails
        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue
