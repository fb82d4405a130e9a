"""Run MkDocs + Material (or Zensical) over the generated pages, index them for
search if Pagefind is chosen, and swap the result in atomically."""

from __future__ import annotations

import contextlib
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from briefings.engine import incremental
from briefings.engine import sitefolder
from briefings.errors import SiteBuildError
from briefings.engine.guard import DEFAULT_MAX_MEMORY_GB
from briefings.engine.pagefind import index_site
from briefings.project import Project


@dataclass(frozen=True)
class SiteResult:
    site_dir: Path
    pages: int  # HTML pages in the site
    warnings: tuple[str, ...]
    updated: int | None = None  # pages rebuilt by an incremental build (0: the site was current); None: full build


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
def mkdocs_logs():
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


def hosting_settings(project: Project) -> tuple[Path, str | None]:
    """site_dir and site_url as mkdocs.yml sets them, read without building
    (MkDocs' full validation needs the generated pages to exist)."""
    raw = _raw_config(project)
    site_dir = project.root / str(raw.get("site_dir") or "site")
    return site_dir.resolve(), raw.get("site_url") or None


def _raw_config(project: Project) -> dict[str, Any]:
    from mkdocs.utils import yaml_load

    try:
        with project.config_file.open("rb") as handle:
            raw = yaml_load(handle) or {}
    except Exception as exc:  # noqa: BLE001 - any YAML error is the user's file
        raise SiteBuildError(f"mkdocs.yml: {' '.join(str(exc).split())}") from None
    if not isinstance(raw, dict):
        raise SiteBuildError("mkdocs.yml: expected a mapping of settings such as site_name:")
    return raw


def site_folder(project: Project, site_dir: Path | None = None) -> Path:
    """The site folder (``site_dir``, else mkdocs.yml's), checked before anything
    is built: a build may replace only a folder it owns (sitefolder.py)."""
    raw = _raw_config(project)
    target = site_dir if site_dir is not None else project.root / str(raw.get("site_dir") or "site")
    theme = raw.get("theme")
    custom_dir = theme.get("custom_dir") if isinstance(theme, dict) else None
    theme_dirs = (project.root / str(custom_dir),) if custom_dir else ()
    return sitefolder.check_site_dir(target, root=project.root, build_dir=project.build_dir,
                                     theme_dirs=theme_dirs, recorded=incremental.recorded_target(project))


def load_config(project: Project, *, nav: list[Any], strict: bool, site_dir: Path | None = None,
                base_url: str | None = None, docs_dir: Path | None = None):
    """mkdocs.yml with what briefings owns laid over it: where the pages are,
    the generated navigation, and directory URLs (the templates rely on them).
    ``base_url``, when given, replaces mkdocs.yml's ``site_url``."""
    from mkdocs.config import load_config as mkdocs_load_config
    from mkdocs.exceptions import MkDocsException

    overrides: dict[str, Any] = {
        "docs_dir": str(docs_dir or project.docs_dir),
        "nav": nav,
        "strict": strict,
        "use_directory_urls": True,
        # Article pages are deliberately not in the nav; don't list them all.
        "not_in_nav": "/articles/\n/tags.md\n",
    }
    if site_dir is not None:
        overrides["site_dir"] = str(site_dir)
    if base_url is not None:
        overrides["site_url"] = normalise_base_url(base_url)
    with mkdocs_logs() as logs:
        try:
            return mkdocs_load_config(config_file=str(project.config_file), **overrides)
        except (MkDocsException, SystemExit) as exc:
            detail = "; ".join(logs.messages) or " ".join(str(exc).split())
            hint = " (fix it, or build with --no-strict)" if strict and logs.messages and not logs.errors else ""
            raise SiteBuildError(f"mkdocs.yml: {detail}{hint}") from None


@contextlib.contextmanager
def source_date_epoch(default: int):
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


ENGINES = ("mkdocs", "zensical")


def build_site(project: Project, *, nav: list[Any], strict: bool, site_dir: Path | None,
               sources: dict[str, str] | None = None, epoch: int = 0,
               base_url: str | None = None, cname: str | None = None, engine: str = "mkdocs",
               search: str = "material", max_memory_gb: float = DEFAULT_MAX_MEMORY_GB,
               full: bool = False, search_full_text: bool = True, linking: tuple[str, ...] = ()) -> SiteResult:
    """Build into a staging folder beside the target; swap it in only on success
    (see sitefolder.py: the target always holds a whole site).

    ``engine`` is mkdocs or zensical; with ``search="pagefind"`` the staged site
    is indexed with Pagefind before it is swapped in. Zensical and Pagefind run
    in child processes limited to ``max_memory_gb``. ``linking`` names the
    generated pages whose links MkDocs does not check (article bodies are HTML
    to it): their links are checked in the staged site, as for an incremental build."""
    if engine not in ENGINES:
        raise SiteBuildError(f"unknown engine {engine!r} (expected one of: {', '.join(ENGINES)})")
    target = site_folder(project, site_dir)
    with mkdocs_logs() as load_logs:  # warnings from mkdocs.yml itself, kept for --no-strict
        config = load_config(project, nav=nav, strict=strict, site_dir=target, base_url=base_url)
    if search == "pagefind" and "material/search" in config.plugins:
        # Pagefind replaces it: don't build Material's index (66 MB at 10,000 pages).
        config.plugins["material/search"].config.enabled = False
    cname = domain_name(cname if cname is not None else config.extra.get("cname"))
    notes = list(load_logs.messages)
    restored = sitefolder.recover(target)
    if restored:
        notes.append(restored)

    key = incremental.site_key(project, nav=nav, engine=engine, search=search, base_url=base_url, cname=cname,
                               strict=strict, epoch=epoch, search_full_text=search_full_text)
    plan = None
    if not full and engine == "mkdocs":
        plan = incremental.plan(project, target, key, nav_pages(nav), search=search)
    if plan is not None and not plan.changed_pages and not plan.changed_files:
        pages = sum(1 for _ in target.rglob("*.html"))  # the site is already what these pages build
        return SiteResult(site_dir=target, pages=pages, warnings=tuple(notes), updated=0)

    incremental.forget(project)
    staging = sitefolder.stage(target)
    config.site_dir = str(staging.site)
    try:
        if engine == "zensical":
            messages = _build_with_zensical(project, nav=nav, staging=staging.site, base_url=base_url,
                                            strict=strict, search=search, max_memory_gb=max_memory_gb, epoch=epoch)
        elif plan is not None:
            messages = _update_with_mkdocs(project, plan, nav=nav, strict=strict, base_url=base_url, target=target,
                                           staging=staging.site, sources=sources, epoch=epoch, search=search)
        else:
            messages = _build_with_mkdocs(config, staging=staging.site, target=target, strict=strict,
                                          sources=sources, epoch=epoch)
            messages += check_pages(staging.site, linking, base_url=base_url, sources=sources, strict=strict,
                                    target=target)
        if search == "pagefind":
            index_site(staging.site, max_memory_gb=max_memory_gb, full_text=search_full_text)
        pages = sum(1 for p in staging.site.rglob("*.html") if p.parts[len(staging.site.parts)] != "pagefind")
        add_hosting_files(staging.site, cname)
        sitefolder.swap_in(staging, target)
    except OSError as exc:  # a full disk, a folder that became unwritable...
        sitefolder.discard(staging)
        where = f": {exc.filename}" if exc.filename else ""
        raise SiteBuildError(f"could not write the site: {exc.strerror or exc}{where} "
                             f"(the previous site in {target} is untouched)") from None
    except BaseException:
        sitefolder.discard(staging)
        raise
    incremental.remember(project, target, key)
    return SiteResult(site_dir=target, pages=pages, warnings=tuple(notes + messages),
                      updated=len(plan.changed_pages) if plan is not None else None)


def nav_pages(nav: list[Any]) -> list[str]:
    """Every page the navigation names."""
    found: list[str] = []
    for item in nav:
        values = item.values() if isinstance(item, dict) else [item]
        for value in values:
            found.extend(nav_pages(value) if isinstance(value, list) else [value])
    return found


def _update_with_mkdocs(project: Project, plan, *, nav: list[Any], strict: bool, base_url: str | None,
                        target: Path, staging: Path, sources: dict[str, str] | None, epoch: int,
                        search: str) -> list[str]:
    """Rebuild only the changed pages into a copy of the previous site (see incremental.py)."""
    messages: list[str] = []

    def build_pages(docs: Path, site: Path) -> None:
        with mkdocs_logs():
            config = load_config(project, nav=nav, strict=strict, base_url=base_url, docs_dir=docs)
        config.site_dir = str(site)  # briefings' own work folder in build/, past the guard for users' site_dir
        if search == "pagefind" and "material/search" in config.plugins:
            config.plugins["material/search"].config.enabled = False
        messages.extend(_build_with_mkdocs(config, staging=site, target=target, strict=strict, sources=sources,
                                           epoch=epoch))

    incremental.apply(project, plan, target=target, staging=staging, build_pages=build_pages, search=search)
    return messages + check_pages(staging, plan.changed_pages, base_url=base_url, sources=sources, strict=strict,
                                  target=target)


def check_pages(site: Path, pages: tuple[str, ...] | list[str], *, base_url: str | None,
                sources: dict[str, str] | None, strict: bool, target: Path) -> list[str]:
    """Check every link of these generated pages in the built ``site``: full and
    incremental builds check the pages MkDocs cannot (article bodies) alike.
    Broken links fail a strict build and are warnings otherwise."""
    if not pages:
        return []
    from briefings.engine.linkcheck import check_site

    outputs = {incremental.page_output(name): name for name in pages}
    broken = check_site(site, base_url or "/", only=set(outputs))
    messages = []
    for link in broken:
        name = outputs.get(link.page, link.page)
        where = (sources or {}).get(name, link.page)
        messages.append(f"{where}: link {link.href!r}: {link.reason}")
    if broken and strict:
        shown = "; ".join(messages[:5]) + (f"; and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise SiteBuildError(f"{len(broken)} broken link{'s' if len(broken) != 1 else ''}: {shown} "
                             f"(the previous site in {target.name}/ is untouched; fix it, or build with --no-strict)")
    return messages


def _build_with_zensical(project: Project, *, nav: list[Any], staging: Path, base_url: str | None, strict: bool,
                         search: str, max_memory_gb: float, epoch: int) -> list[str]:
    """Zensical has no strict link check of its own that briefings can rely on:
    check every link of the built site, and fail (strict) or warn on broken ones."""
    from mkdocs.utils import yaml_load

    from briefings.engine.zensical import build_with_zensical
    from briefings.engine.linkcheck import check_site

    with project.config_file.open("rb") as handle:
        raw = yaml_load(handle) or {}
    build_with_zensical(project, raw, nav=nav, staging=staging,
                        base_url=normalise_base_url(base_url) if base_url is not None else None,
                        pagefind=search == "pagefind", max_memory_gb=max_memory_gb, epoch=epoch)
    broken = check_site(staging)
    messages = [f"broken link: {link}" for link in broken]
    if broken and strict:
        shown = "; ".join(messages[:5]) + (f"; and {len(broken) - 5} more" if len(broken) > 5 else "")
        raise SiteBuildError(f"Zensical built a site with {len(broken)} broken link{'s' if len(broken) != 1 else ''}: "
                             f"{shown} (the previous site is untouched; fix it, or build with --no-strict)")
    return messages


def _build_with_mkdocs(config, *, staging: Path, target: Path, strict: bool, sources: dict[str, str] | None,
                       epoch: int) -> list[str]:
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    with mkdocs_logs() as logs, source_date_epoch(epoch):
        try:
            build(config)
        except (MkDocsException, SystemExit):
            detail = "; ".join(name_sources(logs.messages, sources)) or "unknown error"
            hint = "; fix it, or build with --no-strict" if strict and logs.messages else ""
            raise SiteBuildError(
                f"MkDocs could not build the site: {detail} (the previous site in {target.name}/ is untouched{hint})"
            ) from None
        except jinja2.TemplateError as exc:
            raise SiteBuildError(f"{template_error(exc, project_root(config))} "
                                 f"(the previous site in {target.name}/ is untouched)") from None
    return name_sources(logs.messages, sources)


def project_root(config) -> Path:
    return Path(config.config_file_path).resolve().parent


def template_error(exc: Exception, root: Path) -> str:
    """A theme template that does not compile or render, as FILE:LINE: message."""
    where = "theme"
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.filename or exc.name or "a template"
        try:
            name = Path(name).resolve().relative_to(root).as_posix()
        except ValueError:
            pass
        where = f"{name}:{exc.lineno}" if exc.lineno else name
    return f"{where}: template error: {' '.join(str(exc.message or exc).split())} (expected valid Jinja in theme/)"


def name_sources(messages: list[str], sources: dict[str, str] | None) -> list[str]:
    """MkDocs names the generated page; point the curator at the file they wrote."""
    if not sources:
        return messages
    return [
        re.sub(r"Doc file '([^']+)'", lambda m: f"{sources.get(m.group(1), m.group(1))}", message)
        for message in messages
    ]


def add_hosting_files(site: Path, cname: str | None) -> None:
    """GitHub Pages files, written into the staged site so they swap in with it:
    .nojekyll (serve the files as they are: no Jekyll run, which would hide
    folders starting with _) and, for a custom domain, CNAME."""
    for name, text in ((".nojekyll", ""), ("CNAME", f"{cname}\n" if cname else None)):
        if text is not None:
            (site / name).unlink(missing_ok=True)  # an incremental staging holds hard links: never write through them
            (site / name).write_text(text, encoding="utf-8")


def normalise_base_url(url: str) -> str:
    """The address the site is served from, e.g. https://user.github.io/repo/.
    A missing final slash is added (GitHub's configure-pages gives none).
    One rule for --base-url and mkdocs.yml's site_url: see settings.site_url_of."""
    from briefings.options import site_url_of

    return site_url_of(url, "base URL")


_DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]")


def domain_name(value: Any) -> str | None:
    """A custom domain for the CNAME file: a bare host name such as news.example.org."""
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not _DOMAIN.fullmatch(value.strip().lower()):
        raise SiteBuildError(
            f"CNAME {value!r} is not a domain name (expected a bare host name such as news.example.org, "
            "without https:// or a path)"
        )
    return value.strip().lower()
