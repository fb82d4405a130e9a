"""`briefings check`: every kind of bad input gets its own exact, one-line message.

Each test writes real files into a fresh project and runs the real CLI.
"""

from __future__ import annotations

import re

import pytest
from conftest import VALID, tree_hash

DATE_HELP = "expected YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2023-11-15T09:30:00-05:00"
FIELDS = (
    "title, date, source, topics, author, url, section, summary, key_points, why_it_matters, "
    "quotes, people, image, updated, corrections, draft, slug, story"
)


def problems(result) -> list[str]:
    """The problem lines of a failed check (everything but the closing count)."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert re.fullmatch(r"Error: \d+ problems? found(; nothing was built)?\.", lines[-1])
    return lines[:-1]


def test_valid_site_passes(site):
    """A valid article checks clean, with a one-line summary on stdout."""
    site.article("a.md", VALID)
    result = site.run("check")
    assert result.exit_code == 0, result.output
    assert result.stdout == "OK: 1 articles (0 drafts) in 3 topics, no problems.\n"


def test_non_utf8_file_names_the_line_of_the_bad_byte(site):
    (site.root / "content/articles/latin1.md").write_bytes(b"---\ntitle: caf\xe9\n---\n")
    assert problems(site.run("check")) == [
        "content/articles/latin1.md:2: file: not valid UTF-8 (byte 0xe9 at offset 14) "
        "(expected a UTF-8 text file: re-save it as UTF-8)"
    ]


def test_unreadable_file(site, monkeypatch):
    """Tests run as root in CI, where chmod cannot make a file unreadable: fail the read itself."""
    import briefings.content.load

    locked = site.article("locked.md", VALID)
    real_read = briefings.content.load.read_bytes

    def read_bytes(path):
        if path == locked:
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(briefings.content.load, "read_bytes", read_bytes)
    assert problems(site.run("check")) == [
        "content/articles/locked.md:1: file: cannot read the file: Permission denied"
    ]


def test_no_front_matter(site):
    site.write("content/articles/plain.md", "Just some notes.\n")
    assert problems(site.run("check")) == [
        "content/articles/plain.md:1: front matter: no front matter (expected the file to start with a '---' "
        "line, then YAML fields such as title:, then a closing '---' line)"
    ]


def test_front_matter_never_closed(site):
    site.write("content/articles/open.md", "---\ntitle: x\ndate: 2024-01-01\n")
    assert problems(site.run("check")) == [
        "content/articles/open.md:1: front matter: the front matter is never closed "
        "(expected a '---' line after the YAML fields)"
    ]


def test_yaml_syntax_error_gives_the_yaml_line(site):
    site.write("content/articles/bad.md", "---\ntitle: ok\nsource: s\ntopics: [taiwan\ndate: 2024-01-01\n---\n")
    assert problems(site.run("check")) == [
        "content/articles/bad.md:5: front matter: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts on line 4)"
    ]


def test_front_matter_must_be_a_mapping(site):
    site.write("content/articles/list.md", "---\n- a\n- b\n---\n")
    assert problems(site.run("check")) == [
        "content/articles/list.md:2: front matter: is a list "
        "(expected fields such as title:, date:, source: and topics:)"
    ]


def test_missing_required_fields_are_each_reported(site):
    site.article("bare.md", "title: Only a title")
    assert problems(site.run("check")) == [
        f"content/articles/bare.md:2: {field}: is missing (every article needs title:, date:, source:, topics:)"
        for field in ("date", "source", "topics")
    ]


def test_wrong_types(site):
    site.article(
        "types.md",
        """\
        title: [a, list]
        date: 2024-01-01
        source: 42
        topics: taiwan
        draft: maybe
        key_points: just one point
    """,
    )
    assert problems(site.run("check")) == [
        "content/articles/types.md:2: title: expected text (got a list)",
        "content/articles/types.md:5: topics: expected a list of topic ids, e.g. [taiwan] (got text)",
        "content/articles/types.md:6: draft: expected true or false (got text)",
        "content/articles/types.md:7: key_points: expected a list of points, one '- item' per line (got text)",
    ]


@pytest.mark.parametrize(
    "value, message",
    [
        ("2023-02-30", "'2023-02-30' is not a real calendar date"),
        ("15/11/2023", "'15/11/2023' is not a date"),
        ("2023-11-15T09:30:00", "'2023-11-15T09:30:00' is not a date"),
        ("20231115", "'20231115' is not a date"),  # text as written, not the number YAML 1.1 saw
    ],
)
def test_bad_dates(site, value, message):
    site.article("d.md", VALID.replace("2024-01-13", value))
    assert problems(site.run("check")) == [f"content/articles/d.md:3: date: {message} ({DATE_HELP})"]


def test_datetime_with_offset_is_accepted(site):
    site.article("d.md", VALID.replace("2024-01-13", "2024-01-13T20:15:00+08:00"))
    assert site.run("check").exit_code == 0


def test_unknown_topic_suggests_the_closest(site):
    site.article("t.md", VALID.replace("[taiwan]", "[Taiwan, fentanil]"))
    assert problems(site.run("check")) == [
        "content/articles/t.md:5: topics: unknown topic 'fentanil' (did you mean 'fentanyl'? "
        "expected one of the ids in content/topics.yml: fentanyl, taiwan, us-china)"
    ]


def test_misspelt_key_is_an_error_with_a_hint(site):
    """A typo like topcis: must not silently drop an article from its briefings."""
    site.article("typo.md", VALID.replace("topics:", "topcis:"))
    assert problems(site.run("check")) == [
        "content/articles/typo.md:2: topics: is missing (every article needs title:, date:, source:, topics:)",
        f"content/articles/typo.md:5: topcis: unknown field (did you mean 'topics'? expected one of: {FIELDS})",
    ]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/x", "file:///etc/passwd", "example.org"])
def test_non_http_url(site, url):
    site.article("u.md", VALID + f"url: '{url}'\n")
    assert problems(site.run("check")) == [
        f"content/articles/u.md:6: url: '{url}' is not a web address (expected an http:// or https:// URL)"
    ]


@pytest.mark.parametrize(
    "url, reason",
    [
        ("https://[::1", "Invalid IPv6 URL"),
        ("https://[abc]/", "'abc' does not appear to be an IPv4 or IPv6 address"),
        ("https://example.org:http/", "Port could not be cast to integer value as 'http'"),
    ],
)
def test_malformed_url_is_a_problem_not_a_traceback(site, url, reason):
    site.article("u.md", VALID + f"url: '{url}'\n")
    assert problems(site.run("check")) == [
        f"content/articles/u.md:6: url: '{url}' is not a web address ({reason}; expected an http:// or https:// URL)"
    ]


def test_duplicate_slug_names_both_files(site):
    site.article("2024/first.md", VALID)
    site.article("second.md", VALID + "slug: first\n")
    assert problems(site.run("check")) == [
        "content/articles/second.md:1: slug: 'first' is already used by content/articles/2024/first.md "
        "(expected a unique slug: rename one file or give it a slug: field)"
    ]


def test_empty_title(site):
    site.article("e.md", VALID.replace("A valid article", '""'))
    assert problems(site.run("check")) == ["content/articles/e.md:2: title: is empty (expected some text)"]


def test_quotes_report_every_bad_item(site):
    site.article("q.md", VALID + "quotes:\n  - text: fine\n    speaker: Someone\n  - text: no speaker\n  - oops\n")
    assert problems(site.run("check")) == [
        "content/articles/q.md:9: quotes[1].speaker: is missing "
        "(add speaker: Name, or speakers: [Name, Name] for a joint statement)",
        "content/articles/q.md:10: quotes[2]: expected text: and speaker: (got text)",
    ]


def test_corrections_need_a_date_no_earlier_than_the_article_and_a_text(site):
    site.article(
        "c.md",
        VALID
        + "corrections:\n  - text: no date\n  - date: 13/01/2024\n    text: bad format\n"
        + "  - date: 2024-01-20\n  - date: 2024-01-02\n    text: before the article\n  - oops\n",
    )
    assert problems(site.run("check")) == [
        "content/articles/c.md:7: corrections[0].date: is missing "
        "(add date: YYYY-MM-DD, the day the correction was made)",
        f"content/articles/c.md:8: corrections[1].date: '13/01/2024' is not a date ({DATE_HELP})",
        "content/articles/c.md:10: corrections[2].text: is missing (add text: saying what was corrected)",
        "content/articles/c.md:13: corrections[4]: expected date: and text: (got text)",
    ]
    site.article("c.md", VALID + "corrections:\n  - date: 2024-01-02\n    text: before the article\n")
    assert problems(site.run("check")) == [
        "content/articles/c.md:7: corrections[0].date: 2024-01-02 is before the article's date 2024-01-13 "
        "(expected the day the correction was made)"
    ]


def test_corrections_are_kept_oldest_first(site):
    from briefings.content.load import load_content

    site.article(
        "c.md",
        VALID + "corrections:\n  - date: 2024-02-01\n    text: Second.\n  - date: 2024-01-20\n    text: First.\n",
    )
    (article,) = load_content(site.root).articles
    assert [(str(c.date), c.text) for c in article.corrections] == [("2024-01-20", "First."), ("2024-02-01", "Second.")]


def test_every_problem_in_the_folder_is_reported_in_one_run(site):
    site.article("a.md", VALID.replace("2024-01-13", "2024-13-01"))
    site.article("b.md", VALID.replace("[taiwan]", "[nowhere]"))
    site.write("c.md", "not an article")  # outside content/: ignored
    site.write("content/articles/d.md", "no front matter")
    result = site.run("check")
    lines = problems(result)
    assert [line.split(":")[0] for line in lines] == [
        "content/articles/a.md",
        "content/articles/b.md",
        "content/articles/d.md",
    ]
    assert result.stderr.splitlines()[-1] == "Error: 3 problems found."


def test_topics_file_problems(site):
    site.write(
        "content/topics.yml",
        """\
        - id: taiwan
          title: Taiwan
        - id: taiwan
          title: Taiwan again
        - id: Not A Slug
          title: Bad id
        - id: no-title
          descripton: typo
    """,
    )
    site.article("a.md", VALID)
    assert problems(site.run("check")) == [
        "content/topics.yml:3: topics[2].id: 'taiwan' is already used by the topic on line 1 (expected unique ids)",
        "content/topics.yml:5: topics[3].id: 'Not A Slug' is not a valid id "
        "(expected lowercase letters, digits and hyphens, e.g. us-china)",
        "content/topics.yml:7: topics[4].title: is missing (every topic needs id: and title:)",
        "content/topics.yml:8: topics[4].descripton: unknown key (did you mean 'description'? "
        "expected one of: id, title, description, state_of_play, updated, keywords, expected_sides)",
    ]


def test_missing_topics_file(site):
    (site.root / "content/topics.yml").unlink()
    site.article("a.md", VALID)
    assert problems(site.run("check")) == [
        "content/topics.yml:1: file: is missing (expected a list of topics, each with id: and title:)"
    ]


def test_missing_content_folder(tmp_path):
    from conftest import Site

    s = Site(tmp_path / "x")
    import shutil

    shutil.rmtree(s.root / "content")
    result = s.run("check")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "no content/ folder" in result.stderr
    assert "Traceback" not in result.output


def test_not_a_project_folder(tmp_path):
    from conftest import run_cli

    result = run_cli("check", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {tmp_path}: no mkdocs.yml here (expected a briefing site's folder: "
        "run briefings from it, or pass --project DIR)\n"
    )


def test_check_and_failed_build_leave_content_untouched(site):
    site.article("a.md", VALID)
    site.article("b.md", VALID.replace("[taiwan]", "[nowhere]"))
    before = tree_hash(site.root / "content")
    assert site.run("check").exit_code == 1
    result = site.run("build")
    assert result.exit_code == 1
    assert "nothing was built" in result.stderr
    assert tree_hash(site.root / "content") == before
    assert not (site.root / "site").exists()


def test_a_link_written_twice_is_one_problem(site):
    """Each problem is printed once: the same broken link twice in a body is one line."""
    site.article("a.md", VALID, body="See [this](gone.md) and [this again](gone.md).\n")
    assert problems(site.run("check")) == [
        "content/articles/a.md:7: body: links to 'gone.md', which is not an article file (expected the path "
        "of another article, relative to this file, e.g. ../2024/2024-01-13-slug.md)"
    ]
