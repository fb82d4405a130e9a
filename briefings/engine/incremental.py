"""Incremental site builds: when a few generated pages changed, rebuild only those.

A full MkDocs build renders every page. But a page's HTML depends only on its
own Markdown, the navigation, mkdocs.yml, the theme (the package's, with the
desk's overrides) and the build date's day, so when those are the same as for
the last build, it is enough to:

1. render the changed and added pages (with the navigation pages and the pages
   they link to, so MkDocs resolves their links) in a small MkDocs build of
   their own;
2. replace the changed pages' HTML and the changed feeds in the staging
   folder, which holds the previous site as hard links (no copying; laid by
   ``sitefolder.staged``, from the previous build's spare when there is one),
   delete the removed pages' HTML, and, when pages came or went, write the
   sitemap again from every page (the one file listing them all);
   when the build date's day moved on (an article dated after the newest),
   rewrite the footer's "Updated" date in every other page
   (``redate_pages``: a page's HTML shows the day only there), and the
   sitemap, whose dates are that day; when the spare was a day behind, write
   the day into its pages;
3. splice the changed and added pages' entries into the previous search index
   (and take the removed pages' out), so it stays complete and in the order a
   full build writes: MkDocs' order of the pages (with
   ``search: pagefind``, the staged site is indexed again instead, in date
   shards: only the shards holding a changed page run Pagefind, the others'
   kept bundles are linked back, engine/searchshards.py);
4. check the changed pages' links against the whole staged site.

The result is byte-identical to a full build (tests/test_incremental.py), and
the usual atomic swap publishes it. Anything else (another navigation, theme,
mkdocs.yml, engine or search backend; pages added or removed with another
plugin, which may list pages; a new day with theme overrides that show the build date
themselves) takes a full build. What the
last build was made from is kept by the build cache (briefings/cache.py).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shutil
import time
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from briefings import __version__
from briefings.cache import BuildCache, SiteRecord
from briefings.engine.base import SitePlan
from briefings.engine.linkcheck import page_output
from briefings.engine.linktree import remove_file
from briefings.engine.materialsearch import splice_index
from briefings.engine.pagebuild import walk_order
from briefings.engine.searchshards import page_names
from briefings.engine.theme import theme_of
from briefings.fileio import digest, overwrite_bytes, read_bytes, write_bytes
from briefings.options import BuildOptions
from briefings.project import Project

SITEMAP = ("sitemap.xml", "sitemap.xml.gz")  # MkDocs lists every page in them
MAX_SHARE = 0.15  # past this share of changed pages (and MIN_PAGES) a full build is as quick
MIN_PAGES = 20
_MD_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)\s]*)?\)")


def build_day(epoch: int) -> str:
    """What of the build date the site shows: its day (UTC). MkDocs pins its build
    date to SOURCE_DATE_EPOCH, which the caller's environment may set (engine/mkdocs.py);
    the footer's "Updated", the sitemap's dates and its gzip header hold the day only."""
    stamp = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    seconds = int(stamp) if stamp.isdigit() else epoch
    return time.strftime("%Y-%m-%d", time.gmtime(seconds))


def site_key(project: Project, options: BuildOptions, **more: Any) -> str:
    """Everything besides the pages themselves that every page's HTML depends on,
    the theme as built included: the package's and the desk's overrides."""
    theme = theme_of(options.config).fingerprint()
    settings = dict(
        engine=options.engine,
        search=options.search,
        base_url=options.base_url,
        cname=options.cname,
        strict=options.strict,
        search_full_text=options.settings.search_full_text,
        **more,
    )
    return digest(repr((__version__, options.config.data, theme, sorted(settings.items(), key=str))))


def stats(docs_dir: Path) -> dict[str, list[int]]:
    """Each generated file's size and mtime: what tells a changed page."""
    found: dict[str, list[int]] = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                elif entry.is_file():
                    s = entry.stat()
                    found[f"{prefix}{entry.name}"] = [s.st_size, s.st_mtime_ns]

    if docs_dir.is_dir():
        walk(str(docs_dir), "")
    return found


def record(
    the_plan: SitePlan,
    target: Path,
    docs_dir: Path,
    pages: int,
    spare: tuple[str, ...] | None = None,
    size: int | None = None,
) -> SiteRecord:
    """What the site in ``target`` was built from, by ``the_plan``;
    ``spare``: the files in which the spare copy of the previous site differs from it, if one is kept
    (and, after a new day, the footer of every page: ``rewrote_every_page``);
    ``size``: the bytes of the site's files."""
    files = the_plan.stats if the_plan.stats is not None else stats(docs_dir)
    spare_day = the_plan.redate[0] if spare is not None and the_plan.redate is not None else None
    return SiteRecord(
        key=the_plan.key,
        target=target,
        files=files,
        pages=pages,
        spare=spare,
        size=size,
        day=the_plan.day,
        spare_day=spare_day,
    )


def replaced(the_plan: SitePlan, search: str) -> tuple[str, ...]:
    """The site files an incremental build replaced (a folder ends with /): where the
    staged site differs from the one it was copied from, but for the footer's date in every
    other page when it wrote a new day (``rewrote_every_page``)."""
    assert the_plan.changed is not None
    # Pagefind's bundle is left as the spare has it: index_site keeps the shards it still
    # holds and relinks the others (searchshards._place_bundles).
    index = () if search == "pagefind" else ("search/search_index.json",)
    gone = tuple(output(n) for n in the_plan.removed)
    sitemap = SITEMAP if the_plan.added or the_plan.removed or the_plan.redate else ()
    return tuple(page_output(n) for n in the_plan.changed) + the_plan.changed_files + gone + sitemap + index


def rewrote_every_page(the_plan: SitePlan) -> bool:
    """Whether the build made every page anew, a full one. Then the spare copy of the previous
    site is made a copy of the new one, file by file (``sitefolder.swap_in``), as the next build
    would otherwise link the whole site again: its own pages written over in place, so that they
    stay its own for a new day (``linktree.refresh_copy``).

    A build that wrote a new day into every page leaves the spare as the previous site, whose
    pages differ from the new ones only in their footer's day (``SiteRecord.spare_day``) but for
    the files it replaced: the next build, of a new day or the same one, writes its day into
    the spare's pages (``redate_pages`` knows either day), in place, as they are the spare's
    alone. No relinking of the site file by file (2.6 s at 10,000 articles) and no new file
    for each page (4.4 s)."""
    return the_plan.changed is None


def output(name: str) -> str:
    """The site file a generated file becomes: a page's HTML, or the file itself (a feed)."""
    return page_output(name) if name.endswith(".md") else name


def plan(
    cache: BuildCache,
    docs_dir: Path,
    target: Path,
    key: str,
    nav_pages: list[str],
    *,
    day: str,
    redate: bool = True,
    search: str = "material",
    other_plugins: bool = False,
) -> SitePlan:
    """What a site build must redo: nothing, the changed pages only, or everything. ``day``: the
    build date's day the pages show; ``redate``: whether a new one may be written into the last
    build's pages in place (the theme shows it only in our footer: ``shows_build_date``);
    ``other_plugins``: whether mkdocs.yml turns on plugins besides search, which may list pages."""
    full = SitePlan(key=key, day=day)
    last = cache.site()
    if last is None or last.key != key or last.target != target or last.day is None:
        return full
    redating = (last.day, day) if last.day != day else None
    if redating is not None and not redate:
        return full
    index = "pagefind/pagefind.js" if search == "pagefind" else "search/search_index.json"
    if not (target / index).is_file():
        return full
    before, now = last.files, stats(docs_dir)
    added = tuple(sorted(now.keys() - before.keys()))
    removed = tuple(sorted(before.keys() - now.keys()))
    if (added or removed) and other_plugins:
        # A plugin may list pages (a blog's index...): only MkDocs' sitemap and the search
        # index are written again here.
        return full
    changed = sorted(name for name, stat in now.items() if before.get(name) != stat)
    pages = tuple(n for n in changed if n.endswith(".md"))
    files = tuple(n for n in changed if not n.endswith(".md"))
    if not pages and not files and not removed and redating is None:
        return SitePlan(key=key, changed=(), up_to_date=True, stats=now, pages=last.pages, size=last.size, day=day)
    gone = [n for n in removed if n.endswith(".md")]
    if len(pages) + len(gone) > max(MIN_PAGES, MAX_SHARE * sum(1 for n in now if n.endswith(".md"))):
        return full
    pages_now = size = None
    if last.pages is not None and last.size is not None:  # the removed pages' bytes leave the count
        pages_now = last.pages + sum(n.endswith(".md") for n in added) - len(gone)
        size = last.size - sum(_size(target / output(n)) for n in removed)
    context = set(nav_pages)
    for page in pages:  # the pages a changed page links to must exist for MkDocs to resolve its links
        text = (docs_dir / page).read_text("utf-8")
        for link in _MD_LINK.findall(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
            if resolved in now:
                context.add(resolved)
    return SitePlan(
        key=key,
        changed=pages,
        context=tuple(sorted(context - set(pages))),
        changed_files=files,
        added=added,
        removed=removed,
        stats=now,
        pages=pages_now,
        spare=last.spare,
        spare_day=last.spare_day,
        size=size,
        day=day,
        redate=redating,
    )


def added_bytes(the_plan: SitePlan, site: Path) -> int:
    """The bytes of the files an incremental build added to ``site``: with the plan's
    size (the last count, less the removed files), the size of the site it made."""
    return sum(_size(site / output(n)) for n in the_plan.added)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def page_url(name: str) -> str:
    out = page_output(name)
    return "" if out == "index.html" else out[: -len("index.html")]


def apply(
    the_plan: SitePlan,
    *,
    docs_dir: Path,
    work: Path,
    staging: Path,
    build_pages: Callable[[Path, Path], None],
    write_sitemap: Callable[[Path, Path, Collection[str]], None] | None = None,
    search: str = "material",
) -> None:
    """Rebuild the changed pages into ``staging``, a copy of the previous site. ``build_pages(docs, site)``
    runs the engine over a docs folder into a site folder; ``write_sitemap(docs, site, files)`` writes
    only the sitemap of every page in a docs folder, whose files it is told; ``work`` is scratch
    space. With Pagefind, the staged site keeps the bundle it was copied with, for the caller to
    index again (engine/pagefind.py: only the changed shards)."""
    assert the_plan.changed is not None
    shutil.rmtree(work, ignore_errors=True)
    docs, site = work / "docs", work / "site"
    for name in the_plan.changed + the_plan.context:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(docs_dir / name, docs / name)
    build_pages(docs, site)

    for name in the_plan.changed:
        _replace(site / page_output(name), staging / page_output(name))
    for name in the_plan.changed_files:
        _replace(docs_dir / name, staging / name)
    for name in the_plan.removed:
        remove_file(staging, output(name))
    if the_plan.redate is not None:
        redate_pages(staging, (the_plan.redate[0], the_plan.spare_day), the_plan.redate[1])
    elif the_plan.spare_day is not None and the_plan.day is not None:  # staged from a spare a day behind
        redate_pages(staging, (the_plan.spare_day,), the_plan.day)
    if (the_plan.added or the_plan.removed or the_plan.redate) and write_sitemap is not None:
        assert the_plan.stats is not None  # every generated file: the docs folder's
        write_sitemap(docs_dir, work / "sitemap", the_plan.stats.keys())
        for name in SITEMAP:
            if (work / "sitemap" / name).is_file():
                _replace(work / "sitemap" / name, staging / name)
    if search != "pagefind":  # Pagefind's bundle: index_site keeps what it can and redoes the rest
        assert the_plan.stats is not None
        pages = sorted((n for n in the_plan.stats if n.endswith(".md")), key=walk_order)
        splice_index(
            staging / "search" / "search_index.json",
            site / "search" / "search_index.json",
            {quote(page_url(n)) for n in the_plan.changed + the_plan.removed if n.endswith(".md")},
            [quote(page_url(n)) for n in pages],  # as MkDocs' Page.url, which Material writes
        )
    shutil.rmtree(work, ignore_errors=True)


def footer_date(day: str) -> bytes:
    """The build date as the footer shows it (theme/partials/copyright.html), marked by
    its class: a page's text may show the same date the same way (a topic's "Updated")."""
    date = dt.date.fromisoformat(day)
    return f'<time class="bf-footer__updated" datetime="{day}">{date.day} {date:%B %Y}</time>'.encode()


def shows_build_date(overrides: Iterable[Path]) -> bool:
    """Whether templates of a desk's theme overrides show MkDocs' build date (then a new day
    builds every page: ``redate_pages`` knows only the footer's). Material's templates do not."""
    return any(path.suffix == ".html" and b"build_date_utc" in path.read_bytes() for path in overrides)


def redate_pages(site: Path, before: Iterable[str | None], after: str) -> int:
    """Write the footer's new date into every HTML page of a staged site that shows an old one.
    ``before``: the days they may show (the last build's; the spare's, if it is behind). The
    pages rebuilt already show the new one. Returns how many were rewritten.

    A page that is a hard link (to the published site's page, or a cached one) is replaced by
    a new file, as any staged file is. One that is the staged site's alone (one link: a spare's
    page that a new day made anew) is written in place: the new files would cost five times as
    much (ext4 allocating an inode for each), and a desk that builds on most days keeps its
    spare's pages its own (``apply``), so every new day finds them so."""
    olds = [footer_date(day) for day in dict.fromkeys(before) if day is not None and day != after]
    new = footer_date(after)
    rewritten = 0
    for rel in page_names(str(site)):
        path = os.path.join(site, rel)
        data, stat = read_bytes(path)
        # The footer's class is on no other element (sanitised bodies keep no class), and the
        # footer ends the page: looked for from the end.
        at, old = next(((at, old) for old in olds if (at := data.rfind(old)) >= 0), (-1, b""))
        if at < 0:
            continue
        dated = b"".join((data[:at], new, data[at + len(old) :]))
        if stat.st_nlink == 1:  # no other site's, nor the cache's (builds of a folder never overlap)
            overwrite_bytes(path, dated)
        else:
            tmp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.new")
            write_bytes(tmp, dated)
            os.replace(tmp, path)
        rewritten += 1
    return rewritten


def _replace(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.new")
    shutil.copyfile(source, tmp)
    tmp.replace(dest)  # a new inode: the previous site's file is untouched
