"""Reading and converting MkDocs' pages for less, with the same result.

Used by ``pagebuild.build_site`` for every MkDocs build of briefings' pages:
each context manager replaces one of MkDocs' (or Python-Markdown's) steps for
the build and puts it back after. tests/test_pagebuild.py converts every page
both ways and compares what MkDocs keeps of it.
"""

from __future__ import annotations

import contextlib
import json
import re
import types
from collections.abc import Callable, Iterator
from typing import Any


@contextlib.contextmanager
def patched(owner: Any, name: str, value: Any) -> Iterator[None]:
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

    with patched(meta, "get_data", get_data):
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
    with patched(pages, "markdown", module):
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

    with patched(Page, "render", render):
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

    with patched(_RawHTMLPreprocessor, "run", run):
        yield
