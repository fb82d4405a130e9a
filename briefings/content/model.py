"""Value objects passed between the pipeline's stages. All frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()  # strong ones: each suggests the topic (content/keywords.py)
    weak_keywords: tuple[str, ...] = ()  # count only in numbers: weak_needed different ones
    weak_needed: int = 2

    @property
    def url(self) -> str:
        """Site-root-relative URL of the topic's briefing page."""
        return f"topics/{self.id}/"


@dataclass(frozen=True, slots=True)
class Person:
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    description: str = ""

    @property
    def url(self) -> str:
        return f"people/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Quote:
    text: str
    speaker: str


@dataclass(frozen=True, slots=True)
class Image:
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Article:
    path: str  # source file, relative to the project root
    slug: str
    title: str
    published: dt.datetime  # timezone-aware; a bare date is midnight UTC
    source: str
    topics: tuple[str, ...]  # topic ids, in the order the curator wrote them
    authors: tuple[str, ...] = ()
    url: str = ""
    section: str = ""
    summary: str = ""
    key_points: tuple[str, ...] = ()
    why_it_matters: str = ""
    quotes: tuple[Quote, ...] = ()
    people: tuple[str, ...] = ()
    # Where each of ``people`` is written: the loader names both lines when two names clash.
    people_lines: tuple[int, ...] = field(default=(), repr=False, compare=False)
    image: Image | None = None
    updated: dt.datetime | None = None
    draft: bool = False
    body: str = field(default="", repr=False)
    body_words: int = field(default=-1, repr=False)  # counted once, then kept with the parsed article

    def __post_init__(self) -> None:
        if self.body_words < 0:
            object.__setattr__(self, "body_words", len(self.body.split()))

    @property
    def date(self) -> dt.date:
        """The calendar date as the curator wrote it (in its own UTC offset)."""
        return self.published.date()

    @property
    def page_url(self) -> str:
        return f"articles/{self.slug}/"

    def sort_key(self) -> tuple[float, str]:
        """Newest first, then by slug so equal dates keep a stable order."""
        return (-self.published.timestamp(), self.slug)


@dataclass(frozen=True, slots=True)
class Content:
    """Everything read from content/, validated. Drafts included."""

    topics: tuple[Topic, ...]
    articles: tuple[Article, ...]
    people: tuple[Person, ...] = ()  # from content/people.yml (optional)

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)


@dataclass(frozen=True, slots=True)
class TopicBriefing:
    topic: Topic
    articles: tuple[Article, ...]  # newest first


@dataclass(frozen=True, slots=True)
class SourceGroup:
    name: str
    articles: tuple[Article, ...]  # newest first


@dataclass(frozen=True, slots=True)
class PersonFile:
    """One person's coverage: the articles naming them and the quotes they gave."""

    person: Person
    articles: tuple[Article, ...]  # newest first
    quotes: tuple[tuple[Quote, Article], ...]  # newest first


@dataclass(frozen=True, slots=True)
class Related:
    article: Article
    shared_topics: tuple[str, ...]  # topic ids
    shared_people: tuple[str, ...]  # person slugs


@dataclass(frozen=True, slots=True)
class Edition:
    """What one build publishes: the selected articles, grouped every way a page needs."""

    topics: tuple[Topic, ...]
    articles: tuple[Article, ...]  # newest first, across topics
    briefings: tuple[TopicBriefing, ...]  # in topics.yml order
    sources: tuple[SourceGroup, ...]  # most articles first, then by name
    left_out: int = 0  # drafts and future-dated articles not published
    people: tuple[PersonFile, ...] = ()  # most articles first, then by name
    unpublished: frozenset[str] = frozenset()  # slugs shown only because of --drafts

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)
