"""Topic suggestions: which topics' keywords (from topics.yml) a text mentions, and why.

A topic is suggested when the text mentions one of its strong keywords, or
``weak_needed`` different weak ones (the words every article about the region
shares: one of them says nothing). A plain keyword list is all strong. The
syntax is ``briefings.content.keywords``'s.

Keywords are words or phrases, matched on word boundaries ("Taiwan" matches
"Taiwan's" but not "Taiwanese"; "Xi Jinping" matches across a line break; a
hyphen matches any dash). Case does not matter, except for a keyword written
in capitals, an acronym: "US" does not match "us". Alternatives ("US | U.S.")
count as one keyword. Nothing here reads the archive, so a suggestion costs
the same on any site. A suggestion is a hint for the curator, never a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from briefings.content.keywords import alternatives
from briefings.content.model import Article, Content, Topic

_DASHES = "-\u2010\u2011\u2012\u2013\u2014"
_APOSTROPHES = "'\u2019"
_SAME = str.maketrans({**dict.fromkeys(_DASHES, "-"), **dict.fromkeys(_APOSTROPHES, "'")})
_TOKEN = re.compile(r"(\s*)(\w+|[^\w\s])")  # a word, or one mark of punctuation, and the space before it

Token = tuple[str, bool]  # the token, and whether whitespace comes before it


def _tokens(text: str) -> list[Token]:
    """Words and marks, any dash as "-" and either apostrophe as "'": "U.S.-China" -> U . S . - China."""
    return [(token, bool(space)) for space, token in _TOKEN.findall(text.translate(_SAME))]


def _is_acronym(spelling: str) -> bool:
    letters = [c for c in spelling if c.isalpha()]
    return len(letters) > 1 and all(c.isupper() for c in letters)


def _is_word(token: str) -> bool:
    return token[0].isalnum() or token[0] == "_"


@dataclass(frozen=True)
class TopicMatch:
    """What a text mentions of one topic's keywords: each as the spellings found, in topics.yml order."""

    topic_id: str
    strong: tuple[str, ...]
    weak: tuple[str, ...]
    weak_needed: int

    @property
    def suggested(self) -> bool:
        return bool(self.strong) or len(self.weak) >= self.weak_needed

    @property
    def words(self) -> tuple[str, ...]:
        return self.strong + self.weak

    def explain(self) -> str:
        """Why, in words: "mentions Xi Jinping (and weak keywords Beijing)", or
        "mentions US, China, talks (3 weak keywords, 3 needed)"."""
        if self.strong and self.weak:
            return f"mentions {', '.join(self.strong)} (and weak keywords {', '.join(self.weak)})"
        if self.strong:
            return f"mentions {', '.join(self.strong)}"
        return f"mentions {', '.join(self.weak)} ({len(self.weak)} weak keywords, {self.weak_needed} needed)"


@dataclass(frozen=True)
class _Spelling:
    topic: int
    keyword: int
    index: int  # which of the keyword's alternatives
    tokens: tuple[Token, ...]
    exact: bool  # an acronym: compared as written, not case-folded
    one_word: bool  # found as soon as its first word is (most keywords): ``at`` is skipped

    def at(self, text: list[Token], folded: list[str], i: int) -> bool:
        """Whether the text's tokens from i on spell this, with whitespace where it has it, and
        no letter or digit run on at either end ("U.S." is not in "U.S.A")."""
        n = len(self.tokens)
        if i + n > len(text):
            return False
        for j, (token, gap) in enumerate(self.tokens):
            have = text[i + j][0] if self.exact else folded[i + j]
            if have != token or (j and text[i + j][1] != gap):
                return False
        before_joins = i > 0 and not text[i][1] and _is_word(text[i - 1][0]) and not _is_word(self.tokens[0][0])
        after_joins = (
            i + n < len(text) and not text[i + n][1] and _is_word(text[i + n][0]) and not _is_word(self.tokens[-1][0])
        )
        return not (before_joins or after_joins)


class TopicMatcher:
    """Every topic's keyword spellings, indexed by their first word (by their first two when
    they have more: "the island" is not looked at on every "the"). One pass over a text's
    words finds them all, however many topics and keywords: a regular expression per topic
    took 12 ms an article, two minutes for `check --suggest` on 10,000 articles."""

    def __init__(self, topics: Iterable[Topic]):
        self._topics: list[tuple[Topic, list[tuple[tuple[str, ...], bool]]]] = []
        self._index: dict[str, list[_Spelling]] = {}  # "word", or "word\0next word"
        self._starts: set[str] = set()  # first words of the spellings of several words
        for topic in topics:
            keywords = [(alternatives(w), True) for w in topic.keywords if w.strip()]
            keywords += [(alternatives(w), False) for w in topic.weak_keywords if w.strip()]
            if not keywords:
                continue
            t = len(self._topics)
            self._topics.append((topic, keywords))
            for k, (spellings, _) in enumerate(keywords):
                for s, spelling in enumerate(spellings):
                    exact = _is_acronym(spelling)
                    tokens = tuple((w if exact else w.casefold(), gap) for w, gap in _tokens(spelling))
                    if not tokens:  # an empty spelling ("a | "): topics.yml refuses it, code may not
                        continue
                    one_word = len(tokens) == 1 and not exact and _is_word(tokens[0][0])
                    key = tokens[0][0].casefold()
                    if len(tokens) > 1:
                        self._starts.add(key)
                        key += "\0" + tokens[1][0].casefold()
                    self._index.setdefault(key, []).append(_Spelling(t, k, s, tokens, exact, one_word))
        # Longest first, so a phrase ("Xi Jinping", "Taiwan Strait") wins over a word it starts with.
        for candidates in self._index.values():
            candidates.sort(key=lambda sp: (-len(sp.tokens), -sum(len(w) for w, _ in sp.tokens)))

    def scan(self, *texts: str) -> dict[str, TopicMatch]:
        """Topic id -> what the texts mention of its keywords, suggested or not (topics that mention none left out)."""
        seen: set[tuple[int, int, int]] = set()  # (topic, keyword, spelling)
        for text in texts:
            tokens = _tokens(text)
            folded = [w.casefold() for w, _ in tokens]  # once per text, not per keyword
            free = [0] * len(self._topics)  # per topic, as a regular expression would: no overlaps
            last = len(folded) - 1
            for i, first in enumerate(folded):
                longer = self._index.get(first + "\0" + folded[i + 1], ()) if i < last and first in self._starts else ()
                shorter = self._index.get(first, ())
                if not longer and not shorter:
                    continue
                done: set[int] = set()
                for spelling in (*longer, *shorter):
                    if spelling.topic in done or free[spelling.topic] > i:
                        continue
                    if not spelling.one_word and not spelling.at(tokens, folded, i):
                        continue
                    done.add(spelling.topic)
                    free[spelling.topic] = i + len(spelling.tokens)
                    seen.add((spelling.topic, spelling.keyword, spelling.index))
        spelled: dict[int, dict[int, list[str]]] = {}  # topic -> keyword -> the spellings found
        for t, k, s in sorted(seen):  # in topics.yml order
            spelled.setdefault(t, {}).setdefault(k, []).append(self._topics[t][1][k][0][s])
        found: dict[str, TopicMatch] = {}
        for t, by_keyword in spelled.items():
            topic, keywords = self._topics[t]
            words: dict[bool, list[str]] = {True: [], False: []}
            for k, spellings in by_keyword.items():
                words[keywords[k][1]].append("/".join(spellings))
            found[topic.id] = TopicMatch(topic.id, tuple(words[True]), tuple(words[False]), topic.weak_needed)
        return found

    def match(self, *texts: str) -> dict[str, TopicMatch]:
        """Topic id -> why it is suggested, for the topics the texts' keywords suggest, in topics.yml order."""
        return {topic_id: m for topic_id, m in self.scan(*texts).items() if m.suggested}


@dataclass(frozen=True)
class Suggestion:
    """An article whose keywords suggest a topic it is not tagged with."""

    article: Article
    topic: Topic
    match: TopicMatch

    @property
    def words(self) -> tuple[str, ...]:
        return self.match.words

    def __str__(self) -> str:
        return (
            f"{self.article.path}: not tagged {self.topic.id!r} but {self.match.explain()}; "
            "add it to topics: if it belongs there"
        )


def suggest(content: Content) -> list[Suggestion]:
    """Every (article, untagged topic) pair whose keywords the article's title, summary or body suggest."""
    matcher = TopicMatcher(content.topics)
    out = []
    for article in sorted(content.articles, key=lambda a: a.path):
        for topic_id, found in matcher.match(article.title, article.summary, article.body).items():
            if topic_id not in article.topics:
                out.append(Suggestion(article, content.topic(topic_id), found))
    return out
