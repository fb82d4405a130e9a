"""Topic suggestions: which topics' keywords (from topics.yml) a text mentions.

Keywords are words or phrases, matched case-insensitively on word boundaries
("Taiwan" matches "Taiwan's" but not "Taiwanese"; "Xi Jinping" matches across
a line break). A suggestion is a hint for the curator, never a change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefings.content.model import Article, Content, Topic


def _normal(phrase: str) -> str:
    return " ".join(phrase.split()).casefold()


class TopicMatcher:
    """One compiled pattern per topic that has keywords."""

    def __init__(self, topics: tuple[Topic, ...] | list[Topic]):
        self._topics: list[tuple[str, re.Pattern[str], dict[str, str]]] = []
        for topic in topics:
            words = [w for w in topic.keywords if w.strip()]
            if not words:
                continue
            # Longest first, so "Xi Jinping" wins over a keyword "Xi".
            ordered = sorted(words, key=lambda w: (-len(w), w))
            alternation = "|".join(r"\s+".join(map(re.escape, w.split())) for w in ordered)
            pattern = re.compile(rf"(?<!\w)(?:{alternation})(?!\w)", re.IGNORECASE)
            self._topics.append((topic.id, pattern, {_normal(w): w for w in words}))

    def match(self, *texts: str) -> dict[str, tuple[str, ...]]:
        """Topic id -> the keywords found (as written in topics.yml), in topics.yml order."""
        found: dict[str, tuple[str, ...]] = {}
        for topic_id, pattern, spelled in self._topics:
            seen: dict[str, None] = {}
            for text in texts:
                for m in pattern.finditer(text):
                    seen.setdefault(spelled.get(_normal(m.group(0)), m.group(0)), None)
            if seen:
                order = list(spelled.values())
                found[topic_id] = tuple(sorted(seen, key=lambda w: order.index(w) if w in order else len(order)))
        return found


@dataclass(frozen=True)
class Suggestion:
    """An article that mentions a topic's keywords but is not tagged with it."""

    article: Article
    topic: Topic
    words: tuple[str, ...]

    def __str__(self) -> str:
        return (
            f"{self.article.path}: not tagged {self.topic.id!r} but mentions "
            f"{', '.join(self.words)} (add it to topics: if it belongs there)"
        )


def suggest(content: Content) -> list[Suggestion]:
    """Every (article, untagged topic) pair whose keywords the article's title, summary or body mention."""
    matcher = TopicMatcher(content.topics)
    out = []
    for article in sorted(content.articles, key=lambda a: a.path):
        for topic_id, words in matcher.match(article.title, article.summary, article.body).items():
            if topic_id not in article.topics:
                out.append(Suggestion(article, content.topic(topic_id), words))
    return out
