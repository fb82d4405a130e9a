"""Reading and converting MkDocs' pages for less, with the same result.

Used by ``pagebuild.build_site`` for every MkDocs build of briefings' pages:
each context manager replaces one of MkDocs' (or Python-Markdown's) steps for
the build and puts it back after. tests/test_pagebuild.py converts every page
both ways and compares what MkDocs keeps of it.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import logging
import posixpath
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


# What Python-Markdown would not pass through as it is, or MkDocs would read in it:
# tabs (expanded), its placeholders; a "<" or ">" that is not a tag's, an "&" that is not
# a whole reference (its HTML parser would write it back otherwise); comments and other
# declarations, raw-text elements, md_in_html's attribute, anchors (ids, named links).
_TAG = re.compile(r"<[^<>]*>")
_NOT_VERBATIM_TAG = re.compile(
    r"<(?![a-zA-Z/])|<(?:script|style|textarea|title)\b|\s(?:markdown\b|(?:id|name)\s*=)", re.IGNORECASE
)
_LOOSE_AMPERSAND = re.compile(r"&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);)")


def _verbatim(block: str) -> bool:
    """Would Python-Markdown and MkDocs pass this raw HTML through without a look?"""
    if any(c in block for c in "\t\r\x02\x03") or _LOOSE_AMPERSAND.search(block):
        return False
    tags = _TAG.findall(block)
    if block.count("<") != len(tags) or block.count(">") != len(tags):
        return False
    return not _NOT_VERBATIM_TAG.search("".join(tags))


# A raw HTML block: a line that opens one of Python-Markdown's block-level elements,
# after a blank line (or first in the page).
_BLOCK_START = re.compile(r"(?:^|(?<=\n\n))<([a-zA-Z][a-zA-Z0-9]*)(?=[\s>])")
_BLOCK_TAGS = frozenset(
    "address article aside blockquote details div dl fieldset figcaption figure footer form h1 h2 h3 h4 "
    "h5 h6 header hgroup hr main menu nav ol p section table ul".split()
)
HOLE = '<{tag} data-briefings-hole="{n}"></{tag}>'


def raw_blocks(markdown: str) -> list[tuple[int, int, str]]:
    """The raw HTML blocks of a page's Markdown that Python-Markdown would only pass
    through as they are: (start, end, tag), in order. A block counts when it opens
    after a blank line, its element closes at the end of a line followed by a blank
    line (or the end), nothing in it is read (``_verbatim``); pages/body.py's bodies
    and most of what pages/ writes around them are such blocks."""
    found: list[tuple[int, int, str]] = []
    after = 0
    for opened in _BLOCK_START.finditer(markdown):
        start, tag = opened.start(), opened.group(1)
        if start < after or tag.lower() not in _BLOCK_TAGS:
            continue
        depth, end = 0, -1
        for mark in _tags_named(tag.lower()).finditer(markdown, start):
            depth += -1 if mark.group(1) else 1
            if depth == 0:
                end = mark.end()
                break
        if end < 0 or markdown[end : end + 2] not in ("\n\n", "\n") or not _verbatim(markdown[start:end]):
            continue
        found.append((start, end, tag))
        after = end
    return found


@functools.cache
def _tags_named(tag: str) -> re.Pattern[str]:
    """Opening and closing tags of one element (group 1: "/" for a closing one)."""
    return re.compile(rf"<(/?){tag}(?=[\s>/])[^<>]*>", re.IGNORECASE)


# The Markdown left when a page's raw blocks are set aside is most often one of a few
# for a kind of page (an article's headings in their order: its body, quotes and people
# are raw HTML, pages/article.py): its conversion is kept and reused for the next page
# of the same folder with the same text, when the converter is Python-Markdown's own
# extensions alone (nothing that could read more of the page), the text does not name
# the page's own file (a link to itself comes out as "./") and converting it logged
# nothing (each page would log its own).
KEPT_AT_MOST = 1024


@contextlib.contextmanager
def raw_blocks_set_aside() -> Iterator[None]:
    """Convert each page with its raw HTML blocks set aside, then put them back.

    An article body is HTML already (pages/body.py: cmark, then nh3) and so is most
    of what surrounds it: raw blocks that Python-Markdown passes through unchanged,
    but only after it and MkDocs have each run an HTML parser written in Python over
    all of them. So each block that would come out as it went in (``raw_blocks``)
    is replaced by an empty one of the same element for the conversion, and put back
    in the HTML after; and the conversion of what is left, the same for most pages
    of a kind, is made once. Anything else goes through as before;
    tests/test_pagebuild.py converts every page both ways.
    """
    from mkdocs.structure.pages import Page

    original = Page.render
    kept: dict[tuple[str, str, str], tuple[list[str], dict[str, Any]]] = {}

    def render(page: Any, config: Any, files: Any) -> None:
        source = page.markdown
        blocks = raw_blocks(source) if isinstance(source, str) else []
        if not blocks:
            return original(page, config, files)
        pieces, last = [], 0
        for n, (start, end, tag) in enumerate(blocks):
            pieces += [source[last:start], HOLE.format(tag=tag, n=n)]
            last = end
        pieces.append(source[last:])
        skeleton = "".join(pieces)
        key = _key(page, skeleton, config)
        known = kept.get(key) if key is not None else None
        if known is None:
            page.markdown = skeleton
            try:
                with _logged() as records:
                    original(page, config, files)
            finally:
                page.markdown = source
            parts = _split_at_holes(page.content, blocks)
            if parts is None:  # not where they should be: convert the whole page
                return original(page, config, files)
            if key is not None and not records and len(kept) < KEPT_AT_MOST:
                kept[key] = (parts, _converted(page))
        else:
            parts, converted = known
            _give(page, converted)
        page.content = "".join(
            part + (source[blocks[n][0] : blocks[n][1]] if n < len(blocks) else "") for n, part in enumerate(parts)
        )
        return None

    with patched(Page, "render", render):
        yield


def _key(page: Any, skeleton: str, config: Any) -> tuple[str, str, str] | None:
    """What a page's conversion depends on past its text (links are resolved from its
    file's folder and written relative to its address), or None: not to be shared."""
    extensions = config["markdown_extensions"]
    if not all(isinstance(e, str) and e.removeprefix("markdown.extensions.") in RESETTABLE for e in extensions):
        return None
    source, url = page.file.src_uri, page.url
    if posixpath.basename(source) in skeleton:
        return None
    return skeleton, posixpath.dirname(source), posixpath.dirname(url.rstrip("/"))


@contextlib.contextmanager
def _logged() -> Iterator[list[logging.LogRecord]]:
    """The records MkDocs and Python-Markdown log meanwhile (INFO and above)."""
    records: list[logging.LogRecord] = []

    class Handler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Handler(logging.INFO)
    loggers = [logging.getLogger("mkdocs"), logging.getLogger("MARKDOWN")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield records
    finally:
        for logger in loggers:
            logger.removeHandler(handler)


def _split_at_holes(html: str, blocks: list[tuple[int, int, str]]) -> list[str] | None:
    """``html`` cut at each block's hole, in order; None unless each is there exactly once."""
    parts, rest = [], html
    for n, (_, _, tag) in enumerate(blocks):
        hole = HOLE.format(tag=tag, n=n)
        if rest.count(hole) != 1:
            return None
        before, rest = rest.split(hole)
        parts.append(before)
    parts.append(rest)
    return parts


# What Page.render sets, past the content.
# What Page.render sets past the content, to be given to each page that shares a
# conversion: its own copy, and its own file where the links to anchors name the page
# itself (the headings' permalinks).
_SELF = "the page itself"


def _converted(page: Any) -> dict[str, Any]:
    done = {"toc": page.toc, "_title_from_render": page._title_from_render}
    done["present_anchor_ids"] = page.present_anchor_ids
    if "links_to_anchors" in page.__dict__:
        links = page.links_to_anchors
        done["links_to_anchors"] = (
            None if links is None else {(_SELF if f is page.file else f): v for f, v in links.items()}
        )
    return done


def _give(page: Any, converted: dict[str, Any]) -> None:
    page.toc = copy.deepcopy(converted["toc"])
    page._title_from_render = converted["_title_from_render"]
    anchors = converted["present_anchor_ids"]
    page.present_anchor_ids = None if anchors is None else set(anchors)
    if "links_to_anchors" in converted:
        links = converted["links_to_anchors"]
        page.links_to_anchors = (
            None if links is None else {(page.file if f == _SELF else f): dict(v) for f, v in links.items()}
        )


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
