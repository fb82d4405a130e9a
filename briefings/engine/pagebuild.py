"""MkDocs' build command, with the pages built by forked worker processes.

MkDocs reads, converts and renders pages one after another; at 10,000 articles
that is most of a build. Here this process does what concerns the whole site
once (the configuration's plugin events, the files, the navigation, static
files, the theme's own templates such as 404.html and the sitemap, the search
index), and forked workers read, convert and render contiguous slices of the
pages. Their log records and search entries come back and are merged in page
order, so the site is byte-identical to MkDocs' serial build
(tests/test_pagebuild.py).

Only plugins whose whole-site state is known here take part: Material's
search (its entries are merged). A site with any other plugin, or with
anchor validation at warning level (which needs every page's anchors in one
process), is built by MkDocs' own command. This follows MkDocs 1.6's
``mkdocs.commands.build.build`` step by step (mkdocs<2 is pinned).
"""

from __future__ import annotations

import gzip
import logging
import os
import posixpath
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from briefings.engine.pageconvert import (
    json_front_matter,
    raw_blocks_set_aside,
    raw_html_anchors_unread,
    reused_markdown,
)
from briefings.engine.pageframe import (
    render_once_per_folder,
    templates_compiled_once,
    theme_files_listed_without_dot_folders,
)
from briefings.parallel import Workers

# The one plugin whose per-page work may run in workers: the parent merges its entries.
SEARCH_PLUGIN = "material/search"


@dataclass(frozen=True)
class _Slice:
    """What a worker sends back for one slice of the pages."""

    reading: list[tuple[str, int, str]]  # log records while reading and converting: (logger, level, message)
    rendering: list[tuple[str, int, str]]  # ... while rendering and writing
    search: list[dict[str, Any]]  # Material's search entries for these pages, in page order
    failed: BaseException | None = None


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.records.append((record.name, record.levelno, record.getMessage()))


def parallel_safe(config: Any) -> bool:
    """Can this site's pages be built by workers with the same result?"""
    enabled = [name for name, plugin in config.plugins.items() if getattr(plugin.config, "enabled", True)]
    anchors = config.validation.links.anchors
    return all(name == SEARCH_PLUGIN for name in enabled) and anchors < logging.WARNING


def build_site(config: Any, workers: Workers, *, templates: Path | None = None) -> None:
    """Build the site as ``mkdocs build`` does, the pages in workers when it pays; the theme's
    templates compiled once and kept in ``templates`` (a folder of the build folder)."""
    from mkdocs.commands.build import build

    parallel = workers.count > 1 and parallel_safe(config)
    pages = markdown_files(config.docs_dir, enough=workers.threshold_of()) if parallel else 0
    with (
        json_front_matter(),
        reused_markdown(),
        raw_blocks_set_aside(),
        templates_compiled_once(templates),
        theme_files_listed_without_dot_folders(),
    ):
        if not workers.forks(pages):
            build(config)
            return
        with raw_html_anchors_unread():
            _build_in_workers(config, workers)


def markdown_files(docs_dir: str, *, enough: int) -> int:
    """How many Markdown files ``docs_dir`` holds, counted up to ``enough``: whether the pages
    are worth the workers. Not MkDocs' ``get_files``, which costs about a second at 10,000
    articles and is called again for the build itself; a page MkDocs would exclude only
    makes the count a little high, and the output is the same serial or not."""
    found = 0
    folders = [docs_dir]
    while folders and found < enough:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.path)
                elif entry.name.endswith(".md"):
                    found += 1
    return found


def _build_in_workers(config: Any, workers: Workers) -> None:
    from mkdocs import utils
    from mkdocs.commands.build import _build_extra_template, _build_page, _build_theme_template, _populate_page
    from mkdocs.exceptions import Abort, BuildError
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    logger = logging.getLogger("mkdocs")
    counter = utils.CountHandler()
    counter.setLevel(logging.WARNING)
    if config.strict:
        logger.addHandler(counter)
    inclusion = InclusionLevel.is_included
    try:
        config = config.plugins.on_config(config)
        config.plugins.on_pre_build(config=config)
        utils.clean_directory(config.site_dir)
        files = get_files(config)
        env = config.theme.get_env()
        files.add_files_from_theme(env, config)
        files = config.plugins.on_files(files, config=config)
        set_exclusions(files, config)
        nav = get_navigation(files, config)
        nav = config.plugins.on_nav(nav, config=config, files=files)
        doc_files = files.documentation_pages(inclusion=inclusion)
        for file in doc_files:
            if file.page is None and file.inclusion.is_not_in_nav():
                Page(None, file, config)
        # The whole-site parts, here. No plugin allowed in parallel_safe reads pages in these events.
        env = config.plugins.on_env(env, config=config, files=files)
        files.copy_static_files(dirty=False, inclusion=inclusion)
        for template in config.theme.static_templates:
            _build_theme_template(template, env, files, config, nav)
        for template in config.extra_templates:
            _build_extra_template(template, files, config, nav)
        search = _search_index(config)
        render_once_per_folder(env)

        def build_slice(span: range) -> _Slice:
            handler = _Records()
            logger.addHandler(handler)
            before = len(search.entries) if search is not None else 0
            reading: list[tuple[str, int, str]] = []
            try:
                for i in span:
                    _populate_page(doc_files[i].page, config, files)
                reading, handler.records = handler.records, []
                for i in span:
                    file = doc_files[i]
                    _build_page(file.page, config, doc_files, nav, env, excluded=file.inclusion.is_excluded())
            except Exception as exc:  # noqa: BLE001 - sent back with the records that say what failed
                return _Slice(reading, handler.records, [], exc)
            finally:
                logger.removeHandler(handler)
            return _Slice(reading, handler.records, search.entries[before:] if search is not None else [])

        slices, _ = workers.chunks(build_slice, len(doc_files), lambda: None)
        # Replay what the workers logged, in MkDocs' order: all reading, then all rendering.
        for records in [s.reading for s in slices] + [s.rendering for s in slices]:
            for name, level, message in records:
                logging.getLogger(name).log(level, "%s", message)
        for part in slices:
            if part.failed is not None:
                raise part.failed
            if search is not None:
                search.entries.extend(part.search)
        config.plugins.on_post_build(config=config)
        if counts := counter.get_counts():
            raise Abort(f"Aborted with {', '.join(f'{v} {k.lower()}s' for k, v in counts)} in strict mode!")
    except Exception as exc:
        config.plugins.on_build_error(error=exc)
        if isinstance(exc, BuildError):
            logger.error(str(exc))
            raise Abort("Aborted with a BuildError!") from None
        raise
    finally:
        logger.removeHandler(counter)


def _search_index(config: Any) -> Any:
    """Material's search index (its ``entries`` list), when its plugin is on."""
    plugin = config.plugins.get(SEARCH_PLUGIN)
    if plugin is None or not getattr(plugin.config, "enabled", True):
        return None
    return plugin.search_index


def write_sitemap(config: Any, docs_files: Collection[str] | None = None) -> None:
    """Only MkDocs' sitemap (sitemap.xml and its .gz) of every page in ``config.docs_dir``,
    into ``config.site_dir``, as its build writes it: for an incremental build that added or
    removed pages. The pages are listed, not read (0.3 s at 10,000 articles). ``docs_files``:
    every file in ``config.docs_dir`` (relative), when known: then, where MkDocs would list
    the same pages, they are taken from it (``_listed_sitemap``)."""
    from mkdocs.commands.build import _build_theme_template
    from mkdocs.structure.files import InclusionLevel, get_files, set_exclusions
    from mkdocs.structure.nav import get_navigation
    from mkdocs.structure.pages import Page

    if "sitemap.xml" not in config.theme.static_templates:
        return
    if docs_files is not None and _listed_sitemap(config, docs_files):
        return
    config = config.plugins.on_config(config)
    files = config.plugins.on_files(get_files(config), config=config)
    set_exclusions(files, config)
    nav = get_navigation(files, config)
    nav = config.plugins.on_nav(nav, config=config, files=files)
    for file in files.documentation_pages(inclusion=InclusionLevel.is_included):
        if file.page is None and file.inclusion.is_not_in_nav():
            Page(None, file, config)
    env = config.plugins.on_env(config.theme.get_env(), config=config, files=files)
    _build_theme_template("sitemap.xml", env, files, config, nav)


@dataclass(frozen=True)
class _Listed:
    """What MkDocs' own sitemap template reads of a page (``File.page``)."""

    abs_url: str | None
    canonical_url: str | None
    update_date: str
    is_link: bool = False


@dataclass(frozen=True)
class _ListedFile:
    page: _Listed


def _listed_sitemap(config: Any, docs_files: Collection[str]) -> bool:
    """Write the sitemap as ``write_sitemap`` does, but from the list of the docs' files
    instead of MkDocs' files, navigation and pages (3.5 s at 100,000 articles, 0.35 s at
    10,000): MkDocs' own template reads only each page's URLs and date. False, having written
    nothing, where MkDocs could list other pages, or the template read more of them: a desk's
    own sitemap.xml, a plugin turned on, exclude_docs or draft_docs, a name MkDocs treats
    apart (a dot file, README, templates/, another Markdown suffix)."""
    import mkdocs
    from mkdocs import utils

    template = config.theme.get_env().get_template("sitemap.xml")
    stock = Path(mkdocs.__file__).parent / "templates" / "sitemap.xml"
    if template.filename is None or Path(template.filename).resolve() != stock.resolve():
        return False
    if any(getattr(plugin.config, "enabled", True) for plugin in config.plugins.values()):
        return False
    if config.get("exclude_docs") or config.get("draft_docs") or not config.use_directory_urls:
        return False  # (not_in_nav: such pages are listed all the same)
    names = []
    for name in docs_files:
        parts = name.split("/")
        if any(part.startswith(".") for part in parts) or parts[0] == "templates":
            return False  # MkDocs leaves these out (its default exclude_docs)
        if not name.endswith(utils.markdown_extensions):
            continue
        if not name.endswith(".md") or parts[-1] == "README.md":
            return False
        names.append(name)
    # MkDocs' order: a folder's files (index.md first), then its folders, each by name (get_files).
    names.sort(key=walk_order)
    date = utils.get_build_date()  # each page's update_date: the build's day (SOURCE_DATE_EPOCH)
    base = config.site_url
    if base and not base.endswith("/"):
        base += "/"
    pages = []
    for name in names:
        canonical = urljoin(base, _page_url(name)) if base else None
        pages.append(_ListedFile(_Listed(urlsplit(canonical).path if canonical else None, canonical, date)))
    output = template.render(pages=pages)
    if output.strip():  # as mkdocs.commands.build._build_theme_template writes it
        path = os.path.join(config.site_dir, "sitemap.xml")
        utils.write_file(output.encode("utf-8"), path)
        with open(f"{path}.gz", "wb") as f:
            listed: Any = [p.page for p in pages]  # what it reads of a page: update_date
            stamp = utils.get_build_timestamp(pages=listed)
            with gzip.GzipFile(fileobj=f, filename=f"{path}.gz", mode="wb", mtime=stamp) as gz:
                gz.write(output.encode("utf-8"))
    return True


def walk_order(name: str) -> tuple[tuple[int, Any], ...]:
    """A docs file's place in MkDocs' walk: in each folder its files (index first: MkDocs'
    ``_file_sort_key``), then its folders, by name."""
    *folders, file = name.split("/")
    stem = os.path.splitext(file)[0]
    return (*((1, folder) for folder in folders), (0, (stem not in ("index", "README"), file)))


def _page_url(name: str) -> str:
    """A Markdown page's URL, as ``mkdocs.structure.files.File.url`` makes it with
    use_directory_urls (which briefings sets): ``a/b.md`` is ``a/b/``, ``a/index.md`` ``a/``."""
    parent, file = posixpath.split(name)
    stem = posixpath.splitext(file)[0]
    folder = parent if stem == "index" else posixpath.join(parent, stem)
    return quote(f"{folder or '.'}/")
