"""Topic pages list each story once (key dates, then the stories, then key quotes);
quotes are cards only when they are a full clause; article pages lead with the original.

The sample is built with the real CLI; the small desks are written into a fresh project.
Tests that drive Chromium are marked ``browser`` (tests/conftest.py)."""

from __future__ import annotations

import re
from pathlib import Path

import frontmatter
import pytest
from bs4 import BeautifulSoup
from conftest import VALID, Site, copy_sample, run_cli
from test_browser import serve_site, visiting

TOPICS = ("us-china", "taiwan", "fentanyl")
PHONE = {"width": 390, "height": 844}
MIXED_CASE = "U.S. and PRC hold talks on fentanyl: 'a first step'"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def site_path(href: str) -> str:
    """A link on a page two or four levels deep, as a path from the site root."""
    return re.sub(r"^(\.\./)+", "", href)


def sample_articles(root: Path) -> dict[str, dict]:
    return {p.stem: frontmatter.load(p).metadata for p in (root / "content/articles").rglob("*.md")}


def story_links(page: BeautifulSoup) -> list[str]:
    return [site_path(a["href"]) for a in page.select(".bf-story-item__title > a")]


@pytest.fixture(scope="module")
def archived(tmp_path_factory):
    """The sample with archive_after: 2, so every topic pages its older stories into month archives."""
    root = copy_sample(tmp_path_factory.mktemp("archived"))
    config = root / "mkdocs.yml"
    config.write_text(
        config.read_text("utf-8").replace("extra:\n", "extra:\n  briefings:\n    archive_after: 2\n", 1), "utf-8"
    )
    result = run_cli("build", "--project", str(root))
    assert result.exit_code == 0, result.output
    return root


def expected_stories(articles: dict[str, dict], topic: str) -> set[str]:
    """A topic's stories as pages: each story's page, or the article's for one in no story."""
    return {
        f"stories/{m['story']}/" if m.get("story") else f"articles/{slug}/"
        for slug, m in articles.items()
        if topic in m["topics"] and not m.get("draft")
    }


@pytest.mark.parametrize("topic", TOPICS)
def test_each_story_once_on_the_topic_page(sample_build, topic):
    root, _ = sample_build
    page = soup(root / "site/topics" / topic / "index.html")
    listed = story_links(page)
    assert len(listed) == len(set(listed)) and set(listed) == expected_stories(sample_articles(root), topic)
    # No other link on the page leads to a story or an article a second time.
    hrefs = [site_path(a["href"]) for a in page.select("article a[href]")]
    assert [h for h in listed if hrefs.count(h) != 1] == []
    assert page.select(".bf-entry, .bf-developments, .bf-timeline") == []  # no second or third listing


@pytest.mark.parametrize("topic", TOPICS)
def test_each_story_once_across_the_topic_page_and_its_month_archives(archived, topic):
    folder = archived / "site/topics" / topic
    pages = [folder / "index.html", *sorted(folder.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"))]
    assert len(pages) > 2, "archive_after: 2 pages the topic into month archives"
    listed = [link for page in pages for link in story_links(soup(page))]
    # The topic page shows the newest two; the archives hold each story once, in its first report's month.
    archived_only = [link for page in pages[1:] for link in story_links(soup(page))]
    assert len(archived_only) == len(set(archived_only)) and set(archived_only) == set(listed)
    assert set(listed) == expected_stories(sample_articles(archived), topic)
    assert len(story_links(soup(pages[0]))) == 2
    for page in pages[1:]:
        month = re.search(r"(\d{4})/(\d{2})/index.html$", page.as_posix())
        for item in soup(page).select(".bf-story-item"):
            assert item.time["datetime"].startswith(f"{month[1]}-{month[2]}"), (page, item.time)


def test_key_dates_one_line_per_story_oldest_first_linking_to_it_on_the_page(sample_build):
    root, _ = sample_build
    for topic in TOPICS:
        page = soup(root / "site/topics" / topic / "index.html")
        items = page.select(".bf-story-item")
        lines = page.select(".bf-key-dates li")
        assert [li.a["href"] for li in lines] == [f"#{item['id']}" for item in reversed(items)]
        # Each line is one link: the date, then the story's headline.
        assert [li.a.get_text() for li in lines] == [
            f"{li.time.get_text()} {i.select_one('.bf-story-item__title a').get_text()}"
            for li, i in zip(lines, reversed(items), strict=True)
        ]
        days = [li.time["datetime"] for li in lines]
        assert days == sorted(days)


def test_a_story_shows_summary_why_it_matters_and_its_sources(sample_build):
    root, _ = sample_build
    page = soup(root / "site/topics/fentanyl/index.html")
    woodside = page.select_one("#story-biden-xi-woodside-2023")
    assert woodside.select_one(".bf-story-item__title a")["href"] == "../../stories/biden-xi-woodside-2023/"
    assert woodside.select_one(".bf-story-item__summary").get_text().startswith("Joe Biden and Xi Jinping met")
    assert woodside.select_one(".bf-story-item__why").get_text().startswith("Why it matters:")
    assert woodside.select_one(".bf-story-item__count").get_text() == "16 sources from 7 countries"
    outlets = woodside.select(".bf-story-item__sources a")
    assert len(outlets) == 6 and "and 10 more" in woodside.select_one(".bf-story-item__sources").get_text()
    assert all(site_path(a["href"]).startswith("articles/") for a in outlets)


def test_fragments_are_never_cards_on_topic_story_or_person_pages(sample_build):
    root, _ = sample_build
    site = root / "site"
    fragments = {
        q["text"]
        for m in sample_articles(root).values()
        for q in m.get("quotes", [])
        if len(q["text"].split()) < 8 and not q.get("card")
    }
    assert {"worrisome", "dramatically curtail", "punishment"} <= fragments
    pages = [*site.glob("topics/*/index.html"), *site.glob("stories/*/index.html"), *site.glob("people/*/index.html")]
    for path in pages:
        for card in soup(path).select(".bf-quote blockquote"):
            assert card.get_text(strip=True).strip("“”") not in fragments, path
    # On its article's page a fragment is quoted inline, with who said it.
    article = soup(site / "articles/2024-05-23-trt-world-china-drills-strong-punishment/index.html")
    assert article.select(".bf-quote") == []
    assert [" ".join(li.get_text().split()) for li in article.select(".bf-quoted li")] == [
        "“punishment”, said China's military, describing the drills' purpose"
    ]


def test_a_joint_statement_names_each_speaker_linked(sample_build):
    root, _ = sample_build
    page = soup(root / "site/articles/2024-11-16-kjzz-biden-xi-ai-nuclear-decisions/index.html")
    card = page.select(".bf-quote")[0]
    assert " ".join(card.figcaption.get_text().split()) == "Joe Biden and Xi Jinping"
    assert [a["href"] for a in card.figcaption.select("a")] == ["../../people/joe-biden/", "../../people/xi-jinping/"]


def quoted_desk(site: Site, quote: str) -> None:
    site.article(
        "2024/talks.md",
        VALID.replace("Briefings desk", "The Outlet") + "people: [Ann Lee, Bo Chan]\nquotes:\n" + quote,
    )


def topic_cards(site: Site) -> list[str]:
    result = site.run("build")
    assert result.exit_code == 0, result.output
    page = soup(site.root / "site/topics/taiwan/index.html")
    return [" ".join(c.get_text().split()) for c in page.select(".bf-quote--card")]


def test_speakers_list_renders_a_and_b_each_linked_with_outlet_and_date(site):
    quoted_desk(
        site, "  - text: We agreed to keep talking to each other every month.\n    speakers: [Ann Lee, Bo Chan]\n"
    )
    assert topic_cards(site) == [
        "“We agreed to keep talking to each other every month.” Ann Lee and Bo Chan in The Outlet, 13 January 2024"
    ]
    card = soup(site.root / "site/topics/taiwan/index.html").select_one(".bf-quote--card")
    assert [a["href"] for a in card.figcaption.select("a")] == [
        "../../people/ann-lee/",
        "../../people/bo-chan/",
        "../../articles/talks/",
    ]
    # The quote is each speaker's.
    for person in ("ann-lee", "bo-chan"):
        assert "keep talking" in (site.root / "site/people" / person / "index.html").read_text("utf-8")


def test_a_short_quote_is_not_a_card_unless_marked_card_true(site):
    quoted_desk(site, "  - text: Talks went well.\n    speaker: Ann Lee\n")
    assert topic_cards(site) == []
    quoted_desk(site, "  - text: Talks went well.\n    speaker: Ann Lee\n    card: true\n")
    assert topic_cards(site) == ["“Talks went well.” Ann Lee in The Outlet, 13 January 2024"]


def test_the_minimum_words_of_a_card_is_a_setting(site):
    quoted_desk(site, "  - text: Talks went well.\n    speaker: Ann Lee\n")
    site.settings(quote_card_min_words=3)
    assert topic_cards(site) == ["“Talks went well.” Ann Lee in The Outlet, 13 January 2024"]


def test_the_minimum_words_must_be_a_whole_number(site):
    site.settings(quote_card_min_words="many")
    result = site.run("build")
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "extra.briefings.quote_card_min_words" in result.output


@pytest.mark.parametrize("command", ["check", "build"])
def test_a_quote_with_no_speaker_is_one_line_naming_file_line_and_field(site, command):
    quoted_desk(site, "  - text: We agreed to keep talking to each other every month.\n")
    result = site.run(command)
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert lines[0] == (
        "content/articles/2024/talks.md:8: quotes[0].speaker: is missing "
        "(add speaker: Name, or speakers: [Name, Name] for a joint statement)"
    )
    assert len(lines) == 2 and lines[1].startswith("Error: ")


def test_speaker_and_speakers_together_or_an_empty_list_are_refused(site):
    quoted_desk(
        site,
        "  - text: One.\n    speaker: Ann Lee\n    speakers: [Bo Chan]\n  - text: Two.\n    speakers: []\n",
    )
    result = site.run("check")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:2] == [
        "content/articles/2024/talks.md:10: quotes[0].speakers: and speaker: both given "
        "(keep one: speakers: lists a joint statement's)",
        "content/articles/2024/talks.md:12: quotes[1].speakers: expected a list of names "
        "(got an empty list; add speaker: Name, or speakers: [Name, Name] for a joint statement)",
    ]


def test_article_headline_is_exactly_as_published_and_our_notes_are_marked(site):
    site.article(
        "2024/talks.md",
        VALID.replace("A valid article", f'"{MIXED_CASE}"').replace("Briefings desk", "The Outlet")
        + "url: https://news.example.org/talks\nsummary: Our own summary.\n",
    )
    result = site.run("build")
    assert result.exit_code == 0, result.output
    page = soup(site.root / "site/articles/talks/index.html")
    assert page.h1.get_text() == MIXED_CASE
    header = page.select_one(".bf-article-header")
    assert " ".join(header.select_one(".bf-byline").get_text().split()) == "The Outlet · 13 January 2024"
    original = header.select_one(".bf-original a")
    assert original.get_text() == "Read the original at The Outlet"
    assert original["href"] == "https://news.example.org/talks" and "noopener" in original["rel"]
    assert page.select_one("#our-summary").contents[0] == "Our summary"
    assert "not The Outlet's words" in page.select_one(".bf-ours-note").get_text()


# --- in Chromium --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(sample_build, tmp_path_factory):
    with serve_site("root", sample_build[0] / "site", tmp_path_factory, subpath=False) as site:
        yield site


@pytest.fixture
def visit(browser, served):
    yield from visiting(browser, served)


def story_hrefs_counted(page) -> dict[str, int]:
    """How often each story (by its headline's href) is linked from the page's content."""
    return page.evaluate(
        """() => {
            const all = [...document.querySelectorAll('.md-content article a[href]')].map(a => a.href);
            const stories = [...document.querySelectorAll('.bf-story-item__title > a')].map(a => a.href);
            return Object.fromEntries(stories.map(h => [h, all.filter(x => x === h).length]));
        }"""
    )


def test_each_story_once_and_the_topic_page_fits_in_about_three_phone_screens(visit, served):
    page = visit(viewport=PHONE, is_mobile=True, has_touch=True)
    screens = {}
    for topic in TOPICS:
        page.goto(served.url(f"topics/{topic}/"))
        counted = story_hrefs_counted(page)
        assert counted and set(counted.values()) == {1}, (topic, counted)
        screens[topic] = (len(counted), round(page.evaluate("document.documentElement.scrollHeight") / 844, 2))
    print(f"\nTopic pages at 390×844 (stories, screens): {screens}")
    stories, height = screens["fentanyl"]
    assert stories == 5 and height <= 3.5, screens


def test_article_page_leads_with_the_original_and_the_headline_as_published(visit, served, sample_build):
    slug = "2023-11-15-daily-caller-biden-xi-agreement"
    title = frontmatter.load(sample_build[0] / f"content/articles/2023/{slug}.md")["title"]
    page = visit(viewport=PHONE, is_mobile=True, has_touch=True)
    page.goto(served.url(f"articles/{slug}/"))
    assert page.locator("article h1").inner_text() == title  # innerText: as drawn, text-transform included
    first = page.evaluate(
        """() => {
            const meta = document.querySelector('.bf-article-header .bf-byline');
            const after = [...document.querySelectorAll('.md-content article a[href]')]
                .filter(a => meta.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING);
            const box = after[0].getBoundingClientRect();
            return {text: after[0].innerText, rel: after[0].rel, height: box.height, width: box.width};
        }"""
    )
    assert first["text"].startswith("Read the original at The Daily Caller") and "noopener" in first["rel"]
    assert first["height"] >= 44 and first["width"] >= 44


def test_a_mixed_case_headline_is_drawn_exactly_as_written(browser, site, tmp_path_factory):
    site.article("2024/talks.md", VALID.replace("A valid article", f'"{MIXED_CASE}"'))
    result = site.run("build")
    assert result.exit_code == 0, result.output
    with serve_site("root", site.root / "site", tmp_path_factory, subpath=False) as desk:
        page = browser.new_page(viewport=PHONE)
        try:
            page.goto(desk.url("articles/talks/"))
            assert page.locator("article h1").inner_text() == MIXED_CASE
            assert page.locator("article h1").evaluate("h => getComputedStyle(h).textTransform") == "none"
        finally:
            page.close()
