"""The listing pages (home is ``home.py``): topics, timeline, the articles index, sources
and people (with the month archives and year pages of the long ones,
``archives.py``). Each function makes its page's view and writes it as front
matter (``frontmatter.page``); the templates in theme/ draw the listings."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from briefings.content.model import Article, PersonFile, TopicBriefing
from briefings.pages.archives import (
    all_months,
    archive_page,
    archive_years,
    month_url,
    newest_and_months,
    page_file,
    year_pages,
)
from briefings.pages.context import RenderContext, feed_link
from briefings.pages.digests import topic_line
from briefings.pages.frontmatter import page
from briefings.pages.group import by_month
from briefings.pages.stories import topic_story
from briefings.pages.text import day, description, esc, month_label
from briefings.pages.viewparts import (
    ArchiveLink,
    Headline,
    KeyDate,
    MonthGroup,
    PageLink,
    QuoteCard,
    TopicCard,
    YearGroup,
)
from briefings.pages.views import (
    ArticlesIndexView,
    FrontMatter,
    PeopleIndexView,
    PersonSummary,
    PersonView,
    TimelineView,
    TopicRef,
    TopicsIndexView,
    TopicView,
)

TIMELINE = PageLink(title="Timeline", url="timeline/")
HEADLINES_PER_CARD = 3


def topics_index_page(ctx: RenderContext) -> str:
    view = TopicsIndexView(topics=topic_cards(ctx))
    return page(FrontMatter(title="Topics", template="topics.html", briefing=view), "")


def topic_cards(ctx: RenderContext) -> tuple[TopicCard, ...]:
    return tuple(
        TopicCard(
            title=b.topic.title,
            url=b.topic.url,
            description=b.topic.description,
            count=len(b.articles),
            latest=day(b.articles[0].date) if b.articles else None,
            headlines=headlines(ctx, ctx.collapse(b.articles)[:HEADLINES_PER_CARD]),
            feed=ctx.topic_feed[b.topic.id],
        )
        for b in ctx.edition.briefings
    )


def topic_pages(ctx: RenderContext, briefing: TopicBriefing) -> dict[str, str]:
    """The topic's briefing page, plus month archives once it outgrows one page. Each story is
    listed once (an article in none is a story of one), by its first report in the topic."""
    topic = briefing.topic
    items = ctx.collapse(briefing.articles)
    shown, months = newest_and_months(ctx, items)
    years = archive_years(topic.url, [(m, len(group)) for m, group in months])
    archives = all_months(years)
    feed = ctx.topic_feed[topic.id]
    stories = tuple(topic_story(ctx, a, context=topic.id) for a in shown)
    view = TopicView(
        topic=TopicRef(id=topic.id, title=topic.title),
        state_of_play=topic.state_of_play,
        updated=day(topic.updated) if topic.updated else None,
        updated_datetime=topic.updated.isoformat() if topic.updated else None,
        count=len(briefing.articles),
        story_count=len(items),
        shown=len(shown),
        latest=day(briefing.articles[0].date) if items else None,
        feed=feed,
        feeds=(feed,),
        key_dates=tuple(
            KeyDate(date=day(dt.date.fromisoformat(s.datetime)), datetime=s.datetime, title=s.title, anchor=s.id)
            for s in reversed(stories)
        ),
        stories=stories,
        quotes=tuple(
            islice(
                (ctx.quote_card(q, a) for a in briefing.articles for q in a.quotes if ctx.is_card(q)),
                ctx.settings.quotes,
            )
        ),
        archives=archives,
        digest=topic_line(ctx, topic.id),
    )
    front = FrontMatter(
        title=esc(topic.title),
        description=description(topic.description),
        template="topic.html",
        briefing=view,
    )
    # The state of play says more than the description, which stays in the page's meta description.
    lede = topic.description and not topic.state_of_play
    body = f'<p class="bf-lede">{esc(topic.description)}</p>\n' if lede else ""
    files = {page_file(topic.url): page(front, body)}
    parent = PageLink(title=topic.title, url=topic.url)
    for i, (month, group) in enumerate(months):
        files[page_file(month_url(topic.url, month))] = archive_page(
            ctx,
            f"{topic.title}: {month_label(month)}",
            parent,
            group,
            archives,
            i,
            month=month,
            feeds=(feed,),
            stories=tuple(topic_story(ctx, a, context=topic.id) for a in group),
        )
    files.update(year_pages(topic.title, parent, years))
    return files


@dataclass(frozen=True)
class Timeline:
    """What the timeline's pages are made from: the articles it shows itself, and the month
    archives of all of them (none while they fit on the page), by year and newest first."""

    shown: tuple[Article, ...]
    months: list[tuple[dt.date, list[Article]]]
    years: tuple[YearGroup, ...]
    archives: tuple[ArchiveLink, ...]


def timeline(ctx: RenderContext) -> Timeline:
    shown, months = newest_and_months(ctx, ctx.edition.articles)
    years = archive_years(TIMELINE.url, [(m, len(group)) for m, group in months])
    return Timeline(shown, months, years, all_months(years))


def timeline_front_pages(ctx: RenderContext, made: Timeline) -> dict[str, str]:
    """The timeline's own page and the year pages of its archives."""
    items = ctx.edition.articles
    view = TimelineView(
        count=len(items), shown=len(made.shown), months=month_groups(ctx, made.shown), archives=made.archives
    )
    front = FrontMatter(
        title="Timeline",
        description=esc("Every article, newest first, across all topics."),
        template="timeline.html",
        briefing=view,
    )
    files = {page_file(TIMELINE.url): page(front, "")}
    files.update(year_pages(TIMELINE.title, TIMELINE, made.years))
    return files


def timeline_month_page(ctx: RenderContext, made: Timeline, i: int) -> dict[str, str]:
    """The archive of the timeline's ``i``-th month, newest first."""
    month, group = made.months[i]
    text = archive_page(ctx, f"Timeline: {month_label(month)}", TIMELINE, group, made.archives, i, month=month)
    return {page_file(month_url(TIMELINE.url, month)): text}


def articles_index_page(ctx: RenderContext) -> str:
    """/articles/, the prefix of every article's URL: the newest articles, then every
    month of the archive by year. Its archives are the timeline's (the same articles,
    newest first): the articles/ folder holds only article slugs, which may be a year."""
    items = ctx.edition.articles
    shown, months = newest_and_months(ctx, items)
    view = ArticlesIndexView(
        count=len(items),
        shown=len(shown),
        months=month_groups(ctx, shown),
        years=archive_years(TIMELINE.url, [(m, len(group)) for m, group in months]),
    )
    front = FrontMatter(
        title="Articles",
        description=esc("Every article, newest first, with the whole archive by year and month."),
        template="articles.html",
        briefing=view,
    )
    return page(front, "")


def people_index_page(ctx: RenderContext) -> str:
    view = PeopleIndexView(
        people=tuple(
            PersonSummary(
                name=f.person.name,
                url=f.person.url,
                description=f.person.description,
                articles=len(f.articles),
                quotes=len(f.quotes),
                latest=day(f.articles[0].date) if f.articles else None,
            )
            for f in ctx.edition.people
        )
    )
    front = FrontMatter(
        title="People",
        description=esc("The people in the briefings, with their articles and quotes."),
        template="people.html",
        briefing=view,
    )
    return page(front, "")


def person_pages(ctx: RenderContext, person_file: PersonFile) -> dict[str, str]:
    """The person's page, plus month archives once their articles or quotes
    outgrow one page (as for topics): the page shows the newest of each."""
    person = person_file.person
    feed = feed_link(person.name, person.url, f"person-{person.slug}")
    limit = ctx.settings.archive_after
    # Their quotes as cards: full clauses only (fragments stay in their articles' text).
    articles, quotes = person_file.articles, tuple((q, a) for q, a in person_file.quotes if ctx.is_card(q))
    archived = len(articles) > limit or len(quotes) > limit
    # month -> (articles naming them, cards of their quotes) from that month
    per_month: dict[dt.date, tuple[list[Article], list[QuoteCard]]] = {}
    for a in articles:
        per_month.setdefault(a.date.replace(day=1), ([], []))[0].append(a)
    for q, a in quotes:
        per_month.setdefault(a.date.replace(day=1), ([], []))[1].append(ctx.quote_card(q, a))
    months = sorted(per_month.items(), reverse=True) if archived else []
    years = archive_years(person.url, [(m, len(named)) for m, (named, _) in months])
    archives = all_months(years)
    quotes_by_year: dict[str, int] = {}
    for m, (_, cards) in months:
        quotes_by_year[str(m.year)] = quotes_by_year.get(str(m.year), 0) + len(cards)
    shown = articles[:limit] if archived else articles
    view = PersonView(
        name=person.name,
        description=person.description,
        aliases=person.aliases,
        count=len(articles),
        shown=len(shown),
        quote_count=len(quotes),
        feed=feed,
        feeds=(feed,),
        entries=tuple(ctx.entry(a) for a in shown),
        quotes=tuple(ctx.quote_card(q, a) for q, a in quotes[:limit]),
        archives=archives,
    )
    about = person.description or f"Articles about {person.name}, and their quotes."
    front = FrontMatter(title=esc(person.name), description=description(about), template="person.html", briefing=view)
    body = f'<p class="bf-lede">{esc(person.description)}</p>\n' if person.description else ""
    files = {page_file(person.url): page(front, body)}
    parent = PageLink(title=person.name, url=person.url)
    for i, (month, (named, cards)) in enumerate(months):
        files[page_file(month_url(person.url, month))] = archive_page(
            ctx,
            f"{person.name}: {month_label(month)}",
            parent,
            named,
            archives,
            i,
            month=month,
            feeds=(feed,),
            quotes=tuple(cards),
        )
    files.update(year_pages(person.name, parent, years, quotes=quotes_by_year))
    return files


# --- pieces ------------------------------------------------------------------


def month_groups(ctx: RenderContext, articles: Iterable[Article]) -> tuple[MonthGroup, ...]:
    return tuple(
        MonthGroup(
            label=month_label(m),
            id=f"{m:%Y-%m}",
            entries=tuple(ctx.entry(a) for a in group),
        )
        for m, group in by_month(tuple(articles))
    )


def headlines(ctx: RenderContext, articles: Iterable[Article]) -> tuple[Headline, ...]:
    return tuple(ctx.headline(a) for a in articles)
