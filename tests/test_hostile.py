"""Hostile input: every case gets its exact one-line problem (or works), never a
traceback, never a crash; nothing dangerous reaches the built site."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import VALID, Site, pagefind_fragments, tree_hash

HOSTILE = Path(__file__).parent / "hostile"
EXPECTED = yaml.safe_load((HOSTILE / "expected.yml").read_text("utf-8"))


def corpus_site(tmp_path) -> Site:
    site = Site(tmp_path / "desk")
    shutil.copy(HOSTILE / "topics.yml", site.root / "content/topics.yml")
    return site


def check_lines(site: Site) -> list[str]:
    result = site.run("check")
    assert "Traceback" not in result.output
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"Error: \d+ problems? found\.", lines[-1])
    return lines[:-1]


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_corpus_case_gets_its_exact_problems(tmp_path, case):
    site = corpus_site(tmp_path)
    shutil.copy(HOSTILE / "articles" / case, site.root / "content/articles" / case)
    if case == "dup-slug-a.md":
        shutil.copy(HOSTILE / "articles/dup-slug-b.md", site.root / "content/articles/dup-slug-b.md")
    before = tree_hash(site.root / "content")
    assert check_lines(site) == EXPECTED[case]
    assert site.run("build").exit_code == 1
    assert tree_hash(site.root / "content") == before
    assert not (site.root / "site").exists()


def test_every_corpus_file_has_an_expectation():
    files = {p.name for p in (HOSTILE / "articles").glob("*.md")} - {"dup-slug-b.md"}
    assert files == set(EXPECTED)


# --- byte-level cases, generated here --------------------------------------

FRONT = "---\ntitle: Bytes\ndate: 2024-01-01\nsource: Desk\ntopics: [taiwan]\n---\n"


@pytest.mark.parametrize(
    "name, data, expected",
    [
        (
            "latin1.md",
            FRONT.replace("Bytes", "Caf\xe9").encode("latin-1"),
            "content/articles/latin1.md:2: file: not valid UTF-8 (byte 0xe9 at offset 14) "
            "(expected a UTF-8 text file: re-save it as UTF-8)",
        ),
        (
            "nul.md",
            (FRONT + "body\x00more\n").encode(),
            "content/articles/nul.md:7: file: contains a NUL byte (expected a text file, not a binary one)",
        ),
        (
            "binary.md",
            bytes(range(256)) * 4,
            "content/articles/binary.md:1: file: contains a NUL byte (expected a text file, not a binary one)",
        ),
        (
            "png.md",
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64),
            "content/articles/png.md:3: file: contains a NUL byte (expected a text file, not a binary one)",
        ),
    ],
)
def test_undecodable_files(tmp_path, name, data, expected):
    site = corpus_site(tmp_path)
    (site.root / "content/articles" / name).write_bytes(data)
    assert check_lines(site) == [expected]


def test_bom_and_crlf_are_fine(tmp_path):
    site = corpus_site(tmp_path)
    (site.root / "content/articles/bom.md").write_bytes(b"\xef\xbb\xbf" + FRONT.replace("Bytes", "BOM").encode())
    (site.root / "content/articles/crlf.md").write_bytes(FRONT.replace("Bytes", "CRLF").replace("\n", "\r\n").encode())
    (site.root / "content/articles/cr.md").write_bytes(FRONT.replace("Bytes", "CR").replace("\n", "\r").encode())
    result = site.run("build")
    assert result.exit_code == 0, result.output
    for slug, title in [("bom", "BOM"), ("crlf", "CRLF"), ("cr", "CR")]:
        page = BeautifulSoup((site.root / f"site/articles/{slug}/index.html").read_text("utf-8"), "html.parser")
        assert page.h1.get_text(strip=True) == title


def test_crlf_errors_keep_their_line_numbers(tmp_path):
    site = corpus_site(tmp_path)
    text = "---\r\ntitle: x\r\ndate: 2023-02-30\r\nsource: Desk\r\ntopics: [taiwan]\r\n---\r\n"
    (site.root / "content/articles/crlf.md").write_bytes(text.encode())
    assert check_lines(site)[0].startswith("content/articles/crlf.md:3: date: '2023-02-30' is not a real calendar date")


def test_enormous_file_is_refused_without_reading_it(tmp_path):
    site = corpus_site(tmp_path)
    with open(site.root / "content/articles/huge.md", "wb") as f:
        f.write(FRONT.encode())
        f.truncate(50 * 2**20)  # 50 MB, sparse: cheap to make
    assert check_lines(site) == [
        "content/articles/huge.md:1: file: is 50.0 MB (expected at most 5 MB; "
        "raise extra.briefings.max_file_mb if needed)"
    ]
    site.settings(max_file_mb=60)
    assert "huge.md:7: file: contains a NUL byte" in check_lines(site)[0]  # the sparse zeros


def test_enormous_field(tmp_path):
    site = corpus_site(tmp_path)
    site.article("field.md", VALID + "summary: " + "word " * 30_000 + "\n")
    assert check_lines(site) == [
        "content/articles/field.md:6: summary: is 149,999 characters long (expected at most 20,000)"
    ]
    site.article("field.md", VALID.replace("A valid article", "x" * 1_500))
    assert check_lines(site) == [
        "content/articles/field.md:2: title: is 1,500 characters long (expected at most 1,000)"
    ]


def test_symlink_outside_content_is_refused(tmp_path):
    site = corpus_site(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text(FRONT, "utf-8")
    (site.root / "content/articles/link.md").symlink_to(secret)
    (site.root / "content/articles/inside.md").write_text(FRONT.replace("Bytes", "Inside"), "utf-8")
    (site.root / "content/articles/alias.md").symlink_to(site.root / "content/articles/inside.md")
    assert check_lines(site) == [  # the link inside content/ is fine
        f"content/articles/link.md:1: file: is a link to {secret}, outside content/ "
        "(expected the article itself, or a link within content/)"
    ]


def test_topics_file_with_duplicate_ids_and_a_missing_title(tmp_path):
    site = corpus_site(tmp_path)
    site.write("content/topics.yml", "- {id: taiwan, title: Taiwan}\n- {id: taiwan, title: Again}\n- {id: x}\n")
    assert check_lines(site) == [
        "content/topics.yml:2: topics[2].id: 'taiwan' is already used by the topic on line 1 (expected unique ids)",
        "content/topics.yml:3: topics[3].title: is missing (every topic needs id: and title:)",
    ]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("", "content/topics.yml:1: topics: expected a list of topics, each with id: and title: (got nothing)"),
        (
            "a: &x [1]\nb: *x\n",
            "content/topics.yml:1: topics: YAML anchors and aliases (&name, *name) are not allowed "
            "(expected every value written out)",
        ),
        (
            "- !!python/name:os.system {}\n",
            "content/topics.yml:1: topics: YAML tag '!!python/name:os.system' is not "
            "allowed (expected plain text, numbers, dates, lists and mappings)",
        ),
    ],
)
def test_hostile_topics_files(tmp_path, text, expected):
    site = corpus_site(tmp_path)
    site.write("content/topics.yml", text)
    assert check_lines(site) == [expected]


# --- valid but odd, and injection: builds, and nothing dangerous survives ---


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("odd") / "desk")
    shutil.copy(HOSTILE / "topics.yml", site.root / "content/topics.yml")
    for case in (HOSTILE / "valid").glob("*.md"):
        shutil.copy(case, site.root / "content/articles" / case.name)
    result = site.run("build")
    assert result.exit_code == 0, result.output
    return site.root / "site"


def page(site_dir: Path, slug: str) -> BeautifulSoup:
    return BeautifulSoup((site_dir / "articles" / slug / "index.html").read_text("utf-8"), "html.parser")


def test_non_ascii_titles_and_emoji_work(odd_site):
    assert page(odd_site, "chinese-title").h1.get_text(strip=True) == "賴清德當選台灣總統"
    assert "正文" in page(odd_site, "chinese-title").select_one(".bf-body").get_text()
    accents = page(odd_site, "accents-and-emoji")
    assert accents.h1.get_text(strip=True) == "Élections à Taïwan : café, façade, naïveté 🗳️🇹🇼"
    assert "Zoë Ångström" in accents.select_one(".bf-quote figcaption, .bf-quoted li").get_text()
    records = pagefind_fragments(odd_site / "pagefind")
    assert records["/articles/chinese-title/"]["meta"]["title"] == "賴清德當選台灣總統"


def test_very_long_title_and_ten_topics(odd_site):
    long_title = page(odd_site, "very-long-title").h1.get_text(strip=True)
    assert long_title.startswith("A very long title word0") and long_title.endswith("word59")
    ten = page(odd_site, "ten-topics")
    assert len(ten.select(".bf-article-header .bf-chip")) == 10
    for topic in ["us-china", "asia-pacific", "drugs"]:
        listed = BeautifulSoup((odd_site / "topics" / topic / "index.html").read_text("utf-8"), "html.parser")
        assert "In every topic" in [a.get_text() for a in listed.select(".bf-story-item__title a")]


DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


def test_no_injected_script_handler_or_url_scheme_survives_anywhere(odd_site):
    for path in odd_site.rglob("*"):
        if path.suffix not in (".html", ".xml", ".json"):
            continue
        text = path.read_text("utf-8")
        if path.suffix == ".html":
            dom = BeautifulSoup(text, "html.parser")
            for tag in dom.find_all(True):
                for attr, value in tag.attrs.items():
                    assert not attr.lower().startswith("on"), (path, tag.name, attr)
                    if attr in ("href", "src", "action", "formaction", "xlink:href"):
                        assert not str(value).strip().lower().startswith(DANGEROUS_SCHEMES), (path, value)
            # The 404 page's search form is the theme's own (theme/404.html), not content.
            for tag in dom.select(".md-content *:not(.bf-not-found__search, .bf-not-found__search *)"):
                assert tag.name not in ("iframe", "form", "input", "object", "embed", "img"), (path, tag)
            for script in dom.find_all("script"):
                if script.get("type") == "application/ld+json":
                    json.loads(script.string)  # still valid JSON, with < and > escaped
                    assert "<" not in script.string
                else:
                    assert "alert(" not in script.get_text(), path
        elif path.suffix == ".xml":
            assert "<script" not in text and "<img" not in text, path


def test_injected_text_is_shown_literally_and_templates_never_run(odd_site):
    dom = page(odd_site, "injection")
    title = dom.h1.get_text()
    assert title == '<script>alert("title")</script><img src=x onerror=alert(1)>"><b>bold</b> {{ 7*7 }} {% raw %}'
    assert dom.select_one(".bf-source").get_text() == '"><script>alert("source")</script>'
    assert dom.select_one(".bf-kicker").get_text() == "{{ config.site_name }} {% for x in y %}"
    assert "49" not in dom.select_one(".bf-summary").get_text()
    body = dom.select_one(".bf-body")
    assert "Template syntax stays text: {{ 7*7 }} and {% if true %}yes{% endif %}." in body.get_text()
    assert [a["href"] for a in body.find_all("a", href=True)] == ["https://example.org/"]
    assert not body.find_all(["script", "img", "iframe", "form", "input", "style"])
    assert all("style" not in t.attrs for t in body.find_all(True))
    people = [li.get_text() for li in dom.select(".bf-people li")]
    assert people == ['<script>alert("person")</script>', "{{ person }}"]


def test_nothing_from_the_body_loads_from_another_host(odd_site):
    dom = page(odd_site, "injection")
    urls = [str(v) for t in dom.find_all(True) for a, v in t.attrs.items() if a in ("src", "href", "action", "data")]
    assert not [u for u in urls if "tracker.example" in u or "evil.example" in u]


def test_trust_html_passes_the_body_through(tmp_path):
    site = corpus_site(tmp_path)
    site.settings(trust_html=True)
    site.article("raw.md", VALID, body='<mark class="special">kept</mark>\n')
    assert site.run("build").exit_code == 0
    dom = page(site.root / "site", "raw")
    assert dom.select_one("mark.special").get_text() == "kept"
