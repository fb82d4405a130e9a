"""Long runs show progress: a bar on a terminal, one plain line in CI, nothing for small folders."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time

import pytest

from briefings.cli.common import PROGRESS_MIN

MANY = PROGRESS_MIN + 1


@pytest.fixture
def big(site):
    for i in range(MANY):
        site.article(
            f"2024/a{i:04d}.md", f"title: Article {i}\ndate: 2024-01-{i % 28 + 1:02d}\nsource: Desk\ntopics: [taiwan]\n"
        )
    return site


def run_in_terminal(*args: str, timeout: float = 120) -> str:
    """Run the CLI with stdout on a pseudo-terminal; return everything it printed."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefings", *args],
        stdout=terminal,
        stderr=terminal,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "COLUMNS": "100"},
    )
    os.close(terminal)
    chunks = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([controller], [], [], 0.5)
            if ready:
                try:
                    data = os.read(controller, 65536)
                except OSError:  # the terminal closed: the process is done
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        assert proc.wait(timeout=30) == 0, b"".join(chunks).decode("utf-8", "replace")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=10)
        os.close(controller)
    return b"".join(chunks).decode("utf-8", "replace")


def test_check_shows_a_progress_bar_on_a_terminal(big):
    out = run_in_terminal("check", "--project", str(big.root))
    assert f"Checking {MANY} articles" in out
    assert f"[{'#' * 36}]  {MANY}/{MANY}" in out  # the bar, filled
    assert f"OK: {MANY} articles" in out


def test_without_a_terminal_there_is_one_plain_line(big):
    result = big.run("check")
    assert result.exit_code == 0
    assert result.stderr == f"Checking {MANY} articles...\n"
    assert result.stdout.startswith(f"OK: {MANY} articles")
    assert "#" not in result.output


def test_import_reports_progress_while_looking_for_the_url(big):
    from test_import import FIXTURES

    result = big.run("import", str(FIXTURES / "article.html"), "--topic", "taiwan")
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Looking for the URL in {MANY} articles...\n"
    assert "content/articles/2024/2024-03-08-pilots-end-harbour-strike" in result.stdout.splitlines()[0]


@pytest.mark.slow
def test_build_reports_progress_in_plain_lines(big):
    result = big.run("build", "--base-url", "https://user.github.io/repo/")  # no feeds warning
    assert result.exit_code == 0, result.output
    assert result.stderr == f"Reading {MANY} articles...\n"
    assert result.stdout.startswith("Built ") and f": {MANY} articles, 3 topics" in result.stdout


def test_small_folders_show_no_progress(site):
    site.article("2024/a.md", "title: A\ndate: 2024-01-01\nsource: Desk\ntopics: [taiwan]\n")
    result = site.run("check")
    assert result.output.startswith("OK: 1 articles")
