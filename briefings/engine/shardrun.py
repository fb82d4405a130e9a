"""One search shard's Pagefind run (``searchshards`` plans the shards and keeps their bundles).

Without a tmpfs, Pagefind runs over the site itself, told the shard's pages by a
glob (or, when a page's name is not plain enough for one, over a folder of hard
links to them, beside the site in the build folder).

Where the machine has a tmpfs with room (``/dev/shm``), Pagefind reads copies of the
shard's pages there, each cut to what it indexes (``indexed_part``: half an article
page's bytes, which Pagefind would parse only to skip): a fifth less of its time. An
edited shard's bundle is written there too: a bundle is hundreds of small files (a
fragment a page, chunks of the index), and creating files on a disk costs more than
Pagefind's work on them (ext4 allocating an inode: 0.3-0.8 ms each on the benchmark
machine). It is then settled into the cache: each file the shard's last bundle holds
with the same bytes is linked from it, the others copied (an edit changes a page's
fragment and the index chunks, a few dozen of ~470 files). A new shard's bundle is
written on the disk, as there is nothing to link.
"""

from __future__ import annotations

import filecmp
import hashlib
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

BODY = b"data-pagefind-body"
_BODY_TAG = re.compile(rb"<body\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(rb"<([a-zA-Z][a-zA-Z0-9-]*)[\s>]")
# A page name that means itself in Pagefind's glob ({a,b,...}): none of its special characters.
_PLAIN_NAME = re.compile(r"^[A-Za-z0-9_./-]+$")
MEMORY = Path("/dev/shm")  # a tmpfs on Linux: where Pagefind writes, when it has MEMORY_ROOM free
MEMORY_ROOM = 1 << 30  # (a bundle is ~8 KB a page: 35 MB for a shard of 4,000 pages)
MAX_RUNS = 64  # Pagefind runs at once, whatever the memory (the build's workers are fewer)
RUN_BYTES, PAGE_BYTES = 50 * 2**20, 300 * 2**10  # one Pagefind run's memory: about RUN_BYTES + PAGE_BYTES a page


def runs_that_fit(pages: int) -> int:
    """How many Pagefind runs over shards of ``pages`` pages half the memory available now
    holds (about 0.3 MB a page: 330 MB for 1,000 pages, 1.2 GB for the 4,000 of a shard at
    100,000 articles), at least one; no limit where the system does not say (not Linux)."""
    available = memory_available()
    if available is None:
        return MAX_RUNS
    return max(1, min(MAX_RUNS, int(available // 2 // (RUN_BYTES + PAGE_BYTES * pages))))


def memory_available() -> int | None:
    """The memory the system can give without swapping (Linux's MemAvailable), in bytes."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            for line in meminfo:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def memory_folder(cache: Path, *, wanted: bool = True) -> Path | None:
    """A folder in memory (MEMORY) for Pagefind to write in, named after the build folder's
    cache, so that the next build of it removes what a killed one left (builds of one build
    folder never run at once); None when not ``wanted`` or no tmpfs has MEMORY_ROOM free."""
    folder = memory_folder_of(cache)
    shutil.rmtree(folder, ignore_errors=True)
    try:
        stat = os.statvfs(MEMORY)
    except OSError:
        return None
    if not wanted or stat.f_bavail * stat.f_frsize < MEMORY_ROOM or not os.access(MEMORY, os.W_OK):
        return None
    try:
        folder.mkdir()
    except OSError:
        return None
    return folder


def memory_folder_of(cache: Path) -> Path:
    return MEMORY / f"briefings-pagefind-{hashlib.sha256(str(cache.resolve()).encode()).hexdigest()[:16]}"


def index_one(
    site: Path,
    digest: str,
    names: list[str],
    cache: Path,
    run: Callable[[Path, Path, str | None], str],
    memory: Path | None = None,
    earlier: Path | None = None,
) -> str:
    """Index the pages ``names`` (site-relative) of ``site`` into ``cache/<digest>/`` (``run(pages,
    bundle_folder, glob)`` runs Pagefind), whole or not at all, and return Pagefind's log. With
    ``memory`` (``memory_folder``), over cut copies of the pages there; an ``earlier`` bundle of
    the shard is what its files are linked from."""
    work = cache / f".work-{digest}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if memory is not None:
        scratch = memory / digest
        for rel in names:  # in order: Pagefind numbers the pages as it lists them
            dest = scratch / "site" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(indexed_part((site / rel).read_bytes()))
        # Written in memory too when most of it is settled by links; a new shard's files would
        # all be copied, which costs what writing them there saved.
        log = run(scratch / "site", scratch / "pagefind" if earlier is not None else work / "pagefind", None)
        if earlier is not None:
            _settle(scratch / "pagefind", work / "pagefind", earlier)
        shutil.rmtree(scratch, ignore_errors=True)
    elif all(_PLAIN_NAME.match(rel) for rel in names):
        log = run(site, work / "pagefind", "{" + ",".join(names) + "}")  # no folder of thousands of links to make
    else:
        for rel in names:  # links beside the site: in the build folder, on its file system
            dest = work / "site" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(site / rel, dest)
        log = run(work / "site", work / "pagefind", None)
    shutil.rmtree(cache / digest, ignore_errors=True)
    (work / "pagefind").rename(cache / digest)  # whole, or not at all
    shutil.rmtree(work, ignore_errors=True)
    return log


def indexed_part(page: bytes) -> bytes:
    """What of a page Pagefind reads: the page up to its ``<body>`` tag (the head's title and
    ``data-pagefind-`` meta, filters and sort) and its one ``data-pagefind-body`` element. Its
    header, navigation, sidebars, footer and scripts (half of an article page's bytes) are left
    out, which Pagefind would parse only to skip. The page as it is when anything else of it may
    count: a ``data-pagefind-`` attribute outside those parts, or a second body element."""
    at = page.find(BODY)
    body = _BODY_TAG.search(page, 0, at) if at >= 0 and page.count(BODY) == 1 else None
    if body is None:
        return page
    start = page.rfind(b"<", body.end(), at)
    tag = _TAG.match(page, start) if start >= 0 else None
    close = closing(page, page.find(b">", at) + 1, tag.group(1)) if tag is not None else None
    if tag is None or close is None:
        return page
    end = close + len(tag.group(1)) + 3  # past "</tag>"
    if b"data-pagefind-" in page[body.end() : start] or b"data-pagefind-" in page[end:]:
        return page
    return page[: body.end()] + page[start:end] + b"\n</body>\n</html>\n"


def _settle(made: Path, into: Path, earlier: Path | None) -> None:
    """Put the bundle Pagefind ``made`` in memory ``into`` the cache: a file that ``earlier``
    (the shard's last bundle) holds at the same place with the same bytes is linked from it,
    any other copied."""
    for folder, _, files in os.walk(made):
        rel = os.path.relpath(folder, made)
        os.makedirs(into / rel, exist_ok=True)
        for name in files:
            source, dest = os.path.join(folder, name), into / rel / name
            if earlier is not None and _same_bytes(source, earlier / rel / name):
                try:
                    os.link(earlier / rel / name, dest)
                    continue
                except OSError:
                    pass  # another file system: copied
            shutil.copyfile(source, dest)


def _same_bytes(a: str, b: Path) -> bool:
    try:
        return filecmp.cmp(a, b, shallow=False)
    except OSError:
        return False


def closing(data: bytes, start: int, tag: bytes) -> int | None:
    """Where the element of ``tag`` opened just before ``start`` closes (its end tag's ``<``)."""
    opening, closing = b"<" + tag, b"</" + tag + b">"
    depth, at = 1, start
    while True:
        close = data.find(closing, at)
        if close < 0:
            return None
        nested = data.find(opening, at, close)
        while nested >= 0 and data[nested + len(opening) : nested + len(opening) + 1] not in (b" ", b">", b"\n"):
            nested = data.find(opening, nested + 1, close)
        if nested >= 0:
            depth, at = depth + 1, nested + len(opening)
            continue
        depth -= 1
        if depth == 0:
            return close
        at = close + len(closing)


def link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:
        shutil.copyfile(source, dest)
