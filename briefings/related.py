"""Related coverage: for each article, the few others a reader should see next.

Ranked by shared people, then shared topics, then closeness in date. To stay
near-linear on big archives, candidates are the articles sharing a person plus
each topic's nearest neighbours in date, not every pair.
"""

from __future__ import annotations

from collections import defaultdict

from briefings.model import Article, Related

TOPIC_WINDOW = 12  # neighbours on each side, per topic, considered as candidates
PERSON_LIMIT = 200  # most recent articles per person considered as candidates


def related_articles(
    articles: tuple[Article, ...],
    people_of: dict[str, tuple[str, ...]],  # article slug -> person slugs
    *,
    limit: int = 5,
) -> dict[str, tuple[Related, ...]]:
    by_topic: dict[str, list[Article]] = defaultdict(list)
    by_person: dict[str, list[Article]] = defaultdict(list)
    for article in articles:  # newest first
        for topic in article.topics:
            by_topic[topic].append(article)
        for person in people_of.get(article.slug, ()):
            by_person[person].append(article)
    position = {t: {a.slug: i for i, a in enumerate(items)} for t, items in by_topic.items()}

    result: dict[str, tuple[Related, ...]] = {}
    for article in articles:
        candidates: dict[str, Article] = {}
        for topic in article.topics:
            items, i = by_topic[topic], position[topic][article.slug]
            for other in items[max(0, i - TOPIC_WINDOW): i + TOPIC_WINDOW + 1]:
                candidates[other.slug] = other
        mine = people_of.get(article.slug, ())
        for person in mine:
            for other in by_person[person][:PERSON_LIMIT]:
                candidates[other.slug] = other
        candidates.pop(article.slug, None)

        scored = []
        for other in candidates.values():
            topics = tuple(t for t in article.topics if t in other.topics)
            theirs = people_of.get(other.slug, ())
            people = tuple(p for p in mine if p in theirs)
            days = abs((article.published - other.published).total_seconds()) / 86400
            score = 3 * len(people) + 2 * len(topics) + 1 / (1 + days / 30)
            scored.append((-score, days, other.slug, Related(other, topics, people)))
        scored.sort(key=lambda row: row[:3])
        result[article.slug] = tuple(row[3] for row in scored[:limit])
    return result
