"""Property-based tests: whatever a file holds, the loader returns an article or
problems of its own kind; it never raises anything else."""

from __future__ import annotations

import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.errors import Problem
from briefings.fields import ARTICLE_FIELDS
from briefings.loader import load_article
from briefings.model import Article, Topic
from briefings.reader import source_from_bytes

TOPICS = [Topic("taiwan", "Taiwan"), Topic("us-china", "US–China relations")]
EXAMPLES = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def load(raw: bytes):
    problems: list[Problem] = []
    article = load_article(source_from_bytes(raw, "content/articles/x.md"), TOPICS, problems)
    # Exactly one outcome: an article and no problems, or no article and problems.
    assert (article is None) == bool(problems)
    assert article is None or isinstance(article, Article)
    for p in problems:
        assert isinstance(p, Problem) and p.path == "content/articles/x.md" and p.line >= 1
        assert "\n" not in str(p)
    return article, problems


@EXAMPLES
@given(st.binary(max_size=2000))
def test_any_bytes(raw):
    load(raw)


@EXAMPLES
@given(st.binary(max_size=500))
def test_any_bytes_after_a_fence(raw):
    load(b"---\n" + raw + b"\n---\n")


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
    st.dates().map(str), st.sampled_from(["2024-01-13", "2023-02-30", "taiwan", "https://example.org/a",
                                          "javascript:alert(1)", "<script>x</script>", "{{ x }}", ""]),
)
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.text(max_size=8), inner, max_size=4), max_leaves=12)
keys = st.sampled_from(list(ARTICLE_FIELDS)) | st.text(min_size=1, max_size=12)


@EXAMPLES
@given(st.dictionaries(keys, values, max_size=10))
def test_any_front_matter_mapping(front):
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody.\n"
    load(text.encode("utf-8"))


# Printable text: YAML itself folds line breaks such as U+0085 inside a title.
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=200)


@EXAMPLES
@given(title=printable.filter(str.strip), day=st.dates(dt.date(1800, 1, 1), dt.date(2200, 12, 31)),
       topics=st.lists(st.sampled_from(["taiwan", "us-china", "Taiwan"]), min_size=1, max_size=3))
def test_valid_front_matter_always_loads(title, day, topics):
    front = {"title": title, "date": day.isoformat(), "source": "Desk", "topics": topics}
    article, problems = load(("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n").encode("utf-8"))
    assert problems == [] and article.title == title.strip() and article.date == day
