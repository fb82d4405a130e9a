"""Month archives of the long listings (a topic, the timeline, a person) and the
year pages above them.

A listing at ``<base>`` (``topics/taiwan/``, ``timeline/``, ``people/<slug>/``)
with more than ``archive_after`` articles keeps the newest and links one page
per month, ``<base><yyyy>/<mm>/``. Each year of those months gets a short page
too, ``<base><yyyy>/``, so that every prefix of an archive's URL is a page: a
reader who trims ``/topics/taiwan/2024/11/`` lands on 2024, then on the topic.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from itertools import groupby

from briefings.content.model import Article
from briefings.pages.context import RenderContext
from briefings.pages.frontmatter import page
from briefings.pages.group import by_month
from briefings.pages.text import esc, month_label
from briefings.pages.viewparts import ArchiveLink, Entry, FeedLink, PageLink, QuoteCard, StoryItem, YearGroup
from briefings.pages.views import ArchiveView, FrontMatter, YearView


def month_url(base: str, month: dt.date) -> str:
    return f"{base}{month:%Y/%m}/"


def year_url(base: str, year: int) -> str:
    return f"{base}{year}/"


def page_file(url: str) -> str:
    """The generated Markdown file of a site-root-relative directory URL: "timeline/2024/" -> "timeline/2024.md"."""
    return f"{url.removesuffix('/')}.md"


def archive_years(base: str, months: Sequence[tuple[dt.date, int]]) -> tuple[YearGroup, ...]:
    """The month archives under ``base``, as (first day of the month, articles), newest first, by year."""
    years = []
    for year, group in groupby(months, key=lambda m: m[0].year):
        links = tuple(ArchiveLink(label=month_label(m), url=month_url(base, m), count=n) for m, n in group)
        years.append(
            YearGroup(label=str(year), url=year_url(base, year), count=sum(m.count for m in links), months=links)
        )
    return tuple(years)


def newest_and_months(
    ctx: RenderContext, items: tuple[Article, ...]
) -> tuple[tuple[Article, ...], list[tuple[dt.date, list[Article]]]]:
    """What a long listing shows itself (the newest ``archive_after``, or all), and
    its months for the archives: none while everything fits on the page."""
    limit = ctx.settings.archive_after
    if len(items) <= limit:
        return items, []
    return items[:limit], by_month(items)


def all_months(years: Sequence[YearGroup]) -> tuple[ArchiveLink, ...]:
    """Every month archive, newest first: what a listing's Archive section links."""
    return tuple(m for y in years for m in y.months)


def archive_page(
    ctx: RenderContext,
    title: str,
    parent: PageLink,
    articles: Sequence[Article],
    archives: tuple[ArchiveLink, ...],
    i: int,
    *,
    month: dt.date,
    feeds: tuple[FeedLink, ...] = (),
    quotes: tuple[QuoteCard, ...] = (),
    entries: tuple[Entry, ...] | None = None,
    stories: tuple[StoryItem, ...] = (),
) -> str:
    """Month ``i`` of ``archives`` (``month``): its articles (and a person's quotes), with
    links up to its year and ``parent``, the listing, and to the months around it.
    ``entries`` replaces the articles' own (the stories index lists stories); a topic's
    archives list ``stories`` instead, each once."""
    view = ArchiveView(
        parent=parent,
        year=PageLink(title=str(month.year), url=year_url(parent.url, month.year)),
        count=len(articles),
        entries=() if stories else entries if entries is not None else tuple(ctx.entry(a) for a in articles),
        newer=archives[i - 1] if i > 0 else None,
        older=archives[i + 1] if i + 1 < len(archives) else None,
        feeds=feeds,
        quotes=quotes,
        stories=stories,
    )
    return page(FrontMatter(title=esc(title), template="archive.html", briefing=view), "")


def year_pages(
    name: str,
    parent: PageLink,
    years: Sequence[YearGroup],
    *,
    quotes: Mapping[str, int] | None = None,
) -> dict[str, str]:
    """One short page per year of a listing's month archives: its months with their
    counts (and a person's quotes, by year label), and the years around it."""

    def link(y: YearGroup) -> ArchiveLink:
        return ArchiveLink(label=y.label, url=y.url, count=y.count)

    files = {}
    for i, year in enumerate(years):
        view = YearView(
            parent=parent,
            count=year.count,
            quotes=(quotes or {}).get(year.label, 0),
            months=year.months,
            newer=link(years[i - 1]) if i > 0 else None,
            older=link(years[i + 1]) if i + 1 < len(years) else None,
        )
        front = FrontMatter(title=esc(f"{name}: {year.label}"), template="year.html", briefing=view)
        files[page_file(year.url)] = page(front, "")
    return files
