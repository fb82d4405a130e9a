"""Reader features on the built sample site: feeds, the articles index, topic
pages at a glance, people, related coverage, reading time, archives, previews
and JSON-LD."""

from __future__ import annotations

import datetime as dt
import json
import re

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import VALID, copy_sample, run_cli

from briefings.engine.linkcheck import check_site
from briefings.pages.feeds import FEED_SIZE

SITE_URL = "https://example.org/briefings/"
SEED = "2023-11-15-daily-caller-biden-xi-agreement"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The sample site with a subpath site_url, one draft added, and archive_after above its
    81 articles so that every listing is whole (tests/test_archive_pages.py has the archives)."""
    root = copy_sample(tmp_path_factory.mktemp("reader"))
    config = root / "mkdocs.yml"
    text = config.read_text("utf-8").replace("site_dir: site", f"site_dir: site\nsite_url: {SITE_URL}")
    config.write_text(text.replace("extra:\n", "extra:\n  briefings:\n    archive_after: 100\n", 1), "utf-8")
    (root / "content/articles/2024/2024-12-01-draft.md").write_text(
        "---\ntitle: An unfinished draft\ndate: 2024-12-01\nsource: Briefings desk\n"
        "topics: [taiwan, fentanyl, us-china]\npeople: [Xi]\ndraft: true\n---\nNot yet.\n",
        "utf-8",
    )
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    return root / "site"


def articles_of(site):
    """Published sample articles as (slug, date, topic chips), newest first (equal dates by
    slug, as the site orders them), from the built pages."""
    items = []
    for page in (site / "articles").iterdir():
        if not page.is_dir():
            continue  # articles/index.html, the articles index
        dom = BeautifulSoup((page / "index.html").read_text("utf-8"), "html.parser")
        when = dom.select_one(".bf-article-header time")["datetime"]
        items.append((page.name, when, [a.get_text() for a in dom.select(".bf-article-header .bf-chip")]))
    return sorted(sorted(items), key=lambda i: i[1], reverse=True)


def story_of(site, slug):
    """The story page an article page links to ("" when it is in none), as a site-root path."""
    link = dom(site, f"articles/{slug}").select_one(".bf-in-story h2 a")
    return link["href"].replace("../../", "") if link else ""


def once(site, slugs):
    """What a listing of these articles shows as links: each article in no story, each story once."""
    return {story_of(site, s) or f"articles/{s}/" for s in slugs}


def dom(site, path):
    return BeautifulSoup((site / path / "index.html").read_text("utf-8"), "html.parser")


# (feed file name, the page it follows)
FEEDS = [
    ("feeds/all", ""),
    ("feeds/topic-us-china", "topics/us-china/"),
    ("feeds/topic-taiwan", "topics/taiwan/"),
    ("feeds/topic-fentanyl", "topics/fentanyl/"),
    ("feeds/person-xi-jinping", "people/xi-jinping/"),
    ("feeds/person-joe-biden", "people/joe-biden/"),
]


@pytest.mark.parametrize("name, page", FEEDS)
def test_atom_feeds_parse_newest_first_with_absolute_links(built, name, page):
    feed = feedparser.parse((built / f"{name}.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.feed.title.startswith("US–China Briefings")
    assert feed.feed.link == SITE_URL + page
    entries = feed.entries
    assert entries, page
    published = [e.published_parsed for e in entries]
    assert published == sorted(published, reverse=True)
    for e in entries:
        assert e.link.startswith(SITE_URL) and e.link.endswith("/")
        path = e.link.removeprefix(SITE_URL)
        assert (built / path / "index.html").is_file()
        if path.startswith("stories/"):  # a story, once, by its lead's headline with its sources
            assert re.search(r" \(\d+ sources?\)$", e.title) and not name.startswith("feeds/person")
        else:
            assert path.startswith("articles/") and path[9:19] == dt.date(*e.published_parsed[:3]).isoformat()
        assert e.updated_parsed and e.tags and e.authors
    assert "An unfinished draft" not in [e.title for e in entries]


def test_site_feed_has_every_published_article_with_topics_as_categories(built):
    feed = feedparser.parse((built / "feeds/all.xml").read_bytes())
    expected = once(built, [slug for slug, _, _ in articles_of(built) if slug != "2024-12-01-draft"])
    links = [e.link.removeprefix(SITE_URL) for e in feed.entries]
    assert len(expected) < FEED_SIZE and sorted(links) == sorted(expected)  # 80 articles, 12 stories: each once
    assert len([link for link in links if link.startswith("stories/")]) == 12
    seed = next(e for e in feed.entries if e.link.endswith("stories/biden-xi-woodside-2023/"))  # led by the seed
    assert seed.title.startswith("Biden, Xi Reach Agreement On Illicit Fentanyl") and seed.title.endswith(
        "After First Meeting In A Year (16 sources)"
    )
    assert [t.label for t in seed.tags] == ["US–China relations", "Fentanyl", "Taiwan"]
    assert seed.author == "Reagan Reese"
    assert seed.summary.startswith("Meeting for about four hours")


def test_topic_feed_holds_exactly_the_topic(built):
    feed = feedparser.parse((built / "feeds/topic-taiwan.xml").read_bytes())
    expected = once(built, [s for s, _, chips in articles_of(built) if "Taiwan" in chips and s != "2024-12-01-draft"])
    links = [e.link.removeprefix(SITE_URL) for e in feed.entries]
    assert sorted(links) == sorted(expected) and len(links) == len(set(links))


@pytest.mark.parametrize("name, page", FEEDS)
def test_json_feeds_are_json_feed_1_1_twins(built, name, page):
    data = json.loads((built / f"{name}.json").read_text("utf-8"))
    atom = feedparser.parse((built / f"{name}.xml").read_bytes())
    assert data["version"] == "https://jsonfeed.org/version/1.1"
    assert data["feed_url"] == SITE_URL + f"{name}.json"
    assert [i["url"] for i in data["items"]] == [e.link for e in atom.entries]
    # feedparser 6 reads no JSON Feed: check the spec's required fields instead.
    assert data["title"] == atom.feed.title and data["home_page_url"] == SITE_URL + page
    for item, entry in zip(data["items"], atom.entries, strict=True):
        assert isinstance(item["id"], str) and item["id"] == entry.id
        assert item["title"] == entry.title and item["content_text"]
        assert dt.datetime.fromisoformat(item["date_published"]).timetuple()[:6] == tuple(entry.published_parsed[:6])
        assert item["tags"] == [t.label for t in entry.tags]


def test_pages_advertise_their_feeds(built):
    def alternates(path):
        """Each alternate link resolved against the page's URL, as a feed reader does."""
        from urllib.parse import urljoin

        return [
            (link["type"], urljoin(SITE_URL + path + "/" if path else SITE_URL, link["href"]))
            for link in dom(built, path).find_all("link", rel="alternate")
        ]

    site_feeds = [
        ("application/atom+xml", SITE_URL + "feeds/all.xml"),
        ("application/feed+json", SITE_URL + "feeds/all.json"),
    ]
    assert alternates("") == site_feeds
    topic = alternates("topics/taiwan")
    assert topic == [
        *site_feeds,
        ("application/atom+xml", SITE_URL + "feeds/topic-taiwan.xml"),
        ("application/feed+json", SITE_URL + "feeds/topic-taiwan.json"),
    ]
    button = dom(built, "topics/taiwan").select_one(".bf-feed__button")
    assert button["href"] == SITE_URL + "feeds/topic-taiwan.xml"
    assert ("application/atom+xml", SITE_URL + "feeds/topic-fentanyl.xml") in alternates(f"articles/{SEED}")


def test_every_feed_in_the_site_parses_and_holds_no_draft(built):
    # The articles' feeds (Atom and JSON each); the weekly digest's is Atom only, checked below.
    feeds = sorted(p for p in built.glob("feeds/*.xml") if p.name not in ("sitemap.xml", "digests.xml"))
    pages = [*(built / "people").glob("*/index.html"), *(built / "stories").glob("*/index.html")]
    assert len(feeds) == 1 + 3 + len([p for p in pages if not p.parent.name.isdigit()])
    assert not list(built.glob("feed*.*")), "no feed is left at the site root"
    weekly = feedparser.parse((built / "feeds/digests.xml").read_bytes())
    assert not weekly.bozo and weekly.entries
    assert not any("An unfinished draft" in e.content[0].value for e in weekly.entries)
    for path in feeds:
        feed = feedparser.parse(path.read_bytes())
        assert not feed.bozo and feed.entries, path
        assert "An unfinished draft" not in [e.title for e in feed.entries]
        assert json.loads(path.with_suffix(".json").read_text("utf-8"))["items"]


def test_articles_index_lists_every_published_article_newest_first(built):
    """/articles/, the prefix of every article's URL, is the index of them all: on a site
    under archive_after, every published article by month, no draft, no archive."""
    page = dom(built, "articles")
    assert [a["href"].strip("/") for a in page.select(".bf-line__title")] == [slug for slug, _, _ in articles_of(built)]
    assert "An unfinished draft" not in page.get_text() and not page.select(".bf-badge")
    assert page.select_one(".bf-meta").get_text() == "80 articles, newest first."
    assert [h.get_text() for h in page.select(".bf-month h2")][:2] == ["November 2024", "August 2024"]
    assert not page.select(".bf-archives")
    home = dom(built, "").select_one("nav.md-nav--primary")
    assert [a["href"] for a in home.select("a.md-nav__link") if a.get_text(strip=True) == "Articles"] == ["articles/"]


def test_topic_page_opens_with_key_dates_then_each_story_once_then_quote_cards(built):
    page = dom(built, "topics/fentanyl")
    headings = [h.get_text(strip=True) for h in page.select("article h2")]
    assert headings[:3] == ["Key dates", "Stories", "Key quotes"]
    fentanyl = [slug for slug, _, chips in articles_of(built) if "Fentanyl" in chips and slug != "2024-12-01-draft"]
    assert len(fentanyl) == 35
    # Each story once, newest first (by its first report), linked to its story page.
    stories = [a["href"].replace("../../", "") for a in page.select(".bf-story-item__title a")]
    assert len(stories) == len(set(stories)) == 5 and set(stories) == once(built, fentanyl)
    assert page.select_one(".bf-story-item time").get_text() == "5–7 August 2024"  # the precursor story
    # Key dates: one line per story, oldest first, each leading to its story on the page.
    dates = page.select(".bf-key-dates li")
    assert [li.a["href"] for li in dates] == [f"#{s['id']}" for s in reversed(page.select(".bf-story-item"))]
    assert dates[-1].time.get_text() == "5 August 2024"
    cards = page.select(".bf-quote--card")
    assert [c.blockquote.get_text(strip=True) for c in cards] == [  # newest first, full clauses only
        "“The concrete action is to save lives.”",  # 7 words, but card: true
        "“turning our back on each other is not an option”",
        "“We're talking to our competitors, just talking and being blunt with one another”",
    ]
    burns = cards[0].figcaption
    assert burns.a["href"] == "../../people/nicholas-burns/"
    assert (
        " ".join(burns.select_one(".bf-quote__where").get_text().split())
        == "in The Diplomatic Insight, 1 February 2024"
    )
    assert "“It’s going to save lives”" not in page.get_text()  # 5 words: a fragment, not a card


def test_people_pages_merge_aliases_and_list_articles_and_quotes(built):
    index = dom(built, "people")
    names = [a.get_text() for a in index.select(".bf-people-index a")]
    assert names[:4] == ["Nancy Pelosi", "Joe Biden", "Xi Jinping", "Lai Ching-te"]  # 29, 18, 18 and 16 articles
    assert "Jen Daskal" in names and len(names) == len(set(names)) == 19
    xi = dom(built, "people/xi-jinping")
    assert xi.h1.get_text() == "Xi Jinping"
    assert "Also written as: Xi, President Xi" in xi.get_text()
    naming_xi = [  # the draft naming "Xi" is not published
        slug
        for slug, _, _ in articles_of(built)
        if "../../people/xi-jinping/" in [a["href"] for a in dom(built, f"articles/{slug}").select(".bf-people a")]
    ]
    assert [a["href"].split("/")[-2] for a in xi.select(".bf-line__title")] == naming_xi
    assert len(naming_xi) == 18 and naming_xi[0] == "2024-11-17-peoples-daily-xi-china-us-partner-friend"
    assert SEED in naming_xi and "2024-12-01-draft" not in naming_xi
    assert [q.blockquote.get_text(strip=True) for q in xi.select(".bf-quote--card")] == [
        "“the need to maintain human control over the decision to use nuclear weapons”",  # with Joe Biden
        "“China is ready to work with the new U.S. administration to maintain communication”",
        "“turning our back on each other is not an option”",
        "“Planet Earth is big enough for the two countries to succeed,”",
    ]  # not “dramatically curtail”: a fragment, quoted in its article's text
    joint = xi.select_one(".bf-quote--card figcaption")
    assert [a["href"] for a in joint.select("a")][:2] == ["../joe-biden/", "./"]
    assert joint.get_text(" ", strip=True).startswith("Joe Biden and Xi Jinping in")
    article = dom(built, f"articles/{SEED}")
    assert [a["href"] for a in article.select(".bf-people a")] == [
        "../../people/joe-biden/",
        "../../people/xi-jinping/",
    ]
    assert article.select_one(".bf-quoted a")["href"] == "../../people/xi-jinping/"


def test_every_article_has_related_coverage_with_reasons(built):
    for slug, _, _ in articles_of(built):
        related = dom(built, f"articles/{slug}").select(".bf-related__list li")
        assert 1 <= len(related) <= 5, slug
        for item in related:
            assert item.select_one(".bf-related__why").get_text().startswith("shares: ")
    lima = dom(built, "articles/2024-11-16-kjzz-biden-xi-ai-nuclear-decisions").select(".bf-related__list li")
    assert lima[0].a["href"] == "../2024-11-17-peoples-daily-xi-china-us-partner-friend/"
    assert lima[0].select_one(".bf-related__why").get_text() == "shares: US–China relations, Joe Biden, Xi Jinping"


def test_article_pages_show_reading_time_and_previous_next(built):
    page = dom(built, "articles/2024-01-13-trt-lai-wins-presidential-election")
    assert re.fullmatch(r"\d+ min read", page.select_one(".bf-reading-time").get_text())
    assert re.fullmatch(r"\d+ words", page.select_one(".bf-words").get_text())
    taiwan = page.select_one(".bf-more__topic")
    assert [(a["rel"][0], a["href"]) for a in taiwan.select("a[rel]")] == [
        ("prev", "../2023-11-17-japan-news-biden-special-treatment-for-xi/"),  # older, across the date
        ("next", "../2024-01-13-the-hill-blinken-congratulates-lai/"),  # same date: by slug
    ]


def test_article_previews_and_json_ld(built):
    page = dom(built, f"articles/{SEED}")
    meta = {m.get("property") or m.get("name"): m["content"] for m in page.find_all("meta") if m.get("content")}
    assert meta["og:type"] == "article"
    assert meta["og:title"].startswith("Biden, Xi Reach Agreement")
    assert meta["description"] == meta["og:description"] and meta["twitter:card"] == "summary"
    assert meta["og:url"] == SITE_URL + f"articles/{SEED}/"
    assert meta["article:published_time"] == "2023-11-15T00:00:00+00:00"
    assert meta["article:section"] == "Politics"
    assert [m["content"] for m in page.find_all("meta", property="article:tag")] == [
        "US–China relations",
        "Fentanyl",
        "Taiwan",
    ]
    assert page.find("link", rel="canonical")["href"] == SITE_URL + f"articles/{SEED}/"
    ld = json.loads(page.find("script", type="application/ld+json").string)
    assert ld["@type"] == "NewsArticle" and ld["@context"] == "https://schema.org"
    assert ld["headline"].startswith("Biden, Xi Reach Agreement")
    assert ld["datePublished"] == ld["dateModified"] == "2023-11-15T00:00:00+00:00"
    assert ld["author"] == [{"@type": "Person", "name": "Reagan Reese"}]
    assert ld["publisher"] == {"@type": "Organization", "name": "The Daily Caller"}
    assert ld["url"] == SITE_URL + f"articles/{SEED}/"
    home = {m.get("property"): m["content"] for m in dom(built, "").find_all("meta") if m.get("property")}
    assert home["og:type"] == "website" and home["og:title"] == "US–China Briefings"


def test_subpath_site_links_resolve(built):
    assert check_site(built, "/briefings/") == []


def test_updated_badge_and_archives(site):
    """A small archive threshold: the topic page keeps the newest and links month archives."""
    site.settings(archive_after=2)
    for i, day in enumerate(["2024-01-05", "2024-01-20", "2024-02-03", "2024-03-09", "2024-03-30"]):
        site.article(f"a{i}.md", VALID.replace("2024-01-13", day).replace("A valid article", f"Item {i}"))
    site.article("u.md", VALID.replace("[taiwan]", "[fentanyl]") + "updated: 2024-02-01\n")
    result = site.run("build")
    assert result.exit_code == 0, result.output
    built = site.root / "site"
    taiwan = dom(built, "topics/taiwan")
    assert [a.get_text() for a in taiwan.select(".bf-story-item__title a")] == ["Item 4", "Item 3"]
    assert taiwan.select_one("#stories").get_text() == "Stories: the latest 2"
    assert [(a.get_text(), a["href"]) for a in taiwan.select(".bf-archives a")] == [
        ("March 2024", "2024/03/"),
        ("February 2024", "2024/02/"),
        ("January 2024", "2024/01/"),
    ]
    january = dom(built, "topics/taiwan/2024/01")
    assert [a.get_text() for a in january.select(".bf-story-item__title a")] == ["Item 1", "Item 0"]
    assert january.select_one(".bf-pager a")["href"] == "../02/"
    assert (built / "timeline/2024/03/index.html").is_file()
    updated = dom(built, "articles/u")
    assert updated.select_one(".bf-badge--updated").get_text() == "Updated"
    assert updated.select_one(".bf-reading time")["datetime"] == "2024-02-01"
    assert check_site(built) == []


def test_person_pages_keep_the_newest_and_link_month_archives(site):
    """A person named in many articles does not get one ever-growing page: past
    archive_after, their page keeps the newest articles and quotes, and month
    archives hold everything, quotes included."""
    site.settings(archive_after=2)
    days = ["2024-01-05", "2024-01-20", "2024-02-03", "2024-03-09", "2024-03-30"]
    for i, day in enumerate(days):
        quote = (
            f'quotes:\n  - text: "These are the words number {i}, said in full."\n    speaker: Jane Doe\n'
            if i != 2
            else ""
        )
        site.article(
            f"p{i}.md",
            VALID.replace("2024-01-13", day).replace("A valid article", f"Item {i}") + "people: [Jane Doe]\n" + quote,
        )
    result = site.run("build")
    assert result.exit_code == 0, result.output
    built = site.root / "site"
    person = dom(built, "people/jane-doe")
    assert [a.get_text() for a in person.select(".bf-line__title")] == ["Item 4", "Item 3"]
    assert len(person.select(".bf-quote-cards figure")) == 2
    assert "The latest 2 of 4" in person.get_text() and "5 articles" in person.get_text()
    assert [(a.get_text(), a["href"]) for a in person.select(".bf-archives a")] == [
        ("March 2024", "2024/03/"),
        ("February 2024", "2024/02/"),
        ("January 2024", "2024/01/"),
    ]
    january = dom(built, "people/jane-doe/2024/01")
    assert [a.get_text() for a in january.select(".bf-line__title")] == ["Item 1", "Item 0"]
    assert [q.get_text() for q in january.select(".bf-quote blockquote")] == [
        "“These are the words number 1, said in full.”",
        "“These are the words number 0, said in full.”",
    ]
    assert january.select_one(".bf-kicker a")["href"] == "../../"
    february = dom(built, "people/jane-doe/2024/02")
    assert [a.get_text() for a in february.select(".bf-line__title")] == ["Item 2"]
    assert february.select(".bf-quote") == []
    assert check_site(built) == []
