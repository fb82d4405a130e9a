"""Related coverage: for each article, the few others a reader should see next.

Ranked by shared people, then shared topics, then closeness in date. To stay
linear on big archives, the candidates are, for each topic and each person the
article has, the WINDOW articles on either side of it in date order: the
closest ones, which are the ones that can rank first.
"""

from __future__ import annotations

import heapq
from collections import defaultdict

from briefings.model import Article, Related

WINDOW = 12  # neighbours in date on each side, per topic and per person


def related_articles(
    articles: tuple[Article, ...],
    people_of: dict[str, tuple[str, ...]],  # article slug -> person slugs
    *,
    limit: int = 5,
) -> dict[str, tuple[Related, ...]]:
    # Groups keyed ("t", topic) or ("p", person), each newest first like `articles`.
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    keys: list[list[tuple[str, str]]] = []
    for i, article in enumerate(articles):
        mine = [("t", t) for t in article.topics] + [("p", p) for p in people_of.get(article.slug, ())]
        keys.append(mine)
        for key in mine:
            groups[key].append(i)
    position = {key: {i: n for n, i in enumerate(members)} for key, members in groups.items()}
    days = [a.published.timestamp() / 86400 for a in articles]
    # Topics and people as bitmasks: a shared count is one AND and a bit count.
    bit: dict[tuple[str, str], int] = {}
    masks = [sum(1 << bit.setdefault(key, len(bit)) for key in set(k)) for k in keys]
    topic_bits = sum(1 << n for key, n in bit.items() if key[0] == "t")
    topic_sets = [frozenset(a.topics) for a in articles]
    people_sets = [frozenset(people_of.get(a.slug, ())) for a in articles]

    result: dict[str, tuple[Related, ...]] = {}
    for i, article in enumerate(articles):
        candidates: set[int] = set()
        for key in keys[i]:
            members, n = groups[key], position[key][i]
            candidates.update(members[max(0, n - WINDOW): n + WINDOW + 1])
        candidates.discard(i)
        my_mask, my_day = masks[i], days[i]
        scored = []
        for j in candidates:
            shared = my_mask & masks[j]
            topics = (shared & topic_bits).bit_count()
            apart = abs(my_day - days[j])
            # 3 per shared person, 2 per shared topic, under 1 for closeness in date
            score = 3 * (shared.bit_count() - topics) + 2 * topics + 1 / (1 + apart / 30)
            scored.append((-score, apart, articles[j].slug, j))
        # (-score, days apart, slug): the best first, ties broken by date, then by slug.
        best = heapq.nsmallest(limit, scored)
        mine = people_of.get(article.slug, ())
        result[article.slug] = tuple(
            Related(articles[j], tuple(t for t in article.topics if t in topic_sets[j]),
                    tuple(p for p in mine if p in people_sets[j]))
            for *_, j in best)
    return result
