"""The home page, today's briefing: when it was last updated, the top story (the newest,
with its summary, why it matters and its sources), then each topic's state of play and
its latest stories. An article in no story counts as a story of its own."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

from briefings.content.model import Article
from briefings.pages.context import RenderContext
from briefings.pages.digests import latest_line
from briefings.pages.frontmatter import page
from briefings.pages.stories import publishers, sources_line, span
from briefings.pages.text import day
from briefings.pages.viewparts import StoryLine, TopicState, TopStory
from briefings.pages.views import FrontMatter, HomeView

STORIES_PER_TOPIC = 3


def home_page(ctx: RenderContext) -> str:
    edition = ctx.edition
    # As the footer's date (pipeline.content_epoch), in UTC: articles and their updates, and states of play.
    stamps = [s for a in edition.articles if not ctx.draft(a) for s in (a.published, a.updated) if s]
    dates = [s.astimezone(dt.UTC).date() for s in stamps] + [t.updated for t in edition.topics if t.updated]
    updated = max(dates) if dates else None
    items = ctx.collapse(edition.articles)
    view = HomeView(
        updated=day(updated) if updated else None,
        updated_datetime=updated.isoformat() if updated else None,
        top=top_story(ctx, items[0]) if items else None,
        topics=tuple(
            TopicState(
                id=b.topic.id,
                title=b.topic.title,
                url=b.topic.url,
                state_of_play=b.topic.state_of_play or b.topic.description,
                updated=day(b.topic.updated) if b.topic.updated else None,
                updated_datetime=b.topic.updated.isoformat() if b.topic.updated else None,
                count=len(b.articles),
                stories=tuple(story_line(ctx, a) for a in ctx.collapse(b.articles)[:STORIES_PER_TOPIC]),
            )
            for b in edition.briefings
        ),
        digest=latest_line(ctx),
    )
    return page(FrontMatter(title="Home", template="home.html", briefing=view), "")


def story_line(ctx: RenderContext, article: Article) -> StoryLine:
    """The story ``article`` stands for in a listing (``RenderContext.collapse``), or the article itself."""
    story = ctx.story_of.get(article.slug)
    if story is None:
        return StoryLine(
            title=article.title,
            url=article.page_url,
            date=day(article.date),
            datetime=article.date.isoformat(),
            newest=article.date.isoformat(),
            sources=0,
            source=article.source,
            draft=ctx.draft(article),
        )
    first, last = story.articles[0].date, max(a.date for a in story.articles)
    return StoryLine(
        title=story.title,
        url=story.url,
        date=span(first, last),
        datetime=first.isoformat(),
        newest=last.isoformat(),
        sources=ctx.sources[story.id],
        source="",
        draft=all(ctx.draft(a) for a in story.articles),
    )


def top_story(ctx: RenderContext, article: Article) -> TopStory:
    line = story_line(ctx, article)
    story = ctx.story_of.get(article.slug)
    articles = story.articles if story else (article,)
    countries = len({a.outlet.country for a in publishers(articles).values() if a.outlet})
    return TopStory(
        **{f.name: getattr(line, f.name) for f in fields(line)},
        summary=story.summary if story else article.summary,
        why_it_matters=story.why_it_matters if story else article.why_it_matters,
        countries=countries,
        reach=sources_line(line.sources, countries) if story else "",
    )
