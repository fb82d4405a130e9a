"""The views of the digest pages (``digests.py``): a week's digest (digest.html), the
digests index and its year pages (digests.html), and the line home and topic pages show
for the latest week. Frozen dataclasses written into the front matter as the page views
of ``views.py`` are (see its docstring): raw text, escaped by the templates."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.pages.viewparts import ArchiveLink, FeedLink, PageLink


@dataclass(frozen=True, kw_only=True)
class WeekLink:
    """A week with a digest: in the index, and as the previous and next week of a digest."""

    label: str  # its days: "20–26 May 2024"
    week: str  # "2024-W21"
    url: str  # "digests/2024-W21/"
    datetime: str  # its Monday, ISO 8601
    headline: str  # "2 new stories, 5 quotes"


@dataclass(frozen=True, kw_only=True)
class DigestLine:
    """The latest week on the home page, or what it has for one topic on the topic's page."""

    label: str
    url: str  # the week's digest, with the anchor of the topic's section on a topic page
    headline: str


@dataclass(frozen=True, kw_only=True)
class DigestStory:
    """A new story, or one that gained sources, in a week."""

    title: str
    url: str  # our story page (an article's own page for an article in no story)
    summary: str
    sources: int  # outlets that reported it by the week's last day
    before: int  # ...and before the week: 0 for a new story
    countries: int
    reach: str  # "4 sources from 3 countries" or "3 → 5 sources"
    reports: int  # its reports published that week
    topics: tuple[PageLink, ...]


@dataclass(frozen=True, kw_only=True)
class DigestQuote:
    """A quote of the week under its speaker: the words, the outlet, and our page of the article."""

    text: str
    source: str
    url: str
    title: str  # the article's headline
    date: str
    datetime: str


@dataclass(frozen=True, kw_only=True)
class DigestPerson:
    name: str
    url: str | None  # their person page; None for a speaker without one
    quotes: tuple[DigestQuote, ...]


@dataclass(frozen=True, kw_only=True)
class DigestNote:
    """A correction, an updated article or a rewritten state of play: what, when, and a line of text."""

    title: str
    url: str
    date: str
    datetime: str
    text: str  # the correction; a topic's state of play; "" for an update


@dataclass(frozen=True, kw_only=True)
class DigestWeekView:
    """digest.html: what changed in one ISO week, with the weeks around it."""

    week: str
    label: str
    headline: str
    datetime: str  # the Monday
    new_stories: tuple[DigestStory, ...]
    gained: tuple[DigestStory, ...]
    quotes: tuple[DigestPerson, ...]
    quote_count: int
    states: tuple[DigestNote, ...]
    corrections: tuple[DigestNote, ...]
    updated: tuple[DigestNote, ...]
    newer: WeekLink | None
    older: WeekLink | None
    feeds: tuple[FeedLink, ...]  # the weekly feed, linked from the page's <head>


@dataclass(frozen=True, kw_only=True)
class DigestsView:
    """digests.html: the weeks with a digest, newest first: the latest on the index, one
    year on a year page; the years of the rest once they outgrow one page."""

    parent: PageLink | None  # the index, on a year page
    count: int  # weeks listed here
    total: int  # weeks with a digest
    weeks: tuple[WeekLink, ...]
    years: tuple[ArchiveLink, ...]  # each year's page, with its weeks; empty while all fit on one
    newer: ArchiveLink | None  # the years around a year page
    older: ArchiveLink | None
    feed: FeedLink
    feeds: tuple[FeedLink, ...]
