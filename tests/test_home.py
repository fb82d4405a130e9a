"""The home page as today's briefing, read from the built sample: the "Updated" date, the
top story with its summary, why it matters and sources, each topic's state of play and its
latest stories. And the two new topics.yml fields, state_of_play: and updated:, with their
one-line errors."""

from __future__ import annotations

import datetime as dt

import yaml
from bs4 import BeautifulSoup
from conftest import REPO, VALID, run_cli
from test_validation import problems


def soup(path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def words(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


def sample_topics() -> list[dict]:
    return yaml.safe_load((REPO / "content/topics.yml").read_text("utf-8"))


def sample_stories() -> dict[str, dict]:
    return {s["id"]: s for s in yaml.safe_load((REPO / "content/stories.yml").read_text("utf-8"))}


def test_home_says_when_it_was_updated(sample_build):
    """The newest of the newest article's date and the topics' updated: dates, in a <time>."""
    root, _ = sample_build
    page = soup(root / "site/index.html")
    dates = [str(t["updated"]) for t in sample_topics() if "updated" in t]
    for path in (root / "content/articles").rglob("*.md"):
        front = path.read_text("utf-8").split("---\n")[1]
        dates.append(str(yaml.safe_load(front)["date"])[:10])
    newest = max(dates)
    stamp = page.select_one("header.bf-home-header .bf-updated time")
    assert stamp["datetime"] == newest == "2024-11-17"
    assert words(page.select_one("header.bf-home-header .bf-updated")) == "Updated 17 November 2024"
    assert words(page.select_one("h1")) == "US–China Briefings"
    assert page.select(".md-content .bf-lede") == []  # the site's description is in the footer only
    assert page.select_one(".bf-footer__about") is not None


def test_home_leads_with_the_newest_story_its_summary_why_and_sources(sample_build):
    root, _ = sample_build
    page = soup(root / "site/index.html")
    lima = sample_stories()["biden-xi-lima-2024"]  # the newest story, by its first report (16 November 2024)
    top = page.select_one("article.bf-top")
    title = top.select_one("h2.bf-top__title a")
    assert words(title) == lima["title"] and title["href"] == "stories/biden-xi-lima-2024/"
    assert words(top.select_one(".bf-top__summary")) == " ".join(lima["summary"].split())
    assert words(top.select_one(".bf-top__why")) == "Why it matters: " + " ".join(lima["why_it_matters"].split())
    # Two outlets (KJZZ in the US, People's Daily in China), as the story page counts them.
    assert "2 sources from 2 countries" in words(top.select_one(".bf-meta"))
    story = soup(root / "site/stories/biden-xi-lima-2024/index.html")
    assert "2 sources" in words(story.select_one(".md-content"))
    assert top["data-date"] == "2024-11-17"  # its newest report: what "New" compares
    assert top.select_one(".bf-meta time")["datetime"] == "2024-11-16"


def test_each_topic_shows_its_state_of_play_and_three_latest_stories(sample_build):
    root, _ = sample_build
    page = soup(root / "site/index.html")
    sections = page.select("section.bf-topic-state")
    topics = sample_topics()
    assert [words(s.select_one("h3")) for s in sections] == [t["title"] for t in topics]
    for section, topic in zip(sections, topics, strict=True):
        assert section.select_one("h3 a")["href"] == f"topics/{topic['id']}/"
        text = section.select_one(".bf-topic-state__text")
        day = dt.date.fromisoformat(str(topic["updated"]))
        assert words(text) == " ".join(topic["state_of_play"].split()) + f" Updated {day.day} {day:%B %Y}"
        assert text["data-date"] == day.isoformat()
        lines = section.select("li.bf-story-line")
        assert len(lines) == 3
        dates = [li["data-date"] for li in lines]
        assert all(li.select_one("time")["datetime"] for li in lines)
        firsts = [li.select_one("time")["datetime"] for li in lines]
        assert firsts == sorted(firsts, reverse=True), "newest story first"
        assert all(d >= f for d, f in zip(dates, firsts, strict=True))
    fentanyl = sections[2]
    first = fentanyl.select_one("li.bf-story-line")
    assert first.select_one("a")["href"] == "stories/china-schedules-fentanyl-precursors-2024/"
    assert (
        words(first) == "China moves to control three fentanyl precursors 5–7 August 2024 · 1 source"
    )  # our desk note is no source
    assert words(fentanyl.select_one(".bf-topic-state__more")) == "Fentanyl: all 35 articles"
    links = [a["href"] for a in page.select("nav.bf-home-links a")]
    assert links == ["timeline/", "stories/", "digests/", "sources/"]


def test_home_loads_the_new_badge_script_and_the_topic_page_shows_the_state_of_play(sample_build):
    root, _ = sample_build
    page = soup(root / "site/index.html")
    assert page.select_one('script[src="assets/javascripts/briefings-new.js"]') is not None
    assert (root / "site/assets/javascripts/briefings-new.js").is_file()
    taiwan = soup(root / "site/topics/taiwan/index.html")
    h1 = taiwan.select_one(".md-content h1")
    block = h1.find_next_sibling()
    assert "bf-topic-view-state" in block["class"]
    assert block.select_one("time")["datetime"] == "2024-05-28"
    assert words(block).startswith("State of play · Updated 28 May 2024 Lai Ching-te of the Democratic")


def test_a_desk_without_state_of_play_shows_the_description_and_no_date(site):
    site.article("a.md", VALID)
    result = site.run("build")
    assert result.exit_code == 0, result.output
    page = soup(site.root / "site/index.html")
    taiwan = page.select("section.bf-topic-state")[1]
    assert words(taiwan.select_one(".bf-topic-state__text")) == "Taiwan's politics and security."
    assert not taiwan.select_one(".bf-topic-state__text").has_attr("data-date")
    assert words(page.select_one(".bf-updated")) == "Updated 13 January 2024"
    top = page.select_one("article.bf-top")  # an article in no story is a story of its own
    assert top.select_one("h2 a")["href"] == "articles/a/"
    assert "Briefings desk" in words(top.select_one(".bf-meta"))


def topics_with(site, extra: str) -> None:
    site.write(
        "content/topics.yml",
        "- id: us-china\n  title: US–China relations\n- id: taiwan\n  title: Taiwan\n"
        + extra
        + "- id: fentanyl\n  title: Fentanyl\n",
    )
    site.article("a.md", VALID)


def test_state_of_play_over_700_characters_is_refused(site):
    topics_with(site, "  state_of_play: " + "word " * 150 + "\n")
    assert problems(site.run("check")) == [
        "content/topics.yml:5: topics[2].state_of_play: the state of play of topic 'taiwan' is 749 characters "
        "long (expected at most 700: say where the topic stands today in a few sentences; the details belong "
        "in its articles and stories)"
    ]


def test_state_of_play_of_two_paragraphs_is_refused(site):
    topics_with(site, "  state_of_play: >-\n    First paragraph.\n\n    Second paragraph.\n")
    assert problems(site.run("check")) == [
        "content/topics.yml:5: topics[2].state_of_play: the state of play of topic 'taiwan' has 2 paragraphs "
        "or lines (expected one paragraph: remove the blank lines and write it under 'state_of_play: >-' so "
        "that its lines join)"
    ]


def test_a_state_of_play_over_several_lines_is_one_paragraph(site):
    topics_with(site, "  state_of_play: >-\n    Where it stands,\n    in two lines.\n  updated: 2024-01-13\n")
    result = site.run("build")
    assert result.exit_code == 0, result.output
    page = soup(site.root / "site/topics/taiwan/index.html")
    assert words(page.select_one(".bf-topic-view-state__text")) == "Where it stands, in two lines."


def test_updated_in_the_future_is_refused(site):
    future = dt.date.today() + dt.timedelta(days=3)
    topics_with(site, f"  state_of_play: Calm.\n  updated: {future.isoformat()}\n")
    assert problems(site.run("check")) == [
        f"content/topics.yml:6: topics[2].updated: topic 'taiwan': {future.isoformat()} is in the future "
        "(expected the day the state of play was last written: today or earlier)"
    ]


def test_updated_in_another_format_is_refused(site):
    topics_with(site, "  state_of_play: Calm.\n  updated: 20 November 2024\n")
    assert problems(site.run("check")) == [
        "content/topics.yml:6: topics[2].updated: topic 'taiwan': '20 November 2024' is not a date "
        "(expected YYYY-MM-DD, the day the state of play was last written, e.g. 2024-11-20)"
    ]
    topics_with(site, "  updated: 2024-02-30\n")
    assert problems(site.run("check")) == [
        "content/topics.yml:5: topics[2].updated: topic 'taiwan': '2024-02-30' is not a real calendar date "
        "(expected YYYY-MM-DD, the day the state of play was last written, e.g. 2024-11-20)"
    ]


def test_a_bad_state_of_play_does_not_make_the_topics_articles_wrong(site):
    """The topic stays known: one problem, not one per article."""
    topics_with(site, "  updated: soon\n")
    site.article("b.md", VALID.replace("A valid article", "Another"))
    assert len(problems(site.run("check"))) == 1


def test_a_new_desk_has_a_state_of_play_dated_the_day_it_was_made(tmp_path):
    desk = tmp_path / "desk"
    assert run_cli("init", str(desk)).exit_code == 0
    example = yaml.safe_load((desk / "content/topics.yml").read_text("utf-8"))[0]
    assert example["state_of_play"].startswith("Nothing has happened yet")
    assert str(example["updated"]) == dt.date.today().isoformat()
    build = run_cli("build", "--project", str(desk))
    assert build.exit_code == 0, build.output
    home = soup(desk / "site/index.html")
    assert words(home.select_one(".bf-topic-state__text")).startswith("Nothing has happened yet")
    assert home.select_one(".bf-topic-state__text time")["datetime"] == dt.date.today().isoformat()


def test_a_newer_state_of_play_dates_the_home_page_and_the_footer(site):
    """The article is of 13 January 2024; the state of play, rewritten on 2 February, is newer."""
    topics_with(site, "  state_of_play: Calm since the election.\n  updated: 2024-02-02\n")
    result = site.run("build")
    assert result.exit_code == 0, result.output
    page = soup(site.root / "site/index.html")
    assert page.select_one("header.bf-home-header .bf-updated time")["datetime"] == "2024-02-02"
    assert words(page.select_one("header.bf-home-header .bf-updated")) == "Updated 2 February 2024"
    assert page.select_one(".bf-footer__feeds time")["datetime"] == "2024-02-02"
