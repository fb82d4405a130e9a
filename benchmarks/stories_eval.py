"""How good are story suggestions? Pairwise precision and recall against a labelled set.

    python benchmarks/stories_eval.py                  # the table: tune half, held-out half, all, sample desk
    python benchmarks/stories_eval.py --errors tune    # every wrong or missed pair of a half (or of `sample`)
    python benchmarks/stories_eval.py --compare        # windows and thresholds, on `tune` and `sample`
    python benchmarks/stories_eval.py --no-fade --threshold 0.4   # the method before the fade
    python benchmarks/stories_eval.py --timing 10000   # seconds for suggest on a 10,000-article archive

The set is tests/fixtures/stories/labelled.yml (its header says how it was
written and labelled). The method sees every item, unlabelled, as
`briefings stories suggest --all` would; a pair of items counts as predicted
when the method puts them in one group, and as true when they report the same
event. A half's figures count the pairs of two items of that half (near misses
stay inside a half); `all` counts every pair.

The second set, `sample`, is the sample desk in content/: full articles as a
curator writes them (summary, key points, why-it-matters), the truth being the
confirmed `story:` of each. The method runs on it alone, as `--all` would.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from briefings.authoring.stories import THRESHOLD, WINDOW_DAYS, Group, suggest_stories  # noqa: E402
from briefings.content.model import Article  # noqa: E402

LABELLED = REPO / "tests/fixtures/stories/labelled.yml"
SPLITS = ("tune", "holdout", "all")
SAMPLE = "sample"


@dataclass(frozen=True)
class Item:
    id: str
    split: str
    event: str  # the label: never shown to the method
    article: Article


def load_items(path: Path = LABELLED) -> list[Item]:
    items = []
    for raw in yaml.safe_load(path.read_text("utf-8")):
        day = dt.date.fromisoformat(str(raw["date"]))
        article = Article(
            path=f"content/articles/{raw['id']}.md",
            slug=raw["id"],
            title=raw["title"],
            published=dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC),
            source=raw["source"],
            topics=(),
            summary=raw["summary"],
            people=tuple(raw.get("people", ())),
        )
        items.append(Item(raw["id"], raw["split"], raw["event"], article))
    return items


def load_sample(root: Path = REPO) -> list[Item]:
    """The desk in ``root``/content, each article labelled with its confirmed story (an
    article in none is an event of its own)."""
    from briefings.content.load import load_content

    return [Item(a.slug, SAMPLE, a.story or a.path, a) for a in load_content(root).articles]


Method = Callable[[Sequence[Article]], list[Group]]


@dataclass(frozen=True)
class Scores:
    tp: int
    fp: int
    fn: int
    wrong: tuple[tuple[str, str], ...]
    missed: tuple[tuple[str, str], ...]

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(items: Sequence[Item], groups: Sequence[Group], split: str = "all") -> Scores:
    """Pairwise: every pair of items of the split, predicted together or not, truly together or not."""
    group_of = {a.path: g.id for g in groups for a in g.articles}
    chosen = [i for i in items if split in ("all", i.split)]
    tp = fp = fn = 0
    wrong, missed = [], []
    for a, b in combinations(chosen, 2):
        predicted = a.article.path in group_of and group_of[a.article.path] == group_of.get(b.article.path)
        true = a.event == b.event
        if predicted and true:
            tp += 1
        elif predicted:
            fp += 1
            wrong.append((a.id, b.id))
        elif true:
            fn += 1
            missed.append((a.id, b.id))
    return Scores(tp, fp, fn, tuple(wrong), tuple(missed))


def method(*, window: int = WINDOW_DAYS, threshold: float = THRESHOLD, fade: bool = True) -> Method:
    return lambda articles: suggest_stories(
        articles, window=window, threshold=threshold, include_confirmed=True, fade=fade
    )


def table(items: Sequence[Item], sample: Sequence[Item], run: Method, title: str) -> dict[str, Scores]:
    """The labelled set's halves and all of it, then the sample desk (a run of its own)."""
    groups = run([i.article for i in items])
    results = {split: score(items, groups, split) for split in SPLITS}
    sample_groups = run([i.article for i in sample])
    results[SAMPLE] = score(sample, sample_groups)
    print(f"\n{title}: {len(groups)} groups (labelled), {len(sample_groups)} groups (sample)")
    print(f"{'split':<8}{'items':>6}{'events':>7}{'pairs':>7}{'precision':>11}{'recall':>8}{'F1':>7}")
    for split, s in results.items():
        chosen = list(sample) if split == SAMPLE else [i for i in items if split in ("all", i.split)]
        events = len({i.event for i in chosen})
        print(f"{split:<8}{len(chosen):>6}{events:>7}{s.tp + s.fn:>7}{s.precision:>11.3f}{s.recall:>8.3f}{s.f1:>7.3f}")
    return results


def compare(items: Sequence[Item], sample: Sequence[Item]) -> None:
    """Each window and threshold on the tune half and the sample; the best on tune (F1, then
    precision) reported. The held-out half is printed, never used to choose."""
    articles = [i.article for i in items]
    desk = [i.article for i in sample]
    print(f"\n{'window':>6} {'threshold':>9}   tune P / R / F1         sample P / R / F1       holdout P / R / F1")
    best: tuple[float, float, int, float] | None = None
    for window in (1, 2, 3, 4, 5, 7):
        for t in [x / 100 for x in range(10, 51, 5)]:
            groups = suggest_stories(articles, window=window, threshold=t, include_confirmed=True)
            tune, hold = score(items, groups, "tune"), score(items, groups, "holdout")
            on_desk = score(sample, suggest_stories(desk, window=window, threshold=t, include_confirmed=True))
            print(
                f"{window:>6} {t:>9.2f}   {tune.precision:.3f} / {tune.recall:.3f} / {tune.f1:.3f}"
                f"     {on_desk.precision:.3f} / {on_desk.recall:.3f} / {on_desk.f1:.3f}"
                f"     {hold.precision:.3f} / {hold.recall:.3f} / {hold.f1:.3f}"
            )
            key = (tune.f1, tune.precision, -window, t)
            if best is None or key > best:
                best = key
    if best:
        print(f"best on tune: window {-best[2]}, threshold {best[3]:.2f} (F1 {best[0]:.3f})")


def timing(n: int, repeat: int = 3) -> None:
    """Seconds to read an n-article archive and to suggest stories on it (the method alone)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from corpus import make_corpus

    from briefings.content.load import load_content

    with tempfile.TemporaryDirectory() as tmp:
        root = make_corpus(Path(tmp) / "site", n)
        started = time.perf_counter()
        content = load_content(root)
        loaded = time.perf_counter() - started
        runs, groups = [], []
        for _ in range(repeat):
            started = time.perf_counter()
            groups = suggest_stories(content.articles)
            runs.append(time.perf_counter() - started)
    print(f"N = {n} articles, window {WINDOW_DAYS} days, threshold {THRESHOLD}")
    print(f"suggest (vectorise, compare within the window, group, explain): best of {repeat} {min(runs):.2f} s")
    print(f"  ({len(groups)} groups; runs: {', '.join(f'{r:.2f}' for r in runs)} s)")
    print(f"reading the archive (load_content, no cache): {loaded:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", choices=(*SPLITS, SAMPLE), help="List the wrong and missed pairs of a half")
    parser.add_argument("--compare", action="store_true", help="Try windows and thresholds on the tune half")
    parser.add_argument("--window", type=int, default=WINDOW_DAYS)
    parser.add_argument("--threshold", type=float, default=THRESHOLD)
    parser.add_argument("--no-fade", action="store_true", help="Compare within the window as if on one day")
    parser.add_argument("--timing", type=int, metavar="N", help="Time suggestions on an N-article archive")
    args = parser.parse_args()
    if args.timing:
        timing(args.timing)
        return
    items = load_items()
    sample = load_sample()
    print(f"{len(items)} labelled articles, {len({i.event for i in items})} events ({LABELLED.relative_to(REPO)})")
    print(f"{len(sample)} sample articles, {len({i.event for i in sample})} confirmed stories (content/)")
    run = method(window=args.window, threshold=args.threshold, fade=not args.no_fade)
    title = f"window {args.window} days{', no fade' if args.no_fade else ''}, threshold {args.threshold}"
    results = table(items, sample, run, title)
    if args.errors:
        s = results[args.errors]
        for a, b in s.wrong:
            print(f"wrong   {a} ~ {b}")
        for a, b in s.missed:
            print(f"missed  {a} ~ {b}")
    if args.compare:
        compare(items, sample)


if __name__ == "__main__":
    main()
