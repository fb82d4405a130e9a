"""Pagefind in shards by date, each kept between builds (``search: pagefind``).

One Pagefind run over a whole archive takes time and memory that grow faster
than the archive (10,000 articles: about 27 s and 2.8 GB), and an edit would
index everything again. So the pages Pagefind indexes (articles and stories,
``data-pagefind-body``) are split by their sort date: one shard while they are
no more than the shard size, else consecutive years (the months of a year over that
size) grouped from the oldest, up to that size a shard; but the newest shard holds
the newest units back to NEWEST_SHARE of that size (at least one; the newest year by
months when it holds more), as an addition, most often dated there, indexes its
shard again. An edit changes no page's date, so it changes one shard; new articles,
most often the newest, change the shards from theirs on.

The shard size is ``extra.briefings.search_shard_pages`` when set. By default it
grows with the archive (``shard_size``): 250 pages, doubled while that would make
more than 32 shards. Small shards make an edit cheap (it indexes its shard again),
and a reader's first search fetches the newest shard alone; the cap keeps what a
search of the whole archive merges (every shard: its metadata, a chunk per word) to
a few dozen shards.

Each shard is indexed by its own Pagefind run (as many at once as the build has
workers and memory), and its bundle is kept in the build folder
(``build/pagefind-shards/<digest>/``), named after a digest of exactly what it
indexes: the next build that indexes the same pages the same way links it into
the site instead of running Pagefind again.

How a shard is indexed (over the site, or over copies of its pages in memory) is
``shardrun``'s.

In the site, the newest shard is the primary bundle at ``pagefind/`` (with
pagefind.js and the wasm the others share); the others are at
``pagefind/shard-<key>/``, only their index, and ``pagefind/briefings-shards.json``
lists them all, newest first, for our search script to merge
(theme/assets/javascripts/briefings-search.js).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import shutil
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefings.engine.shardrun import BODY, closing, index_one, link_or_copy, memory_folder, runs_that_fit
from briefings.fileio import read_bytes
from briefings.parallel import Workers

SHARDS_DIR = "pagefind-shards"  # in the build folder
SHARDS_LIST = "briefings-shards.json"  # in the site's pagefind/
PAGES_FILE = "pages.json"  # in the build folder's pagefind-shards/: each page as last read
SHARD_PAGES = 250  # the default shard size while it makes no more than MAX_SHARDS shards
MAX_SHARDS = 32
NEWEST_SHARE = 0.25  # of the shard size: the most pages the newest shard holds, but for one unit over it
FORMAT = "4"  # bump when what a shard's bundle holds changes, or how a page's digest is made
# Only the primary bundle needs Pagefind's scripts and wasm: a merged index uses the primary's.
_SCRIPTS = re.compile(r"^(pagefind([-.][^/]*)?\.(js|css)|wasm\..*)$")
# What of our pages Pagefind leaves out and other pages change: sections it ignores
# (data-pagefind-ignore: related coverage, the story's other versions) and footers, which it
# removes with all they hold (the neighbours in each topic; the site's "Updated" date).
_IGNORED = re.compile(rb"<(footer)\b[^>]*>|<(section)\b[^>]*\bdata-pagefind-ignore\b[^>]*>")
_IDS = re.compile(rb"\sid=\"[^\"]*\"")
_READ_EVEN_IGNORED = re.compile(rb"data-pagefind-(?!ignore)")  # filters, meta, sort...
_DATE = re.compile(rb'data-pagefind-sort="date\[content\]" content="(\d{4})-(\d{2})')
_DIGEST = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True)
class Shard:
    key: str  # "all", a year ("2024"), a month ("2024-03"), or the first and last of several ("2015_2016")
    pages: tuple[tuple[str, str], ...]  # (site-relative path, its indexed_digest), sorted
    digest: str = ""

    @property
    def names(self) -> list[str]:
        return [rel for rel, _ in self.pages]


@dataclass(frozen=True)
class ShardsDone:
    """What a build did: the shards, newest first, and which of them Pagefind indexed (not reused)."""

    keys: tuple[str, ...]
    indexed: tuple[str, ...]
    log: str
    digests: tuple[str, ...] = ()  # the bundles' in the cache, in the order of ``keys``


def shard_size(pages: int, given: int | None = None) -> int:
    """The most pages a shard holds: ``given``, or by default SHARD_PAGES, doubled while
    ``pages`` would fill more than MAX_SHARDS shards (5,000 pages: 250; 10,000: 500; 100,000: 4,000).
    A desk that crosses a doubling indexes every shard again, once."""
    if given is not None:
        return given
    size = SHARD_PAGES
    while pages > size * MAX_SHARDS:
        size *= 2
    return size


def plan(
    site: Path,
    *,
    shard_pages: int | None,
    fingerprint: str,
    cache: Path | None = None,
    changed: Collection[str] | None = None,
    copy_of: Path | None = None,
    workers: int = 1,
) -> list[Shard]:
    """The shards of a built site, oldest first; [] when no page asks to be indexed.
    ``shard_pages``: the shard size (None: by the number of pages, ``shard_size``).
    ``changed``: the only pages (site-relative) in which ``site`` differs from ``copy_of``
    (an incremental build's staged copy and the published site): changed, added or removed.
    ``workers``: processes that read the pages not known from the last build (all, in a full one)."""
    dated: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    found = _pages(site, cache, changed, copy_of, Workers(workers))
    for rel, (year, month, sha) in found.items():
        dated[(year, month)].append((rel, sha))
    shard_pages = shard_size(len(found), shard_pages)
    newest_pages = max(1, int(shard_pages * NEWEST_SHARE))
    years: dict[str, int] = defaultdict(int)
    for (year, _), pages in dated.items():
        years[year] += len(pages)
    several = len(found) > shard_pages
    newest_year = max(years, default="")
    units: dict[str, list[tuple[str, str]]] = defaultdict(list)  # a year, or the months of a year over the limit
    for (year, month), pages in dated.items():
        # The newest year by months too when it is more than the newest shard holds (_newest_units).
        by_month = years[year] > shard_pages or (several and year == newest_year and years[year] > newest_pages)
        units[f"{year}-{month}" if by_month else year].extend(pages)
    ordered = sorted(units)
    newest = _newest_units(ordered, units, newest_pages) if several else []
    groups: list[tuple[list[str], list[tuple[str, str]]]] = []  # consecutive units up to the limit, oldest first
    for unit in ordered[: len(ordered) - len(newest)]:
        if groups and len(groups[-1][1]) + len(units[unit]) <= shard_pages:
            groups[-1][0].append(unit)
            groups[-1][1].extend(units[unit])
        else:
            groups.append(([unit], list(units[unit])))
    if newest:
        groups.append((newest, [page for unit in newest for page in units[unit]]))
    shards = []
    for names, pages in groups:
        key = "all" if len(groups) == 1 else names[0] if len(names) == 1 else f"{names[0]}_{names[-1]}"
        members = tuple(sorted(pages))
        digest = hashlib.sha256(repr((FORMAT, fingerprint, key, members)).encode()).hexdigest()
        shards.append(Shard(key, members, digest))
    return shards


def _newest_units(ordered: list[str], units: dict[str, list[tuple[str, str]]], most: int) -> list[str]:
    """The newest units (at least one), back to ``most`` pages: the newest shard. An addition, most
    often dated there, indexes it again (10,000 articles: about 100 pages, 0.2 s, not up to 500,
    1 s); a unit leaving it makes the shard it joins be indexed again, once (about monthly)."""
    newest: list[str] = []
    held = 0
    for unit in reversed(ordered):
        if newest and held + len(units[unit]) > most:
            break
        newest.insert(0, unit)
        held += len(units[unit])
    return newest


def _pages(
    site: Path,
    cache: Path | None,
    changed: Collection[str] | None = None,
    copy_of: Path | None = None,
    workers: Workers = Workers(),
) -> dict[str, tuple[str, str, str]]:
    """Each page Pagefind indexes: its date's year and month and its ``indexed_digest``, by
    site-relative path. A page whose size and mtime are those ``cache/pages.json`` recorded
    (an incremental build's hard-linked pages, or a site restored from a cache with its times)
    is not read again: as for the generated pages (``incremental.stats``), only the build writes
    the site, and each file it writes is new. When the record is of ``copy_of`` (the folder it
    was made in became that site), only the ``changed`` pages are read: no walk over the whole
    site (a tenth of a second every 5,000 pages)."""
    record = cache / PAGES_FILE if cache is not None else None
    try:
        stored: Any = json.loads(record.read_text("utf-8")) if record and record.is_file() else {}
        known: Any = stored.get("pages")
    except (OSError, ValueError, AttributeError):
        stored, known = {}, {}
    if not isinstance(known, dict) or stored.get("format") != FORMAT:  # digests made another way
        stored, known = {}, {}
    same = copy_of is not None and (ident := _identity(copy_of)) is not None and stored.get("site") == ident
    if same and changed is not None:
        seen = dict(known)
        for rel in changed:  # changed, added or removed
            try:
                seen[rel] = _entry(site, rel, os.stat(os.path.join(site, rel)), None)
            except FileNotFoundError:
                seen.pop(rel, None)
    else:
        # The pages read again (every page, in a full build) by the workers, while the
        # Pagefind runs wait for them: 0.07 s of one core every 1,000 pages.
        stats = site_pages(str(site))
        unknown = [(rel, stat) for rel, stat in stats if not _known(known.get(rel), stat)]
        entries = workers.map(functools.partial(_read_entry, site), unknown)
        read = dict(zip((rel for rel, _ in unknown), entries, strict=True))
        seen = {rel: read[rel] if rel in read else known[rel] for rel, _ in stats}
    if record is not None:
        record.parent.mkdir(parents=True, exist_ok=True)
        tmp = record.with_name(f".{record.name}.new")
        kept = {"format": FORMAT, "site": _identity(site), "pages": seen}
        tmp.write_text(json.dumps(kept, separators=(",", ":")), "utf-8")
        tmp.replace(record)
    return {rel: (str(entry[1]), str(entry[2]), str(entry[3])) for rel, entry in seen.items() if entry[3]}


def _identity(folder: Path) -> list[int] | None:
    """What tells one site folder from another, even by another name: a staged site is renamed
    to the published one. (A site restored from a cache, every inode new, is another.)"""
    try:
        stat = folder.stat()
    except OSError:
        return None
    return [stat.st_dev, stat.st_ino]


def _known(entry: Any, stat: os.stat_result) -> bool:
    """Whether a page's last entry in the record is of the page as it is (its stat)."""
    return isinstance(entry, list) and len(entry) == 4 and entry[0] == [stat.st_size, stat.st_mtime_ns]


def _entry(site: Path, rel: str, stat: os.stat_result, known: Any) -> list[Any]:
    """A page's entry in the record: [[size, mtime], year, month, sha256], with empty
    strings for a page Pagefind does not index; ``known``, its last one, when its stat is the same."""
    return known if _known(known, stat) else _read_entry(site, (rel, stat))


def _read_entry(site: Path, page: tuple[str, os.stat_result]) -> list[Any]:
    rel, stat = page
    stamp = [stat.st_size, stat.st_mtime_ns]
    data, _ = read_bytes(os.path.join(site, rel))  # fewer system calls than Path.read_bytes
    if BODY not in data:
        return [stamp, "", "", ""]
    date = _DATE.search(data)
    year, month = (date.group(1).decode(), date.group(2).decode()) if date else ("0000", "00")
    return [stamp, year, month, indexed_digest(data)]


def indexed_digest(data: bytes) -> str:
    """The sha256 of what Pagefind may read of a page: its bytes, but for what it leaves out.
    A footer (Pagefind removes footers whole) is left out; of a section it ignores only the ids
    are kept (Pagefind counts ids as it finds anchors), unless the section has other
    ``data-pagefind-`` attributes (filters and meta count even there) or a first heading: then
    it is kept whole. So a page whose related coverage, story, neighbours or footer date changed,
    in a shard that is otherwise the same, does not make Pagefind index that shard again (its
    bundle is the same: tests/test_search_shards.py)."""
    found = hashlib.sha256()
    at = 0
    for match in _IGNORED.finditer(data):
        if match.start() < at:  # inside a section already passed
            continue
        footer = match.group(1) is not None
        end = closing(data, match.end(), match.group(1) or match.group(2))
        if end is None:
            break  # unbalanced: the rest is hashed whole
        found.update(data[at : match.end()])
        inside = data[match.end() : end]
        if not footer:
            read = _READ_EVEN_IGNORED.search(inside) or b"<h1" in inside
            found.update(inside if read else b"".join(_IDS.findall(inside)))
        at = end
    found.update(data[at:])
    return found.hexdigest()


def site_pages(site: str) -> list[tuple[str, os.stat_result]]:
    """The site's HTML pages (``page_names``) with their stat."""
    return [(rel, os.stat(os.path.join(site, rel))) for rel in page_names(site)]


def page_names(site: str) -> list[str]:
    """The site's HTML pages (its files but Pagefind's), by site-relative path, sorted
    (os.scandir, which tells files from folders without a stat: a fraction of what
    Path.rglob costs over tens of thousands of pages)."""
    found: list[str] = []

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    if prefix or entry.name != "pagefind":
                        walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.name.endswith(".html") and entry.is_file():
                    found.append(f"{prefix}{entry.name}")

    walk(site, "")
    found.sort()
    return found


def index_in_shards(
    site: Path,
    shards: list[Shard],
    *,
    cache: Path,
    run: Callable[[Path, Path, str | None], str],
    runs: int = 1,
) -> ShardsDone:
    """Index the shards not yet in ``cache`` (``run(site, bundle_folder, glob)`` runs Pagefind
    over the pages of ``site`` that ``glob`` names, or all, and returns its log; ``runs`` of
    them at a time: each indexes on one core), link every
    shard's bundle into ``site/pagefind/``, write the list, and remove the bundles of ``cache``
    no shard uses any more."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = [s for s in shards if not (cache / s.digest / "pagefind-entry.json").is_file()]
    bundle = site / "pagefind"
    earlier = _earlier_bundles(bundle, newest=shards[-1].key if shards else "")
    memory = memory_folder(cache, wanted=bool(missing))
    runs = min(runs, runs_that_fit(max((len(s.pages) for s in missing), default=0)))
    try:
        with ThreadPoolExecutor(max(1, runs)) as pool:
            indexed = pool.map(
                lambda s: index_one(site, s.digest, s.names, cache, run, memory, earlier.get(s.key)), missing
            )
            logs = list(indexed)
    finally:
        if memory is not None:
            shutil.rmtree(memory, ignore_errors=True)
    newest_first = list(reversed(shards))
    places = {("" if i == 0 else f"shard-{shard.key}/"): cache / shard.digest for i, shard in enumerate(newest_first)}
    _place_bundles(bundle, places)
    listed = [{"key": shard.key, "path": where} for shard, where in zip(newest_first, places, strict=True)]
    text = json.dumps({"shards": listed}, ensure_ascii=False, separators=(",", ":"))
    shards_list = bundle / SHARDS_LIST
    tmp = shards_list.with_name(f".{SHARDS_LIST}.new")
    tmp.write_text(text, "utf-8")
    tmp.replace(shards_list)  # replaced, not written in place: the old file may be a link to the published one
    _prune(cache, {s.digest for s in shards})
    return ShardsDone(
        keys=tuple(s.key for s in newest_first),
        indexed=tuple(s.key for s in missing),
        log="".join(logs),
        digests=tuple(s.digest for s in newest_first),
    )


def _earlier_bundles(bundle: Path, newest: str) -> dict[str, Path]:
    """The bundles an incremental build's staged site holds from the last site, by shard key
    (``newest``, the newest shard's key now, also by the last newest: an addition may rename
    it); {} in a new site."""
    try:
        listed = json.loads((bundle / SHARDS_LIST).read_text("utf-8"))["shards"]
        earlier = {str(shard["key"]): bundle / str(shard["path"]) for shard in listed}
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if listed and newest not in earlier:
        earlier[newest] = bundle / str(listed[0]["path"])
    return earlier


def _place_bundles(bundle: Path, places: dict[str, Path]) -> None:
    """Make ``bundle`` (the site's pagefind/) hold each cached bundle at its place ("" for
    the primary, "shard-<key>/" for the others) and nothing else. An incremental build's
    staged site already holds an earlier site's bundles as hard links: a place whose
    pagefind-entry.json is the very file (same inode) of the bundle it should hold is kept,
    since a cached bundle is never changed once made and a site only ever holds whole ones.
    So an edit relinks the one shard it changed, not every shard's thousands of files."""
    kept = {where for where, source in places.items() if _holds(bundle / where, source)}
    if bundle.is_dir():
        for entry in sorted(bundle.iterdir()):
            if entry.name.startswith("shard-") and entry.is_dir() and not entry.is_symlink():
                keep = f"{entry.name}/" in kept
            else:  # the primary's files and folders (Pagefind names none "shard-...")
                keep = "" in kept and entry.name != SHARDS_LIST
            if not keep:
                _remove(entry)  # unlinks only: never writes through a link
    for where, source in places.items():
        if where not in kept:
            _link_bundle(source, bundle / where, scripts=where == "")


def _holds(dest: Path, source: Path) -> bool:
    try:
        a, b = (dest / "pagefind-entry.json").stat(), (source / "pagefind-entry.json").stat()
    except OSError:
        return False
    return (a.st_ino, a.st_dev) == (b.st_ino, b.st_dev)


def _remove(entry: Path) -> None:
    if entry.is_dir() and not entry.is_symlink():
        shutil.rmtree(entry, ignore_errors=True)
    else:
        entry.unlink(missing_ok=True)


def _link_bundle(source: Path, dest: Path, *, scripts: bool) -> None:
    """dest gets hard links to the cached bundle's files (a copy across file systems).
    The site's files are only ever replaced, never written in place, so the cache stays whole."""
    for folder, dirs, files in os.walk(source):
        dirs.sort()
        rel = Path(folder).relative_to(source)
        for name in sorted(files):
            if not scripts and rel == Path(".") and _SCRIPTS.match(name):
                continue
            (dest / rel).mkdir(parents=True, exist_ok=True)
            link_or_copy(Path(folder) / name, dest / rel / name)


def _prune(cache: Path, keep: Iterable[str]) -> None:
    """Remove what this module made in ``cache`` and no shard uses: other digests' bundles and
    leftover work folders. Anything else there is left alone."""
    kept = set(keep)
    for entry in sorted(cache.iterdir()):
        name = entry.name.removeprefix(".work-")
        if entry.is_dir() and _DIGEST.match(name) and (entry.name != name or name not in kept):
            shutil.rmtree(entry, ignore_errors=True)
