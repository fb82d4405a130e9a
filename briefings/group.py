"""Choose what a build publishes and group it by topic and by source. Pure functions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from itertools import groupby

from briefings.model import Article, Content, Edition, SourceGroup, TopicBriefing


def is_published(article: Article, now: dt.datetime) -> bool:
    """Drafts and articles dated in the future wait until they are due."""
    return not article.draft and article.published <= now


def select(content: Content, *, drafts: bool, now: dt.datetime) -> tuple[Article, ...]:
    """The articles a build shows, newest first."""
    chosen = content.articles if drafts else [a for a in content.articles if is_published(a, now)]
    return tuple(sorted(chosen, key=Article.sort_key))


def group(content: Content, articles: tuple[Article, ...]) -> Edition:
    """Group the selected articles by topic (topics.yml order) and by source."""
    by_topic: dict[str, list[Article]] = defaultdict(list)
    by_source: dict[str, list[Article]] = defaultdict(list)
    for article in articles:  # already newest first
        for topic_id in article.topics:
            by_topic[topic_id].append(article)
        by_source[article.source].append(article)
    briefings = tuple(TopicBriefing(t, tuple(by_topic[t.id])) for t in content.topics)
    sources = tuple(
        SourceGroup(name, tuple(items))
        for name, items in sorted(by_source.items(), key=lambda kv: (-len(kv[1]), kv[0].casefold(), kv[0]))
    )
    return Edition(
        topics=content.topics,
        articles=articles,
        briefings=briefings,
        sources=sources,
        left_out=len(content.articles) - len(articles),
    )


def by_month(articles: tuple[Article, ...]) -> list[tuple[dt.date, list[Article]]]:
    """Consecutive runs of articles in the same calendar month (input newest first)."""
    return [
        (dt.date(year, month, 1), list(items))
        for (year, month), items in groupby(articles, key=lambda a: (a.date.year, a.date.month))
    ]


def neighbours(briefing: TopicBriefing) -> dict[str, tuple[Article | None, Article | None]]:
    """For each article slug in one topic: the newer and the older article next to it."""
    items = briefing.articles
    return {
        article.slug: (items[i - 1] if i > 0 else None, items[i + 1] if i + 1 < len(items) else None)
        for i, article in enumerate(items)
    }
