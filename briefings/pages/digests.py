"""The weekly digests on the site: one page per ISO week with something in it
(``digests/2024-W21/``: new stories, stories that gained sources, quotes by person,
states of play rewritten, corrections, updated articles), the index of the weeks,
newest first (``digests/``, with a page per year once they outgrow it), and the line the
home and topic pages show for the latest week. What changed is worked out by
``briefings.digest.changes`` (``RenderContext.week``: each week's digest, made once).
Each page is made on its own (``render.digest_units``), so an edit makes the pages of
the weeks it changed, not every week's.

The latest week is the week of the newest dated thing published, not the build's day,
so the same content always makes the same pages.
"""

from __future__ import annotations

from itertools import groupby

from briefings.digest.changes import Digest, StoryChange
from briefings.pages.archives import page_file
from briefings.pages.context import RenderContext
from briefings.pages.digestviews import (
    DigestLine,
    DigestNote,
    DigestPerson,
    DigestQuote,
    DigestStory,
    DigestsView,
    DigestWeekView,
    WeekLink,
)
from briefings.pages.frontmatter import page
from briefings.pages.stories import sources_line
from briefings.pages.text import day, esc
from briefings.pages.viewparts import ArchiveLink, FeedLink, PageLink
from briefings.pages.views import FrontMatter

DIGESTS = PageLink(title="Digests", url="digests/")
DIGEST_FEED = FeedLink(title="Weekly digest", atom="feeds/digests.xml", json=None)


def week_url(d: Digest) -> str:
    return f"{DIGESTS.url}{d.window.week}/"


def week_link(d: Digest) -> WeekLink:
    return WeekLink(
        label=d.window.label,
        week=d.window.week,
        url=week_url(d),
        datetime=d.window.since.isoformat(),
        headline=d.headline,
    )


def latest_line(ctx: RenderContext) -> DigestLine | None:
    """The home page's line: the latest week with something in it, and its counts."""
    latest = ctx.latest_week
    if latest is None:
        return None
    return DigestLine(label=latest.window.label, url=week_url(latest), headline=latest.headline)


def topic_line(ctx: RenderContext, topic_id: str) -> DigestLine | None:
    """A topic page's line: what the latest week has for the topic; None when nothing."""
    latest = ctx.latest_week
    if latest is None:
        return None
    about = latest.about(topic_id)
    if about.is_empty:
        return None
    return DigestLine(label=latest.window.label, url=week_url(latest), headline=about.headline)


def story(ctx: RenderContext, change: StoryChange) -> DigestStory:
    before, now = change.sources_before, change.sources_now
    return DigestStory(
        title=change.title,
        url=change.url,
        summary=change.summary,
        sources=now,
        before=before,
        countries=change.countries,
        reach=f"{before} → {now} sources" if before else sources_line(now, change.countries) if now else "our own note",
        reports=len(change.articles),
        topics=ctx.chips(t for t in ctx.topics if t in change.topics),
    )


def week_view(ctx: RenderContext, d: Digest, newer: Digest | None, older: Digest | None) -> DigestWeekView:
    return DigestWeekView(
        week=d.window.week,
        label=d.window.label,
        headline=d.headline,
        datetime=d.window.since.isoformat(),
        new_stories=tuple(story(ctx, c) for c in d.new_stories),
        gained=tuple(story(ctx, c) for c in d.gained),
        quotes=tuple(
            DigestPerson(
                name=p.name,
                url=p.url or None,
                quotes=tuple(
                    DigestQuote(
                        text=q.text,
                        source=a.outlet.name if a.outlet else a.source,
                        url=a.page_url,
                        title=a.title,
                        date=day(a.date),
                        datetime=a.date.isoformat(),
                    )
                    for q, a in p.quotes
                ),
            )
            for p in d.quotes
        ),
        quote_count=d.quote_count,
        states=tuple(
            DigestNote(
                title=t.title, url=t.url, date=day(t.updated), datetime=t.updated.isoformat(), text=t.state_of_play
            )
            for t in d.states
            if t.updated is not None
        ),
        corrections=tuple(
            DigestNote(
                title=n.article.title,
                url=n.article.page_url,
                date=day(n.correction.date),
                datetime=n.correction.date.isoformat(),
                text=n.correction.text,
            )
            for n in d.corrections
        ),
        updated=tuple(
            DigestNote(
                title=a.title,
                url=a.page_url,
                date=day(a.updated.date()),
                datetime=a.updated.date().isoformat(),
                text="",
            )
            for a in d.updated
            if a.updated is not None
        ),
        newer=week_link(newer) if newer else None,
        older=week_link(older) if older else None,
        feeds=(DIGEST_FEED,),
    )


def week_views(ctx: RenderContext, count: int | None = None) -> list[DigestWeekView]:
    """The newest ``count`` weeks' views (every week's by default), newest first."""
    total = len(ctx.changes.weeks)
    return [week_view_at(ctx, i) for i in range(total if count is None else min(count, total))]


def week_view_at(ctx: RenderContext, i: int) -> DigestWeekView:
    """The view of the ``i``-th week, newest first, with links to the weeks either side."""
    newer = ctx.week(i - 1) if i > 0 else None
    older = ctx.week(i + 1) if i + 1 < len(ctx.changes.weeks) else None
    return week_view(ctx, ctx.week(i), newer, older)


def week_page(ctx: RenderContext, i: int) -> tuple[str, str]:
    """The page of the ``i``-th week, newest first."""
    view = week_view_at(ctx, i)
    front = FrontMatter(
        title=esc(f"Digest: {view.label}"),
        description=esc(f"What changed in the week of {view.label}: {view.headline}."),
        template="digest.html",
        briefing=view,
    )
    return page_file(f"{DIGESTS.url}{view.week}/"), page(front, "")


def digest_years(ctx: RenderContext) -> list[tuple[ArchiveLink, range]]:
    """The weeks by ISO year, newest first: each year's link and its weeks' positions; none
    while the index lists every week (no more than ``archive_after``)."""
    windows = ctx.changes.weeks
    if len(windows) <= ctx.settings.archive_after:
        return []
    years = []
    for year, group in groupby(range(len(windows)), key=lambda i: windows[i].week[:4]):
        positions = list(group)
        link = ArchiveLink(label=year, url=f"{DIGESTS.url}{year}/", count=len(positions))
        years.append((link, range(positions[0], positions[-1] + 1)))
    return years


def digests_index_page(ctx: RenderContext) -> tuple[str, str]:
    """The index of the weeks: the newest ``archive_after``, then a link to each year's page."""
    total = len(ctx.changes.weeks)
    shown = min(total, ctx.settings.archive_after)
    index = DigestsView(
        parent=None,
        count=shown,
        total=total,
        weeks=tuple(week_link(ctx.week(i)) for i in range(shown)),
        years=tuple(link for link, _ in digest_years(ctx)),
        newer=None,
        older=None,
        feed=DIGEST_FEED,
        feeds=(DIGEST_FEED,),
    )
    lede = "What changed each week: new stories, stories that gained sources, quotes, corrections."
    front = FrontMatter(title="Digests", description=esc(lede), template="digests.html", briefing=index)
    return f"{DIGESTS.url}index.md", page(front, "")


def digests_year_page(ctx: RenderContext, n: int) -> tuple[str, str]:
    """The page of the ``n``-th year of weeks, newest first (``digest_years``)."""
    years = digest_years(ctx)
    link, positions = years[n]
    year = DigestsView(
        parent=DIGESTS,
        count=link.count,
        total=len(ctx.changes.weeks),
        weeks=tuple(week_link(ctx.week(i)) for i in positions),
        years=(),
        newer=years[n - 1][0] if n > 0 else None,
        older=years[n + 1][0] if n + 1 < len(years) else None,
        feed=DIGEST_FEED,
        feeds=(DIGEST_FEED,),
    )
    front = FrontMatter(title=esc(f"Digests: {link.label}"), template="digests.html", briefing=year)
    return page_file(link.url), page(front, "")
