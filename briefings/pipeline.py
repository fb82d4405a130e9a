"""The whole build in one function: load → validate → group → render → write → build site."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from pathlib import Path

from briefings.group import group, select
from briefings.guard import DEFAULT_MAX_MEMORY_GB
from briefings.loader import load_content
from briefings.model import Content, Edition
from briefings.project import Project
from briefings.render import render
from briefings.settings import read_settings
from briefings.site import SiteResult, build_site, domain_name, normalise_base_url
from briefings.write import WriteStats, write_pages


@dataclass(frozen=True)
class BuildReport:
    edition: Edition
    written: WriteStats
    site: SiteResult | None
    seconds: float


def check(project: Project) -> Content:
    """Load and validate only. Raises ContentError with every problem."""
    settings = read_settings(project)
    return load_content(project.root, max_file_bytes=settings.max_file_mb * 2**20)


def generate(project: Project, *, drafts: bool = False, now: dt.datetime | None = None,
             site_url: str | None = None):
    """Content → Markdown pages in build/docs. Returns the edition, pages and write stats."""
    now = now or dt.datetime.now(dt.timezone.utc)
    settings = read_settings(project, site_url=site_url)
    # load + validate: raises before anything is written
    content = load_content(project.root, max_file_bytes=settings.max_file_mb * 2**20)
    edition = group(content, select(content, drafts=drafts, now=now), now=now)
    pages = render(edition, settings)
    stats = write_pages(pages.files, project.docs_dir)
    return edition, pages, stats


def content_epoch(edition: Edition) -> int:
    """The newest date in the published content: the site's build date."""
    stamps = [a.published for a in edition.articles] + [a.updated for a in edition.articles if a.updated]
    # gzip headers hold 32 bits: clamp far-future drafts (built with --drafts).
    return min(int(max(stamps).timestamp()), 2**32 - 1) if stamps else 0


def build(
    project: Project,
    *,
    drafts: bool = False,
    strict: bool = True,
    site_dir: Path | None = None,
    now: dt.datetime | None = None,
    base_url: str | None = None,
    cname: str | None = None,
    engine: str = "mkdocs",
    max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
) -> BuildReport:
    """``base_url`` replaces mkdocs.yml's site_url; ``cname`` its ``extra.cname``.
    ``engine`` is mkdocs or zensical; ``max_memory_gb`` limits Zensical and Pagefind."""
    started = time.perf_counter()
    # Bad hosting settings fail before anything is written.
    base_url = normalise_base_url(base_url) if base_url is not None else None
    cname = domain_name(cname)
    search = read_settings(project).search
    edition, pages, stats = generate(project, drafts=drafts, now=now, site_url=base_url)
    site = build_site(project, nav=pages.nav, strict=strict, site_dir=site_dir, sources=pages.sources,
                      epoch=content_epoch(edition), base_url=base_url, cname=cname, engine=engine,
                      search=search, max_memory_gb=max_memory_gb)
    return BuildReport(edition=edition, written=stats, site=site, seconds=time.perf_counter() - started)
