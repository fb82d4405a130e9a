"""Feeds on the built sample site: all under feeds/, tag: ids, absolute links,
our summary and key points as content, story feeds, the OPML list and each
page's <link rel="alternate">; and what they carry when site_url is unset."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import frontmatter
import pytest
from bs4 import BeautifulSoup
from conftest import SUBPATH_URL

from briefings.options import Settings
from briefings.pages.feeds import feeds_warning, tag_uri

TAG = re.compile(
    r"tag:user\.github\.io,(\d{4}-\d{2}-\d{2}):repo/((?:(?:articles|stories)/[a-z0-9-]+|digests/\d{4}-W\d\d)/)"
)


def feeds(site: Path) -> list[Path]:
    return sorted(p for p in (site / "feeds").glob("*.xml") if p.name != "sitemap.xml")


def parsed(path: Path) -> feedparser.FeedParserDict:
    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, (path, feed.bozo_exception)
    return feed


def page(site: Path, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


@pytest.fixture(scope="module")
def site(subpath_build) -> Path:
    return subpath_build[0] / "site"


def test_every_entry_has_a_unique_tag_id_and_absolute_links(site):
    for path in feeds(site):
        feed = parsed(path)
        assert feed.feed.id == SUBPATH_URL + f"feeds/{path.name}"
        ids = [e.id for e in feed.entries]
        assert len(ids) == len(set(ids)), path
        for entry in feed.entries:
            match = TAG.fullmatch(entry.id)
            assert match, entry.id
            # the entry's own date and page: stable across rebuilds, unique to this site's folder
            assert match[1] == entry.published[:10] and entry.link == SUBPATH_URL + match[2]
            assert (site / match[2] / "index.html").is_file()
        assert feed.feed.link.startswith(SUBPATH_URL)
        assert {link.href for link in feed.feed.links if link.rel == "self"} == {SUBPATH_URL + f"feeds/{path.name}"}


def test_two_desks_on_one_host_never_share_an_id():
    day = dt.date(2024, 1, 2)
    one = tag_uri(Settings(site_url="https://user.github.io/one/"), day, "articles/a/")
    two = tag_uri(Settings(site_url="https://user.github.io/two/"), day, "articles/a/")
    assert one == "tag:user.github.io,2024-01-02:one/articles/a/" and one != two


def test_entries_carry_our_summary_and_key_points(site):
    slug = "2023-11-17-usa-today-biden-xi-meet-in-san-francisco"
    article = frontmatter.loads(next(Path(site.parent, "content/articles").rglob(f"{slug}.md")).read_text("utf-8"))
    assert article["key_points"]
    person = next(f for f in feeds(site) if any(e.link.endswith(f"articles/{slug}/") for e in parsed(f).entries))
    entry = next(e for e in parsed(person).entries if e.link.endswith(f"articles/{slug}/"))
    content = BeautifulSoup(entry.content[0].value, "html.parser")
    assert entry.content[0].type == "text/html"
    assert content.p.get_text() == " ".join(article["summary"].split())
    assert [li.get_text() for li in content.select("ul > li")] == article["key_points"]
    assert entry.summary == " ".join(article["summary"].split())


def test_each_story_page_has_a_feed_of_its_articles_newest_first(site):
    story_of = {}
    for path in Path(site.parent, "content/articles").rglob("*.md"):
        if story := frontmatter.loads(path.read_text("utf-8")).get("story"):
            story_of.setdefault(story, set()).add(f"{SUBPATH_URL}articles/{path.stem}/")
    stories = sorted(p.parent.name for p in (site / "stories").glob("*/index.html") if not p.parent.name.isdigit())
    assert stories == sorted(story_of)
    for story in stories:
        feed = parsed(site / f"feeds/story-{story}.xml")
        assert feed.feed.link == SUBPATH_URL + f"stories/{story}/"
        assert sorted(e.link for e in feed.entries) == sorted(story_of[story])
        published = [e.published_parsed for e in feed.entries]
        assert published == sorted(published, reverse=True)


def test_the_opml_file_lists_every_feed_with_its_title(site):
    root = ET.fromstring((site / "feeds/index.opml").read_bytes())
    outlines = [o for o in root.iter("outline") if o.get("xmlUrl")]
    assert sorted(o.get("xmlUrl") for o in outlines) == sorted(SUBPATH_URL + f"feeds/{p.name}" for p in feeds(site))
    for outline in outlines:
        feed = parsed(site / "feeds" / outline.get("xmlUrl").rsplit("/", 1)[1])
        assert outline.get("title") == outline.get("text") == feed.feed.title
        assert outline.get("htmlUrl") == feed.feed.link
    assert [o.get("text") for o in root.find("body")][1:] == [
        "US–China Briefings: Weekly digest",
        "Topics",
        "People",
        "Stories",
    ]


@pytest.mark.parametrize(
    "url, own",
    [
        ("", None),
        ("topics/taiwan", "topic-taiwan"),
        ("people/joe-biden", "person-joe-biden"),
        ("stories/biden-xi-woodside-2023", "story-biden-xi-woodside-2023"),
    ],
)
def test_each_page_kind_links_its_own_feeds(site, url, own):
    base = SUBPATH_URL + (url + "/" if url else "")
    links = page(site, url).find_all("link", rel="alternate", type="application/atom+xml")
    hrefs = [urljoin(base, link["href"]) for link in links]
    expected = [SUBPATH_URL + "feeds/all.xml"] + ([SUBPATH_URL + f"feeds/{own}.xml"] if own else [])
    assert hrefs == expected
    for href in hrefs:
        assert (site / href.removeprefix(SUBPATH_URL)).is_file()
    # Material fetches sitemap.xml next to each alternate link: it is there.
    assert (site / "feeds/sitemap.xml").is_file()


def test_without_site_url_feeds_link_relative_to_themselves_and_the_build_says_so(sample_build):
    root, result = sample_build
    assert result.stderr.count("Warning: ") == 1 and feeds_warning(Settings()) in result.stderr
    site = root / "site"
    for path in feeds(site):
        feed = parsed(path)
        url = f"https://anywhere.example/{path.relative_to(site).as_posix()}"
        for entry in feed.entries:
            assert not entry.link.startswith("http")
            assert (site / urljoin(url, entry.link).removeprefix("https://anywhere.example/") / "index.html").is_file()
            assert re.fullmatch(
                r"tag:us-china-briefings\.invalid,\d{4}-\d{2}-\d{2}:((articles|stories)/[a-z0-9-]+|digests/\d{4}-W\d\d)/",
                entry.id,
            )
    opml = ET.fromstring((site / "feeds/index.opml").read_bytes())
    assert {o.get("xmlUrl") for o in opml.iter("outline") if o.get("xmlUrl")} == {p.name for p in feeds(site)}
