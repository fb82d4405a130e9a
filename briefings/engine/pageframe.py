"""Material's page frame, rendered once per folder where it is the same for every page.

Material renders the site's navigation, header, stylesheets, scripts and footer
into every page. For the pages outside the navigation (every article) most of
that depends on nothing but the folder the page is in (links relative to it),
so the worker build (``pagebuild``) renders it once per folder. Only that
build's Jinja environment is changed; tests/test_pagebuild.py compares the site
with MkDocs' own build byte for byte.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from briefings.engine.pageconvert import patched

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


@contextlib.contextmanager
def templates_compiled_once(folder: Path | None) -> Iterator[None]:
    """The theme's templates (Material's and ours, some fifty) compiled once and kept in
    ``folder``, not in every build: about a third of a second of each. It is Jinja's own
    bytecode cache, which compiles a template again when its source or Python changed."""
    if folder is None:
        yield
        return
    import jinja2
    from mkdocs.theme import Theme

    folder.mkdir(parents=True, exist_ok=True)
    cache = jinja2.FileSystemBytecodeCache(str(folder))
    get_env = Theme.get_env

    def with_cache(theme: Any) -> Any:
        env = get_env(theme)
        env.bytecode_cache = cache
        return env

    with patched(Theme, "get_env", with_cache):
        yield


@contextlib.contextmanager
def theme_files_listed_without_dot_folders() -> Iterator[None]:
    """MkDocs lists every file of the theme, then drops those its filter rejects, among them
    every name with a part that starts with a dot (``.*``, ``*/.*``): Material's 14,000 icons
    in ``.icons/``. A tenth of a second of every build, for some forty files. Listed without
    descending into dot folders, the same files are found."""
    import jinja2
    from mkdocs.structure.files import Files

    add_files_from_theme = Files.add_files_from_theme

    def listed_quickly(files: Any, env: Any, config: Any) -> None:
        loader = env.loader
        whole = env.list_templates
        if type(loader) is not jinja2.FileSystemLoader:  # MkDocs' own loader; not a subclass's listing
            return add_files_from_theme(files, env, config)

        def list_templates(extensions: Any = None, filter_func: Any = None) -> list[str]:
            if extensions is not None or filter_func is None:
                listed: list[str] = whole(extensions, filter_func)
                return listed
            found: set[str] = set()
            for top in loader.searchpath:
                for folder, dirs, names in os.walk(top, followlinks=loader.followlinks):
                    dirs[:] = [d for d in dirs if not d.startswith(".")]  # what the filter drops
                    rel = os.path.relpath(folder, top).replace(os.sep, "/")
                    found.update(name if rel == "." else f"{rel}/{name}" for name in names)
            return [name for name in sorted(found) if filter_func(name)]

        env.list_templates = list_templates
        try:
            return add_files_from_theme(files, env, config)
        finally:
            del env.list_templates  # the environment's own method again

    with patched(Files, "add_files_from_theme", listed_quickly):
        yield


def render_once_per_folder(env: Any) -> None:
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
            template = env.get_template(name)
        except Exception:  # noqa: BLE001 - another theme
            continue
        blocks = template.blocks
        if block in blocks and _materials(template):  # a desk's own base.html may read the page there
            blocks[block] = _once_per_folder(blocks[block], outside_nav_only=outside_nav_only)
    _header_once_per_folder(env)
    _language_once(env)


LANGUAGE_TEMPLATE = "partials/language.html"


def _folder(context: Any, page: Any) -> tuple[str, str]:
    """What a page's frame depends on, past its title: its folder (links are relative to it)."""
    return posixpath.dirname(page.url.rstrip("/")), str(context.get("base_url"))


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
    done: dict[tuple[str, str], list[str] | None] = {}

    def once(context: Any) -> Iterator[str]:
        page = context.get("page")
        if page is None or not isinstance(getattr(page, "url", None), str):
            yield from render(context)
            return
        key = _folder(context, page)
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
        key = _folder(context, page)
        if key not in done:
            done[key] = "".join(render(context))
        yield done[key]

    return once
