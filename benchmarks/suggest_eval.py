"""How good are topic suggestions? Precision and recall against a labelled set.

    python benchmarks/suggest_eval.py                    # the table: per topic, per half of the set
    python benchmarks/suggest_eval.py --errors tune      # every wrong or missed suggestion of a half
    python benchmarks/suggest_eval.py --compare          # other methods on the same set
    python benchmarks/suggest_eval.py --timing 10000     # seconds per suggestion on a 10,000-article archive

The set is tests/fixtures/suggest/labelled.yml (its header says how it was
written and labelled). A suggestion is an (item, topic) pair; the item's text
is what the commands read: title, summary and body of a sample article, or a
headline and its lede (as `briefings import` reads a clipping). Labels are
never shown to the method. `--headlines` scores the headline alone, as
`briefings new` sees it. Micro-averaged: every pair counts once, whatever its
topic. The keywords are content/topics.yml's (or --topics FILE); they were
tuned on the `tune` half only, so the `holdout` half is the honest figure.
"""

from __future__ import annotations

import argparse
import copy
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from briefings.authoring.suggest import TopicMatcher  # noqa: E402
from briefings.content.keywords import alternatives  # noqa: E402
from briefings.content.model import Topic  # noqa: E402
from briefings.content.registries import load_topics  # noqa: E402
from briefings.errors import Problem  # noqa: E402

LABELLED = REPO / "tests/fixtures/suggest/labelled.yml"
# The "sample" items' articles: the sample desk's twelve notes as they were when the set was
# labelled (the sample now carries published coverage), kept so the measurements stay comparable.
DESK = REPO / "tests/fixtures/suggest/desk"
SPLITS = ("tune", "holdout", "all")
# content/topics.yml's keywords before weighting (commit 069c6ce), for comparison.
ORIGINAL = {
    "us-china": ("Biden", "Xi Jinping", "Beijing", "Washington", "APEC", "military-to-military"),
    "taiwan": ("Taiwan", "Taipei", "Lai Ching-te", "Kinmen", "Matsu", "DPP", "KMT"),
    "fentanyl": ("fentanyl", "precursor", "counternarcotics", "synthetic drugs", "opioid"),
}


@dataclass(frozen=True)
class Item:
    id: str
    kind: str
    split: str
    headline: str
    texts: tuple[str, ...]  # what the method reads
    topics: frozenset[str]  # the labels: never shown to the method


def load_items(path: Path = LABELLED, root: Path = DESK) -> list[Item]:
    """The labelled set, with each sample article's text read from its file (title, summary, body)."""
    from briefings.content.load import load_content

    content = load_content(root)
    articles = {a.path: a for a in content.articles}
    items = []
    for raw in yaml.safe_load(path.read_text("utf-8")):
        if "article" in raw:
            article = articles[raw["article"]]
            headline, texts = article.title, (article.title, article.summary, article.body)
        else:
            headline, texts = raw["headline"], (raw["headline"], raw["lede"])
        items.append(Item(raw["id"], raw["kind"], raw["split"], headline, texts, frozenset(raw["topics"])))
    return items


Suggest = Callable[[Item], Iterable[str]]  # item -> the topic ids suggested


@dataclass
class Scores:
    tp: dict[str, int] = field(default_factory=dict)
    fp: dict[str, int] = field(default_factory=dict)
    fn: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    off_topic_hits: list[str] = field(default_factory=list)  # items labelled with no topic that got one

    def add(self, counts: dict[str, int], topic: str) -> None:
        counts[topic] = counts.get(topic, 0) + 1

    @staticmethod
    def ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    def precision(self, topic: str | None = None) -> float:
        tp, fp = self._sum(self.tp, topic), self._sum(self.fp, topic)
        return self.ratio(tp, tp + fp)

    def recall(self, topic: str | None = None) -> float:
        tp, fn = self._sum(self.tp, topic), self._sum(self.fn, topic)
        return self.ratio(tp, tp + fn)

    @staticmethod
    def _sum(counts: dict[str, int], topic: str | None) -> int:
        return sum(counts.values()) if topic is None else counts.get(topic, 0)


def evaluate(items: Iterable[Item], suggest: Suggest, split: str = "all") -> Scores:
    scores = Scores()
    for item in items:
        if split not in ("all", item.split):
            continue
        got = set(suggest(item))
        for topic in sorted(got | item.topics):
            if topic in got and topic in item.topics:
                scores.add(scores.tp, topic)
            elif topic in got:
                scores.add(scores.fp, topic)
                scores.errors.append(f"wrong   {item.id}: {topic}")
            else:
                scores.add(scores.fn, topic)
                scores.errors.append(f"missed  {item.id}: {topic}")
        if got and not item.topics:
            scores.off_topic_hits.append(item.id)
    return scores


def keyword_method(topics: list[Topic], *, headlines: bool = False, explain: bool = False) -> Suggest:
    """The shipped method: TopicMatcher with the topics' strong and weak keywords."""
    matcher = TopicMatcher(topics)

    def run(item: Item) -> list[str]:
        found = matcher.match(*((item.headline,) if headlines else item.texts))
        if explain:
            for topic_id, why in found.items():
                print(f"  {item.id}: {topic_id}: {why.explain()}")
        return list(found)

    return run


def all_strong(topics: list[Topic]) -> list[Topic]:
    """The same keywords with no tiers: every weak one counts on its own."""
    return [Topic(t.id, t.title, keywords=t.keywords + t.weak_keywords) for t in topics]


def original(topics: list[Topic]) -> list[Topic]:
    return [Topic(t.id, t.title, keywords=ORIGINAL.get(t.id, ())) for t in topics]


def idf_method(topics: list[Topic], items: list[Item], threshold: float) -> Suggest:
    """TF-IDF against the archive, restricted to the keywords: a keyword counts its inverse
    document frequency over the archive (here the texts of the whole set, unlabelled),
    smoothed as scikit-learn's TfidfVectorizer does; a topic is suggested when the keywords
    found add up to ``threshold``. No tiers: the archive decides what is common."""
    flat = [
        Topic(t.id, t.title, keywords=tuple(" | ".join(alternatives(w)) for w in t.keywords + t.weak_keywords))
        for t in topics
    ]
    per_keyword = [Topic(f"{t.id}\t{i}", "", keywords=(w,)) for t in flat for i, w in enumerate(t.keywords)]
    matcher = TopicMatcher(per_keyword)
    hits = {item.id: set(matcher.match(*item.texts)) for item in items}
    n = len(items)
    df: dict[str, int] = {}
    for found in hits.values():
        for key in found:
            df[key] = df.get(key, 0) + 1
    idf = {key: math.log((1 + n) / (1 + count)) + 1 for key, count in df.items()}

    def run(item: Item) -> list[str]:
        score: dict[str, float] = {}
        for key in matcher.match(*item.texts):
            topic_id = key.split("\t")[0]
            score[topic_id] = score.get(topic_id, 0.0) + idf[key]
        return [t for t, s in score.items() if s >= threshold]

    return run


def best_threshold(topics: list[Topic], items: list[Item]) -> float:
    """The IDF threshold with the best F1 on the tune half (tuned like the keywords were)."""
    candidates = [x / 4 for x in range(2, 41)]

    def f1(threshold: float) -> float:
        s = evaluate(items, idf_method(topics, items, threshold), "tune")
        p, r = s.precision(), s.recall()
        return 2 * p * r / (p + r) if p + r else 0.0

    return max(candidates, key=lambda t: (f1(t), -t))


def table(title: str, items: list[Item], suggest: Suggest, topic_ids: list[str]) -> None:
    print(f"\n{title}")
    print(f"{'':<10}" + "".join(f"{split:>24}" for split in SPLITS))
    print(f"{'topic':<10}" + f"{'precision  recall  (n)':>24}" * len(SPLITS))
    results = {split: evaluate(items, suggest, split) for split in SPLITS}
    for topic in [*topic_ids, None]:
        cells = []
        for split in SPLITS:
            s = results[split]
            n = s._sum(s.tp, topic) + s._sum(s.fn, topic)
            cells.append(f"{s.precision(topic):>9.2f} {s.recall(topic):>7.2f}  ({n:>3})")
        print(f"{topic or 'all (micro)':<10}" + "".join(f"{c:>24}" for c in cells))
    for split in SPLITS:
        hits = results[split].off_topic_hits
        print(f"  {split}: items labelled with no topic that got a suggestion: {len(hits)} {' '.join(hits)}")


def compare(topics: list[Topic], items: list[Item]) -> None:
    threshold = best_threshold(topics, items)
    original_threshold = best_threshold(original(topics), items)
    methods: list[tuple[str, Suggest]] = [
        ("original keywords (plain list)", keyword_method(original(topics))),
        ("these keywords, all strong", keyword_method(all_strong(topics))),
        (f"these keywords, IDF-weighted (threshold {threshold:g})", idf_method(topics, items, threshold)),
        (
            f"original keywords, IDF-weighted (threshold {original_threshold:g})",
            idf_method(original(topics), items, original_threshold),
        ),
        ("strong and weak keywords (shipped)", keyword_method(topics)),
    ]
    print(f"\n{'method':<58}" + "".join(f"{split + ' P / R':>16}" for split in SPLITS) + "  no-topic items hit")
    for name, method in methods:
        results = [evaluate(items, method, split) for split in SPLITS]
        cells = "".join(f"{s.precision():>9.2f} / {s.recall():.2f}" for s in results)
        print(f"{name:<58}{cells}  {len(results[-1].off_topic_hits)}")


def timing(n: int, topics_file: Path) -> None:
    """Seconds to suggest topics for one article, and for every article, on an n-article archive."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import TOPICS, make_corpus

    from briefings.authoring.suggest import suggest
    from briefings.content.load import load_content

    sample = yaml.safe_load(topics_file.read_text("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "site", n)
        # Every topic of the synthetic site gets keywords as many as the sample's, so the
        # patterns cost what a real desk's would.
        entries = [
            {"id": t, "title": title, "keywords": copy.deepcopy(sample[i % len(sample)]["keywords"])}
            for i, (t, title) in enumerate(TOPICS)
        ]
        (root / "content/topics.yml").write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), "utf-8")
        started = time.perf_counter()
        content = load_content(root)
        loaded = time.perf_counter() - started
        article = content.articles[len(content.articles) // 2]
        runs = []
        for _ in range(20):
            started = time.perf_counter()
            TopicMatcher(content.topics).match(article.title, article.summary, article.body)
            runs.append(time.perf_counter() - started)
        started = time.perf_counter()
        hints = suggest(content)
        every = time.perf_counter() - started
    words = len(article.body.split())
    print(f"N = {n} articles, {len(content.topics)} topics with keywords")
    print(f"one article ({words} words), matcher built and run: median {statistics.median(runs) * 1000:.2f} ms")
    print(f"every article (check --suggest's part): {every:.2f} s, {len(hints)} suggestions")
    print(f"reading the archive (what `briefings new` would pay to use it; it reads only topics.yml): {loaded:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--topics", type=Path, help="A topics.yml to evaluate [default: the sample's]")
    parser.add_argument("--errors", choices=SPLITS, help="List the wrong and missed suggestions of a half")
    parser.add_argument("--explain", action="store_true", help="Print why each suggestion was made")
    parser.add_argument("--compare", action="store_true", help="Compare with other methods")
    parser.add_argument("--timing", type=int, metavar="N", help="Time suggestions on an N-article archive")
    args = parser.parse_args()
    topics_file = args.topics or REPO / "content/topics.yml"
    if args.timing:
        timing(args.timing, topics_file)
        return
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "content").mkdir()
        (Path(tmp) / "content/topics.yml").write_bytes(topics_file.read_bytes())
        problems: list[Problem] = []
        topics = load_topics(Path(tmp), problems)
    if problems:
        raise SystemExit("\n".join(map(str, problems)))
    items = load_items()
    ids = [t.id for t in topics]
    print(
        f"{len(items)} labelled items ({sum(not i.topics for i in items)} with no topic); keywords from {topics_file}"
    )
    if args.errors:
        for line in evaluate(items, keyword_method(topics, explain=args.explain), args.errors).errors:
            print(line)
        return
    table("Title and text (import, check --suggest)", items, keyword_method(topics, explain=args.explain), ids)
    table("Headline alone (new)", items, keyword_method(topics, headlines=True), ids)
    if args.compare:
        compare(topics, items)


if __name__ == "__main__":
    main()
