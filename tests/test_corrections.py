"""Corrections in the open, on the built sample: an article's corrections (its
``corrections:``) on its page, with its version on its story's page, as an updated
feed entry, and in the corrections log linked from the sources page and the footer.
And a person's quotes across outlets and time: each dated, linked to the original
and to our page of the article, all of them reachable from the person's page."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path

import feedparser
import frontmatter
import pytest
from bs4 import BeautifulSoup
from conftest import Site, copy_sample, run_cli
from test_browser import axe_problems, serve_site, visiting

ATLAS = "2024-05-22-atlas-news-joint-sword-2024a-starts"  # one correction, in the Joint Sword story
NTD = "2024-05-20-ntd-taiwan-new-president-sworn-in"  # one, in the inauguration story
DESK = "2024-08-05-briefings-desk-china-schedules-fentanyl-precursors"  # two, our own note (no url)
PLAIN = "2024-11-16-kjzz-biden-xi-ai-nuclear-decisions"  # none
PHONE = {"width": 390, "height": 844}


def content_of(root: Path, slug: str) -> frontmatter.Post:
    return frontmatter.load(next((root / "content/articles").rglob(f"{slug}.md")))


def html(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def words(node) -> str:
    """What a reader reads in a node, one space between words."""
    return " ".join(node.get_text().split())


def link(node, text: str):
    """The first link in ``node`` whose text starts with ``text``, or None."""
    return next((a for a in node.select("a") if a.get_text().startswith(text)), None)


def day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def every_correction(root: Path) -> list[tuple[dt.date, str, str]]:
    """(date, text, article slug) of every correction the sample's content files hold."""
    found = []
    for path in sorted((root / "content/articles").rglob("*.md")):
        for fix in frontmatter.load(path).get("corrections") or ():
            found.append((fix["date"], " ".join(fix["text"].split()), path.stem))
    return found


@pytest.fixture(scope="module")
def built(sample_build) -> tuple[Path, Path]:
    root = sample_build[0]
    return root, root / "site"


def test_the_sample_has_corrections_dated_on_or_after_their_articles(built):
    root, _ = built
    fixes = every_correction(root)
    assert {slug for _, _, slug in fixes} == {ATLAS, NTD, DESK}
    for date, _, slug in fixes:
        assert date >= content_of(root, slug)["date"]


# --- the article page --------------------------------------------------------------------


def test_an_article_page_shows_its_corrections_after_our_summary_and_says_so_in_its_header(built):
    root, site = built
    page = html(site, f"articles/{DESK}")
    fixes = content_of(root, DESK)["corrections"]
    header = page.select_one(".bf-article-header")
    corrected = header.select_one("a.bf-corrected")
    assert corrected["href"] == "#corrections"
    newest = max(f["date"] for f in fixes)
    assert words(corrected) == f"Corrected {day(newest)}"
    assert corrected.time["datetime"] == newest.isoformat()
    section = page.select_one("section.bf-corrections")
    assert section["aria-labelledby"] == "corrections" and words(section.select_one("#corrections")) == "Corrections"
    items = section.select("ol.bf-corrections__list > li")
    # Oldest first, as they happened, each dated and in the curator's words.
    assert [li.time["datetime"] for li in items] == sorted(f["date"].isoformat() for f in fixes)
    for li, fix in zip(items, sorted(fixes, key=lambda f: f["date"]), strict=True):
        assert words(li) == f"Corrected {day(fix['date'])}: {' '.join(fix['text'].split())}"
    # Right after our notes, before the article's text.
    order = [h2.get("id") for h2 in page.select("article h2")]
    assert order.index("corrections") == order.index("our-summary") + 1
    assert order.index("corrections") < order.index("in-detail")


def test_the_article_is_modified_on_its_newest_correction_for_link_previews_and_search_engines(built):
    _, site = built
    page = html(site, f"articles/{ATLAS}")
    assert page.select_one('meta[property="article:modified_time"]')["content"] == "2024-05-24T00:00:00+00:00"
    ld = json.loads(page.select_one('script[type="application/ld+json"]').string)
    assert (ld["datePublished"], ld["dateModified"]) == ("2024-05-22T00:00:00+00:00", "2024-05-24T00:00:00+00:00")


def test_an_article_without_corrections_shows_none(built):
    _, site = built
    page = html(site, f"articles/{PLAIN}")
    assert page.select_one(".bf-corrections") is None and page.select_one(".bf-corrected") is None
    assert "Corrected" not in words(page.select_one("article"))


# --- the story page ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "story, slug",
    [("joint-sword-2024a-drills", ATLAS), ("lai-inauguration-2024", NTD)],
)
def test_a_story_shows_each_correction_with_its_version_and_says_it_was_corrected(built, story, slug):
    root, site = built
    page = html(site, f"stories/{story}")
    fixes = content_of(root, slug)["corrections"]
    note = page.select_one(".bf-article-header .bf-story-corrected")
    assert words(note).startswith(f"Corrected {day(max(f['date'] for f in fixes))}: we corrected our notes on 1 of")
    assert note.a["href"] == "#every-version"
    versions = page.select("li.bf-version")
    corrected = [v for v in versions if v.select_one(".bf-version__corrections")]
    assert len(corrected) == 1 and len(versions) > 1
    version = corrected[0]
    assert link(version, "our notes")["href"] == f"../../articles/{slug}/"
    assert [words(li) for li in version.select(".bf-version__corrections li")] == [
        f"Corrected {day(f['date'])}: {' '.join(f['text'].split())}" for f in fixes
    ]


def test_a_story_without_corrections_says_nothing_of_them(built):
    _, site = built
    page = html(site, "stories/biden-xi-lima-2024")
    assert page.select_one(".bf-story-corrected") is None and page.select_one(".bf-version__corrections") is None


# --- the corrections log -----------------------------------------------------------------


def test_the_corrections_log_lists_every_correction_newest_first_with_our_page_and_the_original(built):
    root, site = built
    page = html(site, "corrections")
    assert words(page.select_one("article h1")) == "Corrections"
    entries = page.select("ol.bf-corrections-log > li.bf-correction")
    fixes = every_correction(root)
    assert len(entries) == len(fixes) == 4
    assert words(page.select_one("article")).count("4 corrections, newest first") == 1
    dates = [li.time["datetime"] for li in entries]
    assert dates == sorted(dates, reverse=True)
    seen = []
    for li in entries:
        ours = li.find("a", href=re.compile(r"^\.\./articles/"))
        slug = ours["href"].split("/")[2]
        post = content_of(root, slug)
        assert words(ours) == post["title"]
        assert (site / "corrections" / ours["href"] / "index.html").resolve().is_file()
        original = link(li, "the original")
        if post.get("url"):
            assert original["href"] == post["url"] and "noopener" in original["rel"]
        else:  # our own note: there is no original
            assert original is None
        text = words(li.select_one(".bf-correction__text"))
        seen.append((dt.date.fromisoformat(li.time["datetime"]), text, slug))
    assert sorted(seen) == sorted(fixes)


def test_the_sources_page_and_the_footer_link_the_corrections_log(built):
    _, site = built
    link = html(site, "sources").select_one("article .bf-corrections-link a")
    assert link["href"] == "../corrections/" and words(link) == "corrections log"
    for url in ("", "topics/taiwan", f"articles/{PLAIN}"):
        footer = html(site, url).select_one("footer .bf-footer__corrections a")
        assert (site / url / footer["href"] / "index.html").resolve() == site / "corrections/index.html"


def test_without_corrections_the_log_says_so_and_a_draft_preview_never_lists_a_draft(tmp_path):
    site = Site(tmp_path / "desk")
    site.article("a.md", "title: A\ndate: 2024-01-13\nsource: Briefings desk\ntopics: [taiwan]\n")
    assert site.run("build").exit_code == 0
    page = html(site.root / "site", "corrections")
    assert words(page.select_one(".bf-empty")) == "No corrections so far."
    assert page.select_one(".bf-corrections-log") is None
    site.article(
        "b.md",
        "title: B\ndate: 2024-01-14\nsource: Briefings desk\ntopics: [taiwan]\ndraft: true\n"
        "corrections:\n  - date: 2024-01-15\n    text: Fixed a date.\n",
    )
    result = site.run("build", "--drafts")
    assert result.exit_code == 0, result.output
    assert "Fixed a date." in (site.root / "site/articles/b/index.html").read_text("utf-8")  # the preview shows it
    assert html(site.root / "site", "corrections").select_one(".bf-empty") is not None


# --- feeds -------------------------------------------------------------------------------


def entry_of(feed: feedparser.FeedParserDict, slug: str):
    return next(e for e in feed.entries if any(link.href.endswith(f"articles/{slug}/") for link in e.links))


@pytest.mark.parametrize("feed_name", ["story-joint-sword-2024a-drills", "topic-taiwan", "all"])
def test_a_corrected_article_is_an_updated_feed_entry_with_its_corrections(built, feed_name):
    root, site = built
    feed = feedparser.parse((site / f"feeds/{feed_name}.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entry = next(
        e for e in feed.entries if e.id.endswith(f"articles/{ATLAS}/") or e.id.endswith("joint-sword-2024a-drills/")
    )
    assert entry.published.startswith("2024-05-22") and entry.updated.startswith("2024-05-24")
    fix = content_of(root, ATLAS)["corrections"][0]
    content = words(BeautifulSoup(entry.content[0].value, "html.parser"))
    # A story's entry (site and topic feeds) names the outlet whose report our note corrects.
    outlet = "" if feed_name.startswith("story-") else f" ({content_of(root, ATLAS)['source']})"
    assert f"Corrected 24 May 2024{outlet}: " + " ".join(fix["text"].split()) in content
    assert feed.feed.updated_parsed == max(e.updated_parsed for e in feed.entries)
    data = json.loads((site / f"feeds/{feed_name}.json").read_text("utf-8"))
    item = next(i for i in data["items"] if i["id"] == entry.id)
    assert item["date_modified"] == "2024-05-24T00:00:00+00:00" and "Corrected 24 May 2024" in item["content_html"]


@pytest.mark.parametrize("feed_name", ["topic-taiwan", "all"])
def test_a_correction_to_a_report_that_does_not_lead_its_story_reaches_the_storys_entry(built, feed_name):
    """The site's and topics' feeds carry a story once, by its lead report: the NTD report is
    not it, yet its correction is in the story's entry, which is updated on or after that day."""
    root, site = built
    feed = feedparser.parse((site / f"feeds/{feed_name}.xml").read_bytes())
    assert not any(link.href.endswith(f"articles/{NTD}/") for e in feed.entries for link in e.links)
    entry = next(e for e in feed.entries if e.id.endswith("stories/lai-inauguration-2024/"))
    fix = content_of(root, NTD)["corrections"][0]
    content = words(BeautifulSoup(entry.content[0].value, "html.parser"))
    assert f"Corrected {day(fix['date'])} ({content_of(root, NTD)['source']}): {' '.join(fix['text'].split())}" in (
        content
    )
    assert entry.updated[:10] >= fix["date"].isoformat() > entry.published[:10]
    data = json.loads((site / f"feeds/{feed_name}.json").read_text("utf-8"))
    item = next(i for i in data["items"] if i["id"] == entry.id)
    assert item["date_modified"][:10] == entry.updated[:10] and "(NTD)" in item["content_html"]


@pytest.mark.slow
def test_a_correction_updates_an_entry_and_never_changes_its_id(built, tmp_path):
    """The same sample without the corrections: the same entry ids, older updated dates."""
    _, site = built
    root = copy_sample(tmp_path / "desk")
    for path in (root / "content/articles").rglob("*.md"):
        text = path.read_text("utf-8")
        if "\ncorrections:" in text:
            head, rest = text.split("\ncorrections:", 1)
            path.write_text(head + "\n---" + rest.split("\n---", 1)[1], "utf-8")
    assert every_correction(root) == []
    assert run_cli("build", "--project", str(root)).exit_code == 0
    for name in ("all", "topic-taiwan", "topic-fentanyl", "story-joint-sword-2024a-drills"):
        before = feedparser.parse((root / f"site/feeds/{name}.xml").read_bytes())
        after = feedparser.parse((site / f"feeds/{name}.xml").read_bytes())
        assert [e.id for e in before.entries] == [e.id for e in after.entries], name
        pairs = list(zip(before.entries, after.entries, strict=True))
        # Entries whose content now lists corrections; none dated earlier than before. (A story's
        # entry may already have been updated later than the correction, by a newer source.)
        changed = [a for b, a in pairs if a.content[0].value != b.content[0].value]
        assert changed and all("Corrections" in a.content[0].value for a in changed), name
        assert all(a.updated >= b.updated for b, a in pairs), name
        assert any(a.updated > b.updated for b, a in pairs if a in changed) or name == "topic-taiwan", name
        assert after.feed.updated >= before.feed.updated


# --- person pages ------------------------------------------------------------------------


def cards(page: BeautifulSoup) -> list:
    return page.select("article .bf-quote--card")


def test_each_quote_on_a_person_page_is_dated_and_links_the_original_and_our_page(built):
    root, site = built
    page = html(site, "people/lai-ching-te")
    found = cards(page)
    assert found
    for card in found:
        where = card.select_one(".bf-quote__where")
        ours = where.find("a", href=re.compile(r"^\.\./\.\./articles/"))
        slug = ours["href"].split("/")[3]
        post = content_of(root, slug)
        assert where.time["datetime"] == post["date"].isoformat() and words(where.time) == day(post["date"])
        original = where.select_one("a.bf-quote__original")
        assert original["href"] == post["url"] and words(original).startswith("the original")
        assert "noopener" in original["rel"]


@pytest.mark.slow
def test_every_quote_of_every_person_is_on_their_page_or_its_month_archives(tmp_path):
    """With archives after one item, a person's page shows their newest quote and the month
    archives the rest: together, every quote card the article pages attribute to them."""
    root = copy_sample(tmp_path / "desk")
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    archive_after: 1\n", 1), "utf-8"
    )
    assert run_cli("build", "--project", str(root)).exit_code == 0
    site = root / "site"
    expected: dict[str, Counter] = {}  # person -> (quote, article) -> times
    for path in (site / "articles").glob("*/index.html"):
        page = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        for figure in page.select("article .bf-quotes figure.bf-quote"):
            for link in figure.figcaption.select('a[href*="people/"]'):
                person = link["href"].rstrip("/").rsplit("/", 1)[1]
                expected.setdefault(person, Counter())[(words(figure.blockquote), path.parent.name)] += 1
    assert sum(len(c) for c in expected.values()) > 10
    archived = 0
    for person, quotes in expected.items():
        seen: Counter = Counter()
        pages = [site / "people" / person / "index.html", *sorted((site / "people" / person).glob("*/*/index.html"))]
        for path in pages:
            for card in cards(BeautifulSoup(path.read_text("utf-8"), "html.parser")):
                ours = card.select_one(".bf-quote__where").find("a", href=re.compile("articles/"))
                seen[(words(card.blockquote), ours["href"].rstrip("/").rsplit("/", 1)[1])] += 1
        assert set(seen) == set(quotes), person
        archived += len(pages) > 1
    assert archived >= 3  # the archives were needed: several people's quotes span months


# --- in Chromium -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(built, tmp_path_factory):
    with serve_site("root", built[1], tmp_path_factory, subpath=False) as site:
        yield site


@pytest.fixture
def visit(browser, served):
    yield from visiting(browser, served)


def test_corrected_pages_fit_a_phone_and_the_header_link_reaches_the_corrections(visit, served):
    page = visit(viewport=PHONE, is_mobile=True, has_touch=True)
    for path in (f"articles/{DESK}/", "stories/joint-sword-2024a-drills/", "corrections/", "people/lai-ching-te/"):
        page.goto(served.url(path))
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert width <= inner, f"{path} scrolls sideways: {width}px wide in a {inner}px viewport"
    page.goto(served.url(f"articles/{DESK}/"))
    section = page.locator("section.bf-corrections")
    assert section.is_visible() and "Corrected 6 August 2024" in section.inner_text()
    page.locator("a.bf-corrected").click()
    page.wait_for_url("**#corrections")
    box = page.locator("#corrections").bounding_box()
    assert 0 <= box["y"] < PHONE["height"]  # scrolled into view


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_corrections_have_no_serious_accessibility_violation(visit, served, axe_script, palette):
    page = visit(color_scheme="light")
    page.goto(served.url())
    if palette == "dark":  # as a reader switches: Material's toggle, remembered for later pages
        page.locator('form[data-md-component="palette"] label:visible').click()
    page.set_viewport_size(PHONE)
    problems = {}
    for path in (f"articles/{DESK}/", "stories/lai-inauguration-2024/", "corrections/", "people/lai-ching-te/"):
        page.goto(served.url(path))
        assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if palette == "dark" else "default")
        problems[path] = axe_problems(page, axe_script)
    assert {path: found for path, found in problems.items() if found} == {}
