"""The sources page: the outlets of content/outlets.yml by country, each with its type,
the registry's note and its articles (the sources no entry matches, our own desk
notes among them, after them), and each topic's coverage over time: its articles
per month by the side of their outlet (``model.outlet_side``)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from briefings.content.model import OUTLET_TYPES, Article
from briefings.content.outlets import DESK_SOURCE
from briefings.pages.context import RenderContext
from briefings.pages.frontmatter import page
from briefings.pages.text import esc, month_label
from briefings.pages.views import CountryGroup, CoverageMonth, FrontMatter, SourceSummary, SourcesView, TopicCoverage

SOURCE_HEADLINES = 10
UNLISTED = "Not in the outlets registry"


def summary(ctx: RenderContext, name: str, kind: str, note: str, articles: list[Article]) -> SourceSummary:
    return SourceSummary(
        name=name,
        type=kind,
        note=note,
        count=len(articles),
        articles=tuple(ctx.headline(a) for a in articles[:SOURCE_HEADLINES]),
    )


def country_groups(ctx: RenderContext) -> tuple[CountryGroup, ...]:
    """The registry's outlets by country (most articles first, then by name), each country's
    by type (in OUTLET_TYPES' order), then by articles and name; the other sources last."""
    by_outlet: dict[str, list[Article]] = defaultdict(list)
    unlisted: dict[str, list[Article]] = defaultdict(list)
    for article in ctx.edition.articles:  # newest first
        if article.outlet is not None:
            by_outlet[article.outlet.id].append(article)
        else:
            unlisted[article.source].append(article)
    countries: dict[str, list[SourceSummary]] = defaultdict(list)
    rank = {kind: i for i, kind in enumerate(OUTLET_TYPES)}
    for outlet in sorted(ctx.edition.outlets, key=lambda o: (rank.get(o.type, len(rank)), o.name.casefold())):
        countries[outlet.country].append(summary(ctx, outlet.name, outlet.type, outlet.note, by_outlet[outlet.id]))
    ordered = sorted(countries.items(), key=lambda kv: (-sum(s.count for s in kv[1]), kv[0].casefold()))
    groups = [
        CountryGroup(
            label=country,
            id=f"country-{i}",
            count=sum(s.count for s in items),
            sources=tuple(sorted(items, key=lambda s: (rank.get(s.type, len(rank)), -s.count, s.name.casefold()))),
        )
        for i, (country, items) in enumerate(ordered, start=1)
    ]
    if unlisted:
        others = tuple(
            summary(ctx, name, "our own notes" if name == DESK_SOURCE else "", "", items)
            for name, items in sorted(unlisted.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold(), kv[0]))
        )
        groups.append(CountryGroup(label=UNLISTED, id="unlisted", count=sum(s.count for s in others), sources=others))
    return tuple(groups)


def topic_coverage(ctx: RenderContext) -> tuple[TopicCoverage, ...]:
    """Each topic's articles from registered outlets, by month (oldest first) and side."""
    found = []
    for briefing in ctx.edition.briefings:
        months: dict[tuple[int, int], Counter[str]] = defaultdict(Counter)
        for article in briefing.articles:
            if article.outlet is not None:
                months[(article.date.year, article.date.month)][article.outlet.side] += 1
        if not months:
            continue
        rows = tuple(
            CoverageMonth(
                label=month_label(dt.date(y, m, 1)),
                us=count["us"],
                prc=count["prc"],
                taiwan=count["taiwan"],
                other=count["other"],
            )
            for (y, m), count in sorted(months.items())
        )
        topic = briefing.topic
        found.append(TopicCoverage(title=topic.title, url=topic.url, id=f"coverage-{topic.id}", months=rows))
    return tuple(found)


def sources_page(ctx: RenderContext) -> str:
    view = SourcesView(groups=country_groups(ctx), coverage=topic_coverage(ctx))
    front = FrontMatter(
        title="Sources",
        description=esc("The outlets behind the briefings by country and type, and each topic's coverage over time."),
        template="sources.html",
        briefing=view,
    )
    return page(front, "")
