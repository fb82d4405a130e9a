"""Article bodies: Markdown rendered to HTML and sanitised to an allow-list.

Bodies are text curators paste from the web, so by default raw HTML in them is
never trusted: the Markdown is rendered here (Python-Markdown, the dialect
MkDocs uses) and cleaned with nh3 (the Ammonia sanitiser) before MkDocs sees
it, as one raw HTML block. Scripts, event handlers, styles, iframes, images
(which would load from other hosts) and URL schemes other than http, https
and mailto cannot survive. Sites that need raw HTML set
``extra.briefings.trust_html: true``; the body then goes to MkDocs untouched.
"""

from __future__ import annotations

import markdown
import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del",
    "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h3", "h4", "h5", "h6", "hr", "i",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub",
    "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var",
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

# The body sits under the page's "In detail" heading (h2): its headings start at h3.
_MD = markdown.Markdown(extensions=["extra", "sane_lists", "toc"],
                        extension_configs={"toc": {"baselevel": 3}})


def body_html(text: str) -> str:
    """The body as sanitised HTML, in a block MkDocs passes through unchanged."""
    _MD.reset()
    rendered = _MD.convert(text)
    clean = nh3.clean(
        rendered,
        tags=TAGS,
        clean_content_tags=DROP_WITH_CONTENT,
        attributes=ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return f'<div class="bf-body">\n{clean.strip()}\n</div>'
