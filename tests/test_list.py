"""`briefings list` and `briefings topics`."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import subprocess
import sys

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
    assert lines[0].split() == ["DATE", "TITLE", "SOURCE", "TOPICS", "DRAFT", "PATH"]
    assert lines[1].startswith("2024-02-01  A newer one") and "us-china, taiwan" in lines[1]
    assert lines[1].endswith("  content/articles/2024/new.md")
    assert lines[2].startswith("2023-05-01  An old one") and "Reuters" in lines[2]
    assert lines[2].endswith("  content/articles/2024/old.md")
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


LONG_TITLE = "Coast guards of both sides report a long night of close encounters near the islands"


def run_list(desk, *, terminal: bool, columns: int = 60) -> str:
    """`briefings list` in its own process, its stdout a pipe or a terminal (a pseudo-terminal)
    whose width is ``columns``."""
    env = {**os.environ, "COLUMNS": str(columns)}
    command = [sys.executable, "-m", "briefings", "list", "--project", str(desk.root)]
    if not terminal:
        return subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout
    leader, follower = pty.openpty()
    try:
        proc = subprocess.Popen(command, stdout=follower, stderr=subprocess.DEVNULL, env=env)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed: the process has exited
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert proc.wait(timeout=60) == 0
    finally:
        os.close(leader)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_list_never_cuts_a_title_in_a_pipe_or_a_file(desk):
    """Piped (to grep, a file), every character comes through, whatever the terminal's width."""
    desk.article("2024/long.md", f"title: {LONG_TITLE}\ndate: 2024-02-02\nsource: Desk\ntopics: [taiwan]\n")
    out = run_list(desk, terminal=False)
    line = next(line for line in out.splitlines() if line.startswith("2024-02-02"))
    assert f"  {LONG_TITLE}  " in line and line.endswith("content/articles/2024/long.md")


def test_list_fits_titles_to_a_terminal(desk):
    desk.article("2024/long.md", f"title: {LONG_TITLE}\ndate: 2024-02-02\nsource: Desk\ntopics: [taiwan]\n")
    out = run_list(desk, terminal=True, columns=100)
    line = next(line for line in out.splitlines() if line.startswith("2024-02-02"))
    assert LONG_TITLE not in line and "  Coast guards of both s…  " in line
    assert line.endswith("content/articles/2024/long.md")  # the path is never cut
    assert len(line) <= 100


def test_list_leaves_out_a_broken_draft_with_a_warning(desk):
    """As in a build: a draft is work in progress, and does not stop the list (it does with --drafts)."""
    desk.article("2024/wip.md", "title: WIP\ndate: 2024-02-30\nsource: Desk\ntopics: [taiwan]\ndraft: true\n")
    result = desk.run("list", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "Warning: content/articles/2024/wip.md:3: date: '2024-02-30' is not a real calendar date "
        "(expected YYYY-MM-DD or an ISO 8601 date-time with offset, e.g. 2023-11-15T09:30:00-05:00) "
        "(a draft: left out of the list)\n"
    )
    assert [r["title"] for r in csv.DictReader(io.StringIO(result.stdout))] == ["A newer one", "An old one"]
    with_drafts = desk.run("list", "--drafts")
    assert with_drafts.exit_code == 1
    assert "content/articles/2024/wip.md:3: date:" in with_drafts.stderr


def test_topics_as_json_and_csv(desk):
    data = json.loads(desk.run("topics", "--format", "json").output)
    assert data == [
        {"id": "us-china", "title": "US–China relations", "articles": 1, "latest": "2024-02-01"},
        {"id": "taiwan", "title": "Taiwan", "articles": 2, "latest": "2024-02-01"},
        {"id": "fentanyl", "title": "Fentanyl", "articles": 0, "latest": None},
    ]
    got = rows(desk.run("topics", "--drafts", "--format", "csv"))
    assert got[2] == {"id": "fentanyl", "title": "Fentanyl", "articles": "2", "latest": "2099-01-01"}
    assert [r["id"] for r in got] == ["us-china", "taiwan", "fentanyl"]
