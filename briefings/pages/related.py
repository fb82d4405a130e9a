"""Related coverage: for each article, the few others a reader should see next.

Ranked by shared people, then shared topics, then closeness in date. To stay
linear on big archives, the candidates are, for each topic and each person the
article has, the WINDOW articles on either side of it in date order: the
closest ones, which are the ones that can rank first.

``RelatedIndex`` is built once; ``of(i)`` then answers for one article, so the
worker processes that render article pages each answer for their own share.
"""

from __future__ import annotations

import functools
import heapq
from collections import defaultdict
from collections.abc import Mapping

from briefings.content.model import Article, Related
from briefings.fileio import digest

WINDOW = 12  # neighbours in date on each side, per topic and per person


class RelatedIndex:
    def __init__(self, articles: tuple[Article, ...], people_of: dict[str, tuple[str, ...]], *, limit: int = 5):
        self.articles = articles
        self.people_of = people_of  # article slug -> person slugs
        self.limit = limit
        # Groups keyed ("t", topic) or ("p", person), each newest first like `articles`.
        self.groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        self.keys: list[list[tuple[str, str]]] = []
        for i, article in enumerate(articles):
            mine = [("t", t) for t in article.topics] + [("p", p) for p in people_of.get(article.slug, ())]
            self.keys.append(mine)
            for key in mine:
                self.groups[key].append(i)
        self.position = {key: {i: n for n, i in enumerate(members)} for key, members in self.groups.items()}
        self.days = [a.published.timestamp() / 86400 for a in articles]
        # Topics and people as bitmasks: a shared count is one AND and a bit count.
        bit: dict[tuple[str, str], int] = {}
        self.masks = [sum(1 << bit.setdefault(key, len(bit)) for key in set(k)) for k in self.keys]
        self.topic_bits = sum(1 << n for key, n in bit.items() if key[0] == "t")

    @functools.cached_property
    def selection(self) -> str:
        """A digest of everything that decides which articles ``picks`` returns: the articles'
        order, slugs, dates, topics and people, and the limits. The same selection picks the
        same articles, so a build can reuse the picks a previous one stored (pages/emit.py)."""
        facts = [(a.slug, self.days[i], a.topics, self.people_of.get(a.slug, ())) for i, a in enumerate(self.articles)]
        return digest(repr((WINDOW, self.limit, facts)))

    @functools.cached_property
    def index_of(self) -> dict[str, int]:
        """Each article's position, by slug."""
        return {a.slug: i for i, a in enumerate(self.articles)}

    def facts(self, i: int) -> str:
        """What of ``articles[i]`` its picks and others' read (but its slug: day, topics, people,
        in no order: a person's place in ``people_of`` moves as articles come), with how many
        are picked from how many (a new limit is a new fact of every article)."""
        article = self.articles[i]
        people = sorted(set(self.people_of.get(article.slug, ())))
        return repr((WINDOW, self.limit, self.days[i], sorted(set(article.topics)), people))

    def to_pick_again(self, before: Mapping[str, str]) -> set[int] | None:
        """The articles whose picks may differ from those made when the articles were those of
        ``before`` (slug -> ``facts``), if articles were only added since: the added ones, and
        those with one of them among their candidates (within WINDOW of it in a group they
        share). Another article's candidates are the same articles with the same facts, so its
        picks are too. None: pick every article's again (one was removed, or its facts changed)."""
        index_of = self.index_of
        if any(slug not in index_of for slug in before):
            return None
        added = []
        for i, article in enumerate(self.articles):
            facts = before.get(article.slug)
            if facts is None:
                added.append(i)
            elif facts != self.facts(i):
                return None
        again = set(added)
        for i in added:
            for key in self.keys[i]:
                members, n = self.groups[key], self.position[key][i]
                again.update(members[max(0, n - WINDOW) : n + WINDOW + 1])
        return again

    def of(self, i: int) -> tuple[Related, ...]:
        """The related articles of ``articles[i]``, best first."""
        return self.from_picks(i, self.picks(i))

    def picks(self, i: int) -> list[int]:
        """The positions of the related articles of ``articles[i]``, best first."""
        articles, masks, days = self.articles, self.masks, self.days
        candidates: set[int] = set()
        for key in self.keys[i]:
            members, n = self.groups[key], self.position[key][i]
            candidates.update(members[max(0, n - WINDOW) : n + WINDOW + 1])
        candidates.discard(i)
        my_mask, my_day = masks[i], days[i]
        scored = []
        for j in candidates:
            shared = my_mask & masks[j]
            topics = (shared & self.topic_bits).bit_count()
            apart = abs(my_day - days[j])
            # 3 per shared person, 2 per shared topic, under 1 for closeness in date
            score = 3 * (shared.bit_count() - topics) + 2 * topics + 1 / (1 + apart / 30)
            scored.append((-score, apart, articles[j].slug, j))
        # (-score, days apart, slug): the best first, ties broken by date, then by slug.
        return [j for *_, j in heapq.nsmallest(self.limit, scored)]

    def from_picks(self, i: int, picks: list[int]) -> tuple[Related, ...]:
        """The related articles of ``articles[i]`` at these positions, with what each shares with it."""
        articles = self.articles
        article = articles[i]
        mine = self.people_of.get(article.slug, ())
        result = []
        for j in picks:
            other = articles[j]
            theirs = self.people_of.get(other.slug, ())
            result.append(
                Related(
                    other, tuple(t for t in article.topics if t in other.topics), tuple(p for p in mine if p in theirs)
                )
            )
        return tuple(result)


def related_articles(
    articles: tuple[Article, ...],
    people_of: dict[str, tuple[str, ...]],  # article slug -> person slugs
    *,
    limit: int = 5,
) -> dict[str, tuple[Related, ...]]:
    """Every article's related coverage, by slug."""
    index = RelatedIndex(articles, people_of, limit=limit)
    return {a.slug: index.of(i) for i, a in enumerate(articles)}
