"""Article bodies: Markdown rendered to HTML and sanitised to an allow-list.

Bodies are text curators paste from the web, so raw HTML in them is not
trusted: the Markdown (GitHub-flavoured, rendered by cmarkgfm, the C library
PyPI uses for READMEs) is cleaned with nh3 (the Ammonia sanitiser) before
MkDocs sees it, as one raw HTML block. Scripts, event handlers, styles,
iframes, images (which would load from other hosts) and URL schemes other than
http, https and mailto cannot survive. ``extra.briefings.trust_html: true``
skips the cleaning for sites that need raw HTML.

Rendering here rather than in MkDocs also keeps big archives fast: cmark
renders a 700-word body in about 0.02 ms, Python-Markdown in about 0.8 ms.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from briefings.content.model import Article
from briefings.errors import Problem

TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "ol": {"start"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "time": {"datetime"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
URL_SCHEMES = {"http", "https", "mailto"}
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math"}

# Raw HTML is let through cmark so that nh3 alone decides what stays.
_CMARK = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SMART
_HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)


def _shift_headings(html: str) -> str:
    """The body sits under the page's "In detail" heading (h2): # becomes h3."""
    return _HEADING.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + 2)}", html)


# Built once: nh3.clean() would convert these settings again for every body.
_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROP_WITH_CONTENT,
    attributes=ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)


def body_html(text: str, *, trust_html: bool = False, link: Callable[[str], str] | None = None) -> str:
    """The body as (sanitised) HTML, in a block MkDocs passes through unchanged.
    ``link`` rewrites each link's address (see ``article_link``)."""
    rendered = _shift_headings(cmarkgfm.github_flavored_markdown_to_html(text, options=_CMARK))
    if not trust_html:
        rendered = _CLEANER.clean(rendered)
    if link is not None and might_link_locally(text):
        rendered = _HREF.sub(lambda m: m[1] + html.escape(link(html.unescape(m[2]))) + m[3], rendered)
    return f'<div class="bf-body">\n{rendered.strip()}\n</div>'


# --- links inside the site ------------------------------------------------------
# Bodies are HTML by the time MkDocs sees them, so MkDocs checks none of their
# links: briefings resolves links to other article files itself (a curator
# writes them as in any Markdown editor, relative to the file), and the build
# checks the article pages that link inside the site (site.py), full or incremental.

# Could the body hold a link that is not to another site (or a mere #anchor)?
# Scans of the raw text, so bodies with none are never rendered for it.
_NOT_ELSEWHERE = r"""(?![a-zA-Z][a-zA-Z0-9+.-]*:|#|//)"""  # no scheme, not an #anchor, not //host
# One pattern per syntax, each starting with a literal, which the regex engine
# scans for at memory speed (one pattern of three alternatives runs at ~35 MB/s).
_CANDIDATES = (
    ("](", re.compile(r"\]\(\s*+<?+" + _NOT_ELSEWHERE)),  # [text](target)
    ("]:", re.compile(r"\]:[ \t]*+<?+" + _NOT_ELSEWHERE)),  # [ref]: target
    ("<", re.compile(r"""href\s*+=\s*+["']?+""" + _NOT_ELSEWHERE, re.IGNORECASE)),  # raw HTML
)
_HREF = re.compile(r'(<a\b[^>]*?\bhref=")([^"]*)(")', re.IGNORECASE)


def is_local(href: str) -> bool:
    """A link to a path of this site (not another site, not only an #anchor)."""
    parts = urlsplit(href)
    return not parts.scheme and not parts.netloc and bool(parts.path)


def might_link_locally(text: str) -> bool:
    """False when the body certainly has no link inside the site; True when it may."""
    if "]" not in text and "<" not in text:  # one character is looked for ten times as fast as two
        return False
    return any(literal in text and pattern.search(text) for literal, pattern in _CANDIDATES)


def local_links(text: str) -> list[str]:
    """The addresses of the body's links that point inside the site, as written, in order."""
    if not might_link_locally(text):
        return []
    rendered = _CLEANER.clean(cmarkgfm.github_flavored_markdown_to_html(text, options=_CMARK))
    return [href for href in (html.unescape(m[2]) for m in _HREF.finditer(rendered)) if is_local(href)]


def article_file(href: str, source: str) -> str | None:
    """The content file a link to a ``.md`` file names, resolved from the file
    that holds the link (both relative to the project root); None for other links."""
    parts = urlsplit(href)
    path = unquote(parts.path)
    if not is_local(href) or not path.endswith(".md"):
        return None
    base = "" if path.startswith("/") else posixpath.dirname(source)
    return posixpath.normpath(posixpath.join(base, path.lstrip("/")))


def article_link(source: str, pages: dict[str, str], to_articles: str = "../") -> Callable[[str], str]:
    """Rewrites links to other article files (``pages``: content file -> its
    page's slug) into links to their pages, ``to_articles`` being the way from
    where the engine reads the link to the articles' folder; every other address is kept."""

    def link(href: str) -> str:
        target = article_file(href, source)
        if target is None or target not in pages:
            return href
        fragment = urlsplit(href).fragment
        return f"{to_articles}{pages[target]}/" + (f"#{fragment}" if fragment else "")

    return link


def broken_article_links(
    articles: Sequence[Article],
    root: Path,
    *,
    paths: Collection[str] | None = None,
    left_out: Collection[str] = (),
) -> list[Problem]:
    """A problem for every link of ``articles`` to a ``.md`` file that is no
    article of the content folder (``paths``; default: the ``articles``' own):
    the build could not turn it into a link to a page. ``left_out``: drafts
    this build leaves out for their problems, named as such."""
    paths = {a.path for a in articles} if paths is None else paths
    problems = []
    for article in articles:
        for href in local_links(article.body):
            target = article_file(href, article.path)
            if target is not None and target not in paths:
                why = (
                    "a draft left out of this build for its problems (fix the draft, or remove the link)"
                    if target in left_out
                    else "which is not an article file (expected the path of "
                    "another article, relative to this file, e.g. ../2024/2024-01-13-slug.md)"
                )
                problems.append(
                    Problem(article.path, _line_of(root / article.path, href), "body", f"links to {href!r}, {why}")
                )
    return problems


def _line_of(path: Path, href: str) -> int:
    """The line of the file where ``href`` is written (1 if it cannot be found)."""
    try:
        text = path.read_text("utf-8-sig")
    except (OSError, ValueError):
        return 1
    for needle in (href, unquote(href), html.escape(href)):
        at = text.find(needle)
        if at >= 0:
            return text.count("\n", 0, at) + 1
    return 1
