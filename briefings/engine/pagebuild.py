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

import contextlib
import json
import logging
import re
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def build_site(config: Any, workers: Workers) -> None:
    """Build the site as ``mkdocs build`` does, the pages in workers when it pays."""
    from mkdocs.commands.build import build
    from mkdocs.structure.files import InclusionLevel

    pages = 0
    if workers.count > 1 and parallel_safe(config):
        from mkdocs.structure.files import get_files

        pages = len(get_files(config).documentation_pages(inclusion=InclusionLevel.is_included))
    with json_front_matter(), reused_markdown(), bodies_set_aside():
        if not workers.forks(pages):
            build(config)
            return
        with raw_html_anchors_unread():
            _build_in_workers(config, workers)


@contextlib.contextmanager
def _replaced(owner: Any, name: str, value: Any) -> Iterator[None]:
    """``owner.name`` is ``value`` for this build only, and put back after."""
    original = getattr(owner, name)
    setattr(owner, name, value)
    try:
        yield
    finally:
        setattr(owner, name, original)


@contextlib.contextmanager
def json_front_matter() -> Iterator[None]:
    """Read the front matter briefings writes (compact JSON, ``pages/frontmatter.py``)
    with ``json.loads`` instead of PyYAML: the same values, 1-2 ms a page less.

    JSON is YAML, so MkDocs reads it either way; anything else (a page of the
    desk's own, YAML that is not JSON) goes to MkDocs' own reader, as before.
    """
    from mkdocs.utils import meta

    original: Callable[[str], tuple[str, dict[str, Any]]] = meta.get_data

    def get_data(doc: str) -> tuple[str, dict[str, Any]]:
        if doc.startswith("---\n{") and (match := meta.YAML_RE.match(doc)):
            try:
                data = json.loads(match.group(1))
            except ValueError:
                return original(doc)
            if isinstance(data, dict):
                return doc[match.end() :].lstrip("\n"), data
        return original(doc)

    with _replaced(meta, "get_data", get_data):
        yield


# Python-Markdown's own extensions reset whatever they keep from one document in
# ``Markdown.reset()``; an extension from elsewhere may not, so with one of those
# every page gets a new converter, as in MkDocs.
RESETTABLE = frozenset(
    "abbr admonition attr_list codehilite def_list extra fenced_code footnotes legacy_attrs legacy_em "
    "md_in_html meta nl2br sane_lists smarty tables toc wikilinks".split()
)


@contextlib.contextmanager
def reused_markdown() -> Iterator[None]:
    """One Python-Markdown converter per process, reset between pages, instead of a
    new one for each page as MkDocs makes (about 1 ms a page: the extensions are
    loaded and set up again each time).

    MkDocs registers its own per-page processors by name on each page's converter,
    which replaces the previous page's, and ``reset()`` clears the rest; the pages
    come out the same (tests/test_pagebuild.py compares every sample page).
    """
    import markdown
    from mkdocs.structure import pages

    made: dict[int, tuple[list[Any], dict[str, Any], markdown.Markdown]] = {}

    def converter(*, extensions: list[Any], extension_configs: dict[str, Any]) -> markdown.Markdown:
        if not all(isinstance(e, str) and e.removeprefix("markdown.extensions.") in RESETTABLE for e in extensions):
            return markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        known = made.get(id(extensions))
        if known is not None and known[0] is extensions and known[1] == extension_configs:
            return known[2].reset()
        md = markdown.Markdown(extensions=extensions, extension_configs=extension_configs)
        made[id(extensions)] = (extensions, dict(extension_configs), md)
        return md

    module = types.ModuleType("markdown")
    module.__dict__.update(markdown.__dict__)
    module.__dict__["Markdown"] = converter
    with _replaced(pages, "markdown", module):
        yield


# An article body as pages/body.py writes it: one raw HTML block of its own.
BODY_OPEN, BODY_CLOSE = '\n<div class="bf-body">\n', "\n</div>\n"
EMPTY_BODY = BODY_OPEN.strip("\n") + BODY_CLOSE.rstrip("\n")  # what Python-Markdown is given instead
# What Python-Markdown would not pass through as it is, or MkDocs would read in it:
# tabs (expanded), its placeholders; a "<" or ">" that is not a tag's; comments and other
# declarations, raw-text elements, md_in_html's attribute, anchors (ids, named links).
_TAG = re.compile(r"<[^<>]*>")
_NOT_VERBATIM_TAG = re.compile(
    r"<(?![a-zA-Z/])|<(?:script|style|textarea|title)\b|\s(?:markdown\b|(?:id|name)\s*=)", re.IGNORECASE
)


def _verbatim(block: str) -> bool:
    """Would Python-Markdown and MkDocs pass this raw HTML through without a look?"""
    if any(c in block for c in "\t\r\x02\x03"):
        return False
    tags = _TAG.findall(block)
    if block.count("<") != len(tags) or block.count(">") != len(tags):
        return False
    return not _NOT_VERBATIM_TAG.search("".join(tags))


_DIV_OPEN, _DIV_CLOSE = re.compile(r"<div\b", re.IGNORECASE), re.compile(r"</div\s*>", re.IGNORECASE)


def _body_block(markdown: str) -> tuple[int, int] | None:
    """Where the article body's raw HTML block is in a page's Markdown, when
    Python-Markdown would only pass it through: (start, end), else None."""
    if markdown.startswith(BODY_OPEN[1:]):  # a page with nothing but the body
        start = 0
    else:
        start = markdown.find(BODY_OPEN)
        if start < 1 or markdown[start - 1] != "\n":  # after a blank line, as written
            return None
        start += 1
    end = start
    while True:  # to the "</div>" line that closes it: every div in it closed
        close = markdown.find(BODY_CLOSE, end)
        if close < 0:
            return None
        end = close + len(BODY_CLOSE) - 1
        block = markdown[start:end]
        if len(_DIV_OPEN.findall(block)) == len(_DIV_CLOSE.findall(block)):
            break
    if markdown[end : end + 2] not in ("\n\n", "\n") or not _verbatim(block):
        return None
    return start, end


@contextlib.contextmanager
def bodies_set_aside() -> Iterator[None]:
    """Convert each page without its article body, then put the body back.

    A body is HTML already (pages/body.py: cmark, then nh3), one raw block that
    Python-Markdown passes through unchanged; but it and MkDocs each run an HTML
    parser written in Python over all of it first, to find where raw blocks end
    and which ids they hold: most of the conversion of an article page, for
    nothing. So a body that would come out as it went in (``_body_block``) is
    replaced by an empty one for the conversion and put back in the HTML after.
    Anything else goes through as before; tests/test_pagebuild.py converts every
    page both ways.
    """
    from mkdocs.structure.pages import Page

    original = Page.render

    def render(page: Any, config: Any, files: Any) -> None:
        source = page.markdown
        found = _body_block(source) if isinstance(source, str) else None
        if found is None:
            return original(page, config, files)
        start, end = found
        page.markdown = source[:start] + EMPTY_BODY + source[end:]
        try:
            original(page, config, files)
        finally:
            page.markdown = source
        if page.content.count(EMPTY_BODY) != 1:  # not where it should be: convert the whole page
            return original(page, config, files)
        page.content = page.content.replace(EMPTY_BODY, source[start:end], 1)
        return None

    with _replaced(Page, "render", render):
        yield


@contextlib.contextmanager
def raw_html_anchors_unread() -> Iterator[None]:
    """MkDocs parses each page's raw HTML (with an HTML parser written in Python) only
    to learn the ids it holds, for checking links to anchors across pages
    (``validation: anchors``). The worker build leaves that check out, as its
    pages are in different processes; at a level the desk would see (warn), the
    site is built by MkDocs' own command instead (``parallel_safe``). So in it,
    that parse is skipped: about 5% of a page's time."""
    from mkdocs.structure.pages import _RawHTMLPreprocessor

    def run(self: Any, lines: list[str]) -> list[str]:
        return lines

    with _replaced(_RawHTMLPreprocessor, "run", run):
        yield


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
        _render_once_per_folder(env)

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


NAV_TEMPLATE = "partials/nav.html"
# Material's blocks whose output depends on nothing of the page but the folder it is in
# (links relative to it): the JSON configuration its scripts read, the stylesheets,
# fonts and scripts; and the footer, whose previous/next links only pages in the
# navigation have (so it is remembered for the others only). (template, block, outside nav only)
SAME_PER_FOLDER_BLOCKS = (
    ("base.html", "config", False),
    ("base.html", "styles", False),
    ("base.html", "libs", False),
    ("base.html", "fonts", False),
    ("base.html", "analytics", False),
    ("base.html", "scripts", False),
    ("base.html", "footer", True),
)


def _render_once_per_folder(env: Any) -> None:
    """Render what is the same for every page of a folder once per folder, not per page.

    Material renders the whole site navigation into every page. For a page outside
    the navigation (every article: the navigation never lists them) nothing in it
    is active, and its links, relative to the page, are the same for every page of
    one folder: so the first article's navigation serves all ten thousand. Pages in
    the navigation render theirs as before. The same goes for the blocks of
    SAME_PER_FOLDER_BLOCKS, and for the header but its title (``_header_once_per_folder``).
    Only this build's environment is changed;
    tests/test_pagebuild.py compares the site with MkDocs' own build.
    """
    try:
        nav = env.get_template(NAV_TEMPLATE)
    except Exception:  # noqa: BLE001 - a theme without one: nothing to do
        pass
    else:
        nav.root_render_func = _once_per_folder(nav.root_render_func, outside_nav_only=True)
    for name, block, outside_nav_only in SAME_PER_FOLDER_BLOCKS:
        try:
            blocks = env.get_template(name).blocks
        except Exception:  # noqa: BLE001 - another theme
            continue
        if block in blocks:
            blocks[block] = _once_per_folder(blocks[block], outside_nav_only=outside_nav_only)
    _header_once_per_folder(env)
    _language_once(env)


LANGUAGE_TEMPLATE = "partials/language.html"


def _materials(template: Any) -> bool:
    """Is this template Material's own file (not a desk's or another theme's)?"""
    import importlib.util

    spec = importlib.util.find_spec("material")
    if spec is None or spec.origin is None:
        return False
    own = Path(spec.origin).resolve().parent / "templates"
    return Path(template.filename or "").resolve().is_relative_to(own)


def _language_once(env: Any) -> None:
    """Material imports its translations (``partials/language.html``, "with context") anew
    for every page and every table of contents. Its one macro reads only the theme's
    language, so with Material's own file the module made for the first page serves all."""
    try:
        language = env.get_template(LANGUAGE_TEMPLATE)
    except Exception:  # noqa: BLE001 - another theme
        return
    if not _materials(language):
        return  # a desk's own, which may read the page
    make_module = language.make_module
    made: dict[int, Any] = {}

    def once(vars: dict[str, Any] | None = None, shared: bool = False, locals: Any = None) -> Any:
        config = (vars or {}).get("config")
        if config is None:
            return make_module(vars, shared, locals)
        if id(config) not in made:
            made[id(config)] = (config, make_module(vars, shared, locals))
        return made[id(config)][1]

    language.make_module = once


HEADER_TEMPLATE = "partials/header.html"
TITLE_HOLE = "\x00briefings: the page's title\x00"


def _header_once_per_folder(env: Any) -> None:
    """Material's header block (site name, palette, search, the page's title), rendered
    once per folder with a hole where the page's title goes, filled for each page.

    Only with briefings' own header partial, which prints the title as it is (a
    desk's own may read more of the page, or filter the title), Material's base.html
    around it, and no autoescaping (MkDocs has none).
    """
    from briefings.engine.theme import package_theme

    try:
        base, header = env.get_template("base.html"), env.get_template(HEADER_TEMPLATE)
    except Exception:  # noqa: BLE001 - another theme
        return
    ours = package_theme().resolve() / HEADER_TEMPLATE
    if env.autoescape is not False or Path(header.filename or "").resolve() != ours or not _materials(base):
        return
    if "header" in base.blocks:
        base.blocks["header"] = _once_per_folder_but_title(base.blocks["header"])


class _Untitled:
    """A page whose title (and front matter title) is TITLE_HOLE; the rest is the page's."""

    def __init__(self, page: Any):
        self._page = page
        self.title = TITLE_HOLE
        meta = page.meta
        self.meta = {**meta, "title": TITLE_HOLE} if meta and meta.get("title") else meta

    def __getattr__(self, name: str) -> Any:
        return getattr(self._page, name)


def _once_per_folder_but_title(render: Callable[[Any], Iterator[str]]) -> Callable[[Any], Iterator[str]]:
    import posixpath

    done: dict[tuple[str, str], list[str] | None] = {}

    def once(context: Any) -> Iterator[str]:
        page = context.get("page")
        if page is None or not isinstance(getattr(page, "url", None), str):
            yield from render(context)
            return
        key = (posixpath.dirname(page.url.rstrip("/")), str(context.get("base_url")))
        if key not in done:
            text = "".join(render(context.derived({"page": _Untitled(page)})))
            done[key] = text.split(TITLE_HOLE) if text.count(TITLE_HOLE) == 1 else None
        parts = done[key]
        if parts is None:  # the title printed other than once: render each page's
            yield from render(context)
            return
        meta = page.meta
        title = meta["title"] if meta and meta.get("title") else page.title  # as the partial chooses
        yield parts[0] + str(title) + parts[1]

    return once


def _once_per_folder(
    render: Callable[[Any], Iterator[str]], *, outside_nav_only: bool
) -> Callable[[Any], Iterator[str]]:
    """``render`` (a Jinja render function), remembered per folder of the page rendered."""
    import posixpath

    done: dict[tuple[str, str], str] = {}
    in_nav: dict[int, set[int]] = {}  # the navigation's pages, by navigation

    def once(context: Any) -> Iterator[str]:
        page, nav = context.get("page"), context.get("nav")
        if page is None or nav is None or not isinstance(getattr(page, "url", None), str):
            yield from render(context)
            return
        if outside_nav_only:
            if id(nav) not in in_nav:
                in_nav[id(nav)] = {id(p) for p in nav.pages}
            if id(page) in in_nav[id(nav)]:
                yield from render(context)  # a page in the navigation: its own items are active
                return
        key = (posixpath.dirname(page.url.rstrip("/")), str(context.get("base_url")))
        if key not in done:
            done[key] = "".join(render(context))
        yield done[key]

    return once


def _search_index(config: Any) -> Any:
    """Material's search index (its ``entries`` list), when its plugin is on."""
    plugin = config.plugins.get(SEARCH_PLUGIN)
    if plugin is None or not getattr(plugin.config, "enabled", True):
        return None
    return plugin.search_index
