"""Story pages: one event with every outlet's version of it, how the sources spread
over countries and outlet types, the quotes by side, and the sides the story's
topics expect but no source speaks for (blindspots). Then the stories index,
newest first, with month archives and year pages once it outgrows one page
(``archives.py``), so that every prefix of ``stories/<yyyy>/<mm>/`` is a page."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable

from briefings.content.model import OUTLET_TYPES, SIDES, Article, Side, Story
from briefings.pages.archives import (
    all_months,
    archive_page,
    archive_years,
    month_url,
    newest_and_months,
    page_file,
    year_pages,
)
from briefings.pages.context import RenderContext, correction_notes, feed_link
from briefings.pages.frontmatter import page
from briefings.pages.group import by_month, source_key
from briefings.pages.text import day, description, esc, month_label
from briefings.pages.viewparts import (
    Entry,
    MonthGroup,
    PageLink,
    QuoteCard,
    SideQuotes,
    SourceLink,
    StoryItem,
    StoryVersion,
    Tally,
)
from briefings.pages.views import FrontMatter, StoriesIndexView, StoryView

STORIES = PageLink(title="Stories", url="stories/")
SAYS: dict[Side, str] = {
    "us": "Washington says",
    "prc": "Beijing says",
    "taiwan": "Taipei says",
    "other": "Others say",
}
# What a story lacks when no source speaks for a side its topics expect (outlet sides: model.outlet_side).
BLINDSPOT: dict[Side, str] = {
    "us": "No US source in this archive for this story.",
    "prc": "No PRC official or state media source in this archive for this story.",
    "taiwan": "No Taiwanese source in this archive for this story.",
}
UNREGISTERED = "not in the outlets registry"


def span(start: dt.date, end: dt.date) -> str:
    """A story's dates as readers see them: "2–5 August 2022", "30 July – 2 August 2022"."""
    if start == end:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{day(end)}"
    if start.year == end.year:
        return f"{day(start).rsplit(' ', 1)[0]} – {day(end)}"
    return f"{day(start)} – {day(end)}"


def story_topics(story: Story) -> tuple[str, ...]:
    """The topic ids of a story's articles, each once, in the order first named."""
    return tuple(dict.fromkeys(t for a in story.articles for t in a.topics))


def tallies(counts: Counter[str], order: Iterable[str] = ()) -> tuple[Tally, ...]:
    """Counts as a strip: most first (ties in ``order``, then by name); each with its share in percent."""
    total = sum(counts.values()) or 1
    rank = {label: i for i, label in enumerate(order)}
    items = sorted(counts.items(), key=lambda kv: (-kv[1], rank.get(kv[0], len(rank)), kv[0].casefold()))
    return tuple(Tally(label=label, count=n, share=round(100 * n / total)) for label, n in items)


def publishers(articles: Iterable[Article]) -> dict[str, Article]:
    """Each source of these articles once (by ``group.source_key``), with its first article; no desk notes."""
    found: dict[str, Article] = {}
    for article in articles:
        key = source_key(article)
        if key:
            found.setdefault(key, article)
    return found


def story_view(ctx: RenderContext, story: Story) -> StoryView:
    articles = story.articles
    first, last = articles[0].date, max(a.date for a in articles)
    sources = publishers(articles).values()
    by_country = Counter(a.outlet.country if a.outlet else UNREGISTERED for a in sources)
    by_type = Counter(a.outlet.type if a.outlet else UNREGISTERED for a in sources)
    cards: dict[Side, list[QuoteCard]] = {side: [] for side in SIDES}
    for article in articles:
        for quote in article.quotes:
            if ctx.is_card(quote):  # fragments stay in their article's text
                person = ctx.index.speaker(quote.speakers[0])
                cards[(person.side if person else None) or "other"].append(ctx.quote_card(quote, article))
    topics = story_topics(story)
    expected = {side for t in topics for side in ctx.topics[t].expected_sides}
    present = {a.outlet.side for a in articles if a.outlet}
    corrected = max((c.date for a in articles for c in a.corrections), default=None)
    return StoryView(
        feeds=(feed_link(story.title, story.url, f"story-{story.id}"),),
        dates=span(first, last),
        datetime=first.isoformat(),
        sources=ctx.sources[story.id],
        countries=len({a.outlet.country for a in sources if a.outlet}),
        by_country=tallies(by_country),
        by_type=tallies(by_type, OUTLET_TYPES),
        topics=ctx.chips(t for t in ctx.topics if t in topics),
        versions=tuple(StoryVersion(**vars(ctx.version(a)), corrections=correction_notes(a)) for a in articles),
        quotes=tuple(
            SideQuotes(side=side, heading=SAYS[side], quotes=tuple(cards[side])) for side in SIDES if cards[side]
        ),
        blindspots=tuple(BLINDSPOT[side] for side in SIDES if side in expected and side not in present),
        corrected=day(corrected) if corrected else None,
        corrected_datetime=corrected.isoformat() if corrected else None,
        corrected_versions=sum(1 for a in articles if a.corrections),
    )


def story_page(ctx: RenderContext, story: Story) -> str:
    front = FrontMatter(
        title=esc(story.title),
        description=description(story.summary),
        template="story.html",
        briefing=story_view(ctx, story),
    )
    # The body is what search finds: our summary and why it matters (the page's header,
    # sources and quotes are drawn by story.html from the view).
    body = f'<p class="bf-summary">{esc(story.summary)}</p>\n'
    if story.why_it_matters:
        body += f'\n## Why it matters\n\n<p class="bf-why">{esc(story.why_it_matters)}</p>\n'
    return page(front, body)


def sources_line(sources: int, countries: int) -> str:
    """How widely a story was reported: "5 sources from 4 countries"."""
    return f"{sources} source{'s' if sources != 1 else ''} from {countries} countr{'ies' if countries != 1 else 'y'}"


def story_entry(ctx: RenderContext, story: Story) -> Entry:
    """A story in the stories index: our title, its dates, its sources and topics."""
    articles = story.articles
    first, last = articles[0].date, max(a.date for a in articles)
    n = ctx.sources[story.id]
    countries = countries_of(articles)
    return Entry(
        title=story.title,
        url=story.url,
        date=span(first, last),
        datetime=first.isoformat(),
        source=sources_line(n, countries),
        authors=(),
        summary=story.summary,
        draft=all(ctx.draft(a) for a in articles),
        topics=ctx.chips(t for t in ctx.topics if t in story_topics(story)),
        story=story.url,
        sources=n,
    )


def countries_of(articles: Iterable[Article]) -> int:
    """How many countries a story's sources are from, as outlets.yml writes them."""
    return len({a.outlet.country for a in publishers(articles).values() if a.outlet})


def topic_story(ctx: RenderContext, article: Article, *, context: str | None = None) -> StoryItem:
    """What a topic page lists for an article: its story, once (our headline, dates, notes and
    every outlet's version), or the article itself as a story of one. ``context``: the topic."""
    story = ctx.story_of.get(article.slug)
    articles = story.articles if story else (article,)
    first, last = articles[0].date, max(a.date for a in articles)
    return StoryItem(
        id=f"story-{story.id}" if story else f"article-{article.slug}",
        title=story.title if story else article.title,
        url=story.url if story else article.page_url,
        date=span(first, last),
        datetime=first.isoformat(),
        summary=story.summary if story else article.summary,
        why_it_matters=(story.why_it_matters if story else "") or article.why_it_matters,
        draft=all(ctx.draft(a) for a in articles),
        sources=ctx.sources[story.id] if story else int(bool(source_key(article))),
        countries=countries_of(articles),
        outlets=tuple(
            SourceLink(name=a.outlet.name if a.outlet else a.source, url=a.page_url)
            for a in publishers(articles).values()
        ),
        topics=ctx.chips((t for t in ctx.topics if t in {t for a in articles for t in a.topics}), skip=context),
    )


def story_pages(ctx: RenderContext) -> dict[str, str]:
    """Every story's page, the stories index, and its month archives and year pages."""
    stories = ctx.edition.stories
    files = {page_file(s.url): story_page(ctx, s) for s in stories}
    of_lead = {s.articles[0].slug: s for s in stories}  # each story by its first report, which dates it
    shown, months = newest_and_months(ctx, tuple(s.articles[0] for s in stories))
    years = archive_years(STORIES.url, [(m, len(group)) for m, group in months])
    view = StoriesIndexView(
        count=len(stories),
        shown=len(shown),
        months=tuple(
            MonthGroup(
                label=month_label(m), id=f"{m:%Y-%m}", entries=tuple(story_entry(ctx, of_lead[a.slug]) for a in group)
            )
            for m, group in by_month(shown)
        ),
        years=years,
    )
    front = FrontMatter(
        title="Stories",
        description=esc("Each event once, with every outlet that covered it, newest first."),
        template="stories.html",
        briefing=view,
    )
    files["stories/index.md"] = page(front, "")
    archives = all_months(years)
    for i, (month, group) in enumerate(months):
        files[page_file(month_url(STORIES.url, month))] = archive_page(
            ctx,
            f"Stories: {month_label(month)}",
            STORIES,
            group,
            archives,
            i,
            month=month,
            entries=tuple(story_entry(ctx, of_lead[a.slug]) for a in group),
        )
    files.update(year_pages(STORIES.title, STORIES, years))
    return files
