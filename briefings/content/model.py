"""Value objects passed between the pipeline's stages. All frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields
from typing import Any, Literal, get_args

# Whose voice a person or an outlet is: quotes are grouped "Washington says / Beijing says /
# Taipei says / Others say", and a topic may expect the first three (blindspots).
Side = Literal["us", "prc", "taiwan", "other"]
SIDES: tuple[Side, ...] = get_args(Side)
OUTLET_TYPES = (
    "wire",
    "newspaper",
    "broadcaster",
    "magazine",
    "news site",
    "government",
    "state media",
    "think tank",
    "other",
)
# Countries as content/outlets.yml writes them (as COVERAGE.yml does) whose official and state
# media speak for Beijing.
PRC_COUNTRIES = ("china (prc)", "hong kong (china)")
PRC_TYPES = ("government", "state media")


class Pickled:
    """Pickled as its class and its fields' values (the build cache holds 10,000 articles with
    their quotes and outlets): unpickling calls the generated ``__init__``, which costs a third
    less than the ``__setstate__`` dataclasses gives a slotted class (0.15 s -> 0.10 s)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple(getattr(self, f.name) for f in fields(self)))  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    description: str = ""
    keywords: tuple[str, ...] = ()  # strong ones: each suggests the topic (content/keywords.py)
    weak_keywords: tuple[str, ...] = ()  # count only in numbers: weak_needed different ones
    weak_needed: int = 2
    expected_sides: tuple[Side, ...] = ()  # a story of this topic with no source from one: a blindspot
    state_of_play: str = ""  # one paragraph: where the topic stands today (content/state.py)
    updated: dt.date | None = None  # the day the state of play was last written

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
    side: Side | None = None

    @property
    def url(self) -> str:
        return f"people/{self.slug}/"


def outlet_side(country: str, kind: str) -> Side:
    """Whose voice an outlet is: a US outlet speaks for the US side, a Taiwanese one for
    Taiwan; from the PRC (Hong Kong included) only government and state media count as
    Beijing's voice. Everything else is "other"."""
    place = " ".join(country.split()).casefold()
    if place == "us":
        return "us"
    if place in PRC_COUNTRIES:
        return "prc" if kind in PRC_TYPES else "other"
    if place == "taiwan":
        return "taiwan"
    return "other"


@dataclass(frozen=True, slots=True)
class Outlet(Pickled):
    """A publisher from content/outlets.yml."""

    id: str
    name: str  # as `source:` writes it
    domains: tuple[str, ...]  # a URL on one of them or a subdomain is this outlet's
    country: str  # free text, e.g. "US", "China (PRC)", "Taiwan"
    type: str  # one of OUTLET_TYPES
    language: str  # BCP 47, e.g. en, zh-Hant
    aliases: tuple[str, ...] = ()
    owner: str = ""
    note: str = ""  # a caveat shown to readers

    @property
    def side(self) -> Side:
        return outlet_side(self.country, self.type)


@dataclass(frozen=True, slots=True)
class Quote(Pickled):
    """Words and who said them: one speaker, or several for a joint statement, each as the
    article attributes them. ``card`` shows a short quote as a card all the same."""

    text: str
    speakers: tuple[str, ...]
    card: bool = False

    @property
    def speaker(self) -> str:
        """The speakers as one line: "A", "A and B", "A, B and C"."""
        return joined(self.speakers)


def joined(names: tuple[str, ...]) -> str:
    """Names as readers list them: "A", "A and B", "A, B and C"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@dataclass(frozen=True, slots=True)
class Correction(Pickled):
    """A change made after publication, shown to readers: when, and what changed."""

    date: dt.date
    text: str


@dataclass(frozen=True, slots=True)
class Image(Pickled):
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True, slots=True)
class Article(Pickled):
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
    corrections: tuple[Correction, ...] = ()  # oldest first
    draft: bool = False
    story: str = ""  # the id of its story in content/stories.yml, if any
    story_line: int = field(default=1, repr=False, compare=False)  # where story: is written
    outlet: Outlet | None = None  # from content/outlets.yml: by source:, else by url's domain
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

    @property
    def last_changed(self) -> dt.datetime:
        """When readers last saw this article change: its date, ``updated:`` or its newest
        correction (a correction is dated by day, so it counts from that day's start, UTC)."""
        moments = [self.published]
        if self.updated:
            moments.append(self.updated)
        moments.extend(dt.datetime(c.date.year, c.date.month, c.date.day, tzinfo=dt.UTC) for c in self.corrections)
        return max(moments)

    def sort_key(self) -> tuple[float, str]:
        """Newest first, then by slug so equal dates keep a stable order."""
        return (-self.published.timestamp(), self.slug)


@dataclass(frozen=True, slots=True)
class Story:
    """One event, confirmed by the curator: an entry of content/stories.yml and the
    articles whose story: names it (drafts included, as in Content)."""

    id: str
    title: str
    summary: str
    articles: tuple[Article, ...]  # oldest first, then by path
    why_it_matters: str = ""

    @property
    def url(self) -> str:
        return f"stories/{self.id}/"


@dataclass(frozen=True, slots=True)
class Content:
    """Everything read from content/, validated. Drafts included."""

    topics: tuple[Topic, ...]
    articles: tuple[Article, ...]
    people: tuple[Person, ...] = ()  # from content/people.yml (optional)
    outlets: tuple[Outlet, ...] = ()  # from content/outlets.yml (optional), in its order
    stories: tuple[Story, ...] = ()  # from content/stories.yml (optional), in its order

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)

    def story(self, story_id: str) -> Story:
        return next(s for s in self.stories if s.id == story_id)


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
    stories: tuple[Story, ...] = ()  # those with a published article, each with only those; newest first
    outlets: tuple[Outlet, ...] = ()  # content/outlets.yml, in its order

    def topic(self, topic_id: str) -> Topic:
        return next(t for t in self.topics if t.id == topic_id)
