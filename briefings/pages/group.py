"""Choose what a build publishes and group it by topic and by source. Pure functions."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import replace
from itertools import groupby

from briefings.content.model import (
    Article,
    Content,
    Edition,
    Person,
    PersonFile,
    Quote,
    SourceGroup,
    Story,
    TopicBriefing,
)
from briefings.content.outlets import DESK_SOURCE
from briefings.content.people import PeopleIndex


def is_published(article: Article, now: dt.datetime) -> bool:
    """Drafts and articles dated in the future wait until they are due."""
    return not article.draft and article.published <= now


def select(content: Content, *, drafts: bool, now: dt.datetime) -> tuple[Article, ...]:
    """The articles a build shows, newest first (Content keeps them in that order)."""
    if drafts:
        return content.articles
    return tuple(a for a in content.articles if is_published(a, now))


def group(content: Content, articles: tuple[Article, ...], *, now: dt.datetime | None = None) -> Edition:
    """Group the selected articles by topic (topics.yml order), source and person."""
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
    unpublished = frozenset(a.slug for a in articles if a.draft or (now is not None and a.published > now))
    return Edition(
        topics=content.topics,
        articles=articles,
        briefings=briefings,
        sources=sources,
        left_out=len(content.articles) - len(articles),
        people=people_files(content, articles),
        unpublished=unpublished,
        stories=published_stories(content, articles),
        outlets=content.outlets,
    )


def published_stories(content: Content, articles: tuple[Article, ...]) -> tuple[Story, ...]:
    """The stories this build shows: each with its selected articles (oldest first), and none
    without one. Newest first by the story's first report, as every listing orders them."""
    shown = {a.slug for a in articles}
    stories = []
    for story in content.stories:
        members = tuple(a for a in story.articles if a.slug in shown)
        if members:
            stories.append(replace(story, articles=members))
    stories.sort(key=lambda s: (-s.articles[0].published.timestamp(), s.id))
    return tuple(stories)


def people_files(content: Content, articles: tuple[Article, ...]) -> tuple[PersonFile, ...]:
    """Everyone named in an article's people: or quoted by a known name."""
    index = PeopleIndex(content.people)
    named: dict[str, dict[str, Article]] = defaultdict(dict)  # person -> {slug: article}, in order
    quoted: dict[str, list[tuple[Quote, Article]]] = defaultdict(list)
    persons: dict[str, Person] = {}
    for article in articles:
        for name in article.people:
            person = index.resolve(name)
            persons[person.slug] = person
            named[person.slug].setdefault(article.slug, article)
    for article in articles:  # a second pass, so speakers match people named anywhere
        for quote in article.quotes:
            for name in quote.speakers:  # a joint statement is each speaker's
                speaker = index.speaker(name)
                if speaker:
                    persons[speaker.slug] = speaker
                    quoted[speaker.slug].append((quote, article))
    files = [
        PersonFile(persons[slug], tuple(named.get(slug, {}).values()), tuple(quoted.get(slug, ()))) for slug in persons
    ]
    files.sort(key=lambda f: (-len(f.articles), f.person.name.casefold(), f.person.slug))
    return tuple(files)


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


def source_key(article: Article) -> str:
    """Who published an article, for counting a story's sources: its outlet, else its
    source: as written (a source not in outlets.yml); "" for our own desk notes."""
    if article.outlet is not None:
        return f"outlet:{article.outlet.id}"
    return "" if article.source == DESK_SOURCE else f"source:{article.source.casefold()}"


def story_sources(story: Story) -> int:
    """How many sources a story has: its articles' outlets, each counted once."""
    return len({key for a in story.articles if (key := source_key(a))})


def completeness(article: Article) -> int:
    """How much of our notes an article holds: its words, with summary, key points and quotes."""
    texts = [article.summary, *article.key_points, article.why_it_matters, *(q.text for q in article.quotes)]
    return article.body_words + sum(len(t.split()) for t in texts)


def story_lead(story: Story) -> Article:
    """The article that stands for a story in listings and feeds: its earliest, and of
    equally early ones the most complete (then by path, so the choice is stable)."""
    return min(story.articles, key=lambda a: (a.published, -completeness(a), a.path))


def collapse(
    articles: Iterable[Article], story_of: Mapping[str, Story], lead_of: Mapping[str, str]
) -> tuple[Article, ...]:
    """A listing (newest first) with each story once: by its lead (``story_lead``, by story
    id in ``lead_of``) when the listing holds it, else by its earliest article there, in
    that article's place. Articles in no story stay as they are."""
    items = tuple(articles)
    kept: dict[str, str] = {}  # story id -> slug of the article standing for it here
    for article in items:
        story = story_of.get(article.slug)
        if story is not None and kept.get(story.id) != lead_of.get(story.id):
            kept[story.id] = article.slug  # the last seen is the earliest: newest first
    return tuple(a for a in items if (s := story_of.get(a.slug)) is None or kept[s.id] == a.slug)
