"""What changed in a window: new stories, stories that gained sources, new quotes by person,
topics whose state of play was rewritten, corrections and updates. Pure: from the Edition.

A story is a story of stories.yml, or an article in none (a story of one), as on topic
pages. Everything is counted by the dates written in the articles (``date:``, ``updated:``,
``corrections[].date``), so the digest of a past week does not change when later articles
arrive.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TypeVar

from briefings.content.model import Article, Correction, Edition, Quote, Story, Topic
from briefings.content.people import PeopleIndex
from briefings.digest.window import Window, week_of
from briefings.pages.group import source_key

T = TypeVar("T")


@dataclass(frozen=True)
class StoryChange:
    """A story new in the window, or one that gained sources in it."""

    key: str  # the story's id, or the article's slug for a story of one
    title: str
    url: str  # our page, site-relative: stories/<id>/ or articles/<slug>/
    summary: str
    why_it_matters: str
    topics: tuple[str, ...]  # topic ids of all its articles so far, first seen first
    sources_before: int  # outlets that had reported it before the window (0: a new story)
    sources_now: int  # ...and by the window's last day
    countries: int  # countries of those outlets, by the window's last day
    articles: tuple[Article, ...]  # the reports published in the window, oldest first
    started: dt.date  # its first report


@dataclass(frozen=True)
class PersonQuotes:
    """What one person was quoted saying in the window, oldest first."""

    name: str
    url: str  # their page, site-relative: people/<slug>/
    quotes: tuple[tuple[Quote, Article], ...]


@dataclass(frozen=True)
class CorrectionNote:
    correction: Correction
    article: Article


@dataclass(frozen=True)
class Digest:
    window: Window
    new_stories: tuple[StoryChange, ...]  # oldest first
    gained: tuple[StoryChange, ...]  # stories that gained sources, most gained first
    quotes: tuple[PersonQuotes, ...]  # most quotes first, then by name
    states: tuple[Topic, ...]  # topics whose state of play was rewritten, topics.yml order
    corrections: tuple[CorrectionNote, ...]  # oldest first
    updated: tuple[Article, ...]  # earlier articles updated in the window, without a correction in it

    @property
    def is_empty(self) -> bool:
        return not (self.new_stories or self.gained or self.quotes or self.states or self.corrections or self.updated)

    @property
    def quote_count(self) -> int:
        return len({(a.slug, q.text) for p in self.quotes for q, a in p.quotes})

    @property
    def headline(self) -> str:
        """The week in one line: "3 new stories, 2 stories gained sources, 4 quotes, 1 correction"."""
        parts = [
            counted(len(self.new_stories), "new story", "new stories"),
            counted(len(self.gained), "story gained sources", "stories gained sources"),
            counted(self.quote_count, "quote", "quotes"),
            counted(len(self.corrections), "correction", "corrections"),
            counted(len(self.states), "state of play rewritten", "states of play rewritten"),
        ]
        return ", ".join(p for p in parts if p) or "nothing new"

    def about(self, topic_id: str) -> Digest:
        """Only what concerns one topic."""
        return replace(
            self,
            new_stories=tuple(s for s in self.new_stories if topic_id in s.topics),
            gained=tuple(s for s in self.gained if topic_id in s.topics),
            quotes=tuple(
                kept
                for p in self.quotes
                if (kept := replace(p, quotes=tuple((q, a) for q, a in p.quotes if topic_id in a.topics))).quotes
            ),
            states=tuple(t for t in self.states if t.id == topic_id),
            corrections=tuple(c for c in self.corrections if topic_id in c.article.topics),
            updated=tuple(a for a in self.updated if topic_id in a.topics),
        )


def counted(n: int, one: str, many: str) -> str:
    if n == 0:
        return ""
    return f"{n} {one if n == 1 else many}"


def published(edition: Edition) -> Edition:
    """The edition without what only a --drafts preview shows: digests, the weekly feed and the
    manifest say what is published, as the feeds do."""
    if not edition.unpublished:
        return edition
    out = edition.unpublished
    stories = tuple(
        replace(s, articles=kept)
        for s in edition.stories
        if (kept := tuple(a for a in s.articles if a.slug not in out))
    )
    return replace(
        edition,
        articles=tuple(a for a in edition.articles if a.slug not in out),
        stories=stories,
        unpublished=frozenset(),
    )


def digest(edition: Edition, window: Window) -> Digest:
    """What changed in ``window`` among the published articles of ``edition``."""
    return Changes(edition).digest(window)


class Changes:
    """The edition's articles, corrections, updates and stories grouped by ISO week once, so
    that the digest of any window reads only what falls in it: every week's digest of a big
    archive costs about as much as reading its articles once, not once per week."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.index = PeopleIndex(tuple(f.person for f in edition.people))
        stories: list[tuple[str, Story | None, tuple[Article, ...]]] = [(s.id, s, s.articles) for s in edition.stories]
        in_story = {a.slug for s in edition.stories for a in s.articles}
        stories += [(a.slug, None, (a,)) for a in reversed(edition.articles) if a.slug not in in_story]
        self.stories = stories
        self.dated: dict[Window, list[Article]] = defaultdict(list)  # by the week of their date
        self.story_weeks: dict[Window, list[int]] = defaultdict(list)  # stories with a report that week
        self.corrected: dict[Window, list[CorrectionNote]] = defaultdict(list)
        self.touched: dict[Window, list[Article]] = defaultdict(list)  # by the week of their updated:
        for article in sorted(edition.articles, key=lambda a: (a.published, a.slug)):
            self.dated[week_of(article.date)].append(article)
            for c in article.corrections:
                self.corrected[week_of(c.date)].append(CorrectionNote(c, article))
            if article.updated is not None:
                self.touched[week_of(article.updated.date())].append(article)
        for i, (_, _, articles) in enumerate(stories):
            for week in dict.fromkeys(week_of(a.date) for a in articles):
                self.story_weeks[week].append(i)

    @cached_property
    def weeks(self) -> list[Window]:
        """Every ISO week with something in it, newest first (``weeks``)."""
        return weeks(self.edition)

    def inputs(self, window: Window) -> list[Article]:
        """The articles whose files can change the digest of ``window`` (a week's, as on the
        site): its reports, the articles corrected or updated in it, each once. A report's
        story can change it too: the caller adds its stories' other reports (``emit.unit_key``).
        What else a digest shows (topics, people, outlets, stories.yml) every page may show."""
        found = self.gather(self.dated, window)
        found += [n.article for n in self.gather(self.corrected, window)]
        found += self.gather(self.touched, window)
        return list({a.path: a for a in found}.values())

    def gather(self, by_week: Mapping[Window, list[T]], window: Window) -> list[T]:
        """What ``by_week`` holds for the ISO weeks ``window`` touches (one, for a week's digest)."""
        found: list[T] = []
        monday = window.since - dt.timedelta(days=window.since.weekday())
        while monday <= window.until:
            found += by_week.get(week_of(monday), ())
            monday += dt.timedelta(days=7)
        return found

    def digest(self, window: Window) -> Digest:
        """What changed in ``window``."""
        new, gained = self.story_changes(window)
        return Digest(
            window=window,
            new_stories=tuple(new),
            gained=tuple(gained),
            quotes=self.person_quotes(window),
            states=tuple(t for t in self.edition.topics if t.updated is not None and t.updated in window),
            corrections=tuple(
                sorted(
                    (n for n in self.gather(self.corrected, window) if n.correction.date in window),
                    key=lambda n: (n.correction.date, n.article.published, n.article.slug),
                )
            ),
            updated=tuple(
                sorted(
                    (
                        a
                        for a in dict.fromkeys(self.gather(self.touched, window))
                        if a.updated is not None
                        and a.updated.date() in window
                        and a.date < window.since
                        and not any(c.date in window for c in a.corrections)
                    ),
                    key=lambda a: (a.updated or a.published, a.slug),
                )
            ),
        )

    def story_changes(self, window: Window) -> tuple[list[StoryChange], list[StoryChange]]:
        new: list[StoryChange] = []
        gained: list[StoryChange] = []
        for i in sorted(set(self.gather(self.story_weeks, window))):
            key, story, articles = self.stories[i]
            fresh = tuple(a for a in articles if a.date in window)
            if not fresh:
                continue
            so_far = [a for a in articles if a.date <= window.until]
            before = sources(a for a in articles if a.date < window.since)
            change = StoryChange(
                key=key,
                title=story.title if story else articles[0].title,
                url=story.url if story else articles[0].page_url,
                summary=story.summary if story else articles[0].summary,
                why_it_matters=story.why_it_matters if story else articles[0].why_it_matters,
                topics=tuple(dict.fromkeys(t for a in so_far for t in a.topics)),
                sources_before=len(before),
                sources_now=len(sources(so_far)),
                countries=len({a.outlet.country for a in so_far if a.outlet}),
                articles=fresh,
                started=min(a.date for a in articles),
            )
            if not any(a.date < window.since for a in articles):
                new.append(change)
            elif change.sources_now > change.sources_before:
                gained.append(change)
        new.sort(key=lambda c: (c.articles[0].published, c.key))
        gained.sort(key=lambda c: (c.sources_before - c.sources_now, c.articles[0].published, c.key))
        return new, gained

    def person_quotes(self, window: Window) -> tuple[PersonQuotes, ...]:
        """Quotes from the window's articles, by speaker: a known person (people.yml, or named in
        an article) by their page, anyone else by the name as the article attributes it."""
        said: dict[tuple[str, str], list[tuple[Quote, Article]]] = defaultdict(list)  # (name, url) -> quotes
        for article in self.gather(self.dated, window):
            if article.date not in window:
                continue
            for quote in article.quotes:
                for name in quote.speakers:
                    person = self.index.speaker(name)
                    said[(person.name, person.url) if person else (name, "")].append((quote, article))
        people = [PersonQuotes(name, url, tuple(quotes)) for (name, url), quotes in said.items()]
        people.sort(key=lambda p: (-len(p.quotes), p.name.casefold(), p.url))
        return tuple(people)


def sources(articles: Iterable[Article]) -> set[str]:
    """The outlets among ``articles`` (our own desk notes are no source)."""
    return {key for a in articles if (key := source_key(a))}


def weeks(edition: Edition) -> list[Window]:
    """Every ISO week with something in it, newest first: a published article, a correction,
    an update or a rewritten state of play."""
    days: set[dt.date] = set()
    for a in edition.articles:
        days.add(a.date)
        days.update(c.date for c in a.corrections)
        if a.updated is not None:
            days.add(a.updated.date())
    days.update(t.updated for t in edition.topics if t.updated is not None)
    return sorted({week_of(d) for d in days}, reverse=True)
