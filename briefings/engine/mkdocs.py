"""MkDocs + Material: the default engine.

The generated pages are built with MkDocs' own build command, with what
briefings owns laid over mkdocs.yml (where the pages are, the generated
navigation, directory URLs). When only a few pages changed since the last
build, only those are rebuilt (``engine/incremental.py``). MkDocs' log is
collected, never printed: warnings come back to the caller, errors are one
line naming the content file behind a generated page.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import jinja2

from briefings.cache import BuildCache
from briefings.engine import incremental
from briefings.engine.base import RETIRED_PLUGINS, SiteJob, SitePlan, extra_for_templates, plugin_names
from briefings.engine.pagebuild import build_site, write_sitemap
from briefings.engine.theme import engine_theme, theme_of
from briefings.errors import SiteBuildError
from briefings.parallel import Workers

# Article pages are deliberately not in the nav (Material copies the nav into
# every page); MkDocs should not list them all as pages left out of it.
NOT_IN_NAV = "/articles/\n"
# Plugins whose pages briefings knows (search; the tags plugin is turned off): with any other
# in mkdocs.yml, pages added or removed build every page (engine/incremental.py).
OWN_PLUGINS = {"search", "material/search", *RETIRED_PLUGINS}
TEMPLATES_DIR = "templates"  # in the build folder: the theme's templates, compiled (Jinja's bytecode cache)


class _Collect(logging.Handler):
    """Keeps MkDocs' warnings so the CLI can print them; the library never prints."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.errors = 0  # ERROR and above; the rest are warnings strict mode refuses

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))
        self.errors += record.levelno >= logging.ERROR


@contextlib.contextmanager
def mkdocs_logs() -> Iterator[_Collect]:
    """Collect MkDocs' warnings and errors instead of letting them print."""
    collect = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collect)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield collect
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate


@contextlib.contextmanager
def source_date_epoch(default: int) -> Iterator[None]:
    """Pin MkDocs' build date (sitemap, gzip header) so the same content builds
    the same bytes. A SOURCE_DATE_EPOCH set by the caller wins."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(default)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def nav_pages(nav: list[Any]) -> list[str]:
    """Every page the navigation names."""
    found: list[str] = []
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            found.extend(nav_pages(value) if isinstance(value, list) else [value])
    return found


class MkDocsEngine:
    name = "mkdocs"
    incremental = True

    def __init__(self, job: SiteJob):
        self.job = job
        self.warnings: list[str] = []

    def config(self, *, docs_dir: Path, site_dir: Path) -> Any:
        """mkdocs.yml (the bytes read once for this build) with what briefings owns laid over it."""
        from mkdocs.config import load_config
        from mkdocs.exceptions import MkDocsException

        options = self.job.options
        theme = theme_of(options.config)
        overrides: dict[str, Any] = {
            # The desk's overrides (when it has any) first, the package's theme after them.
            "theme": engine_theme(options.config.raw, theme.dirs[0]),
            "docs_dir": str(docs_dir),
            "site_dir": str(site_dir),
            "nav": self.job.nav,
            "strict": options.strict,
            "use_directory_urls": True,  # the templates rely on them
            "not_in_nav": NOT_IN_NAV,
            "extra": extra_for_templates(options.config.raw, options),
        }
        if options.base_url is not None:
            overrides["site_url"] = options.base_url
        with mkdocs_logs() as logs:
            try:
                config = load_config(options.config.stream(), config_file_path=str(options.config.path), **overrides)
            except (MkDocsException, SystemExit) as exc:
                detail = "; ".join(logs.messages) or " ".join(str(exc).split())
                warned = options.strict and logs.messages and not logs.errors
                hint = " (fix it, or build with --no-strict)" if warned else ""
                raise SiteBuildError(f"mkdocs.yml: {detail}{hint}") from None
        config.theme.dirs[1:1] = [str(folder) for folder in theme.dirs[1:]]  # before Material's own
        if options.search == "pagefind" and "material/search" in config.plugins:
            # Pagefind replaces it: don't build Material's index (66 MB at 10,000 pages).
            config.plugins["material/search"].config.enabled = False
        if "material/tags" in config.plugins:
            # The topics are the tags: no Tags page, no tags.json (the pipeline notes it).
            config.plugins["material/tags"].config.enabled = False
        self.warnings = list(logs.messages)  # from mkdocs.yml itself, kept for --no-strict
        return config

    def plan(self, target: Path, cache: BuildCache) -> SitePlan:
        options = self.job.options
        key = incremental.site_key(self.job.project, options, nav=self.job.nav)
        # The build date's day, which pages show: a new one is written into the last build's
        # pages, unless the desk's theme shows it in a way of its own.
        day = incremental.build_day(self.job.epoch)
        if options.full:
            return SitePlan(key=key, day=day)
        theme = theme_of(options.config)
        overrides = [theme.files()[rel] for rel in theme.overridden()]
        return incremental.plan(
            cache,
            self.job.project.docs_dir,
            target,
            key,
            nav_pages(self.job.nav),
            day=day,
            redate=not incremental.shows_build_date(overrides),
            search=options.search,
            other_plugins=bool(set(plugin_names(options.config.raw)) - OWN_PLUGINS),
        )

    def unchecked(self, plan: SitePlan) -> tuple[str, ...]:
        # Bodies are HTML to MkDocs, whose links it does not check. An incremental
        # build checks every link of the pages it rebuilt, which includes those, and
        # when pages went, the bodies' links again, which may have led to them.
        if plan.changed is None:
            return self.job.linking()
        if any(name.endswith(".md") for name in plan.removed):
            return tuple(sorted({*plan.changed, *self.job.linking()}))
        return plan.changed

    def build(self, plan: SitePlan, site: Path, previous: Path) -> list[str]:
        docs = self.job.project.docs_dir
        if not plan.incremental:
            return self._build(self.config(docs_dir=docs, site_dir=site), previous)
        messages: list[str] = []

        def build_pages(part: Path, into: Path) -> None:
            messages.extend(self._build(self.config(docs_dir=part, site_dir=into), previous))

        def sitemap(every: Path, into: Path, files: Collection[str]) -> None:
            with mkdocs_logs(), source_date_epoch(self.job.epoch):
                write_sitemap(self.config(docs_dir=every, site_dir=into), files)

        incremental.apply(
            plan,
            docs_dir=docs,
            work=self.job.project.build_dir / "incremental",
            staging=site,
            build_pages=build_pages,
            write_sitemap=sitemap,
            search=self.job.options.search,
        )
        return messages

    def _build(self, config: Any, previous: Path) -> list[str]:
        """One MkDocs build; its warnings, with those of mkdocs.yml first."""
        from mkdocs.exceptions import MkDocsException

        strict, sources = self.job.options.strict, self.job.sources
        untouched = f"the previous site in {previous.name}/ is untouched"
        with mkdocs_logs() as logs, source_date_epoch(self.job.epoch):
            try:
                build_site(  # MkDocs' build, pages in workers
                    config, Workers(self.job.options.workers), templates=self.job.project.build_dir / TEMPLATES_DIR
                )
            except (MkDocsException, SystemExit):
                detail = "; ".join(name_sources(logs.messages, sources)) or "unknown error"
                hint = "; fix it, or build with --no-strict" if strict and logs.messages else ""
                raise SiteBuildError(f"MkDocs could not build the site: {detail} ({untouched}{hint})") from None
            except jinja2.TemplateError as exc:
                raise SiteBuildError(f"{template_error(exc, self.job.project.root)} ({untouched})") from None
        return self.warnings + name_sources(logs.messages, sources)


def template_error(exc: jinja2.TemplateError, root: Path) -> str:
    """A theme template that does not compile or render, as FILE:LINE: message."""
    where = "theme"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "a template"
        with contextlib.suppress(ValueError):  # outside the project: the name as Jinja gives it
            name = Path(name).resolve().relative_to(root).as_posix()
        where = f"{name}:{exc.lineno}" if exc.lineno else name
    return f"{where}: template error: {' '.join(str(exc.message or exc).split())} (expected valid Jinja)"


def name_sources(messages: list[str], sources: dict[str, str] | None) -> list[str]:
    """MkDocs names the generated page; point the curator at the file they wrote."""
    if not sources:
        return messages
    return [
        re.sub(r"Doc file '([^']+)'", lambda m: f"{sources.get(m.group(1), m.group(1))}", message)
        for message in messages
    ]
