"""The whole build in one function: load → validate → group → render → write → build site."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefings import __version__
from briefings.pages.body import broken_article_links, might_link_locally
from briefings.cache import Cache, digest
from briefings.pages.emit import render_and_write
from briefings.errors import ContentError
from briefings.pages.group import group, select
from briefings.engine.guard import DEFAULT_MAX_MEMORY_GB
from briefings.content.load import load_content
from briefings.lock import WorkLock
from briefings.content.model import Content, Edition
from briefings.project import Project
from briefings.pages.render import Pages, navigation, sources_of
from briefings.options import read_settings
from briefings.engine.site import (
    SiteResult,
    build_site,
    domain_name,
    normalise_base_url,
    site_folder,
)
from briefings.pages.write import WriteStats

# Wraps the list of article files as they are read, e.g. with a progress bar.
Track = Callable[[list[Path]], Iterable[Path]]


@dataclass(frozen=True)
class BuildReport:
    edition: Edition
    written: WriteStats
    site: SiteResult | None
    seconds: float


def check(project: Project, *, track: Track | None = None) -> Content:
    """Load and validate only. Raises ContentError with every problem."""
    settings = read_settings(project)
    content = load_content(project.root, max_file_bytes=settings.max_file_mb * 2**20, track=track)
    validate_links(project, content)
    return content


def validate_links(project: Project, content: Content) -> None:
    """Links between article files, which the render stage turns into links between pages."""
    problems = broken_article_links(content.articles, project.root)
    if problems:
        raise ContentError(problems)


def generate(project: Project, *, drafts: bool = False, now: dt.datetime | None = None,
             site_url: str | None = None, track: Track | None = None):
    """Content → Markdown pages in build/docs. Returns the edition, pages and write stats.

    Work from earlier runs is reused (build/cache/): unchanged articles are not
    parsed again, and when nothing that the pages depend on changed, nothing
    is rendered or written at all.
    """
    with collector_paused():
        return _generate(project, drafts=drafts, now=now, site_url=site_url, track=track)


@contextlib.contextmanager
def collector_paused():
    """Generation builds large trees of objects that do not form cycles: the
    garbage collector's passes over them find nothing, and cost ~5% of a cold
    run of a big archive (and copied memory in forked workers)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _generate(project: Project, *, drafts: bool, now: dt.datetime | None, site_url: str | None,
              track: Track | None):
    now = now or dt.datetime.now(dt.timezone.utc)
    settings = read_settings(project, site_url=site_url)
    max_bytes = settings.max_file_mb * 2**20
    cache = Cache.open(project.build_dir / "cache", key=cache_key(project, max_bytes), root=project.root)
    # load + validate: raises before anything is written
    content = load_content(project.root, max_file_bytes=max_bytes, track=track, cache=cache)
    edition = group(content, select(content, drafts=drafts, now=now), now=now)
    fingerprint = inputs_fingerprint(content, edition, settings, cache)
    pages = Pages(files={}, nav=navigation(edition), sources=sources_of(edition))
    if fingerprint != cache.fingerprint:
        validate_links(project, content)  # (a stored fingerprint means these inputs passed)
    if fingerprint == cache.fingerprint and project.docs_dir.is_dir():
        cache.save()  # a touched file's new mtime
        count = sum(len(files) for _, _, files in os.walk(project.docs_dir))
        stats = WriteStats(written=0, unchanged=count, removed=0)
    else:
        cache.forget_fingerprint()
        # render + write; this process saves the parsed articles while workers render
        stats = render_and_write(edition, settings, project.docs_dir, also=cache.save)
        cache.store_fingerprint(fingerprint)
    return edition, pages, stats


def cache_key(project: Project, max_bytes: int) -> str:
    """Parsed articles stay valid while topics.yml and the size limit do."""
    try:
        topics = (project.content_dir / "topics.yml").read_bytes()
    except OSError:
        topics = b""
    return digest(topics + f"|{max_bytes}".encode())


def inputs_fingerprint(content: Content, edition: Edition, settings, cache: Cache) -> str:
    """Everything the generated pages depend on, in one hash."""
    files = [(rel, entry.digest) for rel, entry in sorted(cache.articles.items())]
    return digest(repr((__version__, settings, content.topics, content.people, files,
                        [a.slug for a in edition.articles], sorted(edition.unpublished))))


def content_epoch(edition: Edition) -> int:
    """The newest date in the published content: the site's build date."""
    stamps = [a.published for a in edition.articles] + [a.updated for a in edition.articles if a.updated]
    # It becomes SOURCE_DATE_EPOCH, and gzip headers (sitemap.xml.gz) hold an unsigned 32-bit
    # time: clamp articles dated before 1970 and far-future drafts (built with --drafts).
    return max(0, min(int(max(stamps).timestamp()), 2**32 - 1)) if stamps else 0


def build(
    project: Project,
    *,
    drafts: bool = False,
    strict: bool = True,
    site_dir: Path | None = None,
    now: dt.datetime | None = None,
    base_url: str | None = None,
    cname: str | None = None,
    track: Track | None = None,
    engine: str = "mkdocs",
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
    full: bool = False,
    wait: bool = True,
    on_wait: Callable[[int | None], None] = lambda pid: None,
) -> BuildReport:
    """``base_url`` replaces mkdocs.yml's site_url; ``cname`` its ``extra.cname``.
    ``engine`` is mkdocs or zensical; ``max_memory_gb`` limits Zensical and Pagefind.
    One build of a build folder runs at a time: while another holds it, this one
    waits (``on_wait(pid)`` is told once), or with ``wait=False`` raises BuildBusy."""
    started = time.perf_counter()
    # Bad hosting settings fail before anything is written.
    base_url = normalise_base_url(base_url) if base_url is not None else None
    cname = domain_name(cname)
    settings = read_settings(project)
    what = "preview" if project.work else "build"
    site_folder(project, site_dir)  # a folder the build may not replace is refused before any work
    with WorkLock(project.build_dir, what=what, wait=wait, on_wait=on_wait):
        edition, pages, stats = generate(project, drafts=drafts, now=now, site_url=base_url, track=track)
        site = build_site(project, nav=pages.nav, strict=strict, site_dir=site_dir, sources=pages.sources,
                          epoch=content_epoch(edition), base_url=base_url, cname=cname, engine=engine,
                          search=settings.search, max_memory_gb=max_memory_gb, full=full,
                          search_full_text=settings.search_full_text, linking=linking_pages(edition))
    return BuildReport(edition=edition, written=stats, site=site, seconds=time.perf_counter() - started)


def linking_pages(edition: Edition) -> tuple[str, ...]:
    """Generated article pages whose body links inside the site: the build checks their links."""
    return tuple(f"articles/{a.slug}.md" for a in edition.articles if might_link_locally(a.body))
