"""`briefings list` and `briefings topics`."""

from __future__ import annotations

import csv
import io
import json

import pytest


@pytest.fixture
def desk(site):
    site.article("2024/old.md", "title: An old one\ndate: 2023-05-01\nsource: Reuters\ntopics: [taiwan]\n")
    site.article("2024/new.md", "title: A newer one\ndate: 2024-02-01\nsource: Desk\ntopics: [us-china, taiwan]\n")
    site.article(
        "2024/draft.md", "title: Still a draft\ndate: 2024-03-01\nsource: Desk\ntopics: [fentanyl]\ndraft: true\n"
    )
    site.article("2099/future.md", "title: From the future\ndate: 2099-01-01\nsource: Desk\ntopics: [fentanyl]\n")
    return site


def rows(result):
    return list(csv.DictReader(io.StringIO(result.output)))


def test_list_table_shows_published_articles_newest_first(desk):
    result = desk.run("list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["DATE", "TITLE", "SOURCE", "TOPICS", "DRAFT"]
    assert lines[1].startswith("2024-02-01  A newer one") and "us-china, taiwan" in lines[1]
    assert lines[2].startswith("2023-05-01  An old one") and "Reuters" in lines[2]
    assert lines[3] == "2 articles."  # CliRunner mixes stderr in


def test_list_drafts_includes_drafts_and_future_articles_marked(desk):
    result = desk.run("list", "--drafts", "--format", "csv")
    got = rows(result)
    assert [r["title"] for r in got] == ["From the future", "Still a draft", "A newer one", "An old one"]
    assert [r["draft"] for r in got] == ["", "yes", "", ""]
    assert got[1]["path"] == "content/articles/2024/draft.md"


def test_list_filters_by_topic_source_and_since(desk):
    assert [r["title"] for r in rows(desk.run("list", "--topic", "Taiwan", "--format", "csv"))] == [
        "A newer one",
        "An old one",
    ]
    assert [r["title"] for r in rows(desk.run("list", "--source", "reuters", "--format", "csv"))] == ["An old one"]
    assert [r["title"] for r in rows(desk.run("list", "--since", "2024-01-01", "--format", "csv"))] == ["A newer one"]
    assert [r["title"] for r in rows(desk.run("list", "--topic", "fentanyl", "--drafts", "--format", "csv"))] == [
        "From the future",
        "Still a draft",
    ]


def test_list_json(desk):
    data = json.loads(desk.run("list", "--format", "json").output)
    assert data[0] == {
        "date": "2024-02-01",
        "title": "A newer one",
        "source": "Desk",
        "topics": ["us-china", "taiwan"],
        "draft": False,
        "path": "content/articles/2024/new.md",
        "url": "",
    }


@pytest.mark.parametrize(
    "args, message",
    [
        (["--topic", "taiwn"], "Error: --topic: unknown topic 'taiwn' (did you mean 'taiwan'?"),
        (["--since", "2024-13-01"], "Error: --since: '2024-13-01' is not a real calendar date"),
        (["--format", "xml"], "Invalid value for '--format'"),
    ],
)
def test_list_bad_filters_are_one_line_errors(desk, args, message):
    result = desk.run("list", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_list_on_broken_content_reports_the_problems(desk):
    desk.article("2024/bad.md", "title: Bad\ndate: 2024-02-30\nsource: Desk\ntopics: [taiwan]\n")
    result = desk.run("list")
    assert result.exit_code == 1
    assert "content/articles/2024/bad.md:3: date:" in result.output


def test_topics_lists_counts_and_latest_dates(desk):
    result = desk.run("topics")
    assert result.exit_code == 0, result.output
    assert [line.split("  ")[0] for line in result.output.splitlines()] == ["ID", "us-china", "taiwan", "fentanyl"]
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert lines[1:] == [
        "us-china US–China relations 1 2024-02-01",
        "taiwan Taiwan 2 2024-02-01",
        "fentanyl Fentanyl 0 -",
    ]
    with_drafts = [" ".join(line.split()) for line in desk.run("topics", "--drafts").output.splitlines()]
    assert with_drafts[3] == "fentanyl Fentanyl 2 2099-01-01"
