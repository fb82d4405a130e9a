"""A deterministic synthetic briefing site of N articles, for benchmarks.

Realistic front matter (1-3 of ~10 topics, authors, people, quotes, key
points) and 500-800 word bodies; the same N always gives the same bytes.

Words are drawn as in real prose: a few thousand of them, with Zipf's
frequencies (the n-th most common word about 1/n as often as the first), the
domain's words among the common ones and the article's topics named in its
text. A small vocabulary would flatter every figure that depends on what the
words are: gzip ratios, and search indexes, whose size per word it decides.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TOPICS = [
    ("us-china", "US–China relations"),
    ("taiwan", "Taiwan"),
    ("fentanyl", "Fentanyl"),
    ("trade", "Trade and tariffs"),
    ("military", "Military"),
    ("technology", "Technology"),
    ("south-china-sea", "South China Sea"),
    ("hong-kong", "Hong Kong"),
    ("climate", "Climate"),
    ("diplomacy", "Diplomacy"),
]
PEOPLE = [
    "Joe Biden",
    "Xi Jinping",
    "Lai Ching-te",
    "Jen Daskal",
    "Lloyd Austin",
    "Dong Jun",
    "Wang Yi",
    "Antony Blinken",
    "Gina Raimondo",
    "Janet Yellen",
    "Li Qiang",
    "Hsiao Bi-khim",
    "Ko Wen-je",
    "Hou Yu-ih",
    "Charles Q. Brown Jr.",
    "Liu Zhenli",
    "Wei Xiaojun",
    "Nancy Pelosi",
]
SOURCES = ["Briefings desk", "Wire service", "Evening Post", "Harbour Herald", "Policy Review", "Daily Ledger"]
# Where each outlet is from (content/outlets.yml; "Briefings desk", our own notes, is none):
# the search's country filter reads it.
COUNTRIES = {
    "Wire service": "UK",
    "Evening Post": "US",
    "Harbour Herald": "Taiwan",
    "Policy Review": "Singapore",
    "Daily Ledger": "Australia",
}
DOMAIN = (
    "talks officials agreed meeting summit channel military trade export controls chips tariffs island "
    "strait drills election legislature precursor chemicals enforcement cooperation readout minister "
    "delegation policy security economy sanctions dialogue visit statement response pressure review "
    "agreement framework investment supply network region partners allies council assembly"
).split()
COMMON = (
    "the of and to a in that is for on with as it was by at said from be has have this are will an "
    "not which its were their but after they more also would new over been year than two who one when "
    "about against into there had what other most could first last week between since officials"
).split()
VOCABULARY_SIZE = 5000
_CONSONANTS, _VOWELS = "bcdfghjklmnprstvwz", "aeiou"


def vocabulary() -> tuple[list[str], list[float]]:
    """Words ranked most common first, and their cumulative Zipf weights."""
    rng = random.Random(0)
    words = list(dict.fromkeys(COMMON + DOMAIN))
    seen = set(words)
    while len(words) < VOCABULARY_SIZE:  # made-up words of two to four syllables
        word = "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    weights, total = [], 0.0
    for rank in range(1, len(words) + 1):
        total += 1 / rank
        weights.append(total)
    return words, weights


WORDS, CUMULATIVE = vocabulary()


def sentence(rng: random.Random, named: tuple[str, ...] = ()) -> str:
    words = rng.choices(WORDS, cum_weights=CUMULATIVE, k=rng.randint(8, 18))
    if named and rng.random() < 0.3:  # an article names its topics now and then
        words[rng.randrange(len(words))] = rng.choice(named)
    return " ".join(words).capitalize() + "."


def article(i: int, rng: random.Random, start: dt.date, days: int, n: int) -> tuple[str, str]:
    day = start + dt.timedelta(days=i * days // n + rng.randint(0, 2))
    topics = rng.sample([t for t, _ in TOPICS], rng.choice([1, 1, 2, 2, 3]))
    people = rng.sample(PEOPLE, rng.randint(0, 3))
    named = tuple(title for t, title in TOPICS if t in topics)
    title = " ".join(rng.choices(DOMAIN, k=rng.randint(5, 10))).capitalize()
    front = {
        "title": f"{title} ({i})",
        "date": day.isoformat(),
        "source": rng.choice(SOURCES),
        "author": rng.choice(["Ann Writer", "Bo Reporter", "Chen Li", "Dana Cruz"]),
        "topics": topics,
        "summary": " ".join(sentence(rng, named) for _ in range(2)),
        "key_points": [sentence(rng, named) for _ in range(rng.randint(2, 4))],
        "why_it_matters": sentence(rng, named),
        "people": people,
    }
    if people and rng.random() < 0.4:
        front["quotes"] = [{"text": sentence(rng), "speaker": people[0]}]
    target = rng.randint(500, 800)
    paragraphs, words = [], 0
    while words < target:
        paragraph = " ".join(sentence(rng, named) for _ in range(rng.randint(3, 6)))
        words += len(paragraph.split())
        paragraphs.append(paragraph)
    name = f"{day.year}/{day.isoformat()}-synthetic-{i:05d}.md"
    text = (
        "---\n"
        + yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
        + "---\n"
        + "\n\n".join(paragraphs)
        + "\n"
    )
    return name, text


def make_corpus(root: Path, n: int, *, seed: int = 1) -> Path:
    """Write a briefing project with n articles into root (replacing it)."""
    if root.exists():
        shutil.rmtree(root)
    (root / "content" / "articles").mkdir(parents=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    (root / "content" / "topics.yml").write_text(
        yaml.safe_dump(
            [{"id": t, "title": title, "description": f"Everything on {title}."} for t, title in TOPICS],
            allow_unicode=True,
            sort_keys=False,
        ),
        "utf-8",
    )
    (root / "content" / "outlets.yml").write_text(
        yaml.safe_dump(
            [
                {
                    "id": f"outlet-{i}",
                    "name": name,
                    "domains": [f"outlet-{i}.example"],
                    "country": country,
                    "type": "newspaper",
                    "language": "en",
                }
                for i, (name, country) in enumerate(COUNTRIES.items())
            ],
            allow_unicode=True,
            sort_keys=False,
        ),
        "utf-8",
    )
    rng = random.Random(seed)
    # A thousand articles a year from 2015, up to 10,000; a bigger archive spans 2005-2024
    # (100,000: 5,000 a year), so that every article is in the past and published.
    start, days, per = (dt.date(2015, 1, 1), 3650, 10_000) if n <= 10_000 else (dt.date(2005, 1, 1), 7300, n)
    for i in range(n):
        name, text = article(i, rng, start, days, per)
        path = root / "content" / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return root


if __name__ == "__main__":
    import sys

    make_corpus(Path(sys.argv[1]), int(sys.argv[2]))
