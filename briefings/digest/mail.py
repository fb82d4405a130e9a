"""The digest as an email-ready HTML page.

One column at most 600 px wide, laid out with tables (what mail clients render alike), its
CSS inlined into ``style=`` attributes by css-inline (never fetching a stylesheet); only the
dark-mode ``@media`` block stays in a ``<style>``, as clients that read it need it there.
No script, no image, no font or stylesheet from anywhere: every link is absolute.

Gmail clips a message larger than about 102 KB, so a big week is cut to fit: every section
at most so many items, each story so many reports, each person so many quotes, the
tightest that is needed, and a cut section links to the site for the rest.
"""

from __future__ import annotations

from pathlib import Path

import css_inline
import jinja2

from briefings.digest.changes import Digest
from briefings.digest.plain import NOTHING
from briefings.digest.view import EVERYTHING, DigestView, Limits, digest_view

MAX_BYTES = 100_000  # under Gmail's 102 KB (104,448 bytes), with room for the mail's own headers
# Tighter and tighter, until the page fits: (items per section, reports per story, quotes per person).
CUTS = (
    EVERYTHING,
    Limits(60, 12, 8),
    Limits(40, 8, 6),
    Limits(25, 6, 4),
    Limits(15, 4, 3),
    Limits(10, 3, 2),
    Limits(6, 2, 2),
    Limits(3, 1, 1),
    Limits(1, 1, 1),
)

_INLINER = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def page(view: DigestView) -> str:
    """One view as HTML, its CSS inlined."""
    html = _environment().get_template("digest.html").render(view=view, nothing=NOTHING)
    return _INLINER.inline(html)


def as_html(digest: Digest, *, site_name: str, site_url: str, max_bytes: int = MAX_BYTES) -> str:
    """The whole digest if it fits in ``max_bytes``, else the fullest cut of it that does."""
    html = ""
    for limits in CUTS:
        html = page(digest_view(digest, site_name=site_name, site_url=site_url, limits=limits))
        if len(html.encode("utf-8")) <= max_bytes:
            break
    return html
