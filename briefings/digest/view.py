"""One digest as its three renderings read it: every line already worded, every link absolute.

A digest goes out by mail, or into a newsletter tool: its links leave the site, so each is
made absolute from the site's address here, once, and the HTML, text and Markdown
renderings only lay the same view out. ``Limits`` cut long sections (for the HTML's size:
``mail``); what is cut is counted, and its section links to the site for the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TypeVar

from briefings.content.model import Article
from briefings.digest.changes import Digest, StoryChange

T = TypeVar("T")

DIGESTS = "digests/"  # the site's page of weekly digests (built by the site, not here)


@dataclass(frozen=True)
class Report:
    """One article: the outlet (linked to the original, when it has one) and our page."""

    title: str
    outlet: str
    original: str  # "" for a desk note or an article without url:
    page: str
    date: str  # "20 May 2024"


@dataclass(frozen=True)
class StoryView:
    title: str
    href: str
    summary: str
    sources: str  # "5 sources from 3 countries" or "3 → 5 sources, from 4 countries"
    reports: tuple[Report, ...]
    more_reports: int  # reports of the window cut by the limits (on the story's page)


@dataclass(frozen=True)
class QuoteView:
    text: str
    speaker: str
    report: Report


@dataclass(frozen=True)
class PersonView:
    name: str
    href: str  # their page, or "" for a speaker the desk has no page for
    quotes: tuple[QuoteView, ...]
    more: int


@dataclass(frozen=True)
class Note:
    """A line about one page: a state of play rewritten, a correction, an update."""

    title: str
    href: str
    date: str
    text: str


@dataclass(frozen=True)
class Section:
    key: str  # "new", "gained", "quotes", "states", "corrections", "updated"
    title: str
    stories: tuple[StoryView, ...] = ()
    people: tuple[PersonView, ...] = ()
    notes: tuple[Note, ...] = ()
    more: int = 0  # items cut by the limits


@dataclass(frozen=True)
class DigestView:
    site_name: str
    site_href: str
    digests_href: str
    more_href: str  # where the rest of a cut section is read: the week's page, or the digests
    label: str  # "20–26 May 2024"
    week: str  # "2024-W21", or "" for another span of days
    headline: str
    sections: tuple[Section, ...]  # only those with something in them

    @property
    def title(self) -> str:
        return f"{self.site_name}: {self.label}"

    @property
    def preheader(self) -> str:
        """The line a mail client shows after the subject."""
        if not self.sections:
            return f"Nothing changed on {self.site_name} in {self.label}."
        return f"{self.headline[:1].upper()}{self.headline[1:]}."

    @property
    def cut(self) -> int:
        return sum(
            s.more + sum(st.more_reports for st in s.stories) + sum(p.more for p in s.people) for s in self.sections
        )


@dataclass(frozen=True)
class Limits:
    """At most ``items`` stories, people or notes per section, ``reports`` new reports per story
    and ``quotes`` per person. None: all."""

    items: int | None = None
    reports: int | None = None
    quotes: int | None = None


EVERYTHING = Limits()


def day(d: dt.date) -> str:
    """ "20 May 2024"."""
    return f"{d.day} {d:%B %Y}"


def digest_view(digest: Digest, *, site_name: str, site_url: str, limits: Limits = EVERYTHING) -> DigestView:
    """The view of ``digest``, its links made absolute from ``site_url`` (ending in "/")."""

    def absolute(path: str) -> str:
        return site_url + path

    def report(a: Article) -> Report:
        outlet = a.outlet.name if a.outlet else a.source
        return Report(a.title, outlet, a.url, absolute(a.page_url), day(a.date))

    def story(c: StoryChange, gained: bool) -> StoryView:
        shown = c.articles[: limits.reports]
        sources = f"{c.sources_now} source{'s' if c.sources_now != 1 else ''}"
        if gained:
            sources = f"{c.sources_before} → {sources}"
        countries = f"{c.countries} countr{'ies' if c.countries != 1 else 'y'}"
        return StoryView(
            c.title,
            absolute(c.url),
            c.summary,
            f"{sources} from {countries}" if c.countries else sources,
            tuple(report(a) for a in shown),
            len(c.articles) - len(shown),
        )

    def cut(items: tuple[T, ...]) -> tuple[tuple[T, ...], int]:
        kept = items[: limits.items]
        return kept, len(items) - len(kept)

    sections: list[Section] = []
    new, more = cut(digest.new_stories)
    sections.append(Section("new", "New stories", stories=tuple(story(c, False) for c in new), more=more))
    gained, more = cut(digest.gained)
    sections.append(
        Section("gained", "Stories that gained sources", stories=tuple(story(c, True) for c in gained), more=more)
    )
    people, more = cut(digest.quotes)
    views = []
    for p in people:
        quotes = p.quotes[: limits.quotes]
        views.append(
            PersonView(
                p.name,
                absolute(p.url) if p.url else "",
                tuple(QuoteView(q.text, p.name, report(a)) for q, a in quotes),
                len(p.quotes) - len(quotes),
            )
        )
    sections.append(Section("quotes", "Quotes, by person", people=tuple(views), more=more))
    states, more = cut(digest.states)
    sections.append(
        Section(
            "states",
            "States of play rewritten",
            notes=tuple(
                Note(t.title, absolute(t.url), day(t.updated) if t.updated else "", t.state_of_play) for t in states
            ),
            more=more,
        )
    )
    corrections, more = cut(digest.corrections)
    sections.append(
        Section(
            "corrections",
            "Corrections",
            notes=tuple(
                Note(n.article.title, absolute(n.article.page_url), day(n.correction.date), n.correction.text)
                for n in corrections
            ),
            more=more,
        )
    )
    updated, more = cut(digest.updated)
    sections.append(
        Section(
            "updated",
            "Updated articles",
            notes=tuple(
                Note(a.title, absolute(a.page_url), day((a.updated or a.published).date()), "") for a in updated
            ),
            more=more,
        )
    )
    week = digest.window.week
    return DigestView(
        site_name=site_name,
        site_href=site_url,
        digests_href=absolute(DIGESTS),
        more_href=absolute(f"{DIGESTS}{week}/" if week else DIGESTS),
        label=digest.window.label,
        week=week,
        headline=digest.headline,
        sections=tuple(s for s in sections if s.stories or s.people or s.notes),
    )
