"""What every engine is given and must do.

An engine turns the generated Markdown tree into a site, in a folder it is
handed: MkDocs + Material (``engine/mkdocs.py``), or Zensical
(``engine/zensical.py``). The pipeline does the rest around it, the same for
both: staging, the search index, checking links, the swap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    # Generated pages with links no engine checks (article bodies): found only when a full build asks.
    linking: Callable[[], tuple[str, ...]] = tuple


@dataclass(frozen=True)
class SitePlan:
    """What a site build must do."""

    key: str  # everything but the pages that every page's HTML depends on
    changed: tuple[str, ...] | None = None  # incremental: only these pages change; None: build every page
    context: tuple[str, ...] = ()  # incremental: pages built only so that navigation and links resolve
    changed_files: tuple[str, ...] = ()  # incremental: other generated files (feeds) to copy again
    # incremental: generated files (pages or others) new since the last build, also in changed or
    # changed_files; and those gone, whose output the build deletes from the staged copy
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    day: str | None = None  # the build date's day the pages show, when the engine keeps track of it
    # incremental: (the last build's day, this one's) when it moved on: every page's footer date is
    # rewritten in place, the pages left as they were (engine/incremental.py)
    redate: tuple[str, str] | None = None
    up_to_date: bool = False  # the site folder already is what these pages build
    stats: dict[str, list[int]] | None = None  # the generated files' stats, when the plan took them
    pages: int | None = None  # HTML pages in the site, when the last build's count still holds
    spare: tuple[str, ...] | None = None  # incremental: where the previous build's spare copy differs from the site
    spare_day: str | None = None  # incremental: the day the spare's pages show, when not the site's
    # The site's bytes as the last build of every page counted them, less the pages removed since:
    # an incremental build changes a few pages by a few bytes (the pages added are counted after it).
    size: int | None = None

    @property
    def incremental(self) -> bool:
        return self.changed is not None


class Engine(Protocol):
    name: str
    incremental: bool  # can build only the changed pages (then the previous site is kept as a spare)

    def plan(self, target: Path, cache: BuildCache) -> SitePlan:
        """A full build, an incremental one, or nothing to do."""
        ...

    def build(self, plan: SitePlan, site: Path, previous: Path) -> list[str]:
        """Build into the empty folder ``site``; for an incremental build, ``site`` is a copy
        of ``previous``, the published site. Returns warnings; raises SiteBuildError."""
        ...

    def unchecked(self, plan: SitePlan) -> tuple[str, ...]:
        """Generated pages whose links this build did not check: the pipeline checks them."""
        ...


# Plugins a desk's mkdocs.yml may still list that briefings turns off: Material's tags
# plugin (the topics are the site's taxonomy; there is no Tags page any more).
RETIRED_PLUGINS = ("tags", "material/tags")


def plugin_names(raw: Mapping[str, Any]) -> list[str]:
    """The plugins mkdocs.yml lists, by name (a plugin with options is a one-key mapping)."""
    return [next(iter(item)) if isinstance(item, dict) else str(item) for item in raw.get("plugins") or []]


def retired_plugins_note(raw: Mapping[str, Any]) -> str | None:
    """A line for the build's notes when mkdocs.yml lists a plugin briefings turns off."""
    listed = [name for name in plugin_names(raw) if name in RETIRED_PLUGINS]
    if not listed:
        return None
    return (
        f"mkdocs.yml: plugins: {listed[0]} is not used: the topics are the site's tags, and there is "
        f"no Tags page (remove `- {listed[0]}` from plugins)"
    )


def extra_for_templates(raw: Mapping[str, Any], options: BuildOptions) -> dict[str, Any]:
    """mkdocs.yml's ``extra:`` as the templates get it: ``extra.briefings.search`` is the
    search this build uses (Pagefind unless mkdocs.yml chose Material's), written or not."""
    extra = raw.get("extra")
    extra = dict(extra) if isinstance(extra, dict) else {}
    given = extra.get("briefings")
    extra["briefings"] = {**(given if isinstance(given, dict) else {}), "search": options.search}
    return extra
