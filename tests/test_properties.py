"""Property-based tests: whatever a file holds, the loader returns an article or
problems of its own kind; it never raises anything else."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.content.fields import (
    ARTICLE_FIELDS,
    CONTROL_RE,
    EARLIEST_YEAR,
    LATEST_YEAR,
    MAX_SLUG_BYTES,
    RESERVED_SLUGS,
    SLUG_RE,
)
from briefings.content.load import load_article
from briefings.content.model import Article, Topic
from briefings.content.source import source_from_bytes
from briefings.errors import Problem

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


@pytest.mark.slow
@EXAMPLES
@given(st.binary(max_size=2000))
def test_any_bytes(raw):
    load(raw)


@EXAMPLES
@given(st.binary(max_size=500))
def test_any_bytes_after_a_fence(raw):
    load(b"---\n" + raw + b"\n---\n")


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.dates().map(str),
    st.sampled_from(
        [
            "2024-01-13",
            "2023-02-30",
            "taiwan",
            "https://example.org/a",
            "javascript:alert(1)",
            "<script>x</script>",
            "{{ x }}",
            "",
        ]
    ),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
keys = st.sampled_from(list(ARTICLE_FIELDS)) | st.text(min_size=1, max_size=12)


@pytest.mark.slow
@EXAMPLES
@given(st.dictionaries(keys, values, max_size=10))
def test_any_front_matter_mapping(front):
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\nBody.\n"
    load(text.encode("utf-8"))


# Printable text: YAML itself folds line breaks such as U+0085 inside a title.
printable = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=200)


@pytest.mark.slow
@EXAMPLES
@given(
    title=printable.filter(str.strip),
    day=st.dates(dt.date(1800, 1, 1), dt.date(2200, 12, 31)),
    topics=st.lists(st.sampled_from(["taiwan", "us-china", "Taiwan"]), min_size=1, max_size=3),
)
def test_valid_front_matter_always_loads(title, day, topics):
    front = {"title": title, "date": day.isoformat(), "source": "Desk", "topics": topics}
    article, problems = load(("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n").encode("utf-8"))
    assert problems == [] and article.title == title.strip() and article.date == day


# --- the classes of input issue 12 found: file names, YAML scalars, dates, names ----------

FEW = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FRONT = "date: 2024-01-13\nsource: Desk\ntopics: [taiwan]\n"
# Anything a file name can hold: no "/" and no NUL.
stems = st.text(st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), min_size=1, max_size=120)


@FEW
@given(stem=stems | st.sampled_from(["index", "Index", "con", "COM1", "people", "🙂", "...", "a" * 200, "é" * 120]))
def test_any_file_name_gives_a_valid_slug_or_one_problem(stem):
    """Whatever a file is called: a slug that is a safe file name within the byte limit, or one line."""
    problems: list[Problem] = []
    rel = f"content/articles/{stem}.md"
    article = load_article(source_from_bytes(f"---\ntitle: T\n{FRONT}---\n".encode(), rel), TOPICS, problems)
    if article is None:
        assert [(p.path, p.line, p.field) for p in problems] == [(rel, 1, "slug")]
        assert "\n" not in str(problems[0])
    else:
        assert problems == []
        assert SLUG_RE.match(article.slug) and len(article.slug.encode()) <= MAX_SLUG_BYTES
        assert article.slug not in RESERVED_SLUGS


def yaml_text(front: str):
    """What YAML itself reads, every scalar as text (the oracle), or None if it is not YAML.
    The same parser as the reader's: libyaml and PyYAML's own differ on odd input (a trailing tab)."""
    try:
        return yaml.load(front, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
    except yaml.YAMLError:
        return None


one_line = st.text(
    st.characters(blacklist_characters="\n\r\x85\u2028\u2029\x00", blacklist_categories=("Cs",)), max_size=40
)
yaml_words = st.sampled_from(
    [
        "9:11",
        "010",
        "0x1F",
        "0o17",
        "0b101",
        "1e3",
        "1.5e3",
        ".inf",
        "-.INF",
        ".nan",
        "+12",
        "1_000",
        "12.50",
        "No",
        "yes",
        "ON",
        "off",
        "y",
        "~",
        "null",
        "true",
        "False",
        "=",
        "<<",
        "2024-01-13",
        "2001-12-14t21:59:43.10-05:00",
        "1" * 5000,
        "&a",
        "*a",
        "!x",
        "|",
        ">-",
        "[a]",
        "{a: b}",
        "a: b",
        "a #b",
        "- a",
        "'a'",
        '"a"',
        "@a",
        "`a",
        "%a",
        "? a",
    ]
)


@FEW
@given(raw=one_line | yaml_words)
def test_a_plain_scalar_title_is_the_text_yaml_reads_or_one_problem(raw):
    """`title: <raw>`: the title is exactly the text YAML reads there (never a number,
    never a YAML 1.1 boolean), or there is one problem, about the title or the YAML."""
    front = f"title: {raw}\n{FRONT}"
    article, problems = load(f"---\n{front}---\n".encode())
    expected = yaml_text(front)
    if article is not None:
        assert isinstance(article.title, str)
        assert expected is not None and article.title == expected["title"].strip()
        assert not CONTROL_RE.search(article.title)
    else:
        assert len(problems) == 1, problems
        assert problems[0].field in ("title", "front matter")
        if problems[0].field == "title":
            assert problems[0].line == 2


@FEW
@given(
    value=st.text(st.characters(blacklist_categories=("Cs",)), max_size=60) | yaml_words,
    key=st.sampled_from(["title", "summary"]),
    style=st.sampled_from(['"', "'"]),
)
def test_a_quoted_scalar_is_the_exact_text_or_one_problem_naming_the_field(value, key, style):
    scalar = yaml.safe_dump(value, default_style=style, allow_unicode=True, width=float("inf"))
    scalar = scalar.removesuffix("\n").removesuffix("\n...")
    front = f"title: {scalar}\n{FRONT}" if key == "title" else f"title: T\n{FRONT}{key}: {scalar}\n"
    # What YAML reads: the text itself, but for line breaks inside single quotes, which fold.
    expected = yaml_text(front)[key]
    assert expected == value or style == "'"
    article, problems = load(f"---\n{front}---\n".encode())
    if article is not None:  # and then a text the feeds (XML) can hold
        assert getattr(article, key) == expected.strip() and not CONTROL_RE.search(expected.strip())
        return
    assert len(problems) == 1 and problems[0].field == key, problems
    message = problems[0].message
    if "control character" in message or "invalid character" in message:
        assert CONTROL_RE.search(expected.strip())
    elif "line break" in message:
        assert key == "title" and "\n" in expected.strip()
    elif "characters long" in message:
        assert len(expected.strip()) > (1_000 if key == "title" else 20_000)
    else:
        assert message == "is empty (expected some text)" and not expected.strip()


in_range = st.dates(dt.date(EARLIEST_YEAR, 1, 1), dt.date(LATEST_YEAR, 12, 31))
offsets = st.integers(-14 * 60, 14 * 60).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(day=in_range, time=st.none() | st.times(), tz=offsets)
def test_any_date_in_range_builds_its_page_and_feeds(day, time, tz):
    import feedparser

    from briefings.content.model import Content
    from briefings.options import Settings
    from briefings.pages.feeds import FeedSpec, atom, json_feed
    from briefings.pages.group import group
    from briefings.pages.render import ArticlePages, RenderContext
    from briefings.pipeline import content_epoch

    when = day.isoformat() if time is None else dt.datetime.combine(day, time, tz).isoformat()
    article, problems = load(f"---\ntitle: T\ndate: '{when}'\nsource: Desk\ntopics: [taiwan]\n---\n".encode())
    assert problems == [] and article.date == day
    content = Content(topics=tuple(TOPICS), articles=(article,))
    edition = group(content, content.articles)
    pages = ArticlePages(RenderContext(edition, Settings()))
    assert pages.name(0) == "articles/x.md" and pages.page(0)
    spec = FeedSpec("All", "", "", edition.articles)
    feed = feedparser.parse(atom(spec, edition, Settings()))
    assert not feed.bozo and feed.entries[0].published.startswith(str(day.year).zfill(4))
    assert json.loads(json_feed(spec, edition, Settings()))["items"][0]["date_published"].startswith(when[:10])
    # The build date: MkDocs takes SOURCE_DATE_EPOCH to midnight of its day for the gzip'd sitemap.
    epoch = content_epoch(edition)
    assert 0 <= epoch <= 2**32 - 1
    midnight = dt.datetime.combine(dt.datetime.fromtimestamp(epoch, dt.UTC).date(), dt.time(), dt.UTC)
    gzip.compress(b"sitemap", mtime=int(midnight.timestamp()))


@FEW
@given(year=st.integers(1, EARLIEST_YEAR - 1) | st.integers(LATEST_YEAR + 1, 9999), month=st.integers(1, 12))
def test_a_date_out_of_range_gets_the_message(year, month):
    raw = f"{year:04d}-{month:02d}-01"
    _, problems = load(f"---\ntitle: T\ndate: {raw}\nsource: Desk\ntopics: [taiwan]\n---\n".encode())
    assert [(p.line, p.field, p.message) for p in problems] == [
        (3, "date", f"'{raw}' is outside the years 1800–2200 (expected a real publication date)")
    ]


# U+FFFE and U+FFFF are refused in any text field (XML forbids them): a problem, tested elsewhere.
names = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=40,
).filter(str.strip) | st.sampled_from(
    [
        "王毅",
        "汪毅",
        "🙂",
        "😀",
        "Zoë",
        "Zoe\u0308",
        "ZOE",
        "Index",
        "con",
        "...",
        "!!!",
        "Lai Ching-te",
        "lai ching te",
        "O'Brien",
        "OBrien",
        "王" * 40,
    ]
)


@FEW
@given(first=names, second=names)
def test_two_names_get_two_pages_one_page_or_a_problem_never_a_silent_merge(first, second):
    """Any name gets a page name that is a safe path component within the limit (or a problem
    saying why not); two different names never share a page without check saying so."""
    from briefings.content.model import Content
    from briefings.content.people import name_key, person_slug
    from briefings.content.registries import people_problems
    from briefings.pages.group import group

    front = {"title": "T", "date": "2024-01-13", "source": "Desk", "topics": ["taiwan"], "people": [first, second]}
    article, problems = load(("---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n").encode())
    assert problems == []
    found = people_problems([], {}, (), [article])
    for name in (first, second):
        page = person_slug(name)
        assert page, name
        fits = SLUG_RE.match(page) and len(page.encode()) <= MAX_SLUG_BYTES and page not in RESERVED_SLUGS
        assert fits or any(repr(name[:60])[1:-1] in p.message for p in found), (name, page, found)
    same = name_key(first.strip()) == name_key(second.strip())
    clash = not same and person_slug(first.strip()) == person_slug(second.strip())
    assert clash == any("would share the page" in p.message for p in found)
    if not found:
        pages = group(Content(topics=tuple(TOPICS), articles=(article,)), (article,)).people
        assert len(pages) == (1 if same else 2)
        assert all(SLUG_RE.match(f.person.slug) for f in pages)
