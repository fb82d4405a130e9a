"""The weekly digests on the built site: a page per ISO week with what changed in it, the index
of weeks, the latest week's line on home and topic pages, the weekly Atom feed and the edition
manifest. Built with the real CLI; what each page should say is read from the content files."""

from __future__ import annotations

import datetime as dt
import json
import shutil

import feedparser
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, copy_sample, run_cli
from test_browser import axe_problems, serve_site, visiting

WEEK = "2024-W21"  # Lai's inauguration and the Joint Sword-2024A drills
MONDAY = dt.date(2024, 5, 20)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text("utf-8").split("---\n", 2)[1])


def day_of(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@pytest.fixture(scope="module")
def articles() -> list[dict]:
    """The sample's published articles, as written in their files."""
    found = []
    for path in sorted((REPO / "content/articles").rglob("*.md")):
        meta = front_matter(path)
        if not meta.get("draft"):
            found.append(meta | {"day": day_of(meta["date"])})
    return found


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02}"


def html(site, url: str) -> BeautifulSoup:
    return BeautifulSoup((site / url / "index.html").read_text("utf-8"), "html.parser")


def words(tag) -> str:
    return " ".join(tag.get_text(" ").split())


def build(root, *args):
    result = run_cli("build", "--project", str(root), *args)
    assert result.exit_code == 0, result.output
    return root / "site"


def test_the_week_page_lists_exactly_that_weeks_stories_sources_and_quotes(sample_build, articles):
    site = sample_build[0] / "site"
    page = html(site, f"digests/{WEEK}")
    in_week = [a for a in articles if MONDAY <= a["day"] <= MONDAY + dt.timedelta(days=6)]
    stories = {s["id"]: s for s in yaml.safe_load((REPO / "content/stories.yml").read_text("utf-8"))}
    # New stories: those whose first report is this week (every report this week is in one).
    new = sorted({a["story"] for a in in_week}, key=lambda s: min(a["date"] for a in in_week if a.get("story") == s))
    assert all(a.get("story") for a in in_week)
    assert not [a for a in articles if a.get("story") in new and a["day"] < MONDAY]
    items = page.select("#new-stories + ul > li")
    assert [li.select_one("h3 a")["href"] for li in items] == [f"../../stories/{s}/" for s in new]
    assert [words(li.select_one("h3")) for li in items] == [stories[s]["title"] for s in new]
    for li, story in zip(items, new, strict=True):
        sources = {a["source"] for a in in_week if a["story"] == story}
        assert words(li.select_one(".bf-digest-story__reach")).startswith(f"{len(sources)} sources from ")
    assert page.select_one("#gained-sources") is None
    # Every quote of the week's articles, under each of its speakers.
    expected = sorted(q["text"] for a in in_week for q in a.get("quotes", ()))
    shown = sorted({q.get_text().strip("“”") for q in page.select("#quotes ~ ul blockquote p")})
    assert shown == sorted(set(expected))
    assert words(page.select_one("#quotes")) == f"Quotes ({len(expected)})"  # "punishment" in two reports
    lai = next(h for h in page.select(".bf-digest-person") if words(h) == "Lai Ching-te")
    assert lai.a["href"] == "../../people/lai-ching-te/"
    assert (site / "people/lai-ching-te/index.html").is_file()
    quote = lai.find_next("ul").select_one("li")
    assert quote.select_one(".bf-meta a")["href"].startswith("../../articles/")
    assert words(page.select_one(".bf-digest-header .bf-meta")).startswith("20–26 May 2024 · 2 new stories, ")
    # The weeks around it, each with something in it.
    pager = {a["rel"][0]: a["href"] for a in page.select("nav.bf-pager a")}
    assert pager == {"prev": "../2024-W22/", "next": "../2024-W16/"}


def all_weeks(articles) -> list[str]:
    """Every week with an article, a correction, an update or a state of play: newest first."""
    days = {a["day"] for a in articles}
    days |= {day_of(a["updated"]) for a in articles if a.get("updated")}
    days |= {day_of(c["date"]) for a in articles for c in a.get("corrections", ())}
    topics = yaml.safe_load((REPO / "content/topics.yml").read_text("utf-8"))
    days |= {day_of(t["updated"]) for t in topics if t.get("updated")}
    return sorted({week_of(d) for d in days}, reverse=True)


def test_the_index_lists_every_week_newest_first(sample_build, articles):
    site = sample_build[0] / "site"
    page = html(site, "digests")
    links = [a["href"] for a in page.select("ol.bf-digest-weeks a")]
    assert links == [f"{w}/" for w in all_weeks(articles)]
    for href in links:
        assert (site / "digests" / href / "index.html").is_file()
    first = page.select_one("ol.bf-digest-weeks li")
    assert words(first) == "11–17 November 2024 · 1 new story, 2 quotes, 1 state of play rewritten"
    assert "Digests" in [words(a) for a in html(site, "").select(".md-nav--primary a")]


def test_home_and_topic_pages_link_the_latest_weeks_digest(sample_build, articles):
    site = sample_build[0] / "site"
    latest = all_weeks(articles)[0]  # the newest published thing's week, not the build's
    home = html(site, "").select_one(".bf-home-header .bf-digest-line a")
    assert home["href"] == f"digests/{latest}/"
    assert words(home) == "Latest week, 11–17 November 2024: 1 new story, 2 quotes, 1 state of play rewritten"
    topics = yaml.safe_load((REPO / "content/topics.yml").read_text("utf-8"))
    for topic in topics:
        in_latest = [a for a in articles if week_of(a["day"]) == latest and topic["id"] in a["topics"]]
        rewritten = topic.get("updated") and week_of(day_of(topic["updated"])) == latest
        line = html(site, f"topics/{topic['id']}").select_one(".bf-digest-line a")
        assert (line is not None) == bool(in_latest or rewritten), topic["id"]
        if line is not None:
            assert line["href"] == f"../../digests/{latest}/"
    assert words(html(site, "topics/us-china").select_one(".bf-digest-line")).endswith(
        ": 1 new story, 2 quotes, 1 state of play rewritten"
    )


def entries(site) -> dict[str, feedparser.FeedParserDict]:
    feed = feedparser.parse((site / "feeds/digests.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    return {e.link.rstrip("/").rsplit("/", 1)[1]: e for e in feed.entries}


def test_the_weekly_feed_has_every_week_and_a_rebuilt_week_is_an_update(tmp_path, articles, sample_build):
    root = copy_sample(tmp_path / "desk")
    site = build(root, "--base-url", "https://example.org/desk/")
    before = entries(site)
    assert list(before) == all_weeks(articles)[:20]
    week = before[WEEK]
    assert week.id == f"tag:example.org,2024-05-20:desk/digests/{WEEK}/"
    assert week.link == f"https://example.org/desk/digests/{WEEK}/"
    assert week.title == "Week of 20–26 May 2024: 2 new stories, 5 quotes, 2 corrections"
    content = BeautifulSoup(week.content[0].value, "html.parser")
    assert [h.get_text() for h in content.select("h2")] == ["New stories", "Quotes", "Corrections"]
    assert all(a["href"].startswith("https://example.org/desk/") for a in content.select("a"))
    assert "Lai Ching-te is inaugurated as Taiwan's president" in content.get_text()
    manifest = (site / "edition.json").read_bytes()
    # One more correction made that week, on the last day (the sample has two): the week's entry is updated, not added.
    path = sorted((root / "content/articles").rglob("2024-05-20-*.md"))[0]
    text = path.read_text("utf-8")
    path.write_text(
        text.replace(
            "\n---\n", "\ncorrections:\n  - date: 2024-05-26\n    text: The date of the speech was wrong.\n---\n", 1
        ),
        "utf-8",
    )
    after = entries(build(root, "--base-url", "https://example.org/desk/"))
    assert list(after) == list(before)
    assert after[WEEK].id == week.id
    assert after[WEEK].updated_parsed > week.updated_parsed
    assert after[WEEK].title.endswith(", 3 corrections")
    assert "The date of the speech was wrong." in after[WEEK].content[0].value
    assert {w: e.updated for w, e in after.items() if w != WEEK} == {
        w: e.updated for w, e in before.items() if w != WEEK
    }
    page = html(root / "site", f"digests/{WEEK}")
    assert words(page.select_one("#corrections")) == "Corrections (3)"
    assert (root / "site/edition.json").read_bytes() != manifest  # the manifest names the correction


def test_the_edition_manifest_is_the_same_bytes_for_the_same_content(tmp_path, sample_build, articles):
    first = (sample_build[0] / "site/edition.json").read_bytes()
    root = copy_sample(tmp_path / "again")
    build(root)
    assert (root / "site/edition.json").read_bytes() == first
    shutil.rmtree(root / "build")
    build(root, "--full")
    assert (root / "site/edition.json").read_bytes() == first
    data = json.loads(first)
    assert sorted(a["slug"] for a in data["articles"]) == [a["slug"] for a in data["articles"]]
    assert len(data["articles"]) == len(articles)


@pytest.fixture(scope="module", params=["root", "subpath"])
def digests(request, tmp_path_factory):
    build = "sample_build" if request.param == "root" else "subpath_build"
    built = request.getfixturevalue(build)[0] / "site"
    with serve_site(request.param, built, tmp_path_factory, subpath=request.param == "subpath") as served:
        yield served


@pytest.fixture
def visit(browser, digests):
    yield from visiting(browser, digests)


def test_a_week_on_a_phone_has_no_sideways_scroll(visit, digests):
    page = visit(**PHONE)
    for url in (f"digests/{WEEK}/", "digests/"):
        page.goto(digests.url(url))
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
        assert width <= inner, url
    page.goto(digests.url(f"digests/{WEEK}/"))
    assert page.locator("h1").inner_text() == "Digest: 20–26 May 2024"
    page.locator("#new-stories + ul a").first.click()
    assert page.url.endswith("/stories/lai-inauguration-2024/")


@pytest.mark.parametrize("palette", ["light", "dark"])
def test_digest_pages_have_no_serious_accessibility_violation(visit, digests, axe_script, palette):
    page = visit(color_scheme=palette)
    problems = {}
    for url in (f"digests/{WEEK}/", "digests/", ""):
        page.goto(digests.url(url))
        assert page.get_attribute("body", "data-md-color-scheme") == ("slate" if palette == "dark" else "default")
        problems[url] = axe_problems(page, axe_script)
    assert {url: found for url, found in problems.items() if found} == {}


def test_a_drafts_preview_leaves_drafts_out_of_digests_and_the_manifest(tmp_path, sample_build):
    """As the feeds: a --drafts preview shows the draft's page, never in what is published."""
    root = copy_sample(tmp_path / "preview")
    (root / "content/articles/2024/2024-12-02-draft.md").write_text(
        "---\ntitle: An unfinished draft\ndate: 2024-12-02\nsource: Briefings desk\ntopics: [taiwan]\n"
        "draft: true\n---\nNot yet.\n",
        "utf-8",
    )
    site = build(root, "--drafts")
    assert (site / "articles/2024-12-02-draft/index.html").is_file()
    assert not (site / "digests/2024-W49").exists()
    published = sample_build[0] / "site"
    assert (site / "edition.json").read_bytes() == (published / "edition.json").read_bytes()
    assert (site / "feeds/digests.xml").read_bytes() == (published / "feeds/digests.xml").read_bytes()
    assert html(site, "").select_one(".bf-digest-line a")["href"] == "digests/2024-W46/"
