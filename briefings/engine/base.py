"""What every engine is given and must do.

An engine turns the generated Markdown tree into a site, in a folder it is
handed: MkDocs + Material (``engine/mkdocs.py``), or Zensical
(``engine/zensical.py``). The pipeline does the rest around it, the same for
both: staging, the search index, checking links, the swap.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from briefings.cache import BuildCache
from briefings.options import BuildOptions
from briefings.project import Project


@dataclass(frozen=True)
class SiteJob:
    """The generated pages, and how to build them."""

    project: Project
    options: BuildOptions
    nav: list[Any]  # MkDocs' nav value
    sources: dict[str, str]  # generated article page -> the content file it came from, for messages
    epoch: int  # the build date (sitemap, gzip headers): the newest article's, unless SOURCE_DATE_EPOCH is set
    linking: tuple[str, ...] = ()  # generated pages with links no engine checks (article bodies)


@dataclass(frozen=True)
class SitePlan:
    """What a site build must do."""

    key: str  # everything but the pages that every page's HTML depends on
    changed: tuple[str, ...] | None = None  # incremental: only these pages change; None: build every page
    context: tuple[str, ...] = ()  # incremental: pages built only so that navigation and links resolve
    changed_files: tuple[str, ...] = ()  # incremental: other generated files (feeds) to copy again
    up_to_date: bool = False  # the site folder already is what these pages build

    @property
    def incremental(self) -> bool:
        return self.changed is not None


class Engine(Protocol):
    name: str

    def plan(self, target: Path, cache: BuildCache) -> SitePlan:
        """A full build, an incremental one, or nothing to do."""
        ...

    def build(self, plan: SitePlan, site: Path, previous: Path) -> list[str]:
        """Build into the empty folder ``site`` (``previous`` is the published site,
        for an incremental build). Returns warnings; raises SiteBuildError."""
        ...

    def unchecked(self, plan: SitePlan) -> tuple[str, ...]:
        """Generated pages whose links this build did not check: the pipeline checks them."""
        ...
