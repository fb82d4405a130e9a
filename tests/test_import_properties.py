"""Property-based tests of `briefings import`: whatever a clipping or a page holds,
the draft it makes loads without a problem, within the file size limit, with no
control character in it (what `briefings check` refuses in any text field)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.authoring import draft as drafts
from briefings.authoring.extract import Extracted, from_html, from_text
from briefings.authoring.importer import make_draft
from briefings.content.load import load_article
from briefings.content.model import Topic
from briefings.content.source import source_from_bytes
from briefings.errors import BriefingsError, Problem

TOPICS = [Topic("taiwan", "Taiwan")]
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Any character, surrogates and controls included, with the ones clippings are made of more often.
ANY = st.characters(exclude_categories=())
SOME = st.one_of(ANY, st.sampled_from("\x00\x0b\x0c\x1b\x7f\x85\x9f\r\n\t ()<>&#;-/:|*_[]`\\\ufffe"))
LINES = st.sampled_from(
    [
        "",
        "Politics",
        "By Ana Lopez and Jo Park",
        "Jo Park Senior Harbour Correspondent",
        "(Photo by Ana Lopez / Agency)",
        "Font Size:",
        "(RELATED: More harbour news)",
        "---",
        "March 9, 2024",
        "# not a heading",
        "1. not a list",
        "&#11;&#0;&#150;&#xd800;&#1114112;",
    ]
)
LONG_LINE = st.text(st.characters(exclude_categories=(), exclude_characters="\r\n"), min_size=1001, max_size=1600)
TEXT = st.lists(st.one_of(LINES, st.text(SOME, max_size=200), LONG_LINE), max_size=30).map("\n".join)
TITLE = st.one_of(st.text(SOME, max_size=100), LONG_LINE)  # over the field's 1,000 characters half the time


def check_draft(found: Extracted, max_file_bytes: int) -> None:
    if not found.title:
        return  # the import stops and asks for --title
    try:
        draft = make_draft(
            found,
            title=found.title,
            outlet=found.site_name or "Desk",
            day="2024-01-05",
            topics=("taiwan",),
            max_file_bytes=max_file_bytes,
        )
    except BriefingsError as exc:  # only when even the front matter is over a (tiny) limit
        assert "even without its text" in str(exc)
        return
    raw = drafts.render(draft).encode("utf-8")
    assert len(raw) <= max_file_bytes
    assert not drafts.CONTROL_RE.search(raw.decode("utf-8"))
    problems: list[Problem] = []
    article = load_article(source_from_bytes(raw, "content/articles/2024/x.md"), TOPICS, problems)
    assert problems == []
    assert article is not None and article.draft and article.title == draft.title
    assert article.authors == draft.authors and article.source == draft.source


@pytest.mark.slow
@EXAMPLES
@given(TITLE, TEXT, st.integers(4_000, 40_000))
def test_any_text_clipping_makes_a_draft_that_passes_check(title, text, max_file_bytes):
    text = f"{title}\n{text}"
    try:
        found = from_text(text, "clip.txt", kind="text clipping")
    except BriefingsError:  # an empty clipping
        return
    check_draft(found, max_file_bytes)


@pytest.mark.slow
@EXAMPLES
@given(TITLE, TEXT, st.text(SOME, max_size=100), st.integers(4_000, 40_000))
def test_any_html_page_makes_a_draft_that_passes_check(title, text, site, max_file_bytes):
    paragraphs = "".join(f"<p>{line}</p>" for line in text.split("\n"))
    page = (
        f"<html><head><title>{title}</title><meta property='og:site_name' content='{site}'>"
        f"<meta name='author' content='{site}; {title[:50]}'></head>"
        f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>"
    )
    try:
        found = from_html(page.encode("utf-8", "surrogatepass"), "page.html", kind="HTML file")
    except BriefingsError:  # not an article
        return
    check_draft(found, max_file_bytes)
