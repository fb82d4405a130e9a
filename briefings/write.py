"""Write the generated Markdown tree: only files whose bytes changed, and
remove pages that are no longer generated, so the folder mirrors one build."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefings.errors import BriefingsError


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int
    changed: tuple[str, ...] = ()  # names written (new or different bytes), for incremental builds
    deleted: tuple[str, ...] = ()  # names removed


def write_pages(files: dict[str, str] | Iterable[tuple[str, str]], docs_dir: Path) -> WriteStats:
    """Write (path, text) pairs, a dict or a stream of them, under docs_dir."""
    docs_dir.mkdir(parents=True, exist_ok=True)
    unchanged = 0
    changed: list[str] = []
    wanted: set[Path] = set()
    folders: set[Path] = set()
    for name, text in files.items() if isinstance(files, dict) else files:
        target = safe_join(docs_dir, name)
        if target in wanted:
            raise BriefingsError(f"two generated pages would both be written to {name} (a bug in briefings)")
        wanted.add(target)
        data = text.encode("utf-8")
        try:
            if target.read_bytes() == data:
                unchanged += 1
                continue
            # Replace an existing page by rename, so a reader (serve) never sees half of it.
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
        except FileNotFoundError:
            if target.parent not in folders:
                target.parent.mkdir(parents=True, exist_ok=True)
                folders.add(target.parent)
            target.write_bytes(data)
        changed.append(name)
    deleted: list[str] = []
    for path in sorted(docs_dir.rglob("*"), reverse=True):  # children before parents
        if path.is_file() and path not in wanted:
            path.unlink()
            deleted.append(path.relative_to(docs_dir).as_posix())
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return WriteStats(len(changed), unchanged, len(deleted), tuple(sorted(changed)), tuple(sorted(deleted)))


def safe_join(base: Path, name: str) -> Path:
    """Join a generated page name onto ``base``, refusing anything that escapes it."""
    parts = PurePosixPath(name).parts
    if not parts or PurePosixPath(name).is_absolute() or any(p in ("..", "") for p in parts):
        raise BriefingsError(f"refusing to write {name!r} outside {base}")
    return base.joinpath(*parts)
