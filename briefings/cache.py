"""What a build keeps between runs in build/cache/, so unchanged work is skipped.

- parsed articles, keyed by path and checked by size and mtime, then by a hash
  of the bytes (a touched but unchanged file is still a hit);
- the fingerprint of the last generation that finished, in a file of its
  own, so a run with the same inputs renders and writes nothing. It is
  removed before pages are written and written again once they all are, so
  a generation that fails halfway is never taken for a finished one.

Rendered bodies are not kept: rendering them again in the worker processes
costs less than storing and reading back tens of megabytes of HTML.

Everything here is derived data: deleting build/ is always safe. Any change of
briefings' version, of topics.yml or of the limits empties the article cache.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path

from briefings import __version__

SCHEMA = 5  # 4: slotted dataclasses, whose pickles differ; 5: Article.people_lines


def _shape() -> tuple:
    """What pickled articles must match: a changed Article (or Quote...) empties the cache."""
    from briefings.content import model

    return SCHEMA, tuple((cls.__name__, tuple(f.name for f in dataclasses.fields(cls)))
                         for cls in (model.Article, model.Quote, model.Image))


def digest(data: bytes | str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


@dataclass
class Entry:
    size: int
    mtime_ns: int
    digest: str
    article: object  # briefings.content.model.Article


@dataclass
class Cache:
    path: Path | None = None
    root: Path = Path(".")  # the project folder: article paths are relative to it
    key: str = ""  # version, topics.yml and limits: articles are only valid under the same
    articles: dict[str, Entry] = field(default_factory=dict)
    fingerprint: str = ""
    dirty: bool = False

    @property
    def _fingerprint_path(self) -> Path:
        assert self.path is not None
        return self.path.with_name("generate.fingerprint")

    @classmethod
    def open(cls, folder: Path | None, key: str, root: Path = Path(".")) -> "Cache":
        """The cache in ``folder`` (None: an in-memory cache that is never saved)."""
        if folder is None:
            return cls(key=key, root=root)
        path = folder / "generate.pickle"
        try:
            with open(path, "rb") as fd:
                schema, version, stored_key, articles = pickle.load(fd)
        except (OSError, EOFError, ValueError, TypeError, pickle.UnpicklingError, AttributeError, ImportError):
            return cls(path=path, root=root, key=key, dirty=True)
        if (schema, version) != (_shape(), __version__):
            return cls(path=path, root=root, key=key, dirty=True)
        if stored_key != key:
            return cls(path=path, root=root, key=key, dirty=True)
        try:
            fingerprint = (folder / "generate.fingerprint").read_text("ascii").strip()
        except (OSError, ValueError):
            fingerprint = ""
        return cls(path=path, root=root, key=key, articles=articles, fingerprint=fingerprint)

    def article(self, rel: str, stat: os.stat_result) -> object | None:
        """The cached article for ``rel`` if the file is unchanged: same size and
        mtime, or else the same bytes (a file touched but not changed)."""
        entry = self.articles.get(rel)
        if entry is None:
            return None
        if entry.size == stat.st_size and entry.mtime_ns == stat.st_mtime_ns:
            return entry.article
        try:
            same = entry.size == stat.st_size and entry.digest == digest(Path(self.root, rel).read_bytes())
        except OSError:
            return None
        if same:
            entry.mtime_ns = stat.st_mtime_ns
            self.dirty = True
            return entry.article
        return None

    def keep(self, rel: str, stat: os.stat_result, file_digest: str, article) -> None:
        self.articles[rel] = Entry(stat.st_size, stat.st_mtime_ns, file_digest, article)
        self.dirty = True

    def forget_missing(self, present: set[str]) -> None:
        for rel in set(self.articles) - present:
            del self.articles[rel]
            self.dirty = True

    def save(self) -> None:
        """Store the parsed articles, if they changed."""
        if self.path is None or not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        _dump(self.path, (_shape(), __version__, self.key, self.articles))
        self.path.with_name("bodies.pickle").unlink(missing_ok=True)  # left by earlier versions
        self.dirty = False

    def forget_fingerprint(self) -> None:
        """Before pages are written: until the new fingerprint is stored, no run is a no-op."""
        self.fingerprint = ""
        if self.path is not None:
            self._fingerprint_path.unlink(missing_ok=True)

    def store_fingerprint(self, fingerprint: str) -> None:
        """Once every page is written."""
        self.fingerprint = fingerprint
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self._fingerprint_path.with_suffix(".tmp")
            tmp.write_text(fingerprint + "\n", "ascii")
            tmp.replace(self._fingerprint_path)


def _dump(path: Path, data) -> None:
    tmp = path.with_suffix(".tmp")
    with open(tmp, "wb") as fd:
        pickle.dump(data, fd, protocol=pickle.HIGHEST_PROTOCOL)
    tmp.replace(path)
