"""What a build keeps between runs, and where: one object, one layout.

The build folder (``build/``; ``build/preview/`` for `briefings serve`, with the
same layout) holds::

    docs/                       the generated Markdown tree: the engine's docs_dir
    cache/generate-NN.pickle    parsed articles, by file (checked by size and
                                mtime, then by a hash of the bytes), in SHARDS
                                files by a hash of the path: an edit rewrites one
    cache/generate.fingerprint  everything the generated pages depend on, stored
                                once they are all written: a run with the same
                                inputs renders and writes nothing
    cache/generate.keys         each article page's key and related picks, and
                                each topic's and person's pages' key
                                (pages/emit.py), stored with the fingerprint: a
                                page whose key is the same is not rendered again
    cache/site.json             what the site folder was last built from: the
                                site key, the folder, each page's size and mtime,
                                the page count, the site's bytes, and where the
                                spare copy of the previous site differs from it
    incremental/                scratch space of an incremental site build
    lock                        held by the build that is running (lock.py)

Each record is removed before the work it vouches for starts, and written once
that work is done, so a build that fails or is killed halfway is never taken
for a finished one. Everything here is derived: deleting ``build/`` is always
safe. A change of briefings' version, of topics.yml or of the file size limit
empties the article cache.
"""

from __future__ import annotations

import dataclasses
import json
import os
import pickle
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefings import __version__
from briefings.content.model import Article, Image, Outlet, Quote
from briefings.fileio import digest, read_bytes

SCHEMA = 7  # 6: story: and the outlet; 7: files known by their ctime and inode too
SHARDS = 16  # files the parsed articles are kept in


def shard_of(rel: str) -> int:
    return zlib.crc32(rel.encode("utf-8")) % SHARDS


def _shape() -> tuple[Any, ...]:
    """What pickled articles must match: a changed Article (or Quote...) empties the cache."""
    return SCHEMA, tuple(
        (cls.__name__, tuple(f.name for f in dataclasses.fields(cls))) for cls in (Article, Quote, Image, Outlet)
    )


@dataclass
class Entry:
    size: int
    mtime_ns: int
    digest: str
    article: Article
    # With size and mtime, what a restore tool that puts an old mtime back (touch -r, rsync -t)
    # or a link pointed at another file cannot keep: a file whose stamp differs is hashed.
    ctime_ns: int = 0
    ino: int = 0

    def stamped(self, stat: os.stat_result) -> bool:
        return (self.size, self.mtime_ns, self.ctime_ns, self.ino) == (
            stat.st_size,
            stat.st_mtime_ns,
            stat.st_ctime_ns,
            stat.st_ino,
        )

    def restamp(self, stat: os.stat_result) -> None:
        self.mtime_ns, self.ctime_ns, self.ino = stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


@dataclass(frozen=True)
class SiteRecord:
    """What the site folder was last built from."""

    key: str  # everything but the pages that every page's HTML depends on
    target: Path
    files: dict[str, list[int]]  # generated file -> [size, mtime_ns]
    pages: int | None = None  # HTML pages in the site (Pagefind's left out); None: not counted
    spare: tuple[str, ...] | None = None  # site files in which the spare copy of the previous site differs
    size: int | None = None  # bytes of the site's files, counted by the last build of every page; None: not counted
    day: str | None = None  # the build date's day its pages show (engine/incremental.py); None: not known
    # The day the spare's pages show in their footer, when not ``day``: a build that wrote a new
    # day into every page leaves the spare as the previous site (engine/incremental.py).
    spare_day: str | None = None


class BuildCache:
    """The build folder's reusable state. ``BuildCache(None, ...)`` keeps it in
    memory only (tests, one-off checks): nothing is read or written."""

    def __init__(self, folder: Path | None, *, key: str = "", root: Path = Path(".")):
        self.folder = folder
        self.key = key  # version, topics.yml and limits: parsed articles are only valid under the same
        self.root = root  # article paths are relative to it
        self.articles: dict[str, Entry] = {}
        self.fingerprint = ""
        self._dirty: set[int] = set(range(SHARDS)) if folder is not None else set()  # shards to save
        if folder is not None:
            self._load()

    @classmethod
    def open(cls, build_dir: Path, *, key: str, root: Path) -> BuildCache:
        return cls(build_dir, key=key, root=root)

    # --- layout ---

    def _path(self, name: str) -> Path:
        assert self.folder is not None
        return self.folder / "cache" / name

    @property
    def scratch(self) -> Path:
        """A folder for an incremental build's work, emptied by whoever uses it."""
        assert self.folder is not None
        return self.folder / "incremental"

    def _load(self) -> None:
        for shard in range(SHARDS):
            try:
                with open(self._path(f"generate-{shard:02}.pickle"), "rb") as fd:
                    schema, version, stored_key, articles = pickle.load(fd)
            except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
                continue
            if (schema, version, stored_key) == (_shape(), __version__, self.key) and isinstance(articles, dict):
                self.articles.update(articles)
                self._dirty.discard(shard)
        if self._dirty:
            return  # not all kept: a first run, or another version
        try:
            self.fingerprint = self._path("generate.fingerprint").read_text("ascii").strip()
        except (OSError, ValueError):
            self.fingerprint = ""

    # --- parsed articles ---

    def article(self, rel: str, stat: os.stat_result) -> Article | None:
        """The cached article for ``rel`` if the file is unchanged: same size, mtime, ctime
        and inode, or else the same bytes (a file touched, or checked out again, not changed)."""
        entry = self.articles.get(rel)
        if entry is None:
            return None
        if entry.stamped(stat):
            return entry.article
        try:
            same = entry.size == stat.st_size and entry.digest == digest(read_bytes(os.path.join(self.root, rel))[0])
        except OSError:
            return None
        if same:
            entry.restamp(stat)
            self._dirty.add(shard_of(rel))
            return entry.article
        return None

    def keep(self, rel: str, stat: os.stat_result, file_digest: str, article: Article) -> None:
        self.articles[rel] = Entry(stat.st_size, stat.st_mtime_ns, file_digest, article, stat.st_ctime_ns, stat.st_ino)
        self._dirty.add(shard_of(rel))

    def update(self, rel: str, article: Article) -> None:
        """The article of a kept file, completed after parsing (its outlet)."""
        self.articles[rel].article = article
        self._dirty.add(shard_of(rel))

    def forget_missing(self, present: set[str]) -> None:
        for rel in set(self.articles) - present:
            del self.articles[rel]
            self._dirty.add(shard_of(rel))

    def save_articles(self) -> None:
        """Store the parsed articles of the shards that changed."""
        if self.folder is None or not self._dirty:
            return
        shards: dict[int, dict[str, Entry]] = {shard: {} for shard in self._dirty}
        for rel, entry in self.articles.items():
            if (shard := shard_of(rel)) in shards:
                shards[shard][rel] = entry
        for shard, entries in sorted(shards.items()):
            data = pickle.dumps((_shape(), __version__, self.key, entries), protocol=pickle.HIGHEST_PROTOCOL)
            _write_atomically(self._path(f"generate-{shard:02}.pickle"), data)
        self._path("generate.pickle").unlink(missing_ok=True)  # the one file of earlier versions
        self._dirty.clear()

    # --- the generated pages ---

    def pages_current(self, fingerprint: str, docs_dir: Path) -> bool:
        """Are the generated pages exactly what these inputs give?"""
        return fingerprint == self.fingerprint and docs_dir.is_dir()

    def page_keys(self) -> dict[str, str]:
        """Each article page's key, as stored with the last complete generation (else none)."""
        if self.folder is None or not self.fingerprint:
            return {}
        try:
            with open(self._path("generate.keys"), "rb") as fd:
                version, keys = pickle.load(fd)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            return {}
        return keys if version == __version__ and isinstance(keys, dict) else {}

    def pages_changing(self) -> None:
        """Before pages are written: until they all are, no run is a no-op, and no page's key holds."""
        self.fingerprint = ""
        if self.folder is not None:
            self._path("generate.fingerprint").unlink(missing_ok=True)
            self._path("generate.keys").unlink(missing_ok=True)

    def pages_written(self, fingerprint: str, keys: Mapping[str, str] | None = None) -> None:
        """Once every page is written, with the article pages' keys."""
        self.fingerprint = fingerprint
        if self.folder is not None:
            data = pickle.dumps((__version__, dict(keys or {})), protocol=pickle.HIGHEST_PROTOCOL)
            _write_atomically(self._path("generate.keys"), data)
            _write_atomically(self._path("generate.fingerprint"), (fingerprint + "\n").encode("ascii"))

    # --- the site folder ---

    def site(self) -> SiteRecord | None:
        """What the site folder was last built from, if the last site build finished."""
        return read_site_record(self.folder) if self.folder is not None else None

    def site_changing(self) -> None:
        """Before a site build that may fail: the site and its record must never disagree."""
        if self.folder is not None:
            self._path("site.json").unlink(missing_ok=True)

    def site_built(self, record: SiteRecord) -> None:
        """After a successful site build."""
        if self.folder is not None:
            spare = list(record.spare) if record.spare is not None else None
            data: dict[str, object] = {"key": record.key, "target": str(record.target), "files": record.files}
            data |= {"pages": record.pages, "spare": spare, "size": record.size, "day": record.day}
            data |= {"spare_day": record.spare_day}
            _write_atomically(self._path("site.json"), json.dumps(data).encode("utf-8"))


def read_site_record(build_dir: Path) -> SiteRecord | None:
    """The site record alone, without loading the rest of the cache."""
    try:
        data = json.loads((build_dir / "cache" / "site.json").read_text("utf-8"))
        pages, spare, size, day = data.get("pages"), data.get("spare"), data.get("size"), data.get("day")
        spare_day = data.get("spare_day")
        return SiteRecord(
            key=data["key"],
            target=Path(data["target"]),
            files=data["files"],
            pages=pages if isinstance(pages, int) else None,
            spare=tuple(str(rel) for rel in spare) if isinstance(spare, list) else None,
            size=size if isinstance(size, int) else None,
            day=day if isinstance(day, str) else None,
            spare_day=spare_day if isinstance(spare_day, str) else None,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
