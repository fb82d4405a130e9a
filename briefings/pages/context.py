"""What every page renderer shares: ``RenderContext``, the edition with the
lookups built once, and the pieces of views several page kinds show
(entries, quote cards, topic chips, feed links)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property

from briefings.content.model import Article, Edition, Quote, Story
from briefings.content.people import PeopleIndex
from briefings.digest.changes import Changes, Digest, published
from briefings.options import Settings
from briefings.pages.feeds import FeedSpec
from briefings.pages.group import collapse, story_lead, story_sources
from briefings.pages.text import day
from briefings.pages.viewparts import (
    CorrectionNote,
    Entry,
    FeedLink,
    Headline,
    PageLink,
    QuoteCard,
    Speaker,
    Version,
)


class RenderContext:
    """What every page renderer needs: the edition, settings and lookups built once."""

    def __init__(self, edition: Edition, settings: Settings):
        self.edition = edition
        self.settings = settings
        self.topics = {t.id: t for t in edition.topics}
        self.persons = {f.person.slug: f.person for f in edition.people}
        self.index = PeopleIndex(tuple(self.persons.values()))
        named: dict[str, set[str]] = {}  # article slug -> person slugs
        for person_file in edition.people:
            for article in person_file.articles:
                named.setdefault(article.slug, set()).add(person_file.person.slug)
        # In the order each article names them, not edition.people's (by how many articles
        # name each person): an addition can reorder that without changing an article page
        # (pipeline.pages_scope), and a related card lists the people it shares in this order.
        self.people_of = {
            a.slug: tuple(s for s in dict.fromkeys(self.index.resolve(n).slug for n in a.people) if s in named[a.slug])
            for a in edition.articles
            if a.slug in named
        }
        self.slug_of = {a.path: a.slug for a in edition.articles}  # content file -> page, for links in bodies
        # An article's raw HTML links, as its engine reads them: from its page (articles/<slug>/)
        # or from its file (articles/<slug>.md), to the articles' folder and the site's root.
        from_page = settings.raw_links_from == "page"
        self.to_articles, self.to_root = ("../", "../../") if from_page else ("", "../")
        # Made once and shared by every page that shows them (views are immutable).
        self.chip = {t.id: PageLink(title=t.title, url=t.url) for t in edition.topics}
        self.topic_feed = {t.id: feed_link(t.title, t.url, f"topic-{t.id}") for t in edition.topics}
        self.story_of = {a.slug: s for s in edition.stories for a in s.articles}  # article slug -> its story
        self.sources = {s.id: story_sources(s) for s in edition.stories}
        self.lead_of = {s.id: story_lead(s).slug for s in edition.stories}
        self._weeks: dict[int, Digest] = {}  # ``week``'s, by position

    @cached_property
    def changes(self) -> Changes:
        return Changes(published(self.edition))  # never a draft, even in a --drafts preview

    @cached_property
    def weeks(self) -> tuple[Digest, ...]:
        """Every ISO week's digest, newest first (``digest.changes``)."""
        return tuple(self.week(i) for i in range(len(self.changes.weeks)))

    def week(self, i: int) -> Digest:
        """The digest of the ``i``-th week with something in it, newest first; made once. An
        edit makes the pages of the few weeks it changed, which need their neighbours' too."""
        made = self._weeks.get(i)
        if made is None:
            made = self._weeks[i] = self.changes.digest(self.changes.weeks[i])
        return made

    @property
    def latest_week(self) -> Digest | None:
        """The newest week's digest, for the lines home and topic pages show."""
        return self.week(0) if self.changes.weeks else None

    def collapse(self, articles: Iterable[Article]) -> tuple[Article, ...]:
        """A listing with each story once, by its lead article (``group.collapse``)."""
        return collapse(articles, self.story_of, self.lead_of) if self.story_of else tuple(articles)

    def story(self, article: Article) -> tuple[str, int]:
        """The article's story page and the story's sources: ("", 0) when it is in none."""
        story: Story | None = self.story_of.get(article.slug)
        return (story.url, self.sources[story.id]) if story else ("", 0)

    def headline(self, article: Article) -> Headline:
        url, sources = self.story(article)
        return Headline(
            title=article.title,
            url=article.page_url,
            date=day(article.date),
            draft=self.draft(article),
            story=url,
            sources=sources,
        )

    def chips(self, topic_ids: Iterable[str], skip: str | None = None) -> tuple[PageLink, ...]:
        """Links to these topics' pages; ``skip`` is the topic page they are shown on."""
        return tuple([self.chip[t] for t in topic_ids if t != skip])

    def draft(self, article: Article) -> bool:
        return article.slug in self.edition.unpublished

    def entry(self, article: Article, *, context: str | None = None) -> Entry:
        """One article as a one-line listing entry. ``context`` is the topic page it appears on."""
        story, sources = self.story(article)
        return Entry(
            title=article.title,
            url=article.page_url,
            date=day(article.date),
            datetime=article.date.isoformat(),
            source=article.source,
            authors=article.authors,
            summary=article.summary,
            draft=self.draft(article),
            topics=self.chips(article.topics, skip=context),
            story=story,
            sources=sources,
        )

    def version(self, article: Article) -> Version:
        """An article as one outlet's version of its story: the published headline and the original."""
        outlet = article.outlet
        return Version(
            title=article.title,
            original=article.url,
            url=article.page_url,
            source=outlet.name if outlet else article.source,
            country=outlet.country if outlet else "",
            type=outlet.type if outlet else "",
            note=outlet.note if outlet else "",
            date=day(article.date),
            datetime=article.date.isoformat(),
        )

    def speakers(self, quote: Quote) -> tuple[Speaker, ...]:
        """A quote's speakers as attributed, each linked to their person page when they have one."""
        found = []
        for name in quote.speakers:
            person = self.index.speaker(name)
            found.append(Speaker(name=name, url=person.url if person and person.slug in self.persons else None))
        return tuple(found)

    def is_card(self, quote: Quote) -> bool:
        """A full clause (``quote_card_min_words`` words or more), or marked card: true: the
        rest are fragments, quoted inline on their article's page and never shown as cards."""
        return quote.card or len(quote.text.split()) >= self.settings.quote_card_min_words

    def quote_card(self, quote: Quote, article: Article) -> QuoteCard:
        return QuoteCard(
            text=quote.text,
            speaker=quote.speaker,
            speakers=self.speakers(quote),
            source=article.outlet.name if article.outlet else article.source,
            date=day(article.date),
            datetime=article.date.isoformat(),
            url=article.page_url,
            title=article.title,
            original=article.url,
        )


def correction_notes(article: Article) -> tuple[CorrectionNote, ...]:
    """The corrections of our notes on an article, oldest first, as readers see them."""
    return tuple(
        CorrectionNote(date=day(c.date), datetime=c.date.isoformat(), text=c.text) for c in article.corrections
    )


def feed_link(title: str, page_url: str, key: str) -> FeedLink:
    spec = FeedSpec(title, "", page_url, (), key)
    return FeedLink(title=title, atom=spec.atom, json=spec.json)
