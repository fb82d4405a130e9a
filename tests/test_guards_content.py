"""Validation that matches what the build can do (issue 12, part 4).

Input that is valid or nearly so must either build, showing what the curator
wrote, or get one exact line from `briefings check`: never a traceback, a hang,
a number where text was written, or a page that overwrites another.
Each test writes real files into a fresh desk and runs the real CLI.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import VALID, Site, require_installed, tree_hash

ARTICLE = "content/articles/{}:{}: "


def problems(site: Site) -> list[str]:
    """Run check: exit 1, no traceback, content/ untouched; the problem lines."""
    before = tree_hash(site.root / "content")
    result = site.run("check")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    assert tree_hash(site.root / "content") == before
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"Error: \d+ problems? found\.", lines[-1])  # check says them, and builds nothing anyway
    return lines[:-1]


def built(site: Site, *args: str) -> Path:
    result = site.run("build", *args)
    assert result.exit_code == 0, result.output
    return site.root / "site"


def h1(site_dir: Path, page: str) -> str:
    return BeautifulSoup((site_dir / page / "index.html").read_text("utf-8"), "html.parser").h1.get_text(strip=True)


def article(title: str = "A valid article", **fields: str) -> str:
    """VALID front matter with this title (line 2) and these fields (from line 6, or in place)."""
    values = dict(line.split(": ", 1) for line in VALID.splitlines())
    values.update(title=title, **fields)
    return "".join(f"{key}: {value}\n" for key, value in values.items())


# --- 1. YAML 1.1 surprises: text fields are the text as written ---------------------

YAML11 = [
    "9:11",
    "010",
    "0x1F",
    "0o17",
    "1e3",
    ".inf",
    ".NaN",
    "-12",
    "+12",
    "1_000",
    "12.50",
    "No",
    "yes",
    "on",
    "Off",
    "y",
    "=",
    "<<",
]


def test_plain_scalars_that_yaml_11_reads_as_numbers_or_booleans_stay_text(site):
    """`title: 9:11` was 551, `010` was 8 and `title: No` was false: each is now its own title,
    on the page and in both feeds; people and topics keep them as written too."""
    for i, title in enumerate(YAML11):
        site.article(f"a{i}.md", article(title))
    site.write("content/topics.yml", "- id: taiwan\n  title: 010\n  keywords: [0x1F]\n")
    site.write("content/people.yml", "- name: 007\n  aliases: [on]\n")
    site.article("bond.md", article("Bond", people="[007, ON]"))  # the name, and the alias in other case
    out = built(site)
    for i, title in enumerate(YAML11):
        assert h1(out, f"articles/a{i}") == title
    assert sorted(e.title for e in feedparser.parse((out / "feeds/all.xml").read_bytes()).entries) == sorted(
        [*YAML11, "Bond"]
    )
    assert sorted(i["title"] for i in json.loads((out / "feeds/all.json").read_text("utf-8"))["items"]) == sorted(
        [*YAML11, "Bond"]
    )
    assert h1(out, "topics/taiwan") == "010"
    assert h1(out, "people/007") == "007"
    assert len(list((out / "people").glob("*/index.html"))) == 1


def test_a_5000_digit_title_is_text_and_gets_the_length_message(site):
    """Python refuses to turn more than 4,300 digits into an int: check crashed."""
    site.article("digits.md", article("1" * 5_000))
    site.article("int.md", article("!!int " + "1" * 5_000))
    assert problems(site) == [
        ARTICLE.format("digits.md", 2) + "title: is 5,000 characters long (expected at most 1,000)",
        ARTICLE.format("int.md", 2) + "front matter: YAML tag '!!int' is not allowed (expected plain text, numbers, "
        "dates, lists and mappings)",
    ]


@pytest.mark.parametrize("value", ["true", "False", "TRUE"])
def test_a_bare_true_or_false_as_text_asks_for_quotes(site, value):
    site.article("t.md", article(value))
    assert problems(site) == [
        ARTICLE.format("t.md", 2) + "title: expected text (got true/false; put it in quotes if you mean the words)"
    ]


def test_quoted_true_is_the_word(site):
    site.article("t.md", article('"true"', summary="'false'"))
    assert h1(built(site), "articles/t") == "true"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("yes", "expected true or false (got 'yes': write true)"),
        ("Off", "expected true or false (got 'Off': write false)"),
        ("!!bool maybe", "'maybe' is not true or false (expected true or false, without the !!bool tag)"),
    ],
)
def test_draft_with_a_yaml_11_boolean_says_what_to_write(site, value, expected):
    site.article("d.md", article(draft=value))
    field = "front matter" if "!!" in value else "draft"
    assert problems(site) == [ARTICLE.format("d.md", 6) + f"{field}: {expected}"]


def test_dates_and_booleans_keep_working(site):
    site.article("a.md", article(draft="false", updated="2024-02-01T10:00:00+08:00"))
    site.article("b.md", article("Draft", draft="true"))
    result = site.run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK: 2 articles (1 drafts) in 3 topics, no problems.\n"


# --- 2. control characters -----------------------------------------------------------


def test_escaped_control_characters_are_refused_in_every_text_field(site):
    """ "\\v" in a title passed check, then lxml refused it in the Atom feed."""
    site.article(
        "c.md",
        VALID.replace("A valid article", '"Vertical\\vtab"')
        + """\
summary: "DEL \\x7f"
key_points: ["fine", "C1 \\x85 line"]
quotes:
  - text: ok
    speaker: "Bell \\a"
image: {caption: "Escape \\e"}
""",
    )
    assert problems(site) == [
        ARTICLE.format("c.md", 2) + "title: contains a control character U+000B (expected plain text: remove it)",
        ARTICLE.format("c.md", 6) + "summary: contains a control character U+007F (expected plain text: remove it)",
        ARTICLE.format("c.md", 7) + "key_points: item 2 contains a control character U+0085 "
        "(expected plain text: remove it)",
        ARTICLE.format("c.md", 10) + "quotes[0].speaker: contains a control character U+0007 "
        "(expected plain text: remove it)",
        ARTICLE.format("c.md", 11) + "image: caption: contains a control character U+001B "
        "(expected plain text: remove it)",
    ]


def test_non_characters_xml_cannot_hold_are_refused(site):
    site.article("c.md", article('"Not XML \\uFFFE"'))
    assert problems(site) == [
        ARTICLE.format("c.md", 2) + "title: contains an invalid character U+FFFE (expected plain text: remove it)"
    ]


def test_raw_control_characters_name_their_line_and_field(site):
    """YAML refuses them itself, but at the start of the YAML and with an offset: say where."""
    site.write("content/articles/raw.md", "---\n" + VALID + "summary: |\n  first line\n  second\x0bline\n---\n")
    site.write("content/articles/key.md", "---\n" + VALID + "# a comment \x1b[31m\n---\n")
    site.write("content/articles/quote.md", "---\n" + VALID + "quotes:\n  - text: Fine.\n    speaker: Do\x7fe\n---\n")
    assert problems(site) == [
        ARTICLE.format("key.md", 6) + "front matter: contains a control character U+001B "
        "(expected plain text: remove it)",
        ARTICLE.format("quote.md", 8) + "quotes: contains a control character U+007F (expected plain text: remove it)",
        ARTICLE.format("raw.md", 8) + "summary: contains a control character U+000B (expected plain text: remove it)",
    ]


def test_titles_and_names_are_one_line(site):
    site.article("n.md", article('"two\\nlines"', summary='"a summary\\nmay have lines"', people='["Jane\\nDoe"]'))
    assert problems(site) == [
        ARTICLE.format("n.md", 2) + "title: contains a line break (expected one line of text)",
        ARTICLE.format("n.md", 7) + "people: item 1 contains a line break (expected one line of text)",
    ]


def test_topic_titles_and_people_names_are_one_line(site):
    site.write("content/topics.yml", '- id: taiwan\n  title: "Tai\\nwan"\n  description: "Two\\nlines are fine"\n')
    site.write("content/people.yml", '- name: "Jane\\nDoe"\n- name: John Roe\n  aliases: ["J.\\nRoe"]\n')
    site.article("a.md", VALID)
    assert problems(site) == [
        "content/topics.yml:2: topics[1].title: contains a line break (expected one line of text)",
        "content/people.yml:1: people[1].name: contains a line break (expected one line of text)",
        "content/people.yml:3: people[2].aliases: item 1 contains a line break (expected one line of text)",
    ]


def test_control_characters_in_topics_and_people_files(site):
    site.write("content/topics.yml", '- id: taiwan\n  title: "Tai\\x01wan"\n  keywords: ["ok", "\\x9b"]\n')
    site.write("content/people.yml", '- name: Jane Doe\n  description: "page\\x0cfeed"\n- name: "A\\x00B"\n')
    site.write("content/articles/raw.md", "---\n" + VALID + "---\n")
    assert problems(site) == [
        "content/topics.yml:2: topics[1].title: contains a control character U+0001 (expected plain text: remove it)",
        "content/topics.yml:3: topics[1].keywords: item 2 contains a control character U+009B "
        "(expected plain text: remove it)",
        "content/people.yml:2: people[1].description: contains a control character U+000C "
        "(expected plain text: remove it)",
        "content/people.yml:3: people[2].name: contains a control character U+0000 (expected plain text: remove it)",
    ]


def test_raw_control_character_in_topics_yml(site):
    site.write("content/topics.yml", "- id: taiwan\n  title: Tai\x7fwan\n")
    site.article("a.md", VALID)
    assert problems(site) == [
        "content/topics.yml:2: topics[1].title: contains a control character U+007F (expected plain text: remove it)"
    ]


def test_the_atom_writer_drops_what_xml_cannot_hold():
    """The site's name comes from mkdocs.yml, which the loader does not check: never crash on it."""
    from briefings.content.model import Article, Content, Topic
    from briefings.options import Settings
    from briefings.pages.feeds import FeedSpec, atom
    from briefings.pages.group import group

    item = Article(
        path="a.md",
        slug="a",
        title="Ver\x0btical",
        source="Desk\x01",
        topics=("t",),
        published=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        summary="Sum\ufffemary",
    )
    content = Content(topics=(Topic("t", "To\x1bpic"),), articles=(item,))
    edition = group(content, content.articles)
    feed = feedparser.parse(atom(FeedSpec("All", "", "", (item,)), edition, Settings(site_name="Desk\x07")))
    assert not feed.bozo
    assert (feed.feed.title, feed.entries[0].title, feed.entries[0].summary) == ("Desk", "Vertical", "Summary")
    assert feed.entries[0].tags[0].label == "Topic"


def test_a_site_name_with_a_control_character_still_builds_its_feeds(site):
    config = site.root / "mkdocs.yml"
    lines = config.read_text("utf-8").splitlines(keepends=True)
    config.write_text(
        "".join('site_name: "Desk\\v Name"\n' if line.startswith("site_name:") else line for line in lines), "utf-8"
    )
    site.article("a.md", VALID)
    feed = feedparser.parse((built(site) / "feeds/all.xml").read_bytes())
    assert not feed.bozo and feed.feed.title == "Desk Name"


# --- 3. dates across the documented range build --------------------------------------


@pytest.mark.slow
def test_dates_from_1800_to_2200_build_with_sitemap_and_feeds(site):
    """An article before 1970 gave the gzip'd sitemap a negative time and crashed the build."""
    site.article("old.md", article("Oldest", date="1800-01-01"))
    site.article("eve.md", article("Eve of the epoch", date="1969-12-31"))
    site.article("far.md", article("Far future", date="2200-12-31"))
    out = built(site)
    assert gzip.GzipFile(fileobj=open(out / "sitemap.xml.gz", "rb")).read()  # noqa: SIM115
    assert (out / "sitemap.xml.gz").read_bytes()[4:8] == bytes(4)  # mtime: clamped to the epoch
    assert h1(out, "articles/old") == "Oldest"
    assert not (out / "articles/far").exists()  # dated in the future: waits
    for name in ("feeds/all.xml", "feeds/topic-taiwan.xml"):
        feed = feedparser.parse((out / name).read_bytes())
        assert not feed.bozo
        assert [(e.title, e.published[:10]) for e in feed.entries] == [
            ("Eve of the epoch", "1969-12-31"),
            ("Oldest", "1800-01-01"),
        ]
    items = json.loads((out / "feeds/all.json").read_text("utf-8"))["items"]
    assert [i["date_published"] for i in items] == ["1969-12-31T00:00:00+00:00", "1800-01-01T00:00:00+00:00"]
    drafts = built(site, "--drafts")
    assert h1(drafts, "articles/far").startswith("Far future")  # then a Draft badge
    # clamped to 2**32 - 1, which MkDocs takes to midnight of its day (2106-02-07)
    assert int.from_bytes((drafts / "sitemap.xml.gz").read_bytes()[4:8], "little") == 4_294_944_000
    assert gzip.decompress((drafts / "sitemap.xml.gz").read_bytes())


def test_content_epoch_stays_within_what_gzip_can_store():
    from briefings.content.model import Article, Content
    from briefings.pages.group import group
    from briefings.pipeline import content_epoch

    def epoch(*days: str) -> int:
        articles = tuple(
            Article(
                path=f"{d}.md",
                slug=d,
                title=d,
                source="s",
                topics=(),
                published=dt.datetime.fromisoformat(d).replace(tzinfo=dt.UTC),
            )
            for d in days
        )
        return content_epoch(group(Content(topics=(), articles=articles), articles))

    assert epoch("1800-01-01") == 0
    assert epoch("1800-01-01", "1969-12-31") == 0
    assert epoch("1969-12-31", "1970-01-02") == 86_400
    assert epoch("2200-01-01") == 2**32 - 1


def test_old_dates_build_with_pagefind(site):
    require_installed("pagefind")
    site.settings(search="pagefind")
    site.article("old.md", article("Oldest", date="1800-01-01"))
    out = built(site)
    assert (out / "pagefind/pagefind.js").is_file() and h1(out, "articles/old") == "Oldest"


# --- 4. lengths that fit in a file name ----------------------------------------------


def test_names_at_the_byte_limit_build(site):
    """100 bytes is the limit: with every prefix and suffix the build adds
    ("feeds/.person-<slug>.json.tmp", "topics/<id>/2024/01.md"), they still fit."""
    long_id, long_slug, long_person = "t" * 100, "a" * 100, "p" * 100
    site.write("content/topics.yml", f"- id: {long_id}\n  title: Long\n")
    site.write("content/people.yml", f"- name: Someone with a long page\n  slug: {long_person}\n")
    site.settings(archive_after=1)
    for day in ("2024-01-13", "2024-02-13"):
        site.article(
            f"{day}.md",
            article(
                day,
                topics=f"[{long_id}]",
                people="[Someone with a long page, " + "Q" * 100 + "]",
                slug=f"{long_slug[:-10]}{day}",
            ),
        )
    out = built(site)
    assert h1(out, f"topics/{long_id}") == "Long"
    assert (out / f"feeds/person-{long_person}.json").is_file() and (out / f"people/{'q' * 100}").is_dir()
    assert (out / f"topics/{long_id}/2024/01/index.html").is_file()


def test_too_long_ids_slugs_and_names(site):
    """A 300-character topic id or person passed check, then the build failed: file name too long."""
    site.write("content/topics.yml", f"- id: taiwan\n  title: Taiwan\n- id: {'t' * 101}\n  title: Long\n")
    site.article("s.md", article(slug="s" * 101))
    site.article("p.md", article(people=f"[{'Q' * 101}, {'王' * 100}]"))
    assert problems(site) == [
        "content/topics.yml:3: topics[2].id: is 101 bytes long (expected at most 100 bytes)",
        ARTICLE.format("p.md", 6) + f"people: '{'Q' * 60}…' makes a page name of 101 bytes (expected at most 100: "
        "shorten the name, or give this person a slug: in content/people.yml)",
        ARTICLE.format("p.md", 6) + f"people: '{'王' * 60}…' makes a page name of 499 bytes (expected at most 100: "
        "shorten the name, or give this person a slug: in content/people.yml)",
        ARTICLE.format("s.md", 6) + "slug: is 101 bytes long (expected at most 100 bytes)",
    ]


def test_a_long_name_in_people_yml_needs_a_slug(site):
    name = "王" * 300  # 300 characters, 900 bytes; transliterated "wang-wang-...": 1,499 bytes
    site.write("content/people.yml", f"- name: {name}\n")
    site.article("p.md", article(people=f"[{name}]"))
    assert problems(site) == [
        f"content/people.yml:1: people[1].name: '{'王' * 60}…' makes a page name of 1,499 bytes "
        "(expected at most 100: shorten the name, or add a slug: to this entry)"
    ]
    site.write("content/people.yml", f"- name: {name}\n  slug: wang\n")
    assert (
        BeautifulSoup((built(site) / "people/wang/index.html").read_text("utf-8"), "html.parser").h1.get_text(
            strip=True
        )
        == name
    )


def test_a_long_file_name_makes_a_shorter_slug(site):
    stem = "-".join(["word"] * 40)  # 199 characters
    site.article(f"{stem}.md", VALID)
    out = built(site)
    assert (out / "articles" / "-".join(["word"] * 20)).is_dir()  # 99 characters, at a word boundary


# --- 5. names the site uses itself ---------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "index",
        "topics",
        "people",
        "articles",
        "search",
        "assets",
        "feeds",
        "pagefind",
        "404",
        "sitemap",
        "tags",
        "timeline",
        "sources",
        "stories",
        "outlets",
        "digests",
    ],
)
def test_site_names_are_refused_as_article_slugs(site, name):
    site.article(f"{name}.md", VALID)
    site.article("other.md", article(slug=name))
    reason = f"{name!r} is the name of a page or folder the site builds (expected another slug)"
    assert problems(site) == sorted(
        [  # by file
            ARTICLE.format(f"{name}.md", 1) + f"slug: from the file name: {reason}",
            ARTICLE.format("other.md", 6) + f"slug: {reason}",
        ]
    )


def test_reserved_topic_ids_and_person_names(site):
    site.write(
        "content/topics.yml", "- id: taiwan\n  title: Taiwan\n- id: index\n  title: Index\n- id: com1\n  title: Port\n"
    )
    site.write("content/people.yml", "- name: People\n- name: Nul\n  slug: nul\n")
    site.article("a.md", article(people="[Index, Con]"))
    assert problems(site) == [
        "content/topics.yml:3: topics[2].id: 'index' is the name of a page or folder the site builds "
        "(expected another id)",
        "content/topics.yml:5: topics[3].id: 'com1' is a reserved file name on Windows (expected another id)",
        ARTICLE.format("a.md", 6) + "people: 'Index' makes the page name 'index', the name of a page the site builds "
        "(expected another: give this person a slug: in content/people.yml)",
        ARTICLE.format("a.md", 6) + "people: 'Con' makes the page name 'con', a reserved file name on Windows "
        "(expected another: give this person a slug: in content/people.yml)",
        "content/people.yml:1: people[1].name: 'People' makes the page name 'people', the name of a page the "
        "site builds (expected another: add a slug: to this entry)",
        "content/people.yml:3: people[2].slug: 'nul' is a reserved file name on Windows (expected another slug)",
    ]


def test_a_person_named_index_with_a_slug_gets_a_page(site):
    site.write("content/people.yml", "- name: Index\n  slug: index-the-band\n")
    site.article("a.md", article(people="[index]"))
    out = built(site)
    assert h1(out, "people/index-the-band") == "Index"
    assert h1(out, "people") == "People"


# --- 6. people whose page names collide ----------------------------------------------


def test_two_names_with_one_slug_are_refused_with_both_places(site):
    """王毅 and 汪毅 both slugify to wang-yi and were merged into one page."""
    site.article("a.md", article(people="[王毅]"))
    site.article("b.md", article(people="[Someone, 汪毅]"))
    assert problems(site) == [
        ARTICLE.format("b.md", 6) + "people: '汪毅' and '王毅' (content/articles/a.md:6) would share the page "
        "people/wang-yi/ (expected one page per person: if they are one person, list "
        "one as an alias of the other in content/people.yml; if not, give one of them "
        "a slug: there)"
    ]
    site.write("content/people.yml", "- name: 汪毅\n  slug: wang-yi-2\n")
    out = built(site)
    assert h1(out, "people/wang-yi") == "王毅" and h1(out, "people/wang-yi-2") == "汪毅"


def test_people_yml_entries_with_one_slug(site):
    site.write("content/people.yml", "- name: 王毅\n- name: Zoë\n- name: 汪毅\n- name: Zoe\n  aliases: [Z]\n")
    site.article("a.md", article(people="[Wang Yi]"))
    assert problems(site) == [
        ARTICLE.format("a.md", 6) + "people: 'Wang Yi' and '王毅' (content/people.yml:1) would share the page "
        "people/wang-yi/ (expected one page per person: if they are one person, list one "
        "as an alias of the other in content/people.yml; if not, give one of them a "
        "slug: there)",
        "content/people.yml:3: people[3].name: '汪毅' and '王毅' (content/people.yml:1) would share the page "
        "people/wang-yi/ (expected one page per person: if they are one person, list one as an alias of the other "
        "in content/people.yml; if not, give one of them a slug: there)",
        "content/people.yml:4: people[4].name: 'Zoe' and 'Zoë' (content/people.yml:2) would share the page "
        "people/zoe/ (expected one page per person: if they are one person, list one as an alias of the other "
        "in content/people.yml; if not, give one of them a slug: there)",
    ]


def test_a_people_yml_slug_is_validated(site):
    site.write("content/people.yml", "- name: Wang Yi\n  slug: Wang Yi\n- name: B\n  slug: wang-yi\n")
    site.article("a.md", VALID)
    assert problems(site) == [
        "content/people.yml:2: people[1].slug: 'Wang Yi' is not a valid slug (expected lowercase letters, digits "
        "and single hyphens, e.g. wang-yi-2)"
    ]


def test_the_same_name_written_differently_is_one_person(site):
    site.write("content/people.yml", "- name: Xi Jinping\n  aliases: [President Xi]\n")
    site.article("a.md", article(people="[Lai Ching-te, XI JINPING]"))
    site.article("b.md", article("Second", people="['lai  ching te', 'president xi.']"))
    site.article("c.md", article("Third", people="['LAI CHING‑TE', Zoë]"))  # a non-breaking hyphen
    # Unicode spells some letters two ways: ë as one character or as e and a combining mark.
    site.article("d.md", article("Fourth", people='["Zoe\\u0308", "ＸＩ ＪＩＮＰＩＮＧ"]'))
    out = built(site)
    assert sorted(p.parent.name for p in (out / "people").glob("*/index.html")) == ["lai-ching-te", "xi-jinping", "zoe"]
    for person, count in [("lai-ching-te", 3), ("xi-jinping", 3), ("zoe", 2)]:
        listed = BeautifulSoup((out / f"people/{person}/index.html").read_text("utf-8"), "html.parser")
        assert len(listed.select(".bf-lines li")) == count


def test_a_name_with_nothing_to_transliterate_gets_a_stable_page(site):
    """ "🙂" slugified to "" and its link pointed at people/.md."""
    site.article("a.md", article(people="['🙂', '😀']"))
    out = built(site)
    pages = sorted(p.parent.name for p in (out / "people").glob("*/index.html"))
    assert pages == ["person-d06f1525", "person-f0443a34"]
    links = BeautifulSoup((out / "articles/a/index.html").read_text("utf-8"), "html.parser").select(".bf-people a")
    assert sorted(a["href"] for a in links) == ["../../people/person-d06f1525/", "../../people/person-f0443a34/"]
    assert built(site) and sorted(p.parent.name for p in (out / "people").glob("*/index.html")) == pages


# --- 7. only regular files are read --------------------------------------------------


def check_in_a_subprocess(site: Site, *args: str, timeout: float = 30):
    """A FIFO blocks its reader: run the CLI apart, so a regression fails instead of hanging."""
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "briefings", *(args or ("check",)), "--project", str(site.root)],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert "Traceback" not in result.stderr
    return result, time.monotonic() - started


def test_fifo_devices_sockets_folders_and_link_loops_are_reported_never_read(site, tmp_path):
    articles = site.root / "content/articles"
    site.article("good.md", VALID)
    os.mkfifo(articles / "fifo.md")
    (articles / "zero.md").symlink_to("/dev/zero")
    (articles / "loop.md").symlink_to(articles / "loop.md")
    (articles / "folder.md").mkdir()
    (articles / "gone.md").symlink_to(articles / "nowhere.md")
    (articles / "around").symlink_to(articles)  # a folder link loop: os.walk does not follow it
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(articles / "sock.md"))
        result, seconds = check_in_a_subprocess(site)
    finally:
        server.close()
    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == [
        "content/articles/fifo.md:1: file: is a FIFO, not a file (expected a Markdown file)",
        "content/articles/folder.md:1: file: is a folder, not a file (expected a Markdown file)",
        "content/articles/gone.md:1: file: is a link to a file that does not exist (expected a Markdown file)",
        "content/articles/loop.md:1: file: is a link that leads back to itself (expected a Markdown file)",
        "content/articles/sock.md:1: file: is a socket, not a file (expected a Markdown file)",
        "content/articles/zero.md:1: file: is a link to a character device, not a file (expected a Markdown file)",
        "Error: 6 problems found.",
    ]
    assert seconds < 30


def test_a_folder_link_loop_alone_is_harmless(site):
    site.article("2024/good.md", VALID)
    (site.root / "content/articles/2024/again").symlink_to(site.root / "content/articles")
    result, _ = check_in_a_subprocess(site)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "OK: 1 articles (0 drafts) in 3 topics, no problems.\n"


def test_a_link_to_a_folder_of_articles_is_said_not_passed_over(site, tmp_path):
    """The walk does not follow links to folders; one that hides articles was skipped without
    a word, and its articles went missing from the site. A folder without articles is harmless."""
    site.article("2024/good.md", VALID)
    archive = tmp_path / "archive-2021"
    archive.mkdir()
    (archive / "old.md").write_text("---\n" + VALID, "utf-8")
    (tmp_path / "images").mkdir()
    (site.root / "content/articles/2021").symlink_to(archive)
    (site.root / "content/articles/images").symlink_to(tmp_path / "images")
    result, _ = check_in_a_subprocess(site)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"content/articles/2021:1: file: is a link to the folder {archive}, which is not followed, so its articles "
        "are not read (expected the folder itself: move it into content/articles, or link each file in it)",
        "Error: 1 problem found.",
    ]


@pytest.mark.parametrize("command", ["check", "build"])
def test_topics_and_people_files_must_be_regular_files(site, command):
    site.article("good.md", VALID)
    (site.root / "content/topics.yml").unlink()
    os.mkfifo(site.root / "content/topics.yml")
    (site.root / "content/people.yml").symlink_to("/dev/urandom")
    result, _ = check_in_a_subprocess(site, command)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "content/topics.yml:1: file: is a FIFO, not a file (expected a YAML file)",
        "content/people.yml:1: file: is a link to a character device, not a file (expected a YAML file)",
        f"Error: 2 problems found{'' if command == 'check' else '; nothing was built'}.",
    ]


@pytest.mark.parametrize("kind", ["file", "dangling link"])
def test_an_articles_folder_that_is_not_a_folder_is_said_first(site, kind):
    articles = site.root / "content/articles"
    shutil.rmtree(articles, ignore_errors=True)
    if kind == "file":
        articles.write_text("not a folder\n", "utf-8")
    else:
        articles.symlink_to(site.root / "nowhere")
    result, _ = check_in_a_subprocess(site)
    assert result.returncode == 1
    what = "a file" if kind == "file" else "a link to nothing"
    assert result.stderr.splitlines()[0] == (
        f"content/articles:1: file: is {what}, not a folder (expected the folder of article files)"
    )


def test_a_huge_topics_file_is_not_read(site):
    with open(site.root / "content/topics.yml", "ab") as f:
        f.truncate(6 * 2**20)
    site.article("good.md", VALID)
    assert problems(site) == ["content/topics.yml:1: file: is 6.0 MB (expected at most 5 MB)"]


def test_new_does_not_hang_on_a_fifo_among_the_articles(site):
    """`briefings new --url` reads every article for a duplicate URL."""
    site.article("good.md", VALID + "url: https://example.org/a\n")
    os.mkfifo(site.root / "content/articles/fifo.md")
    result, _ = check_in_a_subprocess(
        site, "new", "Another", "--topic", "taiwan", "--date", "2024-01-02", "--url", "https://example.org/b"
    )
    assert result.returncode == 0, result.stderr
