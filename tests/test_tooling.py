"""The tools a contributor expects run with the tests: ruff's linter and formatter
and mypy in strict mode, all configured in pyproject.toml, find nothing. Run the
same by hand from the repository's root: `.venv/bin/ruff check`, `.venv/bin/ruff
format` and `.venv/bin/mypy`. And the markers that give the quick loop,
pytest -m "not slow and not browser", hold."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import BROWSER_FIXTURES, REPO


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    """The tool of this virtualenv, from the repository's root, so it reads pyproject.toml."""
    return subprocess.run([sys.executable, "-m", *args], cwd=REPO, capture_output=True, text=True, check=False)


def test_ruff_finds_nothing():
    """The whole repository (briefings/, tests/, benchmarks/), with the rules in [tool.ruff]."""
    result = run_tool("ruff", "check", "--output-format", "concise")
    if result.returncode != 0:
        pytest.fail(f"ruff check found problems:\n{result.stdout}{result.stderr}", pytrace=False)


def test_the_code_is_formatted_as_ruff_formats_it():
    result = run_tool("ruff", "format", "--check")
    if result.returncode != 0:
        pytest.fail(
            f"ruff format would change files (run `ruff format`):\n{result.stdout}{result.stderr}", pytrace=False
        )


def test_mypy_strict_finds_nothing():
    """briefings/ (the files in [tool.mypy]), strict."""
    result = run_tool("mypy")
    if result.returncode != 0:
        pytest.fail(f"mypy found problems:\n{result.stdout}{result.stderr}", pytrace=False)
    assert result.stdout.startswith("Success: no issues found"), result.stdout


def test_every_test_that_drives_chromium_is_marked_browser(request):
    """Whatever this run selected: with -m "not browser", no test left may need Chromium."""
    unmarked = [
        item.nodeid
        for item in request.session.items
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())) and not item.get_closest_marker("browser")
    ]
    assert unmarked == []
