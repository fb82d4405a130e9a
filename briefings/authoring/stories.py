"""Story suggestions: which articles not yet in a story report the same event, and why.

Each article is read as its title, summary, key points, why-it-matters and
people, weighted by TF-IDF over the whole archive (a word every article uses
says little, a rare one two share says a lot), its words cut into character
4-grams ("drill" meets "drills"). Only articles published within ``window``
days of each other are compared, and their similarity fades with the days
between them: a follow-up event days later (China's answer to a visit, drills
after an inauguration) names the first one, but its reports are of another day.
Two articles are alike when they resemble the same other articles: the cosine
of their rows of cosine similarities. Groups are made by average linkage at
``threshold``: a group grows only while its members are, on average, alike, so
one article bridging two events does not chain them into one. Groups of one are
left out.

Every group says why: the words most of its members share (the rarer first)
and its similarity (the mean over its pairs). Its id is made of its top shared
words and its first date; similarities are computed over every article, stories
or not, so the same archive always gives the same ids and confirming one group
leaves the others as they were: ``--apply ID`` names what ``suggest`` printed.

Deterministic. A suggestion is a hint for the curator; nothing here writes
(``confirm`` does, when asked).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slugify import slugify

from briefings.content.model import Article

if TYPE_CHECKING:  # scikit-learn and numpy load in about a second: only when suggesting
    from scipy.sparse import csr_matrix

WINDOW_DAYS = 3  # articles about one event appear within a few days of each other
MAX_WINDOW_DAYS = 60
# Chosen on the `tune` half of tests/fixtures/stories/labelled.yml and the sample desk: the middle
# of the thresholds at which both hold the targets (benchmarks/stories_eval.py --compare).
THRESHOLD = 0.35
SHARED_SHOWN = 5  # words a group shows
ID_WORDS = 3  # of which its id is made
BLOCK = 64  # articles compared at once with the next ones: a few days of a big archive


@dataclass(frozen=True, slots=True)
class Group:
    """Articles suggested as one story."""

    id: str
    articles: tuple[Article, ...]  # oldest first, then by path
    lead: Article  # the member closest to the others: its headline titles the story
    shared_terms: tuple[str, ...]  # most telling first
    similarity: float  # the mean cosine similarity over the group's pairs, rounded to 3 places

    @property
    def first(self) -> dt.date:
        return self.articles[0].date

    @property
    def last(self) -> dt.date:
        return self.articles[-1].date

    def explain(self) -> str:
        words = ", ".join(self.shared_terms) if self.shared_terms else "no word in most of them"
        return f"shares: {words} (similarity {self.similarity:.2f})"

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "articles": [a.path for a in self.articles],
            "shared_terms": list(self.shared_terms),
            "similarity": self.similarity,
        }


def article_text(article: Article) -> str:
    """What the method reads: the parts a curator writes to say what the article reports."""
    parts = [article.title, article.summary, *article.key_points, article.why_it_matters, *article.people]
    return "\n".join(p for p in parts if p)


def suggest_stories(
    articles: Iterable[Article],
    *,
    window: int = WINDOW_DAYS,
    threshold: float = THRESHOLD,
    include_confirmed: bool = False,
    fade: bool = True,
) -> list[Group]:
    """Groups of two or more articles not in a story (every article with ``include_confirmed``),
    newest first. The weights come from every article given. ``fade=False`` (for the benchmark
    only) compares articles within the window as if published the same day."""
    everything = sorted(articles, key=lambda a: (a.published, a.path))
    chosen = [i for i, a in enumerate(everything) if include_confirmed or not a.story]
    if len(chosen) < 2:
        return []
    texts = [article_text(a) for a in everything]
    # Similarities over every article, then kept for those chosen: an article confirmed meanwhile
    # still counts as a neighbour, so confirming one group leaves the others as they were.
    days = [a.date.toordinal() for a in everything]
    cosines = _cosines(_char_vectors(texts), days, window, fade)
    similar = _profiles(cosines, days, window)[chosen][:, chosen].tocsr()
    members = [everything[i] for i in chosen]
    words, vocabulary = _word_vectors(texts)
    words = words[chosen]
    groups = []
    for component in _components(similar, threshold):
        for cluster in _average_linkage(component, similar, threshold):
            groups.append(_group([members[i] for i in cluster], words[cluster], vocabulary, similar, cluster))
    return _with_unique_ids(groups)


def _grams(word: str) -> list[str]:
    """A word's character 4-grams, padded with a space (scikit-learn's ``char_wb``): they
    match "drill" with "drills" and "Taiwan" with "Taiwan's", which words alone do not."""
    padded = f" {word} "
    return [padded[i : i + 4] for i in range(max(1, len(padded) - 3))]


def _char_vectors(texts: list[str]) -> csr_matrix:
    """TF-IDF over character 4-grams, rows of length 1. Each distinct word is cut into
    grams once: an archive repeats its words, and cutting every occurrence in Python took
    most of the time on 10,000 articles."""
    import numpy as np
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfTransformer

    index: dict[str, int] = {}
    cut: dict[str, Any] = {}  # word -> its grams' columns
    rows = []
    for text in texts:
        ids = []
        for word in text.casefold().split():
            columns = cut.get(word)
            if columns is None:
                columns = cut[word] = np.array([index.setdefault(g, len(index)) for g in _grams(word)], np.int64)
            ids.append(columns)
        rows.append(np.concatenate(ids) if ids else np.empty(0, np.int64))
    indptr = np.cumsum([0, *(len(r) for r in rows)])
    indices = np.concatenate(rows) if rows else np.empty(0, np.int64)
    counts = sparse.csr_matrix(
        (np.ones(len(indices), np.float32), indices, indptr), shape=(len(texts), max(len(index), 1))
    )
    counts.sum_duplicates()
    matrix: csr_matrix = TfidfTransformer(sublinear_tf=True).fit_transform(counts)
    return matrix


def _word_vectors(texts: list[str]) -> tuple[csr_matrix, Sequence[str]]:
    """TF-IDF over words (English stop words left out): what a group's explanation names."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, dtype=np.float32)
    matrix: csr_matrix = vectorizer.fit_transform(texts)
    return matrix, [str(w) for w in vectorizer.get_feature_names_out()]


def _cosines(rows: csr_matrix, days: Sequence[int], window: int, fade: bool = True) -> csr_matrix:
    """The cosine similarity of every two articles within ``window`` days (and 1 for an
    article with itself), as a sparse symmetric matrix, each faded by the days between them:
    times 1 - days / (window + 1), so a pair a day apart keeps 3/4 of it with the default
    window, a pair at its edge 1/4. Reports of an event cluster on its day; a later event
    that names it (the channels China cut three days after Pelosi's visit) does not, and
    without the fade its reports and the first event's share every neighbour. Rows are in
    date order, so each block is compared only with the rows up to ``window`` days after
    it: linear in the archive, not quadratic."""
    import numpy as np
    from scipy import sparse

    n = len(days)
    day = np.asarray(days)
    parts = []
    for start in range(0, n, BLOCK):
        stop = min(start + BLOCK, n)
        reach = int(np.searchsorted(day, day[stop - 1] + window, side="right"))
        block = (rows[start:stop] @ rows[start:reach].T).tocoo()
        i, j = block.row + start, block.col + start
        gap = day[j] - day[i]
        keep = (j > i) & (gap <= window)
        faded = 1.0 - gap[keep] / (window + 1) if fade else 1.0
        parts.append((i[keep], j[keep], block.data[keep] * faded))
    i = np.concatenate([p[0] for p in parts])
    j = np.concatenate([p[1] for p in parts])
    data = np.concatenate([p[2] for p in parts])
    upper = sparse.csr_matrix((data, (i, j)), shape=(n, n))
    return (upper + upper.T + sparse.identity(n, format="csr", dtype=upper.dtype)).tocsr()


def _profiles(cosines: csr_matrix, days: Sequence[int], window: int) -> csr_matrix:
    """How alike two articles' neighbourhoods are: the cosine of their rows of ``cosines``.
    Two reports of one event resemble the same other reports even when they share few
    words with each other; a near miss (the same leaders, another meeting) has its own
    neighbours. Measured on the labelled set, this lifted held-out precision from 0.72
    to 0.95 (benchmarks/stories_eval.py --compare). Kept within the window, upper half."""
    import numpy as np
    from scipy import sparse
    from sklearn.preprocessing import normalize

    unit = normalize(cosines)
    profile = (unit @ unit.T).tocoo()
    day = np.asarray(days)
    keep = (profile.col > profile.row) & (np.abs(day[profile.col] - day[profile.row]) <= window)
    n = len(days)
    return sparse.csr_matrix((profile.data[keep], (profile.row[keep], profile.col[keep])), shape=(n, n))


def _components(similar: csr_matrix, threshold: float) -> list[list[int]]:
    """The connected parts, of two or more articles, of the graph of pairs reaching
    ``threshold``: average linkage never joins articles across two of them."""
    from scipy.sparse.csgraph import connected_components

    strong = similar.multiply(similar >= threshold).tocsr()
    _, labels = connected_components(strong, directed=False)
    parts: dict[int, list[int]] = {}
    for i, label in enumerate(labels.tolist()):
        parts.setdefault(label, []).append(i)
    return [part for part in parts.values() if len(part) > 1]


def _average_linkage(component: list[int], similar: csr_matrix, threshold: float) -> list[list[int]]:
    """Split a connected part by average linkage: clusters merge while the mean similarity
    between them (a pair not within the window counts as 0) reaches ``threshold``."""
    if len(component) == 2:
        return [component]
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering

    dense = similar[component][:, component].toarray()
    dense = np.maximum(dense, dense.T)
    np.fill_diagonal(dense, 1.0)
    distance = np.clip(1.0 - dense.astype(np.float64), 0.0, None)
    labels = AgglomerativeClustering(
        n_clusters=None, metric="precomputed", linkage="average", distance_threshold=1.0 - threshold
    ).fit_predict(distance)
    clusters: dict[int, list[int]] = {}
    for k, label in enumerate(labels.tolist()):
        clusters.setdefault(label, []).append(component[k])
    return [c for c in clusters.values() if len(c) > 1]


def _group(
    articles: list[Article],
    words: csr_matrix,
    vocabulary: Sequence[str],
    similar: csr_matrix,
    cluster: list[int],
) -> Group:
    block = similar[cluster][:, cluster].toarray()
    block = block + block.T  # the upper half holds each pair once
    n = len(cluster)
    similarity = float(block.sum()) / (n * (n - 1))
    closeness = block.sum(axis=1).tolist()
    # The lead: closest to the others; on a tie the earliest, then by path.
    lead = min(range(n), key=lambda k: (-round(closeness[k], 6), articles[k].published, articles[k].path))
    return Group(
        id="",
        articles=tuple(sorted(articles, key=lambda a: (a.published, a.path))),
        lead=articles[lead],
        shared_terms=_shared_terms(words, vocabulary),
        similarity=round(similarity, 3),
    )


def _shared_terms(rows: csr_matrix, vocabulary: Sequence[str]) -> tuple[str, ...]:
    """The words in most of the group's articles (at least half of them, and two), the
    words in more articles first, then the heavier in TF-IDF, then alphabetically."""
    import numpy as np

    n = rows.shape[0]
    present = (rows > 0).sum(axis=0).A1
    weight = rows.sum(axis=0).A1
    need = max(2, math.ceil(n / 2))
    found = np.flatnonzero(present >= need).tolist()
    ranked = sorted(found, key=lambda t: (-int(present[t]), -round(float(weight[t]), 6), vocabulary[t]))
    return tuple(str(vocabulary[t]) for t in ranked[:SHARED_SHOWN])


def _with_unique_ids(groups: list[Group]) -> list[Group]:
    """Ids from the top shared words and the first date (numbered on a clash, the oldest
    group first); newest first."""
    taken: dict[str, int] = {}
    out = []
    for group in sorted(groups, key=lambda g: (g.first, g.articles[0].path)):
        words = "-".join(group.shared_terms[:ID_WORDS]) or "story"
        base = slugify(f"{words}-{group.first.isoformat()}", max_length=80, word_boundary=True)
        taken[base] = taken.get(base, 0) + 1
        story_id = base if taken[base] == 1 else f"{base}-{taken[base]}"
        out.append(Group(story_id, group.articles, group.lead, group.shared_terms, group.similarity))
    return sorted(out, key=lambda g: (-g.first.toordinal(), g.articles[0].path))
