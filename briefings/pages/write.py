"""Write the generated Markdown tree: only files whose bytes changed, and
remove pages that are no longer generated, so the folder mirrors one build.

Paths are plain strings and os calls here, not pathlib: a big archive writes
tens of thousands of files, and this is called for each of them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefings.errors import BriefingsError
from briefings.fileio import read_bytes, write_bytes


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    changed: tuple[str, ...] = ()  # names written (new or different bytes), for incremental builds
    deleted: tuple[str, ...] = ()  # names removed
    keys: Mapping[str, str] = field(default_factory=dict)  # article page -> the key of what it was made from


def finish(docs_dir: Path, names: list[str], changed: list[str]) -> WriteStats:
    """Once every page is written: check that no two had the same name, remove
    the files no longer generated, and count."""
    wanted = set(names)
    if len(wanted) != len(names):
        twice = sorted(n for n in wanted if names.count(n) > 1)[0]
        raise BriefingsError(f"two generated pages would both be written to {twice} (a bug in briefings)")
    deleted = remove_others(str(docs_dir), wanted)
    return WriteStats(
        len(changed), len(names) - len(changed), len(deleted), tuple(sorted(changed)), tuple(sorted(deleted))
    )


def write_file(base: str, name: str, text: str, *, fresh: bool = False) -> bool:
    """Write one page under the folder ``base`` if its bytes changed; True if written.
    ``fresh``: ``base`` was empty, so there is nothing to compare with."""
    target = safe_join(base, name)
    data = text.encode("utf-8")
    if not fresh:
        try:
            if read_bytes(target)[0] == data:
                return False
            # Replace an existing page by rename, so a reader (serve) never sees half of it.
            folder, leaf = os.path.split(target)
            tmp = os.path.join(folder, f".{leaf}.tmp")
            write_bytes(tmp, data)
            os.replace(tmp, target)
            return True
        except FileNotFoundError:
            pass
    try:
        write_bytes(target, data)
    except FileNotFoundError:  # its folder is new
        os.makedirs(os.path.dirname(target), exist_ok=True)
        write_bytes(target, data)
    return True


def remove_others(base: str, wanted: set[str]) -> list[str]:
    """Delete files under ``base`` whose name is not in ``wanted``, then empty folders."""
    deleted: list[str] = []
    prefix = len(base) + 1
    for folder, _dirs, files in os.walk(base, topdown=False):  # children before parents
        rel = folder[prefix:].replace(os.sep, "/")
        for leaf in files:
            name = f"{rel}/{leaf}" if rel else leaf
            if name not in wanted:
                os.unlink(os.path.join(folder, leaf))
                deleted.append(name)
        if rel and not os.listdir(folder):
            os.rmdir(folder)
    return deleted


def safe_join(base: str | Path, name: str) -> str:
    """Join a generated page name onto ``base``, refusing anything that escapes it."""
    parts = name.split("/")
    if not name or name.startswith("/") or "\\" in name or any(p in ("..", "", ".") for p in parts):
        raise BriefingsError(f"refusing to write {name!r} outside {base}")
    return os.path.join(str(base), *parts)
