"""Whole files read and written with the fewest system calls.

A big archive reads ten thousand articles and writes more pages than that on
every cold run. Python's open() adds an fstat, an isatty ioctl and an lseek to
each file for its buffering; for whole-file reads and writes they are wasted.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import tempfile

_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)
_WRITE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
_OVERWRITE = os.O_WRONLY | getattr(os, "O_CLOEXEC", 0)


def read_bytes(path: str | os.PathLike[str]) -> tuple[bytes, os.stat_result]:
    """The file's bytes and its stat (taken on the open file, so they agree)."""
    fd = os.open(path, _READ)
    try:
        stat = os.fstat(fd)
        chunks = [os.read(fd, stat.st_size + 1)]
        while chunks[-1]:  # the file grew, or the size was not known
            chunks.append(os.read(fd, 1 << 20))
        return b"".join(chunks), stat
    finally:
        os.close(fd)


def write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    fd = os.open(path, _WRITE, 0o666)
    try:
        _write_all(fd, data)
    finally:
        os.close(fd)


def overwrite_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` over an existing file, in place: the same inode, cut to their length.
    No new file to allocate (on ext4 that is most of what writing a small page costs), but
    every link to the file sees the change: only for a file the caller alone links."""
    fd = os.open(path, _OVERWRITE)
    try:
        _write_all(fd, data)
        os.ftruncate(fd, len(data))
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def digest(data: bytes | str) -> str:
    """A short hash of some bytes (or text), to tell whether they changed."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def replace_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write a whole file atomically: into a temporary file beside it, then renamed over it,
    so a reader (or a mail sent meanwhile) never sees half of it. A link is followed (the file
    it names is replaced, the link kept); what is not a file (a pipe, /dev/stdout) is written
    to as it is, never replaced by a file."""
    path = os.path.realpath(path)
    with contextlib.suppress(OSError):
        if not stat.S_ISREG(os.stat(path).st_mode):
            with open(path, "wb") as out:
                out.write(data)
            return
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
