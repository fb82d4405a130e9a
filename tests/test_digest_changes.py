"""What changed in a week of the sample: the digest's stories, sources and quotes, from the
real content files, and the windows the options ask for."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import REPO

from briefings.content.load import load_content
from briefings.digest.changes import digest, weeks
from briefings.digest.manifest import manifest_json
from briefings.digest.window import Window, WindowError, named_week, parse_day, week_of, window
from briefings.pages.group import group, select

NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def edition():
    content = load_content(REPO)
    return group(content, select(content, drafts=False, now=NOW), now=NOW)


def test_the_inauguration_week_lists_its_two_new_stories_with_every_report(edition):
    d = digest(edition, named_week("2024-W21"))
    assert d.window == Window(dt.date(2024, 5, 20), dt.date(2024, 5, 26))
    assert [s.key for s in d.new_stories] == ["lai-inauguration-2024", "joint-sword-2024a-drills"]
    expected = {
        s.id: sorted(a.slug for a in s.articles if a.date in d.window)
        for s in edition.stories
        if s.id in ("lai-inauguration-2024", "joint-sword-2024a-drills")
    }
    assert {s.key: sorted(a.slug for a in s.articles) for s in d.new_stories} == expected
    assert all(s.sources_before == 0 and s.sources_now == len(s.articles) for s in d.new_stories)
    assert d.gained == ()
    # Every quote of the week's articles, each under its speaker.
    week_quotes = sorted((a.slug, q.text) for a in edition.articles if a.date in d.window for q in a.quotes)
    assert sorted({(a.slug, q.text) for p in d.quotes for q, a in p.quotes}) == week_quotes
    lai = next(p for p in d.quotes if p.name == "Lai Ching-te")
    assert lai.url == "people/lai-ching-te/"
    assert d.headline.startswith("2 new stories, ")


def test_a_story_that_gained_sources_counts_before_and_after(edition):
    story = next(s for s in edition.stories if len({a.date for a in s.articles}) > 1 and len(s.articles) > 2)
    later = max(a.date for a in story.articles)
    d = digest(edition, week_of(later))
    (change,) = [c for c in d.gained + d.new_stories if c.key == story.id]
    if story.articles[0].date < d.window.since:
        assert change in d.gained
        assert change.sources_before < change.sources_now
    assert change.articles == tuple(a for a in story.articles if a.date in d.window)


def test_each_story_is_new_in_the_week_of_its_first_report(edition):
    firsts: dict[str, Window] = {s.id: week_of(s.articles[0].date) for s in edition.stories}
    in_story = {a.slug for s in edition.stories for a in s.articles}
    firsts.update({a.slug: week_of(a.date) for a in edition.articles if a.slug not in in_story})
    found = {c.key: w for w in weeks(edition) for c in digest(edition, w).new_stories}
    assert found == firsts


def test_topic_view_keeps_only_that_topic(edition):
    d = digest(edition, named_week("2024-W21"))
    assert d.about("fentanyl").new_stories == ()
    assert d.about("taiwan").new_stories == d.new_stories


@pytest.mark.parametrize(
    ("since", "until", "today", "expected"),
    [
        (None, None, dt.date(2024, 5, 29), (dt.date(2024, 5, 20), dt.date(2024, 5, 26))),  # last full ISO week
        (None, None, dt.date(2024, 5, 27), (dt.date(2024, 5, 20), dt.date(2024, 5, 26))),  # on a Monday
        (dt.date(2024, 5, 1), None, dt.date(2024, 5, 29), (dt.date(2024, 5, 1), dt.date(2024, 5, 29))),
        (None, dt.date(2024, 5, 26), dt.date(2024, 6, 9), (dt.date(2024, 5, 20), dt.date(2024, 5, 26))),
    ],
)
def test_the_window_the_options_ask_for(since, until, today, expected):
    assert window(since, until, today) == Window(*expected)


def test_bad_windows_say_what_to_write():
    with pytest.raises(WindowError, match=r"--since 2024-05-27 is after --until 2024-05-20"):
        window(dt.date(2024, 5, 27), dt.date(2024, 5, 20), dt.date(2024, 6, 1))
    with pytest.raises(WindowError, match=r"--since: '20/05/2024' is not a date \(expected YYYY-MM-DD"):
        parse_day("20/05/2024", "--since")
    with pytest.raises(WindowError, match="not a real calendar date"):
        parse_day("2024-02-30", "--until")
    with pytest.raises(WindowError, match="not a week of that year"):
        named_week("2023-W53")


def test_labels_read_as_dates():
    assert named_week("2024-W21").label == "20–26 May 2024"
    assert named_week("2024-W05").label == "29 January – 4 February 2024"
    assert named_week("2025-W01").label == "30 December 2024 – 5 January 2025"
    assert named_week("2024-W21").week == "2024-W21"
    assert Window(dt.date(2024, 5, 1), dt.date(2024, 5, 3)).week == ""


def test_the_manifest_is_sorted_and_deterministic(edition):
    text = manifest_json(edition)
    assert text == manifest_json(edition)
    data = json.loads(text)
    slugs = [a["slug"] for a in data["articles"]]
    assert slugs == sorted(slugs) and len(slugs) == len(edition.articles)
    assert [s["id"] for s in data["stories"]] == sorted(s.id for s in edition.stories)
    assert all(len(a["summary"]) == 16 for a in data["articles"])
    # One line per article, story and topic: a diff of two editions names each changed item.
    lines = {line.rstrip(",") for line in text.splitlines()}
    items = [item for kind in ("articles", "stories", "topics") for item in data[kind]]
    assert all(json.dumps(i, sort_keys=True, ensure_ascii=False, separators=(",", ":")) in lines for i in items)


def test_a_window_of_several_weeks_holds_what_its_weeks_hold(edition):
    """A window across weeks, starting mid-week (read from the weeks it touches): its new
    stories are those whose first report falls in it, and its quotes are its articles'."""
    window = Window(dt.date(2024, 5, 15), dt.date(2024, 6, 2))
    d = digest(edition, window)
    firsts = {s.id: s.articles[0].date for s in edition.stories}
    in_story = {a.slug for s in edition.stories for a in s.articles}
    firsts.update({a.slug: a.date for a in edition.articles if a.slug not in in_story})
    assert sorted(c.key for c in d.new_stories) == sorted(k for k, day in firsts.items() if day in window)
    quotes = sorted((a.slug, q.text) for a in edition.articles if a.date in window for q in a.quotes)
    assert sorted({(a.slug, q.text) for p in d.quotes for q, a in p.quotes}) == quotes
    assert d.new_stories and quotes


def test_the_headline_counts_stories_that_gained_sources_in_words(edition):
    """ "1 story gained sources", "2 stories gained sources": a count of stories, never "1 gained sources"."""
    found = {len(d.gained): d.headline for w in weeks(edition) if (d := digest(edition, w)).gained}
    assert found, "the sample has a week in which a story gained sources"
    for n, headline in found.items():
        assert f"{n} {'story' if n == 1 else 'stories'} gained sources" in headline
