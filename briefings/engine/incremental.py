"""Incremental site builds: when a few generated pages changed, rebuild only those.

A full MkDocs build renders every page. But a page's HTML depends only on its
own Markdown, the navigation, mkdocs.yml and the theme (the package's, with the
desk's overrides), so when those are the same as for the last build and the set
of pages is unchanged, it is enough to:

1. render the changed pages (with the navigation pages and the pages they link
   to, so MkDocs resolves their links) in a small MkDocs build of their own;
2. lay the previous site into the staging folder as hard links (no copying),
   and replace the changed pages' HTML and the changed feeds there;
3. splice the changed pages' entries into the previous search index, in
   place, so it stays complete and in the order a full build writes (with
   ``search: pagefind``, the staged site is indexed again instead, in date
   shards: only the shards holding a changed page run Pagefind, the others'
   kept bundles are linked back, engine/searchshards.py);
4. check the changed pages' links against the whole staged site.

The result is byte-identical to a full build (tests/test_incremental.py), and
the usual atomic swap publishes it. Anything else (a new or deleted page,
another navigation, theme, mkdocs.yml, build date, engine or search backend)
takes a full build. What the last build was made from is kept by the build
cache (briefings/cache.py).
"""

from __future__ import annotations

import json
import os
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from briefings import __version__
from briefings.cache import BuildCache, SiteRecord
from briefings.engine.base import SitePlan
from briefings.engine.linkcheck import page_output
from briefings.engine.theme import theme_of
from briefings.fileio import digest
from briefings.options import BuildOptions
from briefings.project import Project

MAX_SHARE = 0.15  # past this share of changed pages (and MIN_PAGES) a full build is as quick
MIN_PAGES = 20
_MD_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)\s]*)?\)")


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
    return {
        p.relative_to(docs_dir).as_posix(): [s.st_size, s.st_mtime_ns]
        for p in docs_dir.rglob("*")
        if p.is_file()
        for s in (p.stat(),)
    }


def record(key: str, target: Path, docs_dir: Path) -> SiteRecord:
    return SiteRecord(key=key, target=target, files=stats(docs_dir))


def plan(
    cache: BuildCache, docs_dir: Path, target: Path, key: str, nav_pages: list[str], *, search: str = "material"
) -> SitePlan:
    """What a site build must redo: nothing, the changed pages only, or everything."""
    full = SitePlan(key=key)
    last = cache.site()
    if last is None or last.key != key or last.target != target:
        return full
    index = "pagefind/pagefind.js" if search == "pagefind" else "search/search_index.json"
    if not (target / index).is_file():
        return full
    before, now = last.files, stats(docs_dir)
    if set(before) != set(now):
        return full  # pages added or removed: the sitemap, listings of pages and search order change
    changed = sorted(name for name, stat in now.items() if before[name] != stat)
    pages = tuple(n for n in changed if n.endswith(".md"))
    files = tuple(n for n in changed if not n.endswith(".md"))
    if not pages and not files:
        return SitePlan(key=key, changed=(), up_to_date=True)
    if len(pages) > max(MIN_PAGES, MAX_SHARE * sum(1 for n in now if n.endswith(".md"))):
        return full
    context = set(nav_pages)
    for page in pages:  # the pages a changed page links to must exist for MkDocs to resolve its links
        text = (docs_dir / page).read_text("utf-8")
        for link in _MD_LINK.findall(text):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), link))
            if resolved in now:
                context.add(resolved)
    return SitePlan(key=key, changed=pages, context=tuple(sorted(context - set(pages))), changed_files=files)


def page_url(name: str) -> str:
    out = page_output(name)
    return "" if out == "index.html" else out[: -len("index.html")]


def apply(
    the_plan: SitePlan,
    *,
    docs_dir: Path,
    work: Path,
    target: Path,
    staging: Path,
    build_pages: Callable[[Path, Path], None],
    search: str = "material",
) -> None:
    """Stage the previous site with the changed pages rebuilt. ``build_pages(docs, site)``
    runs the engine over a docs folder into a site folder; ``work`` is scratch
    space. With Pagefind, the staged site is left without a search bundle, for
    the caller to index."""
    assert the_plan.changed is not None
    shutil.rmtree(work, ignore_errors=True)
    docs, site = work / "docs", work / "site"
    for name in the_plan.changed + the_plan.context:
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(docs_dir / name, docs / name)
    build_pages(docs, site)

    _link_tree(target, staging)
    for name in the_plan.changed:
        _replace(site / page_output(name), staging / page_output(name))
    for name in the_plan.changed_files:
        _replace(docs_dir / name, staging / name)
    if search == "pagefind":
        # Hard links to the published bundle: removed, never written through; index_site
        # links the unchanged shards' kept bundles back and indexes the changed ones.
        shutil.rmtree(staging / "pagefind")
    else:
        _splice_search_index(
            staging / "search" / "search_index.json",
            site / "search" / "search_index.json",
            {page_url(n) for n in the_plan.changed},
        )
    shutil.rmtree(work, ignore_errors=True)


def _link_tree(source: Path, dest: Path) -> None:
    """dest becomes a copy of source made of hard links: instant, and safe as long
    as files are only ever replaced (new inode), never written in place."""
    for folder, _, files in os.walk(source):
        rel = Path(folder).relative_to(source)
        (dest / rel).mkdir(parents=True, exist_ok=True)
        for name in files:
            os.link(Path(folder) / name, dest / rel / name)


def _replace(source: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.new")
    shutil.copyfile(source, tmp)
    tmp.replace(dest)  # a new inode: the previous site's file is untouched


def _splice_search_index(staged: Path, rebuilt: Path, urls: set[str]) -> None:
    """Replace, in place, the entries of the rebuilt pages; keep everything else."""
    old = json.loads(staged.read_text("utf-8"))
    fresh: dict[str, list[dict[str, object]]] = {}  # Material's search_index.json entries, by page
    for entry in json.loads(rebuilt.read_text("utf-8"))["docs"]:
        url = entry["location"].split("#", 1)[0]
        if url in urls:
            fresh.setdefault(url, []).append(entry)
    docs, done = [], set()
    for entry in old["docs"]:
        url = entry["location"].split("#", 1)[0]
        if url not in urls:
            docs.append(entry)
        elif url not in done:
            docs.extend(fresh.get(url, []))
            done.add(url)
    # As Material writes it:
    data = json.dumps({"config": old["config"], "docs": docs}, separators=(",", ":"), default=str)
    tmp = staged.with_name(f".{staged.name}.new")
    tmp.write_text(data, "utf-8")
    tmp.replace(staged)
