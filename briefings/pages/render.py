"""Render an Edition into Markdown pages and feeds for MkDocs. Pure: returns {path: text}.

Each page is front matter plus Markdown. Listings and headers are drawn by the
templates in theme/ from the page's view (``views.py``), which its front
matter carries as ``briefing:``; the Markdown body carries what readers
should find with search (summaries, key points, quotes, the article text).
The listing pages are made in ``listings.py``, article pages in
``article.py``; ``text.py`` says what is escaped where.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from briefings.content.model import Article, Edition
from briefings.digest.changes import published
from briefings.digest.manifest import MANIFEST, manifest_json
from briefings.options import Settings
from briefings.pages.article import ArticlePages
from briefings.pages.context import RenderContext
from briefings.pages.corrections import CORRECTIONS, corrections_page
from briefings.pages.digestfeed import FEED_WEEKS, digest_feed
from briefings.pages.digests import (
    DIGEST_FEED,
    DIGESTS,
    digest_years,
    digests_index_page,
    digests_year_page,
    topic_line,
    week_page,
    week_views,
)
from briefings.pages.feeds import FEED_SIZE, FeedSpec, feed_files, feed_lists, feed_specs
from briefings.pages.home import home_page
from briefings.pages.listings import (
    articles_index_page,
    people_index_page,
    person_pages,
    timeline,
    timeline_front_pages,
    timeline_month_page,
    topic_pages,
    topics_index_page,
)
from briefings.pages.sources import sources_page
from briefings.pages.stories import story_pages
from briefings.pages.text import esc

__all__ = [
    "ArticlePages",
    "ListingUnit",
    "Pages",
    "RenderContext",
    "iter_pages",
    "listing_pages",
    "navigation",
    "render",
    "sources_of",
]


@dataclass(frozen=True)
class Pages:
    """The generated tree (Markdown pages and feeds) and the navigation that goes with it."""

    files: dict[str, str]  # path inside the docs folder -> text (empty when streamed to disk)
    nav: list[Any]  # MkDocs ``nav`` value
    sources: dict[str, str]  # generated article page -> the content file it came from


def render(edition: Edition, settings: Settings | None = None) -> Pages:
    """Every page in memory: for tests and small sites. The pipeline renders and
    writes the same pages through emit.py instead."""
    files = dict(iter_pages(edition, settings))
    return Pages(files=files, nav=navigation(edition), sources=sources_of(edition))


def iter_pages(edition: Edition, settings: Settings | None = None) -> Iterator[tuple[str, str]]:
    """Yield (path, text) for every generated file, one at a time."""
    ctx = RenderContext(edition, settings or Settings())
    yield from listing_pages(ctx)
    articles = ArticlePages(ctx)
    for i in range(len(edition.articles)):
        yield articles.name(i), articles.page(i)


@dataclass(frozen=True)
class ListingUnit:
    """Some of the listing pages, made together: a topic's or a person's pages, a week's
    digest, a month of the timeline, a feed... (``key`` "topic:ID", "person:SLUG",
    "digest:2024-W21", "timeline:2024-05"...: made from ``articles`` and what every page
    shares), or pages that show the whole archive (``key`` ""), made by every generation.
    ``also``: what else a keyed unit's pages show (a topic's line of the latest digest, the
    weeks or months beside one), part of its key."""

    key: str
    articles: tuple[Article, ...]
    make: Callable[[], Iterable[tuple[str, str]] | dict[str, str]]
    also: str = ""

    def pages(self) -> Iterable[tuple[str, str]]:
        made = self.make()
        return made.items() if isinstance(made, dict) else made


def listing_pages(ctx: RenderContext) -> Iterator[tuple[str, str]]:
    """Every generated file but the article pages: the edition manifest, home, topics, stories,
    timeline, the articles index, sources, the digests, people and feeds, as (path, text)."""
    for unit in listing_units(ctx):
        yield from unit.pages()


def listing_units(ctx: RenderContext, *, earlier: Callable[[], Mapping[str, str]] = dict) -> Iterator[ListingUnit]:
    """The listing pages, in ``listing_pages``' order, by unit. ``earlier()``: the lines of the
    last manifest that hold (``manifest_json``), asked for where the manifest is made."""
    edition = ctx.edition
    # The biggest unit, of its own and first, so that one worker writes it while the other
    # takes the rest (0.17 s at 10,000 articles, seconds at 100,000): taken last, it is an
    # edit's longest wait.
    yield ListingUnit("", (), lambda: [(MANIFEST, manifest_json(published(edition), earlier()))])
    yield ListingUnit("", (), lambda: [("index.md", home_page(ctx)), ("topics/index.md", topics_index_page(ctx))])
    for briefing in edition.briefings:
        line = repr(topic_line(ctx, briefing.topic.id))
        yield ListingUnit(f"topic:{briefing.topic.id}", briefing.articles, partial(topic_pages, ctx, briefing), line)

    def archive_wide() -> Iterator[tuple[str, str]]:
        yield from story_pages(ctx).items()
        yield "articles/index.md", articles_index_page(ctx)
        yield "sources.md", sources_page(ctx)
        yield "people/index.md", people_index_page(ctx)

    yield ListingUnit("", (), archive_wide)
    yield ListingUnit("", (), lambda: [(CORRECTIONS, corrections_page(ctx))])  # every correction
    yield from timeline_units(ctx)

    yield from digest_units(ctx)
    for person_file in edition.people:
        shown = person_file.articles + tuple(a for _, a in person_file.quotes)
        yield ListingUnit(f"person:{person_file.person.slug}", shown, partial(person_pages, ctx, person_file))
    specs = feed_specs(edition, ctx.settings)
    for spec in specs:  # a feed: made from the articles it lists
        yield ListingUnit(
            f"feed:{spec.atom}", spec.articles[:FEED_SIZE], partial(feed_files, spec, edition, ctx.settings)
        )
    weekly = FeedSpec(DIGEST_FEED.title, "What changed each week.", DIGESTS.url, (), key="digests")
    yield ListingUnit("", (), partial(feed_lists, [*specs, weekly], ctx.settings))


def timeline_units(ctx: RenderContext) -> Iterator[ListingUnit]:
    """The timeline's pages by unit: its own page with the year pages of its archives (made from
    the articles it shows and the months' counts), and each month's archive (from the month's
    articles, and the names and counts of the months either side, which it links)."""
    made = timeline(ctx)
    counts = repr([(m.label, m.count) for m in made.archives])
    yield ListingUnit("timeline", made.shown, partial(timeline_front_pages, ctx, made), counts)
    for i, (month, group) in enumerate(made.months):
        beside = repr([(m.label, m.count) for m in made.archives[max(0, i - 1) : i + 2]])
        yield ListingUnit(f"timeline:{month:%Y-%m}", tuple(group), partial(timeline_month_page, ctx, made, i), beside)


def digest_units(ctx: RenderContext) -> Iterator[ListingUnit]:
    """The weekly digests' pages and feed, by unit: each week's page (made from the week's
    articles and those of the weeks either side, whose headlines it links), each year's page of
    weeks, the index and the feed. An edit makes the few whose articles it changed."""
    changes = ctx.changes
    windows = changes.weeks
    inputs = [changes.inputs(w) for w in windows]

    def around(positions: Iterable[int]) -> tuple[Article, ...]:
        # Each once, by file: hashing an Article hashes everything in it.
        return tuple({a.path: a for i in positions if 0 <= i < len(windows) for a in inputs[i]}.values())

    def weeks(positions: Iterable[int]) -> str:  # the weeks a unit shows, part of its key
        return repr([windows[i].week for i in positions if 0 <= i < len(windows)])

    for i, window in enumerate(windows):  # a week's page links the weeks either side
        beside = (i - 1, i, i + 1)
        yield ListingUnit(f"digest:{window.week}", around(beside), partial(_one, week_page, ctx, i), weeks(beside))
    years = digest_years(ctx)
    counts = repr([(link.label, link.count) for link, _ in years])
    shown = range(min(len(windows), ctx.settings.archive_after))
    make = partial(_one, digests_index_page, ctx)
    yield ListingUnit("digests:index", around(shown), make, counts + weeks(shown))
    for n, (link, positions) in enumerate(years):
        make = partial(_one, digests_year_page, ctx, n)
        yield ListingUnit(f"digests:{link.label}", around(positions), make, counts + weeks(positions))

    def feed() -> list[tuple[str, str]]:
        views = week_views(ctx, FEED_WEEKS)
        return [(DIGEST_FEED.atom, digest_feed([ctx.week(i) for i in range(len(views))], views, ctx.settings))]

    # Its newest weeks, whose views link the week after the last.
    shown = range(FEED_WEEKS + 1)
    yield ListingUnit(f"feed:{DIGEST_FEED.atom}", around(shown), feed, weeks(shown))


def _one(make: Callable[..., tuple[str, str]], *args: object) -> list[tuple[str, str]]:
    return [make(*args)]


def sources_of(edition: Edition) -> dict[str, str]:
    """Generated article page -> the content file it came from (for error messages)."""
    return {f"articles/{a.slug}.md": a.path for a in edition.articles}


def navigation(edition: Edition) -> list[Any]:
    """Home, Topics, Stories, Digests, Timeline, Articles (the index), People, Sources. Stories,
    articles, weeks and archives are never listed: Material copies the navigation into every
    page, so listing them makes the build quadratic."""
    return [
        {"Home": "index.md"},
        {"Topics": ["topics/index.md"] + [{esc(t.title): f"topics/{t.id}.md"} for t in edition.topics]},
        {"Stories": "stories/index.md"},
        {"Digests": "digests/index.md"},
        {"Timeline": "timeline.md"},
        {"Articles": "articles/index.md"},
        {"People": "people/index.md"},
        {"Sources": "sources.md"},
    ]
