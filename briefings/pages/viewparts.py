"""Pieces of the page views that several pages show: links, listing entries, quote
cards, topic cards, archive links, and the parts of story pages. Frozen dataclasses,
written into the front matter with the page views of ``views.py`` (see its docstring)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class PageLink:
    """A link to a page by its title: a topic chip, an archive's parent page."""

    title: str
    url: str  # site-root-relative, e.g. "topics/taiwan/" (templates pass URLs through | url)


@dataclass(frozen=True, kw_only=True)
class ArticleLink:
    """A link to an article with its date: previous/next in a topic."""

    title: str
    url: str
    date: str  # as readers see it: "15 November 2023"


@dataclass(frozen=True, kw_only=True)
class Headline:
    """An article's headline in a short list (topic cards, sources)."""

    title: str
    url: str
    date: str
    draft: bool  # shown only because of --drafts: the template marks it
    story: str  # its story's page, "" when in none
    sources: int  # the story's sources, 0 when in none


@dataclass(frozen=True, kw_only=True)
class FeedLink:
    """A page's own feed, for subscribe buttons and <link rel="alternate">."""

    title: str  # what the feed follows: a topic's title, a person's name
    atom: str  # its path from the site root, e.g. "feeds/topic-taiwan.xml"
    json: str | None  # JSON Feed file name; None where only Atom is linked (article pages)


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One article in a listing, one line (``partials/compact-entry.html``)."""

    title: str
    url: str
    date: str
    datetime: str  # ISO 8601, for <time datetime>
    source: str
    authors: tuple[str, ...]
    summary: str
    draft: bool
    topics: tuple[PageLink, ...]  # its topics, but the one whose page lists it
    # Its story's page and how many sources it has; "" and 0 when the article is in none.
    # Listings that show a story once show its lead article's entry with these.
    story: str
    sources: int


@dataclass(frozen=True, kw_only=True)
class Speaker:
    """Who said a quote, as the article attributes it, linked to their person page when they have one."""

    name: str
    url: str | None


@dataclass(frozen=True, kw_only=True)
class QuoteCard:
    """A quote with who said it, where and when (``partials/quote-card.html``)."""

    text: str
    speaker: str  # the speakers as one line, as the article attributes them: "A and B"
    speakers: tuple[Speaker, ...]  # each linked: a joint statement has several
    source: str  # the outlet it was reported in (its name in outlets.yml, else the article's source)...
    date: str
    datetime: str  # the article's date, ISO 8601
    url: str  # ...our page of that article
    title: str
    original: str  # the outlet's page, "" when the article has no url


@dataclass(frozen=True, kw_only=True)
class SourceLink:
    """One outlet's version of a story on a topic page: its name, linked to our page of its article."""

    name: str
    url: str


@dataclass(frozen=True, kw_only=True)
class StoryItem:
    """A story on a topic page, once: our headline, its dates, summary, why it matters and its
    sources. An article in no story is a story of one (its own title, page and notes)."""

    id: str  # the anchor key dates link to: "story-<id>", "article-<slug>"
    title: str
    url: str  # the story's page; a lone article's own page
    date: str  # "2–5 August 2022"
    datetime: str  # the first report, ISO 8601
    summary: str
    why_it_matters: str
    draft: bool
    sources: int  # outlets with a version of it
    countries: int  # their countries, as outlets.yml writes them
    outlets: tuple[SourceLink, ...]  # each once, with its first version
    topics: tuple[PageLink, ...]  # its other topics


@dataclass(frozen=True, kw_only=True)
class KeyDate:
    """A line of a topic's key dates: the day and a short headline, linked to its story on the page."""

    date: str
    datetime: str
    title: str
    anchor: str  # the story's id on the page


@dataclass(frozen=True, kw_only=True)
class TopicCard:
    """A topic on the home and topics pages (``partials/topic-cards.html``)."""

    title: str
    url: str
    description: str
    count: int  # articles
    latest: str | None  # date of the newest; None when it has none
    headlines: tuple[Headline, ...]  # the newest few
    feed: FeedLink


@dataclass(frozen=True, kw_only=True)
class ArchiveLink:
    """A month archive of a long listing (``partials/archive-links.html``, pagers)."""

    label: str  # "November 2023"
    url: str
    count: int  # articles that month


@dataclass(frozen=True, kw_only=True)
class YearGroup(ArchiveLink):
    """A year of a long listing's month archives: its page ("2024"), and its months, newest first."""

    months: tuple[ArchiveLink, ...]


@dataclass(frozen=True, kw_only=True)
class MonthGroup:
    """A listing's articles of one month."""

    label: str  # "November 2023"
    id: str  # "2023-11": the heading's anchor
    entries: tuple[Entry, ...]


@dataclass(frozen=True, kw_only=True)
class Tally:
    """A count in a coverage strip: sources from one country, of one outlet type, or a side's."""

    label: str  # "US", "state media"
    count: int
    share: int  # percent of the strip's total, for the bar's width


@dataclass(frozen=True, kw_only=True)
class Version:
    """One outlet's version of a story: its published headline, linked to the original."""

    title: str  # the headline as the outlet published it
    original: str  # the outlet's page; "" when the article has no url
    url: str  # our article page
    source: str  # the outlet's name (or the article's source: when no outlet is registered)
    country: str  # "" when the outlet is not in outlets.yml
    type: str
    note: str  # the registry's caveat about the outlet, if any
    date: str
    datetime: str


@dataclass(frozen=True, kw_only=True)
class CorrectionNote:
    """A correction of our notes on an article, as readers see it: when, and what changed."""

    date: str  # "21 May 2024"
    datetime: str  # ISO 8601
    text: str


@dataclass(frozen=True, kw_only=True)
class StoryVersion(Version):
    """A version on its story's page, with the corrections of our notes on it (oldest first)."""

    corrections: tuple[CorrectionNote, ...]


@dataclass(frozen=True, kw_only=True)
class SideQuotes:
    """The quotes of a story whose speakers are on one side: "Washington says"."""

    side: str  # us, prc, taiwan, other
    heading: str
    quotes: tuple[QuoteCard, ...]


@dataclass(frozen=True, kw_only=True)
class StoryRef:
    """On an article page: the story it belongs to and the other outlets' versions."""

    title: str
    url: str
    sources: int
    versions: tuple[Version, ...]  # the story's other articles, oldest first


@dataclass(frozen=True, kw_only=True)
class StoryLine:
    """A story on the home page, by its title, or an article in no story (``partials/story-line.html``)."""

    title: str  # our title of the story; the published headline of an article in none
    url: str  # the story's page, or the article's
    date: str  # the story's dates, "16–17 November 2024", or the article's
    datetime: str  # its first report, ISO 8601
    newest: str  # its newest report, ISO 8601: what "New since your last visit" compares
    sources: int  # the story's sources; 0 for an article in no story
    source: str  # the outlet of an article in no story; "" for a story
    draft: bool


@dataclass(frozen=True, kw_only=True)
class TopStory(StoryLine):
    """The newest story, at the top of the home page."""

    summary: str
    why_it_matters: str
    countries: int  # its sources' countries, as outlets.yml writes them
    reach: str  # "5 sources from 4 countries"; "" for an article in no story


@dataclass(frozen=True, kw_only=True)
class TopicState:
    """A topic on the home page: where it stands today, and its latest stories."""

    id: str
    title: str
    url: str
    state_of_play: str  # topics.yml's state_of_play:, else its description
    updated: str | None  # topics.yml's updated:, as readers see it; None when not given
    updated_datetime: str | None
    count: int  # its articles
    stories: tuple[StoryLine, ...]  # the newest few
