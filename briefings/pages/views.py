"""Page views: what each generated page gives its template, as frozen dataclasses.

A page's front matter is one ``FrontMatter``; its ``briefing`` is the view of
its kind (``HomeView``, ``ArticleView``...), which the template in theme/
reads as ``page.meta.briefing``. The views are written into the page as
compact JSON (``frontmatter.page``), field by field in the order declared
here, so a field's name here is the name a template uses (tests/test_views.py
renders every template against real views with StrictUndefined).

Values are raw text: the templates escape them with ``|e``. The exceptions
are FrontMatter's ``title`` and ``description``, which Material
prints as they are, so they hold HTML-escaped text (see ``text.esc``).

A field with OMITTED metadata is left out of the front matter while it is
None, as pages always have (``updated`` only on updated articles): templates
test those with ``is defined``. Tuples are written as JSON lists. The pieces
several page views share (links, entries, quote cards...) are in ``viewparts.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from briefings.pages.digestviews import DigestLine, DigestsView, DigestWeekView
from briefings.pages.viewparts import (
    ArchiveLink,
    ArticleLink,
    Entry,
    FeedLink,
    Headline,
    KeyDate,
    MonthGroup,
    PageLink,
    QuoteCard,
    SideQuotes,
    StoryItem,
    StoryRef,
    StoryVersion,
    Tally,
    TopicCard,
    TopicState,
    TopStory,
    YearGroup,
)

# Field metadata of an optional field, ``field(default=None, metadata=OMITTED)``:
# left out of the front matter while it is None (its class derives from LeavesOutUnset).
OMITTED = {"omit_if_none": True}


class LeavesOutUnset:
    """For views with OMITTED fields: one that is None is taken out of the instance's __dict__,
    which is what ``frontmatter.page`` writes. Reading it still gives the class's default, None."""

    _omitted: ClassVar[dict[type, tuple[str, ...]]] = {}

    def __post_init__(self) -> None:
        cls = type(self)
        names = LeavesOutUnset._omitted.get(cls)
        if names is None:
            view: Any = self  # a dataclass: each subclass is one
            names = LeavesOutUnset._omitted[cls] = tuple(f.name for f in fields(view) if f.metadata.get("omit_if_none"))
        state = self.__dict__
        for name in names:
            if state[name] is None:
                del state[name]


# --- the page views ----------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class HomeView:
    """home.html, today's briefing: when it was updated, the top story, and each topic's
    state of play with its latest stories."""

    updated: str | None  # the newest of the newest article's date and the topics' updated:
    updated_datetime: str | None  # None when nothing is published
    top: TopStory | None  # the newest story (an article in no story is one)
    topics: tuple[TopicState, ...]
    digest: DigestLine | None  # the latest week's digest; None when nothing is published


@dataclass(frozen=True, kw_only=True)
class TopicsIndexView:
    """topics.html: a card per topic."""

    topics: tuple[TopicCard, ...]


@dataclass(frozen=True, kw_only=True)
class TopicRef:
    """Which topic a topic page is (for Pagefind's topic filter)."""

    id: str
    title: str


@dataclass(frozen=True, kw_only=True)
class TopicView:
    """topic.html: a topic's briefing: its key dates, then each story once, newest first."""

    topic: TopicRef
    state_of_play: str  # topics.yml's state_of_play:, "" when not given
    updated: str | None  # the day it was written (updated:), as readers see it
    updated_datetime: str | None
    count: int  # articles in the topic
    story_count: int  # its stories, an article in none counting as one
    shown: int  # stories on this page (the rest are in the month archives)
    latest: str | None  # date of the newest article
    feed: FeedLink
    feeds: tuple[FeedLink, ...]  # linked from the page's <head>
    key_dates: tuple[KeyDate, ...]  # the shown stories, oldest first
    stories: tuple[StoryItem, ...]  # newest first (by first report)
    quotes: tuple[QuoteCard, ...]  # full clauses only: fragments are never cards
    archives: tuple[ArchiveLink, ...]  # empty while everything fits on the page
    digest: DigestLine | None  # what the latest week's digest has for the topic; None when nothing


@dataclass(frozen=True, kw_only=True)
class ArchiveView:
    """archive.html: one month of a topic, of the timeline or of a person."""

    parent: PageLink  # the page this archive belongs to
    year: PageLink  # the year page above it: "2024"
    count: int  # articles this month
    entries: tuple[Entry, ...]
    newer: ArchiveLink | None  # the next month with articles, if any
    older: ArchiveLink | None
    feeds: tuple[FeedLink, ...]
    quotes: tuple[QuoteCard, ...]  # a person's quotes of the month
    stories: tuple[StoryItem, ...]  # a topic's stories of the month (then entries is empty)


@dataclass(frozen=True, kw_only=True)
class YearView:
    """year.html: one year of a topic's, the timeline's or a person's month archives (no feed: it lists none)."""

    parent: PageLink  # the page these archives belong to
    count: int  # articles that year
    quotes: int  # a person's quotes that year; 0 elsewhere
    months: tuple[ArchiveLink, ...]  # the months with an archive, newest first
    newer: ArchiveLink | None  # the next year with archives, if any
    older: ArchiveLink | None


@dataclass(frozen=True, kw_only=True)
class MoreInTopic:
    """An article's previous and next article in one of its topics."""

    topic: str  # the topic's title
    url: str  # the topic's page
    newer: ArticleLink | None
    older: ArticleLink | None


@dataclass(frozen=True, kw_only=True)
class RelatedItem:
    """An article under "Related coverage", with what it shares."""

    title: str
    url: str
    date: str
    source: str
    shares: tuple[str, ...]  # titles of shared topics, then names of shared people


@dataclass(frozen=True, kw_only=True)
class Share:
    """Open Graph article metadata for link previews."""

    type: str  # "article"
    published: str  # ISO 8601
    modified: str
    section: str


@dataclass(frozen=True, kw_only=True)
class ArticleView(LeavesOutUnset):
    """article.html: an article's header, related coverage and neighbours."""

    source: str
    country: str  # its outlet's (outlets.yml), "" when the source is not listed there
    authors: tuple[str, ...]
    date: str
    datetime: str
    section: str
    url: str  # the original article, "" when unknown
    draft: bool
    words: int
    minutes: int  # reading time
    topics: tuple[PageLink, ...]
    people: tuple[str, ...]  # names of the people it names, merged by alias
    more: tuple[MoreInTopic, ...]  # one per topic
    related: tuple[RelatedItem, ...]
    feeds: tuple[FeedLink, ...]  # its topics' feeds, Atom only
    share: Share
    jsonld: str  # schema.org NewsArticle, serialised and escaped for a <script> element
    # Only on articles updated since they were published: the date, and as ISO 8601.
    updated: str | None = field(default=None, metadata=OMITTED)
    updated_datetime: str | None = field(default=None, metadata=OMITTED)
    # Only on articles in a story: the story and the other outlets' versions.
    story: StoryRef | None = field(default=None, metadata=OMITTED)
    # Only on articles with corrections: the newest one's date, and as ISO 8601 (the list is in the body).
    corrected: str | None = field(default=None, metadata=OMITTED)
    corrected_datetime: str | None = field(default=None, metadata=OMITTED)


@dataclass(frozen=True, kw_only=True)
class TimelineView:
    """timeline.html: every article by month, newest first."""

    count: int
    shown: int
    months: tuple[MonthGroup, ...]
    archives: tuple[ArchiveLink, ...]


@dataclass(frozen=True, kw_only=True)
class ArticlesIndexView:
    """articles.html: every article, newest first (the latest on a big site), then the archive by year."""

    count: int
    shown: int
    months: tuple[MonthGroup, ...]  # the shown articles, by month
    years: tuple[YearGroup, ...]  # empty while everything fits on the page


@dataclass(frozen=True, kw_only=True)
class SourceSummary:
    """An outlet on the sources page (or a source: no outlet of outlets.yml matches)."""

    name: str
    type: str  # the outlet's type; "" for a source not in outlets.yml
    note: str  # the registry's caveat about it
    count: int  # its articles
    articles: tuple[Headline, ...]  # the newest few


@dataclass(frozen=True, kw_only=True)
class CountryGroup:
    """The outlets of one country on the sources page, by type."""

    label: str  # the country as outlets.yml writes it, or "Not in the outlets registry"
    id: str  # the heading's anchor
    count: int  # their articles
    sources: tuple[SourceSummary, ...]


@dataclass(frozen=True, kw_only=True)
class CoverageMonth:
    """A row of a topic's coverage over time: a month's articles by the side of their outlet."""

    label: str  # "August 2022"
    us: int
    prc: int
    taiwan: int
    other: int


@dataclass(frozen=True, kw_only=True)
class TopicCoverage:
    title: str
    url: str
    id: str  # the table's anchor
    months: tuple[CoverageMonth, ...]  # oldest first


@dataclass(frozen=True, kw_only=True)
class SourcesView:
    """sources.html: the outlets by country, most articles first, and each topic's coverage over time."""

    groups: tuple[CountryGroup, ...]
    coverage: tuple[TopicCoverage, ...]  # topics with articles from registered outlets


@dataclass(frozen=True, kw_only=True)
class PersonSummary:
    """A person on the people index."""

    name: str
    url: str
    description: str
    articles: int  # how many name them
    quotes: int  # how many of their quotes
    latest: str | None  # date of the newest article naming them


@dataclass(frozen=True, kw_only=True)
class PeopleIndexView:
    """people.html: everyone in the briefings, most covered first."""

    people: tuple[PersonSummary, ...]


@dataclass(frozen=True, kw_only=True)
class PersonView:
    """person.html: a person's articles and quotes."""

    name: str
    description: str
    aliases: tuple[str, ...]
    count: int  # articles naming them
    shown: int  # of which on this page
    quote_count: int
    feed: FeedLink
    feeds: tuple[FeedLink, ...]
    entries: tuple[Entry, ...]
    quotes: tuple[QuoteCard, ...]  # the newest
    archives: tuple[ArchiveLink, ...]


@dataclass(frozen=True, kw_only=True)
class StoryView:
    """story.html: one event, every outlet that covered it, whose voices are missing."""

    feeds: tuple[FeedLink, ...]  # its own feed, linked from the page's <head>
    dates: str  # from its first article's date to its last's: "2–5 August 2022"
    datetime: str  # the first, ISO 8601
    sources: int  # outlets (or sources not in outlets.yml) with a version of it
    countries: int  # their countries, as outlets.yml writes them
    by_country: tuple[Tally, ...]  # most first
    by_type: tuple[Tally, ...]
    topics: tuple[PageLink, ...]
    versions: tuple[StoryVersion, ...]  # oldest first, each with the corrections of our notes on it
    quotes: tuple[SideQuotes, ...]  # Washington, Beijing, Taipei, others: those with quotes
    blindspots: tuple[str, ...]  # a line per expected side no source is from
    corrected: str | None  # the newest correction of our notes on its versions; None when there is none
    corrected_datetime: str | None
    corrected_versions: int  # how many of its versions have corrections


@dataclass(frozen=True, kw_only=True)
class StoriesIndexView:
    """stories.html: every story, newest first (by its first report), then the archive by year."""

    count: int
    shown: int
    months: tuple[MonthGroup, ...]  # the shown stories by month: each its title, summary and sources
    years: tuple[YearGroup, ...]  # empty while everything fits on the page


@dataclass(frozen=True, kw_only=True)
class CorrectionEntry:
    """A line of the corrections log: when, what changed, our article page and the original."""

    date: str
    datetime: str
    text: str
    title: str  # the article's headline as the outlet published it
    url: str  # our article page
    source: str  # the outlet (or the article's source)
    original: str  # the outlet's page, "" when the article has no url


@dataclass(frozen=True, kw_only=True)
class CorrectionsView:
    """corrections.html: every correction of published articles' notes, newest first."""

    count: int
    entries: tuple[CorrectionEntry, ...]


BriefingView = (
    HomeView
    | TopicsIndexView
    | TopicView
    | ArchiveView
    | YearView
    | ArticleView
    | TimelineView
    | ArticlesIndexView
    | SourcesView
    | PeopleIndexView
    | PersonView
    | StoryView
    | StoriesIndexView
    | CorrectionsView
    | DigestWeekView
    | DigestsView
)


@dataclass(frozen=True, kw_only=True)
class FrontMatter(LeavesOutUnset):
    """A generated page's front matter: MkDocs' keys, then the view (``briefing``)."""

    title: str  # HTML-escaped: Material prints it as it is
    # HTML-escaped, for <meta name="description">; None on pages without one (home, topics).
    description: str | None = field(default=None, metadata=OMITTED)
    # Every generated page hides the table of contents: a few short, fixed
    # sections at most, and the text gets the width instead.
    hide: tuple[str, ...] = ("toc",)
    # The template in theme/ drawing the page, and what it reads (page.meta.briefing).
    template: str | None = field(default=None, metadata=OMITTED)
    briefing: BriefingView | None = field(default=None, metadata=OMITTED)
